"""Locking the caseload window of an encrypted caseload: Ctrl+L or idle time hides every
client, records the lock, closes the database and forgets its key; a sign-in on the lock
screen (the same or another counsellor) opens it again. The lock screen and the idle watcher
are imported only when a vault is open."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from app.i18n import _

if TYPE_CHECKING:
    from app.services.privacy.signing_in import SignInTarget as Vault
    from app.ui.privacy.lock import IdleWatcher, LockScreen
    from app.ui.window.host import LockHost

#: How long the lock waits to write its audit entry while another process writes (an import).
LOCK_WRITE_WAIT_MS = 300


class LockController(QObject):
    """Ctrl+L, the idle watcher and the lock screen; does nothing on a plain database."""

    def __init__(self, host: LockHost, vault: Vault | None) -> None:
        super().__init__(host.window())
        self._host, self._vault = host, vault
        self.lock_screen: LockScreen | None = None
        self._deferred = False
        self.idle: IdleWatcher | None = None
        parent = host.window()
        self.lock_action = QAction(
            parent, shortcut=QKeySequence("Ctrl+L"), enabled=vault is not None
        )
        self.lock_action.triggered.connect(self.lock)
        self.idle_action = QAction(parent, enabled=vault is not None)
        self.idle_action.triggered.connect(self.choose_idle_minutes)
        if vault is not None:
            from app.ui.privacy.lock import DEFAULT_IDLE_MINUTES, IdleWatcher

            minutes = host.settings.integer("lock/idle_minutes") or DEFAULT_IDLE_MINUTES
            self.idle = IdleWatcher(minutes, parent)
            self.idle.idle.connect(self.lock)

    def retranslate(self) -> None:
        self.lock_action.setText(_("&Lock"))
        self.idle_action.setText(_("Lock after &inactivity…"))
        if self.lock_screen is not None:
            self.lock_screen.retranslate()

    def lock(self) -> None:
        """Hide every client, close the database and forget its key until a sign-in. Whatever
        shows client data goes first (other windows, dialogs, the search text, what Traject
        copied); writing the LOCK entry may not hold the lock up: a busy caseload (an import)
        gets it written at the next sign-in instead."""
        vault = self._vault
        if vault is None or vault.locked or self._deferred:
            return
        if self._host.long_actions.running:  # a batch holds its session: lock once it ends
            self._deferred = True
            self._host.long_actions.when_done(self._deferred_lock)
            return
        from PySide6.QtWidgets import QApplication, QDialog

        from app.ui.clipboard import clear_what_traject_copied
        from app.ui.privacy.lock import LockScreen

        window = self._host.window()
        for other in QApplication.topLevelWidgets():  # the agenda, a reach list, a dialog
            if other is not window and other.isVisible():
                if isinstance(other, QDialog):
                    other.reject()
                other.close()
        clear_what_traject_copied()
        if self.lock_screen is None:
            self.lock_screen = LockScreen(vault)
            self.lock_screen.form.signed_in.connect(self._unlocked)
        self._host.hide_clients(self.lock_screen)
        self._record_lock(vault)
        vault.lock()
        self.lock_screen.form.reset()

    def _record_lock(self, vault: Vault) -> None:
        """The LOCK entry in a session of its own, waiting at most a moment for a busy
        caseload; if it cannot be written now, the vault writes it at the next sign-in."""
        from sqlalchemy.exc import OperationalError

        from app.db import wait_at_most
        from app.models.enums import AuditAction
        from app.services.privacy import audit

        with self._host.database.sessions() as session:
            try:
                wait_at_most(session, LOCK_WRITE_WAIT_MS)
                audit.record(session, AuditAction.LOCK, counsellor_id=vault.counsellor_id)
                session.commit()
            except OperationalError:
                session.rollback()
                vault.lock_not_recorded = True

    def _deferred_lock(self) -> None:
        self._deferred = False
        self.lock()

    def _unlocked(self, _person: object) -> None:
        self._host.show_clients()

    def choose_idle_minutes(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        from app.ui.privacy.lock import DEFAULT_IDLE_MINUTES

        settings = self._host.settings
        current = settings.integer("lock/idle_minutes") or DEFAULT_IDLE_MINUTES
        minutes, ok = QInputDialog.getInt(self._host.window(), _("Lock after inactivity"),
                                          _("Lock the window after this many minutes without use:"),
                                          current, 1, 240)  # fmt: skip
        if ok and self.idle is not None:
            settings.set("lock/idle_minutes", minutes)
            self.idle.set_minutes(minutes)
