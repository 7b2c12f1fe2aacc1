"""Locking the window: after a quiet spell (default 10 minutes) or on Ctrl+L the client data is
hidden and the database closed until the same or another counsellor signs in again."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from app.i18n import _
from app.models.enums import AuditAction
from app.services.privacy.login_throttle import LoginThrottle
from app.services.privacy.signing_in import SignInTarget as Vault
from app.ui.privacy.sign_in import SignInForm

DEFAULT_IDLE_MINUTES = 10
_ACTIVITY = frozenset({QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress,
                       QEvent.Type.MouseMove, QEvent.Type.Wheel, QEvent.Type.TouchBegin})  # fmt: skip


class IdleWatcher(QObject):
    """Emits `idle` when no key, mouse or touch input reached the application for a while."""

    idle = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._paused = False
        self._timer = QTimer(self, singleShot=True)
        self._timer.timeout.connect(self.idle)
        self.set_minutes(minutes)
        app = QApplication.instance()
        assert app is not None
        app.installEventFilter(self)

    def set_minutes(self, minutes: int) -> None:
        self._timer.setInterval(max(1, minutes) * 60_000)
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and not self._paused:
            self._timer.start()
        return False

    def pause(self) -> None:
        """No lock until `resume` (a long import runs on this thread)."""
        self._timer.stop()
        self._paused = True

    def resume(self) -> None:
        self._paused = False
        self._timer.start()

    def stop(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._timer.stop()


class LockScreen(QWidget):
    """What the window shows while locked: who may sign in, and nothing about clients."""

    def __init__(self, vault: Vault) -> None:
        super().__init__()
        self.title = QLabel()
        self.title.setObjectName("lock_title")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.form = SignInForm(vault, LoginThrottle(), action=AuditAction.UNLOCK)
        box = QWidget()
        box.setFixedWidth(440)  # a fixed width lets the wrapped hint take the height it needs
        inner = QVBoxLayout(box)
        inner.addWidget(self.title)
        inner.addWidget(self.hint)
        inner.addWidget(self.form)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(box, alignment=Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)
        self.retranslate()

    def retranslate(self) -> None:
        self.title.setText(_("Traject is locked"))
        self.hint.setText(_("The caseload is hidden and the database closed. Sign in to go on; "
                            "a colleague at a shared desk can sign in with their own account."))  # fmt: skip
        self.form.retranslate()
