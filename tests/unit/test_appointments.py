"""Appointments: overlap and office-hour warnings, the policy's channels and contact points,
moves kept in the history, no-shows counted, and the agenda of one counsellor."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session

from app.models.agenda_enums import AppointmentChannel as Chan
from app.models.agenda_enums import AppointmentPurpose as Purpose
from app.models.enums import AppointmentStatus, CounsellorRole
from app.services import org_settings
from app.services.caseload import clients
from app.services.contact import appointments, contact_policy
from app.services.contact.appointments import Draft
from app.services.errors import Forbidden, ValidationFailed
from tests.helpers import actor

pytestmark = pytest.mark.both_backends

BXL = ZoneInfo("Europe/Brussels")


def at(day: int, hour: int, minute: int = 0, month: int = 11) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=BXL)


@pytest.fixture
def who(session: Session, make_counsellor: Any) -> Any:
    person = make_counsellor("ann")
    person.role = CounsellorRole.ADMIN  # may set the policy, otherwise a counsellor
    session.commit()
    return actor(person)


def client(session: Session, who: Any, name: str = "Haddad") -> int:
    made = clients.create_client(session, {"given_name": "Amira", "family_name": name},
                                 actor=who, referent_id=who.counsellor_id)  # fmt: skip
    session.commit()
    return made.id


def draft(who: Any, client_id: int, start: dt.datetime, minutes: int = 60, **kw: Any) -> Draft:
    return Draft(client_id, who.counsellor_id, start, minutes, kw.pop("channel", Chan.PHONE),
                 kw.pop("purpose", Purpose.FOLLOW_UP), **kw)  # fmt: skip


def test_overlap_of_the_counsellor_and_of_the_client_are_warned(session: Session, who: Any,
                                                                make_counsellor: Any) -> None:  # fmt: skip
    first, second = client(session, who), client(session, who, "Petrenko")
    appointments.plan(session, who, draft(who, first, at(24, 10)))
    assert appointments.warnings(session, draft(who, second, at(24, 10, 30)), actor=who) == [
        "You already have an appointment with Amira Haddad from 10:00 to 11:00."
    ]
    assert appointments.warnings(session, draft(who, second, at(24, 11)), actor=who) == []
    colleague = actor(make_counsellor("bob", "Bob Claes"))
    other = Draft(
        first, colleague.counsellor_id, at(24, 10, 15), 30, Chan.PHONE, Purpose.ENTRY_TEST
    )
    assert appointments.warnings(session, other, actor=colleague) == [
        "The client already has an appointment then, with Ann, from 10:00 to 11:00."
    ]


def test_cancelled_appointments_do_not_overlap(session: Session, who: Any) -> None:
    first = client(session, who)
    made = appointments.plan(session, who, draft(who, first, at(24, 10)))
    appointments.set_status(session, who, made.id, AppointmentStatus.CANCELLED_BY_CLIENT)
    assert appointments.warnings(session, draft(who, first, at(24, 10))) == []


def test_outside_office_hours_and_days(session: Session, who: Any) -> None:
    first = client(session, who)
    assert appointments.warnings(session, draft(who, first, at(24, 16, 30))) == [
        "Outside office hours (08:30–17:00)."
    ]
    assert appointments.warnings(session, draft(who, first, at(24, 8))) == [
        "Outside office hours (08:30–17:00)."
    ]
    assert appointments.warnings(session, draft(who, first, at(28, 10))) == [
        "This day is outside the office days."
    ]
    org_settings.update(
        session,
        {contact_policy.OFFICE_HOURS: "08:00-18:00", contact_policy.OFFICE_DAYS: "1,2,3,4,5,6"},
        actor=who,
    )
    assert appointments.warnings(session, draft(who, first, at(28, 8))) == []


def test_policy_channels_and_contact_points(session: Session, who: Any) -> None:
    first = client(session, who)
    points = [{"name": "Contactpunt Gent", "address": "Kortrijksesteenweg 1\n9000 Gent"}]
    allowed = ",".join(c.value for c in contact_policy.POLICY_CHANNELS if c.value != "home_visit")
    org_settings.update(session, {contact_policy.CONTACT_POINTS: json.dumps(points),
                                  contact_policy.ALLOWED_CHANNELS: allowed}, actor=who)  # fmt: skip
    with pytest.raises(ValidationFailed) as refused:
        appointments.plan(session, who, draft(who, first, at(24, 10), channel=Chan.HOME_VISIT))
    assert "Channel:" in refused.value.errors["channel"]
    with pytest.raises(ValidationFailed) as refused:
        appointments.plan(session, who, draft(who, first, at(24, 10), channel=Chan.IN_PERSON))
    assert refused.value.errors == {
        "location": "Place: choose the contact point where you receive the client."
    }
    made = appointments.plan(session, who, draft(who, first, at(24, 10), channel=Chan.IN_PERSON,
                                                 location="Contactpunt Gent"))  # fmt: skip
    assert made.location == "Contactpunt Gent"


def test_bad_input_changes_nothing(session: Session, who: Any) -> None:
    first = client(session, who)
    with pytest.raises(ValidationFailed) as refused:
        appointments.plan(session, who, draft(who, first, at(24, 10), minutes=2, note="x" * 3000))
    assert set(refused.value.errors) == {"duration_minutes", "note"}
    assert appointments.for_client(session, first) == []


def test_move_keeps_the_old_one_as_moved_and_no_shows_are_counted(
    session: Session, who: Any
) -> None:
    first = client(session, who)
    made = appointments.plan(session, who, draft(who, first, at(24, 10)))
    moved = appointments.move(session, who, made.id, at(25, 14))
    assert made.status == AppointmentStatus.MOVED and moved.status == AppointmentStatus.PLANNED
    assert moved.starts_at == at(25, 14)
    appointments.set_status(session, who, moved.id, AppointmentStatus.NO_SHOW)
    assert appointments.no_shows(session, first) == 1


def test_agenda_is_ones_own_or_a_team_leads(
    session: Session, who: Any, make_counsellor: Any
) -> None:
    first = client(session, who)
    appointments.plan(session, who, draft(who, first, at(24, 10)))
    appointments.plan(session, who, draft(who, first, at(30, 10)))
    week = appointments.agenda(session, who, who.counsellor_id, at(23, 0), at(30, 0))
    assert [item.starts_at for item in week] == [at(24, 10)]
    assert week[0].client_name == "Amira Haddad"
    with pytest.raises(Forbidden):
        appointments.agenda(
            session, actor(make_counsellor("bob")), who.counsellor_id, at(23, 0), at(30, 0)
        )
