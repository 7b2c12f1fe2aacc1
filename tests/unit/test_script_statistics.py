"""Outcome statistics per objection for team leads: counts of finished runs of their office,
in a period, following the script's `statistics` (which outcomes followed which objection)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy.orm import Session

from app.models.enums import ScriptChannel
from app.services.caseload import clients, counsellors
from app.services.clock import local_today
from app.services.errors import Forbidden, ValidationFailed
from app.services.scripts import runs, statistics
from app.services.scripts.definition import Script
from app.services.scripts.loader import load_catalogue
from tests.helpers import actor

pytestmark = pytest.mark.both_backends


@pytest.fixture(scope="module")
def script() -> Script:
    return load_catalogue().get("resistance-to-email")


def conversation(session: Session, who: Any, script: Script, answers: dict[str, Any],
                 finish: bool = True) -> None:  # fmt: skip
    client = clients.create_client(session, {"given_name": "Jan", "family_name": "Peeters"},
                                   referent_id=who.counsellor_id, actor=who)  # fmt: skip
    run = runs.start(session, who, client.id, script, ScriptChannel.IN_PERSON)
    runs.answer_all(session, who, run, script, answers)
    if finish:
        runs.finish(session, who, run, script)
    session.commit()


def row(table: statistics.OutcomeTable, value: str | None) -> dict[str, Any]:
    found = next(r for r in (*table.rows, table.total) if r.value == value and
                 (value is not None or r is not table.total))  # fmt: skip
    counts = {
        f"{c.question_id}.{c.value}": n for c, n in zip(table.columns, found.counts, strict=True)
    }
    return {"runs": found.runs, **{k: n for k, n in counts.items() if n}}


def test_outcomes_are_counted_per_objection_for_the_team_lead(
    session: Session, make_counsellor, lead: Any, script: Script
) -> None:  # type: ignore[no-untyped-def]
    anna = actor(make_counsellor("anna", "Anna Aerts"))
    other = counsellors.create_counsellor(
        session, login="omar", full_name="Omar", office="Antwerpen"
    )
    session.commit()
    omar = actor(other)
    conversation(session, anna, script, {"objections": ["pc_skills", "no_device"],
                                         "outcomes": ["basic_ict", "free_internet_info"]})  # fmt: skip
    conversation(session, anna, script, {"objections": ["pc_skills"], "outcomes": ["without_email"],
                                         "without_email_reason": "unable"})  # fmt: skip
    conversation(session, anna, script, {"objections": ["refuses"],
                                         "outcomes": ["will_use_email"]})  # fmt: skip
    conversation(session, anna, script, {"outcomes": ["will_use_email"]})  # no objection named
    # a reason whose outcome was unticked again does not count: its question is hidden
    conversation(session, anna, script, {"objections": ["refuses"], "outcomes": ["formal_follow_up"],
                                         "without_email_reason": "training"})  # fmt: skip
    conversation(session, anna, script, {"objections": ["refuses"]}, finish=False)  # unfinished
    conversation(session, omar, script, {"objections": ["refuses"], "outcomes": ["basic_ict"]})

    table = statistics.outcome_table(session, lead, script)

    assert table.by_text == "Which objections does the client raise?"
    assert row(table, "pc_skills") == {"runs": 2, "outcomes.basic_ict": 1, "outcomes.without_email": 1,
                                       "outcomes.free_internet_info": 1,
                                       "without_email_reason.unable": 1}  # fmt: skip
    assert row(table, "no_device") == {"runs": 1, "outcomes.basic_ict": 1,
                                       "outcomes.free_internet_info": 1}  # fmt: skip
    assert row(table, "refuses") == {"runs": 2, "outcomes.will_use_email": 1,
                                     "outcomes.formal_follow_up": 1}  # fmt: skip
    assert row(table, "not_familiar") == {"runs": 0}
    assert row(table, None) == {"runs": 1, "outcomes.will_use_email": 1}
    assert table.total.runs == 5  # Omar's office and the unfinished run are not counted
    assert table.total.counts[[c.value for c in table.columns].index("will_use_email")] == 2


def test_the_period_counts_runs_finished_within_it(
    session: Session, make_counsellor, lead: Any, script: Script
) -> None:  # type: ignore[no-untyped-def]
    anna = actor(make_counsellor("anna", "Anna Aerts"))
    conversation(session, anna, script, {"objections": ["refuses"], "outcomes": ["basic_ict"]})
    today = local_today()
    assert statistics.outcome_table(session, lead, script, today, today).total.runs == 1
    later = today + dt.timedelta(days=1)
    assert statistics.outcome_table(session, lead, script, later, later).total.runs == 0
    with pytest.raises(ValidationFailed) as refused:
        statistics.outcome_table(session, lead, script, later, today)
    assert refused.value.errors == {"until": "Until: choose a day on or after the first day."}


def test_only_a_team_lead_sees_them(session: Session, make_counsellor, script: Script) -> None:  # type: ignore[no-untyped-def]
    anna = actor(make_counsellor("anna", "Anna Aerts"))
    with pytest.raises(Forbidden):
        statistics.outcome_table(session, anna, script)


def test_a_script_without_statistics_says_so(session: Session, lead: Any) -> None:
    with pytest.raises(ValidationFailed) as refused:
        statistics.outcome_table(session, lead, load_catalogue().get("digital-profile"))
    assert refused.value.errors == {"script": "The script “digital-profile” keeps no statistics."}
