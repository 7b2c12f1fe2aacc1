"""Upgrades with data in them: from every earlier revision to head, rows kept; a revision that
fails at its last step is undone completely; a database from a newer Traject is refused."""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, text

from app import __version__
from app.db import (
    HEAD_REVISION,
    WRITTEN_BY_KEY,
    DatabaseError,
    alembic_config,
    make_engine,
    open_database,
    stored_revision,
)
from app.db_files import check_file
from app.services.demo import generator as demo

REVISIONS = [
    r.revision
    for r in reversed(list(ScriptDirectory.from_config(alembic_config()).walk_revisions()))
]
EARLIER = REVISIONS[:-1]


@pytest.fixture(scope="module")
def demo_at_head(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A caseload made by the real services: clients with names in several scripts, contacts,
    appointments, consents, script runs, desk visits and referrals."""
    path = tmp_path_factory.mktemp("template") / "demo.db"
    database = open_database(f"sqlite:///{path}")
    with database.sessions() as session:
        demo.generate(session, 60, seed=3, today=dt.date(2026, 10, 1))
        session.commit()
    database.close()
    return path


def _at_revision(template: Path, target: Path, revision: str) -> None:
    """The template taken down to `revision` (its rows kept, newer columns and tables gone)."""
    shutil.copy(template, target)
    engine = make_engine(f"sqlite:///{target}")
    with engine.connect() as conn:
        conn.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
        with conn.begin():
            cfg = alembic_config()
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, revision)
    engine.dispose()


def _rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        names = conn.execute(
            text("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                 "AND name NOT GLOB 'client_search_*' AND name != 'alembic_version'")
        ).scalars().all()  # fmt: skip
        rows = {}
        for name in names:
            columns = [row[1] for row in conn.execute(text(f'PRAGMA table_info("{name}")'))]
            rows[name] = [
                tuple(r) for r in conn.execute(text(f'SELECT * FROM "{name}" ORDER BY rowid'))
            ]
            rows[name + ":columns"] = [tuple(columns)]
    engine.dispose()
    return rows


def _schema_hash(path: Path) -> str:
    engine = create_engine(f"sqlite:///{path}")
    with engine.connect() as conn:
        entries = conn.execute(
            text("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")
        ).all()
    engine.dispose()
    return hashlib.sha256(repr(entries).encode()).hexdigest()


@pytest.mark.slow
@pytest.mark.parametrize("revision", EARLIER)
def test_upgrade_from_every_earlier_revision_keeps_the_rows(
    demo_at_head: Path, tmp_path: Path, revision: str
) -> None:
    path = tmp_path / f"at-{revision}.db"
    _at_revision(demo_at_head, path, revision)
    before = _rows(path)
    filled = {t for t, r in before.items() if r and not t.endswith(":columns")}
    assert len(before["clients"]) == 60 and {"contacts", "assignments", "counsellors"} <= filled

    database = open_database(f"sqlite:///{path}")
    assert stored_revision(database.engine) == HEAD_REVISION
    assert database.backup_before_migration is not None
    backup_counts = check_file(database.backup_before_migration, None)
    database.close()

    after = _rows(path)
    for table, old_rows in before.items():
        if table.endswith(":columns"):
            continue
        old_columns = before[table + ":columns"][0]
        new_columns = after[table + ":columns"][0]
        kept = [new_columns.index(c) for c in old_columns]  # upgrades only add columns
        assert [tuple(row[i] for i in kept) for row in after[table]] == old_rows, table
        assert backup_counts[table] == len(old_rows), table
    names = " ".join(f"{row[2]} {row[3]}" for row in after["clients"])
    assert "Наталія" in names  # names in other scripts come through unchanged


@pytest.mark.slow
@pytest.mark.parametrize("revision", REVISIONS)
def test_a_revision_failing_at_its_last_step_changes_nothing(
    demo_at_head: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, revision: str
) -> None:
    """The failure comes after the revision's own operations ran, when Alembic stamps the new
    revision: everything the revision did must be undone with it."""
    from alembic.runtime.migration import HeadMaintainer

    script = ScriptDirectory.from_config(alembic_config())
    previous = script.get_revision(revision).down_revision
    path = tmp_path / "failing.db"
    if previous is None:  # the first revision starts from an empty file
        path.touch()
    else:
        _at_revision(demo_at_head, path, str(previous))
    schema, rows = _schema_hash(path), _rows(path)
    original_step = HeadMaintainer.update_to_step

    def fail_at(self: HeadMaintainer, step: Any) -> None:
        original_step(self, step)
        if revision in step.to_revisions:
            raise RuntimeError(f"injected failure at the end of {revision}")

    monkeypatch.setattr(HeadMaintainer, "update_to_step", fail_at)
    with pytest.raises(DatabaseError, match="failed and was undone"):
        open_database(f"sqlite:///{path}")
    assert _schema_hash(path) == schema
    assert _rows(path) == rows
    monkeypatch.undo()
    database = open_database(f"sqlite:///{path}")  # and the same upgrade then succeeds
    assert stored_revision(database.engine) == HEAD_REVISION
    database.close()


def _stamp_newer(path: Path, writer: str | None) -> None:
    open_database(f"sqlite:///{path}").close()
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0042'"))
        if writer is None:
            conn.execute(text("DELETE FROM org_settings WHERE key = :k"), {"k": WRITTEN_BY_KEY})
        else:
            conn.execute(
                text("UPDATE org_settings SET value = :v WHERE key = :k"),
                {"v": writer, "k": WRITTEN_BY_KEY},
            )
    engine.dispose()


def test_a_database_from_a_newer_traject_is_refused_naming_both_versions(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    _stamp_newer(path, "3.2.0")
    before = path.read_bytes()
    with pytest.raises(DatabaseError) as err:
        open_database(f"sqlite:///{path}")
    message = str(err.value)
    assert "Traject 3.2.0" in message and f"Traject {__version__}" in message
    assert "0042" in message and HEAD_REVISION in message
    assert path.read_bytes() == before
    assert not list(tmp_path.glob("*.bak"))  # refused before any copy or change


def test_a_newer_database_without_its_writer_is_still_refused(tmp_path: Path) -> None:
    path = tmp_path / "newer.db"
    _stamp_newer(path, None)
    with pytest.raises(DatabaseError, match="newer Traject") as err:
        open_database(f"sqlite:///{path}")
    assert f"Traject {__version__}" in str(err.value)


def test_every_upgrade_records_the_traject_that_made_it(db_url: str) -> None:
    database = open_database(db_url)
    with database.engine.connect() as conn:
        value = conn.execute(
            text("SELECT value FROM org_settings WHERE key = :k"), {"k": WRITTEN_BY_KEY}
        ).scalar()
    database.close()
    assert value == __version__
