"""Guided conversations from the window, not only from deep inside the file: Ctrl+Shift+G starts
one for the open client (and says what to do when none is open), "Print a blank
questionnaire…" saves the paper form under a meaningful name, and the file's "On paper…"
prints it for that client in the client's language with the dossier in the name."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox
from pytestqt.qtbot import QtBot

from app.models import ScriptRun
from app.services.caseload import clients
from app.ui.main_window import MainWindow
from app.ui.scripts.blank_form import BlankFormDialog
from app.ui.window.conversations import ConversationController, StartConversationDialog
from tests.helpers import actor
from tests.ui.modal import Modal
from tests.ui.test_script_wizard import focused, key


@pytest.fixture
def controller(window: MainWindow) -> ConversationController:
    """The window's own: its Conversations menu and Ctrl+Shift+G."""
    window.activateWindow()
    return window.conversations


@pytest.fixture
def save_as(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[list[str]]:
    """The save dialog answers with a file in tmp_path; `proposed` holds the names it offered."""
    proposed: list[str] = []

    def answer(_parent: object, _title: str, name: str, _filter: str) -> tuple[str, str]:
        proposed.append(name)
        return str(tmp_path / name), _filter

    monkeypatch.setattr(QFileDialog, "getSaveFileName", answer)
    yield proposed


def pdf_text(path: Path) -> str:
    return " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(path.read_bytes())).pages)


def press_shortcut(qtbot: QtBot, window: MainWindow) -> None:
    window.activateWindow()  # as the window manager does once a message box closes
    qtbot.waitUntil(lambda: focused() is not None and window.isAncestorOf(focused()))
    key(
        qtbot, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )


def test_the_shortcut_opens_the_wizard_for_the_open_client(
    qtbot: QtBot, window: MainWindow, caseload, controller: ConversationController
) -> None:  # type: ignore[no-untyped-def]
    made, _anna, _bart = caseload

    def told(box: QMessageBox) -> None:
        assert box.text().startswith("Open a client's file first")
        qtbot.keyClick(box, Qt.Key.Key_Return)

    nobody = Modal(QMessageBox, told)
    press_shortcut(qtbot, window)
    nobody.check()
    assert controller.wizard is None

    window.open_client(made["Nour"].id)

    def choose(dialog: StartConversationDialog) -> None:
        qtbot.waitUntil(lambda: focused() is dialog.script)
        while dialog.script.currentData() != "resistance-to-email":
            key(qtbot, Qt.Key.Key_Down)
        assert dialog.start.text() == "S&tart"
        key(qtbot, Qt.Key.Key_Return)

    asked = Modal(StartConversationDialog, choose)
    press_shortcut(qtbot, window)
    asked.check()
    wizard = controller.wizard
    assert wizard is not None and wizard.isVisible()
    assert wizard.script.id == "resistance-to-email"
    assert "Nour El Amrani" in wizard.heading.text()
    with window.sessions() as session:
        run = session.get(ScriptRun, wizard.run_id)
        assert run is not None and run.client_id == made["Nour"].id and run.finished_at is None
    assert window.panel.scripts.table.rowCount() == 1  # the file lists the run at once


def test_the_menu_prints_a_blank_questionnaire(
    qtbot: QtBot, window: MainWindow, controller: ConversationController, save_as: list[str],
    tmp_path: Path,
) -> None:  # fmt: skip
    def save(dialog: BlankFormDialog) -> None:
        qtbot.waitUntil(lambda: focused() is dialog.script)
        while dialog.script.currentData() != "digital-profile":
            key(qtbot, Qt.Key.Key_Down)
        key(qtbot, Qt.Key.Key_Tab)
        assert focused() is dialog.language and dialog.language.currentData() == "en"
        while dialog.language.currentData() != "nl":
            key(qtbot, Qt.Key.Key_Up)
        key(qtbot, Qt.Key.Key_Return)  # Save as PDF…, the default button

    done = Modal(BlankFormDialog, save)
    controller.actions["blank"].trigger()  # the menu entry
    done.check()
    assert save_as == ["questionnaire-digital-profile-nl.pdf"]
    text = pdf_text(tmp_path / save_as[0])
    assert "Digitaal profiel" in text and "Heb je een e-mailadres?" in text
    assert "Saved as" in window.statusBar().currentMessage()


def test_the_file_prints_the_form_for_its_client(
    qtbot: QtBot, window: MainWindow, caseload, session, save_as: list[str], tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    made, anna, _bart = caseload
    client = clients.update_client(session, made["Ayşe"].id, {"contact_language": "fr"},
                                   actor=actor(anna))  # fmt: skip
    dossier = client.dossier
    session.commit()
    window.open_client(client.id)
    box = window.panel.scripts
    box.script.setCurrentIndex(box.script.findData("digital-profile"))

    def save(dialog: BlankFormDialog) -> None:
        assert dialog.language.currentData() == "fr"  # the client's language
        qtbot.waitUntil(lambda: focused() is not None and dialog.isAncestorOf(focused()))
        key(qtbot, Qt.Key.Key_Return)

    done = Modal(BlankFormDialog, save)
    qtbot.keyClick(box.paper_button, Qt.Key.Key_Space)
    done.check()
    assert save_as == [f"questionnaire-digital-profile-{dossier}-fr.pdf"]
    assert "Profil numérique" in pdf_text(tmp_path / save_as[0])
    assert box.note.text() == f"Saved as {tmp_path / save_as[0]}."
