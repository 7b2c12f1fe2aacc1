"""A main window over a small caseload, with its own settings file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from app.db import Database
from app.services.caseload import clients
from app.ui.main_window import MainWindow
from app.ui.ui_settings import UiSettings
from tests.helpers import actor

PEOPLE = [
    ("Ayşe", "Yılmaz", {"phone": "0470 12 34 56"}),
    ("Mehmet", "Yılmaz", {}),
    ("Łukasz", "Wiśniewski", {}),
    ("Nour", "El Amrani", {"email": "nour@example.be"}),
    ("Jan", "Peeters", {}),
]


@pytest.fixture
def caseload(session, make_counsellor, today):  # type: ignore[no-untyped-def]
    anna = make_counsellor("anna", "Anna Aerts")
    bart = make_counsellor("bart", "Bart Baert")
    made = {
        given: clients.create_client(session, {"given_name": given, "family_name": family, **extra},
                                     referent_id=anna.id, today=today, actor=actor(anna))
        for given, family, extra in PEOPLE
    }  # fmt: skip
    session.commit()
    return made, anna, bart


@pytest.fixture
def settings(tmp_path: Path) -> UiSettings:
    return UiSettings(tmp_path / "ui.ini")


@pytest.fixture
def window(
    qtbot: QtBot, database: Database, caseload, settings: UiSettings, session
) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    win = MainWindow(database, settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    session.close()  # the test's own session first: closing the caseload ends its connection
    win.close_database()  # before the database goes (a team server's is dropped)


@pytest.fixture(autouse=True)
def _qt_in_english(qapp) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """Qt's own catalog, locale and layout direction back to English after a test that
    switched language (Arabic leaves the layout right to left)."""
    yield
    from app.i18n import set_language
    from app.ui.qt_i18n import install_qt_translations

    install_qt_translations(set_language("en"))
