"""The offer form gives each client text (what to bring, notes) one tab per language: what a
counsellor types under French is what a French letter prints, and an empty tab stores nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from app.i18n import in_language
from app.models.enums import CounsellorRole
from app.services.referrals import offers
from app.services.referrals.offer_fields import offer_texts
from app.ui.referrals.offer_catalogue_dialog import OfferForm, TextsByLanguage
from tests.helpers import actor


def test_each_language_has_its_tab_and_what_is_typed_is_stored_per_language(
    qtbot: QtBot, database, session: Session, make_counsellor
) -> None:  # type: ignore[no-untyped-def]
    person = make_counsellor("ada")
    person.role = CounsellorRole.ADMIN
    session.commit()
    ada = actor(person)
    values = {"code": "nt2-gent", "offer_type": "dutch_second_language", "name": "NT2 Gent",
              "provider": "Huis van het Nederlands", "region": "east_flanders",
              "postal_code": "9000", "municipality": "Gent", "languages": "nl",
              "what_to_bring": {"nl": "Je identiteitskaart.", "en": "Your identity card."}}  # fmt: skip
    offer = offers.save(session, ada, None, values)
    session.commit()
    with in_language("nl"):
        form = OfferForm(database.sessions, ada, offer.id)
        qtbot.addWidget(form)
        form.show()
        tabs = form.inputs["what_to_bring"]
        assert isinstance(tabs, TextsByLanguage)
        assert [tabs.tabText(i) for i in range(tabs.count())] == ["Nederlands", "Frans", "Engels"]
        assert tabs.edits["nl"].toPlainText() == "Je identiteitskaart."
        tabs.setCurrentIndex(1)
        french = tabs.edits["fr"]
        french.setFocus()
        qtbot.keyClicks(french, "Votre carte d'identite.")
        qtbot.keyClick(french, Qt.Key.Key_Tab)  # Tab leaves the text, it types no tab
        assert "\t" not in french.toPlainText()
        tabs.edits["en"].clear()
        form._save()
    session.expire_all()
    assert offer_texts(offers.get(session, offer.id), "what_to_bring") == {
        "nl": "Je identiteitskaart.", "fr": "Votre carte d'identite."}  # fmt: skip
