"""The contact log: every contact with a client or attempt to reach them, on any channel the
organisation's policy allows, and the next step to suggest when a client cannot be reached
(source 002: record your attempts; know how far you may go).

Sessions are passed in and the caller commits. Logging needs the client's file, except at a
permanence desk, where whoever serves the visitor records the contact (and nothing more).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import _, ngettext
from app.models import Client, Contact
from app.models.base import utcnow
from app.models.enums import AuditAction, ContactChannel, ContactDirection, ContactOutcome
from app.services.contact import contact_policy
from app.services.contact.contact_policy import ContactPolicy
from app.services.errors import NotFound, ValidationFailed
from app.services.privacy import access, audit
from app.services.privacy.access import Actor

MAX_NOTE = 2000
MAX_MINUTES = 600
FUTURE_MARGIN = dt.timedelta(minutes=5)
REACHING_OUTCOMES = frozenset({ContactOutcome.REACHED, ContactOutcome.RETURNED_CALL})
ESCALATION_STEPS = (ContactChannel.LETTER, ContactChannel.KEY_PERSON, ContactChannel.HOME_VISIT)
REMOTE_CHANNELS = (ContactChannel.PHONE, ContactChannel.SMS, ContactChannel.MESSAGING_APP,
                   ContactChannel.EMAIL, ContactChannel.VIDEO, ContactChannel.CHAT)  # fmt: skip


def log(
    session: Session,
    actor: Actor,
    client_id: int,
    *,
    channel: ContactChannel | str,
    outcome: ContactOutcome | str,
    direction: ContactDirection | str = ContactDirection.OUTGOING,
    occurred_at: dt.datetime | None = None,
    duration_minutes: int | None = None,
    note: str | None = None,
    at_desk: bool = False,
) -> Contact:
    """Record one contact or attempt. Whether the client was reached follows from the outcome.

    `at_desk` is for the permanence desk: the contact is recorded for a client who need not be
    in the actor's caseload (the desk serves everyone); the channel is then "permanence".
    """
    if at_desk:
        channel = ContactChannel.PERMANENCE
    else:
        access.require_file(session, actor, client_id)
    if session.get(Client, client_id) is None:
        raise NotFound(_("This client no longer exists."))
    policy = contact_policy.load(session)
    errors: dict[str, str] = {}
    try:
        channel = ContactChannel(channel)
        if not policy.allows(channel):
            errors["channel"] = _("Channel: your organisation does not allow “{channel}”; "
                                  "choose another channel.").format(channel=channel.label)  # fmt: skip
    except ValueError:
        errors["channel"] = _("Channel: choose one of the listed channels.")
    try:
        outcome = ContactOutcome(outcome)
    except ValueError:
        errors["outcome"] = _("Outcome: choose one of the listed outcomes.")
    try:
        direction = ContactDirection(direction)
    except ValueError:
        errors["direction"] = _("Direction: choose outgoing or incoming.")
    now = utcnow()
    occurred_at = occurred_at or now
    if occurred_at.tzinfo is None or occurred_at > now + FUTURE_MARGIN:
        errors["occurred_at"] = _(
            "When: a contact cannot lie in the future; give the time it happened."
        )
    if duration_minutes is not None and not 0 <= duration_minutes <= MAX_MINUTES:
        errors["duration_minutes"] = _("Duration: give the minutes, from 0 to {most}.").format(
            most=MAX_MINUTES)  # fmt: skip
    note = (note or "").strip() or None
    if note is not None and len(note) > MAX_NOTE:
        errors["note"] = _("Note: keep it to {most} characters; the file has room for longer notes.").format(
            most=MAX_NOTE)  # fmt: skip
    if errors:
        raise ValidationFailed(errors)
    assert isinstance(outcome, ContactOutcome) and isinstance(channel, ContactChannel)
    contact = Contact(client_id=client_id, counsellor_id=actor.counsellor_id, occurred_at=occurred_at,
                      channel=channel, direction=ContactDirection(direction), outcome=outcome,
                      reached=outcome in REACHING_OUTCOMES, duration_minutes=duration_minutes,
                      note=note)  # fmt: skip
    session.add(contact)
    session.flush()
    audit.record(session, AuditAction.CHANGE, counsellor_id=actor.counsellor_id,
                 client_id=client_id, detail=f"contacts: {channel.value} logged")  # fmt: skip
    return contact


def history(session: Session, client_id: int, limit: int | None = None) -> list[Contact]:
    """The client's contacts, newest first."""
    stmt = (select(Contact).where(Contact.client_id == client_id)
            .order_by(Contact.occurred_at.desc(), Contact.id.desc()).limit(limit))  # fmt: skip
    return list(session.scalars(stmt))


