"""Re-keying an encrypted database: a new master key, handed to every remaining account, after an
account is removed, a password changed or the recovery key used. An old copy of the key file
with an old password then opens an old key, which no longer opens the database.

The database is re-keyed by SQLCipher (`PRAGMA rekey`, one transaction: a kill leaves it under
the old key or the new one), then checkpointed, so that no page under the old key stays in the
file or its write-ahead log. It needs the database to itself (`db_lock.exclusive`): every other
window or command would keep reading with the old key.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from app import db_files, db_lock
from app.db import encrypted_url, make_engine
from app.i18n import _, ngettext
from app.services.errors import ServiceError
from app.services.privacy.keyfile import MASTER_KEY_BYTES, KdfParams, KeyFile


class InUse(ServiceError):
    """Another window or command has the database open."""


@dataclass
class Rekeyed:
    master: bytearray
    left_out: list[str] = field(default_factory=list)  # version 1 slots that lost access
    new_recovery_key: str | None = None
    dropped: list[str] = field(default_factory=list)  # slots with no account in the database


def left_out_message(logins: list[str]) -> str:
    return ngettext(
        "The account {logins} still had a key slot from an older Traject and could not be given "
        "the new key: an administrator gives it a new password (traject user passwd).",
        "The accounts {logins} still had key slots from an older Traject and could not be given "
        "the new key: an administrator gives each a new password (traject user passwd).",
        len(logins)).format(logins=", ".join(logins))  # fmt: skip


def working_key(path: Path, keys: list[bytearray]) -> bytearray:
    """Of the keys an account's slots hold (the current one, and the one of a re-key a kill
    interrupted), the one that opens the file; the first when none does (a damaged file)."""
    for key in keys:
        try:
            connection = db_files.raw_connect(path, key)
            try:
                connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
            finally:
                connection.close()
        except Exception as exc:
            if db_files.is_driver_error(exc):
                continue
            raise
        return key
    return keys[0]


def rekey_file(path: Path, old: bytearray, new: bytearray) -> None:
    """Re-encrypt every page of the database under `new`, and leave no old-key page behind.
    SQLCipher does it in one transaction: on any failure the file keeps the old key."""
    connection = db_files.raw_connect(path, old)
    try:
        connection.execute(f"PRAGMA rekey = \"x'{bytes(new).hex()}'\"")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        connection.close()


def rekey(
    path: Path, keys: KeyFile, old: bytearray, change: Callable[[Session], None], *,
    accounts: set[str], remove: str | None = None,
    password: tuple[str, str, KdfParams] | None = None, new_recovery: bool = False,
    params: KdfParams | None = None,
) -> Rekeyed:  # fmt: skip
    """With the database to itself: re-key, then commit `change` (the account's row and its
    audit entry) under the new key. The key comes first: a failure after it leaves the
    account's access already gone, never the other way round. The caller has closed its own
    connections."""
    with alone(path):
        new = bytearray(secrets.token_bytes(MASTER_KEY_BYTES))
        with keys.locked():
            staged = keys.prepare_rekey(new, accounts=accounts, remove=remove, password=password,
                                        new_recovery=new_recovery, params=params)  # fmt: skip
            try:
                rekey_file(path, old, new)
            except BaseException as exc:
                keys.next = None  # the database kept its key: so do the slots
                keys.save()
                if isinstance(exc, Exception) and db_files.is_driver_error(exc):
                    raise ServiceError(
                        _("The database could not be given its new key ({detail}); nothing "
                          "was changed. Check the free disk space (a new key rewrites the whole "
                          "file) and try again.").format(detail=exc)
                    ) from None  # fmt: skip
                raise
            keys.finish_rekey()
        engine = make_engine(encrypted_url(path), new)
        try:
            with Session(engine) as session:
                change(session)
                session.commit()
        finally:
            engine.dispose()
        return Rekeyed(new, staged.left_out, staged.recovery_key, staged.dropped)


@contextmanager
def alone(path: Path) -> Iterator[None]:
    """Hold the database alone (no other window or command has it open), or refuse."""
    try:
        with db_lock.exclusive(path):
            yield
    except db_lock.Busy:
        raise InUse(
            _("The caseload at {path} is open in another Traject window or command; close it "
              "there, then try again. Nothing was changed.").format(path=path)
        ) from None  # fmt: skip
