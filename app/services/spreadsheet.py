"""Reading the spreadsheets counsellors keep: CSV in UTF-8 (with or without the BOM Excel
writes) or Windows-1252, separated by `;` (Belgian Excel), `,` or tabs; or an .xlsx workbook
(its first sheet, through openpyxl). The result is plain text cells with their line numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from app.i18n import _
from app.services.errors import ServiceError

DELIMITERS = ";,\t"
MAX_BYTES = 50 * 1024 * 1024  # a caseload sheet is far smaller; anything bigger is a mistake


class UnreadableFile(ServiceError):
    """The file cannot be read as a spreadsheet; the message says why."""


@dataclass
class Sheet:
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (line or row number in the file, cells)
    encoding: str = "xlsx"
    delimiter: str = ""
    notes: list[str] = field(default_factory=list)


def read(path: Path) -> Sheet:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise UnreadableFile(
            _("{path} cannot be read: {reason}.").format(path=path, reason=exc.strerror or exc)
        ) from exc
    if size > MAX_BYTES:
        raise UnreadableFile(
            _("{path} is larger than 50 MB; is it the right file?").format(path=path)
        )
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if path.suffix.lower() in (".csv", ".txt", ".tsv"):
        return parse_csv(path.read_bytes(), str(path))
    raise UnreadableFile(
        _("{path}: Traject reads .csv and .xlsx files; save the sheet in one of these formats "
          "(an .xls from an old Excel can be saved as .xlsx).").format(path=path)
    )  # fmt: skip


def decode(data: bytes) -> tuple[str, str]:
    """The text and its encoding: UTF-8 (a BOM is dropped) when it decodes, else Windows-1252."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "cp1252"


def detect_delimiter(text: str) -> str:
    """The separator of the header line: the one of `;`, `,` and tab it holds most of (outside
    quotes); `;` when there is none (a sheet with a single column)."""
    line = text.split("\n", 1)[0]
    counts = {d: _count_outside_quotes(line, d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ";"


def _count_outside_quotes(line: str, delimiter: str) -> int:
    count, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            count += 1
    return count


def parse_csv(data: bytes, name: str = "") -> Sheet:
    text, encoding = decode(data)
    text = text.replace("\x00", "")  # NUL bytes would stop the csv reader
    if not text.strip():
        raise UnreadableFile(_("{path} is empty.").format(path=name or _("The file")))
    delimiter = detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    try:
        headers = [cell.strip() for cell in next(reader)]
        line = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append((line, [cell.strip() for cell in cells]))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise UnreadableFile(
            _("{path}, line {line}: {reason}").format(path=name, line=reader.line_num, reason=exc)
        ) from exc
    return Sheet(headers, rows, encoding, delimiter)


def _read_xlsx(path: Path) -> Sheet:
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise UnreadableFile(
            _("{path} is not a readable Excel workbook.").format(path=path)
        ) from exc
    try:
        sheet = workbook.worksheets[0]
        values = sheet.iter_rows(values_only=True)
        headers = [_cell_text(v) for v in next(values, ())]
        rows = []
        for number, cells in enumerate(values, start=2):
            texts = [_cell_text(v) for v in cells]
            if any(texts):
                rows.append((number, texts))
    finally:
        workbook.close()
    if not any(headers):
        raise UnreadableFile(_("{path} is empty.").format(path=path))
    return Sheet(headers, rows)


def _cell_text(value: object) -> str:
    """Excel keeps dates as dates and numbers as numbers; Traject reads them as text the way
    a Belgian sheet shows them (a date as dd/mm/yyyy, 470123456.0 as 470123456)."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
