"""Script runs: each answer stored as it is given, resumed, finished with its reasons,
overridden with a reason; only by who may work on the file."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy.orm import Session

from app.models import Client
from app.models.enums import ScriptChannel
from app.services.caseload import clients
from app.services.errors import Conflict, ValidationFailed
from app.services.privacy.access import BreakGlassRequired
from app.services.scripts import runs
from app.services.scripts.definition import Script
from app.services.scripts.loader import load_catalogue
from tests.helpers import actor

pytestmark = pytest.mark.both_backends


@pytest.fixture(scope="module")
def script() -> Script:
    return load_catalogue().get("digital-profile")


@pytest.fixture
def client(session: Session, make_counsellor, today: dt.date) -> Client:  # type: ignore[no-untyped-def]
    anna = make_counsellor("anna", "Anna Aerts")
    made = clients.create_client(session, {"given_name": "Ayşe", "family_name": "Yılmaz"},
                                 referent_id=anna.id, today=today, actor=actor(anna))  # fmt: skip
    session.commit()
    return made


def anna(session: Session) -> Any:
    from app.models import Counsellor

    return actor(session.query(Counsellor).filter_by(login="anna").one())


def test_answers_are_stored_one_by_one_and_the_run_resumes(
    session: Session, client: Client, script: Script
) -> None:
    who = anna(session)
    run = runs.start(session, who, client.id, script, ScriptChannel.PHONE)
    runs.answer(session, who, run, script, "has_email", "yes")
    session.commit()
    runs.answer(
        session,
        who,
        run,
        script,
        "email_skills",
        ["send", "receive"],
        note="Leest op de gsm van haar zoon",
    )
    session.commit()
    again = runs.unfinished(session, client.id, "digital-profile")
    assert again is not None and again.id == run.id and again.channel == "phone"
    assert runs.answers(session, run.id) == {
        "has_email": "yes",
        "email_skills": ["receive", "send"],
    }
    assert runs.notes(session, run.id) == {"email_skills": "Leest op de gsm van haar zoon"}
    runs.answer(
        session, who, run, script, "has_email", "no"
    )  # a changed answer replaces the old one
    runs.answer(session, who, run, script, "email_skills", [])  # and an empty one takes it back
    assert runs.answers(session, run.id) == {"has_email": "no"}


def test_finishing_stores_the_result_with_its_reasons(
    session: Session, client: Client, script: Script
) -> None:
    who = anna(session)
    run = runs.start(session, who, client.id, script, ScriptChannel.IN_PERSON)
    runs.answer_all(
        session, who, run, script, {"has_email": "no", "home_internet": "no", "other_places": "no"}
    )
    outcome = runs.finish(session, who, run, script)
    session.commit()
    assert run.result == "low_literate" and run.result_reasons == ["Has no e-mail address."]
    assert run.flags == [
        {"id": "lacks_means", "reasons": ["No internet at home and no other place to go online."]}
    ]
    assert "refer_digitally_low_literate" in [a.id for a in outcome.actions]
    assert runs.unfinished(session, client.id, "digital-profile") is None
    with pytest.raises(Conflict):
        runs.answer(session, who, run, script, "has_email", "yes")
    with pytest.raises(ValidationFailed) as refused:
        runs.override(session, who, run, script, "basic_skills", "no")
    assert set(refused.value.errors) == {"override_reason"}
    runs.override(
        session, who, run, script, "basic_skills", "Has e-mail on her new phone since yesterday"
    )
    assert run.override_result == "basic_skills"


@pytest.mark.parametrize(
    ("question", "value", "problem"),
    [("has_email", "maybe", "choose one of the answers offered"),
     ("email_skills", ["send", "fax"], "choose among the answers offered"),
     ("websites", "x" * 2001, "at most 2000 characters")],
)  # fmt: skip
def test_a_bad_answer_names_the_question_and_changes_nothing(
    session: Session, client: Client, script: Script, question: str, value: Any, problem: str
) -> None:
    who = anna(session)
    run = runs.start(session, who, client.id, script, ScriptChannel.PAPER)
    with pytest.raises(ValidationFailed) as refused:
        runs.answer_all(session, who, run, script, {"has_email": "yes", question: value})
    assert problem in refused.value.errors[question]
    assert runs.answers(session, run.id) == {}  # the good answer was not stored either


def test_a_colleague_needs_a_reason_to_run_a_script_with_someone_elses_client(
    session: Session, client: Client, script: Script, make_counsellor
) -> None:  # type: ignore[no-untyped-def]
    colleague = actor(make_counsellor("cas"))
    with pytest.raises(BreakGlassRequired):
        runs.start(session, colleague, client.id, script, ScriptChannel.IN_PERSON)
