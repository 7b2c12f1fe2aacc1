"""A client who needs an interpreter (source 002) is known as such where the client is served:
the service tells the desk and the appointment form in which language, and the agenda's items
carry it; a client who does not need one carries nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session

from app.models import Client
from app.models.agenda_enums import AppointmentChannel, AppointmentPurpose
from app.services.caseload import clients
from app.services.contact import appointments
from app.services.contact.appointments import Draft, Interpreter
from tests.helpers import actor

pytestmark = pytest.mark.both_backends

BXL = ZoneInfo("Europe/Brussels")


def client(session: Session, who: Any, family: str, language: str | None, needed: bool) -> int:
    made = clients.create_client(session, {"given_name": "Amina", "family_name": family,
                                           "contact_language": language},
                                 actor=who, referent_id=who.counsellor_id)  # fmt: skip
    session.flush()
    session.get(Client, made.id).interpreter_needed = needed  # type: ignore[union-attr]
    session.commit()
    return made.id


def test_the_interpreter_and_its_language_reach_the_agenda(
    session: Session, make_counsellor: Any
) -> None:
    who = actor(make_counsellor("ann"))
    somali = client(session, who, "Warsame", "Somali", needed=True)
    unknown = client(session, who, "Haile", None, needed=True)
    dutch = client(session, who, "Peeters", "nl", needed=False)
    assert session.get(Client, somali).contact_language == "so"  # typed by name, kept as code
    assert appointments.interpreter(session, somali) == Interpreter("so")
    assert appointments.interpreter(session, unknown) == Interpreter(None)
    assert appointments.interpreter(session, dutch) is None
    assert appointments.interpreter(session, None) is None
    start = dt.datetime(2026, 11, 24, 9, tzinfo=BXL)
    for hour, client_id in enumerate((somali, unknown, dutch)):
        appointments.plan(session, who, Draft(client_id, who.counsellor_id, start + dt.timedelta(hours=hour),
                                              45, AppointmentChannel.PHONE, AppointmentPurpose.INTAKE))  # fmt: skip
    session.commit()
    day = appointments.agenda(session, who, who.counsellor_id, start, start + dt.timedelta(days=1))
    assert [(i.client_id, i.interpreter) for i in day] == [
        (somali, Interpreter("so")), (unknown, Interpreter(None)), (dutch, None)
    ]  # fmt: skip
