"""The team server the tests run against: one bundled PostgreSQL for the whole run, started
as `traject server run` starts it, and a fresh database for each test copied from a migrated
template (CREATE DATABASE … TEMPLATE: a copy takes a fraction of what Alembic does)."""

from __future__ import annotations

import itertools
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from app import bundled_server
from app.db import Database, make_engine, migrate, open_database

TEMPLATE = "traject_migrated"
_numbers = itertools.count(1)


@dataclass
class TeamServer:
    running: bundled_server.Running
    folder: Path
    made: list[str] = field(default_factory=list)

    @property
    def superuser_password(self) -> str:
        return self.running.cluster.superuser_password

    def url(self, database: str, user: str | None = bundled_server.SUPERUSER) -> str:
        return self.running.url(user, database=database)

    def admin(self) -> psycopg.Connection:
        return psycopg.connect(host="localhost", port=self.running.port, dbname="postgres",
                               user=bundled_server.SUPERUSER, password=self.superuser_password,
                               autocommit=True)  # fmt: skip

    def new_database(self, template: str = TEMPLATE) -> str:
        name = f"t{os.getpid()}_{next(_numbers)}"
        with self.admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        return name

    def drop_database(self, name: str) -> None:
        with self.admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def open(self, name: str, user: str = bundled_server.SUPERUSER,
             password: str | None = None) -> Database:  # fmt: skip
        secret = bytearray((password or self.superuser_password).encode())
        return open_database(self.url(name, user), password=secret)

    def drop_role(self, login: str) -> None:
        with self.admin() as conn:
            conn.execute(f'DROP ROLE IF EXISTS "{login}"')


@contextmanager
def started() -> Iterator[TeamServer]:
    # not under pytest's own temporary folder: run as root, the server runs as its own system
    # user, which must be able to reach the data folder
    folder = Path(tempfile.mkdtemp(prefix="traject-pg-"))
    folder.chmod(0o755)
    cluster = bundled_server.ensure_cluster(folder / "data")
    running = bundled_server.start(cluster, bundled_server.free_port())
    server = TeamServer(running, folder)
    try:
        with server.admin() as conn:
            conn.execute(f'CREATE DATABASE "{TEMPLATE}"')
        engine = make_engine(
            server.url(TEMPLATE), password=bytearray(server.superuser_password.encode())
        )
        try:
            migrate(engine)
        finally:
            engine.dispose()
        yield server
    finally:
        running.stop()
        shutil.rmtree(folder, ignore_errors=True)
