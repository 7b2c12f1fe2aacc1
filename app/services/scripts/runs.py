"""A script run with one client: started, answered one question at a time (each answer is
saved as it is given, so a run survives a closed window or a killed process and can be
resumed), finished with the computed result and its reasons, and overridden with a reason.

Sessions are passed in and the caller commits; every call checks that the counsellor may work
on the client's file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import _
from app.models import ScriptAnswer, ScriptRun
from app.models.base import utcnow
from app.models.enums import AuditAction, ScriptChannel
from app.services.caseload import clients, test_results
from app.services.errors import Conflict, NotFound, ValidationFailed
from app.services.privacy import access, audit
from app.services.privacy.access import Actor
from app.services.scripts import engine
from app.services.scripts.definition import Question, QuestionType, Script

MAX_TEXT = 2000
MIN_OVERRIDE_REASON = 10


def start(
    session: Session, actor: Actor, client_id: int, script: Script, channel: ScriptChannel
) -> ScriptRun:
    access.require_file(session, actor, client_id)
    run = ScriptRun(script_id=script.id, script_version=script.version, client_id=client_id,
                    counsellor_id=actor.counsellor_id, channel=ScriptChannel(channel).value)  # fmt: skip
    session.add(run)
    session.flush()
    audit.record(session, AuditAction.CHANGE, counsellor_id=actor.counsellor_id, client_id=client_id,
                 detail=f"script_runs: {script.id} started")  # fmt: skip
    return run


def get(session: Session, actor: Actor, run_id: int) -> ScriptRun:
    run = session.get(ScriptRun, run_id)
    if run is None:
        raise NotFound(_("This script run no longer exists."))
    access.require_file(session, actor, run.client_id)
    return run


def unfinished(session: Session, client_id: int, script_id: str) -> ScriptRun | None:
    """The newest run of this script with this client that was not finished (to resume)."""
    return session.scalar(
        select(ScriptRun)
        .where(ScriptRun.client_id == client_id, ScriptRun.script_id == script_id,
               ScriptRun.finished_at.is_(None))
        .order_by(ScriptRun.id.desc())
        .limit(1)
    )  # fmt: skip


def of_client(session: Session, client_id: int) -> list[ScriptRun]:
    return list(session.scalars(select(ScriptRun).where(ScriptRun.client_id == client_id)
                                .order_by(ScriptRun.started_at.desc(), ScriptRun.id.desc())))  # fmt: skip


def answers(session: Session, run_id: int) -> dict[str, Any]:
    rows = session.scalars(select(ScriptAnswer).where(ScriptAnswer.run_id == run_id))
    return {row.question_id: row.value for row in rows}


def notes(session: Session, run_id: int) -> dict[str, str]:
    rows = session.scalars(select(ScriptAnswer).where(ScriptAnswer.run_id == run_id))
    return {row.question_id: row.note for row in rows if row.note}


def checked_value(question: Question, value: Any) -> Any:
    """The value as stored, or ValidationFailed naming the question and what it takes."""

    def refuse(message: str) -> ValidationFailed:
        return ValidationFailed({question.id: _("{question}: {problem}").format(
            question=_(question.text), problem=message)})  # fmt: skip

    if value is None or value == "" or value == []:
        return None  # the answer is taken back
    if question.type in (QuestionType.YES_NO, QuestionType.SINGLE_CHOICE):
        if value not in question.values():
            raise refuse(_("choose one of the answers offered."))
        return value
    if question.type == QuestionType.MULTIPLE_CHOICE:
        chosen = [value] if isinstance(value, str) else list(value)
        if any(v not in question.values() for v in chosen):
            raise refuse(_("choose among the answers offered."))
        return [v for v in question.values() if v in chosen]  # in the script's order, once each
    if question.type == QuestionType.NUMBER:
        try:
            number = float(str(value).replace(",", "."))
        except ValueError:
            raise refuse(_("give a number, e.g. 12 or 2.5.")) from None
        return int(number) if number.is_integer() else number
    if question.type == QuestionType.DATE:
        try:
            return dt.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            raise refuse(_("give a date as YYYY-MM-DD, e.g. 2026-03-15.")) from None
    text = " ".join(str(value).split()) if "\n" not in str(value) else str(value).strip()
    if len(text) > MAX_TEXT:
        raise refuse(_("write at most {n} characters.").format(n=MAX_TEXT))
    return text


def _may_answer(session: Session, actor: Actor, run: ScriptRun) -> None:
    access.require_file(session, actor, run.client_id)
    if run.finished_at is not None:
        raise Conflict(_("This run is finished; start a new one to change the answers."))


def _question(script: Script, question_id: str) -> Question:
    try:
        return script.question(question_id)
    except KeyError:
        raise NotFound(_("The script {script} has no question “{id}”.").format(
            script=script.id, id=question_id)) from None  # fmt: skip


def answer(
    session: Session, actor: Actor, run: ScriptRun, script: Script, question_id: str, value: Any,
    note: str | None = None,
) -> None:  # fmt: skip
    """Store one answer (replacing an earlier one), or take it back with an empty value."""
    _may_answer(session, actor, run)
    question = _question(script, question_id)
    stored = checked_value(question, value)
    _check_client_field(session, run, question, stored)
    _store(session, run, question_id, stored, note)


def _check_client_field(session: Session, run: ScriptRun, question: Question, stored: Any) -> None:
    """An answer that fills in a client file field must be valid there (an e-mail address)."""
    if stored is None or not engine.fills_client_field(question, stored):
        return
    field = str(question.client_field)
    try:
        clients.check_changes(
            session, run.client_id, {field: engine.client_value(question, stored)}
        )
    except ValidationFailed as exc:
        raise ValidationFailed({question.id: str(exc)}) from None


def answer_all(
    session: Session, actor: Actor, run: ScriptRun, script: Script, given: Mapping[str, Any]
) -> None:
    """Answers from paper or a file: every one is checked first, then all are stored."""
    _may_answer(session, actor, run)
    checked: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for question_id, value in given.items():
        try:
            question = _question(script, question_id)
            checked[question_id] = checked_value(question, value)
            _check_client_field(session, run, question, checked[question_id])
        except NotFound as exc:
            errors[question_id] = str(exc)
        except ValidationFailed as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)
    for question_id, stored in checked.items():
        _store(session, run, question_id, stored, None)


def _store(
    session: Session, run: ScriptRun, question_id: str, stored: Any, note: str | None
) -> None:
    note = (note or "").strip() or None
    row = session.scalar(select(ScriptAnswer).where(ScriptAnswer.run_id == run.id,
                                                    ScriptAnswer.question_id == question_id))  # fmt: skip
    if stored is None and note is None:
        if row is not None:
            session.delete(row)
        session.flush()
        return
    if row is None:
        row = ScriptAnswer(run_id=run.id, question_id=question_id)
        session.add(row)
    row.value, row.note, row.answered_at = stored, note, utcnow()
    session.flush()


def finish(session: Session, actor: Actor, run: ScriptRun, script: Script) -> engine.Outcome:
    """Compute and store the result with its reasons and the flags, fill in the client file
    fields the answers correspond to; the run is then closed."""
    access.require_file(session, actor, run.client_id)
    given = answers(session, run.id)
    result = engine.outcome(
        script, given, test_results.measured_dutch_level(session, run.client_id)
    )
    changes = engine.client_changes(script, given)
    if changes:
        clients.update_client(session, run.client_id, changes, actor=actor)
        note_action(session, run, "client_fields", ", ".join(sorted(changes)))
    run.result = result.result.id
    run.result_reasons = list(result.result.reasons)
    run.flags = [{"id": f.id, "reasons": list(f.reasons)} for f in result.flags]
    run.finished_at = utcnow()
    session.flush()
    audit.record(session, AuditAction.CHANGE, counsellor_id=actor.counsellor_id, client_id=run.client_id,
                 detail=f"script_runs: {script.id} result {result.result.id}")  # fmt: skip
    return result


def override(
    session: Session, actor: Actor, run: ScriptRun, script: Script, result_id: str, reason: str
) -> None:
    """The counsellor's own judgement over the computed result, with the reason for it."""
    access.require_file(session, actor, run.client_id)
    errors = {}
    if result_id not in {r.id for r in script.results}:
        errors["override_result"] = _("Result: choose one of the script's results.")
    reason = " ".join(reason.split())
    if len(reason) < MIN_OVERRIDE_REASON:
        errors["override_reason"] = _("Reason: say why you choose another result (at least {n} "
                                      "characters).").format(n=MIN_OVERRIDE_REASON)  # fmt: skip
    if errors:
        raise ValidationFailed(errors)
    run.override_result, run.override_reason = result_id, reason
    session.flush()
    audit.record(session, AuditAction.CHANGE, counsellor_id=actor.counsellor_id, client_id=run.client_id,
                 detail=f"script_runs: {script.id} override {result_id}")  # fmt: skip


def note_action(session: Session, run: ScriptRun, action_id: str, detail: str = "") -> None:
    """Remember that a suggested action was taken (the caller took it)."""
    taken = list(run.actions_taken or [])
    taken.append(
        {"action": action_id, "at": utcnow().isoformat(timespec="seconds"), "detail": detail}
    )
    run.actions_taken = taken
    session.flush()
