"""A run printed. For a print action with a sheet, a hand-out for the client
(`internet_sheet`: where they can go online for free). Without a sheet, the run for the file,
in the interface language: answers, result with reasons, flags. The metadata names no one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from app.i18n import DocumentSpeech, _, current_language, format_date, is_right_to_left
from app.models import Client, ScriptRun
from app.models.enums import ScriptChannel
from app.private_files import atomic_write
from app.services.caseload import clients, test_results
from app.services.documents.fonts import register_fonts
from app.services.documents.pdf_text import paragraph
from app.services.scripts import engine, internet_sheet, runs
from app.services.scripts.definition import Action, Question, QuestionType, Script
from app.services.scripts.paper_form import document, styles


def answer_text(question: Question, value: Any, speech: DocumentSpeech | None = None) -> str:
    """A stored answer as words (its options' texts): in a document's language when a speech is
    given, else in the interface language."""
    tr = speech.gettext if speech is not None else _
    if question.type in (QuestionType.YES_NO, QuestionType.SINGLE_CHOICE):
        return tr(question.option_text(str(value)))
    if question.type == QuestionType.MULTIPLE_CHOICE:
        return ", ".join(tr(question.option_text(v)) for v in value)
    return str(value)


def write(
    session: Session, run: ScriptRun, script: Script, target: Path, action: Action | None = None
) -> None:
    client = clients.get_client(session, run.client_id)
    if action is not None and action.sheet == "free_internet_places":
        internet_sheet.write(session, run, client, target)
        return
    register_fonts()  # before any paragraph style names the font
    title = _(script.title)
    rtl = is_right_to_left(current_language())
    story = [
        paragraph(title, styles()["title"], rtl),
        *_run_record(session, run, script, client, rtl),
    ]
    with atomic_write(target) as out:
        document(out, title).build(story)


def _run_record(
    session: Session, run: ScriptRun, script: Script, client: Client, rtl: bool
) -> list[Any]:
    from reportlab.lib.units import mm
    from reportlab.platypus import Spacer

    st = styles()

    def para(text: str, style: Any) -> Any:
        return paragraph(text, style, rtl)

    given = runs.answers(session, run.id)
    outcome = engine.outcome(
        script, given, test_results.measured_dutch_level(session, run.client_id)
    )
    out: list[Any] = [para(f"{client.full_name} — {client.dossier}", st["body"]),
                      para(f"{format_date(run.started_at.date())} — {ScriptChannel(run.channel).label}",
                           st["small"])]  # fmt: skip
    out.append(para(_("Result: {result}").format(result=_(outcome.result.label)), st["step"]))
    out += [para("• " + _(reason), st["body"]) for reason in outcome.result.reasons]
    for flag in outcome.flags:
        out.append(para(f"{_(flag.label)}: {_(flag.explanation)}", st["question"]))
        out += [para("• " + _(reason), st["body"]) for reason in flag.reasons]
    out.append(para(_("Answers"), st["step"]))
    notes = runs.notes(session, run.id)
    for question_id, value in engine.relevant_answers(script, given).items():
        question = script.question(question_id)
        out.append(para(_(question.text), st["question"]))
        text = answer_text(question, value)
        if question_id in notes:
            text += f" — {notes[question_id]}"
        out.append(para(text, st["body"]))
    out.append(Spacer(1, 4 * mm))
    return out
