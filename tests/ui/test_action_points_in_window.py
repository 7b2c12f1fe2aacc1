"""Action points as a counsellor uses them with the keyboard: a new one from the file's list
(Ctrl+Shift+N), marked done with its outcome (Space on the row), a colleague's change in between
reported without losing what was typed; due ones in Today, which open the client; the caseload's
"overdue action points" and "referred by" filters."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from app.db import Database
from app.models import ActionPoint, Client
from app.models.enums import ActionPointStatus, ReferredBy
from app.services.caseload import action_points, clients
from app.services.clock import local_today
from app.ui.caseload.action_points_box import ActionPointsBox
from app.ui.caseload.today_list import TodayList
from app.ui.main_window import MainWindow
from tests.helpers import actor

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def when_modal(qtbot: QtBot, handle: Callable[[Any], None], failures: list[BaseException]) -> None:
    """Run `handle(dialog)` once a modal dialog is up; a failure closes it (no hang) and is
    kept for the test to raise."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None or not dialog.isVisible() or not dialog.isActiveWindow():
            QTimer.singleShot(10, poll)
            return
        try:
            handle(dialog)
        except BaseException as exc:
            failures.append(exc)
            dialog.reject()

    QTimer.singleShot(0, poll)


def _anna_and_ayse(session: Session, make_counsellor: Any) -> tuple[Any, int]:
    anna = make_counsellor("anna", "Anna Aerts")
    ayse = clients.create_client(session, {"given_name": "Ayşe", "family_name": "Yılmaz"},
                                 actor=actor(anna), referent_id=anna.id)  # fmt: skip
    session.commit()
    return anna, ayse.id


def _box(qtbot: QtBot, database: Database, who: Any, client_id: int) -> ActionPointsBox:
    box = ActionPointsBox(database.sessions, actor(who))
    qtbot.addWidget(box)
    box.show_client(client_id)
    box.resize(640, 400)
    box.show()
    qtbot.waitExposed(box)
    box.activateWindow()
    qtbot.waitUntil(box.isActiveWindow)  # a window shortcut needs its window active
    return box


def test_a_new_point_and_done_with_its_outcome_from_the_keyboard(
    qtbot: QtBot, database: Database, session: Session, make_counsellor: Any
) -> None:
    anna, ayse = _anna_and_ayse(session, make_counsellor)
    box = _box(qtbot, database, anna, ayse)
    assert box.summary.text() == "No action points yet."
    failures: list[BaseException] = []

    def fill_new(dialog: Any) -> None:
        title = dialog.edits["title"]
        assert title.hasFocus()
        qtbot.keyClick(title, Qt.Key.Key_Return)  # nothing typed: refused, the form stays
        assert dialog.isVisible()
        assert dialog.errors["title"].text() == "Title: this field is required."
        qtbot.keyClicks(title, "Send the CV to three employers")
        qtbot.keyClick(title, Qt.Key.Key_Return)
        assert not dialog.isVisible()

    changes: list[None] = []
    box.changed.connect(lambda: changes.append(None))
    when_modal(qtbot, fill_new, failures)
    qtbot.keyClick(box.table, Qt.Key.Key_N, CTRL_SHIFT)  # returns once the form is closed
    assert not failures, failures
    assert len(changes) == 1
    assert box.table.rowCount() == 1
    assert box.table.item(0, 1).text() == "Send the CV to three employers"
    assert (
        box.table.item(0, 2).text()
        == f"Agreed {box._local_day(box.points[0].created_at)} by Anna Aerts"
    )
    assert box.points[0].due_on == local_today() + dt.timedelta(days=14)
    assert box.summary.text() == "1 open"

    def fill_outcome(dialog: Any) -> None:
        outcome = dialog.edits["outcome"]
        assert (
            dialog.findChild(QLabel, "action_point_named")
            .text()
            .startswith("Action point: Send the CV to three employers (due ")
        )
        qtbot.keyClick(outcome, Qt.Key.Key_Return)
        assert dialog.errors["outcome"].text().startswith("Outcome: say in a few words")
        qtbot.keyClicks(outcome, "Sent to Colruyt, Delhaize and the port")
        qtbot.keyClick(outcome, Qt.Key.Key_Return)
        assert not dialog.isVisible()

    box.table.setFocus()
    when_modal(qtbot, fill_outcome, failures)
    qtbot.keyClick(box.table, Qt.Key.Key_Space)
    assert not failures, failures
    assert len(changes) == 2
    assert box.table.item(0, 1).text() == (
        "Send the CV to three employers\nOutcome: Sent to Colruyt, Delhaize and the port"
    )
    assert box.table.item(0, 2).text().startswith("Done ")
    assert box.table.item(0, 2).text().endswith(" by Anna Aerts")
    assert box.done_button.text() == "&Reopen" and not box.change_button.isEnabled()
    session.expire_all()
    stored = session.query(ActionPoint).one()
    assert (stored.status, stored.done_by, stored.outcome) == (
        ActionPointStatus.DONE,
        anna.id,
        "Sent to Colruyt, Delhaize and the port",
    )


