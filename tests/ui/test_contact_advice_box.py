"""Contact advice in the client file, with the keyboard (issue 25, point 10): once the attempts
call for escalation the file offers the actions themselves — plan the home visit (the
appointment dialog prefilled with a home visit at the client's address), write the letter
"we could not reach you" (saved and recorded as a letter sent), ask the key person — and the
contact dialog offers only the outcomes of the chosen channel."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from app.models.base import utcnow
from app.models.enums import ContactChannel, ContactOutcome
from app.services.caseload import clients
from app.services.contact import contacts
from app.ui.contact.appointment_dialog import AppointmentDialog
from app.ui.contact.contact_dialog import LogContactDialog
from app.ui.main_window import MainWindow
from tests.helpers import actor
from tests.ui.test_contacts_agenda_desk import when_modal, work_as

pytestmark = pytest.mark.both_backends


@pytest.fixture
def escalated(session: Any, caseload: Any) -> int:
    """Jan: three failed attempts on two channels, with an address and a key person."""
    made, anna, _bart = caseload
    jan = made["Jan"].id
    clients.update_client(session, jan, {"phone": "0470 11 22 33", "street": "Sleepstraat", "house_number": "28",
                                         "postal_code": "9000", "municipality": "Gent",
                                         "key_person": "Yusuf Demir"}, actor=actor(anna))  # fmt: skip
    at = utcnow()
    for hours, channel, outcome in ((50, "phone", "no_answer"), (30, "video", "no_answer"),
                                    (10, "phone", "voicemail")):  # fmt: skip
        contacts.log(session, actor(anna), jan, channel=channel, outcome=outcome,
                     occurred_at=at - dt.timedelta(hours=hours))  # fmt: skip
    session.commit()
    return jan


def open_jan(qtbot: QtBot, window: MainWindow, anna: Any) -> Any:
    work_as(window, anna)
    qtbot.keyClicks(window.search, "peeters")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    window.open_current_client()
    box = window.panel.timeline.advice_box
    assert box.isVisible() and "3 failed attempts" in box.text.text()
    return box


def press(qtbot: QtBot, button: Any) -> None:
    assert button.isVisible() and button.isEnabled()
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)


def test_plan_the_home_visit_opens_the_appointment_dialog_prefilled(
    qtbot: QtBot, window: MainWindow, caseload: Any, escalated: int
) -> None:
    _made, anna, _bart = caseload
    box = open_jan(qtbot, window, anna)
    shown = {name: b.isVisible() for name, b in ((b.objectName(), b) for b in box.buttons.values())}
    assert shown == {
        "plan_home_visit": True,
        "write_unreached_letter": True,
        "ask_key_person": True,
    }
    assert "Yusuf Demir" in box.buttons[ContactChannel.KEY_PERSON].text()
    seen: list[tuple[str, str, int | None]] = []

    def check(dialog: Any) -> None:
        assert isinstance(dialog, AppointmentDialog)
        seen.append((dialog.channel.currentData(), dialog.note.text(), dialog.client.client_id()))
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    when_modal(check)
    press(qtbot, box.buttons[ContactChannel.HOME_VISIT])
    assert seen == [("home_visit", "Sleepstraat 28, 9000 Gent", escalated)]


def test_the_letter_is_saved_recorded_and_leaves_the_other_actions(
    qtbot: QtBot, window: MainWindow, caseload: Any, escalated: int, session: Any,
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    _made, anna, _bart = caseload
    box = open_jan(qtbot, window, anna)
    target = tmp_path / "letter.pdf"
    offered: list[str] = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda _p, _t, name, _f: (offered.append(name), (str(target), ""))[1])  # fmt: skip
    press(qtbot, box.buttons[ContactChannel.LETTER])
    assert target.read_bytes().startswith(b"%PDF") and not box.error.isVisible()
    assert offered and offered[0].endswith(".pdf") and "Jan" not in offered[0]
    session.expire_all()
    newest = contacts.history(session, escalated)[0]
    assert (newest.channel, newest.outcome) == (ContactChannel.LETTER, ContactOutcome.MESSAGE_SENT)
    assert not box.buttons[ContactChannel.LETTER].isVisible()
    assert box.buttons[ContactChannel.HOME_VISIT].isVisible()
    assert "Letter: Message sent" in window.panel.timeline.model.index(0, 1).data()


def test_ask_the_key_person_logs_a_contact_through_them(
    qtbot: QtBot, window: MainWindow, caseload: Any, escalated: int, session: Any
) -> None:
    _made, anna, _bart = caseload
    box = open_jan(qtbot, window, anna)

    def answer(dialog: Any) -> None:
        assert isinstance(dialog, LogContactDialog)
        assert dialog.channel.currentData() == "key_person"
        assert dialog.note.text() == "Asked the key person: Yusuf Demir"
        qtbot.keyClick(dialog.outcome, Qt.Key.Key_1)  # reached, through the key person
        qtbot.keyClick(dialog.outcome, Qt.Key.Key_Return)

    when_modal(answer)
    press(qtbot, box.buttons[ContactChannel.KEY_PERSON])
    session.expire_all()
    newest = contacts.history(session, escalated)[0]
    assert (newest.channel, newest.outcome, newest.reached) == (
        ContactChannel.KEY_PERSON,
        ContactOutcome.REACHED,
        True,
    )
    assert not box.isVisible()  # reached: nothing left to chase


def test_the_contact_dialog_lists_only_the_channel_s_outcomes(
    qtbot: QtBot, database: Any, caseload: Any, session: Any
) -> None:
    made, anna, _bart = caseload
    dialog = LogContactDialog(database.sessions, actor(anna), made["Nour"].id)
    qtbot.addWidget(dialog)
    dialog.show()

    def listed() -> list[str]:
        return [
            dialog.outcome.item(i).text().split("  ", 1)[1] for i in range(dialog.outcome.count())
        ]

    assert dialog.channel.currentData() == "phone"
    assert listed() == ["Reached", "No answer", "Voicemail", "Wrong number", "Returned call"]
    dialog.channel.setFocus()
    while dialog.channel.currentData() != "email":
        qtbot.keyClick(dialog.channel, Qt.Key.Key_Down)
    assert listed() == ["Reached", "Message sent"] and "Voicemail" not in listed()
    assert dialog.outcome_label.text() == "&Outcome (1–2):"
    qtbot.keyClick(dialog.channel, Qt.Key.Key_Down)  # WhatsApp
    assert listed() == ["Reached", "Message sent", "Wrong number"]
    dialog.outcome.setFocus()
    qtbot.keyClick(dialog.outcome, Qt.Key.Key_2)
    qtbot.keyClick(dialog.channel, Qt.Key.Key_Up)  # back to e-mail: "message sent" stays picked
    qtbot.keyClick(dialog.outcome, Qt.Key.Key_Return)
    assert dialog.result() == LogContactDialog.DialogCode.Accepted
    logged = contacts.history(session, made["Nour"].id)
    assert [(c.channel, c.outcome, c.reached) for c in logged] == [
        (ContactChannel.EMAIL, ContactOutcome.MESSAGE_SENT, False)
    ]


def test_the_buttons_follow_the_advice_and_wrap_so_the_file_fits_at_1280_in_arabic(
    qtbot: QtBot, window: MainWindow, caseload: Any, escalated: int
) -> None:
    from PySide6.QtWidgets import QApplication, QScrollArea

    from app.ui.qt_i18n import apply_language

    _made, anna, _bart = caseload
    apply_language("ar")
    window.resize(1280, 720)
    work_as(window, anna)
    qtbot.keyClicks(window.search, "peeters")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    window.open_current_client()
    box = window.panel.timeline.advice_box
    window.file_layout.go_to_section("timeline")
    qtbot.waitUntil(box.isVisible)
    QApplication.processEvents()
    order = [c for c in box.advice.steps if c in box.buttons]
    assert order == [ContactChannel.LETTER, ContactChannel.KEY_PERSON, ContactChannel.HOME_VISIT]
    said = box.text.text()
    places = [said.rindex(c.label) for c in order]  # the labels as the advice names them
    assert places == sorted(places)
    # with the keyboard: Tab goes from one to the next in the advice's order
    first = box.buttons[order[0]]
    first.setFocus()
    for channel in order[1:]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is box.buttons[channel]
    # the buttons wrap within the box, and the file is not wider than its window
    for button in box.buttons.values():
        assert box.rect().contains(button.geometry()), button.objectName()
    tops = {box.buttons[c].geometry().top() for c in order}
    assert len(tops) > 1  # they did not fit one row here: two rows rather than a wider page
    area = next(w for w in _ancestors(box) if isinstance(w, QScrollArea))
    assert area.widget().width() <= area.viewport().width()
    assert window.panel.geometry().right() <= window.width()
    # in the reading order, right to left: the first button stands furthest right
    assert first.geometry().right() >= box.buttons[order[1]].geometry().right()


def _ancestors(widget: Any) -> list[Any]:
    found = []
    while widget is not None:
        found.append(widget)
        widget = widget.parentWidget()
    return found
