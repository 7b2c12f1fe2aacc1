"""Backups of a caseload: one archive file holding a consistent copy of the database (encrypted
like the database itself), its key file and a manifest (Traject version, schema revision, rows
per table, checksums). Restoring checks everything before the current database is touched: the
archive's sizes (`backup_archive`), checksums, the database's integrity, its kind (encrypted or
not) against the current one's, and that the person restoring is an administrator; it is refused
while anyone has the database open, and the swap leaves the old or the new database at the path
at every instant (`backup_swap`).

The archive is a ZIP without compression (an encrypted database does not compress). Working
files are made beside the database or the archive, never in a shared temporary folder.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from app import __version__, db_files, db_lock
from app.db import HEAD_REVISION, alembic_config
from app.i18n import _
from app.private_files import atomic_write
from app.services.privacy.keyfile import (
    KeyFile,
    KeyFileError,
    WrongCredentials,
    forget,
    key_file_for,
)
from app.services.reliability import backup_archive
from app.services.reliability.backup_archive import DATABASE, KEYS, MANIFEST
from app.services.reliability.backup_archive import BackupError as BackupError
from app.services.reliability.backup_swap import remove_stale, swap_in, work_file

FORMAT = 1
SUFFIX = ".trajectbackup"
__all__ = ["DATABASE", "KEYS", "MANIFEST", "BackupError"]

Progress = Callable[[int, int], None]
Unlock = Callable[[KeyFile], bytearray]


@dataclass(frozen=True)
class Manifest:
    traject_version: str
    revision: str
    created_at: str  # ISO 8601, UTC
    encrypted: bool
    tables: dict[str, int]
    sha256: dict[str, str]  # archive member -> checksum
    format: int = FORMAT

    @property
    def created(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.created_at)

    @classmethod
    def from_json(cls, data: Any) -> Manifest:
        return cls(
            traject_version=str(data["traject_version"]), revision=str(data["revision"]),
            created_at=str(data["created_at"]), encrypted=bool(data["encrypted"]),
            tables={str(k): int(v) for k, v in data["tables"].items()},
            sha256={str(k): str(v) for k, v in data["sha256"].items()}, format=int(data["format"]),
        )  # fmt: skip


def create(
    database: Path, key: bytearray | None, target: Path, progress: Progress | None = None,
    now: dt.datetime | None = None,
) -> Manifest:  # fmt: skip
    """Write a backup of `database` (which may be in use) to `target`, checked before it is
    kept: `target` is either the whole new backup or left as it was."""
    copy = work_file(database, "backup-copy")
    try:
        db_files.copy_database(database, copy, key, progress)
        counts = db_files.check_file(copy, key)
        revision = _revision_of(copy, key)
        members = {DATABASE: copy}
        keys = key_file_for(database)
        if key is not None:
            members[KEYS] = keys
        manifest = Manifest(
            traject_version=__version__, revision=revision,
            created_at=(now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
            encrypted=key is not None, tables=counts,
            sha256={name: db_files.sha256(path) for name, path in members.items()},
        )  # fmt: skip
        # what was written is read back before it replaces an earlier backup of that name
        with (
            atomic_write(target, verify=read_manifest) as handle,
            zipfile.ZipFile(handle, "w", zipfile.ZIP_STORED) as archive,
        ):
            archive.writestr(MANIFEST, json.dumps(asdict(manifest), indent=2, sort_keys=True))
            for name, path in members.items():
                archive.write(path, name)
    except OSError as exc:
        raise BackupError(
            _("The backup could not be written to {path}: {reason}. Your database is "
              "unchanged; choose another folder or free some space.").format(
                path=target, reason=exc.strerror or exc)
        ) from exc  # fmt: skip
    except db_files.Damaged as exc:
        raise BackupError(
            _("The database did not pass its integrity check ({detail}); no backup was "
              "written. Restore an earlier backup or run “traject check”.").format(detail=exc)
        ) from exc  # fmt: skip
    finally:
        copy.unlink(missing_ok=True)
    return manifest


def _revision_of(path: Path, key: bytearray | None) -> str:
    connection = db_files.raw_connect(path, key)
    try:
        return str(connection.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        connection.close()


def read_manifest(archive: Path) -> Manifest:
    """The manifest of a backup file, or a `BackupError` saying the file is not one (or that
    its manifest is too large to be one, before it is read)."""
    try:
        with zipfile.ZipFile(archive) as zipped:
            data = backup_archive.read_manifest_bytes(zipped, archive)
        return Manifest.from_json(json.loads(data))
    except FileNotFoundError:
        raise BackupError(_("There is no file {path}.").format(path=archive)) from None
    except (OSError, zipfile.BadZipFile, KeyError, ValueError, TypeError, AttributeError):
        raise BackupError(
            _("{path} is not a Traject backup, or it is damaged.").format(path=archive)
        ) from None


def _known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {r.revision for r in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def verify(archive: Path) -> Manifest:
    """Check a backup without restoring it: readable, made by a Traject that knows no newer
    schema than this one, every member of a size Traject writes and its checksum right."""
    manifest = read_manifest(archive)
    if manifest.format != FORMAT or manifest.revision not in _known_revisions():
        raise BackupError(
            _("This backup was made by Traject {theirs} (schema {revision}); this is Traject "
              "{ours}, which knows schemas up to {head}. Restore it with Traject {theirs} or "
              "newer.").format(theirs=manifest.traject_version, revision=manifest.revision,
                               ours=__version__, head=HEAD_REVISION)
        )  # fmt: skip
    expected = {DATABASE, KEYS} if manifest.encrypted else {DATABASE}
    try:
        with zipfile.ZipFile(archive) as zipped:
            if set(manifest.sha256) != expected or not expected <= set(zipped.namelist()):
                raise ValueError("members")
            for name in expected:  # every size first: a bomb is refused before it is read
                backup_archive.checked_member(zipped, name, archive)
            for name, digest in manifest.sha256.items():
                if backup_archive.sha256(zipped, name, archive) != digest:
                    raise ValueError(name)
    except (OSError, zipfile.BadZipFile, ValueError, KeyError):
        raise BackupError(
            _(
                "The backup {path} is damaged: its contents do not match its checksum. Nothing "
                "was changed; use another backup."
            ).format(path=archive)
        ) from None
    return manifest


@dataclass(frozen=True)
class Restored:
    manifest: Manifest
    set_aside: list[Path]  # the previous files, kept when they could not be backed up first


def restore(
    archive: Path, database: Path, unlock: Unlock | None = None,
    backup_folder: Path | None = None, *, login: str | None = None,
) -> Restored:  # fmt: skip
    """Replace the database at `database` by the backup in `archive`; refused while anyone has
    the database open (the window closes its own first), and nobody opens it meanwhile.

    `unlock` opens the backup's own key file with the restorer's password (the copy is checked
    with it before anything is replaced) and, when it accepts the same password, the current
    key file. `login` is who restores: they must be an active administrator in the backup, and
    in the current database when that can be read with their password (an account removed
    since is not asked about). The command line and the window always pass it.

    The current database is first backed up to `backup_folder` when it can be read; if not, it
    is kept beside under a name that says so."""
    manifest = verify(archive)
    if database.parent.is_dir() is False:
        raise BackupError(_("The folder {folder} does not exist.").format(folder=database.parent))
    refuse_other_kind(database, manifest.encrypted)
    try:
        with db_lock.exclusive(database):
            return _restore_alone(archive, manifest, database, unlock, backup_folder, login)
    except db_lock.Busy:
        raise BackupError(
            _("{path} is open in Traject or another command; close it and try again. Nothing "
              "was changed.").format(path=database)
        ) from None  # fmt: skip
    except db_lock.Unusable as exc:
        raise BackupError(
            _("The restore cannot make sure that nobody has {path} open ({reason}); check that "
              "you may write in its folder. Nothing was changed.").format(path=database,
                                                                         reason=exc)
        ) from None  # fmt: skip


def refuse_other_kind(database: Path, encrypted: bool) -> None:
    """An encrypted backup only over an encrypted database, a plain one over a plain one."""
    try:
        with database.open("rb") as handle:
            header = handle.read(16)
    except FileNotFoundError:
        return
    except OSError as exc:
        raise BackupError(_("The backup could not be restored to {path}: {reason}. The current "
                            "database is unchanged.").format(path=database,
                                                             reason=exc.strerror or exc)) from exc  # fmt: skip
    plain = header == b"SQLite format 3\x00"
    if encrypted and plain:
        raise BackupError(
            _("This backup is encrypted and the database at {path} is not; restore it to an "
              "encrypted database. Nothing was changed.").format(path=database)
        )  # fmt: skip
    if not encrypted and (key_file_for(database).exists() or (header and not plain)):
        raise BackupError(
            _("This backup is not encrypted and the database at {path} is; restore an "
              "encrypted backup of this caseload. Nothing was changed.").format(path=database)
        )  # fmt: skip


def _restore_alone(
    archive: Path, manifest: Manifest, database: Path, unlock: Unlock | None,
    backup_folder: Path | None, login: str | None,
) -> Restored:  # fmt: skip
    remove_stale(database)
    incoming = work_file(database, "restoring")
    incoming_keys = work_file(database, "restoring-keys")
    keys = key_file_for(database)
    key: bytearray | None = None
    current_key: bytearray | None = None
    try:
        with zipfile.ZipFile(archive) as zipped:
            backup_archive.require_room(zipped, archive, database.parent)
            backup_archive.extract(zipped, DATABASE, incoming, archive)
            if manifest.encrypted:
                backup_archive.extract(zipped, KEYS, incoming_keys, archive)
        if manifest.encrypted:
            if unlock is None:
                raise BackupError(_("This backup is encrypted; sign in to restore it."))
            key = unlock(KeyFile.load(incoming_keys))
            current_key = _current_key(database, keys, unlock)
        _check_incoming(incoming, key, manifest)
        if login is not None:
            _require_admin(incoming, key, login, None)
            _require_admin(database, current_key, login, database)
        backed_up = _back_up_first(database, current_key or key, backup_folder)
        kept = swap_in(incoming, database, incoming_keys if manifest.encrypted else None, keys,
                       keep=not backed_up, key=current_key or key)  # fmt: skip
    except OSError as exc:
        raise BackupError(
            _("The backup could not be restored to {path}: {reason}. The current database is "
              "unchanged.").format(path=database, reason=exc.strerror or exc)
        ) from exc  # fmt: skip
    except (zipfile.BadZipFile, KeyError):
        raise BackupError(
            _("{path} is not a Traject backup, or it is damaged.").format(path=archive)
        ) from None
    finally:
        for secret in (key, current_key):
            if secret is not None:
                forget(secret)
        remove_stale(database)
    return Restored(manifest, kept)


def _current_key(database: Path, keys: Path, unlock: Unlock) -> bytearray | None:
    """The current database's key: the restorer's login and password must open its key file
    (a backup someone made with an administrator of their own invention must not replace a
    caseload they are no administrator of). Only a key file that is missing or damaged (what a
    restore repairs) lets the backup's own administrator restore."""
    if not keys.exists():
        return None
    try:
        current = KeyFile.load(keys)
    except KeyFileError:
        return None
    try:
        return unlock(current)
    except WrongCredentials:
        raise BackupError(
            _("Only an administrator of the caseload at {path} can restore over it, and this "
              "login and password do not open it. Nothing was changed.").format(
                path=database)
        ) from None  # fmt: skip


