"""The actions a run suggests, taken from its result: an action point naming type and province
while the catalogue has no offer to refer to (the referral itself: test_referral_draft), action
points with a due date, the e-mail status, a consent; each noted in the run."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ActionPoint, Client, Consent, ScriptRun
from app.models.enums import ConsentPurpose, EmailStatus, ScriptChannel
from app.services.caseload import clients
from app.services.clock import local_today
from app.services.errors import ValidationFailed
from app.services.scripts import actions, runs
from app.services.scripts.definition import Script
from app.services.scripts.loader import load_catalogue
from tests.helpers import actor


@pytest.fixture(scope="module")
def script() -> Script:
    return load_catalogue().get("digital-profile")


@pytest.fixture
def finished(session: Session, make_counsellor, script: Script):  # type: ignore[no-untyped-def]
    """A low-literate client in Ghent (East Flanders) who relies on her son."""
    anna = actor(make_counsellor("anna", "Anna Aerts"))
    client = clients.create_client(session, {"given_name": "Amina", "family_name": "El Idrissi",
                                             "postal_code": "9000", "municipality": "Gent"},
                                   referent_id=anna.counsellor_id, actor=anna)  # fmt: skip
    run = runs.start(session, anna, client.id, script, ScriptChannel.IN_PERSON)
    runs.answer_all(session, anna, run, script, {"has_email": "yes", "email_alone": "done_for_me"})
    runs.finish(session, anna, run, script)
    session.commit()
    return anna, client, run


def test_without_an_offer_an_action_point_to_find_one(
    session: Session, script: Script, finished: tuple[object, Client, ScriptRun]
) -> None:
    anna, _client, run = finished
    said = actions.offer_to_find(session, anna, run, script, "refer_digitally_low_literate")  # type: ignore[arg-type]
    point = session.scalars(select(ActionPoint)).one()
    assert point.title == "Refer to the “Digitally low-literate” offer in East Flanders"
    assert point.script_run_id == run.id and point.due_on == local_today() + dt.timedelta(days=14)
    assert said == f"Action point made: {point.title}."
    assert run.actions_taken[-1]["action"] == "refer_digitally_low_literate"


def test_email_status_consent_and_action_point(
    session: Session, script: Script, finished: tuple[object, Client, ScriptRun]
) -> None:
    anna, client, run = finished
    actions.set_email_status(session, anna, run, script, "email_status_known")  # type: ignore[arg-type]
    assert client.email_status == EmailStatus.HAS_EMAIL
    actions.record_consent(session, anna, run, script, "mails_through_helper", note="son Karim")  # type: ignore[arg-type]
    consent = session.scalars(select(Consent)).one()
    assert (
        consent.purpose == ConsentPurpose.MESSAGES_VIA_SUPPORT_PERSON
        and consent.note == "son Karim"
    )
    with pytest.raises(ValidationFailed) as refused:
        actions.action_point(session, anna, run, " ", local_today() - dt.timedelta(days=1))  # type: ignore[arg-type]
    assert set(refused.value.errors) == {"title", "due_on"}
    actions.action_point(session, anna, run, "Open a mailbox with Karim", local_today())  # type: ignore[arg-type]
    assert [t["action"] for t in run.actions_taken] == [
        "email_status_known", "mails_through_helper", "action_point"]  # fmt: skip
