"""In a guided conversation, a level of Dutch a test measured counts over the level the client
declared: the question that fills the file's Dutch level answers for the measured level in the
rules and follow-ups, and the answer given counts when nothing was measured."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from app.services.caseload import clients, test_results
from app.services.scripts import engine
from app.services.scripts.loader import load_file
from tests.helpers import actor

SCRIPT = """
id: dutch-course
version: 1
kind: conversation_guide
title: "Which Dutch course"
steps:
  - id: language
    title: "Dutch"
    questions:
      - id: level
        type: single_choice
        text: "How well do you speak Dutch?"
        client_field: dutch_level
        client_values: {beginner: a1, basic: a2, independent: b1}
        options:
          - {value: beginner, text: "A few words"}
          - {value: basic, text: "Simple conversations"}
          - {value: independent, text: "Most conversations"}
      - id: wants_course
        type: yes_no
        text: "Would you like a Dutch course?"
        show_if: {q: level, in: [beginner, basic]}
results:
  - id: course
    label: "Refer to a Dutch course"
    when: {q: level, in: [beginner, basic], reason: "Dutch below B1."}
  - id: ready
    label: "Dutch is enough for work"
    otherwise: true
"""


@pytest.fixture
def script(tmp_path: Path):  # type: ignore[no-untyped-def]
    path = tmp_path / "dutch-course.yaml"
    path.write_text(SCRIPT, encoding="utf-8")
    return load_file(path)


def test_the_measured_level_counts_over_the_declared_one(
    script, session: Session, make_counsellor
) -> None:  # type: ignore[no-untyped-def]
    declared = {"level": "beginner"}
    assert engine.outcome(script, declared).result.id == "course"
    assert [q.id for _step, qs in engine.visible(script, declared) for q in qs] == [
        "level",
        "wants_course",
    ]
    # a certified B1 in the file: the conversation sees an independent speaker
    anna = actor(make_counsellor("anna"))
    client = clients.create_client(session, {"given_name": "Nour", "family_name": "El Amrani", "dutch_level": "a1"},
                                   referent_id=anna.counsellor_id, actor=anna)  # fmt: skip
    test_results.record(session, anna, client.id, {"kind": "certified_language", "language": "nl", "level": "B1",
                                                   "passed": "yes", "taken_on": dt.date(2026, 3, 12)})  # fmt: skip
    session.commit()
    measured = test_results.measured_dutch_level(session, client.id)
    assert measured == "b1"
    assert engine.outcome(script, declared, measured).result.id == "ready"
    assert [q.id for _step, qs in engine.visible(script, declared, measured) for q in qs] == [
        "level"
    ]
    # the file's field keeps what the client declared
    assert engine.client_changes(script, declared) == {"dutch_level": "a1"}
    # a level no option stands for leaves the answer as it is
    assert engine.outcome(script, declared, "c2").result.id == "course"
    assert engine.relevant_answers(script, declared, None) == {"level": "beginner"}
