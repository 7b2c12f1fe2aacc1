"""An encrypted caseload in the window: first start, sign-in, and the lock that hides clients."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.services.caseload import clients
from app.services.privacy import vault as vault_service
from app.services.privacy.access import Actor
from app.services.privacy.keyfile import KdfParams
from app.ui.main_window import MainWindow
from app.ui.ui_settings import UiSettings

FAST = KdfParams(time_cost=1, memory_cost=1024, parallelism=1)
PASSWORD = "correct horse battery"


@pytest.fixture(autouse=True)
def _fast_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """Slots made by the dialogs use cheap parameters here (real ones take ~0.4 s each)."""
    monkeypatch.setattr("app.ui.privacy.first_start.calibrate", lambda: FAST)
    monkeypatch.setattr("app.ui.privacy.sign_in.calibrate", lambda: FAST)


@pytest.fixture
def vault(tmp_path: Path) -> Iterator[vault_service.Vault]:
    made, _key = vault_service.create(tmp_path / "c.db", organisation="Werkwinkel Gent",
                                      login="anna", full_name="Anna Aerts", password=PASSWORD,
                                      params=FAST)  # fmt: skip
    assert made.database is not None
    with made.database.sessions() as session:
        made.add_account(session, login="bart", full_name="Bart Baert",
                         password="bart's password", params=FAST)  # fmt: skip
        for given in ("Ayşe", "Nour", "Jan"):
            clients.create_client(session, {"given_name": given, "family_name": "Yılmaz"},
                                  referent_id=made.counsellor_id, today=dt.date(2026, 3, 1),
                                  actor=Actor.load(session, made.counsellor_id))  # fmt: skip
        session.commit()
    yield made
    made.lock()


@pytest.fixture
def window(qtbot: QtBot, vault: vault_service.Vault, tmp_path: Path) -> MainWindow:
    assert vault.database is not None
    win = MainWindow(vault.database, UiSettings(tmp_path / "ui.ini"), vault)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def sign_in(qtbot: QtBot, form, login: str, password: str) -> None:  # type: ignore[no-untyped-def]
    form.login.setText(login)
    form.password.setFocus()
    qtbot.keyClicks(form.password, password)
    qtbot.keyClick(form.password, Qt.Key.Key_Return)


def test_ctrl_l_hides_every_client_and_another_counsellor_unlocks(
    qtbot: QtBot, window: MainWindow, vault: vault_service.Vault, tmp_path: Path
) -> None:
    assert window.model.rowCount() == 3
    assert "Werkwinkel Gent" in window.windowTitle()
    assert window.counsellor.currentText() == "Anna Aerts" and not window.counsellor.isEnabled()
    window.search.setText("yilmaz")
    window.open_client(window.model.client_id(0))  # type: ignore[arg-type]
    window.warm_up()  # reading pages into the cache, a step per idle moment
    assert window.cache_warmer.running
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked and vault.database is None
    assert not window.cache_warmer.running  # no step runs on a closed database
    assert window.model.rowCount() == 0
    assert (
        window.locking.lock_screen is not None
        and window.stack.currentWidget() is window.locking.lock_screen
    )
    assert not window.search.isVisible() and not window.table.isVisible()
    assert window.file.panel is None  # the open file is gone, not only hidden
    window.grab().save(str(tmp_path / "locked.png"))
    form = window.locking.lock_screen.form
    sign_in(qtbot, form, "bart", "not bart's password")
    assert window.locked and "not correct" in form.message.text()
    sign_in(qtbot, form, "bart", "bart's password")
    assert not window.locked
    assert window.model.rowCount() == 3 and window.table.isVisible()
    assert window.counsellor.currentText() == "Bart Baert"  # working as whoever unlocked
    assert window.cache_warmer.running
    qtbot.waitUntil(lambda: not window.cache_warmer.running, timeout=5000)  # every step ran


def test_idle_time_locks_the_window(qtbot: QtBot, window: MainWindow) -> None:
    watcher = window.findChild(type(window.locking.idle))
    assert watcher is window.locking.idle
    window.locking.idle._timer.setInterval(50)  # minutes in real life
    window.locking.idle._timer.start()
    qtbot.waitUntil(lambda: window.locked, timeout=2000)
    assert window.model.rowCount() == 0


def test_login_dialog_says_what_is_wrong_and_opens_with_the_right_password(
    qtbot: QtBot, vault: vault_service.Vault
) -> None:
    from app.ui.privacy.sign_in import LoginDialog

    vault.lock()
    dialog = LoginDialog(vault_service.locked(vault.path))
    qtbot.addWidget(dialog)
    dialog.show()
    sign_in(qtbot, dialog.form, "anna", "wrong password")
    assert dialog.form.message.text() == "The login or password is not correct."
    assert dialog.form.password.text() == "" and dialog.form.login.text() == "anna"
    assert not dialog.result()
    sign_in(qtbot, dialog.form, "anna", PASSWORD)
    assert dialog.result() and not dialog.vault.locked
    dialog.vault.lock()


def test_first_start_creates_the_caseload_and_shows_the_recovery_key_once(
    qtbot: QtBot, tmp_path: Path
) -> None:
    from pypdf import PdfReader

    from app.ui.privacy.first_start import FirstStartDialog, RecoveryKeyDialog

    dialog = FirstStartDialog(tmp_path / "new.db")
    qtbot.addWidget(dialog)
    for name, value in {"organisation": "OCMW Sint-Gillis", "full_name": "Olena Kovalenko",
                        "login": "olena", "password": "long enough password",
                        "password_repeat": "long enough typo"}.items():  # fmt: skip
        dialog.edits[name].setText(value)
    dialog._submit()
    assert dialog.errors["password_repeat"].text().startswith("Repeat the password:")
    assert not (tmp_path / "new.db").exists()
    dialog.edits["password_repeat"].setText("long enough password")
    dialog._submit()
    assert dialog.result() and dialog.vault is not None
    assert dialog.vault.organisation == "OCMW Sint-Gillis"
    key = RecoveryKeyDialog(dialog.vault.organisation, dialog.recovery_key)
    qtbot.addWidget(key)
    key.reject()  # Esc does not skip the key before it is stored
    assert key.isVisible() or not key.result()
    key.write_pdf(tmp_path / "sheet.pdf")
    reader = PdfReader(tmp_path / "sheet.pdf")
    text = reader.pages[0].extract_text()
    assert dialog.recovery_key[:14] in text and "OCMW Sint-Gillis" in text
    assert "Olena" not in str(reader.metadata) and reader.metadata.title == "Traject recovery key"
    dialog.vault.lock()


def test_the_lock_closes_every_window_and_clears_search_and_clipboard(
    qtbot: QtBot, window: MainWindow
) -> None:
    from PySide6.QtWidgets import QApplication

    from app.ui.clipboard import copy_text

    window.activity.show_agenda()
    agenda = window.activity.agenda_window
    assert agenda is not None and agenda.isVisible()
    window.search.setText("yilmaz")
    copy_text("Ayşe Yılmaz — outcome table")
    window.locking.lock()
    assert window.locked
    shown = [w for w in QApplication.topLevelWidgets() if w.isVisible() and w is not window]
    assert shown == []
    assert window.activity.agenda_window is None and window.search.text() == ""
    assert QApplication.clipboard().text() == ""


def test_a_counsellors_own_clipboard_text_survives_the_lock(
    qtbot: QtBot, window: MainWindow
) -> None:
    from PySide6.QtWidgets import QApplication

    QApplication.clipboard().setText("copied from the mail program")
    window.locking.lock()
    assert QApplication.clipboard().text() == "copied from the mail program"


def test_after_the_lock_no_session_left_behind_can_read(
    window: MainWindow, vault: vault_service.Vault
) -> None:
    from sqlalchemy import text

    assert vault.database is not None
    left_behind = vault.database.sessions()
    assert left_behind.execute(text("SELECT count(*) FROM clients")).scalar() == 3
    left_behind.commit()
    mid_transaction = vault.database.sessions()  # holds its connection through the lock
    assert mid_transaction.execute(text("SELECT count(*) FROM clients")).scalar() == 3
    window.locking.lock()
    for session in (left_behind, mid_transaction):
        with pytest.raises(Exception, match=r"locked|not a database|closed|invalid"):
            session.execute(text("SELECT count(*) FROM clients")).scalar()
        session.close()


def test_the_lock_succeeds_while_another_process_writes(
    qtbot: QtBot, window: MainWindow, vault: vault_service.Vault
) -> None:
    """An import holds the write lock: the window still locks at once, and the LOCK entry is
    written at the next sign-in."""
    import time

    from app.models.enums import AuditAction
    from app.services.privacy import audit
    from tests.helpers_busy import write_lock_held

    key = bytes(vault.copy_key())
    with write_lock_held(vault.path, key):
        started = time.monotonic()
        window.locking.lock()
        assert window.locked and vault.database is None
        assert time.monotonic() - started < 3  # the busy timeout is 5 s
    form = window.locking.lock_screen.form  # type: ignore[union-attr]
    sign_in(qtbot, form, "anna", PASSWORD)
    assert not window.locked and vault.database is not None
    with vault.database.sessions() as session:
        actions = [row.action for row in audit.entries(session, limit=3)]
    assert AuditAction.LOCK in actions
    qtbot.waitUntil(lambda: not window.cache_warmer.running, timeout=5000)


def test_no_idle_lock_in_the_middle_of_an_import(qtbot: QtBot, window: MainWindow) -> None:
    """The import dialog lets events through between batches; an idle lock there would close
    the database under a batch. The lock waits until the import has ended."""
    from app.ui.reliability import import_dialog

    assert window.locking.idle is not None
    window.locking.idle._timer.setInterval(50)
    seen_while_importing: list[bool] = []

    def choose_file(self) -> bool:  # type: ignore[no-untyped-def]
        return True

    def run(self) -> int:  # type: ignore[no-untyped-def]
        qtbot.wait(300)  # six idle intervals of events while "importing"
        seen_while_importing.append(window.locked)
        return 0

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(import_dialog.ImportDialog, "choose_file", choose_file)
        patch.setattr(import_dialog.ImportDialog, "exec", run)
        window.backups.import_clients()
    assert seen_while_importing == [False]
    qtbot.waitUntil(lambda: window.locked, timeout=2000)  # and it locks again afterwards


def test_a_lock_during_the_letters_of_the_week_waits_for_the_batch(
    qtbot: QtBot, window: MainWindow, vault: vault_service.Vault, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """The batch draws its progress (the event loop turns) with its session open: a lock then
    (idle time) waits until the batch has committed, and locks right after."""
    from PySide6.QtCore import QTimer
    from sqlalchemy import func, select

    from app.models import AuditEntry
    from app.models.enums import AuditAction
    from app.services.privacy import audit
    from app.services.referrals.letters import batch

    monkeypatch.setattr("app.ui.window.referrals.QFileDialog.getExistingDirectory",
                        lambda *a, **k: str(tmp_path))  # fmt: skip
    monkeypatch.setattr("app.ui.window.referrals.QMessageBox.information", lambda *a, **k: None)
    seen_while_writing: list[bool] = []

    def write_week(session, actor, folder, day, progress, cancelled):  # type: ignore[no-untyped-def]
        # what the real batch does for each letter: a PRINT entry in the caller's session
        audit.record(session, AuditAction.PRINT, counsellor_id=actor.counsellor_id, detail="letter")
        QTimer.singleShot(0, window.locking.lock)  # the idle watcher fires meanwhile
        progress(1, 2)  # the event loop turns here
        seen_while_writing.append(window.locked)
        result = batch.BatchResult()
        result.written.append(folder / "referral-1-partner-nl.pdf")
        return result

    monkeypatch.setattr(batch, "write_week", write_week)
    window.referrals.letters_of_the_week()
    assert seen_while_writing == [False]
    assert window.locked  # once the batch was done
    from app.services.privacy.login_throttle import LoginThrottle

    vault.unlock("anna", PASSWORD, LoginThrottle())  # to look: the batch's entry was kept
    assert vault.database is not None
    with vault.database.sessions() as session:
        printed = session.scalar(select(func.count()).select_from(AuditEntry)
                                 .where(AuditEntry.action == AuditAction.PRINT))  # fmt: skip
    assert printed == 1


def test_a_lock_while_the_desk_is_open_leaves_the_window_locked_without_an_error(
    qtbot: QtBot, window: MainWindow, vault: vault_service.Vault
) -> None:
    from PySide6.QtCore import QTimer

    QTimer.singleShot(300, window.locking.lock)  # idle time, while the desk waits for visitors
    window.activity.show_desk()  # returns once the lock closed the desk
    assert window.locked and window.model.rowCount() == 0


def test_a_lock_while_an_appointment_is_open_from_the_agenda_leaves_no_error(
    qtbot: QtBot, window: MainWindow, vault: vault_service.Vault
) -> None:
    from zoneinfo import ZoneInfo

    from PySide6.QtCore import QTimer

    from app.models.agenda_enums import AppointmentChannel, AppointmentPurpose
    from app.services.contact import appointments
    from app.services.contact.appointments import Draft

    zone = ZoneInfo("Europe/Brussels")
    with window.sessions() as session:
        me = Actor.load(session, vault.counsellor_id)  # type: ignore[arg-type]
        start = dt.datetime.now(zone).replace(minute=0, second=0, microsecond=0) + dt.timedelta(
            hours=1
        )
        made = appointments.plan(session, me, Draft(window.model.client_id(0), me.counsellor_id, start, 60,  # type: ignore[arg-type]
                                                    AppointmentChannel.PHONE, AppointmentPurpose.FOLLOW_UP))  # fmt: skip
        session.commit()
        appointment_id = made.id
    window.activity.show_agenda()
    agenda = window.activity.agenda_window
    assert agenda is not None
    QTimer.singleShot(300, window.locking.lock)
    agenda.open_appointment(appointment_id)  # returns once the lock closed the dialog
    assert window.locked
