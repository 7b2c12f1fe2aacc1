"""Where a client is served, languages are names and a needed interpreter shows: the desk's
queue, serving line and summary; the appointment form; the agenda's block, tooltip and what a
screen reader hears. Dates: the wizard asks in the window's form and says when a date does not
exist, as the client file does."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from app.i18n import in_language
from app.models import Client
from app.models.agenda_enums import AppointmentChannel, AppointmentPurpose
from app.services.contact import appointments
from app.services.contact.appointments import Draft
from app.services.scripts.definition import Question, QuestionType
from app.ui.contact.agenda_grid import INTERPRETER_COLOUR, tooltip
from app.ui.contact.agenda_window import AgendaWindow
from app.ui.contact.appointment_dialog import AppointmentDialog
from app.ui.contact.appointment_status import AppointmentOpenDialog
from app.ui.contact.desk_window import DeskWindow
from app.ui.main_window import MainWindow
from app.ui.scripts.script_questions import QuestionWidget
from tests.helpers import actor

BXL = ZoneInfo("Europe/Brussels")


def needs_interpreter(session, client: Client, language: str | None) -> None:  # type: ignore[no-untyped-def]
    client.interpreter_needed = True
    client.contact_language = language
    session.commit()


def test_the_desk_shows_names_and_a_client_who_needs_an_interpreter(
    qtbot: QtBot, database, session, caseload
) -> None:  # type: ignore[no-untyped-def]
    made, _anna, bart = caseload
    needs_interpreter(session, made["Ayşe"], "tr")
    with in_language("en"):
        desk = DeskWindow(database.sessions, lambda: actor(bart))
        qtbot.addWidget(desk)
        desk.show()
        desk.open_button.click()
        for name, typed in (("Ayse", "Turk"), ("Yonas", "tigri"), ("Ahmad", "prs")):
            desk.name.setText(name)
            desk.language.setFocus()
            qtbot.keyClicks(desk.language.line, typed)
            popup = desk.language.completer_.popup()
            qtbot.keyClick(popup, Qt.Key.Key_Down)
            qtbot.keyClick(popup, Qt.Key.Key_Return)
            qtbot.keyClick(desk.name, Qt.Key.Key_Return)
        shown = [desk.queue.item(row, 2).text() for row in range(desk.queue.rowCount())]
        assert shown == ["Turkish", "Tigrinya", "Dari"]
        desk.next_action.trigger()
        assert desk.serving.text().endswith(" · Turkish")
        assert not desk.interpreter.isVisible()
        qtbot.keyClicks(desk.picker.lineEdit(), "yilmaz")
        desk.picker.search_now()
        index = desk.picker.findText("Ayşe Yılmaz", Qt.MatchFlag.MatchStartsWith)
        desk.picker.setCurrentIndex(index)
        desk.picker.activated.emit(index)  # chosen from the list
        assert desk.interpreter.isVisible()
        assert desk.interpreter.text() == "⚠ Interpreter needed: Turkish"
        desk.finish_button.click()
        assert not desk.interpreter.isVisible()  # the next visitor is someone else
        for _visitor in range(2):
            desk.next_action.trigger()
            desk.finish_button.click()
        desk.close_button.click()
        box = desk.findChild(QMessageBox, "desk_summary")
        assert box is not None
        assert "Languages: Turkish 1, Tigrinya 1 and Dari 1" in box.text()
        assert " tr " not in box.text() and "prs" not in box.text()


def test_the_appointment_form_and_its_summary_say_an_interpreter_is_needed(
    qtbot: QtBot, database, session, caseload
) -> None:  # type: ignore[no-untyped-def]
    made, anna, _bart = caseload
    needs_interpreter(session, made["Nour"], "so")
    who = actor(anna)
    start = dt.datetime(2026, 11, 24, 10, tzinfo=BXL)
    with in_language("en"):
        dialog = AppointmentDialog(database.sessions, who, client_id=made["Nour"].id, start=start)
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.interpreter.isVisible()
        assert dialog.interpreter.text() == "⚠ Interpreter needed: Somali"
        other = AppointmentDialog(database.sessions, who, client_id=made["Jan"].id, start=start)
        qtbot.addWidget(other)
        other.show()
        assert not other.interpreter.isVisible()
        dialog.buttons.accepted.emit()
        assert dialog.saved_id is not None
        opened = AppointmentOpenDialog(database.sessions, who, dialog.saved_id)
        qtbot.addWidget(opened)
        assert (
            "Interpreter needed: Somali" in opened.findChildren(type(dialog.interpreter))[0].text()
        )


def test_the_agenda_marks_the_block_of_a_client_who_needs_an_interpreter(
    qtbot: QtBot, window: MainWindow, session, caseload
) -> None:  # type: ignore[no-untyped-def]
    made, anna, _bart = caseload
    needs_interpreter(session, made["Nour"], "ti")
    who = actor(anna)
    today = dt.datetime.now(BXL).date()
    monday = today - dt.timedelta(days=today.weekday())
    start = dt.datetime.combine(monday, dt.time(10), tzinfo=BXL)
    for client, hour in ((made["Nour"], 0), (made["Jan"], 2)):
        appointments.plan(session, who, Draft(client.id, anna.id, start + dt.timedelta(hours=hour), 60,
                                              AppointmentChannel.PHONE,
                                              AppointmentPurpose.INTAKE))  # fmt: skip
    session.commit()
    window.counsellor.setCurrentIndex(window.counsellor.findData(anna.id))
    window.counsellor.activated.emit(window.counsellor.currentIndex())
    with in_language("en"):
        agenda = AgendaWindow(window.sessions, window.actor, window)
        qtbot.addWidget(agenda)
        agenda.show()
        agenda.set_week(True)
        grid = agenda.grid
        grid.resize(900, 600)
        marked = {item.client_id: item.interpreter for item in grid.items}
        assert marked[made["Nour"].id] is not None and marked[made["Jan"].id] is None
        nour = next(i for i in grid.items if i.client_id == made["Nour"].id)
        assert tooltip(nour, grid.zone).endswith("⚠ Interpreter needed: Tigrinya")
        assert "Interpreter" not in tooltip(next(i for i in grid.items if i != nour), grid.zone)
        # the marker is painted in the block's corner, in its own colour
        image = grid.grab().toImage()
        day = grid.days.index(monday)
        rect = grid._rect(day, nour.starts_at.astimezone(BXL), nour.ends_at.astimezone(BXL))
        corner = QPoint(int(rect.right() - 3 - 8), int(rect.top() + 3 + 3))
        assert QColor(image.pixel(corner)) == INTERPRETER_COLOUR
        plain = next(i for i in grid.items if i != nour)
        other = grid._rect(day, plain.starts_at.astimezone(BXL), plain.ends_at.astimezone(BXL))
        assert (
            QColor(image.pixel(QPoint(int(other.right() - 11), int(other.top() + 6))))
            != INTERPRETER_COLOUR
        )
        assert grid.item_under(QPointF(rect.center())) == nour
        # with the keyboard: the cursor on the block says it
        grid.setFocus()
        first_slot = (nour.starts_at.astimezone(BXL).hour - grid.first_hour) * 2
        grid.focus_cell = (day, first_slot - 1)
        qtbot.keyClick(grid, Qt.Key.Key_Down)
        assert grid.accessibleDescription().endswith("Interpreter needed: Tigrinya")
        assert agenda.interpreter_legend.text() == "Interpreter needed"


def date_question(qtbot: QtBot) -> tuple[QuestionWidget, list[object]]:
    widget = QuestionWidget(Question("due", QuestionType.DATE, "By when?"))
    qtbot.addWidget(widget)
    widget.show()
    sent: list[object] = []
    widget.answered.connect(lambda _id, value, _note: sent.append(value))
    assert widget.line is not None
    widget.line.setFocus()
    return widget, sent


def test_the_wizard_asks_dates_in_the_windows_form_and_says_which_do_not_exist(
    qtbot: QtBot,
) -> None:
    with in_language("en"):
        widget, sent = date_question(qtbot)
        line = widget.line
        assert line is not None and line.placeholderText() == "dd/mm/yyyy"
        qtbot.keyClicks(line, "31/02/2027")
        qtbot.keyClick(line, Qt.Key.Key_Return)
        assert widget.error.isVisible() and sent == []  # nothing is saved, the text stays
        assert widget.error.text() == (
            "By when?: 31/02/2027 does not exist: February 2027 has 28 days."
        )
        assert line.text() == "31/02/2027"
        line.clear()
        qtbot.keyClicks(line, "next week")
        qtbot.keyClick(line, Qt.Key.Key_Return)
        assert widget.error.text() == (
            "By when?: type the date as dd/mm/yyyy, for example 30/07/1985."
        )
        assert "YYYY-MM-DD" not in widget.error.text()
        line.clear()
        qtbot.keyClicks(line, "28/02/2027")
        qtbot.keyClick(line, Qt.Key.Key_Return)
        assert sent == ["2027-02-28"]
    with in_language("fr"):
        widget, sent = date_question(qtbot)
        assert widget.line is not None
        qtbot.keyClicks(widget.line, "31/02/2027")
        qtbot.keyClick(widget.line, Qt.Key.Key_Return)
        assert "février 2027" in widget.error.text()


def test_the_client_file_says_a_birth_date_does_not_exist(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClicks(window.search, "jan")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    field = window.panel.fields["birth_date"]
    field.editor.setFocus()
    qtbot.keyClicks(field.editor, "31/02/1990")
    qtbot.keyClick(field.editor, Qt.Key.Key_Return)
    assert field.message.text() == (
        "Date of birth: 31/02/1990 does not exist: February 1990 has 28 days."
    )
    field.editor.selectAll()
    qtbot.keyClicks(field.editor, "1990-02")
    qtbot.keyClick(field.editor, Qt.Key.Key_Return)
    assert field.message.text() == (
        "Date of birth: type the date as dd/mm/yyyy, for example 30/07/1985."
    )
