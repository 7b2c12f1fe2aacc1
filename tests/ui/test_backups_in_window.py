"""Backups from the caseload window: the check after start, the automatic daily backup (on a
worker thread, with its progress in the status bar), the offer to restore when the file is
damaged, and a restore that closes the database, swaps it and asks to be opened again."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from app import db_files
from app.db import open_database, sqlite_path
from app.models import AuditEntry, Client, Counsellor
from app.models.enums import AuditAction, CounsellorRole
from app.services.caseload import clients
from app.services.clock import local_today
from app.services.reliability import backup_rotation, backups
from app.ui.main_window import MainWindow
from tests.helpers import actor


@pytest.fixture
def folder(tmp_path: Path, window: MainWindow) -> Path:
    path = tmp_path / "usb-stick"
    path.mkdir()
    window.settings.set("backup/folder", str(path))
    return path


def _count(session, model) -> int:  # type: ignore[no-untyped-def]
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_after_start_the_file_is_checked_and_backed_up_once_a_day(
    qtbot: QtBot, window: MainWindow, folder: Path
) -> None:
    window.backups.start_upkeep()
    qtbot.waitUntil(lambda: "Backup made" in window.statusBar().currentMessage(), timeout=20000)
    assert window.backups.health is not None and window.backups.health.ok
    made = backup_rotation.found(folder)
    assert len(made) == 1 and made[0].automatic
    manifest = backups.verify(made[0].path)
    assert manifest.tables["clients"] == 5
    assert not window.backups.progress.isVisible()
    with window.sessions() as session:
        assert (
            _count(session, AuditEntry)
            and session.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc()).limit(1))
            == AuditAction.BACKUP
        )
    window.backups.automatic_backup()  # the same day again: nothing new
    assert window.backups.job is not None and not window.backups.job.isRunning()
    assert len(backup_rotation.found(folder)) == 1


def test_a_missing_backup_folder_is_said_in_the_status_bar_not_created(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    stick = tmp_path / "unplugged"
    window.settings.set("backup/folder", str(stick))
    window.backups.start_upkeep()
    qtbot.waitUntil(lambda: window.backups.health is not None, timeout=20000)
    assert not stick.exists()
    window.backups.run_backup(stick / backups.auto_name("auto"), automatic=True)
    qtbot.waitUntil(lambda: "automatic backup failed" in window.statusBar().currentMessage(),
                    timeout=20000)  # fmt: skip
    assert not stick.exists()


def _make_admin(window: MainWindow, counsellor_id: int) -> None:
    """Restoring is for administrators: the counsellor at work in the window becomes one."""
    with window.sessions() as session:
        person = session.get(Counsellor, counsellor_id)
        assert person is not None and window.acting_counsellor_id() == counsellor_id
        person.role = CounsellorRole.ADMIN
        session.commit()


def _click_in_modal(button_text: str, seen: list[str]) -> QTimer:
    """Click `button_text` in the message box once it shows (the check runs on a thread)."""
    timer = QTimer(interval=20)

    def click() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            return
        timer.stop()
        seen.append(box.text())
        for button in box.buttons():
            if button.text().replace("&", "") == button_text:
                button.click()
                return
        box.reject()
        raise AssertionError(f"no button {button_text}")

    timer.timeout.connect(click)
    timer.start()
    return timer


def test_a_damaged_file_offers_the_newest_good_backup_and_restores_it(
    qtbot: QtBot,
    window: MainWindow,
    folder: Path,
    monkeypatch: pytest.MonkeyPatch,
    caseload,
    db_url: str,
) -> None:  # type: ignore[no-untyped-def]
    path = sqlite_path(db_url)
    assert path is not None
    _made, anna, _bart = caseload
    _make_admin(window, anna.id)
    good = backups.create(path, None, folder / backups.auto_name("auto"))
    with window.sessions() as session:
        clients.create_client(session, {"given_name": "Zoë", "family_name": "Later"},
                              referent_id=anna.id, today=local_today(), actor=actor(anna))  # fmt: skip
        session.commit()

    check_file = db_files.check_file

    def damaged_once(*args: object, **kwargs: object) -> dict[str, int]:
        """The start-up check finds damage; the restore's own check of the backup runs."""
        monkeypatch.setattr(db_files, "check_file", check_file)
        raise db_files.Damaged("Tree 7 page 12: btreeInitPage() returns error code 11")

    monkeypatch.setattr(db_files, "check_file", damaged_once)
    seen: list[str] = []
    clicker = _click_in_modal("Restore this backup", seen)
    window.backups.start_upkeep()
    qtbot.waitUntil(lambda: window.restoring.reopen_requested, timeout=20000)
    clicker.stop()
    assert "Tree 7 page 12" in seen[0] and "5 clients" in seen[0]
    assert window.database_closed and not window.isVisible()
    assert window.restoring.reopen_note.startswith("Restored the backup of")
    monkeypatch.undo()
    reopened = open_database(db_url)
    try:
        with reopened.sessions() as session:
            assert _count(session, Client) == good.tables["clients"] == 5  # Zoë came later
    finally:
        reopened.close()
    # the check was simulated, so the file still reads: it was backed up before the restore
    (before,) = folder.glob("*before-restore*")
    assert backups.verify(before).tables["clients"] == 6


