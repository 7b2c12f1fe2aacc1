"""Telling the person about an uncaught error: the `show` that `crash_report.install` calls.
A full or failing disk is not a crash: it gets the plain message about the disk. The dialog's
module is imported only when something goes wrong, so start-up does not pay for it."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QMessageBox, QWidget

from app.i18n import _
from app.services.errors import storage_problem


def crash_shower(
    parent: Callable[[], QWidget | None], recover: Callable[[], None], log_folder: Path | None
) -> Callable[[str, BaseException], None]:
    """First `recover` (roll back the half-done action, so the window keeps working), then
    tell the person, once: an error while the dialog is up (a repaint) is in the log only."""
    showing = False

    def show(report: str, exc: BaseException) -> None:
        nonlocal showing
        with contextlib.suppress(Exception):
            recover()
        if showing:
            return
        showing = True
        try:
            message = storage_problem(exc)
            if message is not None:
                QMessageBox.warning(parent(), _("Not saved"), message)
            else:
                from app.ui.reliability.crash_dialog import CrashDialog

                CrashDialog(report, log_folder, parent()).exec()
        finally:
            showing = False

    return show
