"""The team server from the command line, as an organisation's IT would set one up: a file
caseload moved onto a fresh server (every row, the audit trail as a verified segment), the
file's counsellors given accounts, and the commands working as those accounts."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import func, select, text

from app.models import Client, Counsellor, ImportedAuditEntry
from app.services.demo import generator as demo
from app.services.privacy import access, audit
from app.services.privacy.access import Actor
from app.services.privacy.keyfile import KdfParams
from app.services.privacy.vault import create as create_vault
from tests.server_fixtures import TeamServer

PASSWORD = "a long enough password"
FAST = KdfParams(time_cost=1, memory_cost=1024, parallelism=1)

pytestmark = pytest.mark.slow


def traject(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TRAJECT_LANG": "en", **env}
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True,
                          env=full_env, timeout=300, check=False)  # fmt: skip


@pytest.fixture
def fresh(team_server: TeamServer) -> Iterator[tuple[str, str]]:
    """An empty database on the server (no schema yet), and a unique admin login."""
    name = f"x{os.getpid()}{dt.datetime.now().strftime('%H%M%S%f')}"
    with team_server.admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    admin = f"ada{name}"
    yield name, admin
    team_server.drop_database(name)
    with team_server.admin() as conn:
        for (role,) in conn.execute("SELECT rolname FROM pg_roles WHERE rolname LIKE %s",
                                    (f"%{name}",)).fetchall():  # fmt: skip
            conn.execute(f'DROP ROLE "{role}"')


def make_file(path: Path, admin: str) -> tuple[int, str]:
    vault, _recovery = create_vault(path, organisation="Werkwinkel Gent", login=admin,
                                    full_name="Ada Admin", password=PASSWORD, params=FAST)  # fmt: skip
    assert vault.database is not None
    with vault.database.sessions() as session:
        demo.generate(session, 80, seed=4, today=dt.date(2026, 6, 30))
        session.commit()
        colleague = session.scalars(select(Counsellor).where(Counsellor.login != admin)).first()
        assert colleague is not None
        client = session.scalar(select(Client.id).limit(1))
        assert client is not None
        access.break_glass(session, Actor.load(session, colleague.id), client,
                           "At the desk, asks about her letter")  # fmt: skip
        session.commit()
        login = colleague.login
        with vault.database.engine.connect() as conn:
            entries = audit.count(conn)
    vault.lock()
    return entries, login


def test_a_file_moves_onto_a_fresh_server_whole(
    team_server: TeamServer, fresh: tuple[str, str], tmp_path: Path
) -> None:  # fmt: skip
    name, admin = fresh
    path = tmp_path / "traject.db"
    entries, colleague = make_file(path, admin)
    superuser = {"PGPASSWORD": team_server.superuser_password}
    server_url = team_server.url(name)  # postgresql://postgres@localhost:PORT/NAME
    as_admin = {"TRAJECT_USER": admin, "TRAJECT_PASSWORD": PASSWORD}
    done = traject("server", "init", "--db", server_url, "--org", "Werkwinkel Gent", **superuser,
                   **as_admin)  # fmt: skip
    assert done.returncode == 0, done.stderr
    moved = traject("server", "import-file", str(path), "--db", server_url, **superuser, **as_admin)
    assert moved.returncode == 0, moved.stderr
    entries += 1  # signing in to the file for the move is in its trail too
    assert "80 clients" in moved.stdout and f"audit trail of {entries} entries" in moved.stdout
    again = traject("server", "import-file", str(path), "--db", server_url, **superuser, **as_admin)
    assert again.returncode == 1 and "already holds clients" in again.stderr

    server = team_server.open(name)
    with server.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Client)) == 80
        assert session.scalar(select(func.count()).select_from(ImportedAuditEntry)) == entries
        assert audit.verify(session.connection()) == []
        # a superuser who removes an imported entry behind Traject's back is found out
        session.execute(text("SET LOCAL session_replication_role = replica"))
        session.execute(text("DELETE FROM audit_imported WHERE entry_id = 2"))
        problems = audit.verify(session.connection())
        assert any(p.startswith("Imported audit trail 1:") for p in problems)
        session.rollback()
    server.close()

    # the file's colleague gets an account and works as themselves
    added = traject("user", "add", colleague, "--db", team_server.url(name, None), **as_admin,
                    TRAJECT_NEW_PASSWORD=PASSWORD)  # fmt: skip
    assert added.returncode == 0, added.stderr
    listed = traject("clients", "--format", "csv", "--db", team_server.url(name, None),
                     TRAJECT_USER=colleague, TRAJECT_PASSWORD=PASSWORD)  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    with psycopg.connect(host="localhost", port=team_server.running.port, dbname=name,
                         user=colleague, password=PASSWORD) as conn:  # fmt: skip
        seen = conn.execute("SELECT count(*) FROM clients").fetchone()
    assert seen is not None and 0 < seen[0] < 80  # their caseload, not everyone's


def test_a_server_set_up_by_someone_else_is_refused_unchanged(
    team_server: TeamServer, fresh: tuple[str, str], tmp_path: Path
) -> None:  # fmt: skip
    name, admin = fresh
    path = tmp_path / "traject.db"
    make_file(path, admin)
    superuser = {"PGPASSWORD": team_server.superuser_password}
    other = {"TRAJECT_USER": f"bob{name}", "TRAJECT_PASSWORD": PASSWORD}
    done = traject("server", "init", "--db", team_server.url(name), "--org", "W", **superuser,
                   **other)  # fmt: skip
    assert done.returncode == 0, done.stderr
    moved = traject("server", "import-file", str(path), "--db", team_server.url(name), **superuser,
                    TRAJECT_USER=admin, TRAJECT_PASSWORD=PASSWORD)  # fmt: skip
    assert moved.returncode == 1 and f"bob{name}" in moved.stderr
    server = team_server.open(name)
    with server.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Client)) == 0
    server.close()


def test_check_on_the_server_needs_the_whole_trail_and_exports_its_head(
    team_server: TeamServer, fresh: tuple[str, str], tmp_path: Path
) -> None:  # fmt: skip
    name, admin = fresh
    superuser = {"PGPASSWORD": team_server.superuser_password}
    as_admin = {"TRAJECT_USER": admin, "TRAJECT_PASSWORD": PASSWORD}
    done = traject("server", "init", "--db", team_server.url(name), "--org", "W", **superuser,
                   **as_admin)  # fmt: skip
    assert done.returncode == 0, done.stderr
    counsellor = f"cas{name}"
    added = traject("user", "add", counsellor, "--db", team_server.url(name, None), **as_admin,
                    TRAJECT_NEW_PASSWORD=PASSWORD)  # fmt: skip
    assert added.returncode == 0, added.stderr
    head = tmp_path / "head.json"
    checked = traject("check", "--export-head", str(head), "--db", team_server.url(name, None),
                      **as_admin)  # fmt: skip
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Team server (PostgreSQL)" in checked.stdout and "chain intact" in checked.stdout
    assert "UNENCRYPTED" not in checked.stdout
    exported = json.loads(head.read_text(encoding="utf-8"))["audit_head"]
    assert exported["id"] == 2 and len(exported["hash"]) == 64  # init's admin, then the new one
    assert head.stat().st_mode & 0o777 == 0o600
    refused = traject("check", "--db", team_server.url(name, None), TRAJECT_USER=counsellor,
                      TRAJECT_PASSWORD=PASSWORD)  # fmt: skip
    assert refused.returncode == 1 and "team lead or an administrator" in refused.stderr


def test_keys_reserved_for_a_laptop_are_never_handed_out_by_the_server(
    team_server: TeamServer, fresh: tuple[str, str]
) -> None:  # fmt: skip
    from app.services.caseload import clients
    from app.services.team import sequences, setup

    name, admin = fresh
    from app.db import make_engine

    engine = make_engine(team_server.url(name),
                         password=bytearray(team_server.superuser_password.encode()))  # fmt: skip
    try:
        setup.initialise(engine, organisation="W", login=admin, full_name="Ada", password=PASSWORD)
    finally:
        engine.dispose()
    server = team_server.open(name)
    with server.sessions() as session:
        block = sequences.reserve(session, "clients", 1000)
        session.commit()
        ada = Actor.load(session, session.scalar(select(Counsellor.id)))  # type: ignore[arg-type]
        made = [clients.create_client(session, {"given_name": "Jan", "family_name": f"P{n}"},
                                      actor=ada, referent_id=ada.counsellor_id).id
                for n in range(5)]  # fmt: skip
        session.commit()
    server.close()
    assert block.last - block.first == 999
    assert not any(block.first <= key <= block.last for key in made)


def test_a_pilot_server_filled_with_a_demo_gives_each_account_a_share(
    team_server: TeamServer, fresh: tuple[str, str]
) -> None:  # fmt: skip
    name, admin = fresh
    superuser = {"PGPASSWORD": team_server.superuser_password}
    as_admin = {"TRAJECT_USER": admin, "TRAJECT_PASSWORD": PASSWORD}
    assert traject("server", "init", "--db", team_server.url(name), "--org", "Pilot", **superuser,
                   **as_admin).returncode == 0  # fmt: skip
    as_account = traject("demo", "--clients", "60", "--db", team_server.url(name, None), **as_admin)
    assert as_account.returncode == 1 and "superuser" in as_account.stderr  # RLS: not as admin
    filled = traject("demo", "--clients", "60", "--seed", "2", "--db", team_server.url(name),
                     **superuser)  # fmt: skip
    assert filled.returncode == 0, filled.stderr
    mine = traject("clients", "--format", "csv", "--db", team_server.url(name, None), **as_admin)
    assert mine.returncode == 0 and len(mine.stdout.strip().splitlines()) > 1  # a share
    added = traject("clients", "--db", team_server.url(name, None), **as_admin)  # still works
    assert added.returncode == 0
    server = team_server.open(name)
    with server.sessions() as session:  # the sequences are past the demo's keys
        from app.services.caseload import clients as client_service

        ada = Actor.load(session, session.scalar(select(Counsellor.id).where(
            Counsellor.login == admin)))  # type: ignore[arg-type]  # fmt: skip
        made = client_service.create_client(session, {"given_name": "Nieuw", "family_name": "X"},
                                            actor=ada, referent_id=ada.counsellor_id)  # fmt: skip
        session.commit()
        assert made.id > 60
    server.close()


def test_server_run_says_how_to_reach_it_and_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    import signal
    import socket

    from app import bundled_server

    data = tmp_path / "pilot"
    tmp_path.chmod(0o755)  # run as root, the server's own user reaches its folder
    port = bundled_server.free_port()
    server = subprocess.Popen([sys.executable, "-m", "app.cli", "server", "run", "--data", str(data),
                               "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True, env={**os.environ, "TRAJECT_LANG": "en"})  # fmt: skip
    try:
        assert server.stdout is not None
        said = [server.stdout.readline() for _line in range(5)]
        assert f"postgresql://localhost:{port}/traject" in "".join(said)
        with socket.create_connection(("localhost", port), timeout=5):
            pass  # it listens
        password = (data / "superuser-password").read_text(encoding="utf-8").strip()
        assert (data / "superuser-password").stat().st_mode & 0o777 == 0o600
        with psycopg.connect(host="localhost", port=port, dbname="traject", user="postgres",
                             password=password) as conn:  # fmt: skip
            row = conn.execute("SELECT datcollate, datctype FROM pg_database "
                               "WHERE datname = 'traject'").fetchone()  # fmt: skip
            assert row is not None and row[0] == "C"  # names sort as in the file
        with pytest.raises(psycopg.OperationalError):  # never "trust": a password is needed
            psycopg.connect(host="localhost", port=port, dbname="traject", user="postgres",
                            password="wrong")  # fmt: skip
        server.send_signal(signal.SIGINT)  # Ctrl+C
        out, _err = server.communicate(timeout=60)
        assert server.returncode == 0 and "The team server stopped." in out
        with pytest.raises(OSError):
            socket.create_connection(("localhost", port), timeout=2)
    finally:
        if server.poll() is None:
            server.kill()
