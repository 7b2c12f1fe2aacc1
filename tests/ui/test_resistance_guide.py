"""The resistance-to-e-mail guide in the wizard: a step with its tips appears for an objection
once it is ticked; the agreed action points fill in the action point form; and a team lead
sees which outcomes followed which objection."""

from __future__ import annotations

import datetime as dt

import pytest
from pytestqt.qtbot import QtBot

from app.models.enums import CounsellorRole
from app.services.clock import local_today
from app.ui.main_window import MainWindow
from app.ui.scripts.script_outcomes import ScriptOutcomesDialog
from app.ui.scripts.script_result import ActionPointDialog
from app.ui.scripts.script_wizard import ScriptWizard
from tests.ui.test_script_wizard import open_wizard


def open_guide(qtbot: QtBot, window: MainWindow, client_id: int) -> ScriptWizard:
    return open_wizard(qtbot, window, client_id, "resistance-to-email")


def test_an_objection_brings_its_tips_and_the_agreements_fill_the_action_point(
    qtbot: QtBot, window: MainWindow, caseload, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    made, _anna, _bart = caseload
    wizard = open_guide(qtbot, window, made["Jan"].id)
    assert wizard.progress_text.text() == (
        "Step 1 of 4: Dealing with resistance starts at the start of every conversation"
    )
    wizard.go_next()
    assert "put your finger on the sore spot" in wizard.guidance.text()
    wizard.widgets["avoid"].buttons["yes"].setChecked(True)
    wizard.widgets["avoid"].note.setText("Wants to talk about the course first")
    wizard.widgets["avoid"].note.editingFinished.emit()
    wizard.go_next()
    wizard.widgets["objections"].buttons["refuses"].setChecked(True)
    assert wizard.progress_text.text().startswith("Step 3 of 5:")  # the objection's step joined
    wizard.go_next()
    assert wizard.progress_text.text() == "Step 4 of 5: Refuses to use e-mail"
    assert "Suspect unwillingness?" in wizard.guidance.text()
    assert "“what if you do NOT use your e-mail address" in wizard.guidance.text()
    wizard.go_next()
    outcomes = wizard.widgets["outcomes"]
    assert not wizard.widgets["follow_up_points"].isVisible()
    outcomes.buttons["formal_follow_up"].setChecked(True)
    assert wizard.widgets["follow_up_points"].isVisible()
    due = local_today() + dt.timedelta(days=7)
    for question, text in [("follow_up_points", "Open an e-mail account at the library"),
                           ("follow_up_due", due.strftime("%d/%m/%Y"))]:  # fmt: skip
        line = wizard.widgets[question].line
        line.setText(text)
        line.editingFinished.emit()
    wizard.finish()
    page = wizard.result_page
    assert page.result.text() == "Result: Learning to work with e-mail"
    assert "Objections parked" in page.flags.text()
    proposed = {}

    def accept(dialog: ActionPointDialog) -> int:
        proposed["title"], proposed["due"] = dialog.value("title"), dialog.due_on.date().toPython()
        dialog._submit()
        return 1

    monkeypatch.setattr(ActionPointDialog, "exec", accept)
    page.action_buttons["formal_follow_up"].click()
    assert proposed == {"title": "Open an e-mail account at the library", "due": due}
    assert page.done.text() == "Action point made: Open an e-mail account at the library."


def test_a_team_lead_sees_outcomes_per_objection(
    qtbot: QtBot, window: MainWindow, session, caseload
) -> None:  # type: ignore[no-untyped-def]
    made, anna, _bart = caseload
    wizard = open_guide(qtbot, window, made["Nour"].id)
    for step in range(3):
        if step == 2:
            wizard.widgets["objections"].buttons["no_device"].setChecked(True)
        wizard.go_next()
    wizard.go_next()  # past the objection's own step
    wizard.widgets["outcomes"].buttons["free_internet_info"].setChecked(True)
    wizard.finish()
    assert not window.oversight.outcomes_action.isEnabled()
    anna.role = CounsellorRole.TEAM_LEAD
    session.commit()
    window.counsellor.activated.emit(window.counsellor.currentIndex())
    assert window.oversight.outcomes_action.isEnabled()

    dialog = ScriptOutcomesDialog(window.sessions, window.actor(), window)
    qtbot.addWidget(dialog)
    table = dialog.table
    rows = [table.verticalHeaderItem(r).toolTip() for r in range(table.rowCount())]
    no_device = rows.index("No PC, tablet, ... – no internet subscription")
    headings = [table.horizontalHeaderItem(c).toolTip() for c in range(table.columnCount())]
    printed = headings.index("Information on places with free internet, printed for the client")
    assert table.item(no_device, 0).text() == "1"
    assert table.item(no_device, printed).text() == "1 (100%)"
    assert table.item(rows.index("All conversations"), 0).text() == "1"
    assert "1 finished conversation (Werkwinkel Gent)" in dialog.summary.text()
    dialog.copy()
    copied = dialog.as_text().splitlines()
    assert copied[0].startswith("\tConversations\tThe client will use e-mail\t")
    assert copied[no_device + 1].startswith("No PC, tablet, ... – no internet subscription\t1\t0\t")
