"""What the caseload window remembers between sessions: its size and splitter, the filters and
the last client open (in the per-user UI settings, never in the database). A mixin of
`MainWindow`; closing the window also lets its background work finish."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QCloseEvent


class RememberedWindow:
    """Needs the window's settings, splitter, filters, open_client() and finish_jobs()."""

    settings: Any
    splitter: Any
    filters: Any

    def _restore(self) -> None:
        geometry = self.settings.blob("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(1440, 880)
        splitter = self.settings.blob("window/splitter")
        if splitter is not None:
            self.splitter.restoreState(splitter)
        self.filters.restore(
            {
                k: self.settings.value(f"filters/{k}")
                for k in ("mine", "backup", "no_email", "zero_hours", "status", "province")
                if self.settings.value(f"filters/{k}") is not None
            }
        )
        last = self.settings.integer("last_client_id")
        if last is not None:
            QTimer.singleShot(0, lambda: self.open_client(last))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.set("window/geometry", self.saveGeometry())
        self.settings.set("window/splitter", self.splitter.saveState())
        for key, value in self.filters.state().items():
            self.settings.set(f"filters/{key}", value)
        self.settings.sync()
        self.finish_jobs()
        super().closeEvent(event)
