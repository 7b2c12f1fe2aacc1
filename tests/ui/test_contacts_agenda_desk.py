"""What a counsellor does on the contact side: logging a call from the caseload with two keys,
the warning for an overlapping appointment, a permanence session with three visitors and its
summary, the agenda's keyboard, and the policy removing a forbidden channel from the forms."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.models.agenda_enums import AppointmentChannel, AppointmentPurpose
from app.models.enums import ContactChannel, ContactOutcome
from app.services import org_settings
from app.services.contact import appointments, contact_policy, contacts, permanence
from app.services.contact.appointments import Draft
from app.ui.contact.agenda_window import AgendaWindow
from app.ui.contact.appointment_dialog import AppointmentDialog
from app.ui.contact.contact_dialog import LogContactDialog
from app.ui.contact.desk_window import DeskWindow
from app.ui.main_window import MainWindow
from tests.helpers import actor
from tests.ui.modal import when_modal

BXL = ZoneInfo("Europe/Brussels")


def work_as(window: MainWindow, person) -> None:  # type: ignore[no-untyped-def]
    window.counsellor.setCurrentIndex(window.counsellor.findData(person.id))
    window.counsellor.activated.emit(window.counsellor.currentIndex())


def test_log_a_call_from_the_caseload_with_the_keyboard(
    qtbot: QtBot, window: MainWindow, session, caseload
) -> None:  # type: ignore[no-untyped-def]
    made, anna, _bart = caseload
    work_as(window, anna)
    qtbot.keyClicks(window.search, "nour")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)  # into the results, Nour selected
    seen: list[LogContactDialog] = []

    def answer(dialog) -> None:  # type: ignore[no-untyped-def]
        assert isinstance(dialog, LogContactDialog)
        seen.append(dialog)
        assert dialog.focusWidget() is dialog.outcome
        qtbot.keyClick(dialog.outcome, Qt.Key.Key_2)  # no answer
        qtbot.keyClick(dialog.outcome, Qt.Key.Key_Return)

    when_modal(answer)
    qtbot.keyClick(window.table, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert seen
    logged = contacts.history(session, made["Nour"].id)
    assert [(c.channel, c.outcome, c.reached, c.counsellor_id) for c in logged] == [
        (ContactChannel.PHONE, ContactOutcome.NO_ANSWER, False, anna.id)
    ]
    window.open_current_client()
    assert window.panel.timeline.model.rowCount() == 1
    assert "Phone: No answer" in window.panel.timeline.model.index(0, 1).data()


def test_an_overlapping_appointment_shows_the_warning(
    qtbot: QtBot, database, session, caseload
) -> None:  # type: ignore[no-untyped-def]
    made, anna, _bart = caseload
    who = actor(anna)
    start = dt.datetime(2026, 11, 24, 10, tzinfo=BXL)
    appointments.plan(session, who, Draft(made["Jan"].id, anna.id, start, 60, AppointmentChannel.PHONE,
                                          AppointmentPurpose.FOLLOW_UP))  # fmt: skip
    session.commit()
    dialog = AppointmentDialog(
        database.sessions, who, client_id=made["Nour"].id, start=start + dt.timedelta(minutes=30)
    )
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.warnings.isVisible()
    assert (
        "You already have an appointment with Jan Peeters from 10:00 to 11:00."
        in dialog.warnings.text()
    )
    dialog.start.setDateTime(dialog.start.dateTime().addSecs(30 * 60))  # 11:00, back to back
    assert not dialog.warnings.isVisible()
    dialog.buttons.accepted.emit()
    assert (
        dialog.saved_id is not None and len(appointments.for_client(session, made["Nour"].id)) == 1
    )


def test_a_permanence_session_with_three_visitors(
    qtbot: QtBot, database, session, caseload
) -> None:  # type: ignore[no-untyped-def]
    made, _anna, bart = caseload  # Bart serves the desk; the clients are Anna's
    desk = DeskWindow(database.sessions, lambda: actor(bart))
    qtbot.addWidget(desk)
    desk.show()
    desk.open_button.click()
    assert desk.desk is not None
    for name, language, category in (("Ayşe Yılmaz", "tr", "job_search"), ("", "ar", "dutch_course"),
                                     ("Olena", "uk", "job_search")):  # fmt: skip
        desk.name.setText(name)  # QTest types ASCII only
        desk.language.setCurrentIndex(desk.language.findData(language))
        desk.category.setCurrentIndex(desk.category.findData(category))
        qtbot.keyClick(desk.name, Qt.Key.Key_Return)
    assert desk.queue.rowCount() == 3 and desk.queue.item(1, 1).text() == "anonymous"
    assert desk.next_action.shortcut().toString() == "F2"
    desk.next_action.trigger()  # F2 (offscreen windows do not take shortcut focus reliably)
    assert "Ayşe Yılmaz" in desk.serving.text() and desk.queue.rowCount() == 2
    qtbot.keyClicks(desk.picker.lineEdit(), "yilmaz")
    desk.picker.search_now()
    desk.picker.setCurrentIndex(desk.picker.findText("Ayşe Yılmaz", Qt.MatchFlag.MatchStartsWith))
    desk.outcome.setCurrentIndex(desk.outcome.findData("appointment_made"))
    desk.finish_button.click()
    for outcome in ("referred", "answered"):
        desk.next_action.trigger()
        desk.outcome.setCurrentIndex(desk.outcome.findData(outcome))
        desk.finish_button.click()
    assert desk.queue.rowCount() == 0
    desk.close_button.click()
    box = desk.findChild(QMessageBox, "desk_summary")
    assert box is not None
    text = box.text()
    assert text.startswith("3 visitors · served: 3 · left without being served: 0")
    assert "Questions: Looking for work 2 and Dutch course 1" in text  # a list by Babel
    assert "Outcomes: Appointment made 1, Referred 1 and Question answered 1" in text
    assert "Waiting time: median" in text
    logged = contacts.history(session, made["Ayşe"].id)
    assert [(c.channel, c.counsellor_id) for c in logged] == [(ContactChannel.PERMANENCE, bart.id)]


def test_agenda_keyboard_plans_where_the_cursor_is(
    qtbot: QtBot, window: MainWindow, session, caseload
) -> None:  # type: ignore[no-untyped-def]
    _made, anna, _bart = caseload
    work_as(window, anna)
    agenda = AgendaWindow(window.sessions, window.actor, window)
    qtbot.addWidget(agenda)
    agenda.show()
    assert len(agenda.grid.days) == 5  # Monday to Friday
    before = agenda.grid.days[0]
    qtbot.keyClick(agenda.grid, Qt.Key.Key_PageDown)
    assert agenda.grid.days[0] == before + dt.timedelta(days=7)
    qtbot.keyClick(agenda.grid, Qt.Key.Key_Home)
    assert agenda.grid.days[0] == before
    requested: list[tuple[dt.datetime, int]] = []
    agenda.grid.create_requested.disconnect()
    agenda.grid.create_requested.connect(lambda start, minutes: requested.append((start, minutes)))
    agenda.grid.focus_cell = (0, 0)
    qtbot.keyClick(agenda.grid, Qt.Key.Key_Right)
    qtbot.keyClick(agenda.grid, Qt.Key.Key_Down)
    qtbot.keyClick(agenda.grid, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(agenda.grid, Qt.Key.Key_Return)
    first_hour = agenda.grid.first_hour
    assert requested == [
        (
            dt.datetime.combine(before + dt.timedelta(days=1), dt.time(first_hour, 30), tzinfo=BXL),
            90,
        )
    ]


def test_a_forbidden_channel_is_not_offered(
    qtbot: QtBot, database, session, caseload, make_counsellor
) -> None:  # type: ignore[no-untyped-def]
    made, anna, _bart = caseload
    admin = make_counsellor("adm")
    from app.models.enums import CounsellorRole

    admin.role = CounsellorRole.ADMIN
    allowed = [
        c.value
        for c in contact_policy.POLICY_CHANNELS
        if c not in (ContactChannel.MESSAGING_APP, ContactChannel.HOME_VISIT)
    ]
    org_settings.update(
        session, {contact_policy.ALLOWED_CHANNELS: ",".join(allowed)}, actor=actor(admin)
    )
    session.commit()
    log = LogContactDialog(database.sessions, actor(anna), made["Jan"].id)
    qtbot.addWidget(log)
    offered = [log.channel.itemData(i) for i in range(log.channel.count())]
    assert "messaging_app" not in offered and "home_visit" not in offered and "phone" in offered
    plan = AppointmentDialog(database.sessions, actor(anna), client_id=made["Jan"].id)
    qtbot.addWidget(plan)
    offered = [plan.channel.itemData(i) for i in range(plan.channel.count())]
    assert offered == ["in_person", "phone", "video"]


def test_a_visitor_can_be_added_in_every_language_the_desk_offers(
    qtbot: QtBot, database, caseload
) -> None:  # type: ignore[no-untyped-def]
    """Choosing Dari raised an uncaught error and the visitor was lost; every language the list
    offers first is accepted, shown by its name, and chosen with the keyboard."""
    _made, _anna, bart = caseload
    desk = DeskWindow(database.sessions, lambda: actor(bart))
    qtbot.addWidget(desk)
    desk.show()
    desk.open_button.click()
    offered = [desk.language.itemData(i) for i in range(1, len(permanence.DESK_LANGUAGES) + 1)]
    assert offered == list(permanence.DESK_LANGUAGES) and "fa_AF" in offered
    names = [desk.language.itemText(i) for i in range(desk.language.count())]
    assert "Dari" in names and not any(n == desk.language.itemData(i) for i, n in enumerate(names))
    for index, code in enumerate(offered, start=1):
        desk.name.setText(f"Visitor {index}")
        desk.language.setFocus()
        desk.language.setCurrentIndex(0)
        for _ in range(index):
            qtbot.keyClick(desk.language, Qt.Key.Key_Down)
        assert desk.language.currentData() == code
        qtbot.keyClick(desk.name, Qt.Key.Key_Return)
        assert not desk.error.isVisible(), (code, desk.error.text())
        assert desk.queue.rowCount() == index
    assert desk.queue.item(offered.index("fa_AF"), 2).text() == "Dari"


def test_a_language_the_desk_does_not_know_is_a_message_not_a_crash(
    qtbot: QtBot, database, caseload
) -> None:  # type: ignore[no-untyped-def]
    _made, _anna, bart = caseload
    desk = DeskWindow(database.sessions, lambda: actor(bart))
    qtbot.addWidget(desk)
    desk.show()
    desk.open_button.click()
    qtbot.keyClicks(desk.language.line, "Klingonish")
    desk.name.setText("Visitor who stays")
    qtbot.keyClick(desk.name, Qt.Key.Key_Return)
    assert desk.error.isVisible()
    assert desk.error.text().startswith("Language: “Klingonish” is not a language Traject knows")
    assert desk.name.text() == "Visitor who stays" and desk.queue.rowCount() == 0
    assert desk.language.line.text() == "Klingonish"
