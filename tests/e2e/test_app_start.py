"""`traject` opened as a counsellor opens it, in a process of its own: the log starts in the user
log folder, the file is checked after the window shows, and the day's automatic backup lands in
the backup folder; the log names none of the clients."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.services.reliability import backups
from tests.e2e.test_cli import traject

pytestmark = pytest.mark.slow

CHILD = """
import sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from app.ui import application
from app.ui.main_window import MainWindow

app = application.make_qt_app()
waited = []

def watch():
    waited.append(1)
    shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow)]
    message = shown[0].statusBar().currentMessage() if shown else ""
    if "Backup made" in message or len(waited) > 600:
        print("STATUS:", message, flush=True)
        for window in shown:
            window.close()
        return
    QTimer.singleShot(50, watch)

QTimer.singleShot(0, watch)
sys.exit(application.run_app(sys.argv[1], "en"))
"""


def test_the_app_logs_checks_and_backs_up_after_start(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'caseload.db'}"
    made = traject("demo", "--clients", "40", "--seed", "2", "--db", url)
    assert made.returncode == 0, made.stderr
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_STATE_HOME": str(tmp_path / "state"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config")}  # fmt: skip
    run = subprocess.run([sys.executable, "-c", CHILD, url], capture_output=True, text=True,
                         env=env, timeout=120, check=False)  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert "STATUS: Backup made:" in run.stdout and "40 clients" in run.stdout
    (backup,) = (tmp_path / "data" / "Traject" / "backups").glob("*-auto" + backups.SUFFIX)
    assert backups.verify(backup).tables["clients"] == 40
    log = (tmp_path / "state" / "Traject" / "log" / "traject.log").read_text(encoding="utf-8")
    assert "started" in log and "Start-up check passed" in log and "Backup made (automatic)" in log
    names = traject("clients", "--format", "csv", "--db", url)
    family_names = {
        line.split(",")[2] for line in names.stdout.splitlines()[1:] if line.count(",") > 2
    }
    assert family_names and not any(name in log for name in family_names if len(name) > 3)
    assert (tmp_path / "state" / "Traject" / "log" / "crash-trace.log").exists()
