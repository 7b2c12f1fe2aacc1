"""Shared fixtures: offscreen Qt, English UI, private data folders, a fresh database per test."""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pytest
from hypothesis import settings
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from app.db import Database, open_database
from app.i18n import babel_locales, set_language
from app.models import Counsellor
from app.services.caseload import counsellors

if TYPE_CHECKING:
    from tests.server_fixtures import TeamServer

# Property tests: CI runs 10,000 examples each, the same ones every run (derandomized: a
# failure there is reproducible); `make test` at a desk runs a few hundred, new ones each run.
settings.register_profile("ci", max_examples=10_000, derandomize=True)
settings.register_profile("dev", max_examples=300)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE")
    or ("ci" if os.environ.get("CI", "").lower() in ("1", "true", "yes") else "dev")
)


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """No test touches the real user folders; every test starts in English."""
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "xdg-state"))  # the log folder
    monkeypatch.delenv("TRAJECT_DB", raising=False)
    set_language("en")
    yield
    set_language("en")


@pytest.fixture(autouse=True)
def _only_shipped_babel_locales(monkeypatch: pytest.MonkeyPatch) -> None:
    """The desktop build ships only the Babel locales of `i18n.babel_locales()`: every test
    runs with only those, as the frozen app does, so a new need shows up here first."""
    from babel import localedata

    shipped = babel_locales()
    exists, load = localedata.exists, localedata.load

    def shipped_exists(name: str) -> bool:
        return name in shipped and exists(name)

    def shipped_load(name: str, merge_inherited: bool = True) -> object:
        if name not in shipped:
            raise AssertionError(f"Babel locale {name!r} is not shipped (app.i18n.babel_locales)")
        return load(name, merge_inherited)

    monkeypatch.setattr(localedata, "exists", shipped_exists)
    monkeypatch.setattr(localedata, "load", shipped_load)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Tests marked `both_backends` run once on a database file and once on the team server
    (but for those also marked `file_only`)."""
    if "backend" in metafunc.fixturenames and metafunc.definition.get_closest_marker(
        "both_backends"
    ):
        only_file = metafunc.definition.get_closest_marker("file_only") is not None
        metafunc.parametrize("backend", ["sqlite"] if only_file else ["sqlite", "postgresql"])


@pytest.fixture
def backend() -> str:
    return "sqlite"


@pytest.fixture(scope="session")
def team_server() -> Iterator[TeamServer]:
    """One bundled PostgreSQL for the run, started only when a test asks for it."""
    from tests.server_fixtures import started

    with started() as server:
        yield server


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'traject.db'}"


@pytest.fixture
def database(db_url: str, backend: str, request: pytest.FixtureRequest) -> Iterator[Database]:
    if backend == "postgresql":
        server: TeamServer = request.getfixturevalue("team_server")
        name = server.new_database()
        db = server.open(name)
        yield db
        db.close()
        server.drop_database(name)
        return
    migrated: Path = request.getfixturevalue("migrated")
    shutil.copy(migrated, make_url(db_url).database or "")
    db = open_database(db_url)
    yield db
    db.close()


@pytest.fixture(scope="session")
def migrated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database migrated to the newest schema, once: each test's database is a copy of it
    (a copy takes a tenth of the time Alembic does)."""
    path = tmp_path_factory.mktemp("migrated") / "traject.db"
    open_database(f"sqlite:///{path}").close()
    return path


@pytest.fixture
def session(database: Database) -> Iterator[Session]:
    with database.sessions() as s:
        yield s


@pytest.fixture
def today() -> dt.date:
    return dt.date(2026, 3, 15)


@pytest.fixture
def make_counsellor(session: Session):  # type: ignore[no-untyped-def]
    def make(login: str, full_name: str | None = None) -> Counsellor:
        person = counsellors.create_counsellor(
            session, login=login, full_name=full_name or login.title(), office="Werkwinkel Gent"
        )
        session.commit()
        return person

    return make


@pytest.fixture
def lead(session: Session, make_counsellor):  # type: ignore[no-untyped-def]
    """A team lead of the same office, as acting counsellor (reassigns referents)."""
    from app.models.enums import CounsellorRole
    from tests.helpers import actor

    person = make_counsellor("lea", "Lea Lead")
    person.role = CounsellorRole.TEAM_LEAD
    session.commit()
    return actor(person)
