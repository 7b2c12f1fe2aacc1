"""Running a script's rules: which questions are relevant given the answers so far, and the
outcome (result with its reasons, flags, suggested actions).

An answer to a follow-up that is no longer relevant (the client changed an earlier answer)
is kept in the run but does not count.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from app.services.scripts.conditions import Facts, evaluate
from app.services.scripts.definition import Action, Question, Script, Step


def relevant_answers(script: Script, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers that count: those of questions shown, in script order."""
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


def visible(script: Script, answers: Mapping[str, Any]) -> list[tuple[Step, list[Question]]]:
    """The steps to show with their questions, given the answers so far."""
    counted = relevant_answers(script, answers)
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


def outcome(script: Script, answers: Mapping[str, Any]) -> Outcome:
    """The first result whose rule holds, with the reasons that made it hold; for the result
    everyone else gets, the reasons the others did not hold."""
    facts = Facts(relevant_answers(script, answers))
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
