"""`make bench`, team server part, against the bundled PostgreSQL:

- `server import-file` of the 100,000-client encrypted bench file: time and counts;
- on that server, search keystrokes as a counsellor (row-level security applies) and opening
  client files as a team lead;
- 20 counsellors as separate processes for 60 s, searching, opening and editing, a third of
  their edits on 30 files they all opened at the desk: p95 of each action, edits
  acknowledged, conflicts shown, and lost updates, counted exactly: each edit adds one to a
  counter in a field, so a file's final count must equal the edits acknowledged on it.

Run alone with `python -m tests.bench.team_bench`.
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tests.bench.run_bench import BENCH_DIR, CLIENTS, ROOT, percentile

ADMIN = {"TRAJECT_USER": "bench", "TRAJECT_PASSWORD": "bench account password"}
PASSWORD = "a counsellor's password"
COUNSELLORS = int(os.environ.get("BENCH_COUNSELLORS", "20"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "60"))
HOT = 30  # files every counsellor works on


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    full = {**os.environ, "TRAJECT_LANG": "en", **env}
    result = subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True,
                            text=True, env=full, cwd=ROOT, check=False)  # fmt: skip
    if result.returncode:
        raise SystemExit(f"traject {' '.join(args)}: {result.stderr}")
    return result


def run() -> dict[str, Any]:
    from app import bundled_server

    encrypted = BENCH_DIR / f"big-{CLIENTS}-encrypted.db"
    if not encrypted.exists():
        raise SystemExit(f"{encrypted} is made by the encrypted part of the bench first")
    folder = BENCH_DIR / "pg"
    shutil.rmtree(folder, ignore_errors=True)  # a fresh server each run: the move is measured
    folder.mkdir(parents=True)
    folder.chmod(0o755)
    cluster = bundled_server.ensure_cluster(folder / "data")
    running = bundled_server.start(cluster, bundled_server.free_port())
    superuser = {"PGPASSWORD": cluster.superuser_password}
    try:
        return _measure(running, superuser, encrypted)
    finally:
        running.stop()


def _measure(running: Any, superuser: dict[str, str], encrypted: Path) -> dict[str, Any]:
    figures: dict[str, Any] = {}
    admin_url = running.url("postgres")
    _cli("server", "init", "--db", admin_url, "--org", "Bench", **superuser, **ADMIN)
    start = time.perf_counter()
    moved = _cli("server", "import-file", str(encrypted), "--db", admin_url, **superuser, **ADMIN)
    figures["server_import_file_s"] = time.perf_counter() - start
    print(f"server import-file of the {CLIENTS}-client encrypted file: "
          f"{figures['server_import_file_s']:.1f} s — {moved.stdout.splitlines()[0]}")  # fmt: skip
    logins = _accounts(running.url(), superuser)
    # keystrokes as a counsellor (their caseload through row-level security), files as a lead
    for who, label in ((logins[0], "counsellor"), ("lead", "team lead")):
        url = running.url(who)
        child = subprocess.run([sys.executable, "-m", "tests.bench.run_bench", "--in-process", url],
                               capture_output=True, text=True, check=False, cwd=ROOT,
                               env={**os.environ, "PGPASSWORD": PASSWORD})  # fmt: skip
        if child.returncode:
            raise SystemExit(child.stderr)
        got = json.loads(child.stdout.strip().splitlines()[-1])
        figures[f"server_{label.replace(' ', '_')}"] = got
        print(f"team server, as a {label}: search keystroke median {got['keystroke_median_ms']:.1f} ms, "
              f"p95 {got['keystroke_p95_ms']:.1f} ms (goal p95 ≤ 30); opening a client p95 "
              f"{got['open_client_p95_ms']:.1f} ms (goal ≤ 50)")  # fmt: skip
    figures.update(_crowd(running, logins))
    return figures


def _accounts(url: str, superuser: dict[str, str]) -> list[str]:
    """Accounts for 20 of the file's counsellors, and a team lead over every office."""
    from sqlalchemy import select

    from app.db import open_database
    from app.models import Counsellor
    from app.models.enums import CounsellorRole
    from app.services.privacy.access import Actor
    from app.services.team import accounts

    database = open_database(url.replace("postgresql://", "postgresql://bench@"),
                             password=bytearray(ADMIN["TRAJECT_PASSWORD"].encode()))  # fmt: skip
    try:
        with database.sessions() as session:
            admin = session.scalar(select(Counsellor).where(Counsellor.login == "bench"))
            assert admin is not None
            actor = Actor.load(session, admin.id)
            logins = list(session.scalars(select(Counsellor.login).where(
                Counsellor.login != "bench", Counsellor.role == CounsellorRole.COUNSELLOR)
                .order_by(Counsellor.id).limit(COUNSELLORS)))  # fmt: skip
            for login in logins:
                accounts.add_account(
                    session, actor, login=login, full_name=login, password=PASSWORD
                )
            accounts.add_account(session, actor, login="lead", full_name="Lea Lead",
                                 password=PASSWORD, role=CounsellorRole.TEAM_LEAD)  # fmt: skip
            session.commit()
    finally:
        database.close()
    del superuser
    return logins


