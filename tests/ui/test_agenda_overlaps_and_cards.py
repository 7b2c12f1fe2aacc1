"""The agenda done right: overlapping appointments side by side (none hides another) and
counted as drawn, the keyboard moving from block to block, Arabic mirrored with hour labels
that fit; the overlap question that says who is double-booked; a video appointment's link;
the card printed from a new appointment once saved and from the agenda; a backup's agenda."""

from __future__ import annotations

import datetime as dt
import itertools
import os
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from app.i18n import format_time
from app.models.agenda_enums import AppointmentChannel, AppointmentPurpose, VideoPlatform
from app.models.enums import AppointmentStatus
from app.services.caseload import assignments
from app.services.clock import local_today
from app.services.contact import appointments
from app.services.contact.appointments import Draft
from app.ui.contact.agenda_window import AgendaWindow
from app.ui.contact.appointment_dialog import AppointmentDialog
from app.ui.main_window import MainWindow
from app.ui.qt_i18n import apply_language
from tests.helpers import actor
from tests.ui.modal import Modal

BXL = ZoneInfo("Europe/Brussels")
TUESDAY = dt.date(2026, 11, 24)


def at(hour: int, minute: int = 0, day: dt.date = TUESDAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=BXL)


def plan(session, who, client_id: int, start: dt.datetime, counsellor=None, **kw) -> int:  # type: ignore[no-untyped-def]
    made = appointments.plan(session, who, Draft(client_id, (counsellor or who).counsellor_id, start,
                                                 kw.pop("minutes", 60), kw.pop("channel", AppointmentChannel.PHONE),
                                                 AppointmentPurpose.FOLLOW_UP, **kw))  # fmt: skip
    session.commit()
    return made.id


def open_agenda(qtbot: QtBot, window: MainWindow, person, day: dt.date = TUESDAY) -> AgendaWindow:  # type: ignore[no-untyped-def]
    window.counsellor.setCurrentIndex(window.counsellor.findData(person.id))
    window.counsellor.activated.emit(window.counsellor.currentIndex())
    agenda = AgendaWindow(window.sessions, window.actor, window)
    qtbot.addWidget(agenda)
    agenda.resize(1280, 720)
    agenda.show()
    agenda.anchor = day
    agenda.refresh()
    return agenda


