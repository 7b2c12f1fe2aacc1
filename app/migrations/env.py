"""Alembic environment: runs on the connection Traject hands over (batch mode for SQLite)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from app.models import load_all

config = context.config
connection = config.attributes.get("connection")


def _run(conn: Connection) -> None:
    context.configure(
        connection=conn,
        target_metadata=load_all().metadata,
        render_as_batch=True,
        transactional_ddl=True,  # SQLite can undo DDL; app.db runs the upgrade in one transaction
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if connection is not None:
    _run(connection)
else:  # `alembic` command line during development: -x url=sqlite:///…
    url = context.get_x_argument(as_dictionary=True).get("url", "sqlite:///dev.db")
    with create_engine(url).connect() as conn:
        _run(conn)
        conn.commit()
