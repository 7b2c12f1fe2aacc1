"""The import dialog as a counsellor uses it: the columns recognised from their Dutch headers,
a check that changes nothing, the import, the report of refused rows, and those rows saved as
a CSV that imports again once fixed; a file that is not UTF-8 read once its encoding is chosen,
a cancelled import that leaves nothing, a sheet over the row cap refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app.models import Client
from app.services import org_settings
from app.services.reliability import spreadsheet
from app.ui.main_window import MainWindow
from app.ui.reliability.import_dialog import ImportDialog
from tests.unit.import_fixtures import GOOD_LINES, HEADER, REJECTED, counsellor_sheet


def _clients(window: MainWindow) -> int:
    with window.sessions() as session:
        return session.scalar(select(func.count()).select_from(Client)) or 0


@pytest.fixture
def sheet_file(tmp_path: Path) -> Path:
    path = tmp_path / "mijn clienten.csv"
    path.write_bytes(counsellor_sheet())
    return path


@pytest.fixture
def dialog(qtbot: QtBot, window: MainWindow, sheet_file: Path) -> ImportDialog:
    with window.sessions() as session:
        org_settings.put(session, org_settings.NATIONAL_NUMBER_ENABLED, "1")
        session.commit()
    dialog = ImportDialog(window.sessions, window.actor(), window)
    qtbot.addWidget(dialog)
    assert dialog.load(sheet_file)
    dialog.show()
    return dialog


def test_the_columns_are_recognised_and_the_rest_left_out(dialog: ImportDialog) -> None:
    assert dialog.about.text().startswith(
        "mijn clienten.csv: 12 rows, text file (UTF-8, columns separated by “;”)."
    )
    chosen = {HEADER[i]: dialog.choice(i).currentText() for i in range(len(HEADER))}
    assert chosen["Voornaam"] == "Given name"
    assert chosen["GSM"] == "Phone"
    assert chosen["Opmerking"] == "Not imported"
    assert "نور" in dialog.columns.item(0, 1).text()  # examples show what a column holds


def test_a_check_changes_nothing_then_the_import_reports_every_refused_row(
    dialog: ImportDialog, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _clients(window)
    dialog.check_button.click()
    assert dialog.result_label.text().startswith(
        "Check: 5 of 12 rows can be imported; nothing was changed."
    )
    assert _clients(window) == before
    dialog.import_button.click()
    assert dialog.result_label.text().startswith("5 of 12 rows imported. 7 rows refused")
    assert _clients(window) == before + len(GOOD_LINES)
    assert not dialog.import_button.isEnabled()
    lines = {int(dialog.refused.item(r, 0).text()) for r in range(dialog.refused.rowCount())}
    assert lines == set(REJECTED)
    columns = {int(dialog.refused.item(r, 0).text()): dialog.refused.item(r, 1).text()
               for r in range(dialog.refused.rowCount())}  # fmt: skip
    assert columns == REJECTED
    target = tmp_path / "to fix.csv"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    dialog.save_button.click()
    refused = spreadsheet.read(target)
    assert refused.headers[-1] == "Reason refused"
    assert [cells[0] for _line, cells in refused.rows][:2] == ["Ayşe", "Mohamed"]
    assert "Refused rows saved to" in dialog.result_label.text()


def test_a_mapping_without_names_is_refused_before_anything_runs(
    dialog: ImportDialog, window: MainWindow
) -> None:
    dialog.choice(0).setCurrentIndex(0)  # Voornaam: not imported
    dialog.import_button.click()
    assert dialog.result_label.text() == "Choose the column that holds Given name."
    dialog.choice(0).setCurrentIndex(dialog.choice(0).findData("family_name"))
    dialog.check_button.click()
    assert (
        dialog.result_label.text()
        == "Two columns go to Family name; choose one column for each field."
    )
    assert dialog.report is None


def test_an_unreadable_file_is_named_and_opens_nothing(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    broken = tmp_path / "kapot.xlsx"
    broken.write_bytes(b"PK\x03\x04 not a workbook")
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    dialog = ImportDialog(window.sessions, window.actor(), window)
    qtbot.addWidget(dialog)
    assert not dialog.load(broken)
    assert shown and "kapot.xlsx" in shown[0]


def test_a_csv_that_is_not_utf8_opens_with_the_problem_until_its_encoding_is_chosen(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    path = tmp_path / "windows.csv"
    path.write_bytes("Voornaam;Achternaam\r\nJérôme;Dubois\r\n".encode("cp1252"))
    dialog = ImportDialog(window.sessions, window.actor(), window)
    qtbot.addWidget(dialog)
    assert dialog.load(path)
    assert "line 2, byte 2: 0xE9 is not UTF-8" in dialog.about.text()
    assert "choose its encoding under “Text encoding”" in dialog.about.text()
    assert not dialog.import_button.isEnabled() and dialog.columns.rowCount() == 0
    buddies = [label.buddy() for label in dialog.findChildren(QLabel)]
    assert dialog.encoding in buddies  # "Text encoding:" names the choice for screen readers
    dialog.encoding.setCurrentIndex(dialog.encoding.findData("cp1252"))
    dialog.encoding.activated.emit(dialog.encoding.currentIndex())
    assert "(Windows-1252, columns separated by “;”)" in dialog.about.text()
    assert dialog.columns.item(0, 1).text() == "Jérôme" and dialog.import_button.isEnabled()


def test_cancel_during_the_import_removes_the_batches_it_committed(
    dialog: ImportDialog, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import QTimer

    from app.services.reliability import import_runs

    monkeypatch.setattr(import_runs, "BATCH_ROWS", 2)
    monkeypatch.setattr(import_runs, "PAUSE_SECONDS", 0)
    before = _clients(window)
    QTimer.singleShot(0, dialog.cancel_button.click)  # clicked at the first progress
    assert dialog.run(dry_run=False) is None
    assert dialog.result_label.text() == "Import cancelled; the clients it had added were removed."
    with window.sessions() as session:
        unfinished = import_runs.unfinished(session)
    assert _clients(window) == before and unfinished == 0
    assert dialog.import_button.isEnabled() and dialog.isVisible()


def test_a_sheet_over_the_row_cap_is_refused_before_anything_runs(
    qtbot: QtBot, window: MainWindow, sheet_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from app.services.reliability import client_import

    monkeypatch.setattr(client_import, "MAX_ROWS", 10)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text, *a: shown.append(text))
    dialog = ImportDialog(window.sessions, window.actor(), window)
    qtbot.addWidget(dialog)
    assert not dialog.load(sheet_file)
    assert shown and shown[0].startswith(
        "mijn clienten.csv has 12 rows; Traject imports at most 10"
    )
