"""A database as a file: consistent copies through SQLite's online backup API, integrity checks,
row counts and checksums. Below the services (no sessions, no Qt): `app.db` copies a database
here before migrating it, and `services.backups` builds its archives from these pieces.

An encrypted database is opened with its raw master key; its copy is encrypted with the same key.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.private_files import make_private

#: Pages copied per step of the online backup (4 MiB of 4 KiB pages): small enough to report
#: progress often, large enough that the steps cost nothing.
PAGES_PER_STEP = 1024

Progress = Callable[[int, int], None]  # (pages copied, pages in all)


class Damaged(Exception):
    """The file is not a whole SQLite database (torn, flipped bytes, wrong key)."""


def raw_connect(path: Path, key: bytearray | None) -> Any:
    """A DB-API connection outside SQLAlchemy, in autocommit (transactions are explicit)."""
    if key is None:
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    else:
        import sqlcipher3

        connection = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
        connection.execute("PRAGMA cipher_log_level = NONE")
        connection.execute(f"PRAGMA key = \"x'{bytes(key).hex()}'\"")
    connection.execute("PRAGMA busy_timeout = 5000")
    return connection


def is_driver_error(exc: BaseException | None) -> bool:
    """sqlite3's and sqlcipher3's own errors (each driver has its own classes)."""
    if isinstance(exc, sqlite3.DatabaseError):
        return True
    return exc is not None and (
        type(exc).__module__.startswith("sqlcipher3") and type(exc).__name__.endswith("Error")
    )


def copy_database(
    source: Path, target: Path, key: bytearray | None, progress: Progress | None = None
) -> None:
    """A consistent copy of `source` at `target`, even while Traject writes to it: the copy
    holds one read transaction (one WAL snapshot) for all its steps, so writes by other
    connections neither show up halfway nor restart it. Written beside `target` first and
    renamed into place, so `target` is never a partial file."""
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = raw_connect(source, key)
    try:
        src.execute("BEGIN")
        src.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the snapshot starts here
        dest = raw_connect(partial, key)
        make_private(partial)  # before a page is written
        try:
            src.backup(dest, pages=PAGES_PER_STEP, progress=_report(progress))
            dest.execute("PRAGMA journal_mode = DELETE")  # a copy is one self-contained file
        finally:
            dest.close()
        src.execute("ROLLBACK")
        _sync(partial)
        partial.replace(target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    finally:
        src.close()


def _report(progress: Progress | None) -> Callable[[int, int, int], None] | None:
    if progress is None:
        return None
    return lambda _status, remaining, total: progress(total - remaining, total)


def _sync(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


def check_file(path: Path, key: bytearray | None, *, quick: bool = True) -> dict[str, int]:
    """Row counts per table of a database file that passes SQLite's integrity check; raises
    `Damaged` otherwise. An encrypted file first has every page's authentication code checked
    (SQLCipher's `cipher_integrity_check`, which also reads pages no table uses); `quick_check`
    then checks the structure without cross-checking the indexes."""
    try:
        connection = raw_connect(path, key)
    except Exception as exc:
        if is_driver_error(exc):
            raise Damaged(str(exc)) from exc
        raise
    try:
        if key is not None:  # every page's authentication code, free pages included
            failed = [row[0] for row in connection.execute("PRAGMA cipher_integrity_check")]
            if failed:
                raise Damaged("; ".join(str(line) for line in failed[:5]))
        pragma = "quick_check" if quick else "integrity_check"
        result = [row[0] for row in connection.execute(f"PRAGMA {pragma}")]
        if result != ["ok"]:
            raise Damaged("; ".join(str(line) for line in result[:5]))
        return table_counts(connection)
    except Exception as exc:
        if is_driver_error(exc):
            raise Damaged(str(exc)) from exc
        raise
    finally:
        connection.close()


def table_counts(connection: Any) -> dict[str, int]:
    """Rows per ordinary table (not the search index's shadow tables)."""
    names = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT GLOB 'client_search_*' ORDER BY name"
        )
    ]
    return {
        name: connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] for name in names
    }


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def companions(path: Path) -> list[Path]:
    """The database file and the journal files SQLite keeps beside it."""
    return [path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")]


def remove(path: Path) -> None:
    for file in companions(path):
        with contextlib.suppress(FileNotFoundError):
            file.unlink()
