"""What the window saves is the counsellor's alone: the client's data export (JSON and PDF), the
agenda's calendar file, the interface settings and the `--screenshot` picture are 0600 under
the usual umask of 022, written whole, with no temporary file left beside them."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from app.ui.contact.agenda_window import AgendaWindow
from app.ui.main_window import MainWindow

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")


def modes(folder: Path) -> dict[str, int]:
    return {p.name: stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()}


@pytest.fixture
def umask_022() -> Iterator[None]:
    before = os.umask(0o022)
    yield
    os.umask(before)


def test_exports_and_calendar_saved_from_the_window_are_the_users_alone(
    qtbot: QtBot, window: MainWindow, session, caseload, tmp_path: Path, umask_022: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    made, anna, _bart = caseload
    window.counsellor.setCurrentIndex(window.counsellor.findData(anna.id))
    window.counsellor.activated.emit(window.counsellor.currentIndex())
    window.open_client(made["Ayşe"].id)
    chosen = tmp_path / "Documents"
    chosen.mkdir()
    for name, kind in (("ayse.json", "JSON"), ("ayse.pdf", "PDF")):
        target = str(chosen / name)
        monkeypatch.setattr(
            QFileDialog, "getSaveFileName", lambda *a, t=target, k=kind, **kw: (t, k)
        )
        window.panel.privacy.export.click()
    agenda = AgendaWindow(window.sessions, window.actor, window)
    qtbot.addWidget(agenda)
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *a, **k: (str(chosen / "agenda.ics"), ""))  # fmt: skip
    agenda.export()
    window.settings.sync()
    assert modes(chosen) == dict.fromkeys(("agenda.ics", "ayse.json", "ayse.pdf"), 0o600)
    assert "Yılmaz" in (chosen / "ayse.json").read_text(encoding="utf-8")
    assert stat.S_IMODE(window.settings.path.stat().st_mode) == 0o600


@pytest.mark.slow
def test_a_screenshot_is_the_users_alone_and_leaves_no_settings_behind(
    db_url: str, caseload, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    from tests.e2e.test_cli import traject

    shots = tmp_path / "shots"
    shots.mkdir()
    target = shots / "caseload.png"
    before = os.umask(0o022)
    try:
        result = traject("--screenshot", str(target), "--view", "caseload", "--db", db_url)
    finally:
        os.umask(before)
    assert result.returncode == 0, result.stderr
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert modes(shots) == {"caseload.png": 0o600}
