"""Loading scripts from `resources/scripts/*.yaml`, refusing a broken file with its name, the
path inside it and the problem, while the other scripts still load.

Two checks: the JSON Schema beside the scripts (`script.schema.json`: shapes and types), then
what a schema cannot say: ids unique, every rule naming a question that exists and comes
before it, values a question can take, exactly one result for everyone else.
"""

from __future__ import annotations

import enum
import json
import threading
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from app.i18n import _
from app.models.enums import ConsentPurpose, EmailStatus
from app.models.practical import OfferType
from app.package_data import resources
from app.services.caseload import clients
from app.services.data_files import load_yaml
from app.services.errors import NotFound, ServiceError
from app.services.scripts import conditions
from app.services.scripts.definition import (
    Action,
    Flag,
    Option,
    Question,
    QuestionType,
    Result,
    Script,
    ScriptKind,
    Statistics,
    Step,
)

SCRIPTS_DIR = resources() / "scripts"
SCHEMA_FILE = "script.schema.json"


class ScriptFileError(ServiceError):
    def __init__(self, file: str, path: str, problem: str) -> None:
        self.file, self.path, self.problem = file, path or "/", problem
        super().__init__(
            _("{file}: at {path}: {problem}").format(file=file, path=self.path, problem=problem)
        )


@dataclass(frozen=True)
class Catalogue:
    scripts: dict[str, Script]
    errors: list[ScriptFileError]

    def get(self, script_id: str) -> Script:
        try:
            return self.scripts[script_id]
        except KeyError:
            raise NotFound(
                _("There is no script “{id}”; the scripts are: {ids}.").format(
                    id=script_id, ids=", ".join(sorted(self.scripts)) or "-"
                )
            ) from None


@cache
def _validator(directory: Path) -> Draft202012Validator:
    schema = json.loads((directory / SCHEMA_FILE).read_text(encoding="utf-8"))
    return Draft202012Validator(schema)


def load_catalogue(directory: Path = SCRIPTS_DIR) -> Catalogue:
    """Every valid script in `directory`; the broken files as errors."""
    scripts: dict[str, Script] = {}
    errors: list[ScriptFileError] = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            script = load_file(path, directory)
        except ScriptFileError as exc:
            errors.append(exc)
            continue
        if script.id in scripts:
            errors.append(ScriptFileError(path.name, "id", _("the id “{id}” is already used by {other}.")
                                          .format(id=script.id, other=scripts[script.id].file)))  # fmt: skip
            continue
        scripts[script.id] = script
    return Catalogue(scripts, errors)


_loading_default = threading.Lock()


def default_catalogue() -> Catalogue:
    """The scripts shipped with Traject, loaded once. Thread-safe: the window loads them on a
    thread of its own after it is up (`preload`); whoever asks meanwhile waits for that."""
    with _loading_default:
        return _default_catalogue()


@cache
def _default_catalogue() -> Catalogue:
    return load_catalogue(SCRIPTS_DIR)


