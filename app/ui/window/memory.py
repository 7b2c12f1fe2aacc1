"""What the caseload window remembers between runs: its size and splitter, the filters and the
last client open, in the per-user UI settings (never in the database). The layout of the
caseload and the file is remembered by `app/ui/window/file_layout.py`."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QMainWindow, QSplitter

from app.ui.caseload.filter_panel import FilterPanel
from app.ui.ui_settings import UiSettings

FILTER_KEYS = ("mine", "backup", "no_email", "zero_hours", "status", "province",
               "overdue_actions", "referred_by")  # fmt: skip
FIRST_SIZE = (1440, 880)


def restore(window: QMainWindow, splitter: QSplitter, filters: FilterPanel, settings: UiSettings,
            open_client: Callable[[int], None]) -> None:  # fmt: skip
    """As the window was left; the last client opens once the event loop runs."""
    geometry = settings.blob("window/geometry")
    if geometry is not None:
        window.restoreGeometry(geometry)
    else:
        window.resize(*FIRST_SIZE)
    state = settings.blob("window/splitter")
    if state is not None:
        splitter.restoreState(state)
    filters.restore(
        {key: settings.value(f"filters/{key}") for key in FILTER_KEYS
         if settings.value(f"filters/{key}") is not None}
    )  # fmt: skip
    last = settings.integer("last_client_id")
    if last is not None:
        QTimer.singleShot(0, lambda: open_client(last))


def remember(
    window: QMainWindow, splitter: QSplitter | None, filters: FilterPanel, settings: UiSettings
) -> None:
    """`splitter` as it is without a client file open (None: as last remembered); the widths
    beside an open file are the layout's (`FileLayoutController.remember`)."""
    settings.set("window/geometry", window.saveGeometry())
    if splitter is not None:
        settings.set("window/splitter", splitter.saveState())
    for key, value in filters.state().items():
        settings.set(f"filters/{key}", value)
    settings.sync()
