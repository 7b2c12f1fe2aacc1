"""Signing in to an encrypted caseload: the form (used at start and on the lock screen), the
login dialog, and the recovery-key route for a forgotten password."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.db import DatabaseError
from app.i18n import _, ngettext
from app.models import Counsellor
from app.models.enums import AuditAction
from app.services.errors import ServiceError, ValidationFailed
from app.services.privacy import vault as vault_service
from app.services.privacy.keyfile import WrongCredentials, calibrate
from app.services.privacy.login_throttle import LoginThrottle
from app.services.privacy.rekey import left_out_message
from app.services.privacy.signing_in import SignInTarget
from app.services.validation import field_label
from app.ui.fields import ERROR_STYLE
from app.ui.form_dialog import FormDialog
from app.ui.labels import colon
from app.ui.qt_values import box_layout


def busy() -> None:
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)


def idle() -> None:
    QApplication.restoreOverrideCursor()


class SignInForm(QWidget):
    """Login and password; after repeated failures the button waits, counting down."""

    signed_in = Signal(object)  # the Counsellor who signed in

    def __init__(
        self, vault: SignInTarget, throttle: LoginThrottle,
        action: AuditAction = AuditAction.LOGIN,
    ) -> None:  # fmt: skip
        super().__init__()
        self.vault = vault
        self.throttle = throttle
        self._action = action
        self.login = QLineEdit()
        self.login.setObjectName("sign_in_login")
        self.password = QLineEdit()
        self.password.setObjectName("sign_in_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setObjectName("sign_in_message")
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.button = QPushButton()
        self.button.setObjectName("sign_in_button")
        self.button.setDefault(True)
        self.button.clicked.connect(self.submit)
        self.password.returnPressed.connect(self.submit)
        self.login.returnPressed.connect(self.password.setFocus)
        self._countdown = QTimer(self, interval=250)
        self._countdown.timeout.connect(self._tick)
        self.form = QFormLayout()
        self.login_label, self.password_label = QLabel(), QLabel()
        self.login_label.setBuddy(self.login)
        self.password_label.setBuddy(self.password)
        self.form.addRow(self.login_label, self.login)
        self.form.addRow(self.password_label, self.password)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.button, alignment=Qt.AlignmentFlag.AlignRight)
        self.retranslate()

    def retranslate(self) -> None:
        self.login_label.setText(colon(field_label("login")))
        self.password_label.setText(colon(field_label("password")))
        self.button.setText(_("Sign in"))

    def reset(self) -> None:
        self.password.clear()
        self.message.clear()
        (self.password if self.login.text() else self.login).setFocus()

    def submit(self) -> None:
        if self.throttle.wait_remaining() > 0:
            return
        busy()
        try:
            person: Counsellor = self.vault.unlock(self.login.text(), self.password.text(),
                                                   self.throttle, self._action)  # fmt: skip
        except WrongCredentials as exc:
            self.message.setText(str(exc))
            self.password.clear()
            self.password.setFocus()
            self._tick()
            return
        except (DatabaseError, ServiceError) as exc:
            self.message.setText(str(exc))
            return
        finally:
            idle()
        self.password.clear()
        self.message.clear()
        if self.vault.audit_warnings:  # someone changed the trail this account had seen
            QMessageBox.warning(self, _("Audit trail"), "\n\n".join(self.vault.audit_warnings))
        self.signed_in.emit(person)

    def _tick(self) -> None:
        wait = self.throttle.wait_remaining()
        if wait <= 0:
            self._countdown.stop()
            self.button.setEnabled(True)
            self.retranslate()
            return
        self.button.setEnabled(False)
        self._countdown.start()
        seconds = math.ceil(wait)
        self.button.setText(
            ngettext("Wait {n} second", "Wait {n} seconds", seconds).format(n=seconds)
        )

    def hideEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        self._countdown.stop()
        super().hideEvent(event)


class LoginDialog(QDialog):
    """Asked at every start of an encrypted caseload or a team server."""

    def __init__(self, vault: SignInTarget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vault = vault
        self.setWindowTitle(_("Sign in to Traject"))
        title = QLabel(vault.organisation)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        title.setFont(font)
        self.form = SignInForm(vault, LoginThrottle())
        self.form.signed_in.connect(lambda _person: self.accept())
        self.forgot = QPushButton(_("Forgot your password? Use the recovery key…"))
        self.forgot.setObjectName("forgot_password")
        self.forgot.setFlat(True)
        self.forgot.clicked.connect(self._recover)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(self.form)
        layout.addWidget(self.forgot, alignment=Qt.AlignmentFlag.AlignLeft)
        # a team server has no recovery key: an administrator sets a new password
        self.forgot.setVisible(isinstance(vault, vault_service.Vault))
        self.resize(420, self.sizeHint().height())

    def _recover(self) -> None:
        if not isinstance(self.vault, vault_service.Vault):
            return
        dialog = RecoverDialog(self.vault, self)
        if dialog.exec() and dialog.recovered is not None:
            self.vault = dialog.recovered
            self.accept()


class RecoverDialog(FormDialog):
    """The recovery key opens the caseload and gives an account a new password."""

    def __init__(self, vault: vault_service.Vault, parent: QWidget | None = None) -> None:
        super().__init__(["recovery_key", "login", "password", "password_repeat"], parent,
                         secret=("password", "password_repeat"))  # fmt: skip
        self._path = vault.path
        self.recovered: vault_service.Vault | None = None
        self.setWindowTitle(_("Use the recovery key"))
        intro = QLabel(_("Type the recovery key from the printed sheet, the account that needs "
                         "a new password, and that new password."))  # fmt: skip
        intro.setWordWrap(True)
        box_layout(self).insertWidget(0, intro)

    def _submit(self) -> None:
        if self.passwords_differ():
            return
        busy()
        try:
            self.recovered, done = vault_service.recover(
                self._path, self.value("recovery_key"), self.value("login"),
                self.value("password"), calibrate())  # fmt: skip
        except ValidationFailed as exc:
            self.show_errors(exc.errors)
            return
        except (WrongCredentials, DatabaseError, ServiceError) as exc:
            self.show_errors({"": str(exc)})
            return
        finally:
            idle()
        if done.left_out:
            QMessageBox.information(self, _("New password"), left_out_message(done.left_out))
        self.accept()
