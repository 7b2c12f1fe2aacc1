"""THE POSTGRESQL-SPECIFIC KEY MODULE: where new row keys come from on a team server.

Keys are integers from each table's sequence. Rows written with their keys given (a demo, a
file moved onto the server) leave a sequence behind: `catch_up` moves every sequence past the
highest key, so the next row never collides.

Room for offline work (issue: checking dossiers out to a laptop): a laptop that takes files
away reserves a block of keys per table with `reserve` before it leaves. The block is taken
from the server's sequence in one step, so no row created on the server or on another laptop
can ever get a key from it, and the keys written in the audit trail's chain stay integers,
as every existing chain already holds them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Integer, text
from sqlalchemy.orm import Session

from app.models import load_all


def keyed_tables() -> list[str]:
    """Tables whose single integer key comes from a sequence."""
    names = []
    for table in load_all().metadata.sorted_tables:
        key = list(table.primary_key.columns)
        single = len(key) == 1 and isinstance(key[0].type, Integer)
        if single and key[0].autoincrement in (True, "auto") and not key[0].foreign_keys:
            names.append(table.name)
    return names


def catch_up(session: Session) -> None:
    """Every sequence past the highest key in its table (nothing to do on SQLite)."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in keyed_tables():
        session.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"))  # fmt: skip


@dataclass(frozen=True)
class KeyBlock:
    table: str
    first: int
    last: int


def reserve(session: Session, table: str, count: int) -> KeyBlock:
    """`count` keys of `table` that the server will never hand out itself."""
    if table not in keyed_tables():
        raise ValueError(f"{table} has no sequence of keys")
    if count < 1:
        raise ValueError("reserve at least one key")
    session.execute(text("SELECT pg_advisory_xact_lock(hashtext('traject.reserve.' || :t))"),
                    {"t": table})  # fmt: skip
    last = session.scalar(text(
        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
        f"nextval(pg_get_serial_sequence('{table}', 'id')) + :n - 1)"), {"n": count})  # fmt: skip
    assert last is not None
    return KeyBlock(table, int(last) - count + 1, int(last))
