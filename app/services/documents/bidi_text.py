"""A ReportLab flowable for text in any script, Arabic included: Arabic letters are joined by
arabic-reshaper (contextual presentation forms), lines are broken on words, and each line is
laid out in visual order by python-bidi's Unicode bidirectional algorithm. The glyphs are
written to the PDF in *logical* order, each placed at its visual position, so the page reads
right to left while text extraction (pypdf, copy and paste, screen readers) gets the words in
the order they were typed — after NFKC normalisation, the letters typed.

A paragraph is a list of runs (text with a font, a colour and an optional highlight, used to
mark a missing field); lines that hold no right-to-left character take a fast path."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

import arabic_reshaper
from bidi import algorithm as bidi
from reportlab.lib.colors import Color, black
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.platypus import Flowable

from app.i18n import has_right_to_left, is_right_to_left_char

_SPACE = re.compile(r"(\s+)")


@dataclass(frozen=True)
class Run:
    text: str
    font: str = "TrajectSans"
    colour: Color = black
    highlight: Color | None = None  # a box behind the words (the mark of a missing field)
    # a left-to-right value (a phone number, an address, a Dutch sentence) kept in its own
    # order inside right-to-left text: each line's part goes in a left-to-right embedding
    embed_ltr: bool = False


@dataclass(frozen=True)
class TextStyle:
    size: float = 10.5
    leading: float = 14.0
    space_before: float = 0.0
    space_after: float = 4.0
    rtl: bool = False  # the paragraph's direction: right-aligned, right to left
    indent: float = 0.0  # from the start side (left, or right for rtl)


@dataclass(frozen=True)
class _Word:
    text: str  # shaped
    run: Run
    width: float
    space_after: float  # width of the space that follows it, 0 at the end
    rtl: bool = False  # holds right-to-left letters


def _words(runs: list[Run], size: float) -> list[_Word]:
    words: list[_Word] = []
    for run in runs:
        rtl = has_right_to_left(run.text)
        parts = _SPACE.split(arabic_reshaper.reshape(run.text) if rtl else run.text)
        width = getFont(run.font).stringWidth  # one font look-up per run, not per word
        space = width(" ", size)
        for i in range(0, len(parts), 2):
            word = parts[i]
            gap = parts[i + 1] if i + 1 < len(parts) else ""
            if word:
                words.append(_Word(word, run, width(word, size), space if gap else 0.0,
                                   rtl and has_right_to_left(word)))  # fmt: skip
            elif gap and words:  # a run that starts with a space
                words[-1] = replace(words[-1], space_after=space)
    return words


def _break(words: list[_Word], width: float) -> list[list[_Word]]:
    lines: list[list[_Word]] = []
    line: list[_Word] = []
    used = 0.0
    for word in words:
        gap = line[-1].space_after if line else 0.0
        if line and used + gap + word.width > width:
            lines.append(line)
            line, used = [], 0.0
            gap = 0.0
        line.append(word)
        used += gap + word.width
    if line:
        lines.append(line)
    return lines


def _visual(text: str, rtl: bool) -> list[tuple[str, int]]:
    """The characters of one line in visual order (left to right), each with its logical index:
    python-bidi's own stages, so the index can ride along with each character."""
    storage = bidi.get_empty_storage()
    storage["base_level"] = 1 if rtl else 0
    storage["base_dir"] = "R" if rtl else "L"
    bidi.get_embedding_levels(text, storage)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index
    bidi.explicit_embed_and_overrides(storage)
    bidi.resolve_weak_types(storage)
    bidi.resolve_neutral_types(storage, False)
    bidi.resolve_implicit_levels(storage, False)
    bidi.reorder_resolved_levels(storage, False)
    bidi.apply_mirroring(storage, False)
    return [(char["ch"], char["index"]) for char in storage["chars"]]


