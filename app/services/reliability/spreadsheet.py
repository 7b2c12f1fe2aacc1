"""Reading and writing the spreadsheets counsellors keep.

Reading: CSV separated by `;` (Belgian Excel), `,` or tabs, or an .xlsx workbook (its first
sheet, through openpyxl), as plain text cells with their line numbers. A CSV file is UTF-8
unless a byte-order mark (UTF-8 or UTF-16) says otherwise or the caller names its encoding; a
byte that does not decode is refused with its line and position, never guessed around (one
wrong guess turns every "Jérôme" into "JÃ©rÃ´me" without a word).

Writing: every CSV Traject writes goes through `write_csv`/`csv_bytes`, which neutralise a cell
a spreadsheet program would run as a formula (OWASP's rule: a cell starting with =, +, -, @,
tab or carriage return gets a leading apostrophe). That also touches legitimate values such as
"+32 470 12 34 56"; so that a sheet Traject wrote imports again unchanged, reading drops one
leading apostrophe when a formula character follows it (`restored`). A person who really wrote
"'=…" loses that apostrophe, and the import then warns about the formula-like cell.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from app.i18n import _
from app.services.errors import ServiceError

DELIMITERS = ";,\t"
MAX_BYTES = 50 * 1024 * 1024  # a caseload sheet is far smaller; anything bigger is a mistake
#: what an .xlsx may unpack to (its XML), and how much one part may be compressed: real sheets
#: stay far below both; a crafted one would fill the memory
MAX_XLSX_UNPACKED = 400 * 1024 * 1024
MAX_RATIO = 200
MAX_ROWS_READ = 100_000  # more than any import accepts: reading stops there
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: byte-order marks: the file says its own encoding (a statement, not a guess)
MARKS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))  # fmt: skip


class UnreadableFile(ServiceError):
    """The file cannot be read as a spreadsheet; the message says why."""


class UndecodableText(UnreadableFile):
    """A byte of a CSV file is not in its encoding: the caller adds how to name another one."""


@dataclass
class Sheet:
    headers: list[str]
    rows: list[tuple[int, list[str]]]  # (line or row number in the file, cells)
    encoding: str = "xlsx"
    delimiter: str = ""
    notes: list[str] = field(default_factory=list)


def neutralised(value: object) -> str:
    """The cell as text, with an apostrophe before a leading formula character (OWASP)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def restored(text: str) -> str:
    """A cell as Traject wrote it, back to its value: the apostrophe of `neutralised` dropped."""
    return text[1:] if text.startswith("'") and text[1:].startswith(FORMULA_START) else text


def write_csv(
    out: TextIO,
    rows: Iterable[Sequence[object]],
    delimiter: str = ";",
    lineterminator: str = "\r\n",
) -> None:
    writer = csv.writer(out, delimiter=delimiter, lineterminator=lineterminator)
    writer.writerows([neutralised(cell) for cell in row] for row in rows)


def csv_bytes(rows: Iterable[Sequence[object]], delimiter: str = ";") -> bytes:
    """A CSV file for Excel: UTF-8 with a BOM (so it shows the accents), cells neutralised."""
    out = io.StringIO()
    write_csv(out, rows, delimiter)
    return out.getvalue().encode("utf-8-sig")


def encoding_name(encoding: str) -> str:
    """The codec's own name for `encoding` ("CP-1252" → "cp1252"); refuses an unknown one."""
    try:
        info = codecs.lookup(encoding.strip())
        "".encode(info.name)  # base64 and the like are codecs, but not text encodings
    except LookupError:
        raise UnreadableFile(
            _("--encoding: “{encoding}” is not a text encoding; use for example utf-8, cp1252 "
              "(Windows) or iso-8859-15.").format(encoding=encoding)
        ) from None  # fmt: skip
    return info.name


def read(path: Path, encoding: str | None = None) -> Sheet:
    """The sheet in `path`; `encoding` is that of a CSV file when it is not UTF-8."""
    if encoding is not None:
        encoding = encoding_name(encoding)
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
        return parse_csv(path.read_bytes(), str(path), encoding)
    raise UnreadableFile(
        _("{path}: Traject reads .csv and .xlsx files; save the sheet in one of these formats "
          "(an .xls from an old Excel can be saved as .xlsx).").format(path=path)
    )  # fmt: skip


