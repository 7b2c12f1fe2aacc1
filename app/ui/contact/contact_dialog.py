"""Logging a contact or an attempt: the channels the policy allows, the outcomes that fit the
chosen channel (a voicemail only on the phone, "message sent" for an SMS, e-mail, WhatsApp or
letter), picked with a digit key, and Enter saves — Ctrl+K, Enter logs a call that reached the
client. The next suggested step (the escalation rule) is shown above the form."""

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
from app.services.contact import advice, contact_policy, contacts
from app.services.privacy.access import Actor
from app.ui.fields import error_label
from app.ui.form_dialog import commit_or_report, joined


class OutcomeList(QListWidget):
    """The channel's outcomes, numbered from 1; typing a digit picks one."""

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
            suggested = advice.describe(advice.advice_for(session, client_id))
        self.setWindowTitle(_("Log a contact — {name}").format(name=name))
        self.advice = QLabel(suggested)
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
        self.outcome_label = QLabel()
        self.outcome_label.setBuddy(self.outcome)
        self.outcomes: tuple[ContactOutcome, ...] = ()
        self.channel.currentIndexChanged.connect(self._channel_changed)
        self._channel_changed()
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
                              (self.outcome_label, self.outcome), (_("&When:"), self.when),
                              (_("D&uration:"), self.duration), (_("&Note:"), self.note)):  # fmt: skip
            form.addRow(label, widget)
            text = label if isinstance(label, str) else _("Outcome")
            widget.setAccessibleName(text.replace("&", "").rstrip(":"))
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

    def _channel_changed(self) -> None:
        """Offer the outcomes of the chosen channel, keeping the one picked when it fits."""
        data = self.channel.currentData()
        picked = self.outcome_choice()
        self.outcomes = contacts.outcomes_for(data) if data else ()
        self.outcome.clear()
        for n, outcome in enumerate(self.outcomes, start=1):
            self.outcome.addItem(f"{n}  {outcome.label}")
        self.outcome.setCurrentRow(self.outcomes.index(picked) if picked in self.outcomes else 0)
        self.outcome.setFixedHeight(self.outcome.sizeHintForRow(0) * max(len(self.outcomes), 1) + 8)
        self.outcome_label.setText(_("&Outcome (1–{last}):").format(last=len(self.outcomes)))

    def outcome_choice(self) -> ContactOutcome | None:
        row = self.outcome.currentRow()
        return self.outcomes[row] if 0 <= row < len(self.outcomes) else None

    def choose(
        self, *, channel: ContactChannel | None = None, outcome: ContactOutcome | None = None,
        note: str | None = None,
    ) -> None:  # fmt: skip
        if channel is not None and self.channel.findData(channel.value) >= 0:
            self.channel.setCurrentIndex(self.channel.findData(channel.value))
        if outcome is not None and outcome in self.outcomes:
            self.outcome.setCurrentRow(self.outcomes.index(outcome))
        if note is not None:
            self.note.setText(note)

    def _save(self) -> None:
        outcome = self.outcome_choice()
        with self._sessions() as session:
            logged = commit_or_report(session, lambda: contacts.log(
                session, self._actor, self.client_id, channel=self.channel.currentData(),
                direction=self.direction.currentData(), outcome=outcome or "",
                occurred_at=from_qt(self.when.dateTime()), duration_minutes=self.duration.value() or None,
                note=self.note.text()).id, self._show)  # fmt: skip
        if logged is not None:
            self.accept()

    def _show(self, errors: dict[str, str]) -> None:
        self.error.setText(joined(errors))
        self.error.show()
