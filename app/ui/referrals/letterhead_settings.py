"""The letterhead part of the organisation settings: the address (one line per line), phone,
e-mail and logo (a PNG or JPEG, checked when saved) that referral letters carry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from app.db import SessionFactory
from app.i18n import _
from app.services import org_settings
from app.services.referrals import letterhead as lh
from app.ui.fields import error_label
from app.ui.labels import colon


class LetterheadSettings(QGroupBox):
    def __init__(self, sessions: SessionFactory, parent: QWidget | None = None) -> None:
        super().__init__(_("Letterhead of referral letters"), parent)
        self.setObjectName("letterhead")
        with sessions() as session:  # read once; `changes()` hands the edits to the dialog
            address = org_settings.stored_value(session, lh.ADDRESS)
            phone = lh.load(session).phone
            email = org_settings.stored_value(session, lh.EMAIL)
            has_logo = bool(org_settings.stored_value(session, lh.LOGO))
        self.address = QPlainTextEdit(address)
        self.address.setMaximumHeight(64)
        self.address.setTabChangesFocus(True)
        self.phone = QLineEdit(phone)
        self.email = QLineEdit(email)
        self.logo: bytes | None = None  # a newly chosen logo; None keeps the stored one
        self.logo_name = QLabel(_("A logo is set.") if has_logo else _("No logo."))
        choose = QPushButton(_("Choose logo…"))
        choose.clicked.connect(self._choose)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_name, 1)
        logo_row.addWidget(choose)
        form = QFormLayout(self)
        for key, widget in (
            (lh.ADDRESS, self.address),
            (lh.PHONE, self.phone),
            (lh.EMAIL, self.email),
        ):
            widget.setAccessibleName(_(lh.SPECS[key].label))
            form.addRow(colon(_(lh.SPECS[key].label)), widget)
        form.addRow(colon(_(lh.SPECS[lh.LOGO].label)), logo_row)
        self.error = error_label()
        form.addRow(self.error)

    def _choose(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(
            self, _("Choose logo…"), "", _("Images (*.png *.jpg *.jpeg)")
        )
        if path:
            try:
                self.logo = Path(path).read_bytes()
            except OSError as exc:
                self.error.setText(str(exc.strerror or exc))
                self.error.show()
                return
            self.logo_name.setText(Path(path).name)

    def changes(self) -> dict[str, Any]:
        out: dict[str, Any] = {lh.ADDRESS: self.address.toPlainText(), lh.PHONE: self.phone.text(),
                               lh.EMAIL: self.email.text()}  # fmt: skip
        if self.logo is not None:
            out[lh.LOGO] = self.logo
        return out

    def show_errors(self, errors: dict[str, str]) -> None:
        text = " ".join(message for key, message in errors.items() if key in lh.SPECS)
        self.error.setText(text)
        self.error.setVisible(bool(text))
