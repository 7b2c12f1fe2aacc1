"""The paper version of a script (source 004: "you can also have the client fill it in, e.g.
during an information session"): every question and follow-up with boxes to tick and lines to
write on, in the language asked for. Follow-ups say when they apply. Its metadata names no one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app.i18n import _, in_language
from app.services.pdf_fonts import register_fonts
from app.services.scripts.definition import Question, QuestionType, Script

BOX = "☐"  # U+2610, in the shipped DejaVu fonts


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


def escape(text: str) -> str:
    from xml.sax.saxutils import escape as xml_escape

    return xml_escape(text)


def when_text(script: Script, cond: dict[str, Any]) -> str:
    """When a follow-up applies, in words (a simple condition), or that it only sometimes does."""
    if "q" in cond and ("is" in cond or "has" in cond):
        asked = script.question(cond["q"])
        value = cond.get("is", cond.get("has"))
        return _("Only if you answered “{answer}” to “{question}”.").format(
            answer=_(asked.option_text(str(value))), question=_(asked.text))  # fmt: skip
    if "q" in cond and cond.get("answered"):
        return _("Only if you answered “{question}”.").format(
            question=_(script.question(cond["q"]).text)
        )
    return _("Only if this applies to you.")


def _answer_space(question: Question, indent: float, st: dict[str, Any]) -> list[Any]:
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, Table, TableStyle

    if question.type in (QuestionType.TEXT, QuestionType.NUMBER, QuestionType.DATE):
        width = 55 * mm if question.type != QuestionType.TEXT else 165 * mm - indent
        rows = 2 if question.type == QuestionType.TEXT else 1
        lines = Table([[""] for _row in range(rows)], colWidths=[width], rowHeights=[8 * mm] * rows)
        lines.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.5, "#777777")]))
        lines.hAlign = "LEFT"
        return [_indented(lines, indent)]
    texts = [f"{BOX}  {escape(_(question.option_text(v)))}" for v in question.values()]
    longest = max(len(t) for t in texts)
    columns = min(len(texts), 4 if longest <= 16 else (2 if longest <= 34 else 1))
    cells = [Paragraph(t, st["body"]) for t in texts]
    grid = [cells[i : i + columns] for i in range(0, len(cells), columns)]
    grid[-1] += [""] * (columns - len(grid[-1]))
    table = Table(grid, colWidths=[(165 * mm - indent) / columns] * columns, hAlign="LEFT")
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1)]))  # fmt: skip
    return [_indented(table, indent)]


def _indented(flowable: Any, indent: float) -> Any:
    from reportlab.platypus import Table, TableStyle

    if not indent:
        return flowable
    holder = Table([["", flowable]], colWidths=[indent, None], hAlign="LEFT")
    holder.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                                ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))  # fmt: skip
    return holder


def story(script: Script) -> list[Any]:
    """The form's flowables in the current language."""
    from reportlab.lib.units import mm
    from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table, TableStyle

    st = styles()
    out: list[Any] = [Paragraph(escape(_(script.title)), st["title"])]
    who = Table([[_("Name:"), "", _("Date:"), ""]], colWidths=[18 * mm, 85 * mm, 15 * mm, 47 * mm],
                rowHeights=[10 * mm], hAlign="LEFT")  # fmt: skip
    who.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), "TrajectSans"), ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                             ("LINEBELOW", (1, 0), (1, 0), 0.5, "#777777"), ("LINEBELOW", (3, 0), (3, 0), 0.5, "#777777")]))  # fmt: skip
    out += [who, Spacer(1, 3 * mm),
            Paragraph(escape(_("Tick every box that applies. Questions marked with an arrow are "
                               "only for those they apply to.")), st["small"])]  # fmt: skip
    for step in script.steps:
        heading = [Paragraph(escape(_(step.title)), st["step"])]  # kept with the first question
        if step.show_if:
            heading.append(Paragraph(escape(when_text(script, step.show_if)), st["small"]))
        for question in step.questions:
            follow_up = question.show_if is not None
            indent = 8 * mm if follow_up else 0
            parts, heading = heading, []
            if follow_up or not _(step.title).endswith(_(question.text)):  # not the title again
                parts.append(Paragraph(("→ " if follow_up else "") + escape(_(question.text)),
                                       st["followup" if follow_up else "question"]))  # fmt: skip
            if follow_up:
                parts.append(
                    Paragraph(escape(when_text(script, question.show_if or {})), st["when"])
                )
            parts += _answer_space(question, indent, st)
            if question.note and question.type != QuestionType.TEXT:
                parts.append(
                    Paragraph(
                        escape(_("Anything you want to add:")), st["when" if follow_up else "small"]
                    )
                )
                parts += _answer_space(Question("note", QuestionType.TEXT, ""), indent, st)
            out.append(KeepTogether(parts))
    return out


def document(target: Path, title: str) -> Any:
    """An A4 document with the scripts' margins whose metadata names the form only."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import SimpleDocTemplate

    return SimpleDocTemplate(str(target), pagesize=A4, leftMargin=22 * mm, rightMargin=20 * mm,
                             topMargin=18 * mm, bottomMargin=18 * mm, title=title, author="",
                             subject="", creator="Traject", producer="Traject", keywords="")  # fmt: skip


def write_blank(script: Script, language: str, target: Path) -> int:
    """The blank form as a PDF in `language`; returns the number of pages."""
    from reportlab.lib.units import mm

    register_fonts()
    with in_language(language):
        title = _(script.title)
        page_label = _("page {n}")

        def footer(canvas: Any, doc: Any) -> None:
            canvas.saveState()
            canvas.setFont("TrajectSans", 8)
            canvas.setFillColorRGB(0.4, 0.4, 0.4)
            canvas.drawString(20 * mm, 10 * mm, f"{title} (v{script.version})")
            canvas.drawRightString(190 * mm, 10 * mm, page_label.format(n=doc.page))
            canvas.restoreState()

        doc = document(target, title)
        doc.build(story(script), onFirstPage=footer, onLaterPages=footer)
        return int(doc.page)
