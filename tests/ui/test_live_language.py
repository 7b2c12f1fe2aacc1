"""Switching the interface language with the caseload, a client file, the wizard and the
agenda open: every open window follows at once, the layout turns right to left for Arabic
and back, and nothing typed but not yet saved is lost."""

from __future__ import annotations

import datetime as dt

from babel.dates import format_date
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QLineEdit
from pytestqt.qtbot import QtBot

from app.i18n import LANGUAGES
from app.services.caseload import clients
from app.ui.main_window import MainWindow
from tests.helpers import actor
from tests.ui.test_script_wizard import open_wizard

#: what a person sees after each switch: window title, File menu, the wizard's Back button,
#: the wizard's guidance box, the file's contact box, the caseload's family-name column and
#: Qt's own Cancel button
EXPECTED = {
    "nl": ("Traject — caseload", "&Bestand", "&Terug", "Leidraad voor jou",
           "Contacten en tijdlijn", "Familienaam", "Annuleren"),
    "fr": ("Traject — portefeuille", "&Fichier", "&Retour", "Conseils pour vous",
           "Contacts et historique", "Nom", "Annuler"),
    "ar": ("Traject — قائمة الحالات", "&ملف", "&رجوع", "إرشادات لك",
           "التواصل والخط الزمني", "اسم العائلة", "ألغِ"),
    "de": ("Traject — Fallbestand", "&Datei", "&Zurück", "Hinweise für Sie",
           "Kontakte und Zeitleiste", "Familienname", "Abbrechen"),
    "en": ("Traject — caseload", "&File", "&Back", "Guidance for you",
           "Contacts and timeline", "Family name", "Cancel"),
}  # fmt: skip


#: 30 July 1985 in each locale's short form, the year in full
BIRTH_DATE = {"nl": "30/07/1985", "fr": "30/07/1985", "ar": "30\u200f/7\u200f/1985",
              "de": "30.07.1985", "en": "30/07/1985"}  # fmt: skip


def test_every_open_window_follows_a_switch_of_language_and_keeps_what_was_typed(
    qtbot: QtBot, window: MainWindow, session, caseload
) -> None:  # type: ignore[no-untyped-def]
    made, anna, _bart = caseload
    jan = made["Jan"].id
    clients.update_client(session, jan, {"birth_date": dt.date(1985, 7, 30)}, actor=actor(anna))
    session.commit()
    qtbot.keyClicks(window.search, "Pee")
    wizard = open_wizard(qtbot, window, jan)
    wizard_note = wizard.widgets["has_email"].note or wizard.widgets["starter_pack"].note
    assert wizard_note is not None
    qtbot.keyClicks(wizard_note, "heeft geen computer")
    profession: QLineEdit = window.panel.fields["profession"].editor  # type: ignore[assignment]
    profession.setFocus()
    qtbot.keyClicks(profession, "Lasser")  # typed, not yet saved (no Return, focus stays)
    window.activity.show_agenda()
    agenda = window.activity.agenda_window
    assert agenda is not None

    for language in ("nl", "fr", "ar", "de", "en"):
        window.languages.switch_language(language)
        title, file_menu, back, guidance, contacts, family, cancel = EXPECTED[language]
        assert window.windowTitle().startswith(title)
        assert window.file_menu.title() == file_menu
        assert window.model.headerData(1, Qt.Orientation.Horizontal) == family
        assert window.panel.timeline.title() == contacts
        assert wizard.back.text() == back
        assert wizard.guidance_box.title() == guidance
        locale = LANGUAGES[language]
        shown_birth = window.panel.fields["birth_date"].line.text()  # type: ignore[attr-defined]
        assert shown_birth == BIRTH_DATE[language]
        assert format_date(agenda.grid.days[0], "medium", locale=locale) in agenda.period.text()
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        assert box.buttons()[0].text() == cancel
        checked = [a.data() for a in window.languages.group.actions() if a.isChecked()]
        assert checked == [language]
        right_to_left = language == "ar"  # Arabic mirrors every window, and back
        assert (QApplication.layoutDirection() == Qt.LayoutDirection.RightToLeft) is right_to_left
        for shown in (window, wizard, agenda, window.panel, window.table):
            assert shown.isRightToLeft() is right_to_left
        dossier = window.model.data(window.model.index(0, 0))  # "T-…": left to right
        assert dossier.startswith("\u2066") is right_to_left  # isolated: keeps its order
        # what was typed and not saved is still there, and still not saved
        assert window.search.text() == "Pee"
        assert profession.text() == "Lasser"
        assert wizard_note.text() == "heeft geen computer"
        assert clients.get_client(session, jan).profession in (None, "")


def test_the_language_menu_names_each_language_in_itself(window: MainWindow) -> None:
    assert window.languages.group.actions() == []  # not built at start-up (CLDR data costs)
    window.languages.menu.aboutToShow.emit()
    names = [(a.data(), a.text(), a.isChecked()) for a in window.languages.group.actions()]
    assert names == [("nl", "Nederlands", False), ("fr", "Français", False),
                     ("en", "English", True), ("de", "Deutsch", False), ("ar", "العربية", False)]  # fmt: skip
