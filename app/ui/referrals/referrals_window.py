"""A client's referrals: each with its partner, status, consent and follow-up date, its dated
steps, and what can be done next — a new referral, the next step (only the steps the
lifecycle allows are offered), recording the client's consent, and the letters."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.db import SessionFactory
from app.i18n import _, format_date, format_datetime
from app.models.enums import ReferralStatus
from app.services.caseload import clients, counsellors
from app.services.privacy.access import Actor
from app.services.referrals import referrals
from app.ui.form_dialog import commit_or_report, joined


class ReferralsDialog(QDialog):
    def __init__(
        self, sessions: SessionFactory, actor: Actor, client_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._sessions, self.actor, self.client_id = sessions, actor, client_id
        self.changed = False
        with sessions() as session:
            name = clients.get_client(session, client_id).full_name
        self.setWindowTitle(_("Referrals of {name}").format(name=name))
        self.list = QListWidget()
        self.list.setObjectName("referral_list")
        self.steps = QLabel()
        self.steps.setWordWrap(True)
        self.steps.setTextFormat(Qt.TextFormat.PlainText)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.new = QPushButton(_("&New referral…"))
        self.step = QPushButton(_("Next &step…"))
        self.consent = QPushButton(_("Record &consent"))
        self.letter = QPushButton(_("&Letters…"))
        close = QPushButton(_("Close"))
        self.new.clicked.connect(self._new)
        self.step.clicked.connect(self._step)
        self.consent.clicked.connect(self._consent)
        self.letter.clicked.connect(self._letter)
        close.clicked.connect(self.accept)
        buttons = QVBoxLayout()
        for button in (self.new, self.step, self.consent, self.letter):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        top = QHBoxLayout()
        top.addWidget(self.list, 1)
        top.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.steps)
        layout.addWidget(self.message)
        self.list.currentItemChanged.connect(self._selected)
        self.refresh()
        self.resize(760, 440)

    def refresh(self, select: int | None = None) -> None:
        rows: list[tuple[int, str]] = []  # the list keeps ids and texts only
        with self._sessions() as session:
            for referral, offer in referrals.of_client(session, self.client_id):
                parts = [f"{offer.name} — {offer.provider}", ReferralStatus(referral.status).label]
                if referral.follow_up_on:
                    parts.append(
                        _("follow up on {date}").format(date=format_date(referral.follow_up_on))
                    )
                if not referrals.has_consent(session, referral):
                    parts.append(_("no consent yet"))
                rows.append((referral.id, " · ".join(parts)))
        self.list.clear()
        for referral_id, text in rows:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, referral_id)
            self.list.addItem(item)
            if referral_id == select:
                self.list.setCurrentItem(item)
        if self.list.currentItem() is None and self.list.count():
            self.list.setCurrentRow(0)
        self._selected()

    def current(self) -> int | None:
        item = self.list.currentItem()
        if item is None:
            return None
        referral_id: int = item.data(Qt.ItemDataRole.UserRole)
        return referral_id

    def _selected(self) -> None:
        referral_id = self.current()
        for button in (self.step, self.consent, self.letter):
            button.setEnabled(referral_id is not None)
        if referral_id is None:
            self.steps.setText(_("No referrals yet."))
            return
        with self._sessions() as session:
            referral = referrals.get(session, referral_id)
            steps = referrals.events(session, referral_id)
            signed = {e.counsellor_id for e in steps if e.counsellor_id is not None}
            names = counsellors.full_names(session, signed)
            lines = [f"{format_datetime(e.at)}  {ReferralStatus(e.status).label} — {names.get(e.counsellor_id or 0, '')}"
                     + (f": {e.note}" if e.note else "") for e in steps]  # fmt: skip
            if referral.reason:
                lines.insert(0, _("Reason: {reason}").format(reason=referral.reason))
            status = ReferralStatus(referral.status)
            consented = referrals.has_consent(session, referral)
        self.steps.setText("\n".join(lines))
        self.step.setEnabled(bool(referrals.NEXT_STEPS.get(status)))
        self.consent.setEnabled(not consented)

    def _new(self) -> None:
        from app.ui.referrals.referral_dialog import ReferralDialog

        dialog = ReferralDialog(self._sessions, self.actor, self.client_id, parent=self)
        if dialog.exec():
            self.changed = True
            self.refresh(dialog.referral_id)

    def _step(self) -> None:
        referral_id = self.current()
        if referral_id is None:
            return
        with self._sessions() as session:  # closed before the question is asked
            current = ReferralStatus(referrals.get(session, referral_id).status)
        choices = referrals.NEXT_STEPS.get(current, ())
        labels = [s.label for s in choices]
        label, ok = QInputDialog.getItem(
            self, _("Next step"), _("The referral is now:"), labels, 0, False
        )
        if not ok:
            return
        status = choices[labels.index(label)]
        with self._sessions() as session:
            done = commit_or_report(session, lambda: referrals.move(session, self.actor, referral_id, status),
                                    lambda errors: self.message.setText(joined(errors)))  # fmt: skip
        if done is not None:
            self.changed = True
            self.message.clear()
            self.refresh(referral_id)

    def _consent(self) -> None:
        referral_id = self.current()
        if referral_id is None:
            return
        answer = QMessageBox.question(self, _("Record consent"),
                                      _("Did the client agree today that the data listed in the letter are shared with this partner?"))  # fmt: skip
        if answer != QMessageBox.StandardButton.Yes:
            return

        with self._sessions() as session:

            def consent() -> bool:
                referrals.give_consent(session, self.actor, referral_id)
                return True

            done = commit_or_report(
                session, consent, lambda errors: self.message.setText(joined(errors))
            )
        if done is not None:
            self.changed = True
            self.refresh(referral_id)

    def _letter(self) -> None:
        referral_id = self.current()
        if referral_id is not None:
            from app.ui.referrals.letter_dialog import LetterDialog

            LetterDialog(self._sessions, self.actor, referral_id, parent=self).exec()
