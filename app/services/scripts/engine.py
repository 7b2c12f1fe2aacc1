"""Running a script's rules: which questions are relevant given the answers so far, and the
outcome (result with its reasons, flags, suggested actions).

An answer to a follow-up that is no longer relevant (the client changed an earlier answer)
is kept in the run but does not count.

A measured level counts over a declared one: where a question fills the client's Dutch level
(`client_field: dutch_level`), and a test measured that level (`caseload.test_results.
measured_level`, passed as `measured_level`, a `DutchLevel` value such as "b1"), the rules and
follow-ups see the answer that stands for the measured level instead of what the client said
— the option whose client value is that level (`client_values`, else the option's own value).
When no option stands for it, or nothing was measured, the answer given counts as it is.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.services.scripts.conditions import Facts, evaluate
from app.services.scripts.definition import Action, Question, Script, Step

#: The client file field a level measured by a test stands in for.
LEVEL_FIELD = "dutch_level"


def with_measured_level(
    script: Script, answers: Mapping[str, Any], measured_level: str | None
) -> dict[str, Any]:
    """The answers with the measured level in place of the declared one (module docstring)."""
    out = dict(answers)
    if not measured_level:
        return out
    for step in script.steps:
        for question in step.questions:
            if question.client_field != LEVEL_FIELD:
                continue
            standing = [value for value in question.values()
                        if question.client_values.get(value, value) == measured_level]  # fmt: skip
            if standing:
                out[question.id] = standing[0]
    return out


def relevant_answers(
    script: Script, answers: Mapping[str, Any], measured_level: str | None = None
) -> dict[str, Any]:
    """The answers that count: those of questions shown, in script order."""
    answers = with_measured_level(script, answers, measured_level)
    counted: dict[str, Any] = {}
    for step in script.steps:
        if step.show_if and not evaluate(step.show_if, Facts(counted)).held:
            continue
        for question in step.questions:
            if question.show_if and not evaluate(question.show_if, Facts(counted)).held:
                continue
            if question.id in answers:
                counted[question.id] = answers[question.id]
    return counted


def visible(
    script: Script, answers: Mapping[str, Any], measured_level: str | None = None
) -> list[tuple[Step, list[Question]]]:
    """The steps to show with their questions, given the answers so far."""
    counted = relevant_answers(script, answers, measured_level)
    facts = Facts(counted)
    shown = []
    for step in script.steps:
        if step.show_if and not evaluate(step.show_if, facts).held:
            continue
        questions = [q for q in step.questions if not q.show_if or evaluate(q.show_if, facts).held]
        if questions:
            shown.append((step, questions))
    return shown


_NO_CHANGE = object()


def client_value(question: Question, value: Any) -> Any:
    """What an answer puts in the client file field it corresponds to (`client_values` maps
    answers to stored values; an answer mapped to null changes nothing), or `_NO_CHANGE`."""
    table = question.client_values
    if isinstance(value, list):
        return [table.get(v, v) for v in value if table.get(v, v) is not None]
    if value in table:
        return _NO_CHANGE if table[value] is None else table[value]
    return value


def client_changes(script: Script, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The client file fields the answers that count fill in, field → value."""
    changes: dict[str, Any] = {}
    for question_id, value in relevant_answers(script, answers).items():
        question = script.question(question_id)
        if question.client_field:
            stored = client_value(question, value)
            if stored is not _NO_CHANGE:
                changes[question.client_field] = stored
    return changes


def fills_client_field(question: Question, value: Any) -> bool:
    return bool(question.client_field) and client_value(question, value) is not _NO_CHANGE


@dataclass(frozen=True)
class Conclusion:
    id: str
    label: str
    reasons: tuple[str, ...]
    explanation: str = ""


@dataclass(frozen=True)
class Outcome:
    result: Conclusion
    flags: tuple[Conclusion, ...]
    actions: tuple[Action, ...]


def outcome(
    script: Script, answers: Mapping[str, Any], measured_level: str | None = None
) -> Outcome:
    """The first result whose rule holds, with the reasons that made it hold; for the result
    everyone else gets, the reasons the others did not hold."""
    facts = Facts(relevant_answers(script, answers, measured_level))
    unmet: list[str] = []
    chosen = None
    for result in script.results:
        if result.when is None:
            chosen = Conclusion(
                result.id, result.label, tuple(dict.fromkeys(unmet)), result.explanation
            )
            break
        verdict = evaluate(result.when, facts)
        if verdict.held:
            chosen = Conclusion(result.id, result.label, tuple(verdict.reasons), result.explanation)
            break
        unmet += verdict.unmet
    assert chosen is not None  # the loader requires a last result for everyone else
    flags = []
    for flag in script.flags:
        verdict = evaluate(flag.when, facts)
        if verdict.held:
            flags.append(Conclusion(flag.id, flag.label, tuple(verdict.reasons), flag.explanation))
    concluded = Facts(facts.answers, chosen.id, frozenset(f.id for f in flags))
    actions = tuple(a for a in script.actions if evaluate(a.when, concluded).held)
    return Outcome(chosen, tuple(flags), actions)
