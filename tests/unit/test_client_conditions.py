"""How to reach a client and their practical conditions for work: validated like every field,
stored in the enum's order, refused as a whole when one value is wrong."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from app.models import Client
from app.services.caseload import clients
from app.services.errors import ValidationFailed
from tests.helpers import actor

pytestmark = pytest.mark.both_backends


@pytest.fixture
def made(session: Session, make_counsellor, today: dt.date):  # type: ignore[no-untyped-def]
    anna = make_counsellor("anna", "Anna Aerts")
    client = clients.create_client(session, {"given_name": "Olena", "family_name": "Kovalenko"},
                                   referent_id=anna.id, today=today, actor=actor(anna))  # fmt: skip
    session.commit()
    return client, actor(anna)


def test_conditions_are_stored_normalised(session: Session, made: tuple[Client, object]) -> None:
    client, who = made
    clients.update_client(session, client.id, {
        "contact_channels": "messaging_app, phone", "key_person": "  Iryna (sister) 0470 12 34 56 ",
        "driving_licence": "no", "transport": ["public_transport", "bicycle"],
        "max_travel_minutes": "45", "working_hours": ["weekend", "day"],
    }, actor=who)  # type: ignore[arg-type]  # fmt: skip
    session.commit()
    session.refresh(client)
    assert client.contact_channels == ["phone", "messaging_app"]
    assert client.key_person == "Iryna (sister) 0470 12 34 56"
    assert client.driving_licence is False
    assert client.transport == ["bicycle", "public_transport"]
    assert client.max_travel_minutes == 45
    assert client.working_hours == ["day", "weekend"]


def test_a_wrong_value_names_its_field_and_nothing_changes(
    session: Session, made: tuple[Client, object]
) -> None:
    client, who = made
    with pytest.raises(ValidationFailed) as caught:
        clients.update_client(session, client.id, {
            "transport": ["car", "helicopter"], "max_travel_minutes": "an hour",
            "driving_licence": "maybe", "key_person": "Iryna",
        }, actor=who)  # type: ignore[arg-type]  # fmt: skip
    session.rollback()
    errors = caught.value.errors
    assert errors["transport"].startswith("Means of transport: helicopter is not one of")
    assert errors["max_travel_minutes"] == (
        "Longest travel time (minutes): give a whole number of minutes, e.g. 45."
    )
    assert "yes or no" in errors["driving_licence"]
    session.refresh(client)
    assert client.key_person is None and client.transport == []
    with pytest.raises(ValidationFailed, match="from 1 to 240"):
        clients.update_client(session, client.id, {"max_travel_minutes": 600}, actor=who)  # type: ignore[arg-type]
