"""A hostile .xlsx is refused in one sentence: a part that would unpack to hundreds of
megabytes (openpyxl holds shared strings and cells in memory), or XML cut off midway (a raw
ParseError reached the window's crash dialog)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from app.services.reliability import spreadsheet
from app.services.reliability.spreadsheet import UnreadableFile


def _workbook(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["Voornaam", "Achternaam"])
    sheet.append(["Ayşe", "Yılmaz"])
    book.save(path)
    return path


def _rewritten(source: Path, target: Path, change: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        names = [item.filename for item in old.infolist()]
        assert set(change) <= set(names), names
        for name in names:
            new.writestr(name, change.get(name, old.read(name)))
    return target


def test_a_sound_workbook_is_read(tmp_path: Path) -> None:
    sheet = spreadsheet.read(_workbook(tmp_path / "ok.xlsx"))
    assert sheet.headers == ["Voornaam", "Achternaam"] and sheet.rows[0][1] == ["Ayşe", "Yılmaz"]


def test_a_part_that_would_unpack_to_hundreds_of_megabytes_is_refused_unread(
    tmp_path: Path,
) -> None:
    bomb = b'<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>' + b"A" * (300 << 20)
    crafted = _rewritten(_workbook(tmp_path / "ok.xlsx"), tmp_path / "bomb.xlsx",
                         {"xl/worksheets/sheet1.xml": bomb})  # fmt: skip
    assert crafted.stat().st_size < 2 << 20
    with pytest.raises(UnreadableFile, match="would unpack to far more"):
        spreadsheet.read(crafted)


def test_xml_cut_off_midway_is_a_sentence_not_a_traceback(tmp_path: Path) -> None:
    source = _workbook(tmp_path / "ok.xlsx")
    with zipfile.ZipFile(source) as book:
        sheet_xml = book.read("xl/worksheets/sheet1.xml")
    cut = _rewritten(source, tmp_path / "cut.xlsx",
                     {"xl/worksheets/sheet1.xml": sheet_xml[: len(sheet_xml) * 2 // 3]})  # fmt: skip
    with pytest.raises(UnreadableFile, match="not a readable Excel workbook"):
        spreadsheet.read(cut)
