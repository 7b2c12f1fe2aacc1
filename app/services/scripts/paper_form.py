"""The paper version of a script (source 004: "you can also have the client fill it in, e.g.
during an information session"): every question and follow-up with boxes to tick and lines to
write on, in the language asked for: any document language, its texts from the `documents`
catalogs (`babel-documents.cfg` extracts the scripts' titles, questions and options), read
through the form's `DocumentSpeech` (the interface language stays as it is). Follow-ups say
when they apply. Its metadata names no one. `document` also lays out the run sheet and the
hand-out, which name a client: each is built into `app.private_files.atomic_write` (0600, whole
or not at all).
"""

from __future__ import annotations

from pathlib import Path
from typing import IO, Any

from app.i18n import DocumentSpeech, _, for_document
from app.private_files import atomic_write
from app.services.documents.fonts import register_fonts
from app.services.documents.pdf_text import draw_line, paragraph, row, start_side
from app.services.scripts.definition import Question, QuestionType, Script

BOX = "☐"  # U+2610, in the shipped DejaVu fonts


#: The file name a blank form is offered under; translators write it in their language.
def default_file_name(script: Script, language: str, dossier: str | None = None) -> str:
    """The name a blank form is offered under, in the interface language: the word for
    questionnaire, the script's title, the client's dossier (never a name) and the form's
    language, e.g. "vragenlijst-digitaal-profiel-T-2026-000218-ar.pdf". A title that does not
    reduce to ASCII (an Arabic interface) gives the script's id instead."""
    from app.services.documents.file_names import file_name, slug

    title = slug(_(script.title)) or script.id
    detail = "-".join(part for part in (title, dossier or "", language.lower()) if part)
    return file_name("blank_questionnaire", detail=detail)


def styles() -> dict[str, Any]:
    from reportlab.lib.colors import HexColor
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm

    body = ParagraphStyle("body", fontName="TrajectSans", fontSize=10.5, leading=14)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11,
                                textColor=HexColor("#555555")),
        "question": ParagraphStyle("question", parent=body, fontName="TrajectSans-Bold",
                                   spaceBefore=7, spaceAfter=2),
        "followup": ParagraphStyle("followup", parent=body, fontName="TrajectSans-Bold",
                                   leftIndent=8 * mm, spaceBefore=5, spaceAfter=2),
        "when": ParagraphStyle("when", parent=body, fontSize=8.5, leading=11, leftIndent=8 * mm,
                               textColor=HexColor("#555555")),
        "step": ParagraphStyle("step", parent=body, fontName="TrajectSans-Bold", fontSize=12.5,
                               leading=16, spaceBefore=12, spaceAfter=2),
        "title": ParagraphStyle("title", parent=body, fontName="TrajectSans-Bold", fontSize=17,
                                leading=22, spaceAfter=4),
    }  # fmt: skip


def when_text(script: Script, cond: dict[str, Any], speech: DocumentSpeech) -> str:
    """When a follow-up applies, in words (a simple condition), or that it only sometimes does."""
    if "q" in cond and ("is" in cond or "has" in cond):
        asked = script.question(cond["q"])
        value = cond.get("is", cond.get("has"))
        return speech.gettext("Only if you answered “{answer}” to “{question}”.").format(
            answer=speech.gettext(asked.option_text(str(value))),
            question=speech.gettext(asked.text))  # fmt: skip
    if "q" in cond and cond.get("answered"):
        return speech.gettext("Only if you answered “{question}”.").format(
            question=speech.gettext(script.question(cond["q"]).text)
        )
    return speech.gettext("Only if this applies to you.")


def _answer_space(
    question: Question, indent: float, st: dict[str, Any], speech: DocumentSpeech
) -> list[Any]:
    from reportlab.lib.units import mm
    from reportlab.platypus import Table, TableStyle

    rtl = speech.is_right_to_left
    if question.type in (QuestionType.TEXT, QuestionType.NUMBER, QuestionType.DATE):
        width = 55 * mm if question.type != QuestionType.TEXT else 165 * mm - indent
        rows = 2 if question.type == QuestionType.TEXT else 1
        lines = Table([[""] for _row in range(rows)], colWidths=[width], rowHeights=[8 * mm] * rows)
        lines.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.5, "#777777")]))
        lines.hAlign = start_side(rtl)
        return [_indented(lines, indent, rtl)]
    texts = [f"{BOX}  {speech.gettext(question.option_text(v))}" for v in question.values()]
    longest = max(len(t) for t in texts)
    columns = min(len(texts), 4 if longest <= 16 else (2 if longest <= 34 else 1))
    cells = [paragraph(t, st["body"], rtl) for t in texts]
    grid = [cells[i : i + columns] for i in range(0, len(cells), columns)]
    grid[-1] += [""] * (columns - len(grid[-1]))
    grid = [row(line, rtl) for line in grid]
    table = Table(grid, colWidths=[(165 * mm - indent) / columns] * columns, hAlign=start_side(rtl))
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))  # fmt: skip
    return [_indented(table, indent, rtl)]


