"""The client file's timeline: contacts, appointments, script runs, referrals and notes,
newest first, with the next suggested contact step and the number of missed appointments
above it, and buttons to log a contact (Ctrl+K), plan an appointment and add a note. The list
is a model over the service's entries, so a thousand entries show at once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.db import SessionFactory
from app.i18n import _, format_datetime, isolated, ngettext
from app.services.caseload import timeline
from app.services.contact import appointments, contacts
from app.services.privacy.access import Actor
from app.ui.form_dialog import commit_or_report, joined

ATTENTION = QColor("#a33a00")
_Index = QModelIndex | QPersistentModelIndex


class TimelineModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries: list[timeline.Entry] = []

    def set_entries(self, entries: list[timeline.Entry]) -> None:
        self.beginResetModel()
        self.entries = entries
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self.entries[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return isolated(
                (format_datetime(entry.at, "short"), entry.title, entry.detail, entry.counsellor)[
                    index.column()
                ]
            )
        if role == Qt.ItemDataRole.ForegroundRole and entry.attention:
            return QBrush(ATTENTION)
        if role == Qt.ItemDataRole.ToolTipRole and entry.detail:
            return entry.detail
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return (_("When"), _("What"), _("Note"), _("Counsellor"))[section]
        return None


class TimelineBox(QGroupBox):
    changed = Signal()

    def __init__(
        self, sessions: SessionFactory, actor: Callable[[], Actor], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self._sessions, self._actor = sessions, actor
        self.client_id: int | None = None
        self.advice = QLabel()
        self.advice.setObjectName("timeline_advice")
        self.advice.setWordWrap(True)
        self.advice.setStyleSheet("color: #8a4b00;")
        self.no_shows = QLabel()
        self.no_shows.setObjectName("no_shows")
        self.log_button = QPushButton()
        self.log_button.setObjectName("log_contact_button")
        self.log_button.clicked.connect(self.log_contact)
        self.plan_button = QPushButton()
        self.plan_button.clicked.connect(self.plan_appointment)
        self.note_button = QPushButton()
        self.note_button.clicked.connect(self.add_note)
        self.model = TimelineModel(self)
        self.view = QTableView()
        self.view.setObjectName("timeline_table")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().hide()
        self.view.setWordWrap(False)
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.view.setColumnWidth(2, 140)
        self.view.setMinimumHeight(200)
        buttons = QHBoxLayout()
        for button in (self.log_button, self.plan_button, self.note_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.advice)
        layout.addWidget(self.no_shows)
        layout.addLayout(buttons)
        layout.addWidget(self.view)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(_("Contacts and timeline"))
        self.log_button.setText(_("&Log a contact… (Ctrl+K)"))
        self.plan_button.setText(_("New &appointment…"))
        self.note_button.setText(_("Add a no&te…"))
        self.view.setAccessibleName(_("Timeline"))
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 3)

    def show_client(self, client_id: int | None) -> None:
        self.client_id = client_id
        self.setEnabled(client_id is not None)
        if client_id is None:
            self.model.set_entries([])
            self.advice.hide()
            self.no_shows.hide()
            return
        actor = self._actor()
        with self._sessions() as session:
            entries = timeline.entries(session, actor, client_id)
            text = contacts.describe(contacts.advice_for(session, client_id))
            missed = appointments.no_shows(session, client_id)
        self.model.set_entries(entries)
        self.advice.setText(text)
        self.advice.setVisible(bool(text))
        self.no_shows.setText(ngettext("{n} missed appointment (no-show)", "{n} missed appointments (no-show)",
                                       missed).format(n=missed))  # fmt: skip
        self.no_shows.setVisible(missed > 0)

    def _refresh(self) -> None:
        self.show_client(self.client_id)
        self.changed.emit()

    def log_contact(self) -> None:
        if self.client_id is None:
            return
        from app.ui.contact.contact_dialog import LogContactDialog

        if LogContactDialog(self._sessions, self._actor(), self.client_id, self).exec():
            self._refresh()

    def plan_appointment(self) -> None:
        if self.client_id is None:
            return
        from app.ui.contact.appointment_dialog import AppointmentDialog

        if AppointmentDialog(
            self._sessions, self._actor(), client_id=self.client_id, parent=self
        ).exec():
            self._refresh()

    def add_note(self) -> None:
        if self.client_id is None:
            return
        body, ok = QInputDialog.getMultiLineText(self, _("Add a note"), _("Note:"))
        if not ok or not body.strip():
            return
        client_id = self.client_id
        with self._sessions() as session:
            added = commit_or_report(session, lambda: timeline.add_note(session, self._actor(), client_id, body),
                                     self._show)  # fmt: skip
        if added is not None:
            self._refresh()

    def _show(self, errors: dict[str, str]) -> None:
        self.advice.setText(joined(errors))
        self.advice.show()
