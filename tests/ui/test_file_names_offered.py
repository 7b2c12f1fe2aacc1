"""The names the window proposes when it saves a file: meaningful, in the interface language,
with the dossier and never the client's name (issue 24, point 11)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from app.i18n import in_language
from app.ui.contact.agenda_window import AgendaWindow
from app.ui.main_window import MainWindow


def _proposed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every name a save dialog proposes; the dialog is then cancelled."""
    names: list[str] = []

    def save(
        _parent: object, _title: str, name: str, *_rest: object, **_kw: object
    ) -> tuple[str, str]:
        names.append(name)
        return "", ""

    monkeypatch.setattr(QFileDialog, "getSaveFileName", save)
    return names


def test_the_data_export_and_the_agenda_are_offered_under_names_that_say_what_they_are(
    qtbot: QtBot, window: MainWindow, caseload, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    made, anna, _bart = caseload
    window.counsellor.setCurrentIndex(window.counsellor.findData(anna.id))
    window.counsellor.activated.emit(window.counsellor.currentIndex())
    window.open_client(made["Ayşe"].id)
    names = _proposed(monkeypatch)
    with in_language("nl"):
        window.panel.privacy.export.click()
        agenda = AgendaWindow(window.sessions, window.actor, window)
        qtbot.addWidget(agenda)
        agenda.export()
    dossier = made["Ayşe"].dossier
    assert names[0] == f"gegevens-{dossier}.pdf"
    assert names[1].startswith("agenda-") and names[1].endswith(".ics")
    assert dt.date.fromisoformat(names[1][len("agenda-") : -len(".ics")])
    assert not any("Yilmaz" in n or "Yılmaz" in n or "Ayse" in n for n in names)