def decode(data: bytes, encoding: str | None = None, name: str = "") -> tuple[str, str]:
    """The text and its encoding: the one a byte-order mark states, else `encoding`, else
    UTF-8. A byte that does not decode is refused with its line and position in the line."""
    marked = next((codec for mark, codec in MARKS if data.startswith(mark)), None)
    wanted = encoding_name(encoding) if encoding is not None else None
    if marked is not None and wanted is not None and _family(marked) != _family(wanted):
        raise UnreadableFile(
            _("{path} starts with the mark of a {marked} file, not {encoding}; read it as "
              "{marked}.").format(path=name, marked=_family(marked).upper(), encoding=wanted)
        )  # fmt: skip
    codec = marked or wanted or "utf-8"
    try:
        return data.decode(codec), codec
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        column = exc.start - data.rfind(b"\n", 0, exc.start)
        where = {"path": name or _("The file"), "line": line, "column": column,
                 "byte": f"0x{data[exc.start]:02X}"}  # fmt: skip
        raise UndecodableText(
            _("{path}, line {line}, byte {column}: {byte} is not UTF-8, and Traject does not "
              "guess which letter it stands for.").format(**where)
            if wanted is None and marked is None
            else _("{path}, line {line}, byte {column}: {byte} is not {encoding}.").format(
                encoding=codec, **where)
        ) from None  # fmt: skip


def _family(codec: str) -> str:
    return "-".join(codec.split("-")[:2])  # utf-8-sig and utf-8 are one, utf-16-le and utf-16


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


def parse_csv(data: bytes, name: str = "", encoding: str | None = None) -> Sheet:
    text, encoding = decode(data, encoding, name)
    text = text.replace("\x00", "")  # NUL bytes would stop the csv reader
    if not text.strip():
        raise UnreadableFile(_("{path} is empty.").format(path=name or _("The file")))
    delimiter = detect_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    try:
        headers = [restored(cell.strip()) for cell in next(reader)]
        line = reader.line_num + 1
        for cells in reader:
            if any(cell.strip() for cell in cells):
                rows.append((line, [restored(cell.strip()) for cell in cells]))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise UnreadableFile(
            _("{path}, line {line}: {reason}").format(path=name, line=reader.line_num, reason=exc)
        ) from exc
    return Sheet(headers, rows, encoding, delimiter)


def _refuse_a_bomb(path: Path) -> None:
    """An .xlsx is a zip of XML: its parts are checked by the sizes they would unpack to before
    openpyxl reads any (which holds all shared strings in memory). zipfile never unpacks more
    than a part's declared size, so the declared sizes are a real limit."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as zipped:
            parts = zipped.infolist()
    except (OSError, zipfile.BadZipFile, ValueError) as exc:
        raise UnreadableFile(
            _("{path} is not a readable Excel workbook.").format(path=path)
        ) from exc
    unpacked = sum(part.file_size for part in parts)
    crammed = any(part.file_size > (1 << 20) and part.file_size > MAX_RATIO * max(part.compress_size, 1)
                  for part in parts)  # fmt: skip
    if unpacked > MAX_XLSX_UNPACKED or crammed:
        raise UnreadableFile(
            _("{path} would unpack to far more than a caseload sheet holds; it is not imported. "
              "Save the sheet again from Excel, or as CSV.").format(path=path)
        )  # fmt: skip


def _read_xlsx(path: Path) -> Sheet:
    import zipfile

    from openpyxl import load_workbook

    _refuse_a_bomb(path)
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
            if len(rows) > MAX_ROWS_READ:  # the import refuses it anyway; stop reading
                break
    except Exception as exc:  # a damaged or crafted sheet: XML, zip or type errors alike
        raise UnreadableFile(
            _("{path} is not a readable Excel workbook.").format(path=path)
        ) from exc
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
    return restored(str(value).strip())
