"""Pieces of the caseload window: the table and search box with their keys, and what the file
side shows before a client is opened."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QTableView, QVBoxLayout, QWidget

from app.i18n import _

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow


class CaseloadTable(QTableView):
    """Enter opens the selected client; Esc hands back to the search box."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self._window = window

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._window.open_current_client()
            return
        if event.key() == Qt.Key.Key_Escape:
            self._window.clear_search()
            return
        super().keyPressEvent(event)


class SearchBox(QLineEdit):
    """Esc clears; Enter or Down moves into the results."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self._window = window

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.key() == Qt.Key.Key_Escape:
            self._window.clear_search()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Down):
            self._window.apply_search_now()
            self._window.table.setFocus()
            if self._window.table.currentIndex().row() < 0:
                self._window.select_row(0)
            return
        super().keyPressEvent(event)


class NoClientOpen(QWidget):
    """What the file side of the window shows until a client is opened."""

    def __init__(self) -> None:
        super().__init__()
        self.title = QLabel()
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        self.title.setFont(font)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.hint)
        layout.addStretch(1)

    def retranslate(self) -> None:
        self.title.setText(_("No client selected"))
        self.hint.setText(_("Choose a client in the list, or create one with Ctrl+N."))
