"""Team work in the caseload window, by keyboard: walking the caseload with the arrow keys
records no view per row passed (only the file the selection rests on, or Enter opens); the
absence dialog previews who covers each client before anything changes, arranges and undoes
the cover; the backup sees a banner in the covered file, the clients under "Backup for me",
and a notice when they start working."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select, text

from app.i18n import format_date
from app.models import AuditEntry
from app.models.base import utcnow
from app.models.enums import AuditAction
from app.services.caseload import clients
from app.services.clock import local_today
from app.services.team import absence
from app.ui.main_window import MainWindow
from app.ui.team.absence_dialog import AbsenceDialog
from app.ui.window.file_side import REST_MS
from tests.helpers import actor

ALT = Qt.KeyboardModifier.AltModifier


def views(session) -> int:  # type: ignore[no-untyped-def]
    session.expire_all()
    return int(session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == AuditAction.VIEW.value)) or 0)  # fmt: skip


def test_arrowing_through_the_caseload_records_only_the_file_that_opens(
    qtbot: QtBot, window: MainWindow, session, caseload
) -> None:  # type: ignore[no-untyped-def]
    _made, anna, _bart = caseload
    for i in range(12):
        clients.create_client(session, {"given_name": f"Extra{i:02d}", "family_name": "Zeeman"},
                              referent_id=anna.id, actor=actor(anna))  # fmt: skip
    session.commit()
    window.model.refresh()  # the same filter: read the caseload again
    assert window.model.rowCount() == 17
    window.table.setFocus()
    before = views(session)
    for _press in range(10):
        qtbot.keyClick(window.table, Qt.Key.Key_Down)
    assert views(session) == before  # nothing opened on the way
    landed = window.model.client_id(window.table.currentIndex().row())
    qtbot.waitUntil(lambda: window.open_client_id() == landed, timeout=REST_MS * 5)
    assert views(session) == before + 1  # the row the selection rests on
    qtbot.wait(REST_MS + 100)
    assert views(session) == before + 1
    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    qtbot.keyClick(window.table, Qt.Key.Key_Return)  # Enter opens at once
    chosen = window.model.client_id(window.table.currentIndex().row())
    assert window.open_client_id() == chosen and views(session) == before + 2
    qtbot.wait(REST_MS + 100)
    assert views(session) == before + 2  # and the rest that followed opened nothing more


def _answer_yes() -> None:
    """Yes to the question, once it is asked (a mnemonic clicks its button a moment later)."""
    box = QApplication.activeModalWidget()
    if not isinstance(box, QMessageBox):
        QTimer.singleShot(50, _answer_yes)
        return
    box.button(QMessageBox.StandardButton.Yes).click()


def test_the_absence_dialog_previews_arranges_and_undoes_by_keyboard(
    qtbot: QtBot, window: MainWindow, session, caseload
) -> None:  # type: ignore[no-untyped-def]
    made, anna, _bart = caseload
    dialog = AbsenceDialog(window.sessions, window.actor(), window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)

    def press(key: Qt.Key) -> None:
        qtbot.keyClick(QApplication.focusWidget() or dialog, key, ALT)
        qtbot.wait(250)  # a mnemonic "animates" the click of its button

    assert dialog.who.currentText() == "Anna Aerts" and not dialog.who.isEnabled()
    assert dialog.findChild(QLineEdit, "absence_note") is None  # every colleague could read it
    first = local_today()
    assert dialog.period.text() == absence.period_text(first, first + dt.timedelta(days=4))
    assert dialog.period.text().endswith("both days included")
    # spread by load: Bart is the only other counsellor of the office
    assert dialog.preview.rowCount() == 5
    assert {dialog.preview.item(r, 2).text() for r in range(5)} == {"Bart Baert"}
    assert dialog.preview.item(0, 3).text() == "fewest open files in office Werkwinkel Gent (0)"
    press(Qt.Key.Key_O)  # One colleague
    assert dialog.one.isChecked() and dialog.colleague.isEnabled()
    assert dialog.colleague.findData(anna.id) == -1  # not who is away
    dialog.away_to.setDate(dialog.away_from.date().addDays(-1))
    assert dialog.error.text() == "Away until: the last day comes before the first; swap them."
    assert dialog.preview.rowCount() == 0 and not dialog.confirm.isEnabled()
    dialog.away_to.setDate(dialog.away_from.date().addDays(4))
    dialog.colleague.setFocus()
    qtbot.keyClicks(dialog.colleague, "Bart")
    assert dialog.preview.item(0, 3).text() == "the colleague chosen for the whole caseload"
    press(Qt.Key.Key_C)  # Cover these clients
    assert dialog.count.text() == "Cover arranged for 5 clients."
    assert dialog.absences.rowCount() == 1 and dialog.absences.item(0, 2).text() == "5"
    assert "Anna Aerts is already away" in dialog.error.text()  # the same days again: said
    QTimer.singleShot(0, _answer_yes)
    press(Qt.Key.Key_U)  # Undo cover
    assert dialog.absences.rowCount() == 0
    assert dialog.count.text() == "Cover undone: 5 backup periods ended."
    assert made["Ayşe"].id  # the clients are untouched otherwise


def test_the_backup_sees_the_banner_the_filter_and_a_notice(
    qtbot: QtBot, window: MainWindow, session, caseload
) -> None:  # type: ignore[no-untyped-def]
    made, anna, bart = caseload
    last = local_today() + dt.timedelta(days=6)
    absence.declare(session, actor(anna), anna.id, local_today(), last, backup_id=bart.id)
    session.execute(text("INSERT INTO notices (counsellor_id, kind, from_counsellor_id, "
                         "created_at) VALUES (:to, 'zzz_bogus', :by, :at)"),
                    {"to": bart.id, "by": anna.id, "at": utcnow()})  # fmt: skip
    session.commit()  # a row of an unknown kind, written by hand: it must not stop her
    window.counsellor.setCurrentIndex(window.counsellor.findData(bart.id))
    window.counsellor.activated.emit(window.counsellor.currentIndex())
    qtbot.waitUntil(lambda: window.team.new_notices is not None)
    notices = window.team.new_notices
    assert notices.table.rowCount() == 1
    assert notices.table.item(0, 2).text().startswith("You cover 5 clients of Anna Aerts (")
    notices.activateWindow()
    qtbot.waitUntil(notices.isActiveWindow)
    qtbot.keyClick(QApplication.focusWidget() or notices, Qt.Key.Key_M, ALT)  # Mark as read
    qtbot.waitUntil(lambda: not notices.mark_read.isEnabled())
    assert notices.intro.text() == "No new notices." and not notices.mark_read.isEnabled()
    window.filters.backup_for_me.setChecked(True)
    qtbot.waitUntil(lambda: window.model.rowCount() == 5)
    window.open_client(made["Jan"].id)
    banner = window.panel.header.cover
    said = f"Backup for Anna Aerts’s client until {format_date(last, 'full')} (included)"
    assert banner.isVisible() and window.panel.header.cover_text.text() == said
    assert banner.accessibleName() == said and "as backup" in banner.accessibleDescription()
    assert window.panel.header.cover_text.font().bold()
    window.counsellor.setCurrentIndex(window.counsellor.findData(anna.id))
    window.counsellor.activated.emit(window.counsellor.currentIndex())
    assert window.panel.client_id == made["Jan"].id and not banner.isVisible()  # her own client
