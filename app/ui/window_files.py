"""The caseload window's care for the database file, and what comes in from other files: the
check after start (a damaged file leads to the restore offer in `window_restore`), the
automatic daily backup with its progress in the status bar, "Back up now…", the backup folder,
and "Import clients…".

A mixin of `MainWindow`. Checks and backups run on a worker thread (`FileJob`) on their own
connections, so the window stays usable while they run.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QFileDialog,
    QMessageBox,
    QProgressBar,
)

from app.config import default_backup_dir
from app.crash_report import LOGGER
from app.i18n import _
from app.models.enums import AuditAction
from app.services.errors import ServiceError
from app.ui.reliability.file_jobs import FileJob
from app.ui.window_restore import STATUS_MS, RestoreActions, reason, summary

if TYPE_CHECKING:
    from app.services.reliability import backups
    from app.services.reliability.startup_check import Health

BACKUP_CHECK_MS = 60 * 60 * 1000  # a window left open over midnight still backs up daily
log = logging.getLogger(LOGGER)


class FileActions(RestoreActions):
    """Needs the window's settings, sessions(), database, vault, statusBar() and close()."""

    settings: Any
    sessions: Any
    vault: Any

    def _build_backup_actions(self) -> None:
        self.backup_action = QAction(self)
        self.backup_action.triggered.connect(self.back_up_now)
        self.restore_action = QAction(self)
        self.restore_action.triggered.connect(self.choose_restore)
        self.backup_folder_action = QAction(self)
        self.backup_folder_action.triggered.connect(self.choose_backup_folder)
        self.import_action = QAction(self)
        self.import_action.triggered.connect(self.import_clients)
        self._progress: QProgressBar | None = None  # built at the first backup, not at start
        self.job: FileJob | None = None
        self.health: Health | None = None
        self.reopen_requested = False  # after a restore: run_app signs in and opens again
        self.reopen_note = ""
        self.restored_detail: str | None = None  # for the audit trail of the restored database
        self.database_closed = False
        self._backup_timer = QTimer(self, interval=BACKUP_CHECK_MS)
        self._backup_timer.timeout.connect(self.automatic_backup)

    def _retranslate_backups(self) -> None:
        self.backup_action.setText(_("&Back up now…"))
        self.restore_action.setText(_("&Restore from backup…"))
        self.backup_folder_action.setText(_("&Backup folder…"))
        self.import_action.setText(_("&Import clients from a spreadsheet…"))
        if self._progress is not None:
            self._progress.setFormat(_("Backing up %p%"))

    @property
    def backup_progress(self) -> QProgressBar:
        if self._progress is None:
            self._progress = QProgressBar()
            self._progress.setObjectName("backup_progress")
            self._progress.setMaximumWidth(160)
            self._progress.setFormat(_("Backing up %p%"))
            self._progress.hide()
            self.statusBar().addPermanentWidget(self._progress)
        return self._progress

    # --- where ---------------------------------------------------------------------------
    def backup_folder(self) -> Path:
        chosen = self.settings.text("backup/folder")
        if chosen:
            return Path(chosen)  # not created: a stick that is not plugged in is not a folder
        return default_backup_dir()

    def choose_backup_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self, _("Folder for automatic backups"), str(self.backup_folder())
        )
        if folder:
            self.settings.set("backup/folder", folder)
            self.statusBar().showMessage(
                _("Automatic backups now go to {folder}.").format(folder=folder), STATUS_MS
            )

    def _file_and_key(self) -> tuple[Path, bytearray | None]:
        from app.db import sqlite_path

        path = sqlite_path(self.database.url)
        if path is None:
            raise ServiceError(_("Only a database file can be backed up."))
        return path, self.vault.copy_key() if self.vault is not None else None

    # --- after start ---------------------------------------------------------------------
    def start_upkeep(self) -> None:
        """Once the window shows: check the file on a worker thread; then the daily backup."""
        from app.services.reliability.startup_check import check_at_start

        if self.database_closed:  # restored (or closed) before the check came round
            return
        try:
            path, key = self._file_and_key()
        except ServiceError:
            return
        folder = self.backup_folder()

        def check(_progress: Any) -> Health:
            try:
                return check_at_start(path, key, folder)
            finally:
                _forget(key)

        self._start(FileJob(check, self), self._checked, self._check_failed)

    def _checked(self, health: Health) -> None:
        self.health = health
        if health.ok:
            log.info("Start-up check passed")
            self.automatic_backup()
            self._backup_timer.start()
            return
        log.error("Start-up check found damage")
        self.offer_restore(health)

    def _check_failed(self, exc: BaseException) -> None:
        self.statusBar().showMessage(
            _("Traject could not check the database file: {reason}").format(reason=reason(exc)),
            STATUS_MS,
        )

    # --- backing up ----------------------------------------------------------------------
    def automatic_backup(self) -> None:
        """Today's automatic backup, if there is none yet, then the rotation (7 daily, 4
        weekly). Not while the caseload is locked or another job runs."""
        if self.database_closed or self.locked or (self.job is not None and self.job.isRunning()):
            return
        if self.health is not None and not self.health.ok:
            return  # backing up a damaged file would push a good backup out of the rotation
        from app.services.reliability import backup_rotation, backups

        folder = self.backup_folder()
        now = dt.datetime.now(dt.UTC)
        if folder.is_dir() and backup_rotation.due(folder, now):
            self._run_backup(folder / backups.auto_name("auto", now), automatic=True)

    def back_up_now(self) -> None:
        if self.job is not None and self.job.isRunning():
            self.statusBar().showMessage(
                _("A backup is being made; wait for it to finish."), STATUS_MS
            )
            return
        from app.services.reliability import backups

        suggested = self.backup_folder() / backups.auto_name("manual")
        target, _filter = QFileDialog.getSaveFileName(
            self, _("Back up the caseload"), str(suggested),
            _("Traject backups") + f" (*{backups.SUFFIX})",
        )  # fmt: skip
        if target:
            self._run_backup(Path(target), automatic=False)

    def _run_backup(self, target: Path, automatic: bool) -> None:
        try:
            path, key = self._file_and_key()
        except ServiceError as exc:
            QMessageBox.warning(self, _("No backup made"), str(exc))
            return

        def back_up(progress: Any) -> backups.Manifest:
            from app.services.reliability import backups

            try:
                return backups.create(path, key, target, progress)
            finally:
                _forget(key)

        self.backup_progress.setRange(0, 0)
        self.backup_progress.show()
        job = FileJob(back_up, self)
        job.progressed.connect(self._backup_progressed)
        self._start(job, lambda m: self._backed_up(m, target, automatic),
                    lambda e: self._backup_failed(e, target, automatic))  # fmt: skip

    def _backup_progressed(self, done: int, total: int) -> None:
        self.backup_progress.setRange(0, max(total, 1))
        self.backup_progress.setValue(done)

    def _backed_up(self, manifest: backups.Manifest, target: Path, automatic: bool) -> None:
        from app.services.privacy import audit
        from app.services.reliability import backup_rotation

        self.backup_progress.hide()
        removed = backup_rotation.rotate(target.parent) if automatic else []
        log.info("Backup made (%s), %d old automatic backups removed",
                 "automatic" if automatic else "manual", len(removed))  # fmt: skip
        if not self.database_closed and not self.locked:
            with self.sessions() as session:
                audit.record(session, AuditAction.BACKUP, counsellor_id=self._acting_id(),
                             detail=f"{manifest.tables.get('clients', 0)} clients")  # fmt: skip
                session.commit()
        self.statusBar().showMessage(
            _("Backup made: {path} ({summary}).").format(path=target, summary=summary(manifest)),
            STATUS_MS,
        )

    def _backup_failed(self, exc: BaseException, target: Path, automatic: bool) -> None:
        self.backup_progress.hide()
        if automatic:  # no dialog in the middle of someone's work; the next hour tries again
            self.statusBar().showMessage(_("The automatic backup failed: {reason}").format(
                reason=reason(exc)), STATUS_MS)  # fmt: skip
        else:
            QMessageBox.warning(self, _("No backup made"), reason(exc))

    def _acting_id(self) -> int | None:
        try:
            return int(self.actor().counsellor_id)
        except ServiceError:
            return None

    def _start(self, job: FileJob, done: Any, failed: Any) -> None:
        self.job = job
        job.succeeded.connect(done)
        job.failed.connect(failed)
        job.start()

    def finish_jobs(self) -> None:
        """Before the window closes: a backup in progress is finished, not torn off."""
        if self.job is not None:
            self.job.wait()

    # --- importing -----------------------------------------------------------------------
    def import_clients(self) -> None:
        from app.ui.reliability.import_dialog import ImportDialog

        dialog = ImportDialog(self.sessions, self.actor(), self)
        if dialog.choose_file():
            # no idle lock in the middle of a batch: the import must finish or be cancelled
            # (and undone) while the database is open; the dialog is modal, so no Ctrl+L either
            idle = getattr(self, "_idle", None)
            if idle is not None:
                idle.pause()
            try:
                dialog.exec()
            finally:
                if idle is not None:
                    idle.resume()
        if dialog.imported:
            self.model.refresh()
            self.update_status_now()


def _forget(key: bytearray | None) -> None:
    if key is not None:
        from app.services.privacy.keyfile import forget

        forget(key)
