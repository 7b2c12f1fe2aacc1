"""Referent and backup: one current referent, a limited backup, history and continuity."""

import datetime as dt

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models import Assignment
from app.models.enums import AssignmentReason, AssignmentRole
from app.services.caseload import assignments, clients, continuity
from app.services.errors import ValidationFailed
from tests.helpers import actor

pytestmark = pytest.mark.both_backends


@pytest.fixture
def client_of_anna(session: Session, make_counsellor, today):  # type: ignore[no-untyped-def]
    anna = make_counsellor("anna", "Anna Aerts")
    client = clients.create_client(
        session,
        {"given_name": "Łukasz", "family_name": "Wiśniewski"},
        referent_id=anna.id,
        today=today,
        actor=actor(anna),
    )
    session.commit()
    return client, anna


def test_reassignment_closes_previous_period(
    session: Session, make_counsellor, client_of_anna, today, lead
) -> None:
    client, _anna = client_of_anna
    bart = make_counsellor("bart", "Bart Baert")
    later = today + dt.timedelta(days=30)
    assignments.assign_referent(session, client.id, bart.id, on=later, actor=lead)
    session.commit()
    periods = assignments.history(session, client.id)
    assert [(p.counsellor_name, p.starts_on, p.ends_on) for p in periods] == [
        ("Bart Baert", later, None),
        ("Anna Aerts", today, later),
    ]
    assert assignments.current_referent(session, client.id).counsellor_id == bart.id
    assert continuity.counsellors_for_client(session, client.id) == 2


def test_database_refuses_two_open_referents(
    session: Session, make_counsellor, client_of_anna, today
) -> None:
    client, _anna = client_of_anna
    bart = make_counsellor("bart")
    session.add(Assignment(client_id=client.id, counsellor_id=bart.id, role=AssignmentRole.REFERENT,
                           reason=AssignmentReason.REASSIGNMENT, starts_on=today))  # fmt: skip
    with pytest.raises(IntegrityError):
        session.flush()


def test_same_referent_again_is_refused(session: Session, client_of_anna, lead) -> None:
    client, anna = client_of_anna
    with pytest.raises(ValidationFailed, match="already the referent"):
        assignments.assign_referent(session, client.id, anna.id, actor=lead)


def test_backup_is_limited_and_counts_for_continuity(
    session: Session, make_counsellor, client_of_anna, today
) -> None:
    client, anna = client_of_anna
    carla = make_counsellor("carla")
    with pytest.raises(ValidationFailed, match="within"):
        assignments.set_backup(
            session,
            client.id,
            carla.id,
            until=today + dt.timedelta(days=400),
            on=today,
            actor=actor(anna),
        )
    with pytest.raises(ValidationFailed, match="own backup"):
        assignments.set_backup(
            session,
            client.id,
            anna.id,
            until=today + dt.timedelta(days=7),
            on=today,
            actor=actor(anna),
        )
    assignments.set_backup(
        session,
        client.id,
        carla.id,
        until=today + dt.timedelta(days=14),
        on=today,
        actor=actor(anna),
    )
    session.commit()
    assert assignments.current_backup(session, client.id, today).counsellor_id == carla.id
    assert assignments.current_backup(session, client.id, today + dt.timedelta(days=14)) is None
    assert continuity.counsellors_for_client(session, client.id) == 2
    assignments.end_backup(session, client.id, on=today + dt.timedelta(days=3), actor=actor(anna))
    assert assignments.current_backup(session, client.id, today + dt.timedelta(days=3)) is None


def test_caseload_continuity_figures(
    session: Session, make_counsellor, client_of_anna, today, lead
) -> None:
    client, anna = client_of_anna
    bart = make_counsellor("bart")
    other = clients.create_client(
        session,
        {"given_name": "Jan", "family_name": "Peeters"},
        referent_id=anna.id,
        today=today,
        actor=actor(anna),
    )
    assignments.assign_referent(
        session, client.id, bart.id, on=today + dt.timedelta(days=1), actor=lead
    )
    session.commit()
    figures = continuity.caseload_continuity(session)
    assert figures.clients == 2
    assert figures.distribution == {1: 1, 2: 1}
    assert figures.mean == 1.5 and figures.median == 1.5 and figures.maximum == 2
    assert figures.share_with_one == 0.5
    assert continuity.counsellors_for_client(session, other.id) == 1


def test_a_note_cannot_pose_as_an_import_tag(
    session: Session, make_counsellor, client_of_anna, today
) -> None:  # type: ignore[no-untyped-def]
    """A client marked with an unfinished import's tag is removed by the next import: a
    counsellor typing that tag as a note could get a client deleted without erasing it."""
    from app.services.reliability import import_runs

    client, anna = client_of_anna
    carla = make_counsellor("carla")
    for forged in (import_runs.RUN_TAG + "x", "Traject-Import-Run:y"):
        with pytest.raises(ValidationFailed, match="Note: ") as refused:
            assignments.set_backup(session, client.id, carla.id, until=today + dt.timedelta(days=7),
                                   on=today, actor=actor(anna), note=forged)  # fmt: skip
        assert list(refused.value.errors) == ["note"]
