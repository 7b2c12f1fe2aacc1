"""A run printed: the client's answers, the result with its reasons and the flags, for the file
or to hand to the client; when printed for the "free internet places" action, the places where
the client can go online for free (source 004), with those of the offer catalogue in the
client's province. Its metadata names no one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import _, format_date
from app.models import Offer, ScriptRun
from app.models.enums import ScriptChannel
from app.models.practical import OfferType
from app.services import clients
from app.services.pdf_fonts import register_fonts
from app.services.scripts import engine, runs
from app.services.scripts.definition import Action, Question, QuestionType, Script
from app.services.scripts.paper_form import escape, styles


def _answer_text(question: Question, value: Any) -> str:
    if question.type in (QuestionType.YES_NO, QuestionType.SINGLE_CHOICE):
        return _(question.option_text(str(value)))
    if question.type == QuestionType.MULTIPLE_CHOICE:
        return ", ".join(_(question.option_text(v)) for v in value)
    return str(value)


def free_internet_places(session: Session, province: str | None) -> list[str]:
    """The kinds of place the source names, then the catalogue's own in the province."""
    places = [_("the registration computers in the job shop"), _("the public library"),
              _("the neighbourhood centre")]  # fmt: skip
    if province:
        offers = session.scalars(select(Offer).where(Offer.offer_type == OfferType.JOB_SHOP.value,
                                                     Offer.region == province).order_by(Offer.name))  # fmt: skip
        for offer in offers:
            where = ", ".join(p for p in (offer.street, offer.postal_code, offer.municipality) if p)
            places.append(f"{offer.name} — {where}" if where else offer.name)
    return places


def write(
    session: Session, run: ScriptRun, script: Script, target: Path, action: Action | None = None
) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    register_fonts()
    st = styles()
    client = clients.get_client(session, run.client_id)
    given = runs.answers(session, run.id)
    outcome = engine.outcome(script, given)
    out: list[Any] = [Paragraph(escape(_(script.title)), st["title"]),
                      Paragraph(escape(f"{client.full_name} — {client.dossier}"), st["body"]),
                      Paragraph(escape(f"{format_date(run.started_at.date())} — "
                                       f"{ScriptChannel(run.channel).label}"), st["small"])]  # fmt: skip
    if action is not None and action.sheet == "free_internet_places":
        out.append(Paragraph(escape(_("Where you can go online for free")), st["step"]))
        out += [Paragraph("• " + escape(place), st["body"])
                for place in free_internet_places(session, client.province.value if client.province else None)]  # fmt: skip
    out.append(
        Paragraph(escape(_("Result: {result}").format(result=_(outcome.result.label))), st["step"])
    )
    out += [Paragraph("• " + escape(_(reason)), st["body"]) for reason in outcome.result.reasons]
    for flag in outcome.flags:
        out.append(Paragraph(escape(f"{_(flag.label)}: {_(flag.explanation)}"), st["question"]))
        out += [Paragraph("• " + escape(_(reason)), st["body"]) for reason in flag.reasons]
    out.append(Paragraph(escape(_("Answers")), st["step"]))
    notes = runs.notes(session, run.id)
    for question_id, value in engine.relevant_answers(script, given).items():
        question = script.question(question_id)
        out.append(Paragraph(escape(_(question.text)), st["question"]))
        text = _answer_text(question, value)
        if question_id in notes:
            text += f" — {notes[question_id]}"
        out.append(Paragraph(escape(text), st["body"]))
    out.append(Spacer(1, 4 * mm))
    doc = SimpleDocTemplate(str(target), pagesize=A4, leftMargin=22 * mm, rightMargin=20 * mm,
                            topMargin=18 * mm, bottomMargin=18 * mm, title=_(script.title), author="",
                            subject="", creator="Traject", producer="Traject", keywords="")  # fmt: skip
    doc.build(out)
