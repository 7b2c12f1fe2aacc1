"""Putting a backup back from the caseload window: the offer after damage was found at start,
"Restore from backup…", the password of the backup's key file, and the restore itself: the
database is closed first, and the window asks `run_app` to open it again (and, for an
encrypted caseload, to sign in again) once the backup is in place. Administrators only; the
restore itself refuses while another process has the database open."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QLineEdit, QMessageBox
from sqlalchemy.exc import SQLAlchemyError

from app.crash_report import LOGGER
from app.i18n import _
from app.models import Counsellor
from app.models.enums import AuditAction
from app.services.errors import ServiceError
from app.ui.window.backups import reason, summary

if TYPE_CHECKING:
    from app.services.reliability import backups
    from app.services.reliability.startup_check import Health
    from app.ui.window.backups import BackupController
    from app.ui.window.host import FileHost

log = logging.getLogger(LOGGER)


class RestoreController(QObject):
    """After a restore, `reopen_requested` asks `run_app` to open the caseload again, with
    `reopen_note` to show and `restored_detail` for the restored database's audit trail."""

    def __init__(self, host: FileHost, backups: BackupController) -> None:
        super().__init__(host.window())
        self._host, self._backups = host, backups
        backups.restore_action.triggered.connect(self.choose_restore)
        self.reopen_requested = False
        self.reopen_note = ""
        self.restored_detail: str | None = None

    def offer_restore(self, health: Health) -> None:
        parent = self._host.window()
        box = QMessageBox(
            QMessageBox.Icon.Critical, _("The database is damaged"), "", parent=parent
        )
        box.setObjectName("damage_dialog")
        text = _("Traject found damage in the database file: {detail}. Keep working in it only "
                 "to copy what you need; changes may be lost.").format(detail=health.detail)  # fmt: skip
        restore = other = None
        may_restore = self._may_restore()
        if not may_restore:
            text += "\n\n" + _("Only an administrator can restore a backup; ask one to do it.")
        elif health.offer is not None:
            manifest = health.offer[1]
            text += "\n\n" + _(
                "The newest good backup is from {summary}. Restoring it replaces the damaged "
                "file, which is kept aside; anything entered after the backup has to be entered "
                "again.").format(summary=summary(manifest))  # fmt: skip
            restore = box.addButton(_("&Restore this backup"), QMessageBox.ButtonRole.AcceptRole)
        else:
            text += "\n\n" + _("No good backup was found in {folder}. If you have one elsewhere, "
                               "choose it.").format(folder=self._backups.backup_folder())  # fmt: skip
        if may_restore:
            other = box.addButton(_("&Choose a backup…"), QMessageBox.ButtonRole.ActionRole)
        box.addButton(_("&Not now"), QMessageBox.ButtonRole.RejectRole)
        box.setText(text)
        box.exec()
        if restore is not None and box.clickedButton() is restore and health.offer is not None:
            self.restore_backup(*health.offer)
        elif other is not None and box.clickedButton() is other:
            self.choose_restore()

    def _may_restore(self) -> bool:
        try:
            return self._host.actor().is_admin
        except (ServiceError, SQLAlchemyError):  # a damaged file may not say who works
            return False

    def _restorer(self) -> str | None:
        """The login of the administrator at work, or None after saying why not."""
        parent = self._host.window()
        try:
            actor = self._host.actor()
            with self._host.sessions() as session:
                person = session.get(Counsellor, actor.counsellor_id)
                login = person.login if person is not None else None
        except (ServiceError, SQLAlchemyError) as exc:
            QMessageBox.warning(parent, _("Not restored"), reason(exc))
            return None
        if not actor.is_admin or login is None:
            QMessageBox.warning(parent, _("Not restored"), _(
                "Only an administrator can restore a backup; ask one to do it."))  # fmt: skip
            return None
        return str(login)

    def choose_restore(self) -> None:
        from app.services.reliability import backups

        if self._restorer() is None:
            return
        parent = self._host.window()
        archive, _filter = QFileDialog.getOpenFileName(
            parent, _("Restore from backup"), str(self._backups.backup_folder()),
            _("Traject backups") + f" (*{backups.SUFFIX})",
        )  # fmt: skip
        if not archive:
            return
        QApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
        try:
            manifest = backups.verify(Path(archive))
        except ServiceError as exc:
            QMessageBox.warning(parent, _("Not restored"), str(exc))
            return
        finally:
            QApplication.restoreOverrideCursor()
        answer = QMessageBox.question(
            parent, _("Restore from backup"),
            _("Replace the caseload on this computer by the backup of {summary}? Anything "
              "entered after the backup is lost. The current caseload is backed up first to "
              "{folder}.").format(summary=summary(manifest), folder=self._backups.backup_folder()),
        )  # fmt: skip
        if answer == QMessageBox.StandardButton.Yes:
            self.restore_backup(Path(archive), manifest)

    def restore_backup(self, archive: Path, manifest: backups.Manifest) -> bool:
        """Close the database, restore, and ask to be opened again (and signed in to)."""
        from app.db import sqlite_path
        from app.services.reliability import backups

        login = self._restorer()
        if login is None:
            return False
        window = self._host.window()
        if manifest.encrypted != self._host.database.is_encrypted:
            QMessageBox.warning(window, _("Not restored"), _(
                "This backup is encrypted and this database is not, or the other way round; "
                "restore it with “traject restore” to a database of its kind."))  # fmt: skip
            return False
        unlock = self._ask_backup_password(archive) if manifest.encrypted else None
        if manifest.encrypted and unlock is None:
            return False
        path = sqlite_path(self._host.database.url)
        assert path is not None
        self._backups.finish_jobs()
        for other in QApplication.topLevelWidgets():  # the agenda, the desk: they read it too
            if other is not window and other.isVisible():
                other.close()
        self._host.close_database()
        folder = self._backups.backup_folder()
        QApplication.setOverrideCursor(QCursor(Qt.CursorShape.WaitCursor))
        try:
            restored = backups.restore(archive, path, unlock, folder, login=login)
            self.reopen_note = _("Restored the backup of {summary}.").format(
                summary=summary(restored.manifest))  # fmt: skip
            for kept in restored.set_aside:
                self.reopen_note += " " + _("The previous database could not be backed up "
                                            "first; it is kept as {path}.").format(path=kept)  # fmt: skip
            self.restored_detail = f"backup of {restored.manifest.created_at}"
            log.info("Backup restored")
        except ServiceError as exc:
            self.reopen_note = reason(exc)
        finally:
            QApplication.restoreOverrideCursor()
        self.reopen_requested = True
        window.close()
        return True

    def note_restore(self, note: str, detail: str | None) -> None:
        """In the window opened after a restore: say what happened; a restore that succeeded
        goes into the restored database's audit trail."""
        from app.services.privacy import audit

        if detail is not None:
            with self._host.sessions() as session:
                audit.record(session, AuditAction.RESTORE, counsellor_id=self._backups.acting_id(),
                             detail=detail)  # fmt: skip
                session.commit()
        self._host.show_status(note, 30000)
        if detail is None:
            QMessageBox.warning(self._host.window(), _("Not restored"), note)

    def _ask_backup_password(self, archive: Path) -> backups.Unlock | None:
        from app.services.privacy.keyfile import WrongCredentials
        from app.services.privacy.vault import Vault
        from app.services.reliability import backups

        vault = self._host.vault
        # an encrypted backup goes back only into an encrypted caseload file
        assert isinstance(vault, Vault)
        with self._host.sessions() as session:
            person = session.get(Counsellor, vault.counsellor_id)
            login = person.login if person is not None else ""
        prompt = _("Password of “{login}” in this backup:").format(login=login)
        while True:
            password, ok = QInputDialog.getText(
                self._host.window(), _("Restore from backup"), prompt, QLineEdit.EchoMode.Password
            )
            if not ok:
                return None
            try:
                backups.check_credentials(archive, vault.path, login, password)
            except WrongCredentials as exc:
                prompt = str(exc) + "\n" + _("Password of “{login}” in this backup:").format(
                    login=login)  # fmt: skip
                continue
            except ServiceError as exc:
                QMessageBox.warning(self._host.window(), _("Not restored"), str(exc))
                return None
            return lambda keys: keys.unlock(login.strip().lower(), password)
