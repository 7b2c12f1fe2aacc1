"""A second file for the same person is warned about before it is made (at the desk and in
"New client"), the desk shows the visitor's language and interpreter while serving, and two
counsellors called Anna Peeters are told apart in the working-as chooser and the caseload."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from app.models import Client, DeskVisit
from app.services.caseload import assignments, clients, counsellors
from app.services.caseload.listing import SortKey
from app.ui.caseload.caseload_model import COLUMNS
from app.ui.caseload.dialogs import NewClientDialog
from app.ui.contact.desk_window import DeskWindow
from app.ui.main_window import MainWindow
from tests.helpers import actor
from tests.ui.modal import when_modal

BORN = dt.date(1990, 3, 3)


def press(qtbot: QtBot, box: QWidget, name: str) -> None:
    """A button of the warning, pressed with the keyboard (focus, then Space)."""
    button = box.findChild(QPushButton, name)
    assert button is not None
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)


def peeters(session: Any, make_counsellor: Any) -> tuple[Any, Any]:
    gent = make_counsellor("apeeters", "Anna Peeters")
    gent.office = "Gent"
    antwerpen = counsellors.create_counsellor(session, login="apeeters2", full_name="Anna Peeters",
                                              office="Antwerpen")  # fmt: skip
    session.commit()
    return gent, antwerpen


def tesfay(session: Any, referent: Any) -> Client:
    made = clients.create_client(session, {"given_name": "Tesfay", "family_name": "Gebremedhin",
                                           "birth_date": BORN}, actor=actor(referent),
                                 referent_id=referent.id)  # fmt: skip
    session.commit()
    return made


def serve(qtbot: QtBot, desk: DeskWindow, language: str) -> None:
    desk.name.setText("Tesfay")
    desk.language.setCurrentIndex(desk.language.findData(language))
    qtbot.keyClick(desk.name, Qt.Key.Key_Return)
    desk.next_action.trigger()  # F2


def type_person(qtbot: QtBot, desk: DeskWindow) -> None:
    form = desk.new_file
    for edit, text in ((form.given, "Tesfay"), (form.family, "Gebremedhin"),
                       (form.birth_date, "3/3/1990"), (form.postal_code, "9000")):  # fmt: skip
        edit.setFocus()
        qtbot.keyClicks(edit, text)


def test_registering_tesfay_twice_at_the_desk_warns_and_offers_the_existing_file(
    qtbot: QtBot, database: Any, session: Any, make_counsellor: Any
) -> None:
    anna, _other_anna = peeters(session, make_counsellor)
    existing = tesfay(session, anna)
    bart = make_counsellor("bart", "Bart Baert")
    desk = DeskWindow(database.sessions, lambda: actor(bart))
    qtbot.addWidget(desk)
    desk.show()
    desk.open_button.click()
    serve(qtbot, desk, "ti")
    type_person(qtbot, desk)
    seen: list[str] = []

    def give_reason(dialog: QWidget) -> None:
        seen.append(dialog.objectName())
        qtbot.keyClicks(dialog.edits["reason"], "walk-in at the permanence desk")  # type: ignore[attr-defined]
        qtbot.keyClick(dialog.edits["reason"], Qt.Key.Key_Return)  # type: ignore[attr-defined]

    def open_it(box: QWidget) -> None:
        assert isinstance(box, QMessageBox) and box.objectName() == "same_person_warning"
        seen.append(box.text())
        when_modal(give_reason)  # a colleague's file: the reason is asked
        qtbot.keyClick(box, Qt.Key.Key_Return)  # "Open that file" is the default

    when_modal(open_it)
    qtbot.keyClick(desk.register_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: desk.picker.client_id() == existing.id)
    assert seen[0] == (
        f"A file for Tesfay Gebremedhin born 3 March 1990 already exists: {existing.dossier}, "
        "followed by Anna Peeters (Gent, apeeters)."
    )
    assert seen[1] == "break_glass"
    assert session.scalar(select(Client.id).where(Client.id != existing.id)) is None  # no double
    assert desk.new_file.given.text() == ""  # taken: the form is done
    # "create a new file anyway" makes the second file, without a referent (dispatch)
    desk.finish_button.click()
    serve(qtbot, desk, "ti")
    type_person(qtbot, desk)
    when_modal(lambda box: press(qtbot, box, "create_anyway"))
    qtbot.keyClick(desk.register_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: desk.picker.client_id() not in (None, existing.id))
    second = desk.picker.client_id()
    assert second is not None and assignments.current_referent(session, second) is None
    assert "waits for a referent" in desk.status.text()
    session.expire_all()
    visit = session.scalars(select(DeskVisit).where(DeskVisit.client_id == second)).one()
    assert visit.language == "ti"
    assert session.get(Client, second).contact_language == "ti"


def test_back_to_the_form_then_the_existing_file_closes_the_new_file_form(
    qtbot: QtBot, database: Any, session: Any, make_counsellor: Any
) -> None:
    bart = make_counsellor("bart", "Bart Baert")
    existing = tesfay(session, bart)
    desk = DeskWindow(database.sessions, lambda: actor(bart))
    qtbot.addWidget(desk)
    desk.show()
    desk.open_button.click()
    serve(qtbot, desk, "ti")
    type_person(qtbot, desk)
    when_modal(lambda box: press(qtbot, box, "back_to_form"))
    qtbot.keyClick(desk.register_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: QApplication.activeModalWidget() is None)
    assert desk.new_file.given.text() == "Tesfay" and desk.register_button.isEnabled()
    # the desk worker finds the existing file in "Find the client" instead, with the keyboard
    desk.picker.setFocus()
    qtbot.keyClicks(desk.picker.lineEdit(), "gebremedhin")
    desk.picker.search_now()
    desk.picker.hidePopup()
    qtbot.keyClick(desk.picker, Qt.Key.Key_Down)
    qtbot.keyClick(desk.picker, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: desk.picker.client_id() == existing.id)
    form = desk.new_file
    assert [e.text() for e in (form.given, form.family, form.birth_date, form.postal_code)] == [
        ""
    ] * 4
    assert not form.isEnabled() and not desk.register_button.isEnabled()
    desk.register()  # nothing to register: the visit has its file
    assert session.scalar(select(Client.id).where(Client.id != existing.id)) is None
    # the visit done, the next visitor gets the form back
    desk.finish_button.click()
    serve(qtbot, desk, "ar")
    assert form.isEnabled() and desk.register_button.isEnabled()


def test_desk_registration_without_the_tick_is_in_no_ones_caseload(
    qtbot: QtBot, database: Any, session: Any, make_counsellor: Any
) -> None:
    bart = make_counsellor("bart", "Bart Baert")
    desk = DeskWindow(database.sessions, lambda: actor(bart))
    qtbot.addWidget(desk)
    desk.show()
    desk.open_button.click()
    serve(qtbot, desk, "ti")
    type_person(qtbot, desk)
    qtbot.keyClick(desk.register_button, Qt.Key.Key_Space)  # nobody of that name yet: no warning
    made = desk.picker.client_id()
    assert made is not None and assignments.current_referent(session, made) is None
    # ticked: the desk worker follows the client
    desk.finish_button.click()
    serve(qtbot, desk, "ar")
    desk.new_file.given.setText("Noor")
    desk.new_file.family.setText("Haddad")
    desk.new_file.follow.setFocus()
    qtbot.keyClick(desk.new_file.follow, Qt.Key.Key_Space)
    qtbot.keyClick(desk.register_button, Qt.Key.Key_Space)
    mine = desk.picker.client_id()
    referent = assignments.current_referent(session, mine) if mine else None
    assert referent is not None and referent.counsellor_id == bart.id
    assert "you follow this client" in desk.status.text()


def test_the_new_client_dialog_warns_goes_back_and_creates_anyway(
    qtbot: QtBot, database: Any, session: Any, make_counsellor: Any
) -> None:
    anna = make_counsellor("anna", "Anna Aerts")
    existing = tesfay(session, anna)
    dialog = NewClientDialog(database.sessions, actor(anna))
    qtbot.addWidget(dialog)
    dialog.show()
    for field, text in (("given_name", "Tesfay"), ("family_name", "Gebremedhin"),
                        ("birth_date", "3/3/1990")):  # fmt: skip
        qtbot.keyClicks(dialog.edits[field], text)
    texts: list[str] = []

    def back(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        texts.append(box.text())
        qtbot.keyClick(box, Qt.Key.Key_Escape)

    when_modal(back)
    qtbot.keyClick(dialog.edits["birth_date"], Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: bool(texts))
    assert existing.dossier in texts[0] and "Anna Aerts" in texts[0]
    assert dialog.isVisible() and dialog.value("given_name") == "Tesfay"  # nothing lost
    assert dialog.value("birth_date") == "3/3/1990" and dialog.created_id is None
    when_modal(lambda box: press(qtbot, box, "create_anyway"))
    qtbot.keyClick(dialog.edits["birth_date"], Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.created_id is not None)
    assert dialog.created_id != existing.id and dialog.file_id == dialog.created_id
    # and once more: opening one's own file needs no reason
    again = NewClientDialog(database.sessions, actor(anna))
    qtbot.addWidget(again)
    again.show()
    qtbot.keyClicks(again.edits["given_name"], "tesfay")
    qtbot.keyClicks(again.edits["family_name"], "GEBREMEDHIN")
    qtbot.keyClicks(again.edits["birth_date"], "3/3/1990")
    when_modal(lambda box: qtbot.keyClick(box, Qt.Key.Key_Return))
    qtbot.keyClick(again.edits["birth_date"], Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: again.opened_id is not None)
    assert again.file_id == existing.id and again.created_id is None


def test_the_desk_shows_the_visitors_language_and_interpreter_while_serving(
    qtbot: QtBot, database: Any, session: Any, make_counsellor: Any
) -> None:
    anna = make_counsellor("anna", "Anna Aerts")
    client = tesfay(session, anna)
    client.interpreter_needed, client.contact_language = True, "ti"
    session.commit()
    desk = DeskWindow(database.sessions, lambda: actor(anna))
    qtbot.addWidget(desk)
    desk.show()
    desk.open_button.click()
    assert not desk.speaks.isVisible()
    serve(qtbot, desk, "ti")
    assert desk.speaks.isVisible() and desk.speaks.accessibleName() == "Speaks: Tigrinya"
    assert "ti" not in desk.speaks.text().split()
    qtbot.keyClicks(desk.picker.lineEdit(), "gebremedhin")
    desk.picker.search_now()
    index = desk.picker.findText("Tesfay Gebremedhin", Qt.MatchFlag.MatchStartsWith)
    desk.picker.setCurrentIndex(index)
    desk.picker.activated.emit(index)
    assert desk.interpreter.isVisible()
    assert desk.interpreter.accessibleName() == "Interpreter needed: Tigrinya"
    desk.finish_button.click()
    assert not desk.speaks.isVisible() and not desk.interpreter.isVisible()


def test_two_anna_peeters_are_told_apart_in_the_chooser_and_the_caseload(
    qtbot: QtBot, window: MainWindow, session: Any, make_counsellor: Any
) -> None:
    gent, antwerpen = peeters(session, make_counsellor)
    for person, (given, family) in ((gent, ("Tesfay", "Gebremedhin")),
                                    (antwerpen, ("Noor", "Haddad"))):  # fmt: skip
        clients.create_client(session, {"given_name": given, "family_name": family},
                              actor=actor(person), referent_id=person.id)  # fmt: skip
    session.commit()
    window.working_as.fill()
    shown = [window.counsellor.itemText(i) for i in range(window.counsellor.count())]
    assert "Anna Peeters (Gent, apeeters)" in shown
    assert "Anna Peeters (Antwerpen, apeeters2)" in shown
    assert "Anna Aerts" in shown  # a name nobody shares stays plain
    window.model.refresh()
    column = COLUMNS.index(SortKey.REFERENT)
    referents = {window.model.index(row, 1).data(): window.model.index(row, column).data()
                 for row in range(window.model.rowCount())}  # fmt: skip
    assert referents["Gebremedhin"].strip("\u2066\u2069") == "Anna Peeters (Gent, apeeters)"
    assert referents["Haddad"].strip("\u2066\u2069") == "Anna Peeters (Antwerpen, apeeters2)"
    assert referents["Peeters"].strip("\u2066\u2069") == "Anna Aerts"
