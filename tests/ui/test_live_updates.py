"""On a team server, what a colleague commits in another process shows in the window within
two seconds, without a restart: a new client, a reassignment, an appointment for today."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from pytestqt.qtbot import QtBot

from app.db import Database
from app.ui.main_window import MainWindow
from tests.server_fixtures import TeamServer

LIVE_MS = 2000

pytestmark = pytest.mark.parametrize("backend", ["postgresql"])


def colleague(database: Database, server: TeamServer, *args: str) -> None:
    """Another counsellor's process: runs to its commit, then ends."""
    url = database.engine.url.render_as_string(hide_password=True)
    env = {**os.environ, "PGPASSWORD": server.superuser_password}
    subprocess.run([sys.executable, "-m", *args[:1], url, *args[1:]], env=env, check=True,
                   capture_output=True, timeout=120)  # fmt: skip


def referents(window: MainWindow) -> list[str]:
    model = window.model
    return [model.index(r, 5).data() for r in range(model.rowCount())]


def test_a_colleagues_new_client_and_reassignment_show_without_a_restart(
    qtbot: QtBot, window: MainWindow, database: Database, team_server: TeamServer, caseload
) -> None:  # type: ignore[no-untyped-def]
    made, _anna, bart = caseload
    assert window.live.wait_until_listening()
    rows = window.model.rowCount()
    colleague(database, team_server, "tests.unit.commit_child", "1")
    qtbot.waitUntil(lambda: window.model.rowCount() == rows + 1, timeout=LIVE_MS)
    colleague(database, team_server, "tests.ui.live_child", "reassign", str(made["Jan"].id),
              str(bart.id))  # fmt: skip
    qtbot.waitUntil(lambda: "Bart Baert" in referents(window), timeout=LIVE_MS)


def test_a_colleagues_appointment_shows_in_today_and_the_agenda(
    qtbot: QtBot, window: MainWindow, database: Database, team_server: TeamServer, caseload
) -> None:  # type: ignore[no-untyped-def]
    made, anna, _bart = caseload
    assert window.live.wait_until_listening()
    today = window.activity.today
    shown = today.count()
    window.activity.show_agenda()
    agenda = window.activity.agenda_window
    assert agenda is not None
    colleague(database, team_server, "tests.ui.live_child", "appointment", str(made["Nour"].id),
              str(anna.id))  # fmt: skip
    qtbot.waitUntil(lambda: today.count() > shown, timeout=LIVE_MS)
    assert any("Nour" in today.item(i).text() for i in range(today.count()))


def test_no_change_feed_stays_open_while_locked_or_closed(
    qtbot: QtBot, window: MainWindow, caseload
) -> None:  # type: ignore[no-untyped-def]
    assert window.live.wait_until_listening()
    window.close_database()
    assert not window.live.listening
