"""`make bench`, backups: on the 100,000-client files, plain and encrypted — the check after
start, a backup (copy, check, archive), verifying and restoring it into a fresh folder, and how
long the window's event loop waits at worst while a backup runs on its worker thread."""

from __future__ import annotations

import itertools
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.bench.run_bench import BENCH_DIR, CLIENTS

TICK_MS = 10  # the window's timer while a backup runs; a long gap is a frozen window


def _timed(work: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def _key(path: Path) -> bytearray | None:
    if not path.name.endswith("encrypted.db"):
        return None
    from app.services.privacy import vault as vault_service
    from app.services.privacy.login_throttle import LoginThrottle
    from tests.bench.encrypted import ACCOUNT

    vault = vault_service.sign_in(
        path, ACCOUNT["TRAJECT_USER"], ACCOUNT["TRAJECT_PASSWORD"], LoginThrottle()
    )
    try:
        return vault.copy_key()
    finally:
        vault.lock()


def _event_loop_gaps(path: Path, key: bytearray | None, target: Path) -> tuple[float, float]:
    """The backup on a `FileJob` while a 10 ms timer ticks on the main thread: the longest
    wait between ticks, and the backup's time."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    from app.services.reliability import backups
    from app.ui.reliability.file_jobs import FileJob

    app = QApplication.instance() or QApplication([])
    ticks: list[float] = []
    timer = QTimer(interval=TICK_MS)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    loop = QEventLoop()
    job = FileJob(
        lambda progress: backups.create(path, bytearray(key) if key else None, target, progress)
    )
    job.finished.connect(loop.quit)
    start = time.perf_counter()
    timer.start()
    job.start()
    loop.exec()
    timer.stop()
    seconds = time.perf_counter() - start
    del app
    gaps = [b - a for a, b in itertools.pairwise(ticks)]
    return (max(gaps) * 1000 if gaps else 0.0), seconds


def _one(path: Path, label: str) -> dict[str, float]:
    from app import db_files
    from app.services.reliability import backups
    from app.services.reliability.startup_check import check_at_start

    key = _key(path)
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(dir=BENCH_DIR) as work:
        folder = Path(work)
        check_s, health = _timed(
            lambda: check_at_start(path, bytearray(key) if key else None, folder)
        )
        assert health.ok, health.detail
        archive = folder / backups.auto_name("bench")
        backup_s, manifest = _timed(
            lambda: backups.create(path, bytearray(key) if key else None, archive)
        )
        verify_s, _manifest = _timed(lambda: backups.verify(archive))
        fresh = folder / "fresh"
        fresh.mkdir()
        restored_path = fresh / "traject.db"

        def unlock(keys: Any) -> bytearray:
            from tests.bench.encrypted import ACCOUNT

            return keys.unlock(ACCOUNT["TRAJECT_USER"], ACCOUNT["TRAJECT_PASSWORD"])

        restore_s, _restored = _timed(
            lambda: backups.restore(archive, restored_path, unlock if key else None)
        )
        same = (
            db_files.check_file(restored_path, bytearray(key) if key else None) == manifest.tables
        )
        gap_ms, job_s = _event_loop_gaps(path, key, folder / backups.auto_name("gui"))
        size_mb = archive.stat().st_size / 1e6
    figures.update({f"{label}_start_check_s": check_s, f"{label}_backup_s": backup_s,
                    f"{label}_verify_s": verify_s, f"{label}_restore_s": restore_s,
                    f"{label}_backup_mb": size_mb, f"{label}_longest_tick_gap_ms": gap_ms,
                    f"{label}_backup_in_window_s": job_s})  # fmt: skip
    print(f"{label}: start-up check {check_s:.2f} s; backup {backup_s:.2f} s ({size_mb:.0f} MB, "
          f"{manifest.tables.get('clients', 0)} clients); verify {verify_s:.2f} s; restore into a fresh folder "
          f"{restore_s:.2f} s, counts {'identical' if same else 'DIFFERENT'}")  # fmt: skip
    print(f"{label}: backup on the worker thread {job_s:.2f} s; longest wait of the window's {TICK_MS} ms timer "
          f"meanwhile {gap_ms:.0f} ms")  # fmt: skip
    return figures


def run(plain: Path) -> dict[str, float]:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    figures = _one(plain, "plain")
    encrypted = BENCH_DIR / f"big-{CLIENTS}-encrypted.db"
    if encrypted.exists():
        figures.update(_one(encrypted, "encrypted"))
    return figures
