"""Text for the client's documents (paper questionnaire, appointment card, hand-out, data
export) in any document language. ReportLab's own Paragraph neither joins Arabic letters nor
orders them right to left, so a text that holds right-to-left letters, or any text of a
right-to-left document, is set by the letters' bidi flowable; the rest stays a Paragraph.
A right-to-left document also reads its table rows from the right."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from app.i18n import has_right_to_left
from app.services.documents.bidi_text import BidiParagraph, Run, TextStyle


def paragraph(text: str, style: Any, rtl: bool = False) -> Any:
    """`text` (plain, not markup) in a ReportLab ParagraphStyle; right-aligned when `rtl`."""
    if not rtl and not has_right_to_left(text):
        from reportlab.platypus import Paragraph

        return Paragraph(escape(text), style)
    # a value without right-to-left letters (a phone number, an e-mail address, a street)
    # keeps its own order inside right-to-left text: "+32 470…", not "…470 32+"
    return BidiParagraph(
        [Run(text, font=style.fontName, colour=style.textColor,
             embed_ltr=rtl and not has_right_to_left(text))],
        TextStyle(size=style.fontSize, leading=style.leading, space_before=style.spaceBefore,
                  space_after=style.spaceAfter, rtl=rtl, indent=style.leftIndent),
    )  # fmt: skip


def row(cells: list[Any], rtl: bool) -> list[Any]:
    """A table row in reading order: from the right in a right-to-left document."""
    return cells[::-1] if rtl else cells


def start_side(rtl: bool) -> str:
    """Where a table that is narrower than the page stands: LEFT, or RIGHT when `rtl`."""
    return "RIGHT" if rtl else "LEFT"


def draw_line(canvas: Any, text: str, x: float, y: float, width: float, style: Any,
              rtl: bool = False) -> None:  # fmt: skip
    """One line of running text on the page (a footer) at `x`..`x + width`, baseline `y`."""
    flowable = paragraph(text, style, rtl)
    _, height = flowable.wrap(width, style.leading * 2)
    flowable.drawOn(canvas, x, y - height + style.fontSize)  # the first baseline at `y`