@dataclass(frozen=True)
class Advice:
    """What to try next with a client, from their attempt history and the policy."""

    steps: tuple[ContactChannel, ...]  # channels to try next, best first
    escalate: bool  # the failed attempts reached the policy's threshold
    not_reached: bool  # no contact for the policy's number of days: the team lead is told
    failed_attempts: int  # since the client was last reached, within the escalation window
    tried: tuple[ContactChannel, ...]
    last_reached: dt.datetime | None


def advise(
    contacts: Sequence[Contact], policy: ContactPolicy, *, now: dt.datetime,
    preferred: Sequence[str] = (), created_at: dt.datetime | None = None,
) -> Advice:  # fmt: skip
    """Apply the escalation rule to one client's contacts (any order).

    Failed attempts count from the last time the client was reached and within the policy's
    window (default: 3 attempts on at least 2 channels within 14 days), and then suggest a
    letter, a key person or a home visit where allowed. "Not reached" is the silence since
    the last contact that reached the client, or since the first attempt when none did (a
    file nobody tried to reach yet is the caseload's business, not an unreachable client).
    """
    ordered = sorted(contacts, key=lambda c: c.occurred_at)
    reached = [c for c in ordered if c.reached]
    last_reached = reached[-1].occurred_at if reached else None
    since = [c for c in ordered if last_reached is None or c.occurred_at > last_reached]
    window_start = now - dt.timedelta(days=policy.escalation_days)
    failed = [c for c in since if c.occurred_at >= window_start]
    tried = {ContactChannel(c.channel) for c in failed}
    silence_from = last_reached or (since[0].occurred_at if since else None)
    not_reached = (
        silence_from is not None
        and bool(since)
        and (now - silence_from >= dt.timedelta(days=policy.not_reached_days))
    )
    escalate = (len(failed) >= policy.escalation_attempts
                and len(tried) >= policy.escalation_channels)  # fmt: skip
    if escalate:
        steps = tuple(c for c in ESCALATION_STEPS if policy.allows(c) and c not in tried)
        steps = steps or tuple(c for c in ESCALATION_STEPS if policy.allows(c))
    else:
        liked = [ContactChannel(c) for c in preferred if c in ContactChannel._value2member_map_]
        candidates = [c for c in liked if c in REMOTE_CHANNELS] + list(REMOTE_CHANNELS)
        fresh = [c for c in dict.fromkeys(candidates) if policy.allows(c) and c not in tried]
        steps = tuple(fresh[:2])
    if last_reached is not None and not since:
        steps = ()  # the last contact reached the client: nothing to chase
    tried_in_order = tuple(c for c in ContactChannel if c in tried)
    return Advice(steps, escalate, not_reached, len(failed), tried_in_order, last_reached)


def advice_for(session: Session, client_id: int, *, now: dt.datetime | None = None) -> Advice:
    client = session.get(Client, client_id)
    if client is None:
        raise NotFound(_("This client no longer exists."))
    return advise(history(session, client_id), contact_policy.load(session), now=now or utcnow(),
                  preferred=client.contact_channels or [])  # fmt: skip


def describe(advice: Advice) -> str:
    """The suggestion as the client file shows it ("" when there is nothing to chase)."""
    steps = ", ".join(step.label for step in advice.steps)
    tried = ", ".join(channel.label for channel in advice.tried)
    parts = []
    if advice.not_reached:
        parts.append(_("Not reached for a long time: your team lead sees this client in the "
                       "reach monitor."))  # fmt: skip
    if advice.escalate:
        parts.append(ngettext("{n} failed attempt ({channels}).", "{n} failed attempts ({channels}).",
                              advice.failed_attempts).format(n=advice.failed_attempts, channels=tried))  # fmt: skip
        parts.append(_("Next step: {steps}.").format(steps=steps) if steps
                     else _("Next step: ask your team lead how far you may go."))  # fmt: skip
    elif advice.failed_attempts:
        parts.append(ngettext("Not reached yet: {n} attempt ({channels}).",
                              "Not reached yet: {n} attempts ({channels}).",
                              advice.failed_attempts).format(n=advice.failed_attempts, channels=tried))  # fmt: skip
        if steps:
            parts.append(_("Try another channel: {steps}.").format(steps=steps))
    elif advice.steps:
        parts.append(_("Next contact: {steps}.").format(steps=steps))
    return " ".join(parts)
