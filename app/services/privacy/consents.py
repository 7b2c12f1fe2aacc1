"""Consent per purpose (sharing data with a named partner, messages via a support person,
WhatsApp): recorded with the date and by whom, withdrawn the same way, never overwritten."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import _
from app.models import Consent
from app.models.enums import AuditAction, ConsentPurpose
from app.services import validation as v
from app.services.clock import local_today
from app.services.errors import NotFound, ValidationFailed
from app.services.privacy import access, audit
from app.services.privacy.access import Actor


def record(
    session: Session, actor: Actor, client_id: int, purpose: ConsentPurpose, *,
    partner: str | None = None, given_on: dt.date | None = None, note: str | None = None,
) -> Consent:  # fmt: skip
    """The client agreed to `purpose` on `given_on` (default today); the caller commits."""
    access.require_file(session, actor, client_id)
    partner = (partner or "").strip() or None
    if purpose == ConsentPurpose.SHARE_WITH_PARTNER and partner is None:
        raise ValidationFailed({"partner": _("Partner: name the partner the data is shared with.")})
    today = local_today()
    given_on = given_on or today
    if given_on > today:
        raise ValidationFailed({"given_on": _("Date: a consent cannot be given in the future.")})
    consent = Consent(client_id=client_id, purpose=purpose, partner=partner, given_on=given_on,
                      recorded_by=actor.counsellor_id, note=v.optional_text("note", note, 500))  # fmt: skip
    session.add(consent)
    session.flush()
    audit.record(session, AuditAction.CHANGE, counsellor_id=actor.counsellor_id, client_id=client_id,
                 detail=f"consent {purpose.value}")  # fmt: skip
    return consent


def withdraw(session: Session, actor: Actor, consent_id: int, on: dt.date | None = None) -> Consent:
    consent = session.get(Consent, consent_id)
    if consent is None:
        raise NotFound(_("This consent no longer exists."))
    access.require_file(session, actor, consent.client_id)
    if consent.withdrawn_on is None:
        consent.withdrawn_on = on or local_today()
        consent.withdrawn_by = actor.counsellor_id
        session.flush()
        audit.record(session, AuditAction.CHANGE, counsellor_id=actor.counsellor_id,
                     client_id=consent.client_id, detail=f"consent {consent.purpose.value} withdrawn")  # fmt: skip
    return consent


def of_client(session: Session, client_id: int) -> list[Consent]:
    """Every consent of the client, the current ones first, newest first."""
    rows = session.scalars(select(Consent).where(Consent.client_id == client_id)
                           .order_by(Consent.withdrawn_on.is_not(None), Consent.given_on.desc(), Consent.id.desc()))  # fmt: skip
    return list(rows)


def has_consent(session: Session, client_id: int, purpose: ConsentPurpose, partner: str | None = None,
                on: dt.date | None = None) -> bool:  # fmt: skip
    """Whether a consent for `purpose` (and that partner) holds on `on` — the referral letters ask."""
    on = on or local_today()
    for consent in of_client(session, client_id):
        if consent.purpose != purpose or consent.given_on > on:
            continue
        if consent.withdrawn_on is not None and consent.withdrawn_on <= on:
            continue
        if partner is None or (consent.partner or "").casefold() == partner.casefold():
            return True
    return False
