"""A new referral from the client's file or from a guided conversation's result: the offer
type, then an offer (the type in the client's province first; sample offers are marked), the
reason, what was agreed, the follow-up date, an optional appointment at the partner, and the
question whether the client agrees that the listed data go to that partner. From a
conversation it starts pre-filled (`referral_draft`); once saved with consent, `open_letters`
shows the partner's letter and the client's copy."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from PySide6.QtCore import QDate, QDateTime, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.db import SessionFactory
from app.i18n import _, current_locale, isolated
from app.models import Offer
from app.models.practical import OfferType, region_label
from app.services.caseload import clients
from app.services.clock import local_today
from app.services.privacy.access import Actor
from app.services.referrals import offers, referrals
from app.services.scripts import referral_draft
from app.services.scripts.referral_draft import ReferralDraft
from app.ui.fields import error_label
from app.ui.form_dialog import commit_or_report
from app.ui.qt_values import full_year, python_date

#: Where an offer's item keeps the provider's name (for the consent's wording).
PROVIDER = Qt.ItemDataRole.UserRole + 1


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def offer_text(offer: Offer) -> str:
    # each part isolated: in Arabic a Dutch name keeps its order beside an Arabic province
    place = ", ".join(isolated(p) for p in (offer.municipality, region_label(offer.region)) if p)
    text = f"{isolated(offer.name)} — {isolated(offer.provider)} ({place})"
    return text + "  · " + _("sample") if offer.is_sample else text


class ReferralDialog(QDialog):
    """`referral_id`, `offer_name` and `consented` say what was saved once it is accepted."""

    def __init__(self, sessions: SessionFactory, actor: Actor, client_id: int,
                 offer_type: OfferType | None = None, parent: QWidget | None = None,
                 *, draft: ReferralDraft | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._sessions, self.actor, self.client_id, self.draft = sessions, actor, client_id, draft
        with sessions() as session:
            name = clients.get_client(session, client_id).full_name
        self.referral_id: int | None = None
        self.offer_name = ""
        self.consented = False
        self.setWindowTitle(_("New referral for {name}").format(name=name))
        if draft is not None:
            offer_type = draft.offer_type
        self.kind = QComboBox()
        self.kind.setObjectName("referral_kind")
        self.kind.addItem(_("Any type"), None)
        for kind in OfferType:
            self.kind.addItem(kind.label, kind.value)
        if offer_type is not None:
            self.kind.setCurrentIndex(self.kind.findData(offer_type.value))
        self.offers = QListWidget()
        self.offers.setObjectName("referral_offers")
        self.offers.setMinimumHeight(140)
        self.reason, self.agreed = QPlainTextEdit(), QPlainTextEdit()
        self.reason.setObjectName("referral_reason")
        self.agreed.setObjectName("referral_agreed")
        for edit in (self.reason, self.agreed):
            edit.setMaximumHeight(96)
            edit.setTabChangesFocus(True)
        self.follow_up = full_year(QDateEdit())
        self.follow_up.setObjectName("referral_follow_up")
        self.follow_up.setCalendarPopup(True)
        self.follow_up.setDate(
            _qdate(local_today() + dt.timedelta(days=referrals.DEFAULT_FOLLOW_UP_DAYS))
        )
        self.has_appointment = QCheckBox(_("The client has an appointment at the &partner:"))
        self.appointment = QDateTimeEdit(calendarPopup=True)
        self.appointment.setDateTime(QDateTime.currentDateTime().addDays(7))
        self.appointment.setEnabled(False)
        self.appointment.setAccessibleName(_("Appointment at the partner"))
        self.has_appointment.toggled.connect(self.appointment.setEnabled)
        self.consent_box = QGroupBox(_("Consent to share"))
        self.consent_question = QLabel()
        self.consent_question.setWordWrap(True)
        self.consent = QCheckBox(_("The client &agrees today"))
        self.consent.setObjectName("referral_consent")
        consent_layout = QVBoxLayout(self.consent_box)
        consent_layout.addWidget(self.consent_question)
        consent_layout.addWidget(self.consent)
        self.errors = {key: error_label() for key in ("offer", "reason", "agreed", "follow_up_on")}
        self.drafted = QLabel()  # from a conversation: where the texts come from
        self.drafted.setObjectName("referral_drafted")
        self.drafted.setWordWrap(True)
        self.drafted.setStyleSheet("color: #555555;")
        self.drafted.hide()
        self.general = error_label(hidden=False)
        form = QFormLayout()
        for text, widget, error in ((_("&Type of offer:"), self.kind, None),
                                    (_("O&ffer:"), self.offers, "offer"),
                                    (_("&Reason:"), self.reason, "reason"),
                                    (_("What was a&greed:"), self.agreed, "agreed"),
                                    (_("Follow &up on:"), self.follow_up, "follow_up_on")):  # fmt: skip
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
            if error is not None:
                form.addRow("", self.errors[error])
            if error == "reason":
                form.addRow("", self.drafted)
        appointment_row = QHBoxLayout()  # a whole row: the check box's text is long
        appointment_row.addWidget(self.has_appointment)
        appointment_row.addWidget(self.appointment, 1)
        form.addRow(appointment_row)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.consent_box)
        layout.addWidget(self.general)
        layout.addWidget(buttons)
        self.save_button.setDefault(True)  # once in the dialog: Enter saves from any field
        self.kind.currentIndexChanged.connect(self._fill)
        self.offers.currentItemChanged.connect(self._offer_chosen)
        self._fill()
        if draft is not None:
            self._start_from(draft)
        self.resize(780, 660)

    def _start_from(self, draft: ReferralDraft) -> None:
        """The conversation's suggestion: its offer chosen, its texts to read and edit."""
        for row in range(self.offers.count()):
            item = self.offers.item(row)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) == draft.offer_id:
                self.offers.setCurrentRow(row)
        self.reason.setPlainText(draft.reason)
        language = current_locale().languages.get(draft.language, draft.language)
        self.drafted.setText(_("Drafted from the conversation in {language}, the language of the partner's letter; edit as you see fit.")
                             .format(language=language))  # fmt: skip
        self.drafted.show()
        self.agreed.setPlainText(draft.agreed)
        self.follow_up.setDate(_qdate(draft.follow_up_on))
        self.reason.setFocus(Qt.FocusReason.OtherFocusReason)
        self.reason.moveCursor(QTextCursor.MoveOperation.End)

    def _fill(self) -> None:
        self.offers.clear()
        with self._sessions() as session:  # each item keeps the offer's id and its provider
            client = clients.get_client(session, self.client_id)
            for offer in offers.suggestions(session, client, self.kind.currentData()):
                item = QListWidgetItem(offer_text(offer))
                item.setData(Qt.ItemDataRole.UserRole, offer.id)
                item.setData(PROVIDER, offer.provider)
                item.setToolTip(item.text())
                self.offers.addItem(item)
        if self.offers.count():
            self.offers.setCurrentRow(0)
        self._offer_chosen()

    def _offer_chosen(self) -> None:
        item = self.offers.currentItem()
        provider = item.data(PROVIDER) if item else "…"
        self.consent_question.setText(_("Ask the client: may the data listed in the letter be shared with {partner} for this referral?")
                                      .format(partner=provider))  # fmt: skip

    def _save(self) -> None:
        for label in self.errors.values():
            label.hide()
        item = self.offers.currentItem()
        if item is None:
            self._report({"offer": _("Offer: choose the partner's offer.")})
            return
        appointment = None
        if self.has_appointment.isChecked():
            when = self.appointment.dateTime().toPython()
            if not isinstance(when, dt.datetime):  # a QDateTimeEdit always holds a valid one
                raise TypeError(f"not a date and time: {when!r}")
            appointment = when.astimezone(dt.UTC)
        values = {"reason": self.reason.toPlainText(), "agreed": self.agreed.toPlainText(),
                  "follow_up_on": python_date(self.follow_up.date()), "partner_appointment_at": appointment}  # fmt: skip
        offer_id, consent = item.data(Qt.ItemDataRole.UserRole), self.consent.isChecked()
        draft = self.draft
        with self._sessions() as session:
            if draft is None:
                made = commit_or_report(session, lambda: referrals.create(
                    session, self.actor, self.client_id, offer_id, values, consent=consent), self._report)  # fmt: skip
            else:
                made = commit_or_report(session, lambda: referral_draft.save(
                    session, self.actor, draft, offer_id, values, consent=consent), self._report)  # fmt: skip
            referral_id = made.id if made is not None else None
        if referral_id is not None:
            self.referral_id, self.consented = referral_id, consent
            self.offer_name = item.text()
            self.accept()

    def _report(self, errors: dict[str, str]) -> None:
        general = []
        for key, message in errors.items():
            label = self.errors.get(key)
            if label is None:
                general.append(message)
            else:
                label.setText(message)
                label.show()
        self.general.setText(" ".join(general))


def open_letters(
    sessions: SessionFactory, actor: Actor, referral_id: int, left_out: Collection[str],
    parent: QWidget | None = None,
) -> None:  # fmt: skip
    """The letter preview of a referral just made: the partner's letter first, the client's
    copy one choice away; the fields the file says are absent start left out."""
    from app.ui.referrals.letter_dialog import LetterDialog

    dialog = LetterDialog(sessions, actor, referral_id, "partner", parent, left_out=left_out)
    dialog.setObjectName("letter_dialog")
    dialog.exec()
