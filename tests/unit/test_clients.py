"""Client files: creation with a referent, validated edits, nothing changes on bad input."""

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from app.models.enums import ClientStatus, EmailStatus, Province
from app.services import org_settings
from app.services.caseload import clients
from app.services.demo.generator import belgian_national_number
from app.services.errors import Conflict, ValidationFailed
from tests.helpers import actor

pytestmark = pytest.mark.both_backends


def test_create_assigns_dossier_number_and_referent(
    session: Session, make_counsellor, today
) -> None:
    anna = make_counsellor("anna")
    first = clients.create_client(
        session,
        {"given_name": "Ayşe", "family_name": "Yılmaz"},
        referent_id=anna.id,
        today=today,
        actor=actor(anna),
    )
    second = clients.create_client(
        session,
        {"given_name": "Jan", "family_name": "Peeters"},
        referent_id=anna.id,
        today=today,
        actor=actor(anna),
    )
    session.commit()
    assert first.dossier == "T-2026-000001"
    assert second.dossier == "T-2026-000002"
    assert [a.counsellor_id for a in first.assignments] == [anna.id]


def test_create_refuses_missing_names_and_keeps_database_unchanged(
    session: Session, make_counsellor, today
) -> None:
    anna = make_counsellor("anna")
    with pytest.raises(ValidationFailed) as err:
        clients.create_client(
            session,
            {"given_name": " ", "family_name": "", "email": "x@"},
            referent_id=anna.id,
            today=today,
            actor=actor(anna),
        )
    assert set(err.value.errors) == {"given_name", "family_name", "email"}
    assert err.value.errors["given_name"].startswith("Given name:")
    session.rollback()
    assert clients.next_dossier_number(session, 2026) == "T-2026-000001"


def test_update_normalises_and_derives(session: Session, make_counsellor, today) -> None:
    anna = make_counsellor("anna")
    client = clients.create_client(
        session,
        {"given_name": "Nour", "family_name": "El Amrani"},
        referent_id=anna.id,
        today=today,
        actor=actor(anna),
    )
    clients.update_client(
        session,
        client.id,
        {"phone": "0470 12 34 56", "postal_code": "2060", "email": "Nour@Example.be"},
        today=today,
        actor=actor(anna),
    )
    session.commit()
    assert client.phone == "+32470123456"
    assert client.province == Province.ANTWERP
    assert client.email == "Nour@example.be"
    assert client.email_status == EmailStatus.HAS_EMAIL


def test_invalid_field_changes_nothing(session: Session, make_counsellor, today) -> None:
    anna = make_counsellor("anna")
    client = clients.create_client(
        session,
        {"given_name": "Nour", "family_name": "El Amrani", "email": "nour@example.be"},
        referent_id=anna.id,
        today=today,
        actor=actor(anna),
    )
    session.commit()
    version = client.version
    with pytest.raises(ValidationFailed) as err:
        clients.update_client(
            session,
            client.id,
            {"email": "nour@", "municipality": "Gent"},
            today=today,
            actor=actor(anna),
        )
    session.rollback()
    assert "email" in err.value.errors
    assert client.email == "nour@example.be" and client.municipality is None
    assert client.version == version


def test_without_email_status_conflicts_with_an_address(
    session: Session, make_counsellor, today
) -> None:
    anna = make_counsellor("anna")
    client = clients.create_client(
        session,
        {"given_name": "A", "family_name": "B", "email": "a@example.be"},
        referent_id=anna.id,
        today=today,
        actor=actor(anna),
    )
    session.commit()
    with pytest.raises(ValidationFailed) as err:
        clients.update_client(
            session,
            client.id,
            {"email_status": EmailStatus.WITHOUT_EMAIL_UNABLE},
            today=today,
            actor=actor(anna),
        )
    assert "clear the e-mail" in err.value.errors["email_status"]
    session.rollback()
    clients.update_client(
        session,
        client.id,
        {"email": "", "email_status": "without_email_training"},
        today=today,
        actor=actor(anna),
    )
    assert client.email is None and client.email_status == EmailStatus.WITHOUT_EMAIL_TRAINING


def test_national_number_off_unless_switched_on(session: Session, make_counsellor, today) -> None:
    anna = make_counsellor("anna")
    birth = dt.date(1985, 7, 30)
    number = belgian_national_number(birth, 33)
    client = clients.create_client(
        session,
        {"given_name": "A", "family_name": "B", "birth_date": birth},
        referent_id=anna.id,
        today=today,
        actor=actor(anna),
    )
    session.commit()
    with pytest.raises(ValidationFailed) as err:
        clients.update_client(
            session, client.id, {"national_number": number}, today=today, actor=actor(anna)
        )
    assert "does not record national numbers" in err.value.errors["national_number"]
    session.rollback()
    org_settings.put(session, org_settings.NATIONAL_NUMBER_ENABLED, "1")
    clients.update_client(
        session, client.id, {"national_number": number}, today=today, actor=actor(anna)
    )
    assert client.national_number == number and client.national_number_country == "BE"
    with pytest.raises(ValidationFailed) as err:
        clients.update_client(
            session, client.id, {"birth_date": dt.date(1985, 7, 31)}, today=today, actor=actor(anna)
        )
    assert err.value.errors["birth_date"].startswith("Date of birth:")


def test_stale_version_is_a_conflict(session: Session, make_counsellor, today) -> None:
    anna = make_counsellor("anna")
    client = clients.create_client(
        session,
        {"given_name": "A", "family_name": "B"},
        referent_id=anna.id,
        today=today,
        actor=actor(anna),
    )
    session.commit()
    with pytest.raises(Conflict):
        clients.update_client(
            session,
            client.id,
            {"municipality": "Gent"},
            expected_version=client.version - 1,
            actor=actor(anna),
        )


def test_closing_sets_the_date(session: Session, make_counsellor, today) -> None:
    anna = make_counsellor("anna")
    client = clients.create_client(
        session,
        {"given_name": "A", "family_name": "B"},
        referent_id=anna.id,
        today=today,
        actor=actor(anna),
    )
    clients.close_client(session, client.id, today=today, actor=actor(anna))
    assert client.status == ClientStatus.CLOSED and client.closed_on == today