def _check_incoming(incoming: Path, key: bytearray | None, manifest: Manifest) -> None:
    try:
        counts = db_files.check_file(incoming, key, quick=False)
    except db_files.Damaged as exc:
        raise BackupError(
            _("The database in the backup is damaged ({detail}); nothing was changed.").format(
                detail=exc)
        ) from exc  # fmt: skip
    if counts != manifest.tables:
        raise BackupError(_("The backup's rows differ from its manifest; nothing was changed."))


def _require_admin(path: Path, key: bytearray | None, login: str, current: Path | None) -> None:
    """`login` is an active administrator in the database file at `path`. The backup must
    say so; the current database only when it can be read (a damaged one is what restoring
    is for, an encrypted one needs the restorer's password to open its key file)."""
    if current is not None and (not path.exists() or (key is None and key_file_for(path).exists())):
        return
    try:
        connection = db_files.raw_connect(path, key)
        try:
            row = connection.execute("SELECT role, active FROM counsellors WHERE login = ?",
                                     (login.strip().lower(),)).fetchone()  # fmt: skip
        finally:
            connection.close()
    except Exception as exc:
        if not db_files.is_driver_error(exc) or current is None:
            raise
        return
    if row is not None and row[0] == "admin" and row[1]:
        return
    if current is None:
        raise BackupError(
            _("Only an administrator can restore a backup, and “{login}” is not one in this "
              "backup. Nothing was changed.").format(login=login)
        )  # fmt: skip
    raise BackupError(
        _("Only an administrator can restore a backup, and “{login}” is not one in the "
          "current database at {path}. Nothing was changed.").format(login=login, path=current)
    )  # fmt: skip


