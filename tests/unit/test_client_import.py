"""Importing a counsellor's spreadsheet: the right rows in, every bad row reported with its
line, column and reason, duplicates not doubled, a dry run changing nothing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Client
from app.services import client_import, org_settings, spreadsheet
from app.services.access import Actor
from tests.helpers import actor
from tests.unit.import_fixtures import GOOD_LINES, HEADER, REJECTED, counsellor_sheet, rows

TODAY = dt.date(2026, 11, 23)


@pytest.fixture
def counsellor(session: Session, make_counsellor) -> Actor:  # type: ignore[no-untyped-def]
    org_settings.put(session, org_settings.NATIONAL_NUMBER_ENABLED, "1")
    session.commit()
    return actor(make_counsellor("ana", "Ana Counsellor"))


def _import(session: Session, data: bytes, who: Actor) -> client_import.ImportReport:
    sheet = spreadsheet.parse_csv(data)
    mapping = client_import.guess_mapping(sheet.headers)
    return client_import.import_sheet(session, sheet, mapping, actor=who,
                                      referent_id=who.counsellor_id, today=TODAY)  # fmt: skip


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
    sheet = spreadsheet.parse_csv(data.replace(",", delimiter).encode(encoding))
    assert (sheet.encoding, sheet.delimiter) == (encoding, delimiter)
    assert sheet.rows[0][1][:2] == ["Chloé", "Lefèvre"]
    values = client_import.row_values(sheet.rows[0][1], client_import.guess_mapping(sheet.headers))
    assert values["birth_date"] == dt.date(1990, 4, 5) and values["contact_language"] == "fr"
    assert values["phone"] == "+32470123456" and values["municipality"] == "Liège"


def test_a_counsellors_sheet_imports_the_good_rows_and_reports_the_rest(
    session: Session, counsellor: Actor
) -> None:
    report = _import(session, counsellor_sheet(), counsellor)
    session.commit()
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
    session.commit()
    assert again.imported == [] and _count(session) == 5
    assert {r.line for r in again.rejected} == set(range(2, 14))


def test_a_dry_run_changes_nothing(session: Session, counsellor: Actor) -> None:
    report = _import(session, counsellor_sheet(), counsellor)
    session.rollback()
    assert len(report.imported) == 5 and _count(session) == 0


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
