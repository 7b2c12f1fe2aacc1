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
from app.services.keyfile import MASTER_KEY_BYTES, KdfParams, KeyFile


class InUse(ServiceError):
    """Another window or command has the database open."""


@dataclass
class Rekeyed:
    master: bytearray
    left_out: list[str] = field(default_factory=list)  # version 1 slots that lost access
    new_recovery_key: str | None = None


def left_out_message(logins: list[str]) -> str:
    return ngettext(
        "The account {logins} still had a key slot from an older Traject and could not be given "
        "the new key: an administrator gives it a new password (traject user passwd).",
        "The accounts {logins} still had key slots from an older Traject and could not be given "
        "the new key: an administrator gives each a new password (traject user passwd).",
        len(logins)).format(logins=", ".join(logins))  # fmt: skip


def rekey_file(path: Path, old: bytearray, new: bytearray) -> None:
    """Re-encrypt every page of the database under `new`, and leave no old-key page behind."""
    connection = db_files.raw_connect(path, old)
    try:
        connection.execute(f"PRAGMA rekey = \"x'{bytes(new).hex()}'\"")
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
    finally:
        connection.close()


def rekey(
    path: Path, keys: KeyFile, old: bytearray, change: Callable[[Session], None], *,
    remove: str | None = None, password: tuple[str, str, KdfParams] | None = None,
) -> Rekeyed:  # fmt: skip
    """With the database to itself: commit `change` (the account's row and its audit entry),
    then re-key. The caller has closed its own connections."""
    with _alone(path):
        engine = make_engine(encrypted_url(path), old)
        try:
            with Session(engine) as session:
                change(session)
                session.commit()
        finally:
            engine.dispose()
        new = bytearray(secrets.token_bytes(MASTER_KEY_BYTES))
        with keys.locked():
            left_out, recovery = keys.prepare_rekey(new, remove=remove, password=password)
            try:
                rekey_file(path, old, new)
            except BaseException:
                keys.next = None  # the database kept its key: so do the slots
                keys.save()
                raise
            keys.finish_rekey()
        return Rekeyed(new, left_out, recovery)


@contextmanager
def _alone(path: Path) -> Iterator[None]:
    try:
        with db_lock.exclusive(path):
            yield
    except db_lock.Busy:
        raise InUse(
            _("The caseload at {path} is open in another Traject window or command; close it "
              "there, then try again. Nothing was changed.").format(path=path)
        ) from None  # fmt: skip
