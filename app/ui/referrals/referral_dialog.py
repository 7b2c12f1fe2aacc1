"""A new referral from the client's file: the offer type, then an offer (the type in the
client's province first; sample offers are marked), the reason, what was agreed, the
follow-up date, an optional appointment at the partner and the client's consent to share the
listed data with that partner."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QDateTime, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.db import SessionFactory
from app.i18n import _
from app.models import Offer
from app.models.practical import OfferType, region_label
from app.services.caseload import clients
from app.services.clock import local_today
from app.services.privacy.access import Actor
from app.services.referrals import offers, referrals
from app.ui.fields import error_label
from app.ui.form_dialog import commit_or_report
from app.ui.qt_values import python_date

#: Where an offer's item keeps the provider's name (for the consent's wording).
PROVIDER = Qt.ItemDataRole.UserRole + 1


def offer_text(offer: Offer) -> str:
    place = ", ".join(p for p in (offer.municipality, region_label(offer.region)) if p)
    text = f"{offer.name} — {offer.provider} ({place})"
    return text + "  · " + _("sample") if offer.is_sample else text


class ReferralDialog(QDialog):
    def __init__(self, sessions: SessionFactory, actor: Actor, client_id: int,
                 offer_type: OfferType | None = None, parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self._sessions, self.actor, self.client_id = sessions, actor, client_id
        with sessions() as session:
            name = clients.get_client(session, client_id).full_name
        self.referral_id: int | None = None
        self.setWindowTitle(_("New referral for {name}").format(name=name))
        self.kind = QComboBox()
        self.kind.addItem(_("Any type"), None)
        for kind in OfferType:
            self.kind.addItem(kind.label, kind.value)
        if offer_type is not None:
            self.kind.setCurrentIndex(self.kind.findData(offer_type.value))
        self.offers = QListWidget()
        self.offers.setObjectName("referral_offers")
        self.offers.setMinimumHeight(160)
        self.reason, self.agreed = QPlainTextEdit(), QPlainTextEdit()
        for edit in (self.reason, self.agreed):
            edit.setMaximumHeight(70)
            edit.setTabChangesFocus(True)
        self.follow_up = QDateEdit()
        self.follow_up.setCalendarPopup(True)
        self.follow_up.setDate(
            QDate(local_today() + dt.timedelta(days=referrals.DEFAULT_FOLLOW_UP_DAYS))
        )
        self.has_appointment = QCheckBox(_("The client has an appointment at the partner:"))
        self.appointment = QDateTimeEdit(calendarPopup=True)
        self.appointment.setDateTime(QDateTime.currentDateTime().addDays(7))
        self.appointment.setEnabled(False)
        self.has_appointment.toggled.connect(self.appointment.setEnabled)
        self.consent = QCheckBox()
        self.consent.setObjectName("referral_consent")
        self.errors = {key: error_label() for key in ("offer", "reason", "agreed", "follow_up_on")}
        self.general = error_label(hidden=False)
        form = QFormLayout()
        form.addRow(_("Type of offer:"), self.kind)
        form.addRow(_("Offer:"), self.offers)
        form.addRow("", self.errors["offer"])
        form.addRow(_("Reason:"), self.reason)
        form.addRow("", self.errors["reason"])
        form.addRow(_("What was agreed:"), self.agreed)
        form.addRow("", self.errors["agreed"])
        form.addRow(_("Follow up on:"), self.follow_up)
        form.addRow("", self.errors["follow_up_on"])
        form.addRow(self.has_appointment, self.appointment)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.consent)
        layout.addWidget(self.general)
        layout.addWidget(buttons)
        self.kind.currentIndexChanged.connect(self._fill)
        self.offers.currentItemChanged.connect(self._offer_chosen)
        self._fill()
        self.resize(640, 620)

    def _fill(self) -> None:
        self.offers.clear()
        with self._sessions() as session:  # each item keeps the offer's id and its provider
            client = clients.get_client(session, self.client_id)
            for offer in offers.suggestions(session, client, self.kind.currentData()):
                item = QListWidgetItem(offer_text(offer))
                item.setData(Qt.ItemDataRole.UserRole, offer.id)
                item.setData(PROVIDER, offer.provider)
                self.offers.addItem(item)
        if self.offers.count():
            self.offers.setCurrentRow(0)
        self._offer_chosen()

    def _offer_chosen(self) -> None:
        item = self.offers.currentItem()
        provider = item.data(PROVIDER) if item else "…"
        self.consent.setText(_("The client agrees today that the data listed in the letter are shared with {partner}.")
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
        with self._sessions() as session:
            made = commit_or_report(session, lambda: referrals.create(
                session, self.actor, self.client_id, offer_id, values, consent=consent), self._report)  # fmt: skip
            referral_id = made.id if made is not None else None
        if referral_id is not None:
            self.referral_id = referral_id
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