def test_a_colleague_s_change_first_is_reported_and_what_was_typed_stays(
    qtbot: QtBot, database: Database, session: Session, make_counsellor: Any
) -> None:
    anna, ayse = _anna_and_ayse(session, make_counsellor)
    point = action_points.create(session, actor(anna), ayse, "Send the CV", local_today())
    session.commit()
    box = _box(qtbot, database, anna, ayse)
    # meanwhile, in another window, the due date is moved
    action_points.change(session, actor(anna), point.id, "Send the CV to Colruyt",
                         local_today() + dt.timedelta(days=2), version=point.version)  # fmt: skip
    session.commit()
    failures: list[BaseException] = []
    seen: dict[str, str] = {}

    def fill_outcome(dialog: Any) -> None:
        outcome = dialog.edits["outcome"]
        qtbot.keyClicks(outcome, "Sent")
        qtbot.keyClick(outcome, Qt.Key.Key_Return)
        assert dialog.isVisible()  # refused: nothing written, nothing lost
        seen["error"] = dialog.general_error.text()
        seen["point"] = dialog.point.text()
        assert outcome.text() == "Sent"
        qtbot.keyClick(outcome, Qt.Key.Key_Return)  # now on what the colleague saved
        assert not dialog.isVisible()

    box.table.setFocus()
    when_modal(qtbot, fill_outcome, failures)
    qtbot.keyClick(box.table, Qt.Key.Key_Return)
    assert not failures, failures
    assert seen["error"].startswith("Someone changed this action point since you opened it")
    assert seen["point"].startswith("Action point: Send the CV to Colruyt (due ")
    session.expire_all()
    stored = session.get(ActionPoint, point.id)
    assert stored is not None and stored.status == ActionPointStatus.DONE
    assert (stored.title, stored.outcome) == ("Send the CV to Colruyt", "Sent")


def test_today_shows_a_due_point_and_enter_opens_the_client(
    qtbot: QtBot, database: Database, session: Session, make_counsellor: Any
) -> None:
    anna, ayse = _anna_and_ayse(session, make_counsellor)
    action_points.create(session, actor(anna), ayse, "Bring the diploma",
                         local_today() - dt.timedelta(days=2),
                         today=local_today() - dt.timedelta(days=9))  # fmt: skip
    session.commit()
    today = TodayList(database.sessions, lambda: actor(anna))
    qtbot.addWidget(today)
    today.refresh()
    texts = [today.item(i).text() for i in range(today.count())]
    due = [
        i
        for i, t in enumerate(texts)
        if t.startswith("Action point: Ayşe Yılmaz — Bring the diploma")
    ]
    assert len(due) == 1, texts
    assert " · due since " in texts[due[0]]
    today.show()
    today.setFocus()
    today.setCurrentRow(due[0])
    with qtbot.waitSignal(today.open_client) as opened:
        qtbot.keyClick(today, Qt.Key.Key_Return)
    assert opened.args == [ayse]


def test_the_overdue_and_referred_by_filters_narrow_the_caseload(
    qtbot: QtBot, window: MainWindow, session: Session, caseload: Any
) -> None:
    made, anna, _bart = caseload
    jan, nour = made["Jan"].id, made["Nour"].id
    action_points.create(session, actor(anna), jan, "Bring the diploma",
                         local_today() - dt.timedelta(days=1),
                         today=local_today() - dt.timedelta(days=5))  # fmt: skip
    action_points.create(session, actor(anna), nour, "Not yet due", local_today())
    for client_id, referred in ((nour, ReferredBy.WELFARE_CENTRE), (jan, ReferredBy.SCHOOL)):
        client = session.get(Client, client_id)
        assert client is not None
        client.referred_by = referred
    session.commit()
    assert window.model.rowCount() == 5
    box = window.filters.overdue_actions
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)
    assert window.model.index(0, 1).data() == "Peeters"
    qtbot.keyClick(box, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.model.rowCount() == 5)
    combo = window.filters.referred_by
    assert combo.itemText(0) == "Anyone"
    combo.setFocus()
    target = combo.findData(ReferredBy.WELFARE_CENTRE.value)
    for _step in range(target):
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert combo.currentText() == "Social welfare centre (OCMW, CPAS)"
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)
    assert window.model.index(0, 1).data() == "El Amrani"
    assert window.filters.state()["referred_by"] == "welfare_centre"


def test_a_dialog_left_with_escape_changes_nothing(
    qtbot: QtBot, database: Database, session: Session, make_counsellor: Any
) -> None:
    anna, ayse = _anna_and_ayse(session, make_counsellor)
    action_points.create(session, actor(anna), ayse, "Send the CV", local_today())
    session.commit()
    box = _box(qtbot, database, anna, ayse)
    failures: list[BaseException] = []

    def leave(dialog: QDialog) -> None:
        qtbot.keyClicks(dialog.edits["outcome"], "half typed")  # type: ignore[attr-defined]
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    box.table.setFocus()
    when_modal(qtbot, leave, failures)
    qtbot.keyClick(box.table, Qt.Key.Key_Space)
    assert not failures, failures
    session.expire_all()
    assert session.query(ActionPoint).one().status == ActionPointStatus.OPEN
    assert box.table.item(0, 2).text().startswith("Agreed ")
