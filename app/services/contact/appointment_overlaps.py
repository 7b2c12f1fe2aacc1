"""What a counsellor should know before saving an appointment: who is double-booked — the
counsellor ("You already have an appointment with Amira Haddad from 10:00 to 11:00") or the
client ("The client already has an appointment then, with Bert Claes") — and a time outside
office hours. Warnings, not refusals: the counsellor decides.

Only planned and done appointments count (cancelled and moved ones free the time). A client's
name is said only when the one asking may open that client's file; otherwise the warning gives
the busy time alone. On a team server row-level security already hides a colleague's
appointments with clients one does not see, so those are not warned about there."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.i18n import _, format_datetime, format_time
from app.models import Appointment, Client
from app.services.caseload import counsellors
from app.services.clock import DEFAULT_TIME_ZONE
from app.services.contact import contact_policy
from app.services.contact.appointments import BUSY, LONGEST, Draft
from app.services.contact.contact_policy import ContactPolicy
from app.services.privacy import access
from app.services.privacy.access import Actor


@dataclass(frozen=True)
class Overlap:
    """Another appointment at the same time: of the same counsellor or of the same client."""

    who: Literal["counsellor", "client"]
    appointment_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    message: str


def _busy(session: Session, column: InstrumentedAttribute[int], value: int,
          draft: Draft) -> list[Appointment]:  # fmt: skip
    rows = session.scalars(
        select(Appointment).where(
            column == value,
            Appointment.status.in_(BUSY),
            Appointment.starts_at < draft.ends_at,
            Appointment.starts_at > draft.starts_at - LONGEST,
        ).order_by(Appointment.starts_at, Appointment.id)
    )  # fmt: skip
    return [a for a in rows if a.id != draft.appointment_id
            and a.starts_at + dt.timedelta(minutes=a.duration_minutes) > draft.starts_at]  # fmt: skip


def overlaps(
    session: Session, draft: Draft, *, actor: Actor | None = None, tz: str = DEFAULT_TIME_ZONE
) -> list[Overlap]:
    """The counsellor's and the client's other appointments at the draft's time. `actor` is
    who asks (their own appointments are "you"; a client's name only when they may open the
    file); None for a caller that may see every file."""
    zone = ZoneInfo(tz)
    day = draft.starts_at.astimezone(zone).date()
    mine = _busy(session, Appointment.counsellor_id, draft.counsellor_id, draft)
    theirs = [a for a in _busy(session, Appointment.client_id, draft.client_id, draft)
              if a.counsellor_id != draft.counsellor_id]  # fmt: skip
    names = counsellors.full_names(
        session, {draft.counsellor_id} | {a.counsellor_id for a in theirs}
    )
    visible: dict[int, bool] = {}

    def client_name(client_id: int) -> str | None:
        if client_id not in visible:
            visible[client_id] = actor is None or access.may_work_on(session, actor, client_id)
        client = session.get(Client, client_id) if visible[client_id] else None
        return client.full_name if client is not None else None

    def span(a: Appointment) -> dict[str, str]:
        start = a.starts_at.astimezone(zone)
        end = start + dt.timedelta(minutes=a.duration_minutes)
        return {"start": format_time(start.time()) if start.date() == day
                else format_datetime(a.starts_at, "short", tz=tz),
                "end": format_time(end.time())}  # fmt: skip

    def end_of(a: Appointment) -> dt.datetime:
        return a.starts_at + dt.timedelta(minutes=a.duration_minutes)

    found: list[Overlap] = []
    you = actor is not None and draft.counsellor_id == actor.counsellor_id
    for a in mine:
        client = client_name(a.client_id)
        values = {**span(a), "client": client or "", "counsellor": names.get(a.counsellor_id, "")}
        if you:
            text = (_("You already have an appointment with {client} from {start} to {end}.")
                    if client else _("You already have an appointment from {start} to {end}."))  # fmt: skip
        else:
            text = (_("{counsellor} already has an appointment with {client} from {start} to {end}.")
                    if client else _("{counsellor} already has an appointment from {start} to {end}."))  # fmt: skip
        found.append(Overlap("counsellor", a.id, a.starts_at, end_of(a), text.format(**values)))
    for a in theirs:
        values = {**span(a), "counsellor": names.get(a.counsellor_id, "")}
        if actor is not None and a.counsellor_id == actor.counsellor_id:
            text = _("The client already has an appointment then, with you, from {start} to {end}.")
        else:
            text = _("The client already has an appointment then, with {counsellor}, from {start} "
                     "to {end}.")  # fmt: skip
        found.append(Overlap("client", a.id, a.starts_at, end_of(a), text.format(**values)))
    return found


def office_hours(draft: Draft, policy: ContactPolicy, tz: str = DEFAULT_TIME_ZONE) -> list[str]:
    start = draft.starts_at.astimezone(ZoneInfo(tz))
    end = draft.ends_at.astimezone(ZoneInfo(tz))
    if start.isoweekday() not in policy.office_days:
        return [_("This day is outside the office days.")]
    if (
        start.time() < policy.office_start
        or end.time() > policy.office_end
        or end.date() != start.date()
    ):
        return [_("Outside office hours ({start}–{end}).").format(
            start=f"{policy.office_start:%H:%M}", end=f"{policy.office_end:%H:%M}")]  # fmt: skip
    return []


def warnings(
    session: Session, draft: Draft, *, actor: Actor | None = None,
    policy: ContactPolicy | None = None, tz: str = DEFAULT_TIME_ZONE,
) -> list[str]:  # fmt: skip
    """Every warning as a sentence: who is double-booked, then office hours."""
    policy = policy or contact_policy.load(session)
    found = [o.message for o in overlaps(session, draft, actor=actor, tz=tz)]
    return found + office_hours(draft, policy, tz)