def saving_to(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[str]:
    offered: list[str] = []

    def save(_parent: object, _title: str, name: str, *_rest: object) -> tuple[str, str]:
        offered.append(name)
        return str(path), "PDF (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save)
    return offered


def pdf_text(path: Path) -> str:
    return " ".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


@pytest.fixture
def overlapping(session, caseload):  # type: ignore[no-untyped-def]
    made, anna, _bart = caseload
    who = actor(anna)
    ids = [plan(session, who, made[name].id, at(10)) for name in ("Jan", "Nour", "Mehmet")]
    cancelled = plan(session, who, made["Ayşe"].id, at(10, 30))
    appointments.set_status(session, who, cancelled, AppointmentStatus.CANCELLED_BY_CLIENT)
    session.commit()
    return ids, cancelled


def test_three_overlapping_appointments_stand_side_by_side_and_are_counted_as_drawn(
    qtbot: QtBot, window: MainWindow, caseload, overlapping
) -> None:  # type: ignore[no-untyped-def]
    ids, _cancelled = overlapping
    agenda = open_agenda(qtbot, window, caseload[1])
    grid = agenda.grid
    blocks = [b for b in grid.blocks if b.item.id in ids]
    rects = [grid.block_rect(b) for b in blocks]
    assert len(rects) == 3
    for a, b in itertools.combinations([grid.block_rect(b) for b in grid.blocks], 2):
        assert not a.intersects(b)  # the cancelled one too: nothing is hidden
    tuesday = grid.day_left(grid.days.index(TUESDAY))
    assert all(tuesday <= r.left() and r.right() <= tuesday + grid._column_width() for r in rects)
    assert {round(r.top()) for r in rects} == {round(rects[0].top())}
    assert {round(r.width()) for r in rects} == {round((grid._column_width()) / 4 - 4)}
    live = [b for b in grid.blocks if b.item.status == AppointmentStatus.PLANNED]
    assert len(live) == 3 and len(grid.blocks) == 4
    assert agenda.period.text().endswith("3 appointments, 1 cancelled or moved")
    # the keyboard goes from block to block, then on to the next day
    grid.setFocus()
    grid.focus_cell = (grid.days.index(TUESDAY), (10 - grid.first_hour) * 2)  # 10:00
    grid.focus_column = 0
    assert grid.slot_start(*grid.focus_cell) == at(10)
    seen = [grid.focused_item().id]  # type: ignore[union-attr]
    for _ in range(2):
        qtbot.keyClick(grid, Qt.Key.Key_Right)
        seen.append(grid.focused_item().id)  # type: ignore[union-attr]
    assert sorted(seen) == sorted(ids) and len(set(seen)) == 3
    assert (
        "Mehmet Yılmaz" in grid.accessibleDescription()
        or "Jan Peeters" in grid.accessibleDescription()
    )
    qtbot.keyClick(grid, Qt.Key.Key_Right)
    assert grid.focus_cell[0] == grid.days.index(TUESDAY) + 1 and grid.focused_item() is None
    qtbot.keyClick(grid, Qt.Key.Key_Left)
    assert grid.focused_item().id == seen[-1]  # type: ignore[union-attr]
    opened: list[int] = []
    grid.open_requested.disconnect()
    grid.open_requested.connect(opened.append)
    qtbot.keyClick(grid, Qt.Key.Key_Return)
    assert opened == [seen[-1]]
    grid.grab().save(os.environ.get("AGENDA_SHOT", "/dev/null"), "PNG")


def test_in_arabic_the_days_run_from_the_right_and_the_hours_fit(
    qtbot: QtBot, window: MainWindow, caseload, overlapping
) -> None:  # type: ignore[no-untyped-def]
    ids, _cancelled = overlapping
    apply_language("ar")
    agenda = open_agenda(qtbot, window, caseload[1])
    grid = agenda.grid
    assert grid.isRightToLeft()
    monday, tuesday = grid.days.index(TUESDAY - dt.timedelta(days=1)), grid.days.index(TUESDAY)
    assert grid.day_left(monday) > grid.day_left(tuesday)
    metrics = QFontMetricsF(grid.font())
    widest = max(
        metrics.horizontalAdvance(format_time(dt.time(h)))
        for h in range(grid.first_hour, grid.last_hour)
    )
    assert widest <= grid.gutter() - 12  # the label's box inside the gutter, margins kept
    assert grid.day_left(monday) + grid._column_width() <= grid.width() - grid.gutter() + 0.5
    rects = [grid.block_rect(b) for b in grid.blocks if b.item.id in ids]
    for a, b in itertools.combinations(rects, 2):
        assert not a.intersects(b)
    # Left moves forward in time, as the eye reads right to left
    grid.setFocus()
    grid.focus_cell = (monday, (10 - grid.first_hour) * 2)
    qtbot.keyClick(grid, Qt.Key.Key_Left)
    assert grid.focus_cell[0] == tuesday
    grid.grab().save(os.environ.get("AGENDA_SHOT_AR", "/dev/null"), "PNG")


def test_the_overlap_question_says_who_is_double_booked_and_keeps_the_form(
    qtbot: QtBot, database, session, caseload
) -> None:  # type: ignore[no-untyped-def]
    made, anna, bart = caseload
    who = actor(anna)
    plan(session, who, made["Jan"].id, at(10))  # Anna is busy at 10:00
    plan(session, who, made["Nour"].id, at(14), counsellor=actor(bart))  # Nour is, with Bart
    dialog = AppointmentDialog(database.sessions, who, client_id=made["Nour"].id, start=at(10, 30))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.note.setFocus()
    qtbot.keyClicks(dialog.note, "bring the CV")
    asked: list[str] = []

    def change_the_time(box: QMessageBox) -> None:
        asked.append(box.text())
        qtbot.keyClick(box, Qt.Key.Key_Return)  # the default: change the time

    question = Modal(QMessageBox, change_the_time)
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return)  # Enter saves
    question.check()
    assert asked == ["You already have an appointment with Jan Peeters from 10:00 to 11:00."]
    assert dialog.isVisible() and dialog.note.text() == "bring the CV" and dialog.saved_id is None
    assert dialog.focusWidget() is dialog.start
    dialog.start.setDateTime(dialog.start.dateTime().addSecs(4 * 3600))  # 14:30: Nour is with Bart

    def save_anyway(box: QMessageBox) -> None:
        asked.append(box.text())
        for _ in range(3):  # Tab to "Save anyway" (offscreen, mnemonics take no shortcut focus)
            if box.focusWidget().text() == "&Save anyway":
                break
            qtbot.keyClick(box.focusWidget(), Qt.Key.Key_Tab)
        qtbot.keyClick(box.focusWidget(), Qt.Key.Key_Space)

    question = Modal(QMessageBox, save_anyway)
    qtbot.keyClick(dialog.note, Qt.Key.Key_Return)
    question.check()
    assert (
        asked[1]
        == "The client already has an appointment then, with Bart Baert, from 14:00 to 15:00."
    )
    assert dialog.saved_id is not None
    saved = session.get(appointments.Appointment, dialog.saved_id)
    assert saved is not None and saved.note == "bring the CV" and saved.starts_at == at(14, 30)


