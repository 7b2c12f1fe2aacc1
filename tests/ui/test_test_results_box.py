"""The test results in the client file, by keyboard: the counsellor tabs through the form,
picks the test, the language by its name, the level and the outcome, types the date and
presses Enter; a mistyped date is refused with what was typed kept; the chosen result is
corrected with Alt+C; only a team lead sees "Remove"."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from app.db import Database
from app.i18n import in_language
from app.models.enums import CounsellorRole
from app.services.caseload import clients, test_results
from app.ui.caseload.test_results_box import TestResultsBox
from tests.helpers import actor


def test_a_result_added_and_corrected_with_the_keyboard(
    qtbot: QtBot, database: Database, session: Session, make_counsellor, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    anna = actor(make_counsellor("anna"))
    client = clients.create_client(session, {"given_name": "Ayşe", "family_name": "Yılmaz",
                                             "contact_language": "tr"},
                                   referent_id=anna.counsellor_id, actor=anna)  # fmt: skip
    session.commit()
    with in_language("en"):
        box = TestResultsBox(database.sessions, lambda: anna)
        qtbot.addWidget(box)
        with qtbot.waitActive(box):
            box.show()
            box.activateWindow()
        box.show_client(client.id)

        def focused() -> QWidget:
            widget = box.focusWidget()
            assert widget is not None
            return widget

        assert box.table.rowCount() == 0 and not box.remove_button.isVisible()
        languages = box.inputs["language"]
        assert isinstance(languages, QComboBox)
        assert [languages.itemText(i) for i in range(languages.count())] == [
            "—",
            "Dutch",
            "French",
            "English",
            "Turkish",
        ]
        box.inputs["kind"].setFocus()
        QTest.keyClick(focused(), Qt.Key.Key_End)  # the last kind: certified language test
        QTest.keyClick(focused(), Qt.Key.Key_Tab)
        QTest.keyClicks(focused(), "Du")  # the language by its name
        QTest.keyClick(focused(), Qt.Key.Key_Tab)
        QTest.keyClicks(focused(), "B1")
        QTest.keyClick(focused(), Qt.Key.Key_Tab)
        QTest.keyClicks(focused(), "Y")
        QTest.keyClick(focused(), Qt.Key.Key_Tab)
        date = box.inputs["taken_on"]
        assert focused() is date and isinstance(date, QLineEdit)
        QTest.keyClicks(date, "31/02/2026")  # no such day
        QTest.keyClick(date, Qt.Key.Key_Return)
        assert box.error.isVisible() and "Taken on" in box.error.text()
        assert (
            date.text() == "31/02/2026" and box.table.rowCount() == 0
        )  # nothing lost, nothing saved
        date.selectAll()
        QTest.keyClicks(date, "12/03/2026")
        QTest.keyClick(date, Qt.Key.Key_Tab)
        QTest.keyClicks(focused(), "Huis van het Nederlands")
        QTest.keyClick(focused(), Qt.Key.Key_Return)
        assert not box.error.isVisible()
        assert box.table.rowCount() == 1
        cells = [box.table.item(0, c).text().strip("\u2068\u2069") for c in range(6)]  # type: ignore[union-attr]
        assert cells == [
            "12/03/2026",
            "Certified language test",
            "Dutch",
            "B1",
            "Yes",
            "Huis van het Nederlands",
        ]
        measured = test_results.measured_level(session, client.id, "nl")
        assert measured is not None and measured.level == "B1"
        # correct it: choose the row, Alt+C, a new level, Enter
        box.table.setFocus()
        box.table.selectRow(0)
        QTest.keyClick(box.table, Qt.Key.Key_C, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(
            lambda: box.save_button.text() == "&Save the correction"
        )  # an animated click
        assert (
            isinstance(box.inputs["level"], QComboBox) and box.inputs["level"].currentText() == "B1"
        )
        QTest.keyClick(focused(), Qt.Key.Key_V, Qt.KeyboardModifier.AltModifier)  # Le&vel
        assert focused() is box.inputs["level"]
        QTest.keyClick(focused(), Qt.Key.Key_Down)
        QTest.keyClick(box.inputs["taken_by"], Qt.Key.Key_Return)
        session.expire_all()
        measured = test_results.measured_level(session, client.id, "nl")
        assert measured is not None and measured.level == "B2" and box.table.rowCount() == 1
        box.grab().save(str(tmp_path / "box.png"))


def test_a_team_lead_removes_a_result_recorded_by_mistake(
    qtbot: QtBot, database: Database, session: Session, make_counsellor, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QMessageBox

    lead_person = make_counsellor("lea")
    lead_person.role = CounsellorRole.TEAM_LEAD
    session.commit()
    lea = actor(lead_person)
    client = clients.create_client(session, {"given_name": "Jan", "family_name": "Peeters"},
                                   referent_id=lea.counsellor_id, actor=lea)  # fmt: skip
    test_results.record(session, lea, client.id, {"kind": "cognitive", "passed": "no",
                                                  "taken_on": "2026-01-05"})  # fmt: skip
    session.commit()
    box = TestResultsBox(database.sessions, lambda: lea)
    qtbot.addWidget(box)
    box.show()
    box.show_client(client.id)
    assert box.remove_button.isVisible()
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.Yes)
    box.table.selectRow(0)
    box.remove_button.click()
    assert box.table.rowCount() == 0
    assert test_results.of_client(session, lea, client.id) == []
