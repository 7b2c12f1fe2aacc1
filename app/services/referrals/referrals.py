"""Referrals of a client to a partner's offer (source 003: the client stays in the referent's
caseload). A referral starts as a draft with a reason, what was agreed and a follow-up date;
the client's consent to share the listed data with that partner is recorded with its date
before a letter is made or the referral is sent. Its steps — draft → sent → accepted or
refused → started → completed or dropped out — are each dated with who took them. The caller
commits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from app.i18n import _
from app.models import Client, Offer, Referral, ReferralEvent
from app.models.base import utcnow
from app.models.enums import AuditAction, ConsentPurpose, ReferralStatus
from app.services import validation as v
from app.services.clock import local_today
from app.services.errors import Conflict, NotFound, ValidationFailed
from app.services.privacy import access, audit, consents
from app.services.privacy.access import Actor
from app.services.referrals import offers

S = ReferralStatus
#: The steps a referral may take from each status; completed, dropped out and refused end it.
NEXT_STEPS: dict[ReferralStatus, tuple[ReferralStatus, ...]] = {
    S.DRAFT: (S.SENT,),
    S.SENT: (S.ACCEPTED, S.REFUSED),
    S.ACCEPTED: (S.STARTED, S.DROPPED_OUT),
    S.STARTED: (S.COMPLETED, S.DROPPED_OUT),
}
OPEN = (S.DRAFT, S.SENT, S.ACCEPTED, S.STARTED)
#: Days until the referent checks how a sent referral went, unless a date was agreed.
DEFAULT_FOLLOW_UP_DAYS = 14


@dataclass(frozen=True)
class FollowUp:
    """A referral whose follow-up date has come, for the counsellor's today list."""

    referral_id: int
    client_id: int
    client_name: str
    offer_name: str
    status: ReferralStatus
    due_on: dt.date


def get(session: Session, referral_id: int) -> Referral:
    referral = session.get(Referral, referral_id)
    if referral is None:
        raise NotFound(_("This referral no longer exists."))
    return referral


def _checked(values: Mapping[str, Any], today: dt.date) -> tuple[dict[str, Any], dict[str, str]]:
    out: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for field, required in (("reason", True), ("agreed", False)):
        text = str(values.get(field) or "").strip()
        if required and not text:
            errors[field] = _("Reason: say why the client goes to this partner.")
        elif len(text) > 2000:
            errors[field] = _("{field}: keep it under {n} characters.").format(
                field=_("Reason") if field == "reason" else _("What was agreed"), n=2000)  # fmt: skip
        out[field] = text or None
    follow_up = values.get("follow_up_on")
    if follow_up is not None and follow_up < today:
        errors["follow_up_on"] = _("Follow-up: choose today or a later day.")
    out["follow_up_on"] = follow_up
    out["partner_appointment_at"] = values.get("partner_appointment_at")
    return out, errors


def create(
    session: Session, actor: Actor, client_id: int, offer_id: int, values: Mapping[str, Any],
    *, script_run_id: int | None = None, consent: bool = False,
) -> Referral:  # fmt: skip
    """A draft referral; with `consent` the client's agreement is recorded today as well."""
    access.require_file(session, actor, client_id)
    offers.get(session, offer_id)
    checked, errors = _checked(values, local_today())
    if errors:
        raise ValidationFailed(errors)
    referral = Referral(client_id=client_id, offer_id=offer_id, counsellor_id=actor.counsellor_id,
                        script_run_id=script_run_id, status=S.DRAFT, **checked)  # fmt: skip
    session.add(referral)
    session.flush()
    session.add(
        ReferralEvent(referral_id=referral.id, status=S.DRAFT, counsellor_id=actor.counsellor_id)
    )
    audit.record(session, AuditAction.CREATE, counsellor_id=actor.counsellor_id, client_id=client_id,
                 detail=f"referrals: draft {referral.id}")  # fmt: skip
    if consent:
        give_consent(session, actor, referral.id)
    return referral


def change(session: Session, actor: Actor, referral_id: int, values: Mapping[str, Any],
           *, version: int | None = None) -> Referral:  # fmt: skip
    """Change the offer, reason, agreement, follow-up date or partner appointment."""
    referral = get(session, referral_id)
    access.require_file(session, actor, referral.client_id)
    if version is not None and referral.version != version:
        raise Conflict(_("Someone else changed this referral in the meantime; open it again."))
    checked, errors = _checked({**_current(referral), **values}, local_today())
    if "follow_up_on" not in values:
        errors.pop("follow_up_on", None)  # an old date may stay as it is
    new_offer = values.get("offer_id")
    if new_offer is not None and new_offer != referral.offer_id:
        if referral.status != S.DRAFT:
            errors["offer_id"] = _(
                "Offer: a referral that was sent keeps its partner; make a new referral."
            )
        else:
            offers.get(session, new_offer)
            referral.offer_id = new_offer
            referral.consent_at = None  # the consent named the other partner
    if errors:
        raise ValidationFailed(errors)
    for key, value in checked.items():
        setattr(referral, key, value)
    session.flush()
    audit.record(session, AuditAction.CHANGE, counsellor_id=actor.counsellor_id,
                 client_id=referral.client_id, detail=f"referrals: changed {referral.id}")  # fmt: skip
    return referral


