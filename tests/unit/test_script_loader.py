"""Script files: a broken one is refused with file, path and reason; the others still load."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.services.scripts.loader import SCHEMA_FILE, SCRIPTS_DIR, load_catalogue

MINIMAL = """\
id: tiny
version: 1
kind: intake
title: "Tiny"
steps:
  - id: first
    title: "First"
    questions:
      - {id: has_email, type: yes_no, text: "Do you have an e-mail address?"}
      - id: how_often
        type: single_choice
        text: "How often do you use it?"
        show_if: {q: has_email, is: "yes"}
        options: [{value: daily, text: "Every day"}, {value: weekly, text: "Every week"}]
results:
  - {id: none, label: "No e-mail", when: {q: has_email, is: "no"}}
  - {id: some, label: "Some e-mail", otherwise: true}
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    shutil.copy(SCRIPTS_DIR / SCHEMA_FILE, tmp_path / SCHEMA_FILE)
    shutil.copy(SCRIPTS_DIR / "digital-profile.yaml", tmp_path / "digital-profile.yaml")
    return tmp_path


def refused(folder: Path, text: str) -> tuple[str, str, str]:
    (folder / "broken.yaml").write_text(text, encoding="utf-8")
    catalogue = load_catalogue(folder)
    assert "digital-profile" in catalogue.scripts  # the good file still loads
    assert len(catalogue.errors) == 1
    error = catalogue.errors[0]
    assert str(error).startswith("broken.yaml: at ")
    return error.file, error.path, error.problem


def test_the_shipped_scripts_all_load() -> None:
    catalogue = load_catalogue()
    assert catalogue.errors == []
    assert {"digital-profile"} <= set(catalogue.scripts)


def test_a_minimal_script_loads(folder: Path) -> None:
    (folder / "tiny.yaml").write_text(MINIMAL, encoding="utf-8")
    assert load_catalogue(folder).get("tiny").question("how_often").values() == ("daily", "weekly")


def test_a_missing_field_is_named(folder: Path) -> None:
    assert refused(folder, MINIMAL.replace('title: "Tiny"\n', "")) == (
        "broken.yaml",
        "/",
        "'title' is a required property",
    )


def test_an_unknown_question_in_a_rule_is_named_with_its_path(folder: Path) -> None:
    _file, path, problem = refused(
        folder, MINIMAL.replace('{q: has_email, is: "no"}', '{q: has_mail, is: "no"}')
    )
    assert path == "results[0].when.q" and "no question “has_mail”" in problem


def test_a_follow_up_on_a_later_question_is_refused(folder: Path) -> None:
    text = MINIMAL.replace(
        'show_if: {q: has_email, is: "yes"}', "show_if: {q: how_often, is: daily}"
    )
    _file, path, problem = refused(folder, text)
    assert path == "steps[0].questions[1].show_if.q" and "before this rule" in problem


def test_an_answer_a_question_cannot_take_is_refused(folder: Path) -> None:
    _file, path, problem = refused(folder, MINIMAL.replace('is: "no"}', "is: maybe}"))
    assert path == "results[0].when.is" and "“maybe” is not an answer to “has_email”" in problem


def test_a_wrong_type_and_bad_yaml_are_named(folder: Path) -> None:
    _file, path, problem = refused(folder, MINIMAL.replace("version: 1", "version: one"))
    assert path == "version" and "is not of type 'integer'" in problem
    _file, path, problem = refused(folder, MINIMAL.replace("steps:", "steps: [\n"))
    assert path.startswith("line ") and "not valid YAML" in problem


def test_the_result_for_everyone_else_is_required(folder: Path) -> None:
    _file, path, problem = refused(
        folder, MINIMAL.replace("otherwise: true", 'when: {q: has_email, is: "yes"}')
    )
    assert path == "results" and "otherwise: true" in problem


def test_a_client_field_and_an_action_target_must_exist(folder: Path) -> None:
    field = MINIMAL.replace('text: "Do you have an e-mail address?"}',
                            'text: "Do you have an e-mail address?", client_field: shoe_size}')  # fmt: skip
    _, path, problem = refused(folder, field)
    assert path == "steps[0].questions[0].client_field" and "not a client file field" in problem
    action = MINIMAL + (
        "actions:\n  - {id: go, kind: referral, label: Go, offer_type: circus, "
        "when: {result: none}}\n"
    )
    _, path, problem = refused(folder, action)
    assert path == "actions[0].offer_type" and "digital_basic_skills" in problem


def test_answers_an_action_or_the_statistics_take_must_fit(folder: Path) -> None:
    due = MINIMAL + (
        "actions:\n  - {id: go, kind: action_point, label: Go, due_from: has_email, "
        "when: {result: none}}\n"
    )
    _, path, problem = refused(folder, due)
    assert (path, problem) == (
        "actions[0].due_from",
        "“has_email” must be a question of type date.",
    )
    text = due.replace("due_from: has_email", "text_from: nowhere")
    _, path, problem = refused(folder, text)
    assert (path, problem) == (
        "actions[0].text_from",
        "there is no question “nowhere” in this script.",
    )
    stats = MINIMAL + "statistics: {by: has_email, count: [how_often, missing]}\n"
    _, path, problem = refused(folder, stats)
    assert path == "statistics.count[1]" and "“missing”" in problem
    (folder / "broken.yaml").write_text(stats.replace(", missing", ""), encoding="utf-8")
    assert load_catalogue(folder).get("tiny").statistics is not None