def _back_up_first(database: Path, key: bytearray | None, folder: Path | None) -> bool:
    """Back up the current database when it can be read with `key` (the restorer's key to it,
    or the backup's, which opens it when both come from the same caseload)."""
    if not database.exists() or folder is None:
        return False
    try:
        create(database, key, folder / auto_name("before-restore"))
    except (BackupError, OSError):
        return False
    return True


def check_credentials(archive: Path, beside: Path, login: str, password: str) -> None:
    """Raise `WrongCredentials` unless `login` and `password` open the backup's key file, so a
    person can be asked again before the open database is closed for the restore. The key
    file (no personal data) is read from a working file beside `beside`."""
    keys_copy = work_file(beside, "checking-keys")
    try:
        with zipfile.ZipFile(archive) as zipped:
            backup_archive.extract(zipped, KEYS, keys_copy, archive)
        forget(KeyFile.load(keys_copy).unlock(login.strip().lower(), password))
    except (OSError, zipfile.BadZipFile, KeyError) as exc:
        raise BackupError(
            _("{path} is not a Traject backup, or it is damaged.").format(path=archive)
        ) from exc
    finally:
        keys_copy.unlink(missing_ok=True)


def auto_name(label: str = "auto", now: dt.datetime | None = None) -> str:
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).strftime("%Y-%m-%d-%H%M%S")
    return f"traject-{stamp}-{label}{SUFFIX}"
