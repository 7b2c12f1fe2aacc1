"""A client's timeline: contacts, appointments, script runs, referrals, notes and action points
(made, then done with their outcome or cancelled) merged, newest first, as one list the file shows. Each source is read by its client index and only the
columns shown, so a file with a thousand entries opens at once. Adding a note lives here too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import _, format_date
from app.models import (
    ActionPoint,
    Appointment,
    Contact,
    Note,
    Offer,
    Referral,
    ReferralEvent,
    ScriptRun,
)
from app.models.agenda_enums import AppointmentChannel, AppointmentPurpose
from app.models.enums import (
    ActionPointStatus,
    AppointmentStatus,
    AuditAction,
    ContactChannel,
    ContactDirection,
    ContactOutcome,
    ReferralStatus,
)
from app.services.caseload import counsellors
from app.services.errors import ValidationFailed
from app.services.privacy import access, audit
from app.services.privacy.access import Actor

MAX_NOTE = 5000


class Kind(StrEnum):
    CONTACT = "contact"
    APPOINTMENT = "appointment"
    SCRIPT = "script"
    REFERRAL = "referral"
    NOTE = "note"
    ACTION_POINT = "action_point"


@dataclass(frozen=True)
class Entry:
    at: dt.datetime
    kind: Kind
    ref: int  # the id in its own table
    title: str  # in the UI language
    detail: str  # a note or a reason as typed
    counsellor: str
    attention: bool = False  # a failed attempt, a no-show


def entries(
    session: Session, actor: Actor, client_id: int, limit: int | None = None
) -> list[Entry]:
    """Everything that happened in the file, newest first (the caller checked the file is open)."""
    access.require_file(session, actor, client_id)
    names: dict[int, str] = counsellors.display_names(session)
    out: list[Entry] = []
    for c in session.execute(
        select(Contact.id, Contact.occurred_at, Contact.channel, Contact.direction,
               Contact.outcome, Contact.reached, Contact.note, Contact.counsellor_id)
        .where(Contact.client_id == client_id)
    ):  # fmt: skip
        arrow = "→" if c.direction == ContactDirection.OUTGOING else "←"
        title = f"{arrow} {ContactChannel(c.channel).label}: {ContactOutcome(c.outcome).label}"
        out.append(Entry(c.occurred_at, Kind.CONTACT, c.id, title, c.note or "",
                         names.get(c.counsellor_id, ""), attention=not c.reached))  # fmt: skip
    for a in session.execute(
        select(Appointment.id, Appointment.starts_at, Appointment.purpose, Appointment.channel,
               Appointment.status, Appointment.note, Appointment.counsellor_id)
        .where(Appointment.client_id == client_id)
    ):  # fmt: skip
        title = _("Appointment: {purpose}, {channel} — {status}").format(
            purpose=AppointmentPurpose(a.purpose).label, channel=AppointmentChannel(a.channel).label,
            status=AppointmentStatus(a.status).label)  # fmt: skip
        out.append(Entry(a.starts_at, Kind.APPOINTMENT, a.id, title, a.note or "",
                         names.get(a.counsellor_id, ""),
                         attention=a.status == AppointmentStatus.NO_SHOW))  # fmt: skip
    out += _runs(session, client_id, names)
    for rf in session.execute(
        select(ReferralEvent.id, ReferralEvent.at, ReferralEvent.status, ReferralEvent.note,
               ReferralEvent.counsellor_id, Referral.reason, Offer.name)
        .join(Referral, Referral.id == ReferralEvent.referral_id)
        .join(Offer, Offer.id == Referral.offer_id).where(Referral.client_id == client_id)
    ):  # fmt: skip
        status = ReferralStatus(rf.status)
        title = _("Referral to {offer} — {status}").format(offer=rf.name, status=status.label)
        body = rf.note or (rf.reason if status == ReferralStatus.DRAFT else "") or ""
        out.append(Entry(rf.at, Kind.REFERRAL, rf.id, title, body, names.get(rf.counsellor_id, ""),
                         attention=status in (ReferralStatus.REFUSED, ReferralStatus.DROPPED_OUT)))  # fmt: skip
    for n in session.execute(
        select(Note.id, Note.created_at, Note.body, Note.counsellor_id)
        .where(Note.client_id == client_id)
    ):  # fmt: skip
        out.append(Entry(n.created_at, Kind.NOTE, n.id, _("Note"), n.body,
                         names.get(n.counsellor_id, "")))  # fmt: skip
    out += _action_points(session, client_id, names)
    out.sort(key=lambda e: (e.at, e.ref), reverse=True)
    return out[:limit] if limit is not None else out


def _action_points(session: Session, client_id: int, names: dict[int, str]) -> list[Entry]:
    """Two entries per finished point: when it was agreed, and when it was done (its outcome as
    the note) or cancelled."""
    out = []
    for p in session.execute(
        select(ActionPoint.id, ActionPoint.created_at, ActionPoint.title, ActionPoint.due_on,
               ActionPoint.counsellor_id, ActionPoint.status, ActionPoint.done_at,
               ActionPoint.done_by, ActionPoint.outcome)
        .where(ActionPoint.client_id == client_id)
    ):  # fmt: skip
        if p.due_on is not None:
            made = _("Action point made: {title} (due {date})").format(
                title=p.title, date=format_date(p.due_on, "short"))  # fmt: skip
        else:
            made = _("Action point made: {title}").format(title=p.title)
        out.append(Entry(p.created_at, Kind.ACTION_POINT, p.id, made, "",
                         names.get(p.counsellor_id, "")))  # fmt: skip
        if p.done_at is None or p.status == ActionPointStatus.OPEN:
            continue
        if p.status == ActionPointStatus.DONE:
            title = _("Action point done: {title}").format(title=p.title)
        else:
            title = _("Action point cancelled: {title}").format(title=p.title)
        out.append(Entry(p.done_at, Kind.ACTION_POINT, p.id, title, p.outcome or "",
                         names.get(p.done_by, "")))  # fmt: skip
    return out


def _runs(session: Session, client_id: int, names: dict[int, str]) -> list[Entry]:
    from app.services.scripts.loader import default_catalogue

    catalogue = default_catalogue()
    out = []
    for row in session.execute(
        select(ScriptRun.id, ScriptRun.started_at, ScriptRun.finished_at, ScriptRun.script_id,
               ScriptRun.result, ScriptRun.override_result, ScriptRun.counsellor_id)
        .where(ScriptRun.client_id == client_id)
    ):  # fmt: skip
        script = catalogue.scripts.get(row.script_id)
        name = _(script.title) if script is not None else row.script_id
        result_id = row.override_result or row.result
        result = next((r for r in script.results if r.id == result_id), None) if script else None
        if row.finished_at is None:
            title = _("{script} — not finished").format(script=name)
        else:
            title = f"{name}: {_(result.label)}" if result is not None else name
        out.append(Entry(row.finished_at or row.started_at, Kind.SCRIPT, row.id, title, "",
                         names.get(row.counsellor_id, "")))  # fmt: skip
    return out


def add_note(session: Session, actor: Actor, client_id: int, body: str) -> Note:
    access.require_file(session, actor, client_id)
    body = body.strip()
    if not body:
        raise ValidationFailed({"body": _("Note: write the note first.")})
    if len(body) > MAX_NOTE:
        raise ValidationFailed(
            {"body": _("Note: keep it to {most} characters.").format(most=MAX_NOTE)}
        )
    note = Note(client_id=client_id, counsellor_id=actor.counsellor_id, body=body)
    session.add(note)
    session.flush()
    audit.record(session, AuditAction.CHANGE, counsellor_id=actor.counsellor_id,
                 client_id=client_id, detail="notes: added")  # fmt: skip
    return note
