"""The language pickers, used with the keyboard: part of a name (in the interface language,
in English, in the language itself) or a code, a choice from the list that drops down, and
the code is what is given; the name is what is shown. A client-file field saves the code."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session

from app.i18n import in_language
from app.services.caseload import clients
from app.services.errors import ValidationFailed
from app.ui.fields import FieldEditor, LanguageField, LanguagesField
from app.ui.language_picker import LanguageBox, LanguagesEdit, popup_of
from tests.helpers import actor


def shown_in_list(widget: LanguageBox | LanguagesEdit) -> list[str]:
    model = popup_of(widget.completer_).model()
    assert model is not None
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def make_box(qtbot: QtBot) -> tuple[LanguageBox, list[object]]:
    box = LanguageBox()
    qtbot.addWidget(box)
    box.show()
    box.setFocus()
    chosen: list[object] = []
    box.chosen.connect(chosen.append)
    return box, chosen


def test_typing_turk_and_choosing_with_the_keyboard_stores_tr(qtbot: QtBot) -> None:
    with in_language("nl"):
        box, chosen = make_box(qtbot)
        qtbot.keyClicks(box.line, "Turk")
        popup = popup_of(box.completer_)
        assert popup.isVisible()
        assert shown_in_list(box)[:2] == ["Turks", "Turkmeens"]  # names that start with it first
        qtbot.keyClick(popup, Qt.Key.Key_Down)
        qtbot.keyClick(popup, Qt.Key.Key_Return)
        assert chosen == ["tr"] and box.code() == "tr"
        assert box.line.text() == "Turks" and not popup.isVisible()


def test_the_second_in_the_list_is_chosen_with_two_arrows(qtbot: QtBot) -> None:
    with in_language("nl"):
        box, chosen = make_box(qtbot)
        qtbot.keyClicks(box.line, "turk")
        popup = popup_of(box.completer_)
        qtbot.keyClick(popup, Qt.Key.Key_Down)
        qtbot.keyClick(popup, Qt.Key.Key_Down)
        qtbot.keyClick(popup, Qt.Key.Key_Return)
        assert chosen == ["tk"] and box.line.text() == "Turkmeens"


def test_french_names_english_names_and_own_names_find_the_language(qtbot: QtBot) -> None:
    with in_language("fr"):
        box, chosen = make_box(qtbot)
        qtbot.keyClicks(box.line, "turc")
        assert shown_in_list(box)[0] == "Turc"
        box.line.clear()
        qtbot.keyClicks(box.line, "Turkish")  # English
        assert "Turc" in shown_in_list(box)
        box.line.clear()
        qtbot.keyClicks(box.line, "somal")
        assert shown_in_list(box)[0] == "Somali"
        qtbot.keyClick(popup_of(box.completer_), Qt.Key.Key_Down)
        qtbot.keyClick(popup_of(box.completer_), Qt.Key.Key_Return)
        assert chosen == ["so"]


def test_a_whole_name_or_a_code_typed_and_left_is_taken(qtbot: QtBot) -> None:
    with in_language("nl"):
        box, chosen = make_box(qtbot)
        qtbot.keyClicks(box.line, "Tigrinya")
        popup_of(box.completer_).hide()
        qtbot.keyClick(box.line, Qt.Key.Key_Return)
        assert chosen == ["ti"] and box.line.text() == "Tigrinya"
        box.line.clear()
        qtbot.keyClicks(box.line, "FA-af")
        popup_of(box.completer_).hide()
        qtbot.keyClick(box.line, Qt.Key.Key_Return)
        assert chosen == ["ti", "fa_AF"] and box.line.text() == "Dari"


def test_what_names_no_language_is_given_as_typed(qtbot: QtBot) -> None:
    with in_language("nl"):
        box, chosen = make_box(qtbot)
        qtbot.keyClicks(box.line, "Turksch")
        popup_of(box.completer_).hide()
        qtbot.keyClick(box.line, Qt.Key.Key_Return)
        assert chosen == ["Turksch"] and box.line.text() == "Turksch"  # nothing typed is lost


def test_arabic_names_are_found_without_their_article(qtbot: QtBot) -> None:
    with in_language("ar"):
        box, chosen = make_box(qtbot)
        box.line.setText("")
        box.line.insert("تركي")  # QTest types ASCII only
        box.line.textEdited.emit(box.line.text())
        assert shown_in_list(box)[0] == "التركية"
        qtbot.keyClick(popup_of(box.completer_), Qt.Key.Key_Down)
        qtbot.keyClick(popup_of(box.completer_), Qt.Key.Key_Return)
        assert chosen == ["tr"]


def test_several_languages_are_completed_one_after_the_other(qtbot: QtBot) -> None:
    with in_language("nl"):
        edit = LanguagesEdit()
        qtbot.addWidget(edit)
        edit.show()
        edit.setFocus()
        chosen: list[list[str]] = []
        edit.chosen.connect(chosen.append)
        qtbot.keyClicks(edit, "Eng")
        popup = popup_of(edit.completer_)
        qtbot.keyClick(popup, Qt.Key.Key_Down)
        qtbot.keyClick(popup, Qt.Key.Key_Return)
        assert edit.text() == "Engels, "
        qtbot.keyClicks(edit, "amh")
        assert shown_in_list(edit)[0] == "Amhaars"
        qtbot.keyClick(popup, Qt.Key.Key_Down)
        qtbot.keyClick(popup, Qt.Key.Key_Return)
        assert edit.text() == "Engels, Amhaars, "
        qtbot.keyClicks(edit, "ti")  # a code, without the list
        popup.hide()
        qtbot.keyClick(edit, Qt.Key.Key_Return)
        assert chosen == [["en", "am", "ti"]]
        edit.set_codes(["en", "am", "ti"])
        assert edit.text() == "Engels, Amhaars, Tigrinya"


def test_the_client_file_fields_save_codes_and_show_names(
    qtbot: QtBot, session: Session, make_counsellor
) -> None:  # type: ignore[no-untyped-def]
    """Wired as the client file wires its fields: a commit is saved by the service, and the
    field then shows what was stored; a refusal is shown under the field, the text kept."""
    who = actor(make_counsellor("ann"))
    client = clients.create_client(session, {"given_name": "Amina", "family_name": "Warsame"},
                                   actor=who, referent_id=who.counsellor_id)  # fmt: skip
    session.commit()

    def save(editor: FieldEditor, field: str, value: object) -> None:
        try:
            stored = clients.update_client(session, client.id, {field: value}, actor=who)
        except ValidationFailed as exc:
            session.rollback()
            editor.show_error(exc.errors[field])
            return
        session.commit()
        editor.accept(getattr(stored, field))

    with in_language("nl"):
        contact, others = LanguageField("contact_language"), LanguagesField("other_languages")
        for editor in (contact, others):
            qtbot.addWidget(editor)
            editor.show()
            editor.committed.connect(lambda f, v, e=editor: save(e, f, v))
        contact.box.setFocus()
        qtbot.keyClicks(contact.box.line, "Somal")
        qtbot.keyClick(popup_of(contact.box.completer_), Qt.Key.Key_Down)
        qtbot.keyClick(popup_of(contact.box.completer_), Qt.Key.Key_Return)
        session.refresh(client)
        assert client.contact_language == "so" and contact.box.line.text() == "Somalisch"
        others.edit.setFocus()
        qtbot.keyClicks(others.edit, "Engels, Turksch")
        popup_of(others.edit.completer_).hide()
        qtbot.keyClick(others.edit, Qt.Key.Key_Return)
        assert others.message.isVisible()
        message = others.message.text()  # the field's label, what was typed, a name and a code
        assert message.startswith("Andere talen: ") and "“Turksch”" in message
        assert "Turks" in message.replace("Turksch", "") and " tr" in message
        assert others.edit.text() == "Engels, Turksch"  # nothing typed is lost
        session.refresh(client)
        assert client.other_languages == []
        others.edit.setText("Engels, Turks")
        qtbot.keyClick(others.edit, Qt.Key.Key_Return)
        session.refresh(client)
        assert client.other_languages == ["en", "tr"] and not others.message.isVisible()
        assert others.edit.text() == "Engels, Turks"
    with in_language("fr"):
        contact.retranslate()
        others.retranslate()
        assert contact.box.line.text() == "Somali" and others.edit.text() == "Anglais, Turc"


def test_the_offer_form_shows_its_languages_by_name_and_saves_codes(
    qtbot: QtBot, database, session: Session, make_counsellor
) -> None:  # type: ignore[no-untyped-def]
    from app.models.enums import CounsellorRole
    from app.services.referrals import offers
    from app.ui.referrals.offer_catalogue_dialog import OfferForm

    person = make_counsellor("ada")
    person.role = CounsellorRole.ADMIN
    session.commit()
    ada = actor(person)
    values = {"code": "nt2-aalst", "offer_type": "dutch_second_language", "name": "NT2 Aalst",
              "provider": "Huis van het Nederlands", "region": "east_flanders",
              "postal_code": "9300", "municipality": "Aalst", "languages": "nl, ar"}  # fmt: skip
    offer = offers.save(session, ada, None, values)
    session.commit()
    with in_language("fr"):
        form = OfferForm(database.sessions, ada, offer.id)
        qtbot.addWidget(form)
        form.show()
        languages = form.inputs["languages"]
        assert isinstance(languages, LanguagesEdit)
        assert languages.text() == "Néerlandais, Arabe"
        languages.setFocus()
        languages.end(False)
        qtbot.keyClicks(languages, ", tigri")
        qtbot.keyClick(popup_of(languages.completer_), Qt.Key.Key_Down)
        qtbot.keyClick(popup_of(languages.completer_), Qt.Key.Key_Return)
        assert form.values()["languages"] == "nl, ar, ti"
        form._save()
    session.expire_all()
    assert offers.get(session, offer.id).languages == ["nl", "ar", "ti"]
