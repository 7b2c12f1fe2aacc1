"""Runs `search.warm_up_steps` one short step per turn of the event loop, after the caseload is
shown, so the pages searches read are decrypted before the counsellor types, never while."""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QObject, QTimer
from sqlalchemy.exc import DBAPIError

from app.db import SessionFactory
from app.services.caseload import search


class CacheWarmer(QObject):
    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._steps: Iterator[None] | None = None
        self._timer = QTimer(self, interval=0)  # 0: whenever no input or paint is waiting
        self._timer.timeout.connect(self._step)

    def start(self, sessions: SessionFactory) -> None:
        self._steps = search.warm_up_steps(sessions)
        self._timer.start()

    def stop(self) -> None:
        """Before the database closes (locking the window)."""
        self._timer.stop()
        self._steps = None

    @property
    def running(self) -> bool:
        return self._timer.isActive()

    def _step(self) -> None:
        try:
            if self._steps is None or next(self._steps, StopIteration) is StopIteration:
                self.stop()
        except DBAPIError:  # the database was closed under it: warming is only ever a bonus
            self.stop()
