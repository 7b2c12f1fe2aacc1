"""Importing a counsellor's spreadsheet: the right rows in, every bad row reported with its
line, column and reason, duplicates not doubled, a dry run changing nothing; committed in
batches yet all or nothing, at most MAX_ROWS rows, no guessed encoding, and no cell that a
spreadsheet program would run as a formula in any sheet Traject writes."""

from __future__ import annotations

import codecs
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.db import Database
from app.models import AuditEntry, Client
from app.services import org_settings
from app.services.caseload import clients
from app.services.privacy.access import Actor
from app.services.reliability import client_import, import_runs, spreadsheet
from tests.helpers import actor
from tests.unit.import_fixtures import GOOD_LINES, HEADER, REJECTED, counsellor_sheet, rows

pytestmark = pytest.mark.both_backends

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def counsellor(session: Session, make_counsellor) -> Actor:  # type: ignore[no-untyped-def]
    org_settings.put(session, org_settings.NATIONAL_NUMBER_ENABLED, "1")
    session.commit()
    return actor(make_counsellor("ana", "Ana Counsellor"))


def _import(
    session: Session, data: bytes, who: Actor, **options: Any
) -> client_import.ImportReport:
    sheet = spreadsheet.parse_csv(data)
    mapping = client_import.guess_mapping(sheet.headers)
    return client_import.import_sheet(session, sheet, mapping, actor=who,
                                      referent_id=who.counsellor_id, today=TODAY, **options)  # fmt: skip


def _names(count: int) -> bytes:
    lines = ["Voornaam;Achternaam;Geboortedatum"]
    lines += [f"Naam{i};Familie{i};01/02/1980" for i in range(count)]
    return "\r\n".join(lines).encode()


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(import_runs, "BATCH_ROWS", 2)
    monkeypatch.setattr(import_runs, "PAUSE_SECONDS", 0)


def _count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Client)) or 0


def test_the_sheet_is_read_as_excel_wrote_it() -> None:
    sheet = spreadsheet.parse_csv(counsellor_sheet())
    assert (sheet.encoding, sheet.delimiter) == ("utf-8-sig", ";")
    assert sheet.headers == HEADER and sheet.rows[0][1][0] == "نور"
    assert sheet.rows[0][1][6] == "Kerkstraat 5; achterhuis"  # a quoted `;` is no separator
    assert [line for line, _cells in sheet.rows] == list(range(2, 14))
    mapping = client_import.guess_mapping(sheet.headers)
    assert mapping == {0: "given_name", 1: "family_name", 2: "birth_date", 3: "national_number",
                       4: "phone", 5: "email", 6: "street", 7: "postal_code", 8: "municipality",
                       9: "contact_language"}  # fmt: skip


@pytest.mark.parametrize(("encoding", "delimiter"), [("cp1252", ","), ("utf-8", "\t")])
def test_other_encodings_and_separators(encoding: str, delimiter: str) -> None:
    data = "Prénom,Nom,Date de naissance,Téléphone,Courriel,Commune,Langue\r\n"
    data += "Chloé,Lefèvre,05/04/1990,0470 12 34 56,chloe@example.be,Liège,français\r\n"
    sheet = spreadsheet.parse_csv(data.replace(",", delimiter).encode(encoding), "", encoding)
    assert (sheet.encoding, sheet.delimiter) == (encoding, delimiter)
    assert sheet.rows[0][1][:2] == ["Chloé", "Lefèvre"]
    values = client_import.row_values(sheet.rows[0][1], client_import.guess_mapping(sheet.headers))
    assert values["birth_date"] == dt.date(1990, 4, 5) and values["contact_language"] == "fr"
    assert values["phone"] == "+32470123456" and values["municipality"] == "Liège"


def test_a_counsellors_sheet_imports_the_good_rows_and_reports_the_rest(
    session: Session, counsellor: Actor
) -> None:
    report = _import(session, counsellor_sheet(), counsellor)
    assert [line for line, _dossier in report.imported] == GOOD_LINES
    assert {r.line: r.column for r in report.rejected} == REJECTED
    reasons = {r.line: r.reason for r in report.rejected}
    assert "check digits" in reasons[6] and "check digits" in reasons[7]
    assert "not a valid e-mail" in reasons[8]
    assert "“31/02/1991” is not a date" in reasons[9]
    assert reasons[10] == "Given name: this field is required."
    assert "future" in reasons[11]
    assert "line 3" in reasons[12]  # LUKASZ Wisniewski is Łukasz Wiśniewski
    assert report.exit_code == 3 and _count(session) == 5
    people = {c.given_name: c for c in session.scalars(select(Client))}
    assert people["Наталія"].phone == "+31612345678" and people["Наталія"].country == "NL"
    assert people["نور"].contact_language == "ar" and people["Sébastien"].contact_language == "fr"
    assert people["Eva"].national_number is not None

    again = _import(session, counsellor_sheet(), counsellor)  # the same file once more
    assert again.imported == [] and _count(session) == 5
    assert {r.line for r in again.rejected} == set(range(2, 14))


