"""The conversation guide on resistance to the mandatory e-mail address (source 004): every
result and flag from answer sets, a step per objection only when that objection was raised,
each follow-up of the agreements only when relevant, and the actions they lead to."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy.orm import Session

from app.models import ActionPoint
from app.models.enums import EmailStatus, ScriptChannel
from app.services.caseload import clients
from app.services.clock import local_today
from app.services.errors import ValidationFailed
from app.services.scripts import actions, runs
from app.services.scripts.definition import Script
from app.services.scripts.engine import outcome, visible
from app.services.scripts.loader import load_catalogue
from tests.helpers import actor


@pytest.fixture(scope="module")
def script() -> Script:
    return load_catalogue().get("resistance-to-email")


OBJECTIONS = [
    "not_familiar",
    "pc_skills",
    "refuses",
    "never_reads",
    "no_device",
    "relies_on_others",
]
RESPONSES = ["name_it", "acknowledge", "ask_about_it", "go_along", "avoid", "create_support"]
BASE: dict[str, Any] = {
    "has_email": "no",
    **dict.fromkeys(RESPONSES, "no"),
    "objections": ["pc_skills"],
}


def shown_steps(script: Script, answers: dict[str, Any]) -> list[str]:
    return [step.id for step, _questions in visible(script, answers)]


def shown(script: Script, answers: dict[str, Any]) -> set[str]:
    return {q.id for _step, questions in visible(script, answers) for q in questions}


def test_the_six_responses_each_have_a_place_for_what_the_client_said(script: Script) -> None:
    step = next(s for s in script.steps if s.id == "responses")
    assert [q.id for q in step.questions] == RESPONSES
    assert all(q.note for q in step.questions)


def test_without_objections_only_the_general_steps_and_the_agreements_show(
    script: Script,
) -> None:
    assert shown_steps(script, {}) == ["approach", "responses", "objections", "agreements"]


@pytest.mark.parametrize("objection", OBJECTIONS)
def test_each_objection_has_its_own_step_only_when_it_was_raised(
    script: Script, objection: str
) -> None:
    others = [o for o in OBJECTIONS if o != objection]
    assert objection not in shown_steps(script, {"objections": others})
    assert objection in shown_steps(script, {"objections": [objection]})
    assert shown_steps(script, {"objections": [objection]})[3] == objection


@pytest.mark.parametrize(
    ("follow_up", "outcome_value"),
    [("email_address", "will_use_email"), ("follow_up_points", "formal_follow_up"),
     ("follow_up_due", "formal_follow_up"), ("household_member", "mails_via_household"),
     ("household_consent", "mails_via_household"), ("without_email_reason", "without_email")],
)  # fmt: skip
def test_each_follow_up_of_the_agreements_appears_only_when_relevant(
    script: Script, follow_up: str, outcome_value: str
) -> None:
    others = [v for v in script.question("outcomes").values() if v != outcome_value]
    assert follow_up not in shown(script, {**BASE, "outcomes": others})
    assert follow_up in shown(script, {**BASE, "outcomes": [outcome_value]})


def ids(items: Any) -> list[str]:
    return [item.id for item in items]


@pytest.mark.parametrize(
    ("answers", "result", "reasons", "suggested"),
    [({"outcomes": ["will_use_email"], "email_address": "jan.peeters@example.be"},
      "will_use_email", ("Agreed to use e-mail.",), ["record_email"]),
     ({"outcomes": ["mails_via_household"], "household_member": "Sara (daughter)",
       "household_consent": "yes"}, "via_household",
      ("The mails will go through a household member.", "The client agrees."),
      ["mails_via_household", "email_via_household"]),
     ({"outcomes": ["basic_ict", "without_email"], "without_email_reason": "training"},
      "without_email", ("Reason 1: will first follow training.",),
      ["refer_basic_ict", "without_email_training"]),
     ({"outcomes": ["without_email"], "without_email_reason": "unable"},
      "without_email", ("Reason 2: not able to learn to work with e-mail.",),
      ["without_email_unable"]),
     ({"outcomes": ["basic_ict"]}, "learning", ("Referred to a Basic ICT course.",),
      ["refer_basic_ict"]),
     ({"outcomes": ["formal_follow_up"], "follow_up_points": "Make an e-mail address"},
      "learning", ("Formal follow-up with action points and assignments.",), ["formal_follow_up"]),
     ({"outcomes": ["free_internet_info"]}, "no_agreement",
      ("The client's consent for mails through a household member is not yet given.",),
      ["print_free_internet"]),
     ({"outcomes": []}, "no_agreement",
      ("The client's consent for mails through a household member is not yet given.",), [])],
)  # fmt: skip
def test_every_result_with_its_reasons_and_actions(
    script: Script, answers: dict[str, Any], result: str, reasons: tuple[str, ...],
    suggested: list[str],
) -> None:  # fmt: skip
    found = outcome(script, {**BASE, **answers})
    assert (found.result.id, found.result.reasons) == (result, reasons)
    assert ids(found.actions) == suggested


def test_household_member_without_consent_is_no_agreement(script: Script) -> None:
    found = outcome(
        script, {**BASE, "outcomes": ["mails_via_household"], "household_consent": "no"}
    )
    assert found.result.id == "no_agreement"
    assert ids(found.actions) == []


@pytest.mark.parametrize(
    ("answers", "flag", "reasons", "action"),
    [({"objections": ["refuses"], "uses_email_elsewhere": "yes"}, "suspected_unwillingness",
      ("Refuses to give their e-mail address but uses it for other things.",), None),
     ({"avoid": "yes"}, "parked", ("You agreed to park the objections.",), "come_back_parked"),
     ({"objections": ["never_reads"], "planning_problem": "yes"}, "planning_problem",
      ("The resistance may come from a wider problem with planning and organising.",), None),
     ({"objections": ["no_device"]}, "lacks_means", ("Has no PC, tablet or internet subscription.",),
      "print_free_internet")],
)  # fmt: skip
def test_every_flag_with_its_reason(
    script: Script, answers: dict[str, Any], flag: str, reasons: tuple[str, ...], action: str | None
) -> None:
    found = outcome(script, {**BASE, **answers})
    assert [(f.id, f.reasons) for f in found.flags] == [(flag, reasons)]
    if action:
        assert action in ids(found.actions)


def test_unwillingness_needs_the_refusal_itself(script: Script) -> None:
    """The follow-up is hidden once "refuses" is no longer ticked, so its answer stops counting."""
    found = outcome(script, {**BASE, "objections": ["pc_skills"], "uses_email_elsewhere": "yes"})
    assert found.flags == ()


@pytest.fixture
def anna(make_counsellor):  # type: ignore[no-untyped-def]
    return actor(make_counsellor("anna", "Anna Aerts"))


def start(session: Session, anna: Any, script: Script) -> Any:
    client = clients.create_client(session, {"given_name": "Jan", "family_name": "Peeters"},
                                   referent_id=anna.counsellor_id, actor=anna)  # fmt: skip
    return runs.start(session, anna, client.id, script, ScriptChannel.IN_PERSON)


def test_the_address_the_client_will_use_goes_into_the_file(
    session: Session, anna: Any, script: Script
) -> None:
    run = start(session, anna, script)
    with pytest.raises(ValidationFailed) as refused:
        runs.answer(session, anna, run, script, "email_address", "jan.peeters@")
    assert "email_address" in refused.value.errors
    runs.answer_all(session, anna, run, script, {**BASE, "outcomes": ["will_use_email"],
                                                 "email_address": "jan.peeters@example.be"})  # fmt: skip
    runs.finish(session, anna, run, script)
    said = actions.set_email_status(session, anna, run, script, "record_email")
    session.commit()
    client = clients.get_client(session, run.client_id)
    assert client.email == "jan.peeters@example.be"
    assert client.email_status == EmailStatus.HAS_EMAIL
    assert said == "E-mail status set to: Has an e-mail address."


def test_formal_follow_up_proposes_the_agreed_points_and_date(
    session: Session, anna: Any, script: Script
) -> None:
    run = start(session, anna, script)
    due = local_today() + dt.timedelta(days=10)
    given = {**BASE, "outcomes": ["formal_follow_up"], "follow_up_due": due.isoformat(),
             "follow_up_points": "Make an e-mail address at the library and send a test mail"}  # fmt: skip
    runs.answer_all(session, anna, run, script, given)
    runs.finish(session, anna, run, script)
    action = actions.suggested(script, "formal_follow_up")
    answers = runs.answers(session, run.id)
    assert actions.proposed_text(action, answers) == given["follow_up_points"]
    assert actions.due_date(action, answers) == due
    actions.action_point(session, anna, run, actions.proposed_text(action, answers),
                         actions.due_date(action, answers), action.id)  # fmt: skip
    session.commit()
    point = session.query(ActionPoint).one()
    assert (point.title, point.due_on, point.script_run_id) == (
        given["follow_up_points"],
        due,
        run.id,
    )


def test_an_agreed_date_already_past_falls_back_to_the_scripts_days(script: Script) -> None:
    action = actions.suggested(script, "formal_follow_up")
    today = dt.date(2026, 11, 23)
    assert actions.due_date(action, {"follow_up_due": "2026-11-01"}, today) == dt.date(2026, 12, 7)
    assert actions.proposed_text(action, {}) == "Make the agreed action points and assignments"


def test_consent_for_mails_through_the_household_member_names_them(
    session: Session, anna: Any, script: Script
) -> None:
    run = start(session, anna, script)
    runs.answer_all(session, anna, run, script, {**BASE, "outcomes": ["mails_via_household"],
                    "household_member": "Sara Peeters (daughter)", "household_consent": "yes"})  # fmt: skip
    runs.finish(session, anna, run, script)
    action = actions.suggested(script, "mails_via_household")
    who = actions.proposed_text(action, runs.answers(session, run.id))
    assert who == "Sara Peeters (daughter)"
    actions.record_consent(session, anna, run, script, action.id, who)
    actions.set_email_status(session, anna, run, script, "email_via_household")
    session.commit()
    client = clients.get_client(session, run.client_id)
    assert client.email_status == EmailStatus.VIA_SUPPORT_PERSON
    assert [t["action"] for t in run.actions_taken] == [
        "mails_via_household",
        "email_via_household",
    ]


@pytest.mark.parametrize(
    ("reason", "status"),
    [
        ("training", EmailStatus.WITHOUT_EMAIL_TRAINING),
        ("unable", EmailStatus.WITHOUT_EMAIL_UNABLE),
    ],
)
def test_registration_without_e_mail_records_reason_1_or_2(
    session: Session, anna: Any, script: Script, reason: str, status: EmailStatus
) -> None:
    run = start(session, anna, script)
    runs.answer_all(session, anna, run, script, {**BASE, "outcomes": ["without_email"],
                                                 "without_email_reason": reason})  # fmt: skip
    found = runs.finish(session, anna, run, script)
    (action,) = [a for a in found.actions if a.kind == "email_status"]
    actions.set_email_status(session, anna, run, script, action.id)
    session.commit()
    assert clients.get_client(session, run.client_id).email_status == status
