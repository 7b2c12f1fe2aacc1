"""What a guided script is, in memory: steps of questions, results, flags and suggested actions.

Scripts are data (`resources/scripts/*.yaml`, see `loader`); these frozen classes are what the
loader makes of a file once it is valid. Every text is an English message id, translated when
shown (`app.i18n._`), so a script follows the interface language and the catalogs hold the
source's own Dutch wording.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any

from app.i18n import N_


class QuestionType(enum.StrEnum):
    YES_NO = "yes_no"
    SINGLE_CHOICE = "single_choice"
    MULTIPLE_CHOICE = "multiple_choice"
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"


class ScriptKind(enum.StrEnum):
    INTAKE = "intake"
    CONVERSATION_GUIDE = "conversation_guide"


YES, NO = "yes", "no"


@dataclass(frozen=True)
class Option:
    value: str
    text: str


@dataclass(frozen=True)
class Question:
    id: str
    type: QuestionType
    text: str
    options: tuple[Option, ...] = ()
    guidance: tuple[str, ...] = ()
    show_if: dict[str, Any] | None = None
    note: bool = False  # a place to write down what the client said
    client_field: str | None = None  # the client file field an answer fills in
    client_values: dict[str, Any] = field(default_factory=dict)

    def values(self) -> tuple[str, ...]:
        """The answers a choice question accepts (yes/no for a yes/no question)."""
        if self.type == QuestionType.YES_NO:
            return (YES, NO)
        return tuple(o.value for o in self.options)

    def option_text(self, value: str) -> str:
        """The text of an answer, as a message id (translate it to show it)."""
        if self.type == QuestionType.YES_NO:
            return {YES: N_("Yes"), NO: N_("No")}.get(value, value)
        return next((o.text for o in self.options if o.value == value), value)


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    questions: tuple[Question, ...]
    guidance: tuple[str, ...] = ()
    show_if: dict[str, Any] | None = None


@dataclass(frozen=True)
class Result:
    id: str
    label: str
    when: dict[str, Any] | None  # None: the result for everyone else
    explanation: str = ""


@dataclass(frozen=True)
class Flag:
    id: str
    label: str
    when: dict[str, Any]
    explanation: str = ""


@dataclass(frozen=True)
class Action:
    id: str
    kind: str  # action_point, referral, email_status, print, consent
    label: str
    when: dict[str, Any]
    offer_type: str | None = None
    email_status: str | None = None
    consent: str | None = None
    due_in_days: int | None = None
    sheet: str | None = None  # for print: what the printed run adds (free_internet_places)
    text_from: str | None = None  # a text answer that fills in the title (or who, for consent)
    due_from: str | None = None  # a date answer that gives the due date


@dataclass(frozen=True)
class Statistics:
    """Outcome counts for team leads: for each answer to `by`, how often each answer to the
    questions in `count` followed (e.g. which outcomes followed which objection)."""

    by: str
    count: tuple[str, ...]


@dataclass(frozen=True)
class Script:
    id: str
    version: int
    kind: ScriptKind
    title: str
    steps: tuple[Step, ...]
    results: tuple[Result, ...]
    flags: tuple[Flag, ...] = ()
    actions: tuple[Action, ...] = ()
    statistics: Statistics | None = None
    description: str = ""
    source: str = ""
    file: str = ""

    def questions(self) -> list[Question]:
        return [q for step in self.steps for q in step.questions]

    def question(self, question_id: str) -> Question:
        for q in self.questions():
            if q.id == question_id:
                return q
        raise KeyError(question_id)

    def step_of(self, question_id: str) -> Step:
        return next(s for s in self.steps if any(q.id == question_id for q in s.questions))