def _indented(flowable: Any, indent: float, rtl: bool) -> Any:
    from reportlab.platypus import Table, TableStyle

    if not indent:
        return flowable
    holder = Table([row(["", flowable], rtl)], colWidths=row([indent, None], rtl),
                   hAlign=start_side(rtl))  # fmt: skip
    holder.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))  # fmt: skip
    return holder


def story(script: Script, speech: DocumentSpeech) -> list[Any]:
    """The form's flowables in the speech's language; from the right in Arabic."""
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

    rtl = speech.is_right_to_left
    st = styles()
    arrow = "← " if rtl else "→ "
    out: list[Any] = [paragraph(speech.gettext(script.title), st["title"], rtl)]
    name, date = speech.gettext("Name:"), speech.gettext("Date:")
    name_width, date_width = (
        stringWidth(t, "TrajectSans", st["body"].fontSize) + 14 for t in (name, date)
    )
    who = Table([row([paragraph(name, st["body"], rtl), "", paragraph(date, st["body"], rtl), ""], rtl)],
                colWidths=row([name_width, 118 * mm - name_width - date_width, date_width, 47 * mm], rtl),
                rowHeights=[10 * mm], hAlign=start_side(rtl))  # fmt: skip
    lines = (0, 2) if rtl else (1, 3)  # the columns to write on
    who.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                             *(("LINEBELOW", (c, 0), (c, 0), 0.5, "#777777") for c in lines)]))  # fmt: skip
    out += [who, Spacer(1, 3 * mm),
            paragraph(speech.gettext("Tick every box that applies. Questions marked with an "
                                     "arrow are only for those they apply to."),
                      st["small"], rtl)]  # fmt: skip
    for step in script.steps:
        step_title = speech.gettext(step.title)
        heading = [paragraph(step_title, st["step"], rtl)]  # kept with the first question
        if step.show_if:
            heading.append(paragraph(when_text(script, step.show_if, speech), st["small"], rtl))
        for question in step.questions:
            follow_up = question.show_if is not None
            indent = 8 * mm if follow_up else 0
            parts, heading = heading, []
            text = speech.gettext(question.text)
            if follow_up or not step_title.endswith(text):  # not the title again
                parts.append(paragraph((arrow if follow_up else "") + text,
                                       st["followup" if follow_up else "question"], rtl))  # fmt: skip
            if follow_up:
                parts.append(paragraph(when_text(script, question.show_if or {}, speech),
                                       st["when"], rtl))  # fmt: skip
            parts += _answer_space(question, indent, st, speech)
            if question.note and question.type != QuestionType.TEXT:
                parts.append(paragraph(speech.gettext("Anything you want to add:"),
                                       st["when" if follow_up else "small"], rtl))  # fmt: skip
                parts += _answer_space(Question("note", QuestionType.TEXT, ""), indent, st, speech)
            out.append(KeepTogether(parts))
    return out


def document(out: IO[bytes], title: str) -> Any:
    """An A4 document with the scripts' margins whose metadata names the form only, built into
    `out`."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    return SimpleDocTemplate(out, pagesize=A4, leftMargin=22 * mm, rightMargin=20 * mm,
                             topMargin=18 * mm, bottomMargin=18 * mm, title=title, author="",
                             subject="", creator="Traject", producer="Traject", keywords="")  # fmt: skip


def write_blank(script: Script, language: str, target: Path) -> int:
    """The blank form as a PDF in `language` (a document language); returns the number of
    pages."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth

    register_fonts()
    speech = for_document(language)
    rtl = speech.is_right_to_left
    title = speech.gettext(script.title)
    page_label = speech.gettext("page {n}")
    small = ParagraphStyle("footer", fontName="TrajectSans", fontSize=8, leading=10,
                           textColor="#666666")  # fmt: skip

    def footer(canvas: Any, doc: Any) -> None:
        name, page = f"{title} (v{script.version})", page_label.format(n=doc.page)
        canvas.saveState()
        if rtl:  # the form's name at the right, the page at the left
            draw_line(canvas, name, 70 * mm, 10 * mm, 120 * mm, small, rtl=True)
            draw_line(canvas, page, 20 * mm, 10 * mm, stringWidth(page, "TrajectSans", 8) + 2,
                      small, rtl=True)  # fmt: skip
        else:
            draw_line(canvas, name, 20 * mm, 10 * mm, 120 * mm, small)
            canvas.setFont("TrajectSans", 8)
            canvas.setFillColorRGB(0.4, 0.4, 0.4)
            canvas.drawRightString(190 * mm, 10 * mm, page)
        canvas.restoreState()

    with atomic_write(target) as out:
        doc = document(out, title)
        doc.build(story(script, speech), onFirstPage=footer, onLaterPages=footer)
    return int(doc.page)