class BidiParagraph(Flowable):  # type: ignore[misc]
    def __init__(self, runs: list[Run] | str, style: TextStyle | None = None) -> None:
        super().__init__()
        self.runs = [Run(runs)] if isinstance(runs, str) else runs
        self.style = style or TextStyle()
        self._lines: list[list[_Word]] = []
        self._width = 0.0
        # a table wraps its cells more than once: the words are measured once, and broken
        # again only for another width
        self._measured: list[_Word] | None = None
        self._broken_for: float | None = None

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._width = avail_width
        usable = max(avail_width - self.style.indent, 1.0)
        if self._broken_for != usable:
            if self._measured is None:
                self._measured = _words(self.runs, self.style.size)
            self._lines = _break(self._measured, usable)
            self._broken_for = usable
        return avail_width, len(self._lines) * self.style.leading

    def getSpaceBefore(self) -> float:  # noqa: N802 - ReportLab's name
        return self.style.space_before

    def getSpaceAfter(self) -> float:  # noqa: N802 - ReportLab's name
        return self.style.space_after

    def split(self, avail_width: float, avail_height: float) -> list[Any]:
        self.wrap(avail_width, avail_height)
        fits = int(avail_height // self.style.leading)
        if fits <= 0 or fits >= len(self._lines):
            return [] if fits <= 0 else [self]
        first, rest = self._lines[:fits], self._lines[fits:]
        return [
            _Lines(first, replace(self.style, space_after=0.0)),
            _Lines(rest, replace(self.style, space_before=0.0)),
        ]

    def draw(self) -> None:
        _draw_lines(self.canv, self._lines, self.style, self._width)


class _Lines(BidiParagraph):
    """The part of a paragraph on one page, already broken into lines."""

    def __init__(self, lines: list[list[_Word]], style: TextStyle) -> None:
        super().__init__([], style)
        self._fixed = lines

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._width, self._lines = avail_width, self._fixed
        return avail_width, len(self._lines) * self.style.leading


def _draw_lines(canv: Any, lines: list[list[_Word]], style: TextStyle, width: float) -> None:
    size = style.size
    y = len(lines) * style.leading - style.size  # baseline of the first line
    plain: list[tuple[list[_Word], float, float]] = []  # left-to-right lines, drawn together
    for line in lines:
        line_width = sum(w.width for w in line) + sum(w.space_after for w in line[:-1])
        left = (width - style.indent - line_width) if style.rtl else style.indent
        if not style.rtl and not any(w.rtl for w in line):
            plain.append((line, left, y))
        else:
            _draw_bidi(canv, line, left, y, style)
        y -= style.leading
    if plain:
        _draw_ltr(canv, plain, size)


def _draw_ltr(canv: Any, lines: list[tuple[list[_Word], float, float]], size: float) -> None:
    """Left-to-right lines (each with its start and baseline) in one text object, one string
    per stretch of words in the same font and colour: the words and their spaces stand where
    a string per word would, in a fraction of the PDF operators."""
    for line, x, y in lines:
        if any(word.run.highlight is not None for word in line):
            at = x
            for word in line:
                _highlight(canv, word.run, at, y, word.width, size)
                at += word.width + word.space_after
    canv.setFont(lines[0][0][0].run.font, size)  # else the text object starts in Helvetica
    out = canv.beginText()
    font, colour = None, None
    for line, x, y in lines:
        out.setTextOrigin(x, y)
        chunk: list[str] = []
        last = len(line) - 1
        for i, word in enumerate(line):
            run = word.run
            if run.font != font or run.colour != colour:
                if chunk:
                    out.textOut("".join(chunk))
                    chunk = []
                if run.font != font:
                    out.setFont(run.font, size)
                if run.colour != colour:
                    out.setFillColor(run.colour)
                font, colour = run.font, run.colour
            chunk.append(word.text + " " if word.space_after and i < last else word.text)
        out.textOut("".join(chunk))
    canv.drawText(out)


def _draw_bidi(canv: Any, line: list[_Word], left: float, y: float, style: TextStyle) -> None:
    size = style.size
    chars: list[str] = []
    owner: list[Run] = []  # the run of each logical character
    starts: list[tuple[int, _Word]] = []
    for i, word in enumerate(line):
        run = word.run
        if run.embed_ltr and (i == 0 or line[i - 1].run is not run):
            chars.append("\u202a")  # LEFT-TO-RIGHT EMBEDDING
            owner.append(run)
        starts.append((len(chars), word))
        chars += word.text
        owner += [run] * len(word.text)
        if run.embed_ltr and (i == len(line) - 1 or line[i + 1].run is not run):
            chars.append("\u202c")  # POP DIRECTIONAL FORMATTING
            owner.append(run)
        if word.space_after and i < len(line) - 1:
            chars.append(" ")
            owner.append(run)
    text = "".join(chars)
    x_of: dict[int, float] = {}
    glyph: dict[int, str] = {}
    x = left
    for ch, index in _visual(text, style.rtl):  # the embedding marks are consumed
        x_of[index], glyph[index] = x, ch
        x += stringWidth(ch, owner[index].font, size)
    for word_start, word in starts:
        _highlight(canv, word.run, x_of[word_start], y, word.width, size)
    canv.setFont(line[0].run.font, size)
    out = canv.beginText()
    index = 0
    while index < len(text):
        if index not in x_of:
            index += 1
            continue
        run = owner[index]
        chunk_end = index + 1
        # logical neighbours that also stand next to each other left to right go out together
        while (chunk_end < len(text) and owner[chunk_end] is run and chunk_end in x_of
               and x_of[chunk_end] > x_of[chunk_end - 1] and not is_right_to_left_char(glyph[chunk_end])
               and not is_right_to_left_char(glyph[index])):  # fmt: skip
            chunk_end += 1
        out.setTextOrigin(x_of[index], y)
        out.setFont(run.font, size)
        out.setFillColor(run.colour)
        out.textOut("".join(glyph[i] for i in range(index, chunk_end)))
        index = chunk_end
    canv.drawText(out)


def _highlight(canv: Any, run: Run, x: float, y: float, width: float, size: float) -> None:
    if run.highlight is None:
        return
    canv.saveState()
    canv.setFillColor(run.highlight)
    canv.rect(x - 1, y - size * 0.25, width + 2, size * 1.2, stroke=0, fill=1)
    canv.restoreState()
