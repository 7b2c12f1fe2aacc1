"""The client file's timeline: contacts, appointments, script runs, referrals and notes,
newest first, with the next suggested contact step and the number of missed appointments
above it, and buttons to log a contact (Ctrl+K), plan an appointment and add a note. The list
is a model over the service's entries, so a thousand entries show at once: rows of two lines
wrapped between words, a coloured dot per kind, and every text whole in its tooltip."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap
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
from app.i18n import N_, _, format_datetime, isolated, ngettext
from app.services.caseload import timeline
from app.services.contact import appointments
from app.services.privacy.access import Actor
from app.ui.contact.advice_box import AdviceBox
from app.ui.form_dialog import commit_or_report, joined

ATTENTION = QColor("#a33a00")
_Index = QModelIndex | QPersistentModelIndex
#: A colour and a name per kind of entry; a kind not listed here gets the grey of `OTHER`.
KIND_COLOURS: dict[str, QColor] = {
    timeline.Kind.CONTACT: QColor("#2e8b57"),
    timeline.Kind.APPOINTMENT: QColor("#2f6db5"),
    timeline.Kind.SCRIPT: QColor("#7a4fb0"),
    timeline.Kind.REFERRAL: QColor("#c2621a"),
    timeline.Kind.NOTE: QColor("#6b6b6b"),
    timeline.Kind.ACTION_POINT: QColor("#b08a00"),
}
OTHER = QColor("#9a9a9a")
KIND_NAMES: dict[str, str] = {
    timeline.Kind.CONTACT: N_("Contact"), timeline.Kind.APPOINTMENT: N_("Appointment"),
    timeline.Kind.SCRIPT: N_("Guided conversation"), timeline.Kind.REFERRAL: N_("Referral"),
    timeline.Kind.NOTE: N_("Note"), timeline.Kind.ACTION_POINT: N_("Action point"),
}  # fmt: skip
LINES_PER_ROW = 2  # longer texts end in "…" and are whole in the tooltip
NOTE_SHOWN = 200  # characters of a note kept for the row (it wraps over two lines at most)


def kind_icon(kind: str, size: int = 12) -> QIcon:
    """A filled dot in the kind's colour (the same in light and dark themes)."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(KIND_COLOURS.get(kind, OTHER))
    painter.drawEllipse(1, 1, size - 2, size - 2)
    painter.end()
    return QIcon(pixmap)


def kind_name(kind: str) -> str:
    return _(KIND_NAMES[kind]) if kind in KIND_NAMES else str(kind)


def _one_line(text: str) -> str:
    """A note on the row's lines: its line breaks as spaces, long ones cut after a word."""
    flat = " ".join(text.split())
    if len(flat) <= NOTE_SHOWN:
        return flat
    return flat[:NOTE_SHOWN].rsplit(" ", 1)[0] + " …"


class TimelineModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.entries: list[timeline.Entry] = []
        self._icons: dict[str, QIcon] = {}

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
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            texts = (format_datetime(entry.at, "short"), entry.title, _one_line(entry.detail),
                     entry.counsellor)  # fmt: skip
            return isolated(texts[column])
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(entry, column)
        if role == Qt.ItemDataRole.DecorationRole and column == 1:
            if entry.kind not in self._icons:
                self._icons[entry.kind] = kind_icon(entry.kind)
            return self._icons[entry.kind]
        if role == Qt.ItemDataRole.ForegroundRole and entry.attention:
            return QBrush(ATTENTION)
        if role == Qt.ItemDataRole.AccessibleDescriptionRole and column == 1:
            return kind_name(entry.kind)
        return None

    @staticmethod
    def _tooltip(entry: timeline.Entry, column: int) -> str | None:
        """The whole text of the cell, and for the entry itself what kind it is."""
        if column == 0:
            return format_datetime(entry.at, "medium")
        if column == 1:
            return f"{kind_name(entry.kind)}: {entry.title}" + (
                f"\n\n{entry.detail}" if entry.detail else ""
            )
        if column == 2:
            return entry.detail or None
        return entry.counsellor or None

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
        self.advice_box = AdviceBox(sessions, actor, self)
        self.advice_box.changed.connect(self._refresh)
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
        # two lines a row, wrapped between words; the rest ends in "…" and is in the tooltip
        self.view.setWordWrap(True)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        rows = self.view.verticalHeader()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.view.fontMetrics().lineSpacing() * LINES_PER_ROW + 8)
        self.view.setIconSize(QSize(12, 12))
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        self.view.setMinimumHeight(300)
        buttons = QHBoxLayout()
        for button in (self.log_button, self.plan_button, self.note_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.advice_box)
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
        self.advice_box.retranslate()
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, 3)

    def show_client(self, client_id: int | None) -> None:
        self.client_id = client_id
        self.setEnabled(client_id is not None)
        if client_id is None:
            self.model.set_entries([])
            self.advice_box.show_client(None)
            self.advice.hide()
            self.no_shows.hide()
            return
        actor = self._actor()
        with self._sessions() as session:
            entries = timeline.entries(session, actor, client_id)
            missed = appointments.no_shows(session, client_id)
        self.model.set_entries(entries)
        self.advice_box.show_client(client_id)
        self.advice.hide()
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
