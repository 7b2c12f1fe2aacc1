"""The newcomer first-contact script (sources 002 and 000): every result and flag from answer
sets, each follow-up only when relevant, and the answers filling in the client file."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy.orm import Session

from app.models.enums import EmploymentSituation, ScriptChannel
from app.services.caseload import clients
from app.services.errors import ValidationFailed
from app.services.scripts import runs
from app.services.scripts.definition import Script
from app.services.scripts.engine import client_changes, outcome, visible
from app.services.scripts.loader import load_catalogue
from tests.helpers import actor


@pytest.fixture(scope="module")
def script() -> Script:
    return load_catalogue().get("newcomer-first-contact")


READY: dict[str, Any] = {
    "channels": ["phone", "messaging_app"], "whatsapp_consent": "yes", "has_key_person": "no",
    "work_situation": "unemployed", "income_lost": "no", "declined_something": "no",
    "driving_licence": "no", "transport": ["bicycle", "public_transport"], "max_travel": 45,
    "working_hours": ["day", "weekend"],
}  # fmt: skip


def shown(script: Script, answers: dict[str, Any]) -> set[str]:
    return {q.id for _step, questions in visible(script, answers) for q in questions}


def test_ready_when_nothing_stands_in_the_way(script: Script) -> None:
    result = outcome(script, READY)
    assert result.result.id == "ready" and result.flags == ()
    assert [a.id for a in result.actions] == ["whatsapp_consent"]


@pytest.mark.parametrize(
    ("reason", "said", "action"),
    [("childcare", "Declined because of childcare.", "refer_childcare"),
     ("travel_money", "Declined for lack of money to travel.", "refer_welfare_travel"),
     ("fear_wrong_info", "Declined out of fear based on wrong information.", "correct_information"),
     ("language", "Declined because of the language.", "refer_dutch"),
     ("health", "Declined for health reasons.", None)],
)  # fmt: skip
def test_each_real_reason_for_declining_is_a_barrier_with_its_action(
    script: Script, reason: str, said: str, action: str | None
) -> None:
    result = outcome(script, {**READY, "declined_something": "yes", "declined_reason": [reason]})
    assert result.result.id == "barriers" and result.result.reasons == (said,)
    if action:
        assert action in [a.id for a in result.actions]


def test_unknown_transport_or_hours_is_a_barrier_too(script: Script) -> None:
    answers = {k: v for k, v in READY.items() if k not in ("transport", "working_hours")}
    assert outcome(script, answers).result.reasons == (
        "No way to get to work was given.", "No hours to work were given.")  # fmt: skip


@pytest.mark.parametrize(
    ("change", "reason"),
    [({"work_situation": "zero_hours_contract"}, "Has a zero-hours contract."),
     ({"work_situation": "temporary_contract"}, "Has a temporary contract."),
     ({"income_lost": "yes"}, "Has lost (part of) their income.")],
)  # fmt: skip
def test_zero_hours_temporary_or_lost_income_asks_to_check_finances(
    script: Script, change: dict[str, str], reason: str
) -> None:
    result = outcome(script, {**READY, **change})
    assert [(f.id, f.reasons) for f in result.flags] == [("check_finances", (reason,))]
    assert "financial_talk" in [a.id for a in result.actions]


def test_key_person_and_not_wanting_are_flagged(script: Script) -> None:
    answers = {**READY, "has_key_person": "yes", "key_person": "Samira, neighbour, 0485 11 22 33",
               "declined_something": "yes", "declined_reason": ["did_not_want"]}  # fmt: skip
    result = outcome(script, answers)
    assert result.result.id == "ready"
    assert [f.id for f in result.flags] == ["reach_through_key_person", "did_not_want"]


@pytest.mark.parametrize(
    ("follow_up", "without", "with_"),
    [("whatsapp_consent", {"channels": ["phone"]}, {"channels": ["phone", "messaging_app"]}),
     ("key_person", {"has_key_person": "no"}, {"has_key_person": "yes"}),
     ("financial_questions", {"work_situation": "employed", "income_lost": "no"},
      {"work_situation": "zero_hours_contract", "income_lost": "no"}),
     ("financial_questions", {"income_lost": "no"}, {"income_lost": "yes"}),
     ("declined_reason", {"declined_something": "no"}, {"declined_something": "yes"})],
)  # fmt: skip
def test_each_follow_up_appears_only_when_relevant(
    script: Script, follow_up: str, without: dict[str, Any], with_: dict[str, Any]
) -> None:
    assert follow_up not in shown(script, without)
    assert follow_up in shown(script, with_)


def test_finishing_fills_in_the_client_file(
    session: Session, make_counsellor, script: Script
) -> None:  # type: ignore[no-untyped-def]
    anna = actor(make_counsellor("anna", "Anna Aerts"))
    client = clients.create_client(session, {"given_name": "Olena", "family_name": "Kovalenko"},
                                   referent_id=anna.counsellor_id, actor=anna)  # fmt: skip
    answers = {**READY, "has_key_person": "yes", "key_person": "Iryna (sister), 0470 12 34 56",
               "work_situation": "zero_hours_contract"}  # fmt: skip
    assert client_changes(script, answers)["driving_licence"] is False
    run = runs.start(session, anna, client.id, script, ScriptChannel.PHONE)
    runs.answer_all(session, anna, run, script, answers)
    runs.finish(session, anna, run, script)
    session.commit()
    session.refresh(client)
    assert client.contact_channels == ["phone", "messaging_app"]
    assert client.key_person == "Iryna (sister), 0470 12 34 56"
    assert client.employment_situation == EmploymentSituation.ZERO_HOURS_CONTRACT
    assert client.driving_licence is False and client.max_travel_minutes == 45
    assert client.transport == ["bicycle", "public_transport"]
    assert client.working_hours == ["day", "weekend"]
    assert run.actions_taken[-1]["action"] == "client_fields"


def test_an_answer_the_client_file_refuses_is_refused_when_given(
    session: Session, make_counsellor, script: Script
) -> None:  # type: ignore[no-untyped-def]
    anna = actor(make_counsellor("anna", "Anna Aerts"))
    client = clients.create_client(session, {"given_name": "Olena", "family_name": "Kovalenko"},
                                   referent_id=anna.counsellor_id, actor=anna)  # fmt: skip
    run = runs.start(session, anna, client.id, script, ScriptChannel.PHONE)
    with pytest.raises(ValidationFailed) as refused:
        runs.answer(session, anna, run, script, "max_travel", 600)
    assert refused.value.errors["max_travel"] == (
        "Longest travel time (minutes): give a number of minutes from 1 to 240."
    )
    assert runs.answers(session, run.id) == {}
