"""Lays a letter out with ReportLab Platypus: the letterhead (logo, organisation, address,
phone, e-mail), the date, the partner's address block, then the template's blocks with the
gathered fields, and the signature. In a preview every required field that is empty is
marked in red on yellow; a field the counsellor chose to leave out is left out. Right-to-left
languages mirror the page. Output is deterministic (ReportLab's invariant mode); the PDF's
metadata hold the title, the organisation and the language, never the client."""

from __future__ import annotations

import io
import string
from collections.abc import Callable, Collection
from dataclasses import dataclass, replace
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Image, SimpleDocTemplate, Spacer, Table, TableStyle

from app.i18n import _, has_right_to_left
from app.services.documents.bidi_text import BidiParagraph, Run, TextStyle
from app.services.documents.fonts import register_fonts
from app.services.referrals.letters.content import LetterContent
from app.services.referrals.letters.templates import Block, Template, placeholders

RTL_LANGUAGES = frozenset({"ar"})
MISSING_INK = HexColor("#B00020")
MISSING_BACK = HexColor("#FFF1A8")
GREY = HexColor("#555555")
BOLD = "TrajectSans-Bold"
# a table sets its cells' font even when the cells hold flowables: never the unembedded Helvetica
_TABLE = [("FONT", (0, 0), (-1, -1), "TrajectSans")]


@dataclass(frozen=True)
class Options:
    final: bool = False  # a final letter never has a missing mark (the caller checked)
    left_out: frozenset[str] = frozenset()
    large: bool = False  # the client copy in larger type


def missing_fields(
    template: Template, content: LetterContent, left_out: Collection[str] = ()
) -> list[str]:
    """Required fields with no value that were not left out, in the template's order."""
    used = _used_fields(template)
    return [
        f
        for f in used
        if f in template.required and not content.fields.get(f) and f not in left_out
    ]


def _used_fields(template: Template) -> list[str]:
    out: list[str] = []
    for block in template.blocks:
        names = list(block.fields) + [
            p for t in (block.text, block.otherwise) if t for p in sorted(placeholders(t))
        ]
        out += [n for n in names if n not in out]
    return out