def test_a_new_video_appointment_keeps_its_link_and_prints_its_card_once_saved(
    qtbot: QtBot, database, session, caseload, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    made, anna, _bart = caseload
    dialog = AppointmentDialog(
        database.sessions, actor(anna), client_id=made["Nour"].id, start=at(11)
    )
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.video_link.isVisible()
    dialog.channel.setFocus()
    dialog.channel.setCurrentIndex(dialog.channel.findData(AppointmentChannel.VIDEO.value))
    assert dialog.video_link.isVisible() and dialog.platform.isVisible()
    dialog.video_link.setFocus()
    qtbot.keyClicks(dialog.video_link, "teams.microsoft.com/l/meetup-join/19abc")
    qtbot.keyClick(dialog.video_link, Qt.Key.Key_Return)
    assert dialog.error.isVisible() and dialog.error.text().startswith(
        "Video link: paste the whole address"
    )
    assert dialog.video_link.text() == "teams.microsoft.com/l/meetup-join/19abc"  # kept
    dialog.video_link.setCursorPosition(0)
    qtbot.keyClicks(dialog.video_link, "https://")
    assert dialog.platform.currentData() == VideoPlatform.TEAMS.value  # recognised from the link
    qtbot.keyClick(dialog.video_link, Qt.Key.Key_Return)
    assert dialog.saved_id is not None and dialog.isVisible()  # saved, and still open
    assert dialog.saved_note.isVisible() and dialog.card_button.isEnabled()
    assert dialog.focusWidget() is dialog.card_button
    target = tmp_path / "card.pdf"
    offered = saving_to(monkeypatch, target)
    qtbot.keyClick(dialog.card_button, Qt.Key.Key_Space)
    assert offered == [f"appointment-{made['Nour'].dossier}-2026-11-24.pdf"]
    assert target.stat().st_mode & 0o777 == 0o600
    text = pdf_text(target)
    assert "https://teams.microsoft.com/l/meetup-join/19abc" in text and "Microsoft Teams" in text
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.result() == dialog.DialogCode.Accepted  # the caller refreshes: it was saved
    stored = session.get(appointments.Appointment, dialog.saved_id)
    assert stored is not None and stored.video_platform == VideoPlatform.TEAMS


def test_the_card_is_printed_from_the_agenda_and_a_backup_sees_the_colleagues_appointment(
    qtbot: QtBot,
    window: MainWindow,
    session,
    caseload,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # type: ignore[no-untyped-def]
    made, anna, bart = caseload
    today = local_today()
    day = today + dt.timedelta(days=1)
    covered = plan(session, actor(anna), made["Jan"].id, at(10, day=day))
    assignments.set_backup(session, made["Jan"].id, bart.id, actor=actor(anna),
                           until=today + dt.timedelta(days=7), on=today)  # fmt: skip
    session.commit()
    agenda = open_agenda(qtbot, window, bart, day)
    grid = agenda.grid
    (block,) = grid.blocks
    assert block.item.id == covered and block.item.covering_for == "Anna Aerts"
    grid.setFocus()
    grid._focus_block(block)
    assert "Appointment of Anna Aerts, whose client you cover" in grid.accessibleDescription()
    assert agenda.period.text().endswith("1 appointment, 1 of them for a colleague you cover")
    target = tmp_path / "from-agenda.pdf"
    saving_to(monkeypatch, target)
    assert agenda.actions_["card"].shortcut().toString() == "Ctrl+P"
    agenda.actions_["card"].trigger()  # Ctrl+P (offscreen windows take no shortcut focus)
    assert "Jan Peeters" in pdf_text(target)
