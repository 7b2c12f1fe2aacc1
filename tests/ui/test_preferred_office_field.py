"""The client's preferred office offers the team's offices once the counsellor goes to it
(a file opened to be read does not read them)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.ui.caseload.client_fields import OfficeField


def test_the_offices_are_offered_when_the_field_is_used(
    qtbot: QtBot, database: Any, session: Any, make_counsellor: Any
) -> None:
    for login, office in (("anna", "Gent"), ("bert", "Antwerpen"), ("lea", "Gent")):
        make_counsellor(login, login.title()).office = office
    session.commit()
    field = OfficeField("preferred_office", database.sessions)
    qtbot.addWidget(field)
    field.show()
    field.set_value("Oostende")  # an office the file has, no longer the team's
    assert [field.combo.itemText(i) for i in range(field.combo.count())] == [
        "No preference", "Oostende"]  # fmt: skip
    seen: list[tuple[str, Any]] = []
    field.committed.connect(lambda name, value: seen.append((name, value)))
    field.combo.setFocus()
    qtbot.waitUntil(lambda: field.combo.count() > 2)
    assert field.combo.currentText() == "Oostende"  # what the file has, still shown
    assert {field.combo.itemText(i) for i in range(field.combo.count())} >= {"Antwerpen", "Gent"}
    field.combo.setCurrentIndex(field.combo.findText("Gent") - 1)
    qtbot.keyClick(field.combo, Qt.Key.Key_Down)  # to Gent, with the arrow key
    assert seen[-1] == ("preferred_office", "Gent")