def _crowd(running: Any, logins: list[str]) -> dict[str, Any]:
    from sqlalchemy import select

    from app.models import Client

    with _superuser_db(running) as db, db.sessions() as session:
        hot = list(session.scalars(select(Client.id).order_by(Client.id).limit(HOT)))
        for client in session.scalars(select(Client).where(Client.id.in_(hot))):
            client.key_person = "0"
        session.commit()
    go = BENCH_DIR / "pg" / "go"
    children = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tests.bench.team_child",
                running.url(login),
                json.dumps(hot),
                str(go),
                str(SECONDS),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env={**os.environ, "PGPASSWORD": PASSWORD},
        )
        for login in logins
    ]
    for child in children:
        assert child.stdout is not None
        line = child.stdout.readline().strip()
        if line != "ready":
            raise SystemExit(
                f"a counsellor process did not start: {line} {child.stderr.read() if child.stderr else ''}"
            )
    go.touch()
    results = []
    for child in children:
        out, err = child.communicate(timeout=SECONDS + 120)
        if child.returncode:
            raise SystemExit(err)
        results.append(json.loads(out.strip().splitlines()[-1]))
    acked: dict[str, int] = {}
    for result in results:
        for client, count in result["acked"].items():
            acked[client] = acked.get(client, 0) + count
    with _superuser_db(running) as db, db.sessions() as session:
        rows = session.execute(select(Client.id, Client.key_person).where(Client.id.in_(hot)))
        final = dict(rows.all())
    lost = sum(acked.get(str(c), 0) - int((final[c] or "0").split(":")[0]) for c in hot)
    figures: dict[str, Any] = {"crowd_processes": len(logins), "crowd_seconds": SECONDS}
    for action in ("search", "open", "edit"):
        times = [t for r in results for t in r[action]]
        figures[f"crowd_{action}_p95_ms"] = percentile(times, 0.95)
        figures[f"crowd_{action}_median_ms"] = statistics.median(times)
        figures[f"crowd_{action}_count"] = len(times)
    figures["crowd_edits_acknowledged"] = sum(acked.values())
    figures["crowd_conflicts_shown"] = sum(r["conflicts"] for r in results)
    figures["crowd_lost_updates"] = lost
    print(f"{len(logins)} counsellors as processes for {SECONDS:.0f} s: "
          + ", ".join(f"{a} p95 {figures[f'crowd_{a}_p95_ms']:.0f} ms ({figures[f'crowd_{a}_count']})"
                      for a in ("search", "open", "edit"))
          + f"; edits acknowledged {figures['crowd_edits_acknowledged']}, conflicts shown "
          f"{figures['crowd_conflicts_shown']}, lost updates {lost} (goal 0)")  # fmt: skip
    return figures


@contextmanager
def _superuser_db(running: Any) -> Iterator[Any]:
    from app.db import open_database

    db = open_database(running.url("postgres"),
                       password=bytearray(running.cluster.superuser_password.encode()))  # fmt: skip
    try:
        yield db
    finally:
        db.close()


if __name__ == "__main__":
    BENCH_DIR.mkdir(exist_ok=True)
    print(json.dumps(run(), indent=2, default=str))
