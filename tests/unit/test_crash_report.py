"""The crash report and the log: where the error happened and the system's own words, never
what a counsellor typed; the log rotates in its folder; faulthandler writes hard crashes."""

from __future__ import annotations

import logging
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app import crash_report

SECRET = "Ayşe Yılmaz 90.03.14-045.88"


@pytest.fixture
def log_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    enabled: list[object] = []
    monkeypatch.setattr(crash_report.faulthandler, "enable", enabled.append)  # pytest has its own
    monkeypatch.setattr(crash_report, "_fault_file", None)
    logger = logging.getLogger(crash_report.LOGGER)
    handlers = list(logger.handlers)
    folder = tmp_path / "logs"
    yield folder
    for handler in logger.handlers[len(handlers) :]:
        handler.close()
        logger.removeHandler(handler)
    assert enabled, "faulthandler was not turned on"
    if crash_report._fault_file is not None:
        crash_report._fault_file.close()


def _raised(exc: BaseException) -> BaseException:
    try:
        raise exc
    except BaseException as caught:
        return caught


def test_a_report_says_where_and_what_kind_but_not_the_message() -> None:
    exc = _raised(ValueError(f"could not parse {SECRET}"))
    report = crash_report.describe(type(exc), exc, exc.__traceback__, {"Qt": "6.8"})
    assert "builtins.ValueError: (message withheld" in report
    assert "tests/unit/test_crash_report.py:" in report and "in _raised" in report
    assert "Qt 6.8" in report and report.startswith("Traject ")
    assert SECRET not in report and "Ayşe" not in report


def test_a_database_error_keeps_sqlites_words_and_drops_the_values(session: Session) -> None:
    session.execute(text("CREATE TABLE people (nn TEXT UNIQUE)"))
    session.execute(text("INSERT INTO people VALUES (:nn)"), {"nn": SECRET})
    try:
        session.execute(text("INSERT INTO people VALUES (:nn)"), {"nn": SECRET})
    except IntegrityError as caught:
        exc = caught
    session.rollback()
    report = crash_report.describe(type(exc), exc, exc.__traceback__)
    assert "IntegrityError: UNIQUE constraint failed: people.nn" in report
    assert SECRET not in report


def test_a_disk_error_keeps_the_reason_not_the_file_name() -> None:
    exc = _raised(OSError(28, "No space left on device", "/home/anna/Ayşe Yılmaz.pdf"))
    report = crash_report.describe(type(exc), exc, exc.__traceback__)
    assert "[Errno 28] No space left on device" in report and "Ayşe" not in report


def test_uncaught_errors_go_to_the_log_and_to_the_person(log_folder: Path) -> None:
    log_file = crash_report.start_logging(log_folder)
    shown: list[tuple[str, BaseException]] = []
    uninstall = crash_report.install(lambda report, exc: shown.append((report, exc)))
    try:
        exc = _raised(KeyError(SECRET))
        sys.excepthook(type(exc), exc, exc.__traceback__)
    finally:
        uninstall()
    assert sys.excepthook is not None and shown and shown[0][1] is exc
    for handler in logging.getLogger(crash_report.LOGGER).handlers:
        handler.flush()
    logged = log_file.read_text(encoding="utf-8")
    assert "Traject" in logged and "builtins.KeyError" in logged and SECRET not in logged


def test_the_log_rotates(log_folder: Path) -> None:
    log_file = crash_report.start_logging(log_folder)
    logger = logging.getLogger(crash_report.LOGGER)
    for n in range(30_000):
        logger.info("line %d of a long day %s", n, "x" * 80)
    files = sorted(p.name for p in log_folder.glob(crash_report.LOG_NAME + "*"))
    assert files == [
        "traject.log",
        "traject.log.1",
        "traject.log.2",
        "traject.log.3",
        "traject.log.4",
    ]
    assert log_file.stat().st_size <= crash_report.LOG_BYTES


def test_a_hard_crash_leaves_a_trace(tmp_path: Path) -> None:
    child = (
        "import ctypes, pathlib, sys; from app import crash_report; "
        f"crash_report.start_logging(pathlib.Path({str(tmp_path)!r})); ctypes.string_at(0)"
    )
    result = subprocess.run([sys.executable, "-c", child], capture_output=True, timeout=60)
    assert result.returncode != 0
    trace = (tmp_path / crash_report.FAULT_NAME).read_text(encoding="utf-8")
    assert "Fatal Python error: Segmentation fault" in trace
