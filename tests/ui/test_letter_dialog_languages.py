"""The letter preview warns about every offer text that will not be in the letter's language,
and proposes a file name made of the dossier and the copy, never the client's name."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from app.db import Database
from app.i18n import in_language
from app.models import Client
from app.ui.referrals.letter_dialog import LetterDialog
from tests.helpers import actor
from tests.unit.letter_fixtures import NOUR, referral_for


def test_the_preview_lists_blocks_in_another_language_and_saves_under_the_dossier(
    qtbot: QtBot,
    database: Database,
    session: Session,
    make_counsellor,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # type: ignore[no-untyped-def]
    person = make_counsellor("anna")
    person.phone, person.email = "+3292101010", "anna@example.be"
    anna = actor(person)
    referral = referral_for(session, anna, NOUR)  # reads Arabic and French
    dossier = session.get(Client, referral.client_id).dossier  # type: ignore[union-attr]
    with in_language("en"):
        dialog = LetterDialog(database.sessions, anna, referral.id, "client")
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.language.currentData() == "ar"
        assert dialog.foreign.isVisible()
        assert "Not in Arabic:" in dialog.foreign.text()
        assert (
            "What to bring: printed in French, a language the client reads."
            in dialog.foreign.text()
        )
        # Dutch is the letter's language: nothing to warn about
        dialog.language.setFocus()
        QTest.keyClick(dialog.language, Qt.Key.Key_Home)  # the first: Dutch
        assert dialog.language.currentData() == "nl" and not dialog.foreign.isVisible()
        dialog.language.setCurrentIndex(dialog.language.findData("tr"))
        assert "Not in Turkish:\n• What to bring: printed in French" in dialog.foreign.text()
        # a client who reads none of the offer's languages: left out, and said so
        client = session.get(Client, referral.client_id)
        assert client is not None
        client.other_languages = []
        session.commit()
        dialog.language.setCurrentIndex(dialog.language.findData("ar"))
        assert (
            "What to bring: left out; the offer has it only in Dutch, French, English."
            in dialog.foreign.text()
        )
        offered: list[str] = []

        def save_as(parent: object, title: str, name: str, filters: str) -> tuple[str, str]:
            offered.append(name)
            return str(tmp_path / name), filters

        monkeypatch.setattr(QFileDialog, "getSaveFileName", save_as)
        dialog.save.click()
        assert offered == [f"referral-{dossier}-client.pdf"]
        assert "Nour" not in offered[0] and (tmp_path / offered[0]).read_bytes().startswith(b"%PDF")
        dialog.copy.setFocus()
        QTest.keyClick(dialog.copy, Qt.Key.Key_Up)  # the partner's letter
        assert dialog.default_file_name() == f"referral-{dossier}-partner.pdf"
