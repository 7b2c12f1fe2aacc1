"""Appointments and the agenda: plan, move, mark done or no-show; warn about overlaps of the
counsellor's or the client's time and about times outside office hours (a warning, not a
refusal: a home visit at 17:30 may be exactly what the client needs).

Sessions are passed in and the caller commits. Planning needs the client's file; any active
counsellor may be the one who receives the client (a test, a colleague's intake).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.i18n import _, format_datetime
from app.models import Appointment, Client, Counsellor
from app.models.agenda_enums import AppointmentChannel, AppointmentPurpose
from app.models.enums import AppointmentStatus, AuditAction
from app.services.clock import DEFAULT_TIME_ZONE
from app.services.contact import contact_policy
from app.services.contact.contact_policy import ContactPolicy
from app.services.errors import Conflict, Forbidden, NotFound, ValidationFailed
from app.services.privacy import access, audit
from app.services.privacy.access import Actor

DURATIONS = range(5, 481)
MAX_NOTE = 2000
LONGEST = dt.timedelta(minutes=DURATIONS[-1])
BUSY = (AppointmentStatus.PLANNED, AppointmentStatus.DONE)


@dataclass(frozen=True)
class Draft:
    """An appointment as the form holds it; `starts_at` is an aware time."""

    client_id: int
    counsellor_id: int
    starts_at: dt.datetime
    duration_minutes: int
    channel: AppointmentChannel
    purpose: AppointmentPurpose
    location: str | None = None
    note: str | None = None
    appointment_id: int | None = None  # when changing an existing one

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)


@dataclass(frozen=True)
class Interpreter:
    """A client served with an interpreter (source 002), in the client's contact language
    (None when the file names none)."""

    language: str | None


def interpreter(session: Session, client_id: int | None) -> Interpreter | None:
    """Whether the client needs an interpreter, and in which language; None when not (or when
    the client is not there to read)."""
    if client_id is None:
        return None
    row = session.execute(
        select(Client.interpreter_needed, Client.contact_language).where(Client.id == client_id)
    ).first()
    if row is None or not row.interpreter_needed:
        return None
    return Interpreter(row.contact_language)


@dataclass(frozen=True)
class AgendaItem:
    id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    client_id: int
    dossier: str
    client_name: str
    counsellor_id: int
    channel: AppointmentChannel
    purpose: AppointmentPurpose
    location: str | None
    status: AppointmentStatus
    note: str | None
    version: int
    interpreter: Interpreter | None = None


def _checked(session: Session, draft: Draft, policy: ContactPolicy) -> Draft:
    errors: dict[str, str] = {}
    try:
        channel = AppointmentChannel(draft.channel)
        if not policy.allows(channel.contact_channel):
            errors["channel"] = _("Channel: your organisation does not allow “{channel}”; "
                                  "choose another channel.").format(channel=channel.label)  # fmt: skip
    except ValueError:
        channel = AppointmentChannel.IN_PERSON
        errors["channel"] = _("Channel: choose one of the listed channels.")
    try:
        purpose = AppointmentPurpose(draft.purpose)
    except ValueError:
        purpose = AppointmentPurpose.FOLLOW_UP
        errors["purpose"] = _("Purpose: choose one of the listed purposes.")
    if draft.starts_at.tzinfo is None:
        errors["starts_at"] = _("Start: give a date and a time.")
    if draft.duration_minutes not in DURATIONS:
        errors["duration_minutes"] = _("Duration: give the minutes, from {low} to {high}.").format(
            low=DURATIONS[0], high=DURATIONS[-1])  # fmt: skip
    location = " ".join((draft.location or "").split()) or None
    if channel == AppointmentChannel.IN_PERSON and policy.contact_points and location is None:
        errors["location"] = _("Place: choose the contact point where you receive the client.")
    elif (
        location is not None
        and channel == AppointmentChannel.IN_PERSON
        and (policy.contact_point(location) is None)
    ):
        errors["location"] = _("Place: choose one of the contact points in the settings.")
    note = (draft.note or "").strip() or None
    if note is not None and len(note) > MAX_NOTE:
        errors["note"] = _("Note: keep it to {most} characters.").format(most=MAX_NOTE)
    counsellor = session.get(Counsellor, draft.counsellor_id)
    if counsellor is None or not counsellor.active:
        errors["counsellor_id"] = _("Counsellor: choose a colleague whose account is active.")
    if session.get(Client, draft.client_id) is None:
        raise NotFound(_("This client no longer exists."))
    if errors:
        raise ValidationFailed(errors)
    return replace(draft, channel=channel, purpose=purpose, location=location, note=note)


def _busy(session: Session, column: InstrumentedAttribute[int], value: int,
          draft: Draft) -> list[Appointment]:  # fmt: skip
    rows = session.scalars(
        select(Appointment).where(
            column == value,
            Appointment.status.in_(BUSY),
            Appointment.starts_at < draft.ends_at,
            Appointment.starts_at > draft.starts_at - LONGEST,
        )
    )
    return [a for a in rows if a.id != draft.appointment_id
            and a.starts_at + dt.timedelta(minutes=a.duration_minutes) > draft.starts_at]  # fmt: skip


def warnings(
    session: Session, draft: Draft, *, policy: ContactPolicy | None = None,
    tz: str = DEFAULT_TIME_ZONE,
) -> list[str]:  # fmt: skip
    """What the counsellor should know before saving: overlaps and office hours."""
    policy = policy or contact_policy.load(session)
    found = []
    for other in _busy(session, Appointment.counsellor_id, draft.counsellor_id, draft):
        found.append(_("Overlaps with another appointment of the counsellor at {time}.").format(
            time=format_datetime(other.starts_at, "short", tz=tz)))  # fmt: skip
    for other in _busy(session, Appointment.client_id, draft.client_id, draft):
        if other.counsellor_id != draft.counsellor_id:
            found.append(_("The client already has an appointment at {time} with a colleague.")
                         .format(time=format_datetime(other.starts_at, "short", tz=tz)))  # fmt: skip
    start = draft.starts_at.astimezone(ZoneInfo(tz))
    end = draft.ends_at.astimezone(ZoneInfo(tz))
    if start.isoweekday() not in policy.office_days:
        found.append(_("This day is outside the office days."))
    elif (
        start.time() < policy.office_start
        or end.time() > policy.office_end
        or end.date() != start.date()
    ):
        found.append(_("Outside office hours ({start}–{end}).").format(
            start=f"{policy.office_start:%H:%M}", end=f"{policy.office_end:%H:%M}"))  # fmt: skip
    return found


def plan(session: Session, actor: Actor, draft: Draft) -> Appointment:
    """Create the appointment (warnings are the form's business, see `warnings`)."""
    access.require_file(session, actor, draft.client_id)
    draft = _checked(session, draft, contact_policy.load(session))
    appointment = Appointment(
        client_id=draft.client_id, counsellor_id=draft.counsellor_id, starts_at=draft.starts_at,
        duration_minutes=draft.duration_minutes, channel=draft.channel, purpose=draft.purpose,
        location=draft.location, note=draft.note, status=AppointmentStatus.PLANNED,
    )  # fmt: skip
    session.add(appointment)
    session.flush()
    _audit(session, actor, appointment, "planned")
    return appointment


def change(session: Session, actor: Actor, draft: Draft, *, version: int) -> Appointment:
    """Change a planned appointment; `version` is the one the form read."""
    appointment = _own(session, actor, draft.appointment_id)
    if appointment.version != version:
        raise Conflict(_("Someone changed this appointment since you opened it; open it again."))
    draft = _checked(session, replace(draft, client_id=appointment.client_id),
                     contact_policy.load(session))  # fmt: skip
    for field in ("counsellor_id", "starts_at", "duration_minutes", "channel", "purpose",
                  "location", "note"):  # fmt: skip
        setattr(appointment, field, getattr(draft, field))
    session.flush()
    _audit(session, actor, appointment, "changed")
    return appointment


def set_status(
    session: Session, actor: Actor, appointment_id: int, status: AppointmentStatus
) -> Appointment:
    appointment = _own(session, actor, appointment_id)
    appointment.status = AppointmentStatus(status)
    session.flush()
    _audit(session, actor, appointment, appointment.status.value)
    return appointment


def move(
    session: Session, actor: Actor, appointment_id: int, starts_at: dt.datetime
) -> Appointment:
    """Move to another time: the old one stays in the history as "moved", a new one is planned."""
    old = _own(session, actor, appointment_id)
    if old.status != AppointmentStatus.PLANNED:
        raise ValidationFailed({"status": _("Status: only a planned appointment can be moved.")})
    new = plan(session, actor, Draft(old.client_id, old.counsellor_id, starts_at,
                                     old.duration_minutes, old.channel, old.purpose,
                                     old.location, old.note))  # fmt: skip
    old.status = AppointmentStatus.MOVED
    session.flush()
    return new


def _own(session: Session, actor: Actor, appointment_id: int | None) -> Appointment:
    appointment = session.get(Appointment, appointment_id) if appointment_id else None
    if appointment is None:
        raise NotFound(_("This appointment no longer exists."))
    if appointment.counsellor_id != actor.counsellor_id:
        access.require_file(session, actor, appointment.client_id)
    return appointment


def _audit(session: Session, actor: Actor, appointment: Appointment, what: str) -> None:
    audit.record(session, AuditAction.CHANGE, counsellor_id=actor.counsellor_id,
                 client_id=appointment.client_id, detail=f"appointments: {what}")  # fmt: skip


def agenda(
    session: Session, actor: Actor, counsellor_id: int, start: dt.datetime, end: dt.datetime
) -> list[AgendaItem]:
    """A counsellor's appointments from `start` to `end` (aware times), in time order; one's
    own agenda, or any agenda for a team lead."""
    if counsellor_id != actor.counsellor_id and not actor.is_team_lead:
        raise Forbidden(_("Only a team lead can open a colleague's agenda."))
    rows = session.execute(
        select(Appointment, Client.dossier, Client.given_name, Client.family_name,
               Client.interpreter_needed, Client.contact_language)
        .join(Client, Client.id == Appointment.client_id)
        .where(Appointment.counsellor_id == counsellor_id, Appointment.starts_at < end,
               Appointment.starts_at > start - LONGEST)
        .order_by(Appointment.starts_at, Appointment.id)
    )  # fmt: skip
    items = []
    for a, dossier, given, family, needed, language in rows:
        ends = a.starts_at + dt.timedelta(minutes=a.duration_minutes)
        if ends > start:
            items.append(AgendaItem(a.id, a.starts_at, ends, a.client_id, dossier,
                                    f"{given} {family}".strip(), a.counsellor_id, a.channel,
                                    a.purpose, a.location, a.status, a.note, a.version,
                                    Interpreter(language) if needed else None))  # fmt: skip
    return items


def for_client(session: Session, client_id: int) -> list[Appointment]:
    return list(session.scalars(select(Appointment).where(Appointment.client_id == client_id)
                                .order_by(Appointment.starts_at.desc())))  # fmt: skip


def no_shows(session: Session, client_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Appointment).where(
        Appointment.client_id == client_id, Appointment.status == AppointmentStatus.NO_SHOW)) or 0  # fmt: skip
