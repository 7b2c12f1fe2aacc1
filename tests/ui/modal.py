"""Driving a modal dialog from a test: its `exec` runs its own event loop, so the test's steps
for it run from a timer once it shows."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog
from shiboken6 import isValid


class Modal:
    """Acts on the next modal dialog of a kind once it shows (inside its own `exec`); a failed
    check closes it, so the test reports instead of waiting forever."""

    def __init__(self, kind: type[QDialog], act: Callable[[Any], None]) -> None:
        self.kind, self.act, self.seen, self.error = kind, act, False, None  # type: ignore[var-annotated]
        QTimer.singleShot(0, self._poll)

    def _poll(self) -> None:
        widget = QApplication.activeModalWidget()
        if not isinstance(widget, self.kind) or not widget.isVisible():
            QTimer.singleShot(20, self._poll)
            return
        self.seen = True
        try:
            widget.activateWindow()
            self.act(widget)
        except BaseException as exc:  # reported by `check`
            self.error = exc  # type: ignore[assignment]
            widget.reject()
            return
        QTimer.singleShot(1000, lambda: self._still_open(widget))

    def _still_open(self, widget: QDialog) -> None:
        """The steps were meant to close it: one left open fails the test, not hangs it."""
        if isValid(widget) and widget.isVisible():
            self.error = AssertionError(f"{self.kind.__name__} is still open")  # type: ignore[assignment]
            widget.reject()

    def check(self) -> None:
        if self.error is not None:
            raise self.error
        assert self.seen, f"no {self.kind.__name__} was shown"


def when_modal(handle: Callable[[Any], None]) -> None:
    """Run `handle(dialog)` once a modal dialog is up; close it if `handle` fails (no hang)."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(10, poll)
            return
        try:
            handle(dialog)
        finally:
            if dialog.isVisible():
                dialog.reject()

    QTimer.singleShot(0, poll)
