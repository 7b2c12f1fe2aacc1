"""Two counsellors on one client file, seen from the window: a colleague's save is never
overwritten; a field both changed opens the comparison, and what was typed is not lost."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from app.services.caseload import clients
from app.ui.caseload.conflict_dialog import EditConflictDialog
from app.ui.main_window import MainWindow
from tests.helpers import actor


def open_nour(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClicks(window.search, "nour")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    qtbot.keyClick(window.table, Qt.Key.Key_Return)


def type_municipality(qtbot: QtBot, window: MainWindow, text: str) -> QLineEdit:
    """The counsellor types over the municipality and moves on (Tab saves the field)."""
    field: QLineEdit = window.panel.fields["municipality"].editor  # type: ignore[assignment]
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Tab)
    return field


def colleague_saves(session, made, anna, **changes) -> None:  # type: ignore[no-untyped-def]
    clients.update_client(session, made["Nour"].id, changes, actor=actor(anna))
    session.commit()


def test_a_field_both_changed_opens_the_comparison_and_keeps_the_merged_value(
    qtbot: QtBot, window: MainWindow, session, caseload
) -> None:  # type: ignore[no-untyped-def]
    made, anna, _bart = caseload
    open_nour(qtbot, window)
    colleague_saves(session, made, anna, municipality="Brussel")
    seen: dict[str, object] = {}

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, EditConflictDialog)
        texts = [label.text() for label in dialog.findChildren(QLabel)]
        seen["theirs"], seen["mine"] = "Brussel" in texts, "Gent" in texts
        merged = dialog.findChild(QLineEdit, "merged_municipality")
        seen["merged"] = merged.text() if merged else None
        seen["focus"] = merged is not None and dialog.focusWidget() is merged
        if merged is not None:
            merged.selectAll()
            qtbot.keyClicks(merged, "Sint-Gillis")
        dialog.save.click()

    QTimer.singleShot(0, answer)
    municipality = type_municipality(qtbot, window, "Gent")
    assert seen == {"theirs": True, "mine": True, "merged": "Gent", "focus": True}
    session.expire_all()
    assert clients.get_client(session, made["Nour"].id).municipality == "Sint-Gillis"
    assert municipality.text() == "Sint-Gillis"


def test_keeping_theirs_writes_nothing_of_mine(
    qtbot: QtBot, window: MainWindow, session, caseload
) -> None:  # type: ignore[no-untyped-def]
    made, anna, _bart = caseload
    open_nour(qtbot, window)
    colleague_saves(session, made, anna, municipality="Brussel")

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, EditConflictDialog)
        dialog.keep_theirs.click()

    QTimer.singleShot(0, answer)
    municipality = type_municipality(qtbot, window, "Gent")
    session.expire_all()
    assert clients.get_client(session, made["Nour"].id).municipality == "Brussel"
    assert municipality.text() == "Brussel"


def test_a_colleagues_change_to_another_field_merges_without_asking(
    qtbot: QtBot, window: MainWindow, session, caseload
) -> None:  # type: ignore[no-untyped-def]
    made, anna, _bart = caseload
    open_nour(qtbot, window)
    colleague_saves(session, made, anna, email="nour.new@example.be")
    type_municipality(qtbot, window, "Gent")
    assert QApplication.activeModalWidget() is None
    session.expire_all()
    stored = clients.get_client(session, made["Nour"].id)
    assert (stored.municipality, stored.email) == ("Gent", "nour.new@example.be")
    email: QLineEdit = window.panel.fields["email"].editor  # type: ignore[assignment]
    assert email.text() == "nour.new@example.be"  # their change is shown, not hidden