class _Writer:
    def __init__(self, template: Template, content: LetterContent, options: Options) -> None:
        self.template, self.content, self.options = template, content, options
        # the letter's texts; `_` is the counsellor's language (a preview's missing marks)
        self.tr = content.speech.gettext
        self.rtl = content.language in RTL_LANGUAGES
        scale = 1.35 if options.large else (1.12 if template.kind == "client" else 1.0)
        size = 10.0 * scale
        self.body = TextStyle(size=size, leading=size * 1.38, space_after=size * 0.45, rtl=self.rtl)
        self.small = TextStyle(size=8.8, leading=11.5, space_after=0, rtl=self.rtl)
        self.heading = TextStyle(size=size * 1.05, leading=size * 1.45, space_before=size * 0.7,
                                 space_after=size * 0.25, rtl=self.rtl)  # fmt: skip
        self.subject = TextStyle(size=size * 1.3, leading=size * 1.75, space_before=4 * mm,
                                 space_after=size * 0.8, rtl=self.rtl)  # fmt: skip

    def label(self, field: str) -> str:
        return self.tr(self.template.labels.get(field, field))

    def value_runs(self, field: str, font: str = "TrajectSans") -> list[Run]:
        value = self.content.fields.get(field)
        if value:
            return [self.data(", ".join(value) if isinstance(value, list) else value, font)]
        if field in self.options.left_out or field not in self.template.required:
            return [Run("—", font, GREY)]
        return [
            Run(
                _("missing: {field}").format(field=self.label(field)),
                font,
                MISSING_INK,
                MISSING_BACK,
            )
        ]

    def data(self, text: str, font: str = "TrajectSans") -> Run:
        """A value from the file as a run: in a right-to-left letter, a value without
        right-to-left letters keeps its own order."""
        return Run(text, font, embed_ltr=self.rtl and not has_right_to_left(text))

    def shows(self, field: str) -> bool:
        """A row or line for this field: it has a value, or it is required and not left out."""
        if self.content.fields.get(field):
            return True
        return field in self.template.required and field not in self.options.left_out

    def text_runs(self, source: str, font: str = "TrajectSans") -> list[Run]:
        runs: list[Run] = []
        for literal, name, _spec, _conv in string.Formatter().parse(self.tr(source)):
            if literal:
                runs.append(Run(literal, font))
            if name:
                runs += self.value_runs(name, font)
        return runs

    def para(self, runs: list[Run], style: TextStyle) -> BidiParagraph:
        return BidiParagraph(runs, style)

    def story(self) -> list[Any]:
        out: list[Any] = [self.letterhead(), Spacer(1, 6 * mm)]
        if self.template.kind == "partner":
            address = TextStyle(size=10, leading=13, space_after=0, rtl=self.rtl)
            out += [self.para([self.data(line)], address) for line in self.content.partner_block]
            out.append(Spacer(1, 6 * mm))
        out.append(self.para([Run(self.content.date, "TrajectSans", GREY)], self.body))
        for block in self.template.blocks:
            out += self.block(block)
        return out

    def block(self, block: Block) -> list[Any]:
        when_ok = block.when is None or bool(self.content.fields.get(block.when))
        if block.kind in ("subject", "paragraph", "heading", "closing"):
            source = block.text if when_ok else block.otherwise
            if source is None:
                return []
            style = {"subject": self.subject, "heading": self.heading}.get(block.kind, self.body)
            font = BOLD if block.kind in ("subject", "heading") else "TrajectSans"
            out: list[Any] = [self.para(self.text_runs(source, font), style)]
            if block.kind == "closing":
                out += [Spacer(1, 10 * mm), self.para([Run(self.content.referent, BOLD)], self.body),
                        self.para([Run(self.content.letterhead.organisation, "TrajectSans", GREY)], self.body)]  # fmt: skip
            return out
        if block.kind == "fields":
            return self.rows([f for f in block.fields if self.shows(f)])
        if block.kind == "lines":
            return [self.para(self.value_runs(f, BOLD if i == 0 else "TrajectSans"), self.body)
                    for i, f in enumerate(block.fields) if self.shows(f)]  # fmt: skip
        return self.field_block(block)

    def field_block(self, block: Block) -> list[Any]:
        field = block.fields[0]
        value = self.content.fields.get(field)
        if not value and not self.shows(field):
            return (
                [self.para(self.text_runs(block.otherwise), self.body)] if block.otherwise else []
            )
        if block.kind == "list_field":
            items = value if isinstance(value, list) else [value] if value else []
            out = [self.para([Run(self.label(field) + ":", BOLD)], self.body)]
            return out + [self.para([Run("• "), self.data(str(item))], self.body) for item in items]
        if isinstance(value, str):
            return [
                self.para([self.data(line)], self.body)
                for line in value.splitlines()
                if line.strip()
            ]
        return [self.para(self.value_runs(field), self.body)]

    def rows(self, fields: list[str]) -> list[Any]:
        if not fields:
            return []
        data = []
        for field in fields:
            cells = [
                self.para([Run(self.label(field), BOLD)], self.body),
                self.para(self.value_runs(field), self.body),
            ]
            data.append(cells[::-1] if self.rtl else cells)
        widths = [45 * mm, None] if not self.rtl else [None, 45 * mm]
        table = Table(
            data,
            colWidths=widths,
            hAlign="RIGHT" if self.rtl else "LEFT",
            spaceAfter=self.body.space_after,
        )
        table.setStyle(TableStyle([*_TABLE, ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
                                   ("TOPPADDING", (0, 0), (-1, -1), 1)]))  # fmt: skip
        return [table]

    def letterhead(self) -> Any:
        head = self.content.letterhead
        lines = [
            self.para(
                [Run(head.organisation or " ", BOLD)], TextStyle(size=13, leading=16, rtl=self.rtl)
            )
        ]
        details = [*head.address, " · ".join(p for p in (head.phone, head.email) if p)]
        lines += [
            self.para([replace(self.data(line), colour=GREY)], self.small)
            for line in details
            if line
        ]
        if head.logo is None:
            return Table([[lines]], colWidths=[None], hAlign="RIGHT" if self.rtl else "LEFT",
                         style=[*_TABLE, ("LEFTPADDING", (0, 0), (-1, -1), 0)])  # fmt: skip
        logo = Image(io.BytesIO(head.logo), width=30 * mm, height=18 * mm, kind="proportional")
        row = [lines, logo] if self.rtl else [logo, lines]
        return Table([row], colWidths=[None, 34 * mm] if self.rtl else [34 * mm, None],
                     style=[*_TABLE, ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)])  # fmt: skip


def render(template: Template, content: LetterContent, options: Options,
           on_page: Callable[[Any, Any], None] | None = None) -> bytes:  # fmt: skip
    """The letter as PDF bytes."""
    register_fonts()
    writer = _Writer(template, content, options)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=A4, leftMargin=22 * mm, rightMargin=22 * mm, topMargin=16 * mm,
        bottomMargin=16 * mm, title=writer.tr(template.title), author=content.letterhead.organisation,
        subject="", creator="Traject", producer="Traject", keywords="", lang=content.language,
        invariant=1, initialFontName="TrajectSans",
    )  # fmt: skip
    doc.build(writer.story(), onFirstPage=on_page or _nothing, onLaterPages=on_page or _nothing)
    return buffer.getvalue()


def _nothing(canvas: Any, doc: Any) -> None:
    return None
