"""Every date edit shows the year in full, in every interface language (a two-digit year is a
guess about the century)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtWidgets import QDateEdit
from pytestqt.qtbot import QtBot

from app.i18n import set_language
from app.ui.qt_i18n import apply_language
from app.ui.qt_values import full_year, qt_date


@pytest.mark.parametrize("language", ["nl", "fr", "en", "de", "ar"])
def test_a_date_edit_writes_the_year_in_full(qtbot: QtBot, language: str) -> None:
    set_language(language)
    apply_language(language)
    try:
        edit = full_year(QDateEdit(qt_date(dt.date(2026, 12, 23))))
        qtbot.addWidget(edit)
        assert "yyyy" in edit.displayFormat() and "2026" in edit.text().translate(
            str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789"))  # fmt: skip
    finally:
        set_language("en")
        apply_language("en")
