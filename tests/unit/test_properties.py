"""Property-based tests: every validator, the spreadsheet parser and the search folding take
any text (any script, control characters, right-to-left marks, empty, huge) and either accept
it or refuse it with a message naming the field, never with an unhandled exception."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.models.text import fold, words
from app.services import validation as v
from app.services.reliability import client_import, spreadsheet

# how many examples: the Hypothesis profile (tests/conftest.py) — 10,000 derandomized in CI,
# a few hundred, new ones each run, for `make test` at a desk
MANY = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
TRICKY = st.sampled_from(["\u200f", "\u200e", "\u202e", "\u2066", "\x00", "\r\n", "\t", ";", '"',
                          "٠١٢", "＋３２", "@", "ß", "İ", "\ufeff", "0470 12 34 56", "31/02/1991"])  # fmt: skip
TEXT = st.one_of(
    st.text(),
    st.text(max_size=5000),
    st.lists(st.one_of(TRICKY, st.text(max_size=8)), max_size=12).map("".join),
)
pytestmark = pytest.mark.slow


def _refused_properly(call, field: str | None = None) -> None:  # type: ignore[no-untyped-def]
    try:
        call()
    except v.FieldInvalid as exc:
        assert str(exc).startswith(v.field_label(exc.field) + ": ")
        if field is not None:
            assert exc.field == field


@MANY
@given(TEXT)
def test_phone(value: str) -> None:
    _refused_properly(lambda: v.phone("phone", value), "phone")


@MANY
@given(TEXT)
def test_email(value: str) -> None:
    _refused_properly(lambda: v.email(value), "email")


@MANY
@given(TEXT, st.one_of(st.none(), st.dates(dt.date(1900, 1, 1), dt.date(2026, 12, 31))))
def test_national_number(value: str, birth: dt.date | None) -> None:
    _refused_properly(lambda: v.national_number(value, birth), "national_number")


@MANY
@given(TEXT, st.sampled_from(["BE", "NL"]))
def test_postal_code(value: str, country: str) -> None:
    _refused_properly(lambda: v.postal_code(value, country), "postal_code")


@MANY
@given(TEXT)
def test_language_code(value: str) -> None:
    _refused_properly(lambda: v.language_code("contact_language", value), "contact_language")


@MANY
@given(st.one_of(st.none(), TEXT), st.integers(1, 300))
def test_texts(value: str | None, length: int) -> None:
    _refused_properly(lambda: v.required_text("given_name", value, length), "given_name")
    _refused_properly(lambda: v.optional_text("municipality", value, length), "municipality")


@MANY
@given(st.dates(), st.dates(dt.date(2000, 1, 1), dt.date(2100, 1, 1)))
def test_birth_date(value: dt.date, today: dt.date) -> None:
    _refused_properly(lambda: v.birth_date(value, today), "birth_date")


@MANY
@given(TEXT)
def test_import_cells(value: str) -> None:
    _refused_properly(lambda: client_import.parse_date(value), "birth_date")
    assert isinstance(client_import.phone_number(value), str)
    assert isinstance(client_import.language(value), str)
    mapping = client_import.guess_mapping(["Voornaam", "Geboortedatum", "GSM", "Taal", "Postcode"])
    _refused_properly(lambda: client_import.row_values([value] * 5, mapping))


@MANY
@given(st.one_of(st.binary(max_size=3000), TEXT.map(lambda t: t.encode("utf-8", "surrogatepass"))))
def test_the_spreadsheet_parser(data: bytes) -> None:
    try:
        sheet = spreadsheet.parse_csv(data)
    except spreadsheet.UnreadableFile as exc:
        assert str(exc)
        return
    assert all(line >= 2 for line, _cells in sheet.rows)
    client_import.guess_mapping(sheet.headers)


@MANY
@given(TEXT)
def test_search_folding(value: str) -> None:
    folded = fold(value)
    assert fold(folded) == folded  # folding twice changes nothing
    assert words(value) == words(folded)
