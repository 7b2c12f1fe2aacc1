"""An error nobody expected, as the counsellor meets it: the half-done action rolled back, a
calm dialog with a report that names no client and copies in one click; a full disk gets the
plain message about the disk instead."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from app import crash_report
from app.ui.main_window import MainWindow
from app.ui.reliability.crash_dialog import CrashDialog
from app.ui.reliability.crash_shower import crash_shower


def _when_modal(kind: type, seen: list[object]) -> QTimer:
    timer = QTimer(interval=20)

    def look() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, kind):
            timer.stop()
            seen.append(widget)
            if isinstance(widget, CrashDialog):
                widget.copy_button.click()
                seen.append(QApplication.clipboard().text())
            elif isinstance(widget, QMessageBox):
                seen.append(widget.text())
            widget.reject()

    timer.timeout.connect(look)
    timer.start()
    return timer


def test_an_error_in_a_click_shows_a_report_without_the_clients_name(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    rolled_back: list[bool] = []
    uninstall = crash_report.install(
        crash_shower(lambda: window, lambda: rolled_back.append(True), tmp_path)
    )
    seen: list[object] = []
    watcher = _when_modal(CrashDialog, seen)
    try:

        def broken_slot() -> None:
            raise RuntimeError("could not file Nour El Amrani")

        QTimer.singleShot(0, broken_slot)
        qtbot.waitUntil(lambda: len(seen) == 2, timeout=5000)
    finally:
        watcher.stop()
        uninstall()
    dialog, copied = seen
    assert isinstance(dialog, CrashDialog) and dialog.windowTitle() == "Traject ran into a problem"
    assert copied == dialog.report.toPlainText()
    assert "builtins.RuntimeError: (message withheld" in str(copied)
    assert "in broken_slot" in str(copied) and "Nour" not in str(copied)
    assert rolled_back == [True]


def test_a_full_disk_is_not_a_crash(qtbot: QtBot, window: MainWindow) -> None:
    uninstall = crash_report.install(crash_shower(lambda: window, lambda: None, None))
    seen: list[object] = []
    watcher = _when_modal(QMessageBox, seen)
    try:

        def full() -> None:
            raise sqlite3.OperationalError("database or disk is full")

        QTimer.singleShot(0, full)
        qtbot.waitUntil(lambda: len(seen) == 2, timeout=5000)
    finally:
        watcher.stop()
        uninstall()
    assert str(seen[1]).startswith("The disk is full")
