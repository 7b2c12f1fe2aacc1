"""Backups of a caseload: one archive file holding a consistent copy of the database (encrypted
like the database itself), its key file and a manifest (Traject version, schema revision, rows
per table, checksums). Restoring checks everything before the current database is moved aside,
and puts it back if anything fails.

The archive is a ZIP without compression (an encrypted database does not compress). Working
files are made beside the database or the archive, never in a shared temporary folder.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from app import __version__, db_files
from app.db import HEAD_REVISION, alembic_config
from app.i18n import _
from app.services.errors import ServiceError
from app.services.keyfile import KeyFile, key_file_for

FORMAT = 1
MANIFEST = "manifest.json"
DATABASE = "traject.db"
KEYS = "traject.keys"
SUFFIX = ".trajectbackup"

Progress = Callable[[int, int], None]


class BackupError(ServiceError):
    """A backup that cannot be written, read or restored; the message says why and what to do."""


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


def _work_file(beside: Path, name: str) -> Path:
    return beside.parent / f".{beside.name}.{name}"


def create(
    database: Path, key: bytearray | None, target: Path, progress: Progress | None = None,
    now: dt.datetime | None = None,
) -> Manifest:  # fmt: skip
    """Write a backup of `database` (which may be in use) to `target`, checked before it is
    kept: `target` is either the whole new backup or left as it was."""
    copy = _work_file(database, "backup-copy")
    partial = target.with_name(target.name + ".partial")
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
        with zipfile.ZipFile(partial, "w", zipfile.ZIP_STORED) as archive:
            archive.writestr(MANIFEST, json.dumps(asdict(manifest), indent=2, sort_keys=True))
            for name, path in members.items():
                archive.write(path, name)
        partial.chmod(0o600)  # like the database: the user's alone
        with partial.open("rb+") as handle:
            os.fsync(handle.fileno())
        read_manifest(partial)  # what was written can be read back
        partial.replace(target)
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
        partial.unlink(missing_ok=True)
    return manifest


def _revision_of(path: Path, key: bytearray | None) -> str:
    connection = db_files.raw_connect(path, key)
    try:
        return str(connection.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        connection.close()


def read_manifest(archive: Path) -> Manifest:
    """The manifest of a backup file, or a `BackupError` saying the file is not one."""
    try:
        with zipfile.ZipFile(archive) as zipped:
            return Manifest.from_json(json.loads(zipped.read(MANIFEST)))
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
    schema than this one, every member's checksum right."""
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
            for name, digest in manifest.sha256.items():
                if _member_sha256(zipped, name) != digest:
                    raise ValueError(name)
    except (OSError, zipfile.BadZipFile, ValueError, KeyError):
        raise BackupError(
            _(
                "The backup {path} is damaged: its contents do not match its checksum. Nothing "
                "was changed; use another backup."
            ).format(path=archive)
        ) from None
    return manifest


