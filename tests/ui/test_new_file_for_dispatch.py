"""A counsellor who is not going to follow a new client leaves the file to the team leads'
dispatch inbox from "New client"; a backup's last day reads the way people say it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.i18n import format_date
from app.models import Client
from app.services.caseload import assignments, clients
from app.services.clock import local_today
from app.ui.caseload.assignment_box import AssignmentBox
from app.ui.caseload.dialogs import NewClientDialog
from tests.helpers import actor


def test_a_new_file_can_wait_in_the_dispatch_inbox(
    qtbot: QtBot, database: Any, session: Any, make_counsellor: Any
) -> None:
    anna = make_counsellor("anna", "Anna Aerts")
    dialog = NewClientDialog(database.sessions, actor(anna))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.edits["given_name"], "Selam")
    qtbot.keyClicks(dialog.edits["family_name"], "Tesfaye")
    dialog.referent.setFocus()
    assert dialog.referent.currentText().startswith("Anna Aerts")  # who creates it, by default
    qtbot.keyClick(dialog.referent, Qt.Key.Key_Down)  # the last choice: nobody yet
    assert dialog.referent.currentText() == "Nobody yet: it waits in the dispatch inbox"
    qtbot.keyClick(dialog.edits["family_name"], Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.waiting_dossier is not None)
    assert dialog.file_id is None  # not opened: the team leads have it now
    made = session.query(Client).filter_by(dossier=dialog.waiting_dossier).one()
    assert assignments.current_referent(session, made.id) is None


def test_the_backup_line_gives_the_last_day_included(
    qtbot: QtBot, database: Any, session: Any, make_counsellor: Any
) -> None:
    anna, bert = make_counsellor("anna", "Anna Aerts"), make_counsellor("bert", "Bert Claes")
    client = clients.create_client(session, {"given_name": "Amal", "family_name": "Aziz"},
                                   actor=actor(anna), referent_id=anna.id)  # fmt: skip
    today = local_today()
    assignments.set_backup(session, client.id, bert.id, actor=actor(anna),
                           until=today + dt.timedelta(days=8))  # stored: the first day without  # fmt: skip
    session.commit()
    box = AssignmentBox(database.sessions, lambda: actor(anna))
    qtbot.addWidget(box)
    box.show_client(client.id)
    last = format_date(today + dt.timedelta(days=7))
    assert last in box.backup.text() and "Bert Claes" in box.backup.text()
    assert box.history.item(0, 3).text() == last  # the newest period first: the backup
