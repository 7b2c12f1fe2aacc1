"""Pieces of the caseload window: the table and search box with their keys, and what the file
side shows before a client is opened."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractItemModel, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _

if TYPE_CHECKING:
    from app.ui.main_window import MainWindow

COLUMN_WIDTHS = [112, 140, 115, 90, 135, 130]  # the last column stretches
COMPACT_COLUMNS = 3  # dossier, family name, given name: the list beside an open file
COMPACT_NAME_WIDTHS = (120, 100)  # most names whole; the others end in "…" with a tooltip


class CaseloadTable(QTableView):
    """Enter opens the selected client; Esc hands back to the search box. One row per client,
    a row at a time, sorted by a column's title."""

    def __init__(self, window: MainWindow, model: QAbstractItemModel) -> None:
        super().__init__()
        self._window = window
        self.setObjectName("caseload")
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.horizontalHeader().setStretchLastSection(True)
        self._widths = list(COLUMN_WIDTHS)
        for column, width in enumerate(COLUMN_WIDTHS):
            self.setColumnWidth(column, width)
        self._compact = False
        self.horizontalHeader().setSortIndicator(1, Qt.SortOrder.AscendingOrder)
        self.setSortingEnabled(True)

    def fit_headers(self) -> None:
        """Widen a column whose title does not fit (Date de naissance is longer than Born)."""
        header = self.horizontalHeader()
        for column in range(header.count()):
            needed = header.sectionSizeFromContents(column).width()
            if column < len(self._widths) and self._widths[column] < needed:
                self._widths[column] = needed
            if self.columnWidth(column) < needed:
                self.setColumnWidth(column, needed)

    def compact(self, on: bool) -> None:
        """Only the dossier and the names (a file is open beside the list), or every column;
        the other columns' texts stay in each row's tooltip."""
        if on == self._compact:
            return
        self._compact = on
        for column in range(COMPACT_COLUMNS, self.model().columnCount()):
            self.setColumnHidden(column, on)
        for column, width in enumerate(
            self._compact_widths() if on else self._widths[:COMPACT_COLUMNS]
        ):
            self.setColumnWidth(column, width)

    def _compact_widths(self) -> list[int]:
        header = self.horizontalHeader()
        dossier = self.fontMetrics().horizontalAdvance("T-0000-000000") + 16
        wanted = [dossier, *COMPACT_NAME_WIDTHS]
        return [max(width, header.sectionSizeFromContents(column).width())
                for column, width in enumerate(wanted)]  # fmt: skip

    @property
    def is_compact(self) -> bool:
        return self._compact

    def compact_width(self) -> int:
        """How wide the compact list must be to show its columns whole."""
        columns = sum(self._compact_widths())
        return columns + self.verticalScrollBar().sizeHint().width() + 2 * self.frameWidth() + 8

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


class StatusLabel(QLabel):
    """A status-bar text that, when the bar is too narrow (a long translation), ends in "…"
    and shows the whole text as its tooltip, instead of being cut off mid-word."""

    def __init__(self) -> None:
        super().__init__()
        self._full = ""

    def setText(self, text: str) -> None:
        self._full = text
        self._elide()
        self.updateGeometry()  # the layout asks again how wide the whole text is

    def full_text(self) -> str:
        return self._full

    def sizeHint(self) -> QSize:  # the whole text, not the shortened one
        margins = self.contentsMargins()
        width = self.fontMetrics().horizontalAdvance(self._full) + margins.left() + margins.right()
        return QSize(width + 2, super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:
        return QSize(1, super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, self.width())
        super().setText(shown)
        self.setToolTip(self._full if shown != self._full else "")
