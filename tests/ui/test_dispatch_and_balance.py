"""The dispatch inbox and the caseload balance as a team lead uses them: a proposal with its
reason per dossier, one dossier given to someone else with the keyboard, all assigned, what is
left shown with why; the balance's figures and its chart match the service."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from app.db import Database
from app.models.enums import CounsellorRole
from app.services import org_settings
from app.services.caseload import clients
from app.services.team import caseload_balance, dispatch
from app.services.team.dispatch_rules import DispatchRules
from app.ui.main_window import MainWindow
from app.ui.team.balance_view import BalanceView
from app.ui.team.dispatch_dialog import DispatchDialog
from tests.helpers import actor


def _team(session: Session, make_counsellor, lead):  # type: ignore[no-untyped-def]
    anna, bart = make_counsellor("anna", "Anna Aerts"), make_counsellor("bart", "Bart Baert")
    org_settings.put(session, "dispatch_rules", DispatchRules(
        languages={"bart": ("ar",)}, maximum=2).as_json())  # fmt: skip
    for n, language in enumerate(["ar", "nl", "nl"]):
        clients.create_client(session, {"given_name": f"Amina{n}", "family_name": "Idrissi",
                                        "contact_language": language, "municipality": "Gent"},
                              actor=lead, referent_id=None)  # fmt: skip
    session.commit()
    return anna, bart


def test_a_team_lead_overrides_one_row_with_the_keyboard_and_assigns_all(
    qtbot: QtBot, database: Database, session: Session, make_counsellor, lead, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    anna, bart = _team(session, make_counsellor, lead)
    dialog = DispatchDialog(database.sessions, lead)
    qtbot.addWidget(dialog)
    dialog.show()
    table = dialog.table
    assert table.rowCount() == 3
    assert table.item(0, 5).text() == "Bart Baert (Werkwinkel Gent)"
    assert "speaks Arabic" in table.item(0, 6).text()
    assert dialog.count.text() == "3 dossiers wait for a referent; 3 have a counsellor chosen."
    dialog.grab().save(str(tmp_path / "inbox.png"))
    table.setFocus()
    QTest.keyClick(table, Qt.Key.Key_Down)  # the second dossier
    assert table.currentRow() == 1
    QTest.keyClick(table, Qt.Key.Key_Return)  # to its counsellor choice
    assert dialog.focusWidget() is dialog.counsellor
    QTest.keyClick(dialog.counsellor, Qt.Key.Key_Home)  # "Nobody yet", the first choice
    assert dialog.counsellor.currentData() is None
    assert table.item(1, 5).text() == "—" and table.item(1, 6).text() == "chosen by the team lead"
    assert dialog.count.text().endswith("2 have a counsellor chosen.")
    dialog.assign_all.setFocus()  # tabbed to "Assign all", pressed with the space bar
    QTest.keyClick(dialog.assign_all, Qt.Key.Key_Space)
    assert dialog.outcome.text() == "2 dossiers assigned. 1 dossier still waits."
    assert table.rowCount() == 1 and table.item(0, 1).text() == "Amina1 Idrissi"
    session.expire_all()
    assert dispatch.open_caseloads(session) == {anna.id: 1, bart.id: 1}


def test_an_over_the_maximum_choice_is_named_and_nothing_written(
    qtbot: QtBot, database: Database, session: Session, make_counsellor, lead
) -> None:  # type: ignore[no-untyped-def]
    anna, _bart = _team(session, make_counsellor, lead)
    dialog = DispatchDialog(database.sessions, lead)
    qtbot.addWidget(dialog)
    dialog.show()
    for row in range(3):
        dialog.table.setCurrentCell(row, 0)
        dialog.counsellor.activated.emit(dialog.counsellor.findData(anna.id))
    dialog.assign(selected_only=False)
    assert dialog.errors.isVisible() and "more than the maximum of 2" in dialog.errors.text()
    assert dialog.table.rowCount() == 3
    session.expire_all()
    assert dispatch.open_caseloads(session) == {}


def test_the_window_offers_dispatch_to_team_leads_only(
    window: MainWindow, session: Session, caseload
) -> None:  # type: ignore[no-untyped-def]
    _made, anna, _bart = caseload
    window.counsellor.setCurrentIndex(window.counsellor.findData(anna.id))
    window.counsellor.activated.emit(0)
    assert not window.dispatch.inbox_action.isEnabled()
    anna.role = CounsellorRole.TEAM_LEAD
    session.commit()
    window.counsellor.activated.emit(0)
    assert window.dispatch.inbox_action.isEnabled() and window.dispatch.balance_action.isEnabled()


def test_the_balance_shows_the_service_figures_and_draws_the_chart(
    qtbot: QtBot, database: Database, session: Session, make_counsellor, lead, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    anna, bart = _team(session, make_counsellor, lead)
    proposal = dispatch.prepare(session, lead)
    dispatch.apply(session, lead, proposal.decisions, today=dt.date.today() - dt.timedelta(days=40))
    session.commit()
    view = BalanceView(database.sessions, lead)
    qtbot.addWidget(view)
    view.resize(1280, 720)
    view.show()
    figures = caseload_balance.balance(session, lead)
    shown = {view.people.item(r, 0).text(): (view.people.item(r, 2).text(), view.people.item(r, 4).text())
             for r in range(view.people.rowCount())}  # fmt: skip
    assert shown == {"Anna Aerts": ("2", "1"), "Bart Baert": ("1", "1")}
    assert {c.name: c.open for c in figures.counsellors} == {"Anna Aerts": 2, "Bart Baert": 1}
    assert (
        view.offices.item(0, 0).text() == "Werkwinkel Gent"
        and view.offices.item(0, 1).text() == "3"
    )
    items = view.chart.getPlotItem().listDataItems()
    lines = {item.name(): list(item.getData()[1]) for item in items}
    assert lines == {"Anna Aerts": figures.per_counsellor[anna.id],
                     "Bart Baert": figures.per_counsellor[bart.id]}  # fmt: skip
    assert lines["Anna Aerts"][-1] == 2 and lines["Anna Aerts"][0] == 0  # given 40 days ago
    view.per.setCurrentIndex(view.per.findData("office"))
    office_line = view.chart.getPlotItem().listDataItems()
    assert [list(i.getData()[1])[-1] for i in office_line] == [3]
    view.grab().save(str(tmp_path / "balance.png"))


def test_the_rules_page_saves_offices_languages_and_maximum_and_names_a_mistake(
    qtbot: QtBot, database: Database, session: Session, make_counsellor
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QDialogButtonBox, QTableWidgetItem

    from app.services.team import dispatch_rules
    from app.ui.org_settings_dialog import OrgSettingsDialog

    ada = make_counsellor("ada", "Ada Admin")
    ada.role = CounsellorRole.ADMIN
    make_counsellor("sami", "Sami Saidi")
    session.commit()
    dialog = OrgSettingsDialog(database.sessions, actor(ada))
    qtbot.addWidget(dialog)
    dialog.show()
    page = dialog.dispatch
    page.offices.insertRow(0)
    page.offices.setItem(0, 0, QTableWidgetItem("Gent"))
    page.offices.setItem(0, 1, QTableWidgetItem("9000, 99x"))
    sami_row = next(
        r for r in range(page.people.rowCount()) if page.people.item(r, 0).text() == "Sami Saidi"
    )
    page.people.setItem(sami_row, 2, QTableWidgetItem("Arabic, French"))
    page.maximum.selectAll()
    qtbot.keyClicks(page.maximum, "25")
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.tabs.currentWidget() is page
    assert "“99x” is not a postal code" in page.error.text() and page.error.isVisible()
    assert page.maximum.value() == 25  # nothing typed is lost
    page.offices.item(0, 1).setText("9000, 99*")
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    session.expire_all()
    rules = dispatch_rules.load(session)
    assert rules.offices == {"Gent": ("9000", "99*")} and rules.maximum == 25
    assert rules.languages == {"sami": ("ar", "fr")}


def test_a_dossier_given_a_referent_meanwhile_is_said_and_the_inbox_read_again(
    qtbot: QtBot,
    database: Database,
    session: Session,
    make_counsellor,
    lead,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # type: ignore[no-untyped-def]
    from app.services.caseload import assignments

    _anna, bart = _team(session, make_counsellor, lead)
    dialog = DispatchDialog(database.sessions, lead)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.table.rowCount() == 3
    second = dialog.proposal.decisions[1].client_id
    real = dispatch.open_caseloads

    def meanwhile(s: Session) -> dict[int, int]:  # between apply's check and its write
        monkeypatch.setattr(dispatch, "open_caseloads", real)  # once
        with database.sessions() as other:  # another team lead, by hand
            assignments.assign_referent(other, second, bart.id, actor=lead)
            other.commit()
        return real(s)

    monkeypatch.setattr(dispatch, "open_caseloads", meanwhile)
    assert dialog.assign(selected_only=False) is None
    assert dialog.errors.isVisible() and dialog.errors.text() == (
        "Some of these dossiers were given a referent meanwhile; nothing was changed. Look at "
        "the inbox again.")  # fmt: skip
    assert dialog.table.rowCount() == 2  # read again: the two still waiting
    assert second not in {d.client_id for d in dialog.proposal.decisions}
    session.expire_all()
    assert dispatch.open_caseloads(session) == {bart.id: 1}  # the colleague's, none of mine


def test_the_rules_page_says_when_the_stored_rules_are_broken(
    qtbot: QtBot, database: Database, session: Session
) -> None:  # type: ignore[no-untyped-def]
    from app.ui.team.dispatch_rules_page import DispatchRulesPage

    org_settings.put(session, "dispatch_rules", '{"order": [1, "a", "b", "c"]}')  # by hand
    session.commit()
    page = DispatchRulesPage(database.sessions)
    qtbot.addWidget(page)
    page.show()
    assert page.error.isVisible() and page.error.text() == (
        "Dispatch rules, Order: name each of office, specialism, language, load once. Until "
        "this is corrected, dispatch uses the default rules.")  # fmt: skip
    assert page.maximum.value() == 150  # the defaults are shown, to save over the broken value


def test_the_rules_tab_gives_its_columns_room_and_postal_codes_read_as_typed_in_arabic(
    qtbot: QtBot, database: Database, session: Session, make_counsellor
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtWidgets import QApplication, QLineEdit, QStyleOptionViewItem, QTableWidgetItem

    from app.ui.org_settings_dialog import DISPATCH_ROOM, OrgSettingsDialog
    from app.ui.qt_i18n import apply_language

    apply_language("ar")
    ada = make_counsellor("ada", "Ada Admin")
    ada.role = CounsellorRole.ADMIN
    make_counsellor("sami", "Sami Saidi")
    session.commit()
    dialog = OrgSettingsDialog(database.sessions, actor(ada))
    qtbot.addWidget(dialog)
    dialog.show()
    narrow = dialog.width()
    qtbot.keyClick(dialog.tabs, Qt.Key.Key_Tab, Qt.KeyboardModifier.ControlModifier)
    page = dialog.dispatch
    assert dialog.tabs.currentWidget() is page
    screen = dialog.screen().availableGeometry()
    assert dialog.width() >= min(DISPATCH_ROOM[0], screen.width()) > narrow
    assert dialog.height() <= screen.height()
    QApplication.processEvents()
    header = page.people.horizontalHeader()
    spin = next(iter(page.own_maximum.values()))
    assert header.sectionSize(3) >= spin.sizeHint().width()  # "as everyone" whole
    assert header.sectionSize(1) >= 150 and header.sectionSize(2) >= 150
    # the postal codes: left to right when shown and while typed, in a right-to-left dialog
    page.offices.insertRow(0)
    page.offices.setItem(0, 0, QTableWidgetItem("Gent"))
    page.offices.setItem(0, 1, QTableWidgetItem("2000, 20*"))
    option = QStyleOptionViewItem()
    page.offices.itemDelegateForColumn(1).initStyleOption(option, page.offices.model().index(0, 1))
    assert option.direction == Qt.LayoutDirection.LeftToRight and page.isRightToLeft()
    page.offices.setFocus()
    page.offices.setCurrentCell(0, 1)
    qtbot.keyClick(page.offices, Qt.Key.Key_F2)
    editor = QApplication.focusWidget()
    assert isinstance(editor, QLineEdit) and editor.text() == "2000, 20*"
    assert editor.layoutDirection() == Qt.LayoutDirection.LeftToRight


def test_a_counsellor_above_the_maximum_is_marked_and_arabic_months_keep_their_space(
    qtbot: QtBot, database: Database, session: Session, make_counsellor, lead
) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtGui import QColor

    from app.ui.qt_i18n import apply_language

    _team(session, make_counsellor, lead)
    dispatch.apply(session, lead, dispatch.prepare(session, lead).decisions)
    org_settings.put(session, "dispatch_rules", DispatchRules(
        languages={"bart": ("ar",)}, maximum=2, maximum_by_login={"anna": 1}).as_json())  # fmt: skip
    session.commit()
    view = BalanceView(database.sessions, lead)
    qtbot.addWidget(view)
    view.show()
    rows = {view.people.item(r, 0).text(): r for r in range(view.people.rowCount())}
    anna, bart = rows["Anna Aerts"], rows["Bart Baert"]
    assert view.people.item(anna, 2).text() == "2 (above the maximum)"
    assert view.people.item(bart, 2).text() == "1"
    said = view.people.item(anna, 0).data(Qt.ItemDataRole.AccessibleDescriptionRole)
    assert said == "Anna Aerts has 2 open files, above the maximum of 1."
    assert view.people.item(anna, 3).background().color() == QColor("#fde0dc")
    assert view.people.item(bart, 3).background().style() == Qt.BrushStyle.NoBrush
    assert view.people.item(anna, 0).font().bold() and not view.people.item(bart, 0).font().bold()
    view.close()
    apply_language("ar")
    arabic = BalanceView(database.sessions, lead)
    qtbot.addWidget(arabic)
    arabic.show()
    labels = arabic.month_labels()
    assert len(labels) == 12 and all(" \u200f" in label for label in labels)  # "يناير \u200f2026"
    axis = arabic.chart.getPlotItem().getAxis("bottom")
    assert [text for _x, text in axis._tickLevels[0]] == labels
    plot = arabic.chart.getPlotItem()
    assert plot.layoutDirection() == Qt.LayoutDirection.LeftToRight  # time runs to the right
    assert plot.legend.layoutDirection() == Qt.LayoutDirection.LeftToRight


def test_the_reason_gets_the_room_a_long_counsellor_name_would_take(
    qtbot: QtBot, database: Database, session: Session, make_counsellor, lead
) -> None:  # type: ignore[no-untyped-def]
    long_name = make_counsellor("mcv", "Marie-Christine Vandenbroucke-Van Assche de Ghellinck")
    org_settings.put(session, "dispatch_rules", DispatchRules(
        languages={"mcv": ("ar",)}).as_json())  # fmt: skip
    clients.create_client(session, {"given_name": "Amina", "family_name": "Idrissi",
                                    "contact_language": "ar"}, actor=lead, referent_id=None)  # fmt: skip
    session.commit()
    dialog = DispatchDialog(database.sessions, lead)
    qtbot.addWidget(dialog)
    dialog.resize(1100, 600)
    dialog.show()
    header = dialog.table.horizontalHeader()
    assert long_name.full_name in dialog.table.item(0, 5).toolTip()  # whole, where it is cut
    assert header.sectionSize(5) <= 220 < header.sectionSize(6)  # the reason is read in full
