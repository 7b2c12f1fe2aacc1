"""Outcome statistics of a script for team leads: for each answer to one question (which
objection the client raised), how many finished runs gave each answer to others (which
outcomes were agreed). What is counted is said in the script file (`statistics`), so the
numbers follow the script, not code.

Only a team lead sees them, and only of the conversations held by counsellors of their office
(every office when the team lead has none). No client is named: the table holds counts.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import N_, _
from app.models import Counsellor, ScriptAnswer, ScriptRun
from app.services.clock import start_of_local_day
from app.services.errors import ValidationFailed
from app.services.privacy import access
from app.services.privacy.access import Actor
from app.services.scripts import engine
from app.services.scripts.definition import Script


@dataclass(frozen=True)
class Column:
    question_id: str
    value: str
    text: str  # message id: translate to show


@dataclass(frozen=True)
class Row:
    value: str | None  # None: runs without an answer to the `by` question
    text: str  # message id
    runs: int
    counts: tuple[int, ...]  # one per column


@dataclass(frozen=True)
class OutcomeTable:
    script_id: str
    by_text: str  # the question the rows answer (message id)
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    total: Row
    since: dt.date | None
    until: dt.date | None


NO_ANSWER = N_("No answer")
ALL_RUNS = N_("All conversations")


def _chosen(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def _finished_runs(
    session: Session, actor: Actor, script: Script, since: dt.date | None, until: dt.date | None
) -> list[int]:
    query = select(ScriptRun.id).where(
        ScriptRun.script_id == script.id, ScriptRun.finished_at.is_not(None)
    )
    if since is not None:
        query = query.where(ScriptRun.finished_at >= start_of_local_day(since))
    if until is not None:
        query = query.where(
            ScriptRun.finished_at < start_of_local_day(until + dt.timedelta(days=1))
        )
    if actor.office is not None:
        query = query.join(Counsellor, Counsellor.id == ScriptRun.counsellor_id).where(
            Counsellor.office == actor.office
        )
    return list(session.scalars(query))


def outcome_table(
    session: Session, actor: Actor, script: Script,
    since: dt.date | None = None, until: dt.date | None = None,
) -> OutcomeTable:  # fmt: skip
    """The counts of finished runs of `script` in the period (inclusive local days)."""
    access.require_team_lead(actor)
    if script.statistics is None:
        raise ValidationFailed({"script": _("The script “{id}” keeps no statistics.")
                                .format(id=script.id)})  # fmt: skip
    if since is not None and until is not None and until < since:
        raise ValidationFailed({"until": _("Until: choose a day on or after the first day.")})
    by = script.question(script.statistics.by)
    columns = tuple(
        Column(question_id, value, script.question(question_id).option_text(value))
        for question_id in script.statistics.count
        for value in script.question(question_id).values()
    )
    run_ids = _finished_runs(session, actor, script, since, until)
    answers: dict[int, dict[str, Any]] = defaultdict(dict)
    for start in range(0, len(run_ids), 500):  # SQLite's limit on bound parameters
        fetched = session.execute(
            select(ScriptAnswer.run_id, ScriptAnswer.question_id, ScriptAnswer.value).where(
                ScriptAnswer.run_id.in_(run_ids[start : start + 500])
            )
        )
        for run_id, question_id, value in fetched:
            answers[run_id][question_id] = value
    runs_by_row: dict[str | None, int] = defaultdict(int)
    counts: dict[str | None, list[int]] = defaultdict(lambda: [0] * len(columns))
    total = [0] * len(columns)
    for run_id in run_ids:
        counted = engine.relevant_answers(script, answers.get(run_id, {}))
        given = [i for i, c in enumerate(columns) if c.value in _chosen(counted.get(c.question_id))]
        keys: list[str | None] = [v for v in _chosen(counted.get(by.id)) if v in by.values()]
        for key in keys or [None]:
            runs_by_row[key] += 1
            for i in given:
                counts[key][i] += 1
        for i in given:
            total[i] += 1
    rows = [Row(value, by.option_text(value), runs_by_row[value], tuple(counts[value]))
            for value in by.values()]  # fmt: skip
    if runs_by_row[None]:
        rows.append(Row(None, NO_ANSWER, runs_by_row[None], tuple(counts[None])))
    return OutcomeTable(script.id, by.text, columns, tuple(rows),
                        Row(None, ALL_RUNS, len(run_ids), tuple(total)), since, until)  # fmt: skip