def _path(parts: Any) -> str:
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def load_file(path: Path, directory: Path = SCRIPTS_DIR) -> Script:
    name = path.name
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ScriptFileError(
            name, "", _("the file cannot be read ({error}).").format(error=exc)
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = _("line {line}").format(line=mark.line + 1) if mark else ""
        raise ScriptFileError(name, where, _("this is not valid YAML ({error}).").format(
            error=getattr(exc, "problem", None) or exc)) from None  # fmt: skip
    errors = list(_validator(directory).iter_errors(data))
    if errors:  # the outermost problem first: a missing field before what follows from it
        first = min(errors, key=lambda e: len(e.absolute_path))
        raise ScriptFileError(name, _path(first.absolute_path), first.message)
    script = _build(data, name)
    _check_references(script, data, name)
    return script


def _texts(value: Any) -> tuple[str, ...]:
    return tuple(value) if isinstance(value, list) else ((value,) if value else ())


def _build(data: dict[str, Any], name: str) -> Script:
    steps = tuple(
        Step(id=s["id"], title=s["title"], guidance=_texts(s.get("guidance")), show_if=s.get("show_if"),
             questions=tuple(Question(
                 id=q["id"], type=QuestionType(q["type"]), text=q["text"],
                 options=tuple(Option(o["value"], o["text"]) for o in q.get("options", [])),
                 guidance=_texts(q.get("guidance")), show_if=q.get("show_if"), note=q.get("note", False),
                 client_field=q.get("client_field"), client_values=q.get("client_values", {}))
                 for q in s["questions"]))
        for s in data["steps"]
    )  # fmt: skip
    return Script(
        id=data["id"], version=data["version"], kind=ScriptKind(data["kind"]), title=data["title"],
        description=data.get("description", ""), source=data.get("source", ""), file=name, steps=steps,
        results=tuple(Result(r["id"], r["label"], r.get("when"), r.get("explanation", "")) for r in data["results"]),
        flags=tuple(Flag(f["id"], f["label"], f["when"], f.get("explanation", "")) for f in data.get("flags", [])),
        actions=tuple(Action(a["id"], a["kind"], a["label"], a["when"], a.get("offer_type"), a.get("email_status"),
                             a.get("consent"), a.get("due_in_days"),
                             a.get("sheet"), a.get("text_from"), a.get("due_from"))
                 for a in data.get("actions", [])),
        statistics=Statistics(data["statistics"]["by"], tuple(data["statistics"]["count"]))
        if "statistics" in data else None,
    )  # fmt: skip


def _check_references(script: Script, data: dict[str, Any], name: str) -> None:
    def fail(path: str, problem: str) -> None:
        raise ScriptFileError(name, path, problem)

    seen: dict[str, Question] = {}
    for si, step in enumerate(script.steps):
        if step.show_if:
            _check_condition(step.show_if, f"steps[{si}].show_if", seen, fail)
        for qi, question in enumerate(step.questions):
            where = f"steps[{si}].questions[{qi}]"
            if question.id in seen:
                fail(
                    f"{where}.id", _("the question id “{id}” is used twice.").format(id=question.id)
                )
            if question.client_field and question.client_field not in clients.EDITABLE_FIELDS:
                fail(f"{where}.client_field", _("“{field}” is not a client file field; they are: "
                     "{fields}.").format(field=question.client_field,
                                         fields=", ".join(sorted(clients.EDITABLE_FIELDS))))  # fmt: skip
            if question.show_if:  # only earlier questions: a follow-up follows what it depends on
                _check_condition(question.show_if, f"{where}.show_if", seen, fail)
            seen[question.id] = question
    for kind, items in (
        ("results", script.results),
        ("flags", script.flags),
        ("actions", script.actions),
    ):
        ids = [item.id for item in items]
        for i, item_id in enumerate(ids):
            if item_id in ids[:i]:
                fail(f"{kind}[{i}].id", _("the id “{id}” is used twice.").format(id=item_id))
    everyone_else = [i for i, r in enumerate(script.results) if r.when is None]
    if len(everyone_else) != 1 or everyone_else[0] != len(script.results) - 1:
        fail("results", _("give exactly one result with “otherwise: true”, as the last one."))
    for i, result in enumerate(script.results):
        if result.when is not None:
            _check_condition(result.when, f"results[{i}].when", seen, fail)
    for i, flag in enumerate(script.flags):
        _check_condition(flag.when, f"flags[{i}].when", seen, fail)
    known = {"result": {r.id for r in script.results}, "flag": {f.id for f in script.flags}}
    for i, action in enumerate(script.actions):
        _check_condition(action.when, f"actions[{i}].when", seen, fail)
        _check_action_target(action, f"actions[{i}]", fail)
        _check_answer_source(action, f"actions[{i}]", seen, fail)
        for kind, ref, path in conditions.conclusions(action.when, f"actions[{i}].when"):
            if ref not in known[kind]:
                fail(path, _("there is no {kind} “{id}” in this script.").format(kind=kind, id=ref))
    if script.statistics is not None:
        _check_statistics(script.statistics, seen, fail)


#: What each kind of action needs: the attribute naming its target, and the values it takes.
_ACTION_TARGETS: dict[str, tuple[str, type[enum.Enum]]] = {
    "referral": ("offer_type", OfferType),
    "email_status": ("email_status", EmailStatus),
    "consent": ("consent", ConsentPurpose),
}


def _check_action_target(action: Action, path: str, fail: Any) -> None:
    if action.kind not in _ACTION_TARGETS:
        return
    attribute, enum_class = _ACTION_TARGETS[action.kind]
    values = [m.value for m in enum_class]
    if getattr(action, attribute) not in values:
        fail(f"{path}.{attribute}", _("a {kind} action needs “{attribute}”, one of: {values}.")
             .format(kind=action.kind, attribute=attribute, values=", ".join(values)))  # fmt: skip


#: Where an action may take a text from an answer, and which question types give it.
_ANSWER_SOURCES = {"text_from": (QuestionType.TEXT,), "due_from": (QuestionType.DATE,)}
_CHOICES = (QuestionType.YES_NO, QuestionType.SINGLE_CHOICE, QuestionType.MULTIPLE_CHOICE)


def _check_question_type(
    question_id: str, types: tuple[QuestionType, ...], path: str,
    questions: dict[str, Question], fail: Any,
) -> None:  # fmt: skip
    question = questions.get(question_id)
    if question is None:
        fail(path, _("there is no question “{id}” in this script.").format(id=question_id))
    elif question.type not in types:
        fail(path, _("“{id}” must be a question of type {types}.").format(
            id=question_id, types=", ".join(t.value for t in types)))  # fmt: skip


def _check_answer_source(
    action: Action, path: str, questions: dict[str, Question], fail: Any
) -> None:
    for attribute, types in _ANSWER_SOURCES.items():
        question_id = getattr(action, attribute)
        if question_id is not None:
            _check_question_type(question_id, types, f"{path}.{attribute}", questions, fail)


def _check_statistics(statistics: Statistics, questions: dict[str, Question], fail: Any) -> None:
    _check_question_type(statistics.by, _CHOICES, "statistics.by", questions, fail)
    for i, question_id in enumerate(statistics.count):
        _check_question_type(question_id, _CHOICES, f"statistics.count[{i}]", questions, fail)


def _check_condition(
    cond: dict[str, Any], path: str, questions: dict[str, Question], fail: Any
) -> None:
    for leaf, where in conditions.leaves(cond, path):
        question = questions.get(leaf["q"])
        if question is None:
            fail(
                f"{where}.q",
                _("there is no question “{id}” before this rule.").format(id=leaf["q"]),
            )
            return
        tests = [t for t in conditions.TESTS if t in leaf]
        if len(tests) != 1:
            fail(
                where,
                _("give exactly one of {tests} with “q”.").format(
                    tests=", ".join(conditions.TESTS)
                ),
            )
        test = tests[0]
        if (
            test in ("has", "has_any", "count_at_least")
            and question.type != QuestionType.MULTIPLE_CHOICE
        ):
            fail(f"{where}.{test}", _("“{test}” needs a multiple-choice question; “{id}” is not one.")
                 .format(test=test, id=question.id))  # fmt: skip
        choices = question.values()
        if choices and test in ("is", "in", "has", "has_any"):
            given = leaf[test] if isinstance(leaf[test], list) else [leaf[test]]
            for value in given:
                if value not in choices:
                    fail(f"{where}.{test}", _("“{value}” is not an answer to “{id}”; it takes: {values}.")
                         .format(value=value, id=question.id, values=", ".join(choices)))  # fmt: skip
