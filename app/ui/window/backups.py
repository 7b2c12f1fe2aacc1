"""The caseload window's care for the database file, and what comes in from other files: the
check after start (damage leads to the restore offer), the automatic daily backup with its
progress in the status bar, "Back up now…", the backup folder, and "Import clients…".

Checks and backups run on a worker thread (`FileJob`) on their own connections, so the window
stays usable while they run.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressBar

from app.config import default_backup_dir
from app.crash_report import LOGGER
from app.i18n import _, format_datetime, format_number, ngettext
from app.models.enums import AuditAction
from app.services.errors import ServiceError
from app.ui.reliability.file_jobs import FileJob

if TYPE_CHECKING:
    from app.services.reliability import backups
    from app.services.reliability.startup_check import Health
    from app.ui.window.host import FileHost

BACKUP_CHECK_MS = 60 * 60 * 1000  # a window left open over midnight still backs up daily
log = logging.getLogger(LOGGER)


def summary(manifest: backups.Manifest) -> str:
    clients = manifest.tables.get("clients", 0)
    return ngettext("{when}, {clients} client, made by Traject {version}",
                    "{when}, {clients} clients, made by Traject {version}", clients).format(
        when=format_datetime(manifest.created), version=manifest.traject_version,
        clients=format_number(clients))  # fmt: skip


def reason(exc: BaseException) -> str:
    if isinstance(exc, ServiceError):
        return str(exc)
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return _("an unexpected error ({kind}); the log folder has the details.").format(
        kind=type(exc).__name__)  # fmt: skip


def forget(key: bytearray | None) -> None:
    if key is not None:
        from app.services.privacy.keyfile import forget as overwrite

        overwrite(key)


class BackupController(QObject):
    """Its actions go into the window's menus; `damaged` is called when the check finds
    damage (the restore offer)."""

    def __init__(self, host: FileHost, damaged: Callable[[Health], None]) -> None:
        super().__init__(host.window())
        self._host, self._damaged = host, damaged
        parent = host.window()
        self.backup_action = QAction(parent)
        self.backup_action.triggered.connect(self.back_up_now)
        self.restore_action = QAction(parent)  # connected by the restore controller
        self.folder_action = QAction(parent)
        self.folder_action.triggered.connect(self.choose_backup_folder)
        self.import_action = QAction(parent)
        self.import_action.triggered.connect(self.import_clients)
        self._progress: QProgressBar | None = None  # built at the first backup, not at start
        self.job: FileJob | None = None
        self.health: Health | None = None
        self._timer = QTimer(self, interval=BACKUP_CHECK_MS)
        self._timer.timeout.connect(self.automatic_backup)

    def retranslate(self) -> None:
        self.backup_action.setText(_("&Back up now…"))
        self.restore_action.setText(_("&Restore from backup…"))
        self.folder_action.setText(_("&Backup folder…"))
        self.import_action.setText(_("&Import clients from a spreadsheet…"))
        if self._progress is not None:
            self._progress.setFormat(_("Backing up %p%"))

    @property
    def progress(self) -> QProgressBar:
        if self._progress is None:
            self._progress = QProgressBar()
            self._progress.setObjectName("backup_progress")
            self._progress.setMaximumWidth(160)
            self._progress.setFormat(_("Backing up %p%"))
            self._progress.hide()
            self._host.window().statusBar().addPermanentWidget(self._progress)
        return self._progress

    # --- where ---------------------------------------------------------------------------
    def backup_folder(self) -> Path:
        chosen = self._host.settings.text("backup/folder")
        if chosen:
            return Path(chosen)  # not created: a stick that is not plugged in is not a folder
        return default_backup_dir()

    def choose_backup_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(
            self._host.window(), _("Folder for automatic backups"), str(self.backup_folder())
        )
        if folder:
            self._host.settings.set("backup/folder", folder)
            self._host.show_status(_("Automatic backups now go to {folder}.").format(folder=folder))

    def _file_and_key(self) -> tuple[Path, bytearray | None]:
        from app.db import sqlite_path

        path = sqlite_path(self._host.database.url)
        if path is None:
            raise ServiceError(_("Only a database file can be backed up."))
        vault = self._host.vault
        return path, vault.copy_key() if vault is not None else None

    # --- after start ---------------------------------------------------------------------
    def start_upkeep(self) -> None:
        """Once the window shows: check the file on a worker thread; then the daily backup."""
        from app.services.reliability.startup_check import check_at_start

        if self._host.database_closed:  # restored (or closed) before the check came round
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
                forget(key)

        self._start(FileJob(check, self._host.window()), self._checked, self._check_failed)

    def _checked(self, health: Health) -> None:
        self.health = health
        if health.ok:
            log.info("Start-up check passed")
            self.automatic_backup()
            self._timer.start()
            return
        log.error("Start-up check found damage")
        self._damaged(health)

    def _check_failed(self, exc: BaseException) -> None:
        self._host.show_status(
            _("Traject could not check the database file: {reason}").format(reason=reason(exc))
        )

    # --- backing up ----------------------------------------------------------------------
    def automatic_backup(self) -> None:
        """Today's automatic backup, if there is none yet, then the rotation (7 daily, 4
        weekly). Not while the caseload is locked or another job runs."""
        if self._host.database_closed or self._host.locked or self.busy:
            return
        if self.health is not None and not self.health.ok:
            return  # backing up a damaged file would push a good backup out of the rotation
        from app.services.reliability import backup_rotation, backups

        folder = self.backup_folder()
        now = dt.datetime.now(dt.UTC)
        if folder.is_dir() and backup_rotation.due(folder, now):
            self.run_backup(folder / backups.auto_name("auto", now), automatic=True)

    @property
    def busy(self) -> bool:
        return self.job is not None and self.job.isRunning()

    def back_up_now(self) -> None:
        if self.busy:
            self._host.show_status(_("A backup is being made; wait for it to finish."))
            return
        from app.services.reliability import backups

        suggested = self.backup_folder() / backups.auto_name("manual")
        target, _filter = QFileDialog.getSaveFileName(
            self._host.window(), _("Back up the caseload"), str(suggested),
            _("Traject backups") + f" (*{backups.SUFFIX})",
        )  # fmt: skip
        if target:
            self.run_backup(Path(target), automatic=False)

    def run_backup(self, target: Path, automatic: bool) -> None:
        try:
            path, key = self._file_and_key()
        except ServiceError as exc:
            QMessageBox.warning(self._host.window(), _("No backup made"), str(exc))
            return

        def back_up(progress: Any) -> backups.Manifest:
            from app.services.reliability import backups

            try:
                return backups.create(path, key, target, progress)
            finally:
                forget(key)

        self.progress.setRange(0, 0)
        self.progress.show()
        job = FileJob(back_up, self._host.window())
        job.progressed.connect(self._backup_progressed)
        self._start(job, lambda m: self._backed_up(m, target, automatic),
                    lambda e: self._backup_failed(e, target, automatic))  # fmt: skip

    def _backup_progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _backed_up(self, manifest: backups.Manifest, target: Path, automatic: bool) -> None:
        from app.services.privacy import audit
        from app.services.reliability import backup_rotation

        self.progress.hide()
        removed = backup_rotation.rotate(target.parent) if automatic else []
        log.info("Backup made (%s), %d old automatic backups removed",
                 "automatic" if automatic else "manual", len(removed))  # fmt: skip
        detail = f"{manifest.tables.get('clients', 0)} clients"

        def record() -> None:
            if not self._host.database_closed and not self._host.locked:
                with self._host.sessions() as session:
                    audit.record(session, AuditAction.BACKUP, counsellor_id=self.acting_id(),
                                 detail=detail)  # fmt: skip
                    session.commit()

        self._host.long_actions.when_done(record)  # not beside an import's open transaction
        self._host.show_status(
            _("Backup made: {path} ({summary}).").format(path=target, summary=summary(manifest))
        )

    def _backup_failed(self, exc: BaseException, target: Path, automatic: bool) -> None:
        self.progress.hide()
        if automatic:  # no dialog in the middle of someone's work; the next hour tries again
            self._host.show_status(
                _("The automatic backup failed: {reason}").format(reason=reason(exc))
            )
        else:
            QMessageBox.warning(self._host.window(), _("No backup made"), reason(exc))

    def acting_id(self) -> int | None:
        try:
            return int(self._host.actor().counsellor_id)
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

    def stop(self) -> None:
        """The database is closing: no more automatic backups from this window."""
        self._timer.stop()

    # --- importing -----------------------------------------------------------------------
    def import_clients(self) -> None:
        from app.ui.reliability.import_dialog import ImportDialog

        dialog = ImportDialog(self._host.sessions, self._host.actor(), self._host.window())
        if dialog.choose_file():
            # no lock in the middle of a batch: the import must finish or be cancelled (and
            # undone) while the database is open; the dialog is modal, so no Ctrl+L either
            with self._host.long_actions.keeping_open():
                dialog.exec()
        if dialog.imported:
            self._host.refresh_caseload()
