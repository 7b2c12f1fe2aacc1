"""The digital-profile checklist (source 004): every result and flag from answer sets, each
follow-up shown only when relevant."""

from __future__ import annotations

from typing import Any

import pytest

from app.services.scripts.definition import Script
from app.services.scripts.engine import outcome, relevant_answers, visible
from app.services.scripts.loader import load_catalogue


@pytest.fixture(scope="module")
def script() -> Script:
    return load_catalogue().get("digital-profile")


SELF_RELIANT: dict[str, Any] = {
    "has_email": "yes", "email_frequency": "weekly", "email_skills": ["receive", "read", "send"],
    "email_device": ["smartphone"], "email_attachments": "yes", "email_alone": "alone",
    "starter_pack": "yes", "internet_uses": ["look_for_work", "payments", "information"],
    "internet_alone": "alone", "home_internet": "yes", "own_device": "yes",
    "vdab_site": "yes", "my_career": "yes", "career_alone": "alone",
}  # fmt: skip


def shown(script: Script, answers: dict[str, Any]) -> set[str]:
    return {q.id for _step, questions in visible(script, answers) for q in questions}


def test_self_reliant_with_every_reason(script: Script) -> None:
    result = outcome(script, SELF_RELIANT)
    assert result.result.id == "self_reliant"
    assert "Uses e-mail at least weekly." in result.result.reasons
    assert "Works in My Career alone." in result.result.reasons
    assert result.flags == ()
    assert [a.id for a in result.actions] == ["email_status_known"]


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"has_email": "no"}, "Has no e-mail address."),
        ({"email_alone": "done_for_me"}, "Someone else does their e-mail for them."),
        (
            {"internet_uses": ["none"]},
            "Does not use the internet for any of the activities asked about.",
        ),
        ({"internet_alone": "done_for_me"}, "Uses the internet only through someone else."),
    ],
)
def test_low_literate_for_each_of_its_reasons(
    script: Script, changes: dict[str, Any], reason: str
) -> None:
    result = outcome(script, {**SELF_RELIANT, **changes})
    assert result.result.id == "low_literate" and reason in result.result.reasons
    assert "refer_digitally_low_literate" in [a.id for a in result.actions]


@pytest.mark.parametrize(
    ("changes", "unmet"),
    [
        ({"email_frequency": "monthly"}, "Does not use e-mail every week."),
        ({"email_skills": ["receive", "read"]}, "Cannot yet receive, read and send e-mails."),
        ({"email_attachments": "no"}, "Cannot send attachments yet."),
        ({"email_alone": "helped"}, "Gets help with e-mail."),
        ({"internet_uses": ["look_for_work", "payments"]}, "Uses the internet for fewer than three of the activities asked about."),
        ({"internet_uses": ["payments", "shopping", "information"]}, "Does not look for work online."),
        ({"internet_alone": "helped"}, "Gets help on the internet."),
        ({"my_career": "no"}, "Has not worked in My Career yet."),
        ({"career_alone": "helped"}, "Gets help in My Career."),
    ],
)  # fmt: skip
def test_basic_skills_says_what_is_missing(
    script: Script, changes: dict[str, Any], unmet: str
) -> None:
    result = outcome(script, {**SELF_RELIANT, **changes})
    assert result.result.id == "basic_skills" and unmet in result.result.reasons
    assert "refer_digital_basic_skills" in [a.id for a in result.actions]


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        (
            {"home_internet": "no", "other_places": "no"},
            "No internet at home and no other place to go online.",
        ),
        ({"own_device": "no"}, "No computer, tablet or smartphone of their own."),
    ],
)
def test_lacks_the_means_suggests_welfare_and_free_internet(
    script: Script, changes: dict[str, Any], reason: str
) -> None:
    result = outcome(script, {**SELF_RELIANT, **changes})
    flags = {f.id: f for f in result.flags}
    assert reason in flags["lacks_means"].reasons
    assert {"refer_welfare", "print_free_internet"} <= {a.id for a in result.actions}


def test_somewhere_else_to_go_online_is_enough(script: Script) -> None:
    result = outcome(script, {**SELF_RELIANT, "home_internet": "no", "other_places": "yes"})
    assert result.flags == ()


@pytest.mark.parametrize("helped", ["email_alone", "internet_alone", "career_alone"])
def test_any_helper_suggests_mails_through_that_person(script: Script, helped: str) -> None:
    result = outcome(script, {**SELF_RELIANT, helped: "helped"})
    assert [f.id for f in result.flags] == ["relies_on_helper"]
    assert "mails_through_helper" in [a.id for a in result.actions]


@pytest.mark.parametrize(
    ("follow_up", "when", "otherwise"),
    [
        ("email_frequency", {"has_email": "yes"}, {"has_email": "no"}),
        ("email_skills", {"has_email": "yes"}, {"has_email": "no"}),
        ("email_device", {"has_email": "yes"}, {"has_email": "no"}),
        ("email_attachments", {"has_email": "yes"}, {"has_email": "no"}),
        ("email_alone", {"has_email": "yes"}, {"has_email": "no"}),
        ("starter_pack_why", {"starter_pack": "no"}, {}),
        ("starter_pack_problem", {"starter_pack": "no"}, {"starter_pack": "yes"}),
        ("websites", {"internet_uses": ["payments"]}, {"internet_uses": ["none"]}),
        ("internet_alone", {"internet_uses": ["payments"]}, {"internet_uses": ["none"]}),
        ("other_places", {"home_internet": "no"}, {"home_internet": "yes"}),
        ("vdab_site", {"internet_uses": ["look_for_work"]}, {"internet_uses": ["payments"]}),
        ("vdab_found", {"internet_uses": ["look_for_work"], "vdab_site": "yes"},
         {"internet_uses": ["look_for_work"], "vdab_site": "no"}),
        ("other_sites", {"internet_uses": ["look_for_work"]}, {"internet_uses": ["payments"]}),
        ("my_career", {"internet_uses": ["look_for_work"]}, {"internet_uses": ["payments"]}),
        ("career_alone", {"internet_uses": ["look_for_work"], "my_career": "yes"},
         {"internet_uses": ["look_for_work"], "my_career": "no"}),
    ],
)  # fmt: skip
def test_each_follow_up_appears_only_when_relevant(
    script: Script, follow_up: str, when: dict[str, Any], otherwise: dict[str, Any]
) -> None:
    assert follow_up in shown(script, when)
    assert follow_up not in shown(script, otherwise)


def test_an_answer_to_a_follow_up_no_longer_relevant_does_not_count(script: Script) -> None:
    changed = {**SELF_RELIANT, "has_email": "no"}  # the e-mail follow-ups stay stored
    assert "email_frequency" not in relevant_answers(script, changed)
    assert outcome(script, changed).result.id == "low_literate"