def test_a_dry_run_changes_nothing(session: Session, counsellor: Actor) -> None:
    report = _import(session, counsellor_sheet(), counsellor, dry_run=True)
    assert len(report.imported) == 5 and _count(session) == 0


def test_an_invalid_utf8_byte_is_refused_with_its_line_and_position_never_guessed() -> None:
    data = "Voornaam;Achternaam\r\nJérôme;Dubois\r\n".encode("cp1252")
    with pytest.raises(spreadsheet.UndecodableText) as refused:
        spreadsheet.parse_csv(data, "namen.csv")
    assert str(refused.value).startswith("namen.csv, line 2, byte 2: 0xE9 is not UTF-8")
    assert spreadsheet.parse_csv(data, "", "Windows-1252").rows[0][1][0] == "Jérôme"
    marked = spreadsheet.parse_csv(codecs.BOM_UTF8 + "Voornaam\nJérôme\n".encode())
    assert (marked.encoding, marked.rows[0][1][0]) == ("utf-8-sig", "Jérôme")
    with pytest.raises(spreadsheet.UnreadableFile, match="“klingon” is not a text encoding"):
        spreadsheet.parse_csv(data, "", "klingon")
    with pytest.raises(spreadsheet.UndecodableText, match="line 2, byte 1: 0x81 is not cp1252"):
        spreadsheet.parse_csv(b"Voornaam\n\x81\n", "", "cp1252")


def test_batches_are_committed_while_the_import_runs(
    session: Session, counsellor: Actor, small_batches: None, database: Database
) -> None:
    seen: list[int] = []

    def progress(done: int, total: int) -> None:
        with database.engine.connect() as conn:  # another connection, as another process reads
            seen.append(conn.execute(text("SELECT count(*) FROM clients")).scalar_one())

    report = _import(session, _names(7), counsellor, progress=progress)
    assert len(report.imported) == 7 and seen == [2, 4, 6, 7] and _count(session) == 7
    assert import_runs.unfinished(session) == 0  # final: no client keeps the run's tag


def test_a_failed_import_removes_every_batch_it_committed(
    session: Session, counsellor: Actor, small_batches: None
) -> None:
    def fail_halfway(done: int, total: int) -> None:
        if done >= 4:
            raise KeyboardInterrupt  # Ctrl+C, or the dialog's Cancel

    with pytest.raises(KeyboardInterrupt):
        _import(session, _names(7), counsellor, progress=fail_halfway)
    assert _count(session) == 0 and import_runs.unfinished(session) == 0
    last = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert last is not None and last.detail == "unfinished import (4)"


@contextmanager
def another_import_running(database: Database, db_url: str) -> Iterator[None]:
    """What a second process's import holds: the file's lock, or the server's advisory lock."""
    if not database.is_server:
        with FileLock(db_url.removeprefix("sqlite:///") + ".import-lock"):
            yield
        return
    with database.engine.connect() as conn:
        assert conn.exec_driver_sql(import_runs.SERVER_LOCK).scalar()
        yield


def test_what_a_killed_import_left_is_removed_by_the_next_import(
    session: Session, counsellor: Actor, db_url: str, database: Database
) -> None:
    dead = import_runs.Run(session, counsellor.counsellor_id, dry_run=False)
    dead.begin_batch()  # a batch committed, then the process died before the end
    sheet = spreadsheet.parse_csv(_names(3))
    for _line, cells in sheet.rows:
        dead.added(clients.create_client(
            session, {"given_name": cells[0], "family_name": cells[1]}, actor=counsellor,
            referent_id=counsellor.counsellor_id, today=TODAY).id)  # fmt: skip
    dead.end_batch()
    assert import_runs.unfinished(session) == 3
    with another_import_running(database, db_url):
        with pytest.raises(import_runs.ImportRunning, match="Another import"):
            _import(session, counsellor_sheet(), counsellor)
        assert import_runs.remove_unfinished(session, counsellor.counsellor_id) is None
    report = _import(session, counsellor_sheet(), counsellor)
    assert report.notes == ["3 clients left behind by an interrupted import were removed first."]
    assert _count(session) == 5 and import_runs.unfinished(session) == 0


