"""Logging a contact or an attempt: the channels the policy allows, the outcome picked with a
digit key, and Enter saves — Ctrl+K, Enter logs a call that reached the client. The next
suggested step (the escalation rule) is shown above the form."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtGui import QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.db import SessionFactory
from app.i18n import _
from app.models import Client
from app.models.enums import ContactChannel, ContactDirection, ContactOutcome
from app.services.contact import contact_policy, contacts
from app.services.privacy.access import Actor
from app.ui.fields import error_label
from app.ui.form_dialog import commit_or_report, joined


class OutcomeList(QListWidget):
    """The outcomes numbered 1…6; typing a digit picks one."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if text.isdigit() and 1 <= int(text) <= self.count():
            self.setCurrentRow(int(text) - 1)
            return
        super().keyPressEvent(event)


def qt_local(value: dt.datetime) -> QDateTime:
    return QDateTime.fromSecsSinceEpoch(int(value.timestamp()))


def from_qt(value: QDateTime) -> dt.datetime:
    return dt.datetime.fromtimestamp(value.toSecsSinceEpoch(), dt.UTC)


class LogContactDialog(QDialog):
    def __init__(self, sessions: SessionFactory, actor: Actor, client_id: int,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("log_contact")
        self._sessions, self._actor, self.client_id = sessions, actor, client_id
        with sessions() as session:
            client = session.get(Client, client_id)
            name = client.full_name if client else ""
            policy = contact_policy.load(session)
            advice = contacts.describe(contacts.advice_for(session, client_id))
        self.setWindowTitle(_("Log a contact — {name}").format(name=name))
        self.advice = QLabel(advice)
        self.advice.setObjectName("contact_advice")
        self.advice.setWordWrap(True)
        self.advice.setStyleSheet("color: #8a4b00;")
        self.advice.setVisible(bool(self.advice.text()))
        self.channel = QComboBox()
        self.channel.setObjectName("contact_channel")
        for channel in policy.channels():
            if channel != ContactChannel.PERMANENCE:
                self.channel.addItem(channel.label, channel.value)
        self.direction = QComboBox()
        for direction in ContactDirection:
            self.direction.addItem(direction.label, direction.value)
        self.outcome = OutcomeList()
        self.outcome.setObjectName("contact_outcome")
        for n, outcome in enumerate(ContactOutcome, start=1):
            self.outcome.addItem(f"{n}  {outcome.label}")
        self.outcome.setCurrentRow(0)
        self.outcome.setMaximumHeight(self.outcome.sizeHintForRow(0) * len(ContactOutcome) + 8)
        self.when = QDateTimeEdit(QDateTime.currentDateTime())
        self.when.setCalendarPopup(True)
        self.duration = QSpinBox(minimum=0, maximum=contacts.MAX_MINUTES)
        self.duration.setSpecialValueText("—")
        self.duration.setSuffix(" " + _("min"))
        self.note = QLineEdit()
        self.note.setObjectName("contact_note")
        self.error = error_label()
        form = QFormLayout()
        for label, widget in ((_("&Channel:"), self.channel), (_("&Direction:"), self.direction),
                              (_("&Outcome (1–6):"), self.outcome), (_("&When:"), self.when),
                              (_("D&uration:"), self.duration), (_("&Note:"), self.note)):  # fmt: skip
            form.addRow(label, widget)
            widget.setAccessibleName(label.replace("&", "").rstrip(":"))
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.advice)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.outcome.setFocus(Qt.FocusReason.OtherFocusReason)  # a digit, then Enter

    def choose(
        self, *, channel: ContactChannel | None = None, outcome: ContactOutcome | None = None
    ) -> None:
        if channel is not None and self.channel.findData(channel.value) >= 0:
            self.channel.setCurrentIndex(self.channel.findData(channel.value))
        if outcome is not None:
            self.outcome.setCurrentRow(list(ContactOutcome).index(outcome))

    def _save(self) -> None:
        outcome = list(ContactOutcome)[max(self.outcome.currentRow(), 0)]
        with self._sessions() as session:
            logged = commit_or_report(session, lambda: contacts.log(
                session, self._actor, self.client_id, channel=self.channel.currentData(),
                direction=self.direction.currentData(), outcome=outcome,
                occurred_at=from_qt(self.when.dateTime()), duration_minutes=self.duration.value() or None,
                note=self.note.text()).id, self._show)  # fmt: skip
        if logged is not None:
            self.accept()

    def _show(self, errors: dict[str, str]) -> None:
        self.error.setText(joined(errors))
        self.error.show()
