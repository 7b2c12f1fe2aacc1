"""Validators: national numbers, phones, e-mail, postal codes — messages name the field."""

import datetime as dt

import pytest

from app.models.enums import Province
from app.services import validation as v
from app.services.demo.generator import belgian_national_number


def test_belgian_number_valid_and_cross_checked_with_birth_date() -> None:
    number = belgian_national_number(dt.date(1985, 7, 30), 33)
    assert v.national_number(number, dt.date(1985, 7, 30)) == (number, "BE")
    with pytest.raises(v.FieldInvalid) as err:
        v.national_number(number, dt.date(1985, 7, 31))
    assert str(err.value).startswith("National number:")
    assert "check both" in str(err.value)


def test_belgian_number_century_is_checked() -> None:
    """A number of someone born in 2005 must not pass for someone born in 1905."""
    number = belgian_national_number(dt.date(2005, 2, 1), 12)
    assert v.national_number(number, dt.date(2005, 2, 1))[0] == number
    with pytest.raises(v.FieldInvalid):
        v.national_number(number, dt.date(1905, 2, 1))


def test_belgian_number_bad_checksum_and_length() -> None:
    number = belgian_national_number(dt.date(1990, 1, 1), 101)
    typo = number[:-1] + str((int(number[-1]) + 1) % 10)
    with pytest.raises(v.FieldInvalid, match="check digits"):
        v.national_number(typo, None)
    with pytest.raises(v.FieldInvalid, match="11 digits"):
        v.national_number("1234", None)


def test_dutch_bsn() -> None:
    assert v.national_number("111222333", None) == ("111222333", "NL")
    with pytest.raises(v.FieldInvalid, match="BSN"):
        v.national_number("111222334", None)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("0470 12 34 56", "+32470123456"), ("+32 2 555 12 12", "+3225551212"),
     ("+31 6 12345678", "+31612345678"), ("0032470123456", "+32470123456")],
)  # fmt: skip
def test_phone_normalised_to_e164(typed: str, stored: str) -> None:
    assert v.phone("phone", typed) == stored


def test_phone_invalid_names_the_field_and_the_fix() -> None:
    with pytest.raises(v.FieldInvalid) as err:
        v.phone("phone", "12345")
    assert str(err.value).startswith("Phone:") and "0470 12 34 56" in str(err.value)
    assert v.phone("phone", "  ") is None


def test_email() -> None:
    assert v.email("Jan.Peeters@Example.BE") == "Jan.Peeters@example.be"
    with pytest.raises(v.FieldInvalid, match=r"^E-mail:"):
        v.email("jan.peeters@")


@pytest.mark.parametrize(
    ("code", "province"),
    [
        ("1000", Province.BRUSSELS), ("1299", Province.BRUSSELS),
        ("1300", Province.WALLOON_BRABANT), ("1499", Province.WALLOON_BRABANT),
        ("1500", Province.FLEMISH_BRABANT), ("1999", Province.FLEMISH_BRABANT),
        ("2000", Province.ANTWERP), ("2999", Province.ANTWERP),
        ("3000", Province.FLEMISH_BRABANT), ("3499", Province.FLEMISH_BRABANT),
        ("3500", Province.LIMBURG), ("3999", Province.LIMBURG),
        ("4000", Province.LIEGE), ("4999", Province.LIEGE),
        ("5000", Province.NAMUR), ("5999", Province.NAMUR),
        ("6000", Province.HAINAUT), ("6599", Province.HAINAUT),
        ("6600", Province.LUXEMBOURG), ("6999", Province.LUXEMBOURG),
        ("7000", Province.HAINAUT), ("7999", Province.HAINAUT),
        ("8000", Province.WEST_FLANDERS), ("8999", Province.WEST_FLANDERS),
        ("9000", Province.EAST_FLANDERS), ("9999", Province.EAST_FLANDERS),
    ],
)  # fmt: skip
def test_province_at_every_range_boundary(code: str, province: Province) -> None:
    assert v.province_for_postal_code(code) == province


@pytest.mark.parametrize("code", ["0999", "999", "10000", "abcd", ""])
def test_no_province_outside_the_ranges(code: str) -> None:
    assert v.province_for_postal_code(code) is None


def test_postal_codes_per_country() -> None:
    assert v.postal_code("3011ab", "NL") == "3011 AB"
    with pytest.raises(v.FieldInvalid, match=r"^Postal code:"):
        v.postal_code("999", "BE")


def test_birth_date_in_future_refused() -> None:
    with pytest.raises(v.FieldInvalid, match="future"):
        v.birth_date(dt.date(2030, 1, 1), dt.date(2026, 1, 1))


def test_masking_shows_last_two_digits_only() -> None:
    assert v.mask_national_number("85073003328") == "•••••••••28"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("nl", "nl"), ("NL-be", "nl_BE"), ("fa-AF", "fa_AF"), ("zh_Hant_TW", "zh_Hant_TW"),
        # old and three-letter codes in their CLDR form: Hebrew, Kurmanji, Dari, Dutch…
        ("iw", "he"), ("kmr", "ku"), ("prs", "fa_AF"), ("nld", "nl"), ("arb", "ar"),
        ("sh", "sr_Latn"), ("tl", "fil"),
        # a script that is the language's usual one says nothing; a variant is not kept
        ("nl_Latn", "nl"), ("nl_be_1996", "nl_BE"), ("es_419", "es_419"),
    ],
)  # fmt: skip
def test_language_codes_are_stored_as_cldr_writes_them(typed: str, stored: str) -> None:
    assert v.language_code("contact_language", typed) == stored


@pytest.mark.parametrize(
    "typed", ["Turksch", "x", "123", "de__DE", "C", "root", "nl_XX", "nl_ZZ", "und", "zxx", "mul"]
)
def test_what_names_no_language_is_refused(typed: str) -> None:
    with pytest.raises(v.FieldInvalid, match="is not a language Traject knows"):
        v.language_code("contact_language", typed)


@pytest.mark.parametrize("mark", ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066",
                                  "\u2067", "\u2068", "\u2069"])  # fmt: skip
def test_invisible_direction_controls_are_refused_by_field(mark: str) -> None:
    message = ("Family name: remove the invisible direction marks (they came along with copied "
               "text); type the text again.")  # fmt: skip
    for check in (v.optional_text, v.required_text):
        with pytest.raises(v.FieldInvalid) as refused:
            check("family_name", f"Peeters{mark}gpj.exe")
        assert refused.value.errors == {"family_name": message}
    from app.services.contact import video_links

    _link, _platform, errors = video_links.checked(f"https://meet.jit.si/room{mark}1", None)
    assert errors["video_link"].endswith("remove the invisible direction marks (they came "
                                         "along with copied text); type the text again.")  # fmt: skip


def test_delete_is_a_control_character_and_arabic_marks_stay() -> None:
    with pytest.raises(v.FieldInvalid, match="remove the control characters"):
        v.optional_text("family_name", "Peeters\x7f")
    from app.services.contact import video_links

    assert "video_link" in video_links.checked("https://meet.jit.si/room\x7f1", None)[2]
    arabic = "\u200fحداد\u200e"  # the right-to-left and left-to-right marks Arabic text carries
    assert v.optional_text("family_name", arabic) == arabic
    assert v.required_text("family_name", "Ḥaddād") == "Ḥaddād"
