"""Languages by name: a name in the interface language, in English or in the language itself,
or a code, gives the stored code; an unknown name is refused with a message that names the
field and says how to type a language; a code is shown by its name. Dates typed in the wrong
form are told the form; a date that does not exist is said not to exist."""

from __future__ import annotations

import datetime as dt

import pytest

from app import language_names as names
from app.i18n import in_language
from app.services import validation as v


@pytest.mark.parametrize(
    ("ui", "typed", "code"),
    [
        ("nl", "Turks", "tr"), ("nl", "turks", "tr"), ("fr", "turc", "tr"), ("fr", "Turc", "tr"),
        ("ar", "التركية", "tr"), ("ar", "تركية", "tr"),  # with and without the article
        ("nl", "Turkish", "tr"), ("fr", "Türkçe", "tr"), ("fr", "turkce", "tr"),  # English, own
        ("nl", "TR", "tr"), ("ar", "tr", "tr"), ("nl", "prs", "fa_AF"), ("fr", "Dari", "fa_AF"),
        ("nl", "Somalisch", "so"), ("fr", "somali", "so"), ("nl", "Tigrinya", "ti"),
        ("fr", "arabe", "ar"), ("nl", "  Arabisch ", "ar"), ("fr", "Oekraïens", "uk"),
        ("nl", "français", "fr"), ("ar", "العربية", "ar"), ("fr", "pashto", "ps"),
    ],
)  # fmt: skip
def test_a_name_or_a_code_gives_the_code(ui: str, typed: str, code: str) -> None:
    with in_language(ui):
        assert names.code_for(typed) == code
        assert v.language_code("contact_language", typed) == code


@pytest.mark.parametrize(
    ("ui", "code", "shown"),
    [
        ("nl", "tr", "Turks"), ("fr", "tr", "Turc"), ("ar", "tr", "التركية"),
        ("nl", "fa_AF", "Dari"), ("nl", "prs", "Dari"), ("fr", "so", "Somali"),
        ("nl", "am", "Amhaars"), ("en", "ti", "Tigrinya"),
        ("nl", "qaa", "qaa"),  # no name in CLDR: the code, not nothing
        ("nl", None, ""),
    ],
)  # fmt: skip
def test_a_code_is_shown_by_its_name(ui: str, code: str | None, shown: str) -> None:
    with in_language(ui):
        assert names.display_name(code) == shown


def test_an_unknown_name_names_the_field_and_how_to_type_a_language() -> None:
    with in_language("en"), pytest.raises(v.FieldInvalid) as refused:
        v.language_code("contact_language", "Turksch")
    assert refused.value.errors == {
        "contact_language": "Contact language: “Turksch” is not a language Traject knows; "
        "type its name, e.g. Turkish, or its code, e.g. tr."
    }
    with in_language("en"), pytest.raises(v.FieldInvalid) as refused:
        v.language_code("other_languages", "Somalish")
    assert "Other languages: “Somalish”" in str(refused.value)
    assert "e.g. Somali, or its code, e.g. so." in str(refused.value)  # the closest name


@pytest.mark.parametrize(
    "typed", ["x", "123", "de__DE", "C", "root", "nl_XX", "und", "zxx", "Turksch"]
)
def test_what_names_no_language_is_refused(typed: str) -> None:
    with in_language("en"), pytest.raises(v.FieldInvalid, match="is not a language Traject knows"):
        v.language_code("contact_language", typed)


def test_the_picker_lists_each_language_once_by_name_in_alphabetical_order() -> None:
    with in_language("nl"):
        listed = names.choices()
    codes = [lang.code for lang in listed]
    assert len(codes) == len(set(codes)) > 500
    assert {"tr", "fa_AF", "so", "ti", "am", "nl"} <= set(codes)
    shown = {lang.code: lang.name for lang in listed}
    assert shown["tr"] == "Turks" and shown["fa_AF"] == "Dari"
    assert [lang.name for lang in listed][:3] == sorted(lang.name for lang in listed)[:3]
    turkish = next(lang for lang in listed if lang.code == "tr")
    assert {"turks", "turkish", "turc", "turkce", "tr"} <= set(turkish.search.split("\n"))


def test_the_interpreter_note_names_the_language() -> None:
    with in_language("en"):
        assert names.interpreter_note("so") == "Interpreter needed: Somali"
        assert names.interpreter_note(None) == "Interpreter needed"


# --- dates ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("ui", "typed", "day"),
    [
        ("en", "30/07/1985", dt.date(1985, 7, 30)), ("nl", "30/7/1985", dt.date(1985, 7, 30)),
        ("fr", "30.07.1985", dt.date(1985, 7, 30)), ("nl", "1985-07-30", dt.date(1985, 7, 30)),
        ("nl", "29/02/2000", dt.date(2000, 2, 29)), ("de", "30.07.1985", dt.date(1985, 7, 30)),
        ("ar", "30\u200f/7\u200f/1985", dt.date(1985, 7, 30)),  # as Arabic writes its short date
        ("nl", "", None), ("nl", "  ", None),
    ],
)  # fmt: skip
def test_a_date_in_the_interface_form_or_iso_is_read(ui: str, typed: str, day: dt.date) -> None:
    with in_language(ui):
        assert v.typed_date(typed) == day


@pytest.mark.parametrize(
    "typed", ["hello", "30/07", "30/07/19855", "1985/07/30 12", "30 juli 1985"]
)
def test_a_text_in_another_form_is_told_the_form(typed: str) -> None:
    with in_language("en"), pytest.raises(v.FieldInvalid) as refused:
        v.date_field("birth_date", typed)
    assert str(refused.value) == (
        "Date of birth: type the date as dd/mm/yyyy, for example 30/07/1985."
    )


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("31/02/1999", "31/02/1999 does not exist: February 1999 has 28 days."),
        ("29/02/1900", "29/02/1900 does not exist: February 1900 has 28 days."),
        ("31/04/2020", "31/04/2020 does not exist: April 2020 has 30 days."),
        ("1999-02-31", "1999-02-31 does not exist: February 1999 has 28 days."),
        ("12/13/1990", "12/13/1990 does not exist: a year has 12 months; "
                       "type the date as dd/mm/yyyy, for example 30/07/1985."),
    ],
)  # fmt: skip
def test_a_date_that_does_not_exist_is_said_not_to_exist(typed: str, message: str) -> None:
    with in_language("en"), pytest.raises(v.FieldInvalid) as refused:
        v.date_field("birth_date", typed)
    assert str(refused.value) == f"Date of birth: {message}"


def test_the_month_is_named_in_the_interface_language() -> None:
    with in_language("fr"), pytest.raises(ValueError, match="février 1999"):
        v.typed_date("31/02/1999")
    with in_language("nl"), pytest.raises(ValueError, match="februari 1999"):
        v.typed_date("31/02/1999")
