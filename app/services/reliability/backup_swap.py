"""Putting a checked database file in the place of the current one so that a kill at any instant
leaves a whole database at the path: the old one or the new one, never none and never a mix.

The caller holds the database alone (`db_lock.exclusive`), so no connection has it open. The
steps, each safe to be interrupted after:

1. The old database's write-ahead log is folded into it (a checkpoint), so the old file alone
   is the whole old database. SQLite reads a `-wal` file beside whichever database file is at
   the path: an old log left beside the new file would be replayed into it and damage it.
2. The old database, its log and its key file get second names (hard links, or copies where
   the disk has none): kept when the old database could not be backed up first, and the way
   back when a rename below fails; removed at the end otherwise.
3. The old `-shm`, `-journal` and `-wal` files go, the log last. Should step 1 have failed
   (a damaged file, or a key that does not open it), a kill here leaves the old file as of its
   last checkpoint; the rest of it is in the copy of step 2 or in the backup made before.
4. The new file is renamed over the old one: one atomic step. It is a self-contained file
   (its journal mode is DELETE), so nothing beside it is needed or read.
5. An encrypted database's key file is renamed over the old key file. For a backup of the same
   caseload the backup's slots were first put under "next" in the current key file, so a kill
   exactly between 4 and 5 leaves a file the sign-in opens (and settles), even when the
   caseload was re-keyed since the backup; for another caseload's backup it leaves the new
   file with the old key file, and running the restore again finishes.

Working files a killed restore left behind are removed by the next one (`remove_stale`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import os
import shutil
from pathlib import Path

from app import db_files
from app.private_files import atomic_write, leftovers, sync_folder

WORK_PREFIX = "."
WORK_NAMES = ("restoring", "restoring-keys", "checking-keys", "backup-copy")
SIDE_FILES = ("-shm", "-journal", "-wal")  # removed in this order: the log last


def work_file(beside: Path, name: str) -> Path:
    return beside.parent / f"{WORK_PREFIX}{beside.name}.{name}"


def remove_stale(database: Path) -> None:
    """Working files of a restore that was killed (only ever called under the exclusive lock)."""
    for name in WORK_NAMES:
        work = work_file(database, name)
        for file in (work, *(work.with_name(work.name + side) for side in SIDE_FILES)):
            file.unlink(missing_ok=True)
        partial = work.with_name(work.name + ".partial")
        partial.unlink(missing_ok=True)
        for unfinished in leftovers(work):  # a member killed while it was being unpacked
            unfinished.unlink(missing_ok=True)


def fold_log(database: Path, key: bytearray | None) -> None:
    """Checkpoint the old database's log into it (SQLite removes the log when the last
    connection closes). Failing is allowed: see step 3 in the module's description."""
    log = database.with_name(database.name + "-wal")
    journal = database.with_name(database.name + "-journal")
    if not (log.exists() or journal.exists()) or not database.exists():
        return
    try:
        connection = db_files.raw_connect(database, key)
        try:
            connection.execute(
                "SELECT count(*) FROM sqlite_master"
            ).fetchone()  # rolls back a hot journal
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        finally:
            connection.close()
    except Exception as exc:
        if not db_files.is_driver_error(exc):
            raise


def keep_aside(files: list[Path]) -> dict[Path, Path]:
    """Second names for the old database, its log and its key file: {file: second name}. The
    names are new ones: a restore killed in the same second may have left its own."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    database = files[0]
    for attempt in itertools.count(1):
        label = f"before-restore-{stamp}" if attempt == 1 else f"before-restore-{stamp}-{attempt}"
        aside_db = database.with_name(f"{database.name}.{label}")
        names = {}
        for file in files:
            if file.name.startswith(database.name + "-"):  # the log goes with the database's name
                names[file] = aside_db.with_name(aside_db.name + file.name[len(database.name) :])
            else:
                names[file] = file.with_name(f"{file.name}.{label}")
        if not any(os.path.lexists(aside) for aside in names.values()):
            break
    kept = {}
    for file, aside in names.items():
        if not file.exists():
            continue
        try:
            os.link(file, aside)
        except OSError:  # a file system without hard links: a copy, whole or not at all
            with file.open("rb") as source, atomic_write(aside) as copy:
                shutil.copyfileobj(source, copy, 1 << 20)
        kept[file] = aside
    return kept


def _stage_keys(keys: Path, incoming_keys: Path) -> None:
    """Before step 4: the backup's slots go under "next" in the current key file (same
    caseload), so that after a kill between 4 and 5 the sign-in opens the restored file with
    them (and finishes step 5 itself), even if the caseload was re-keyed since the backup."""
    from app.services.privacy.key_slots import SlotSet
    from app.services.privacy.keyfile import KeyFile, KeyFileError

    with contextlib.suppress(KeyFileError, OSError):
        current, restored = KeyFile.load(keys), KeyFile.load(incoming_keys)
        if current.database_id == restored.database_id:
            with current.locked():
                current.next = SlotSet(restored.slots, restored.recovery)
                current.save()


def swap_in(
    incoming: Path, database: Path, incoming_keys: Path | None, keys: Path, *, keep: bool,
    key: bytearray | None,
) -> list[Path]:  # fmt: skip
    """Steps 1 to 5 above; the second names of the old files when `keep`, else none. A rename
    that fails puts the old files back."""
    fold_log(database, key)
    kept = {}
    if database.exists():
        kept = keep_aside([database, database.with_name(database.name + "-wal"), keys])
    try:
        for side in SIDE_FILES:
            database.with_name(database.name + side).unlink(missing_ok=True)
        if incoming_keys is not None:
            _stage_keys(keys, incoming_keys)
        incoming.replace(database)
        if incoming_keys is not None:
            incoming_keys.replace(keys)
    except OSError:
        for original, aside in kept.items():
            with contextlib.suppress(OSError):
                if original.exists() and original.samefile(aside):
                    aside.unlink()  # a rename onto its own other name would keep both names
                else:
                    aside.replace(original)
        raise
    with contextlib.suppress(OSError):
        sync_folder(database.parent)
    if keep:
        return list(kept.values())
    for aside in kept.values():
        aside.unlink(missing_ok=True)
    return []
