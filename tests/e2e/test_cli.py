"""End-to-end runs of the `traject` command in real subprocesses."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from app import __version__
from app.models import Client
from app.models.text import words

pytestmark = pytest.mark.slow


def traject(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TRAJECT_LANG": "en", **(env or {})}
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True,
                          env=full_env, timeout=120, check=False)  # fmt: skip


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    result = traject(
        "demo", "--clients", "1500", "--seed", "3", "--as-of", "2026-06-30", "--db", url
    )
    assert result.returncode == 0, result.stderr
    assert "Created 1500 clients" in result.stdout
    return url


def all_clients(url: str) -> list[Client]:
    engine = create_engine(url)
    with Session(engine) as session:
        people = list(session.scalars(select(Client)))
    engine.dispose()
    return people


def test_version() -> None:
    result = traject("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"Traject {__version__}"


@pytest.mark.parametrize(
    ("query", "name"), [("yilmaz", "yilmaz"), ("lukasz", "lukasz"), ("ayse", "ayse")]
)
def test_search_finds_every_match(demo_db: str, query: str, name: str) -> None:
    result = traject("clients", "--search", query, "--format", "json", "--db", demo_db)
    assert result.returncode == 0, result.stderr
    found = {r["dossier"] for r in json.loads(result.stdout)}
    expected = {c.dossier for c in all_clients(demo_db)
                if any(w.startswith(name) for w in words(f"{c.given_name} {c.family_name}"))}  # fmt: skip
    assert expected and found >= expected
    records = json.loads(result.stdout)
    assert set(records[0]) >= {"dossier", "given_name", "family_name", "birth_date", "referent"}


def test_dossier_and_phone_digits_find_the_client(demo_db: str) -> None:
    someone = all_clients(demo_db)[123]
    by_dossier = json.loads(
        traject("clients", "--search", someone.dossier, "--format", "json", "--db", demo_db).stdout
    )
    assert [r["dossier"] for r in by_dossier] == [someone.dossier]
    by_phone = json.loads(
        traject(
            "clients", "--search", someone.phone[-6:], "--format", "json", "--db", demo_db
        ).stdout
    )
    assert someone.dossier in {r["dossier"] for r in by_phone}


def test_csv_has_the_same_columns(demo_db: str) -> None:
    result = traject("clients", "--search", "nour", "--format", "csv", "--db", demo_db)
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and set(rows[0]) >= {
        "dossier",
        "given_name",
        "family_name",
        "birth_date",
        "referent",
    }


def test_check_says_ok(demo_db: str) -> None:
    result = traject("check", "--db", demo_db)
    assert result.returncode == 0, result.stdout
    assert "Check: ok" in result.stdout and "1,500 clients." in result.stdout


def test_demo_refuses_a_database_that_holds_clients(demo_db: str) -> None:
    result = traject("demo", "--clients", "5", "--db", demo_db)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "already holds 1500 clients" in result.stderr
    assert len(all_clients(demo_db)) == 1500


def test_missing_database_is_a_one_line_failure(tmp_path: Path) -> None:
    result = traject("clients", "--db", f"sqlite:///{tmp_path / 'nothing.db'}")
    assert result.returncode == 1
    assert result.stderr.startswith("traject: No database at") and result.stderr.count("\n") == 1
    assert not (tmp_path / "nothing.db").exists()


def test_db_from_the_environment(demo_db: str) -> None:
    result = traject(
        "clients", "--search", "lukasz", "--format", "json", env={"TRAJECT_DB": demo_db}
    )
    assert result.returncode == 0 and json.loads(result.stdout)


def test_headless_commands_do_not_load_widgets(demo_db: str) -> None:
    code = ("import sys, contextlib, io; from app.cli import main\n"
            f"with contextlib.redirect_stdout(io.StringIO()): main(['clients', '--db', {demo_db!r}])\n"
            "print('PySide6.QtWidgets' in sys.modules)")  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def test_screenshot_of_caseload_and_client(demo_db: str, tmp_path: Path) -> None:
    dossier = all_clients(demo_db)[0].dossier
    for view, name in (("caseload", "caseload.png"), (f"client:{dossier}", "client.png")):
        target = tmp_path / name
        result = traject("--screenshot", str(target), "--view", view, "--db", demo_db)
        assert result.returncode == 0, result.stderr
        assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and target.stat().st_size > 20_000
    bad = traject(
        "--screenshot", str(tmp_path / "x.png"), "--view", "client:T-1999-000000", "--db", demo_db
    )
    assert bad.returncode == 1 and "No client with dossier number" in bad.stderr
