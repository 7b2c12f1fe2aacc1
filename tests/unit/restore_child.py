"""Child processes of the restore tests, each a real process of its own (and what the tests
share to start and read them):

- ``hold URL``: opens the database as the window does, prints ``open``, then saves one edit per
  ``edit`` line read from stdin (printing ``saved`` once it is committed) until ``close``.
- ``open URL``: tries to open the database and prints ``opened`` or the refusal.
- ``restore ARCHIVE DATABASE STEP LOGIN [PASSWORD]``: restores as LOGIN (``-``: nobody's role
  is checked, so nothing reads the current database before the swap), and dies with
  ``os._exit`` (like a kill: no clean-up runs) just before the STEP-th change the restore makes
  to a file name (a rename, link or removal of a file that is there; -1: never). It prints how
  many such changes it made.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from app.db import DatabaseError, open_database
from app.models import OrgSetting

ADMIN = "ada"
ROOT = Path(__file__).resolve().parents[2]
#: How the tests start one of these children.
CHILD = [sys.executable, "-m", "tests.unit.restore_child"]


def held_settings(path: Path) -> list[str]:
    """The edits `hold` saved in the database file at `path`."""
    engine = create_engine(f"sqlite:///{path}")
    with Session(engine) as session:
        keys = list(session.scalars(select(OrgSetting.key).where(OrgSetting.key.like("held.%"))))
    engine.dispose()
    return sorted(keys)


def hold(url: str) -> None:
    database = open_database(url)
    print("open", flush=True)
    for edit, line in enumerate(sys.stdin, start=1):
        if line.strip() == "close":
            break
        with database.sessions() as session:
            session.add(OrgSetting(key=f"held.{edit}", value="acknowledged"))
            session.commit()
        print("saved", flush=True)
    database.close()


def try_open(url: str) -> None:
    try:
        database = open_database(url)
    except DatabaseError as exc:
        print(exc, flush=True)
        return
    database.close()
    print("opened", flush=True)


def restore(
    archive: Path, database: Path, step: int, login: str | None, password: str | None
) -> None:
    from app.services.reliability import backups

    made = 0

    def counted(original: Any) -> Any:
        def change(source: Any, *args: Any, **kwargs: Any) -> Any:
            nonlocal made
            if os.path.lexists(source):
                if made == step:
                    os._exit(99)
                made += 1
            return original(source, *args, **kwargs)

        return change

    for name in ("replace", "rename", "link", "unlink", "remove"):
        setattr(os, name, counted(getattr(os, name)))
    unlock = None
    if password is not None:
        unlock = lambda keys: keys.unlock(ADMIN, password)  # noqa: E731
    backups.restore(archive, database, unlock, login=login)
    print(made, flush=True)


if __name__ == "__main__":
    command, *rest = sys.argv[1:]
    if command == "hold":
        hold(rest[0])
    elif command == "open":
        try_open(rest[0])
    else:
        login = None if rest[3] == "-" else rest[3]
        restore(
            Path(rest[0]), Path(rest[1]), int(rest[2]), login, rest[4] if len(rest) > 4 else None
        )
