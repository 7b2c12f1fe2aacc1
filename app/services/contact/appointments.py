"""Appointments and the agenda: plan, move, mark done or no-show; warn about overlaps of the
counsellor's or the client's time and about times outside office hours (a warning, not a
refusal: a home visit at 17:30 may be exactly what the client needs; see
`appointment_overlaps`). A video appointment holds its link and platform (`video_links`).
A backup's agenda also shows the appointments of the clients they cover now, marked as the
colleague's.

Sessions are passed in and the caller commits. Planning needs the client's file; any active
counsellor may be the one who receives the client (a test, a colleague's intake).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, aliased
from sqlalchemy.sql import Select

from app.i18n import _
from app.models import Appointment, Assignment, Client, Counsellor
from app.models.agenda_enums import AppointmentChannel, AppointmentPurpose, VideoPlatform
from app.models.enums import AppointmentStatus, AssignmentRole, AuditAction
from app.services.caseload import counsellors
from app.services.clock import DEFAULT_TIME_ZONE, local_today
from app.services.contact import contact_policy, video_links
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
    video_link: str | None = None  # a video call's address (kept only for a video call)
    video_platform: VideoPlatform | None = None

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
    video_link: str | None = None
    video_platform: VideoPlatform | None = None
    #: the colleague whose appointment this is, when shown in a backup's agenda
    covering_for: str | None = None


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
    link, platform = None, None
    if channel == AppointmentChannel.VIDEO:
        link, platform, wrong = video_links.checked(draft.video_link, draft.video_platform)
        errors.update(wrong)
    counsellor = session.get(Counsellor, draft.counsellor_id)
    if counsellor is None or not counsellor.active:
        errors["counsellor_id"] = _("Counsellor: choose a colleague whose account is active.")
    if session.get(Client, draft.client_id) is None:
        raise NotFound(_("This client no longer exists."))
    if errors:
        raise ValidationFailed(errors)
    return replace(draft, channel=channel, purpose=purpose, location=location, note=note,
                   video_link=link, video_platform=platform)  # fmt: skip


def warnings(
    session: Session, draft: Draft, *, actor: Actor | None = None,
    policy: ContactPolicy | None = None, tz: str = DEFAULT_TIME_ZONE,
) -> list[str]:  # fmt: skip
    """What the counsellor should know before saving: who is double-booked, and office hours
    (see `appointment_overlaps`)."""
    from app.services.contact import appointment_overlaps

    return appointment_overlaps.warnings(session, draft, actor=actor, policy=policy, tz=tz)


def plan(session: Session, actor: Actor, draft: Draft) -> Appointment:
    """Create the appointment (warnings are the form's business, see `warnings`)."""
    access.require_file(session, actor, draft.client_id)
    draft = _checked(session, draft, contact_policy.load(session))
    appointment = Appointment(
        client_id=draft.client_id, counsellor_id=draft.counsellor_id, starts_at=draft.starts_at,
        duration_minutes=draft.duration_minutes, channel=draft.channel, purpose=draft.purpose,
        location=draft.location, note=draft.note, status=AppointmentStatus.PLANNED,
        video_link=draft.video_link, video_platform=draft.video_platform,
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
                  "location", "note", "video_link", "video_platform"):  # fmt: skip
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
                                     old.location, old.note, video_link=old.video_link,
                                     video_platform=old.video_platform))  # fmt: skip
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
    session: Session, actor: Actor, counsellor_id: int, start: dt.datetime, end: dt.datetime,
    *, covered: bool = False, tz: str = DEFAULT_TIME_ZONE,
) -> list[AgendaItem]:  # fmt: skip
    """A counsellor's appointments from `start` to `end` (aware times), in time order; one's
    own agenda, or any agenda for a team lead. With `covered`, one's own agenda also holds
    the appointments that the referents of the clients one covers now as backup have with
    them during the cover (`covering_for` names the colleague)."""
    if counsellor_id != actor.counsellor_id and not actor.is_team_lead:
        raise Forbidden(_("Only a team lead can open a colleague's agenda."))
    rows = session.execute(
        _listed(start, end).where(Appointment.counsellor_id == counsellor_id)
    ).all()
    items = [_item(row) for row in rows if _ends(row[0]) > start]
    if covered and counsellor_id == actor.counsellor_id:
        items += _covered(session, actor, start, end, ZoneInfo(tz))
        items.sort(key=lambda item: (item.starts_at, item.id))
    return items


def _listed(
    start: dt.datetime, end: dt.datetime
) -> Select[Appointment, str, str, str, bool, str | None]:
    return (
        select(Appointment, Client.dossier, Client.given_name, Client.family_name,
               Client.interpreter_needed, Client.contact_language)
        .join(Client, Client.id == Appointment.client_id)
        .where(Appointment.starts_at < end, Appointment.starts_at > start - LONGEST)
        .order_by(Appointment.starts_at, Appointment.id)
    )  # fmt: skip


def _ends(a: Appointment) -> dt.datetime:
    return a.starts_at + dt.timedelta(minutes=a.duration_minutes)


def _item(row: Any, covering_for: str | None = None) -> AgendaItem:
    a, dossier, given, family, needed, language = row[:6]
    return AgendaItem(a.id, a.starts_at, _ends(a), a.client_id, dossier,
                      f"{given} {family}".strip(), a.counsellor_id, a.channel, a.purpose,
                      a.location, a.status, a.note, a.version,
                      Interpreter(language) if needed else None, a.video_link, a.video_platform,
                      covering_for)  # fmt: skip


def _covered(session: Session, actor: Actor, start: dt.datetime, end: dt.datetime,
             zone: ZoneInfo) -> list[AgendaItem]:  # fmt: skip
    """The referents' appointments with the clients `actor` is backup for today, on the days
    of the backup period (its end day excluded)."""
    today = local_today()
    backup, referent = aliased(Assignment), aliased(Assignment)
    rows = session.execute(
        _listed(start, end).add_columns(backup.starts_on, backup.ends_on)
        .join(backup, and_(backup.client_id == Appointment.client_id,
                           backup.counsellor_id == actor.counsellor_id,
                           backup.role == AssignmentRole.BACKUP, backup.starts_on <= today,
                           or_(backup.ends_on.is_(None), backup.ends_on > today)))
        .join(referent, and_(referent.client_id == Appointment.client_id,
                             referent.counsellor_id == Appointment.counsellor_id,
                             referent.role == AssignmentRole.REFERENT, referent.ends_on.is_(None)))
        .where(Appointment.counsellor_id != actor.counsellor_id)
    ).all()  # fmt: skip
    kept = [row for row in rows if _ends(row[0]) > start
            and row[6] <= row[0].starts_at.astimezone(zone).date()
            and (row[7] is None or row[0].starts_at.astimezone(zone).date() < row[7])]  # fmt: skip
    names = counsellors.full_names(session, {row[0].counsellor_id for row in kept})
    seen: set[int] = set()  # two backup periods of one client must not show it twice
    items = []
    for row in kept:
        if row[0].id not in seen:
            seen.add(row[0].id)
            items.append(_item(row, names.get(row[0].counsellor_id, "")))
    return items


def for_client(session: Session, client_id: int) -> list[Appointment]:
    return list(session.scalars(select(Appointment).where(Appointment.client_id == client_id)
                                .order_by(Appointment.starts_at.desc())))  # fmt: skip


def no_shows(session: Session, client_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Appointment).where(
        Appointment.client_id == client_id, Appointment.status == AppointmentStatus.NO_SHOW)) or 0  # fmt: skip
