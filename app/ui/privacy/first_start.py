"""First start of an encrypted caseload: the organisation and the first (admin) account, then
the recovery key, shown once, printable as a PDF sheet."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.db import DatabaseError
from app.i18n import _
from app.services.clock import local_today
from app.services.errors import ServiceError, ValidationFailed
from app.services.privacy import vault as vault_service
from app.services.privacy.keyfile import calibrate
from app.ui.fields import ERROR_STYLE
from app.ui.form_dialog import FormDialog
from app.ui.privacy.sign_in import busy, idle
from app.ui.qt_values import box_layout


class FirstStartDialog(FormDialog):
    """Creates the encrypted database and its administrator."""

    def __init__(self, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(["organisation", "full_name", "login", "email", "password", "password_repeat"],
                         parent, secret=("password", "password_repeat"))  # fmt: skip
        self._path = path
        self.vault: vault_service.Vault | None = None
        self.recovery_key = ""
        self.setWindowTitle(_("Welcome to Traject"))
        intro = QLabel(_(
            "Traject keeps your caseload encrypted on this computer. Set up your organisation "
            "and your own account; you will be its administrator and can add colleagues later."
        ))  # fmt: skip
        intro.setWordWrap(True)
        box_layout(self).insertWidget(0, intro)
        self.resize(520, self.sizeHint().height())

    def _submit(self) -> None:
        if self.passwords_differ():
            return
        busy()
        try:
            self.vault, self.recovery_key = vault_service.create(
                self._path, organisation=self.value("organisation"), login=self.value("login"),
                full_name=self.value("full_name"), email=self.value("email") or None,
                password=self.value("password"), params=calibrate(),
            )  # fmt: skip
        except ValidationFailed as exc:
            self.show_errors(exc.errors)
            return
        except (DatabaseError, ServiceError) as exc:
            self.show_errors({"": str(exc)})
            return
        finally:
            idle()
        self.accept()


class RecoveryKeyDialog(QDialog):
    """Shows the recovery key once; continuing needs a tick that it is stored safely."""

    def __init__(self, organisation: str, recovery_key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._organisation, self._key = organisation, recovery_key
        self.setWindowTitle(_("Your recovery key"))
        intro = QLabel(_(
            "This recovery key opens the caseload when every password is forgotten. It is shown "
            "only now. Print it or write it down, and keep it locked away from this laptop."
        ))  # fmt: skip
        intro.setWordWrap(True)
        key = QLabel(recovery_key)
        key.setObjectName("recovery_key")
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setWeight(QFont.Weight.Bold)
        key.setFont(font)
        key.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.save = QPushButton(_("Save as PDF to print…"))
        self.save.clicked.connect(self._save_pdf)
        self.saved = QLabel()
        self.saved.setWordWrap(True)
        self.confirm = QCheckBox(_("I have printed or written down the recovery key"))
        self.confirm.setObjectName("recovery_confirm")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Continue"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.confirm.toggled.connect(
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled
        )
        self.buttons.accepted.connect(self.accept)
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        layout = QVBoxLayout(self)
        for widget in (intro, key, self.save, self.saved, self.error, self.confirm, self.buttons):
            layout.addWidget(widget)

    def reject(self) -> None:  # Esc must not skip the one chance to see the key
        if self.confirm.isChecked():
            super().reject()

    def _save_pdf(self) -> None:
        target, _filter = QFileDialog.getSaveFileName(
            self, _("Save the recovery key sheet"), _("traject-recovery-key.pdf"), "PDF (*.pdf)"
        )
        if target:
            self.write_pdf(Path(target))

    def write_pdf(self, target: Path) -> None:
        from app.services.privacy.recovery_sheet import write_recovery_sheet

        try:
            write_recovery_sheet(target, self._organisation, self._key, local_today())
        except OSError as exc:
            self.error.setText(
                _("Could not write {file}: {reason}").format(file=target, reason=exc.strerror)
            )
            return
        self.error.clear()
        self.saved.setText(
            _("Saved to {file}. Print it, then delete the file.").format(file=target)
        )
