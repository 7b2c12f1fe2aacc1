"""A period to filter on, as the team leads' dialogs ask for it: a first and a last day with
calendar pop-ups and a Show button (the default button, so Enter shows)."""

from __future__ import annotations

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QLabel, QPushButton, QWidget

from app.i18n import _
from app.ui.qt_values import full_year


class PeriodPicker(QWidget):
    """Emits `show_clicked` when Show is pressed; `since` and `until` are the two date edits."""

    show_clicked = Signal()

    def __init__(self, since: QDate, until: QDate, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.since, self.until = full_year(QDateEdit(since)), full_year(QDateEdit(until))
        for edit in (self.since, self.until):
            edit.setCalendarPopup(True)
        self.show_button = QPushButton(_("Show"))
        self.show_button.setDefault(True)
        self.show_button.clicked.connect(self.show_clicked)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.since, QLabel("–"), self.until, self.show_button):
            row.addWidget(widget)
        row.addStretch(1)