def test_restore_from_the_menu_backs_up_the_current_caseload_first(
    qtbot: QtBot,
    window: MainWindow,
    folder: Path,
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
    caseload,
) -> None:  # type: ignore[no-untyped-def]
    path = sqlite_path(db_url)
    assert path is not None
    archive = folder / "traject-2026-11-02-090000-manual.trajectbackup"
    _made, anna, _bart = caseload
    _make_admin(window, anna.id)
    backups.create(path, None, archive)
    with window.sessions() as session:
        clients.create_client(session, {"given_name": "Zoë", "family_name": "Later"},
                              referent_id=anna.id, today=local_today(), actor=actor(anna))  # fmt: skip
        session.commit()
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(archive), ""))
    seen: list[str] = []
    window.activity.show_agenda()
    agenda = window.activity.agenda_window
    assert agenda is not None and agenda.isVisible()
    clicker = _click_in_modal("Yes", seen)
    window.backups.restore_action.trigger()
    assert not agenda.isVisible()  # it read the database that was swapped
    assert window.activity.agenda_window is None
    clicker.stop()
    assert "Anything entered after the backup is lost" in seen[0]
    assert window.restoring.reopen_requested and window.database_closed
    before = list(folder.glob("*before-restore*"))
    assert len(before) == 1 and backups.verify(before[0]).tables["clients"] == 6
    reopened = open_database(db_url)
    try:
        reopened_window = MainWindow(reopened, window.settings)
        qtbot.addWidget(reopened_window)
        reopened_window.restoring.note_restore(
            window.restoring.reopen_note, window.restoring.restored_detail
        )
        with reopened_window.sessions() as session:
            assert _count(session, Client) == 5
            last = session.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc()).limit(1))
        assert last == AuditAction.RESTORE
        assert reopened_window.statusBar().currentMessage().startswith("Restored the backup of")
        reopened_window.close()
    finally:
        reopened.close()


def test_a_counsellor_is_told_that_restoring_is_for_administrators(
    qtbot: QtBot, window: MainWindow, folder: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = sqlite_path(db_url)
    assert path is not None
    archive = folder / "traject-2026-11-02-090000-manual.trajectbackup"
    backups.create(path, None, archive)
    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(archive), ""))
    seen: list[str] = []
    clicker = _click_in_modal("OK", seen)
    window.backups.restore_action.trigger()
    clicker.stop()
    assert seen == ["Only an administrator can restore a backup; ask one to do it."]
    assert not window.database_closed and not window.restoring.reopen_requested


@pytest.mark.slow
def test_a_restore_from_the_window_is_refused_while_another_process_has_the_file_open(
    qtbot: QtBot,
    window: MainWindow,
    folder: Path,
    db_url: str,
    monkeypatch: pytest.MonkeyPatch,
    caseload,
) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    from tests.unit.restore_child import CHILD, ROOT

    path = sqlite_path(db_url)
    assert path is not None
    _made, anna, _bart = caseload
    _make_admin(window, anna.id)
    archive = folder / "traject-2026-11-02-090000-manual.trajectbackup"
    backups.create(path, None, archive)
    with window.sessions() as session:
        clients.create_client(session, {"given_name": "Zoë", "family_name": "Later"},
                              referent_id=anna.id, today=local_today(), actor=actor(anna))  # fmt: skip
        session.commit()
    other = subprocess.Popen([*CHILD, "hold", db_url], cwd=ROOT, text=True,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)  # fmt: skip
    assert other.stdout is not None and other.stdin is not None
    try:
        assert other.stdout.readline().strip() == "open"
        window.restoring.restore_backup(archive, backups.verify(archive))
    finally:
        other.kill()
        other.wait()
        other.stdin.close()
        other.stdout.close()
    assert window.restoring.reopen_requested and window.restoring.restored_detail is None
    assert (
        "is open in Traject or another command; close it and try again"
        in window.restoring.reopen_note
    )
    reopened = open_database(db_url)
    try:
        with reopened.sessions() as session:
            assert _count(session, Client) == 6  # Zoë is still there
    finally:
        reopened.close()


def test_a_backup_ending_during_an_import_writes_its_entry_after_it_without_waiting(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    """An import keeps its write transaction open while the event loop turns; the backup's
    audit entry then waits for the import instead of waiting on SQLite's lock and failing."""
    import datetime as dt
    import time
    from types import SimpleNamespace

    from app.services.privacy import audit

    manifest = SimpleNamespace(tables={"clients": 5}, created=dt.datetime.now(dt.UTC),
                               traject_version="x")  # fmt: skip
    with window.long_actions.keeping_open(), window.sessions() as batch:
        audit.record(batch, AuditAction.CHANGE, counsellor_id=None, detail="an imported row")
        batch.flush()  # the import's rows written, not yet committed: SQLite's write lock held
        started = time.monotonic()
        window.backups._backed_up(manifest, tmp_path / "b.traject-backup", False)  # type: ignore[arg-type]
        assert time.monotonic() - started < 1
        batch.commit()
    with window.sessions() as session:
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.id.desc()).limit(2))
        assert list(actions) == [AuditAction.BACKUP, AuditAction.CHANGE]
