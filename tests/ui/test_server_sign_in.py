"""Signing in to a team server from the window: the login dialog connects as the counsellor's
own role; Ctrl+L closes every connection and forgets the password; a colleague signs in on
the lock screen; nothing about the file's recovery key is offered."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.db import make_engine
from app.models.enums import CounsellorRole
from app.services.privacy.access import Actor
from app.services.team import accounts, setup
from app.services.team.server_vault import ServerVault
from app.ui.main_window import MainWindow
from app.ui.privacy.sign_in import LoginDialog, SignInForm
from app.ui.ui_settings import UiSettings
from tests.server_fixtures import TeamServer

PASSWORD = "a long enough password"


@pytest.fixture
def server(team_server: TeamServer) -> Iterator[tuple[str, str, str]]:
    """A set-up server database with an administrator and a counsellor: its URL and logins."""
    name = team_server.new_database()
    ada, cas = f"ada{name}", f"cas{name}"
    engine = make_engine(team_server.url(name),
                         password=bytearray(team_server.superuser_password.encode()))  # fmt: skip
    try:
        setup.initialise(engine, organisation="Werkwinkel Gent", login=ada, full_name="Ada Admin",
                         password=PASSWORD)  # fmt: skip
    finally:
        engine.dispose()
    admin = team_server.open(name, ada, PASSWORD)
    with admin.sessions() as session:
        actor = Actor.load(session, accounts.counsellor_id_of(session, ada))
        accounts.add_account(session, actor, login=cas, full_name="Cas Consulent",
                             password=PASSWORD, role=CounsellorRole.COUNSELLOR)  # fmt: skip
        session.commit()
    admin.close()
    yield team_server.url(name, None), ada, cas
    team_server.drop_database(name)
    team_server.drop_role(ada)
    team_server.drop_role(cas)


def sign_in(qtbot: QtBot, form: SignInForm, login: str, password: str) -> None:
    form.login.setText(login)
    form.password.setFocus()
    qtbot.keyClicks(form.password, password)
    qtbot.keyClick(form.password, Qt.Key.Key_Return)


def test_the_login_dialog_signs_in_to_the_server_and_the_lock_forgets_it(
    qtbot: QtBot, server: tuple[str, str, str], tmp_path: Path
) -> None:
    url, ada, cas = server
    dialog = LoginDialog(ServerVault(url))
    qtbot.addWidget(dialog)
    assert dialog.forgot.isHidden()  # no recovery key on a server
    sign_in(qtbot, dialog.form, cas, "not the password")
    assert "refused the login or the password" in dialog.form.message.text()
    assert dialog.vault.locked  # type: ignore[attr-defined]
    sign_in(qtbot, dialog.form, cas, PASSWORD)
    vault = dialog.vault
    assert isinstance(vault, ServerVault) and not vault.locked
    assert vault.organisation == "Werkwinkel Gent"
    window = MainWindow(vault.database, UiSettings(tmp_path / "ui.ini"), vault)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.counsellor.currentText() == "Cas Consulent"
    assert not window.backups.backup_action.isEnabled()  # the server is backed up where it runs
    engine = vault.database.engine  # type: ignore[union-attr]
    window.locking.lock_action.trigger()  # Ctrl+L (the shortcut itself: test_sign_in_and_lock)
    assert window.locked and vault.database is None and vault._password is None
    assert engine.pool.checkedout() == 0 and not window.live.listening
    assert window.locking.lock_screen is not None
    sign_in(qtbot, window.locking.lock_screen.form, ada, PASSWORD)
    assert not window.locked and window.counsellor.currentText() == "Ada Admin"
    window.close_database()
    assert vault.database is None


def test_the_window_opens_on_a_server_from_the_environment(
    qtbot: QtBot, server: tuple[str, str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.ui.application import open_main_window

    url, _ada, cas = server
    monkeypatch.setenv("TRAJECT_USER", cas)
    monkeypatch.setenv("TRAJECT_PASSWORD", PASSWORD)
    window = open_main_window(url, UiSettings(tmp_path / "ui.ini"))
    qtbot.addWidget(window)
    assert isinstance(window.vault, ServerVault) and window.database.is_server
    window.close_database()
    assert os.environ["TRAJECT_USER"] == cas
