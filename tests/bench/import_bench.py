"""`make bench`, importing: a sheet of IMPORT_ROWS new clients into a copy of the 100,000-client
file, committed in batches, while another process saves a contact every 50 ms — the import's
throughput, its batches, and the longest any of those saves waited for the write lock."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.bench.run_bench import BENCH_DIR, ROOT

IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "5000"))
WRITE_EVERY_S = 0.05


def _writer(url: str) -> None:
    """The other process: a contact at the desk every 50 ms until stdin closes; then the
    number of saves, the longest (ms) and the failures as JSON."""
    import selectors

    from app.db import open_database
    from app.services.contact import contacts
    from app.services.privacy.access import Actor

    database = open_database(url, create=False)
    waits: list[float] = []
    failures = 0
    stdin = selectors.DefaultSelector()
    stdin.register(sys.stdin, selectors.EVENT_READ)
    with database.sessions() as session:
        actor = Actor.load(session, 1)
        while True:
            start = time.perf_counter()
            try:
                contacts.log(session, actor, 1, channel="phone", outcome="reached", at_desk=True)
                session.commit()
                waits.append((time.perf_counter() - start) * 1000)
            except Exception:  # reported as a failed save: the figure this bench is about
                session.rollback()
                failures += 1
            if len(waits) + failures == 1:
                print("ready", flush=True)
            if stdin.select(timeout=WRITE_EVERY_S):
                break
    database.close()
    print(json.dumps({"writes": len(waits), "longest_ms": max(waits, default=0.0),
                      "failures": failures}), flush=True)  # fmt: skip


def _copy(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    dst.close()
    src.close()


def _import(url: str, sheet_path: Path) -> tuple[float, int, int]:
    """Seconds, rows imported and transactions committed, in this process."""
    from sqlalchemy import event

    from app.db import open_database
    from app.services.privacy.access import Actor
    from app.services.reliability import client_import, spreadsheet

    database = open_database(url, create=False)
    commits = 0

    def committed(_session: object) -> None:
        nonlocal commits
        commits += 1

    sheet = spreadsheet.read(sheet_path)
    event.listen(database.engine, "commit", committed)  # real commits, not savepoints
    with database.sessions() as session:
        actor = Actor.load(session, 1)
        start = time.perf_counter()
        report = client_import.import_sheet(
            session, sheet, client_import.guess_mapping(sheet.headers), actor=actor,
            referent_id=actor.counsellor_id, today=dt.date.today(),
        )  # fmt: skip
        seconds = time.perf_counter() - start
    database.close()
    return seconds, len(report.imported), commits


def run(plain: Path) -> dict[str, float]:
    with tempfile.TemporaryDirectory(dir=BENCH_DIR) as work:
        copy = Path(work) / "import.db"
        _copy(plain, copy)
        url = f"sqlite:///{copy}"
        sheet = Path(work) / "sheet.csv"
        rows = [f"Import{i};Bench{i};{1 + i % 28:02d}/{1 + i % 12:02d}/19{50 + i % 50};Gent"
                for i in range(IMPORT_ROWS)]  # fmt: skip
        sheet.write_text("Voornaam;Achternaam;Geboortedatum;Gemeente\n" + "\n".join(rows))
        writer = subprocess.Popen([sys.executable, "-m", "tests.bench.import_bench", "--writer", url],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT)  # fmt: skip
        assert writer.stdin is not None and writer.stdout is not None
        if writer.stdout.readline().strip() != "ready":
            raise SystemExit("the writing process did not start")
        seconds, imported, commits = _import(url, sheet)
        writer.stdin.close()
        other = json.loads(writer.stdout.read().strip().splitlines()[-1])
        writer.wait()
    batches = commits - 1  # the last commit makes the import final
    figures = {"import_rows_per_s": imported / seconds, "import_seconds": seconds,
               "import_batches": batches, "import_other_writes": other["writes"],
               "import_other_longest_wait_ms": other["longest_ms"],
               "import_other_failures": other["failures"]}  # fmt: skip
    print(f"import of {IMPORT_ROWS} rows into a copy of the demo file: {imported / seconds:.0f} rows/s "
          f"({seconds:.1f} s, {batches} batches of ≤500 rows or 0.5 s)")  # fmt: skip
    print(f"another process saving a contact every 50 ms meanwhile: {other['writes']} saves, longest "
          f"{other['longest_ms']:.0f} ms, {other['failures']} failed (target: none failed, none ≥ 5,000 ms)")  # fmt: skip
    return figures


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--writer":
        _writer(sys.argv[2])
