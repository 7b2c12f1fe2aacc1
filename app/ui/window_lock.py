"""Locking the caseload window of an encrypted caseload: Ctrl+L or idle time closes the
database and shows the lock screen; a sign-in there (same or another counsellor) reopens it.

A mixin of `MainWindow`, kept apart so the window module stays about the caseload; the lock
screen and idle watcher are imported only when a vault is open.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from app.i18n import _
from app.ui.caseload.caseload_widgets import NoClientOpen

if TYPE_CHECKING:
    from app.db import Database
    from app.ui.privacy.lock import IdleWatcher


#: How long the lock waits to write its audit entry while another process writes (an import).
LOCK_WRITE_WAIT_MS = 300


class LockableWindow:
    """Needs the window's vault, settings, model, splitter, stack and status labels."""

    vault: Any
    _database: Database
    _idle: IdleWatcher | None
    agenda_window: Any
    today: Any
    _search_timer: Any

    def _watch_idle_time(self) -> None:
        self._idle = None
        if self.vault is not None:
            from app.ui.privacy.lock import DEFAULT_IDLE_MINUTES, IdleWatcher

            minutes = self.settings.integer("lock/idle_minutes") or DEFAULT_IDLE_MINUTES
            self._idle = IdleWatcher(minutes, self)
            self._idle.idle.connect(self.lock)

    @property
    def database(self) -> Database:
        if self.vault is not None and self.vault.database is not None:
            return self.vault.database
        return self._database

    @property
    def locked(self) -> bool:
        return self.vault is not None and self.vault.locked

    def lock(self) -> None:
        """Hide every client, close the database and forget its key until a sign-in. Whatever
        shows client data goes first (other windows, dialogs, the search text, what Traject
        copied); writing the LOCK entry may not hold the lock up: a busy caseload (an import)
        gets it written at the next sign-in instead."""
        if self.vault is None or self.vault.locked:
            return
        from PySide6.QtWidgets import QApplication, QDialog

        from app.ui.clipboard import clear_what_traject_copied
        from app.ui.privacy.lock import LockScreen

        for other in QApplication.topLevelWidgets():  # the agenda, a reach list, a dialog
            if other is not self and other.isVisible():
                if isinstance(other, QDialog):
                    other.reject()
                other.close()
        if self.agenda_window is not None:  # it shows clients of the database being closed
            self.agenda_window.deleteLater()
            self.agenda_window = None
        self._count_timer.stop()
        self.cache_warmer.stop()
        self.search.blockSignals(True)  # no search runs on the database being closed
        self.search.clear()
        self.search.blockSignals(False)
        self._search_timer.stop()
        clear_what_traject_copied()
        if self._panel is not None:
            self.no_client = NoClientOpen()
            self.no_client.retranslate()
            self.splitter.replaceWidget(2, self.no_client)
            self._panel.deleteLater()
            self._panel = None
        self.model.clear()
        self._record_lock()
        self.vault.lock()
        for label in (self.status_counts, self.status_continuity):
            label.clear()
        self.menuBar().setEnabled(False)
        self.toolbar.hide()
        if self.lock_screen is None:
            self.lock_screen = LockScreen(self.vault)
            self.lock_screen.form.signed_in.connect(self._unlocked)
            self.stack.addWidget(self.lock_screen)
        self.stack.setCurrentWidget(self.lock_screen)
        self.lock_screen.form.reset()

    def _record_lock(self) -> None:
        """The LOCK entry, waiting at most a moment for a busy caseload; if it cannot be written
        now, the vault writes it at the next sign-in."""
        from sqlalchemy.exc import OperationalError

        from app.db import wait_at_most
        from app.models.enums import AuditAction
        from app.services.privacy import audit

        with self.database.sessions() as session:  # a session of its own for one entry
            try:
                wait_at_most(session, LOCK_WRITE_WAIT_MS)
                audit.record(session, AuditAction.LOCK, counsellor_id=self.vault.counsellor_id)
                session.commit()
            except OperationalError:
                session.rollback()
                self.vault.lock_not_recorded = True

    def choose_idle_minutes(self) -> None:
        from PySide6.QtWidgets import QInputDialog

        from app.ui.privacy.lock import DEFAULT_IDLE_MINUTES

        current = self.settings.integer("lock/idle_minutes") or DEFAULT_IDLE_MINUTES
        minutes, ok = QInputDialog.getInt(self, _("Lock after inactivity"),
                                          _("Lock the window after this many minutes without use:"),
                                          current, 1, 240)  # fmt: skip
        if ok and self._idle is not None:
            self.settings.set("lock/idle_minutes", minutes)
            self._idle.set_minutes(minutes)

    def _unlocked(self, _person: object) -> None:
        self._database = self.database
        self._fill_counsellors()
        self.stack.setCurrentWidget(self.splitter)
        self.menuBar().setEnabled(True)
        self.toolbar.show()
        self.apply_filter()
        self.update_status_now()
        self.focus_search()
        self.warm_up()
