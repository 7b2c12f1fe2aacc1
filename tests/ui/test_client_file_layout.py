"""The client file gets the room (issue 24): the layout the counsellor chooses and keeps, the
caseload narrowed to a list beside an open file, the sections reached with Alt+digit, a new
client at the top of the file, and a timeline whose texts are whole on hover."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QComboBox, QLineEdit
from pytestqt.qtbot import QtBot

from app.models.enums import ReferredBy
from app.services.caseload import clients, timeline
from app.ui.main_window import MainWindow
from app.ui.ui_settings import UiSettings
from app.ui.window.file_layout import FileLayout
from tests.helpers import actor

CTRL, SHIFT, ALT = (Qt.KeyboardModifier.ControlModifier, Qt.KeyboardModifier.ShiftModifier,
                    Qt.KeyboardModifier.AltModifier)  # fmt: skip


def open_by_keyboard(qtbot: QtBot, window: MainWindow, query: str) -> None:
    qtbot.keyClick(window, Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(window.search, query)
    qtbot.keyClick(window.search, Qt.Key.Key_Return)  # into the results
    qtbot.keyClick(window.table, Qt.Key.Key_Return)  # open the file


def big(window: MainWindow, qtbot: QtBot) -> None:
    """The smallest window the file is made for, active so that its keys work."""
    window.resize(1280, 720)
    window.activateWindow()
    qtbot.waitUntil(lambda: window.width() == 1280 and window.isActiveWindow())


def test_beside_an_open_file_the_caseload_is_a_list_of_names(
    qtbot: QtBot, window: MainWindow, caseload
) -> None:  # type: ignore[no-untyped-def]
    made, _anna, _bart = caseload
    big(window, qtbot)
    columns = window.model.columnCount()
    assert not any(window.table.isColumnHidden(c) for c in range(columns))  # no file yet
    open_by_keyboard(qtbot, window, "jan")
    assert window.panel.client_id == made["Jan"].id
    shown = [c for c in range(columns) if not window.table.isColumnHidden(c)]
    assert shown == [0, 1, 2]  # dossier, family name, given name
    assert window.panel.width() > window.table.width() + window.left.width()  # most of the width
    row = window.model.row_of(made["Jan"].id)
    tip = window.model.index(row, 1).data(Qt.ItemDataRole.ToolTipRole)
    assert "Referent: Anna Aerts" in tip and "Status: Active" in tip  # hidden columns on hover


def test_the_layout_switches_by_key_and_is_remembered(
    qtbot: QtBot, database, settings: UiSettings, caseload
) -> None:  # type: ignore[no-untyped-def]
    made, _anna, _bart = caseload
    first = MainWindow(database, settings)
    qtbot.addWidget(first)
    first.show()
    big(first, qtbot)
    open_by_keyboard(qtbot, first, "nour")
    assert first.file_layout.current == FileLayout.SIDE_BY_SIDE
    assert (
        first.table.isVisible()
        and first.panel.isVisible()
        and not first.file_layout.tabs.isVisible()
    )
    qtbot.keyClick(first, Qt.Key.Key_L, CTRL | SHIFT)
    assert first.file_layout.current == FileLayout.OWN_TAB
    assert first.file_layout.choices[FileLayout.OWN_TAB].isChecked()
    # the file has the whole page, the caseload is a tab away
    assert first.panel.isVisible() and not first.table.isVisible()
    assert (
        first.file_layout.tabs.isVisible() and first.file_layout.tabs.tabText(1) == "Nour El Amrani"
    )
    assert not any(first.table.isColumnHidden(c) for c in range(first.model.columnCount()))
    first.close()

    second = MainWindow(database, settings)
    qtbot.addWidget(second)
    second.show()
    qtbot.waitUntil(lambda: second.panel.client_id == made["Nour"].id)
    assert second.file_layout.current == FileLayout.OWN_TAB
    assert second.table.isVisible() and not second.panel.isVisible()  # starts at the list
    second.file_layout.choices[FileLayout.SIDE_BY_SIDE].trigger()  # the View menu's entry
    assert second.table.isVisible() and second.panel.isVisible()
    assert settings.text("window/file_layout") == FileLayout.SIDE_BY_SIDE.value
    second.close()


def test_in_its_own_tab_enter_opens_the_file_and_esc_goes_back(
    qtbot: QtBot, window: MainWindow, caseload
) -> None:  # type: ignore[no-untyped-def]
    made, _anna, _bart = caseload
    window.file_layout.choose(FileLayout.OWN_TAB)
    assert window.table.isVisible() and not window.file_layout.tabs.isTabEnabled(1)
    open_by_keyboard(qtbot, window, "peeters")
    panel = window.panel
    assert panel.isVisible() and not window.table.isVisible()
    assert panel.fields["given_name"].editor.hasFocus()
    qtbot.keyClick(panel.fields["given_name"].editor, Qt.Key.Key_Escape)
    assert window.table.isVisible() and window.table.hasFocus() and not panel.isVisible()
    assert window.selected_client() == made["Jan"].id
    qtbot.keyClick(window.table, Qt.Key.Key_Return)
    assert panel.isVisible()
    qtbot.keyClick(window, Qt.Key.Key_F, CTRL)  # searching shows the list again
    assert window.table.isVisible() and window.search.hasFocus()


def test_alt_digits_reach_the_sections(qtbot: QtBot, window: MainWindow, caseload) -> None:  # type: ignore[no-untyped-def]
    big(window, qtbot)
    open_by_keyboard(qtbot, window, "nour")
    panel = window.panel
    bar = panel.page.verticalScrollBar()
    assert bar.value() == 0 and panel.nav.current_key() == "identity"
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_5, ALT)  # contacts and timeline
    timeline_section = panel.sections["timeline"]
    assert bar.value() == min(timeline_section.y(), bar.maximum()) > 0
    assert timeline_section.isAncestorOf(QApplication.focusWidget())
    assert QApplication.focusWidget() is panel.timeline.log_button
    assert panel.nav.current_key() == "timeline"
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_2, ALT)  # contact
    assert QApplication.focusWidget() is panel.fields["phone"].editor
    assert panel.nav.current_key() == "contact"
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_1, ALT)
    assert bar.value() == 0 and QApplication.focusWidget() is panel.fields["given_name"].editor


def test_another_client_opens_at_the_top(qtbot: QtBot, window: MainWindow, caseload) -> None:  # type: ignore[no-untyped-def]
    made, _anna, _bart = caseload
    big(window, qtbot)
    open_by_keyboard(qtbot, window, "yilmaz")  # two clients found: Ayşe and Mehmet
    first = window.panel.client_id
    bar = window.panel.page.verticalScrollBar()
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_9, ALT)  # privacy, at the bottom
    assert bar.value() > 0 and window.panel.nav.current_key() == "privacy"
    qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Escape)  # back to the list
    assert window.table.hasFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Down)  # the next client, with the arrow key
    qtbot.waitUntil(lambda: window.panel.client_id not in (None, first))  # once it rests there
    assert {first, window.panel.client_id} == {made["Ayşe"].id, made["Mehmet"].id}
    assert bar.value() == 0 and window.panel.nav.current_key() == "identity"
    assert window.panel.title.visibleRegion().boundingRect().height() > 0


def test_timeline_shows_whole_texts_on_hover_and_a_colour_per_kind(
    qtbot: QtBot, window: MainWindow, session, caseload
) -> None:  # type: ignore[no-untyped-def]
    made, anna, _bart = caseload
    long_note = (
        "Called about the course in Ghent; she prefers mornings because the children are at "
        "school until three, and asked for the address of the library with free internet. " * 3
    ).strip()
    timeline.add_note(session, actor(anna), made["Ayşe"].id, long_note)
    timeline.add_note(session, actor(anna), made["Ayşe"].id, "Short one")
    session.commit()
    open_by_keyboard(qtbot, window, "ayse")
    model = window.panel.timeline.model
    assert model.rowCount() == 2
    row = next(r for r in range(2) if model.entries[r].detail == long_note)
    shown = model.index(row, 2).data()
    assert len(shown) < len(long_note) and shown.endswith(" …")
    assert long_note.startswith(shown[:-2])  # cut after a whole word
    assert model.index(row, 2).data(Qt.ItemDataRole.ToolTipRole) == long_note
    assert model.index(row, 1).data(Qt.ItemDataRole.ToolTipRole).startswith("Note: Note")
    assert model.index(row, 3).data(Qt.ItemDataRole.ToolTipRole) == "Anna Aerts"
    assert window.panel.timeline.view.wordWrap()
    icon = model.index(row, 1).data(Qt.ItemDataRole.DecorationRole)
    note_colour = icon.pixmap(12).toImage().pixelColor(6, 6)
    from app.ui.caseload.timeline_box import kind_icon

    contact_colour = kind_icon(timeline.Kind.CONTACT).pixmap(12).toImage().pixelColor(6, 6)
    assert note_colour.alpha() == 255 and note_colour != contact_colour


def test_interpreter_and_referral_are_edited_in_the_file(
    qtbot: QtBot, window: MainWindow, session, caseload
) -> None:  # type: ignore[no-untyped-def]
    made, _anna, _bart = caseload
    big(window, qtbot)
    open_by_keyboard(qtbot, window, "mehmet")
    panel = window.panel
    badge = panel.header.interpreter
    assert badge.isHidden()
    box: QCheckBox = panel.fields["interpreter_needed"].editor  # type: ignore[assignment]
    assert box.text() == "Interpreter needed"
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    session.expire_all()
    assert clients.get_client(session, made["Mehmet"].id).interpreter_needed is True
    assert badge.isVisible() and badge.text() == "Interpreter needed"

    qtbot.keyClick(
        window.focusWidget(), Qt.Key.Key_1, ALT
    )  # identity, then "How the client came to us"
    combo: QComboBox = panel.fields["referred_by"].editor  # type: ignore[assignment]
    assert combo.currentText() == "Not recorded"
    combo.setFocus()
    target = combo.findData(ReferredBy.WELFARE_CENTRE.value)
    while combo.currentIndex() < target:
        qtbot.keyClick(combo, Qt.Key.Key_Down)
    detail: QLineEdit = panel.fields["referred_by_detail"].editor  # type: ignore[assignment]
    detail.setFocus()
    qtbot.keyClicks(detail, "OCMW Gent, Marie")
    qtbot.keyClick(detail, Qt.Key.Key_Tab)
    session.expire_all()
    stored = clients.get_client(session, made["Mehmet"].id)
    assert stored.referred_by == ReferredBy.WELFARE_CENTRE
    assert stored.referred_by_detail == "OCMW Gent, Marie"

    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    session.expire_all()
    assert clients.get_client(session, made["Mehmet"].id).interpreter_needed is False
    assert badge.isHidden()
    window.open_client(made["Jan"].id)  # another client's file shows their own
    assert combo.currentText() == "Not recorded" and not box.isChecked()


def test_the_screenshot_size_option(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import argparse

    import pytest

    from app.cli import build_parser, window_size

    assert window_size("1280x720") == (1280, 720)
    assert window_size("1280×720") == (1280, 720)
    for bad in ("1280", "x720", "12x7", "wide"):
        with pytest.raises(argparse.ArgumentTypeError, match="1280x720"):
            window_size(bad)
    args = build_parser().parse_args(["--screenshot", str(tmp_path / "x.png")])
    assert args.size == (1440, 880)
