"""Who has a database file open. Every open `Database` holds the shared side of an "in use" lock
on a file beside the database (`traject.db.inuse`); a restore takes the exclusive side, without
waiting, and keeps it for the whole swap. So a restore is refused while Traject or a command has
the file open, and nobody opens the file while a restore is swapping it.

The lock is `filelock.ReadWriteLock`: a shared or exclusive transaction on a small SQLite file
of its own, so it is the operating system's lock and goes when the process that held it dies,
and it holds between processes as well as between two connections of one process (the window
that restores its own database closes it first, which lets go of its shared hold). The lock
file holds no data and stays in place: removing it while someone holds it would split the lock.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from filelock import ReadWriteLock

SUFFIX = ".inuse"
#: How long opening a database waits for someone else's exclusive hold: long enough to ride out
#: a restore that is only trying its lock (it never waits), far shorter than a whole restore.
OPEN_WAIT = 2.0


class Busy(Exception):
    """The other side of the lock is held: a restore is under way, or the file is open."""


class Unusable(Exception):
    """The lock file cannot be made or read (a read-only folder, a damaged lock file)."""


def lock_file(database: Path) -> Path:
    return database.with_name(database.name + SUFFIX)


def _lock(database: Path) -> ReadWriteLock:
    from filelock import ReadWriteLock

    try:
        return ReadWriteLock(lock_file(database), is_singleton=False)
    except (OSError, sqlite3.Error, ValueError) as exc:
        raise Unusable(str(exc)) from exc


def hold_shared(database: Path, wait: float = OPEN_WAIT) -> ReadWriteLock:
    """The shared hold of an open database; give it back with `release`."""
    from filelock import Timeout

    lock = _lock(database)
    try:
        lock.acquire_read(timeout=wait)
    except Timeout:
        lock.close()
        raise Busy(str(database)) from None
    except (OSError, sqlite3.Error, ValueError) as exc:
        lock.close()
        raise Unusable(str(exc)) from exc
    return lock


def release(lock: ReadWriteLock) -> None:
    """Let go of every hold of `lock` (whichever thread took it) and close it; idempotent."""
    lock.close()


@contextmanager
def exclusive(database: Path) -> Iterator[None]:
    """Hold `database` alone, or raise `Busy` at once if anyone has it open."""
    from filelock import Timeout

    lock = _lock(database)
    try:
        try:
            lock.acquire_write(timeout=0, blocking=False)
        except Timeout:
            raise Busy(str(database)) from None
        except (OSError, sqlite3.Error, ValueError) as exc:
            raise Unusable(str(exc)) from exc
        yield
    finally:
        lock.close()
