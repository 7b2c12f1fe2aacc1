"""`traject backup FILE` and `traject restore FILE`: a checked, encrypted backup of the caseload
(consistent while Traject runs) and putting one back (an administrator, while nobody has the
database open)."""

from __future__ import annotations

import argparse
import contextlib
import os
from pathlib import Path

from app.i18n import _, format_datetime, format_number, pgettext


def add_parsers(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    backup_parser = sub.add_parser(
        "backup", parents=[common], help=_("write a checked backup of the database to FILE")
    )
    backup_parser.add_argument("file", metavar=pgettext("placeholder", "FILE"))
    restore_parser = sub.add_parser(
        "restore", parents=[common],
        help=_("replace the database by the backup in FILE (an administrator; close Traject first)"),
    )  # fmt: skip
    restore_parser.add_argument("file", metavar=pgettext("placeholder", "FILE"))
    restore_parser.add_argument(
        "--backup-folder", metavar=pgettext("placeholder", "FOLDER"),
        help=_("where the current database is backed up first (default: your backup folder)"),
    )  # fmt: skip
    backup_parser.set_defaults(handler=backup)
    restore_parser.set_defaults(handler=restore)


def _summary(manifest: object) -> str:
    from app.services.reliability.backups import Manifest

    assert isinstance(manifest, Manifest)
    return _("{clients} clients, schema {revision}, made by Traject {version} on {when}").format(
        clients=format_number(manifest.tables.get("clients", 0)), revision=manifest.revision,
        version=manifest.traject_version, when=format_datetime(manifest.created),
    )  # fmt: skip


def backup(url: str, args: argparse.Namespace) -> int:
    from app.cli.opening import opened
    from app.db import sqlite_path
    from app.models.enums import AuditAction
    from app.services.errors import ServiceError
    from app.services.privacy import audit
    from app.services.reliability import backups

    target = Path(args.file).expanduser().resolve()
    if target.is_dir():
        target = target / backups.auto_name("manual")
    with opened(url) as source:
        path = sqlite_path(url)
        if path is None:
            raise ServiceError(_("Only a database file can be backed up."))
        key = source.key_copy()
        try:
            manifest = backups.create(path, key, target)
        finally:
            if key is not None:
                from app.services.privacy.keyfile import forget

                forget(key)
        with source.database.sessions() as session:
            audit.record(session, AuditAction.BACKUP, counsellor_id=source.counsellor_id,
                         detail=f"{manifest.tables.get('clients', 0)} clients")  # fmt: skip
            session.commit()
    print(_("Backup written to {path}: {summary}.").format(path=target, summary=_summary(manifest)))
    return 0


def restore(url: str, args: argparse.Namespace) -> int:
    """Administrators only: the login is checked in the backup and in the current database.
    Refused while Traject or another command has the database open."""
    from app.cli.opening import credentials, encrypted_path
    from app.config import USER_ENV, default_backup_dir
    from app.db import sqlite_path
    from app.private_files import private_folder
    from app.services.errors import ServiceError
    from app.services.reliability import backups

    archive = Path(args.file).expanduser().resolve()
    path = sqlite_path(url)
    if path is None:
        raise ServiceError(_("Only a database file can be restored."))
    manifest = backups.verify(archive)  # before asking anyone for a password
    encrypted = encrypted_path(url) is not None
    if manifest.encrypted and not encrypted:
        raise ServiceError(_("This backup is encrypted; restore it to an encrypted database."))
    if encrypted and not manifest.encrypted:
        raise ServiceError(
            _("This backup is not encrypted; it can only be restored to a plain test database "
              "(an sqlite:/// URL). Nothing was changed.")
        )  # fmt: skip
    unlock = None
    if encrypted:
        login, password = credentials()
        unlock = lambda keys: keys.unlock(login.strip().lower(), password)  # noqa: E731
    else:
        login = os.environ.get(USER_ENV, "").strip().lower()
        if not login:
            raise ServiceError(
                _("Set {user} to the login of the administrator who restores.").format(
                    user=USER_ENV)
            )  # fmt: skip
    folder = Path(args.backup_folder) if args.backup_folder else default_backup_dir()
    made = not folder.exists()
    if made:
        private_folder(folder)
    try:
        restored = backups.restore(archive, path, unlock, folder, login=login)
    except BaseException:
        if made:  # a refused restore leaves no trace either
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    _record_restore(url, restored.manifest)
    print(_("Restored the backup from {path}: {summary}.").format(
        path=archive, summary=_summary(restored.manifest)))  # fmt: skip
    for kept in restored.set_aside:
        print(_("The previous database could not be backed up first; it is kept as {path}.")
              .format(path=kept))  # fmt: skip
    return 0


def _record_restore(url: str, manifest: object) -> None:
    """Open the restored database once (an older schema is upgraded now) and note the restore
    in its audit trail."""
    from app.cli.opening import opened
    from app.models.enums import AuditAction
    from app.services.privacy import audit
    from app.services.reliability.backups import Manifest

    assert isinstance(manifest, Manifest)
    with opened(url) as target, target.database.sessions() as session:
        audit.record(session, AuditAction.RESTORE, counsellor_id=target.counsellor_id,
                     detail=f"backup of {manifest.created_at}")  # fmt: skip
        session.commit()
