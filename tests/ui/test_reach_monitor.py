"""The reach monitor as a team lead uses it, with the keyboard: the figures are the service's,
the period is typed, and Enter on a silent client opens that client."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from app.db import Database
from app.i18n import format_number
from app.models.enums import CounsellorRole
from app.services.clock import local_now
from app.services.contact import reach
from app.services.demo import generator as demo
from app.services.privacy.access import Actor
from app.ui.contact.reach_view import ReachDialog, rate_text

LEAD = Actor(1, CounsellorRole.TEAM_LEAD, None)


def test_the_monitor_by_keyboard(qtbot: QtBot, database: Database, session: Session) -> None:
    demo.generate(session, 400, seed=3, today=dt.date.today())
    session.commit()
    dialog = ReachDialog(database.sessions, lambda: LEAD)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    expected = reach.report(session, LEAD, now=local_now(), limit=300)
    assert rate_text(expected.total.reached, expected.total.clients) in dialog.summary.text()
    rates = dialog.rates.model()
    assert rates.rowCount() == 1 + len(expected.by_counsellor)
    assert rates.data(rates.index(0, 1)) == rate_text(
        expected.total.reached, expected.total.clients
    )
    assert rates.data(rates.index(0, 0), Qt.ItemDataRole.FontRole).bold()  # "Everyone" first, bold
    assert format_number(expected.silent_count) in dialog.silent_title.text()
    silent = dialog.silent.model()
    assert silent.rowCount() == len(expected.silent) > 1
    assert [silent.data(silent.index(r, 0)) for r in range(silent.rowCount())] == [
        s.dossier for s in expected.silent
    ]

    dialog.days.setFocus()  # the period, typed: "Not reached in the last 7 days"
    dialog.days.selectAll()
    qtbot.keyClicks(dialog.days, "7")
    QTest.keyClick(dialog.days, Qt.Key.Key_Tab)
    week = reach.report(session, LEAD, days=7, now=local_now(), limit=300)
    assert dialog.days.value() == 7 and week.silent_count > expected.silent_count
    assert format_number(week.silent_count) in dialog.silent_title.text()

    opened: list[int] = []
    dialog.open_client.connect(opened.append)
    dialog.silent.setFocus()
    dialog.silent.setCurrentIndex(silent.index(0, 0))
    QTest.keyClick(dialog.silent, Qt.Key.Key_Down)
    QTest.keyClick(dialog.silent, Qt.Key.Key_Return)
    assert opened == [week.silent[1].client_id]
