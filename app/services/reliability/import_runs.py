"""One import as a run of short batches that stays all or nothing for the person importing.

A long import must not hold the database's write lock for a minute, so the good rows are
committed in batches (BATCH_ROWS rows or BATCH_SECONDS, whichever comes first), each its own
write transaction. A batch starts with BEGIN IMMEDIATE: it waits for the write lock like any
other writer (busy timeout) instead of failing when someone wrote since it last read. After
each batch the import pauses PAUSE_SECONDS, because SQLite has no queue for its write lock: a
waiting writer retries every 100 ms at most and must find the lock free at one of those
moments. Readers are never blocked (WAL).

For the person importing it is still one import:

- every client a batch adds carries the run's tag (RUN_TAG + a random id) in the note of its
  first referent period, written in the batch's own transaction, so no committed client of an
  unfinished run is ever untagged;
- the run becomes final in one last short transaction that clears its tag;
- when it fails or is cancelled (any exception, Ctrl+C included) it deletes its tagged clients
  (their assignments, the rest of their rows and their search entries go by cascade and
  trigger) before the exception goes on, and the audit trail records the removal;
- when the process is killed, its tagged clients stay behind, marked. A run holds a lock file
  beside the database (`<db>.import-lock`, released by the system when the process dies, even
  with kill -9) and no run starts while another holds it; so a tag found by whoever holds the
  lock belongs to a dead run. The next import removes such leftovers first (`unfinished`
  counts them, `remove_unfinished` removes them outside an import).

A dry run goes through the same batches and rolls each one back.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, delete, func, select, update
from sqlalchemy.orm import Session

from app.i18n import _
from app.models import Assignment, Client
from app.models.enums import AssignmentRole, AuditAction
from app.services.errors import ServiceError
from app.services.privacy import audit

BATCH_ROWS = 500
BATCH_SECONDS = 0.5
PAUSE_SECONDS = 0.1  # longer than the longest sleep of a waiting SQLite writer (100 ms)
RUN_TAG = "traject-import-run:"
log = logging.getLogger(__name__)


class ImportRunning(ServiceError):
    """Another import into the same database has not finished."""


class Run:
    """The batches of one import; `added` is called for each new client."""

    def __init__(self, session: Session, counsellor_id: int | None, *, dry_run: bool) -> None:
        self.session, self.counsellor_id, self.dry_run = session, counsellor_id, dry_run
        self.tag = RUN_TAG + uuid.uuid4().hex
        self.batch: list[int] = []
        self.started = 0.0

    def begin_batch(self) -> None:
        """Python's sqlite3 opens a transaction only at the first write, and a SAVEPOINT
        issued before that starts one of its own whose release commits; a batch is one
        transaction, so it is opened here."""
        session = self.session
        raw: Any = session.connection().connection.driver_connection
        if session.get_bind().dialect.name == "sqlite" and not raw.in_transaction:
            raw.execute("BEGIN IMMEDIATE")
        self.started = time.monotonic()

    def added(self, client_id: int) -> None:
        self.batch.append(client_id)

    @property
    def batch_full(self) -> bool:
        return len(self.batch) >= BATCH_ROWS or time.monotonic() - self.started > BATCH_SECONDS

    def end_batch(self) -> None:
        if self.dry_run:
            self.session.rollback()
        else:
            if self.batch:
                self.session.execute(
                    update(Assignment)
                    .where(Assignment.client_id.in_(self.batch),
                           Assignment.role == AssignmentRole.REFERENT)
                    .values(note=self.tag)
                )  # fmt: skip
            self.session.commit()
        self.batch = []

    def next_batch(self) -> None:
        time.sleep(PAUSE_SECONDS)  # another writer's turn
        self.begin_batch()

    def finish(self) -> None:
        """The moment the import becomes final (and the end of a dry run's last batch)."""
        if self.dry_run:
            self.session.rollback()
            return
        self.session.execute(
            update(Assignment).where(Assignment.note == self.tag).values(note=None)
        )
        self.session.commit()

    def undo(self) -> None:
        """After a failure: remove what this run committed (if the database lets us now;
        otherwise the tag stays and the next run removes it)."""
        self.session.rollback()
        if self.dry_run:
            return
        try:
            remove(self.session, Assignment.note == self.tag, self.counsellor_id)
        except Exception:
            self.session.rollback()
            log.exception("An unfinished import could not be removed yet")


def _lock_path(session: Session) -> Path | None:
    url = session.get_bind().engine.url
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return None
    return Path(f"{url.database}.import-lock")


#: The team server's import lock: a session-level advisory lock (taken by a function of the
#: server's, migration 0009), which the server releases when the connection holding it ends, a
#: killed process's included.
SERVER_LOCK = "SELECT traject_try_import_lock()"


def _running_elsewhere() -> ImportRunning:
    return ImportRunning(
        _("Another import into this caseload is still running; try again when it has "
          "finished.")
    )  # fmt: skip


@contextmanager
def _server_lock(session: Session) -> Iterator[None]:
    # a connection of its own: the session's changes with each batch it commits
    with session.get_bind().engine.connect() as conn:
        if not conn.exec_driver_sql(SERVER_LOCK).scalar():
            raise _running_elsewhere()
        conn.commit()
        try:
            yield
        finally:
            conn.exec_driver_sql("SELECT traject_import_unlock()")
            conn.commit()


@contextmanager
def one_at_a_time(session: Session) -> Iterator[None]:
    """Hold the database's import lock; ImportRunning when another process holds it."""
    from filelock import FileLock, Timeout

    if session.get_bind().dialect.name == "postgresql":
        with _server_lock(session):
            yield
        return
    path = _lock_path(session)
    if path is None:
        yield
        return
    lock = FileLock(str(path), mode=0o600)
    try:
        lock.acquire(timeout=0)
    except Timeout:
        raise _running_elsewhere() from None
    try:
        yield
    finally:
        lock.release()


def tagged() -> ColumnElement[bool]:
    return Assignment.note.startswith(RUN_TAG, autoescape=True)


def remove(session: Session, which: ColumnElement[bool], counsellor_id: int | None) -> int:
    """Delete the clients whose referent period `which` selects (their other rows cascade),
    in one transaction, recorded in the audit trail."""
    ids = select(Assignment.client_id).where(which)
    removed = session.scalar(select(func.count()).where(Client.id.in_(ids))) or 0
    if removed:
        session.execute(delete(Client).where(Client.id.in_(ids)),
                        execution_options={"synchronize_session": False})  # fmt: skip
        audit.record(session, AuditAction.ERASE, counsellor_id=counsellor_id,
                     detail=f"unfinished import ({removed})")  # fmt: skip
    session.commit()
    session.expire_all()
    return removed


def unfinished(session: Session) -> int:
    """Clients of an import that is running or was killed (for `traject check`)."""
    ids = select(Assignment.client_id).where(tagged())
    return session.scalar(select(func.count()).where(Client.id.in_(ids))) or 0


def remove_unfinished(session: Session, counsellor_id: int | None) -> int | None:
    """Remove what a killed import left behind; None while an import is running."""
    try:
        with one_at_a_time(session):
            return remove(session, tagged(), counsellor_id)
    except ImportRunning:
        return None
