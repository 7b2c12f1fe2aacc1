"""A full disk while saving: the counsellor is told, what they typed stays in the form, and
what was saved before is untouched. The disk fills up the way the driver reports it: SQLite's
SQLITE_FULL ("database or disk is full"), or an OSError with errno 28."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit
from pytestqt.qtbot import QtBot
from sqlalchemy import event, func, select

from app.db import Database
from app.models import Client
from app.services.caseload import clients
from app.ui.caseload.dialogs import NewClientDialog
from app.ui.main_window import MainWindow
from tests.helpers import actor
from tests.ui.test_caseload_window import open_by_keyboard


def sqlite_full() -> Exception:
    error = sqlite3.OperationalError("database or disk is full")
    error.sqlite_errorcode = 13  # type: ignore[attr-defined]
    return error


@contextmanager
def disk_full(database: Database, error: Callable[[], Exception]) -> Iterator[None]:
    """Every statement that writes fails while the disk is full."""

    def refuse_writes(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            raise error()

    event.listen(database.engine, "before_cursor_execute", refuse_writes)
    try:
        yield
    finally:
        event.remove(database.engine, "before_cursor_execute", refuse_writes)


def test_a_full_disk_while_editing_a_field_keeps_the_typing_and_the_saved_value(
    qtbot: QtBot,
    window: MainWindow,
    session,
    caseload,
    database: Database,  # type: ignore[no-untyped-def]
) -> None:
    made, _anna, _bart = caseload
    open_by_keyboard(qtbot, window, "nour")
    municipality: QLineEdit = window.panel.fields["municipality"].editor  # type: ignore[assignment]
    municipality.setFocus()
    qtbot.keyClicks(municipality, "Gent")
    qtbot.keyClick(municipality, Qt.Key.Key_Tab)
    with disk_full(database, sqlite_full):
        municipality.setFocus()
        municipality.selectAll()
        qtbot.keyClicks(municipality, "Antwerpen")
        qtbot.keyClick(municipality, Qt.Key.Key_Tab)
    message: QLabel = window.panel.fields["municipality"].message
    assert message.isVisible() and "The disk is full" in message.text()
    assert municipality.text() == "Antwerpen"  # the typing stays
    session.expire_all()
    assert clients.get_client(session, made["Nour"].id).municipality == "Gent"

    municipality.setFocus()  # space freed: the same edit now saves
    qtbot.keyClick(municipality, Qt.Key.Key_Return)
    session.expire_all()
    assert clients.get_client(session, made["Nour"].id).municipality == "Antwerpen"


def test_a_full_disk_while_creating_a_client_keeps_the_form(
    qtbot: QtBot,
    session,
    caseload,
    database: Database,  # type: ignore[no-untyped-def]
) -> None:
    _made, anna, _bart = caseload
    before = session.scalar(select(func.count()).select_from(Client))
    dialog = NewClientDialog(database.sessions, actor(anna))
    qtbot.addWidget(dialog)
    dialog.edits["given_name"].setText("Olena")
    dialog.edits["family_name"].setText("Kovalenko")
    with disk_full(database, lambda: OSError(28, "No space left on device")):
        dialog._submit()
    assert dialog.created_id is None and "The disk is full" in dialog.general_error.text()
    assert dialog.edits["given_name"].text() == "Olena"
    assert session.scalar(select(func.count()).select_from(Client)) == before
    dialog._submit()  # space freed
    assert dialog.created_id is not None


def test_a_busy_caseload_while_editing_a_field_keeps_the_typing(
    qtbot: QtBot,
    window: MainWindow,
    session,
    caseload,
    database: Database,  # type: ignore[no-untyped-def]
) -> None:
    """Another process (an import) holds the write lock past the busy timeout: the edit is not
    lost in a crash dialog; the field says the caseload is busy and keeps what was typed."""
    from app.db import sqlite_path
    from tests.helpers_busy import write_lock_held

    made, _anna, _bart = caseload
    open_by_keyboard(qtbot, window, "nour")
    municipality: QLineEdit = window.panel.fields["municipality"].editor  # type: ignore[assignment]
    path = sqlite_path(str(database.engine.url))
    assert path is not None
    with write_lock_held(path):
        municipality.setFocus()
        qtbot.keyClicks(municipality, "Gent")
        qtbot.keyClick(municipality, Qt.Key.Key_Tab)
        message: QLabel = window.panel.fields["municipality"].message
        assert message.isVisible() and "The caseload is busy" in message.text()
        assert municipality.text() == "Gent"
    municipality.setFocus()  # the import is done: the same edit now saves
    qtbot.keyClick(municipality, Qt.Key.Key_Return)
    session.expire_all()
    assert clients.get_client(session, made["Nour"].id).municipality == "Gent"
