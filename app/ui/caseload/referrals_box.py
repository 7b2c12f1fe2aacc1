"""The client file's referrals: each partner offer the client was referred to, its status,
the follow-up date and whether the client consented to sharing, with the referrals window
(also Ctrl+R from the menu) for a new referral, its next step and the letters."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.db import SessionFactory
from app.i18n import _, format_date, isolated
from app.models.enums import ReferralStatus
from app.services.privacy.access import Actor
from app.services.referrals import referrals


class ReferralsBox(QGroupBox):
    changed = Signal()

    def __init__(
        self, sessions: SessionFactory, actor: Callable[[], Actor], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("file_referrals")
        self._sessions, self._actor = sessions, actor
        self.client_id: int | None = None
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("file_referrals_table")
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.empty = QLabel()
        self.manage = QPushButton()
        self.manage.setObjectName("file_referrals_button")
        self.manage.clicked.connect(self.open_referrals)
        buttons = QHBoxLayout()
        buttons.addWidget(self.manage)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.empty)
        layout.addWidget(self.table)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(_("Referrals"))
        self.manage.setText(_("Referrals, letters and &next steps… (Ctrl+R)"))
        self.empty.setText(_("No referrals yet."))
        self.table.setHorizontalHeaderLabels(
            [_("Offer"), _("Status"), _("Follow up on"), _("Consent to share")]
        )
        self.table.setAccessibleName(_("Referrals"))

    def show_client(self, client_id: int | None) -> None:
        self.client_id = client_id
        self.setEnabled(client_id is not None)
        rows: list[tuple[str, str, str, str]] = []
        if client_id is not None:
            with self._sessions() as session:
                for referral, offer in referrals.of_client(session, client_id):
                    consent = referrals.has_consent(session, referral)
                    follow = format_date(referral.follow_up_on) if referral.follow_up_on else ""
                    rows.append((f"{offer.name} — {offer.provider}",
                                 ReferralStatus(referral.status).label, follow,
                                 _("Yes") if consent else _("Not yet")))  # fmt: skip
        self.table.setRowCount(len(rows))
        for row, texts in enumerate(rows):
            for column, text in enumerate(texts):
                item = QTableWidgetItem(isolated(text))
                item.setToolTip(text)
                self.table.setItem(row, column, item)
        self.table.setVisible(bool(rows))
        self.empty.setVisible(client_id is not None and not rows)
        if rows:  # no empty space under the last referral, no inner scrolling for a few
            height = self.table.horizontalHeader().height() + 2 * self.table.frameWidth()
            height += sum(self.table.rowHeight(r) for r in range(min(len(rows), 8)))
            self.table.setFixedHeight(height + 2)

    def open_referrals(self) -> None:
        if self.client_id is None:
            return
        from app.ui.referrals.referrals_window import ReferralsDialog

        dialog = ReferralsDialog(self._sessions, self._actor(), self.client_id, self)
        dialog.exec()
        if dialog.changed:
            self.show_client(self.client_id)
            self.changed.emit()
