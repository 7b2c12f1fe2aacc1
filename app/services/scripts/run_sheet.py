"""A run printed. For a print action with a sheet, a hand-out for the client in the client's
language: for "free internet places", where they can go online for free (source 004, and the
catalogue's job shops in their province) and who their counsellor is — never the answers,
flags or notes, which are the counsellor's. Without a sheet, the run for the file: answers,
result with reasons, flags. The metadata names no one."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import _, format_date, in_language, is_supported
from app.models import Client, Counsellor, Offer, ScriptRun
from app.models.enums import ScriptChannel
from app.models.practical import OfferType
from app.services import clients
from app.services.pdf_fonts import register_fonts
from app.services.scripts import engine, runs
from app.services.scripts.definition import Action, Question, QuestionType, Script
from app.services.scripts.paper_form import document, escape, styles


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
    register_fonts()  # before any paragraph style names the font
    client = clients.get_client(session, run.client_id)
    if action is not None and action.sheet == "free_internet_places":
        language = client.contact_language if client.contact_language and is_supported(
            client.contact_language) else None  # fmt: skip
        with in_language(language):  # None: the interface language
            _build(target, _("Where you can go online for free"),
                   _free_internet(session, run, client))  # fmt: skip
    else:
        _build(target, _(script.title), _run_record(session, run, script, client))


def _build(target: Path, title: str, story: list[Any]) -> None:
    from reportlab.platypus import Paragraph

    document(target, title).build([Paragraph(escape(title), styles()["title"]), *story])


def _free_internet(session: Session, run: ScriptRun, client: Client) -> list[Any]:
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    st = styles()
    out: list[Any] = [Paragraph(escape(_("For {name}, {date}").format(
        name=client.full_name, date=format_date(run.started_at.date()))), st["body"]),
        Spacer(1, 4 * mm)]  # fmt: skip
    province = client.province.value if client.province else None
    out += [Paragraph("• " + escape(place), st["body"])
            for place in free_internet_places(session, province)]  # fmt: skip
    counsellor = session.get(Counsellor, run.counsellor_id) if run.counsellor_id else None
    if counsellor is not None:
        contact = ", ".join(p for p in (counsellor.full_name, counsellor.phone) if p)
        out += [Spacer(1, 6 * mm), Paragraph(escape(_("Your counsellor: {contact}").format(
            contact=contact)), st["question"])]  # fmt: skip
    return out


def _run_record(session: Session, run: ScriptRun, script: Script, client: Client) -> list[Any]:
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Spacer

    st = styles()
    given = runs.answers(session, run.id)
    outcome = engine.outcome(script, given)
    out: list[Any] = [Paragraph(escape(f"{client.full_name} — {client.dossier}"), st["body"]),
                      Paragraph(escape(f"{format_date(run.started_at.date())} — "
                                       f"{ScriptChannel(run.channel).label}"), st["small"])]  # fmt: skip
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
    return out
