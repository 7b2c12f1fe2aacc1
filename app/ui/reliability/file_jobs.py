"""Work on the database file that must not freeze the window (a backup, the start-up check, a
restore): run on a worker thread, with progress and the result sent back as signals.

The work opens its own connections to the file (see `app.db_files`); it never touches the
window's session or widgets, which belong to the main thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal

Work = Callable[[Callable[[int, int], None]], Any]  # gets a progress callback (done, total)


class FileJob(QThread):
    progressed = Signal(int, int)
    succeeded = Signal(object)
    failed = Signal(object)  # the exception

    def __init__(self, work: Work, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._work = work
        self.result: Any = None
        self.error: BaseException | None = None
        self.finished.connect(self._report)  # delivered on the main thread

    def run(self) -> None:
        try:
            self.result = self._work(self.progressed.emit)
        except Exception as exc:  # sent to the main thread, which tells the person
            from app.crash_report import LOGGER, describe

            report = describe(type(exc), exc, exc.__traceback__)
            logging.getLogger(LOGGER).warning("A background job failed\n%s", report)
            self.error = exc

    def _report(self) -> None:
        if self.error is not None:
            self.failed.emit(self.error)
        else:
            self.succeeded.emit(self.result)
