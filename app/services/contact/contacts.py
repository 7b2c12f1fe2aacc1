"""The contact log: every contact with a client or attempt to reach them, on any channel the
organisation's policy allows, with an outcome that fits the channel (a voicemail is left on a
phone, a letter is sent, not answered); source 002: record your attempts. What to try next
is `advice`'s job.

Sessions are passed in and the caller commits. Logging needs the client's file, except at a
permanence desk, where whoever serves the visitor records the contact (and nothing more).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import _
from app.models import Client, Contact
from app.models.base import utcnow
from app.models.enums import AuditAction, ContactChannel, ContactDirection, ContactOutcome
from app.services.contact import contact_policy
from app.services.errors import NotFound, ValidationFailed
from app.services.privacy import access, audit
from app.services.privacy.access import Actor

MAX_NOTE = 2000
MAX_MINUTES = 600
FUTURE_MARGIN = dt.timedelta(minutes=5)
REACHING_OUTCOMES = frozenset({ContactOutcome.REACHED, ContactOutcome.RETURNED_CALL})
# A message sent is an attempt made, not a failed one: the client is not reached until they
# answer, but nothing has failed yet either (source 002: the attempt itself may be enough).
SENT_OUTCOMES = frozenset({ContactOutcome.MESSAGE_SENT})
_O = ContactOutcome
#: The outcomes each channel can have, in the order the contact dialog numbers them.
OUTCOMES: dict[ContactChannel, tuple[ContactOutcome, ...]] = {
    ContactChannel.PHONE: (_O.REACHED, _O.NO_ANSWER, _O.VOICEMAIL, _O.WRONG_NUMBER, _O.RETURNED_CALL),
    ContactChannel.SMS: (_O.REACHED, _O.MESSAGE_SENT, _O.WRONG_NUMBER),
    ContactChannel.EMAIL: (_O.REACHED, _O.MESSAGE_SENT),
    ContactChannel.MESSAGING_APP: (_O.REACHED, _O.MESSAGE_SENT, _O.WRONG_NUMBER),
    ContactChannel.VIDEO: (_O.REACHED, _O.NO_ANSWER),
    ContactChannel.CHAT: (_O.REACHED, _O.MESSAGE_SENT, _O.NO_ANSWER),
    ContactChannel.IN_PERSON: (_O.REACHED,),
    ContactChannel.HOME_VISIT: (_O.REACHED, _O.NO_ANSWER),
    ContactChannel.LETTER: (_O.REACHED, _O.MESSAGE_SENT),
    ContactChannel.KEY_PERSON: (_O.REACHED, _O.MESSAGE_SENT, _O.NO_ANSWER),
    ContactChannel.PERMANENCE: (_O.REACHED,),
}  # fmt: skip


def outcomes_for(channel: ContactChannel | str) -> tuple[ContactOutcome, ...]:
    """The outcomes a contact on `channel` can have (reached first)."""
    return OUTCOMES[ContactChannel(channel)]


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
    if not errors and outcome not in outcomes_for(channel):
        errors["outcome"] = _("Outcome: “{outcome}” does not fit “{channel}”; choose one of {outcomes}.").format(
            outcome=ContactOutcome(outcome).label, channel=ContactChannel(channel).label,
            outcomes=", ".join(o.label for o in outcomes_for(channel)))  # fmt: skip
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
