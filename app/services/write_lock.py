"""Taking the database's write lock before a read-then-write that must not race another process.

Python's sqlite3 opens a transaction only at the first write, so "read the newest id, then
insert the next one" runs the read outside any transaction: two processes read the same id and
the second insert fails on a unique key (or, for the audit trail, would fork the chain). Taking
the lock first makes the read and the write one step for everyone else. On SQLite any write
statement takes it, even one that changes nothing, and keeps it to the commit; PostgreSQL locks
the table in a mode that lets readers read.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session


def hold(session: Session, table: str) -> None:
    """Hold the write lock for `table` until the session's transaction ends."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text(f'LOCK TABLE "{table}" IN SHARE ROW EXCLUSIVE MODE'))
    else:
        session.execute(text(f'UPDATE "{table}" SET id = id WHERE id = -1'))