def _current(referral: Referral) -> dict[str, Any]:
    return {"reason": referral.reason, "agreed": referral.agreed,
            "follow_up_on": referral.follow_up_on,
            "partner_appointment_at": referral.partner_appointment_at}  # fmt: skip


def give_consent(session: Session, actor: Actor, referral_id: int, note: str | None = None) -> None:
    """The client agrees today that the listed data go to this referral's partner."""
    referral = get(session, referral_id)
    offer = offers.get(session, referral.offer_id)
    consents.record(session, actor, referral.client_id, ConsentPurpose.SHARE_WITH_PARTNER,
                    partner=offer.provider, note=note)  # fmt: skip
    referral.consent_at = utcnow()
    session.flush()


def has_consent(session: Session, referral: Referral) -> bool:
    """Recorded for this referral and not withdrawn since."""
    if referral.consent_at is None:
        return False
    offer = offers.get(session, referral.offer_id)
    return consents.has_consent(session, referral.client_id, ConsentPurpose.SHARE_WITH_PARTNER,
                                partner=offer.provider)  # fmt: skip


def move(
    session: Session, actor: Actor, referral_id: int, status: ReferralStatus,
    *, note: str | None = None, at: dt.datetime | None = None,
) -> Referral:  # fmt: skip
    """Take the next step, dated (now, or `at` in UTC) and signed by the actor."""
    referral = get(session, referral_id)
    access.require_file(session, actor, referral.client_id)
    current = S(referral.status)
    if status not in NEXT_STEPS.get(current, ()):
        allowed = ", ".join(s.label for s in NEXT_STEPS.get(current, ())) or _("none; it has ended")
        raise ValidationFailed({"status": _("Status: a referral that is “{current}” cannot become “{new}”; next steps: {allowed}.")
                                .format(current=current.label, new=status.label, allowed=allowed)})  # fmt: skip
    if status == S.SENT and not has_consent(session, referral):
        raise ValidationFailed(
            {
                "consent": _(
                    "Consent: record the client's consent to share the data with this partner before sending."
                )
            }
        )
    referral.status = status
    today = local_today()
    if status == S.SENT and (referral.follow_up_on is None or referral.follow_up_on < today):
        referral.follow_up_on = today + dt.timedelta(days=DEFAULT_FOLLOW_UP_DAYS)
    if status not in OPEN:
        referral.follow_up_on = None  # nothing left to follow up
    session.add(ReferralEvent(referral_id=referral.id, status=status, counsellor_id=actor.counsellor_id,
                              note=v.optional_text("note", note, 500),
                              at=at or utcnow()))  # fmt: skip
    session.flush()
    audit.record(session, AuditAction.CHANGE, counsellor_id=actor.counsellor_id,
                 client_id=referral.client_id, detail=f"referrals: {referral.id} {status.value}")  # fmt: skip
    return referral


def of_client(session: Session, client_id: int) -> list[tuple[Referral, Offer]]:
    """The client's referrals with their offers, open ones first, newest first."""
    rows = session.execute(
        select(Referral, Offer).join(Offer, Offer.id == Referral.offer_id)
        .where(Referral.client_id == client_id)
        .order_by(Referral.status.in_([s.value for s in OPEN]).desc(), Referral.created_at.desc())
    )  # fmt: skip
    return [(r, o) for r, o in rows]


def events(session: Session, referral_id: int) -> list[ReferralEvent]:
    return list(session.scalars(select(ReferralEvent).where(ReferralEvent.referral_id == referral_id)
                                .order_by(ReferralEvent.at, ReferralEvent.id)))  # fmt: skip


def due_follow_ups(session: Session, counsellor_id: int, today: dt.date) -> list[FollowUp]:
    """Open referrals of this counsellor whose follow-up date is today or past, oldest first."""
    rows = session.execute(
        select(Referral.id, Referral.client_id, Referral.status, Referral.follow_up_on,
               Client.given_name, Client.family_name, Offer.name)
        .join(Client, Client.id == Referral.client_id).join(Offer, Offer.id == Referral.offer_id)
        .where(Referral.counsellor_id == counsellor_id, Referral.follow_up_on <= today,
               Referral.status.in_([s.value for s in OPEN]))
        .order_by(Referral.follow_up_on, Referral.id)
    )  # fmt: skip
    return [FollowUp(r.id, r.client_id, f"{r.given_name} {r.family_name}", r.name, S(r.status),
                     r.follow_up_on) for r in rows]  # fmt: skip


def sent_between(session: Session, actor: Actor, start: dt.datetime, end: dt.datetime) -> list[int]:
    """Referrals the actor sent in [start, end) (UTC), for the week's letters."""
    rows = session.scalars(
        select(Referral.id).join(ReferralEvent, ReferralEvent.referral_id == Referral.id)
        .where(and_(ReferralEvent.status == S.SENT.value, ReferralEvent.at >= start, ReferralEvent.at < end),
               or_(Referral.counsellor_id == actor.counsellor_id, ReferralEvent.counsellor_id == actor.counsellor_id))
        .distinct().order_by(Referral.id)
    )  # fmt: skip
    return list(rows)