def test_a_sheet_over_the_row_cap_is_refused_whole(
    session: Session, counsellor: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(client_import, "MAX_ROWS", 6)
    with pytest.raises(client_import.TooManyRows) as refused:
        _import(session, _names(7), counsellor)
    assert str(refused.value).startswith("The sheet has 7 rows; Traject imports at most 6 at a")
    assert "Split the sheet into files of at most 6 rows" in str(refused.value)
    assert _count(session) == 0


def test_formula_cells_warn_on_import_and_are_neutralised_in_every_sheet_written(
    session: Session, counsellor: Actor
) -> None:
    data = (b"Voornaam;Achternaam;GSM;Gemeente\r\n"
            b'"=HYPERLINK(""http://x.example"",""Jan"")";Peeters;+32 470 12 34 56;Gent\r\n'
            b"@SUM(A1);Janssens;+32 470 12 34 57;-2+3\r\n"
            b";Vermeulen;+32 470 12 34 58;\tGent\r\n")  # fmt: skip
    sheet = spreadsheet.parse_csv(data)
    report = client_import.import_sheet(session, sheet, client_import.guess_mapping(sheet.headers),
                                        actor=counsellor, referent_id=counsellor.counsellor_id,
                                        today=TODAY)  # fmt: skip
    assert [(w.line, w.column) for w in report.warnings] == [
        (2, "Voornaam"),
        (3, "Voornaam"),
        (3, "Gemeente"),
    ]  # a phone number's "+" is no formula
    assert "“@SUM(A1)” starts with “@”" in report.warnings[1].reason
    refused = client_import.rejected_csv(sheet, report).decode("utf-8-sig").splitlines()
    assert refused[1].split(";")[:3] == ["", "Vermeulen", "'+32 470 12 34 58"]
    odd = client_import.ImportReport(
        rejected=[client_import.Rejected(5, "=cmd|'/C calc'!A0", "-", ())]
    )
    assert client_import.report_csv(odd).decode("utf-8-sig").splitlines()[1] == (
        "5;'=cmd|'/C calc'!A0;'-"
    )
    again = spreadsheet.parse_csv(client_import.rejected_csv(sheet, report))
    assert again.rows[0][1][:3] == ["", "Vermeulen", "+32 470 12 34 58"]  # read back as it was
    assert [
        spreadsheet.neutralised(c) for c in ("=1+2", "+32", "-", "@x", "\tx", "\rx", "a=b")
    ] == ["'=1+2", "'+32", "'-", "'@x", "'\tx", "'\rx", "a=b"]
    assert spreadsheet.restored("'=1+2") == "=1+2" and spreadsheet.restored("'t Hof") == "'t Hof"


def test_national_numbers_are_left_out_where_the_organisation_does_not_record_them(
    session: Session,
    make_counsellor,  # type: ignore[no-untyped-def]
) -> None:
    who = actor(make_counsellor("bo"))
    report = _import(session, counsellor_sheet(), who)
    assert "Rijksregisternummer" in report.notes[0]
    assert 6 not in {r.line for r in report.rejected}  # the wrong number was not even read
    assert all(c.national_number is None for c in session.scalars(select(Client)))


def test_the_refused_rows_come_back_as_a_sheet_to_fix(session: Session, counsellor: Actor) -> None:
    sheet = spreadsheet.parse_csv(counsellor_sheet())
    report = client_import.import_sheet(session, sheet, client_import.guess_mapping(sheet.headers),
                                        actor=counsellor, referent_id=counsellor.counsellor_id,
                                        today=TODAY)  # fmt: skip
    again = spreadsheet.parse_csv(client_import.rejected_csv(sheet, report))
    assert again.headers == [*HEADER, "Reason refused"]
    assert [cells[:2] for _line, cells in again.rows] == [r[:2] for r in rows()[4:11]]
    assert client_import.guess_mapping(again.headers) == client_import.guess_mapping(HEADER)


def test_files_that_cannot_be_read(tmp_path: Path) -> None:
    for name, content in [("empty.csv", b""), ("notes.pdf", b"%PDF"), ("broken.xlsx", b"PK\x03")]:
        (tmp_path / name).write_bytes(content)
        with pytest.raises(spreadsheet.UnreadableFile):
            spreadsheet.read(tmp_path / name)
    with pytest.raises(spreadsheet.UnreadableFile, match="cannot be read"):
        spreadsheet.read(tmp_path / "missing.csv")


def test_an_excel_workbook_reads_like_the_csv(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows():
        cells: list[object] = list(row)
        if row[2] == "14/03/1990":
            cells[2] = dt.datetime(1990, 3, 14)  # Excel keeps real dates as dates
        cells[7] = int(row[7]) if row[7].isdigit() else row[7]
        sheet.append(cells)
    book.save(tmp_path / "caseload.xlsx")
    read = spreadsheet.read(tmp_path / "caseload.xlsx")
    assert read.headers == HEADER
    csv_rows = spreadsheet.parse_csv(counsellor_sheet()).rows
    assert [(line, cells[:10]) for line, cells in read.rows] == [(n, c[:10]) for n, c in csv_rows]
