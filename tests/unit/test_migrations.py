"""Alembic owns the schema: new databases at head, backup before upgrading, newer refused."""

from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import inspect, text

from app.db import DatabaseError, alembic_config, open_database, schema_state
from app.models import load_all


def test_new_database_is_at_head_and_matches_the_models(db_url: str) -> None:
    database = open_database(db_url)
    state = schema_state(database.engine)
    assert state.up_to_date and state.current == state.head
    with database.engine.connect() as conn:
        tables = set(inspect(conn).get_table_names())
    assert set(load_all().metadata.tables) <= tables
    assert "client_search" in tables
    database.close()


def test_head_constant_matches_the_migrations(db_url: str) -> None:
    from app.db import HEAD_REVISION

    database = open_database(db_url)
    assert schema_state(database.engine).head == HEAD_REVISION
    database.close()


def test_models_and_migrations_do_not_drift(db_url: str) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    database = open_database(db_url)
    with database.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), load_all().metadata)
    database.close()
    # FTS5 shadow tables are not models; any other difference is drift
    assert [
        d for d in diff if not (d[0] == "remove_table" and d[1].name.startswith("client_search"))
    ] == []


def test_upgrade_takes_a_backup_first(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    database = open_database(f"sqlite:///{path}")
    with database.engine.begin() as conn:
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
        conn.execute(
            text("CREATE TABLE legacy_note (id INTEGER PRIMARY KEY)")
        )  # data that must survive
    database.close()
    reopened = open_database(f"sqlite:///{path}")
    assert reopened.backup_before_migration is not None
    assert reopened.backup_before_migration.exists()
    assert schema_state(reopened.engine).up_to_date
    reopened.close()


def test_a_file_that_is_not_a_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is a shopping list, not a database" * 100)
    with pytest.raises(DatabaseError, match="not a readable Traject database"):
        open_database(f"sqlite:///{path}")


def test_adding_client_columns_keeps_the_search_triggers(db_url: str) -> None:
    """0006 adds columns to `clients` without a batch copy, which would drop the triggers."""
    database = open_database(db_url)
    triggers = "SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
    with database.engine.begin() as conn:
        before = conn.execute(text(triggers)).scalars().all()
        cfg = alembic_config()
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0005")
        assert "key_person" not in {c["name"] for c in inspect(conn).get_columns("clients")}
        command.upgrade(cfg, "head")
        assert conn.execute(text(triggers)).scalars().all() == before
    assert before == ["client_search_ad", "client_search_ai", "client_search_au"]
    database.close()
