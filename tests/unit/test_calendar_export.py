"""The iCalendar export: local times that hold across a daylight-saving change, UIDs that
stay the same from one export to the next, no client name unless the setting allows it."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
from sqlalchemy.orm import Session

from app.models.agenda_enums import AppointmentChannel, AppointmentPurpose
from app.models.enums import AppointmentStatus, CounsellorRole
from app.services import org_settings
from app.services.caseload import clients
from app.services.contact import appointments, calendar_export, contact_policy
from app.services.contact.appointments import Draft
from tests.helpers import actor

BXL = ZoneInfo("Europe/Brussels")


def events(data: bytes) -> list[Any]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def test_export_across_daylight_saving(session: Session, make_counsellor: Any) -> None:
    person = make_counsellor("ann")
    person.role = CounsellorRole.ADMIN
    who = actor(person)
    made = clients.create_client(session, {"given_name": "Oleksandr", "family_name": "Petrenko"},
                                 actor=who, referent_id=who.counsellor_id)  # fmt: skip
    before = dt.datetime(2026, 10, 23, 10, tzinfo=BXL)  # summer time, UTC+2
    after = dt.datetime(2026, 10, 26, 10, tzinfo=BXL)  # winter time, UTC+1
    ids = [appointments.plan(session, who, Draft(made.id, who.counsellor_id, start, 45,
                                                 AppointmentChannel.PHONE, AppointmentPurpose.FOLLOW_UP)).id
           for start in (before, after)]  # fmt: skip
    appointments.set_status(session, who, ids[0], AppointmentStatus.CANCELLED_BY_US)
    session.commit()
    first, count = calendar_export.export(
        session, who, who.counsellor_id, dt.date(2026, 10, 20), dt.date(2026, 10, 31)
    )
    session.commit()
    assert count == 2
    found = events(first)
    starts = [e.decoded("dtstart") for e in found]
    assert [(s.hour, s.utcoffset()) for s in starts] == [
        (10, dt.timedelta(hours=2)),
        (10, dt.timedelta(hours=1)),
    ]
    assert all(str(s.tzinfo) == "Europe/Brussels" for s in starts)
    assert b"BEGIN:VTIMEZONE" in first and b"TZID:Europe/Brussels" in first
    assert [str(e["status"]) for e in found] == ["CANCELLED", "CONFIRMED"]
    assert b"Petrenko" not in first and made.dossier in str(found[1]["summary"])
    assert [e.decoded("dtend") - e.decoded("dtstart") for e in found] == [
        dt.timedelta(minutes=45)
    ] * 2

    org_settings.update(session, {contact_policy.CALENDAR_CLIENT_NAMES: "yes"}, actor=who)
    second, _count = calendar_export.export(
        session, who, who.counsellor_id, dt.date(2026, 10, 20), dt.date(2026, 10, 31)
    )
    assert [str(e["uid"]) for e in events(second)] == [str(e["uid"]) for e in found]
    assert len({str(e["uid"]) for e in found}) == 2
    assert "Oleksandr Petrenko" in str(events(second)[1]["summary"])