def _member_sha256(zipped: zipfile.ZipFile, name: str) -> str:
    import hashlib

    digest = hashlib.sha256()
    with zipped.open(name) as member:
        for block in iter(lambda: member.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class Restored:
    manifest: Manifest
    set_aside: list[Path]  # the previous files, kept when they could not be backed up first


def restore(
    archive: Path, database: Path, unlock: Callable[[KeyFile], bytearray] | None = None,
    backup_folder: Path | None = None,
) -> Restored:  # fmt: skip
    """Replace the database at `database` by the backup in `archive`. The database must be
    closed. `unlock` opens the backup's own key file (its passwords are the backup's), as the
    copy is checked with it before anything is replaced. The current database is first backed
    up to `backup_folder` when it can be read, moved aside, and put back if the restore fails."""
    manifest = verify(archive)
    if database.parent.is_dir() is False:
        raise BackupError(_("The folder {folder} does not exist.").format(folder=database.parent))
    incoming = _work_file(database, "restoring")
    incoming_keys = _work_file(database, "restoring-keys")
    key: bytearray | None = None
    try:
        with zipfile.ZipFile(archive) as zipped:
            _extract(zipped, DATABASE, incoming)
            incoming.chmod(0o600)
            if manifest.encrypted:
                _extract(zipped, KEYS, incoming_keys)
        if manifest.encrypted:
            if unlock is None:
                raise BackupError(_("This backup is encrypted; sign in to restore it."))
            key = unlock(KeyFile.load(incoming_keys))
        try:
            counts = db_files.check_file(incoming, key, quick=False)
        except db_files.Damaged as exc:
            raise BackupError(
                _("The database in the backup is damaged ({detail}); nothing was changed.").format(
                    detail=exc)
            ) from exc  # fmt: skip
        if counts != manifest.tables:
            raise BackupError(_("The backup's rows differ from its manifest; nothing was changed."))
        aside = _set_aside(database, key, backup_folder)
        try:
            incoming.replace(database)
            if manifest.encrypted:
                incoming_keys.replace(key_file_for(database))
        except OSError:
            _put_back(aside, database)
            raise
    except OSError as exc:
        raise BackupError(
            _("The backup could not be restored to {path}: {reason}. The current database is "
              "unchanged.").format(path=database, reason=exc.strerror or exc)
        ) from exc  # fmt: skip
    finally:
        if key is not None:
            from app.services.keyfile import forget

            forget(key)
        incoming.unlink(missing_ok=True)
        incoming_keys.unlink(missing_ok=True)
    kept = _finish_aside(aside)
    return Restored(manifest, kept)


def check_credentials(archive: Path, beside: Path, login: str, password: str) -> None:
    """Raise `WrongCredentials` unless `login` and `password` open the backup's key file, so a
    person can be asked again before the open database is closed for the restore. The key
    file (no personal data) is read from a working file beside `beside`."""
    keys_copy = _work_file(beside, "checking-keys")
    try:
        with zipfile.ZipFile(archive) as zipped:
            _extract(zipped, KEYS, keys_copy)
        from app.services.keyfile import forget

        forget(KeyFile.load(keys_copy).unlock(login.strip().lower(), password))
    except (OSError, zipfile.BadZipFile, KeyError) as exc:
        raise BackupError(
            _("{path} is not a Traject backup, or it is damaged.").format(path=archive)
        ) from exc
    finally:
        keys_copy.unlink(missing_ok=True)


def _extract(zipped: zipfile.ZipFile, name: str, target: Path) -> None:
    with zipped.open(name) as member, target.open("wb") as out:
        shutil.copyfileobj(member, out, 1 << 20)


@dataclass
class _Aside:
    moved: dict[Path, Path]  # original -> aside
    backed_up: bool


def _set_aside(database: Path, key: bytearray | None, backup_folder: Path | None) -> _Aside:
    """Back up the current database first when it can be read with `key` (the backup's key,
    which opens it when both come from the same caseload; `create` checks it); then move its
    files aside under a name that says so."""
    backed_up = False
    if database.exists() and backup_folder is not None:
        with contextlib.suppress(BackupError, OSError):
            create(database, key, backup_folder / auto_name("before-restore"))
            backed_up = True
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    moved = {}
    for file in [*db_files.companions(database), key_file_for(database)]:
        if file.exists():
            aside = file.with_name(f"{file.name}.before-restore-{stamp}")
            file.replace(aside)
            moved[file] = aside
    return _Aside(moved, backed_up)


def _put_back(aside: _Aside, database: Path) -> None:
    for original, moved in aside.moved.items():
        with contextlib.suppress(OSError):
            moved.replace(original)


def _finish_aside(aside: _Aside) -> list[Path]:
    """A previous database that was backed up first goes; otherwise it stays, and is named."""
    if not aside.backed_up:
        return list(aside.moved.values())
    for moved in aside.moved.values():
        moved.unlink(missing_ok=True)
    return []


def auto_name(label: str = "auto", now: dt.datetime | None = None) -> str:
    stamp = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).strftime("%Y-%m-%d-%H%M%S")
    return f"traject-{stamp}-{label}{SUFFIX}"
