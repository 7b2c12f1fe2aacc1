"""The guided-script wizard, operated the way a counsellor at a desk does: by keyboard alone,
one step at a time, with answers saved as given and the result explained at the end."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from app.models import ScriptRun
from app.services.scripts import runs
from app.ui.main_window import MainWindow
from app.ui.scripts.script_wizard import ScriptWizard
from tests.ui.modal import Modal


def focused() -> QWidget | None:
    return QApplication.focusWidget()


def tab_to(qtbot: QtBot, wizard: ScriptWizard, wanted: Callable[[QWidget], bool]) -> QWidget:
    """Press Tab until the wanted widget has the focus, as a person would."""
    for _press in range(40):
        widget = focused()
        if widget is not None and wanted(widget):
            return widget
        qtbot.keyClick(widget or wizard, Qt.Key.Key_Tab)
    raise AssertionError(f"Tab never reached the widget; focus is on {focused()!r}")


def named(name: str) -> Callable[[QWidget], bool]:
    return lambda widget: widget.objectName() == name


def key(
    qtbot: QtBot, which: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
) -> None:
    target = focused()
    assert target is not None
    qtbot.keyClick(target, which, modifier)


def open_wizard(
    qtbot: QtBot, window: MainWindow, client_id: int, script_id: str = "digital-profile"
) -> ScriptWizard:
    window.open_client(client_id)
    box = window.panel.scripts
    box.script.setCurrentIndex(box.script.findData(script_id))
    qtbot.keyClick(box.start_button, Qt.Key.Key_Space)
    wizard = box.wizard
    assert wizard is not None
    qtbot.waitExposed(wizard)
    wizard.activateWindow()
    qtbot.waitUntil(lambda: focused() is not None and wizard.isAncestorOf(focused()))
    return wizard


def test_the_digital_profile_is_completed_by_keyboard_alone(
    qtbot: QtBot, window: MainWindow, caseload
) -> None:  # type: ignore[no-untyped-def]
    made, _anna, _bart = caseload
    wizard = open_wizard(qtbot, window, made["Jan"].id)
    assert wizard.progress_text.text() == "Step 1 of 4: 1. Do you have an e-mail address?"
    assert "face-to-face conversation or by phone" in wizard.guidance.text()
    assert focused() is wizard.widgets["has_email"].buttons["yes"]
    key(qtbot, Qt.Key.Key_Down)  # the arrow moves to "No", Space chooses it
    key(qtbot, Qt.Key.Key_Space)
    assert wizard.widgets["has_email"].buttons["no"].isChecked()
    with window.sessions() as session:
        assert runs.answers(session, wizard.run_id) == {"has_email": "no"}  # saved at once
    assert not wizard.widgets["email_frequency"].isVisible()  # follow-ups only after "yes"
    key(qtbot, Qt.Key.Key_Return)  # Next
    assert wizard.progress_text.text().startswith("Step 2 of 4:")  # step 5 is not relevant yet
    key(qtbot, Qt.Key.Key_Return)  # leave the starter pack unanswered
    box = tab_to(qtbot, wizard, named("answer_internet_uses_none"))
    key(qtbot, Qt.Key.Key_Space)
    assert box.property("answer_value") == "none" and wizard.widgets["internet_uses"].value() == [
        "none"
    ]
    assert not wizard.widgets["internet_alone"].isVisible()
    key(qtbot, Qt.Key.Key_Return)
    assert wizard.progress_text.text().startswith("Step 4 of 4:")
    assert not wizard.widgets["other_places"].isVisible()
    key(qtbot, Qt.Key.Key_Down)  # home internet: no
    key(qtbot, Qt.Key.Key_Space)
    assert wizard.widgets["other_places"].isVisible()  # the follow-up appears
    tab_to(qtbot, wizard, named("answer_other_places_yes"))
    key(qtbot, Qt.Key.Key_Down)  # no other place either
    key(qtbot, Qt.Key.Key_Space)
    tab_to(qtbot, wizard, named("answer_own_device_yes"))
    key(qtbot, Qt.Key.Key_Space)
    assert wizard.next.text() == "&Finish and show the result"
    key(qtbot, Qt.Key.Key_Return)

    page = wizard.result_page
    assert wizard.pages.currentWidget() is page
    assert page.result.text() == "Result: Digitally low-literate"
    assert "Has no e-mail address." in page.reasons.text()
    assert "Does not use the internet for any of the activities asked about." in page.reasons.text()
    assert "Lacks the means" in page.flags.text()
    assert "No internet at home and no other place to go online." in page.flags.text()
    refer = page.action_buttons["refer_digitally_low_literate"]
    assert refer.text() == "Refer to the province's “digitally low-literate” offer"
    assert focused() is refer  # the first suggested action: Enter or Space takes it

    def find_one(box: QMessageBox) -> None:  # Jan's province is not known: no offer there
        assert (
            box.text()
            == "The catalogue has no “Digitally low-literate” offer in the client's region yet."
        )
        qtbot.waitUntil(lambda: focused() is not None and box.isAncestorOf(focused()))
        key(qtbot, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)  # "Make an &action point…"

    asked = Modal(QMessageBox, find_one)
    key(qtbot, Qt.Key.Key_Space)
    asked.check()
    assert (
        page.done.text()
        == "Action point made: Refer to the “Digitally low-literate” offer in the client's region."
    )
    assert page.action_buttons["refer_digitally_low_literate"].text().startswith("✓ ")
    with window.sessions() as session:
        run = session.get(ScriptRun, wizard.run_id)
        assert run is not None and run.result == "low_literate"
    table = window.panel.scripts.table
    assert table.rowCount() == 1 and table.item(0, 3).text() == "Digitally low-literate"


def test_closing_mid_run_keeps_the_answers_and_resume_returns_to_the_step(
    qtbot: QtBot, window: MainWindow, caseload
) -> None:  # type: ignore[no-untyped-def]
    made, _anna, _bart = caseload
    wizard = open_wizard(qtbot, window, made["Nour"].id)
    key(qtbot, Qt.Key.Key_Space)  # has e-mail: yes
    tab_to(qtbot, wizard, named("answer_email_frequency_daily"))
    key(qtbot, Qt.Key.Key_Space)
    key(qtbot, Qt.Key.Key_Return)
    assert wizard.progress_text.text().startswith("Step 2 of")
    wizard.close()
    box = window.panel.scripts
    assert box.start_button.text() == "&Resume"
    assert box.table.item(0, 3).text() == "unfinished, can be resumed"
    again = open_wizard(qtbot, window, made["Nour"].id)
    assert again is not wizard and again.run_id == wizard.run_id
    assert again.progress_text.text().startswith("Step 1 of")  # e-mail questions still open
    assert again.widgets["has_email"].buttons["yes"].isChecked()
    assert again.widgets["email_frequency"].buttons["daily"].isChecked()
