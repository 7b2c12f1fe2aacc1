"""Validators for what people type: identity numbers, phones, e-mail, postal codes, dates.

Each returns the normalised value or raises FieldInvalid with a message that names the field
and says how to fix it. Libraries do the real work: python-stdnum, phonenumbers,
email-validator (offline: no deliverability check). The libraries are imported when first
needed: showing the caseload does not need them, start-up time does.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from babel.dates import format_skeleton

from app import language_names
from app.i18n import _, current_locale, date_hint, date_pattern, format_date, ngettext
from app.models.enums import Province
from app.models.field_labels import FIELD_LABELS
from app.services.clock import local_today
from app.services.errors import ValidationFailed


def field_label(field: str) -> str:
    return _(FIELD_LABELS.get(field, field))


def labelled(label: str, message: str) -> str:
    """A message about a field, after its label, with the colon the interface language writes
    ("Telefoon: …", "Téléphone : …")."""
    return _("{label}: {message}").format(label=label, message=message)


class FieldInvalid(ValidationFailed, ValueError):
    """One field is invalid. A ValidationFailed, so every caller that shows a service's refusal
    (under the field, or as a message) shows this one too instead of crashing; still a
    ValueError for the validators that collect several fields' errors."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__({field: labelled(field_label(field), message)})


# Official ranges of Belgian postal codes per province (bpost).
_BE_POSTAL_RANGES: list[tuple[int, int, Province]] = [
    (1000, 1299, Province.BRUSSELS),
    (1300, 1499, Province.WALLOON_BRABANT),
    (1500, 1999, Province.FLEMISH_BRABANT),
    (2000, 2999, Province.ANTWERP),
    (3000, 3499, Province.FLEMISH_BRABANT),
    (3500, 3999, Province.LIMBURG),
    (4000, 4999, Province.LIEGE),
    (5000, 5999, Province.NAMUR),
    (6000, 6599, Province.HAINAUT),
    (6600, 6999, Province.LUXEMBOURG),
    (7000, 7999, Province.HAINAUT),
    (8000, 8999, Province.WEST_FLANDERS),
    (9000, 9999, Province.EAST_FLANDERS),
]
_NL_POSTAL = re.compile(r"^([1-9][0-9]{3})\s?([A-Za-z]{2})$")


def province_for_postal_code(code: str) -> Province | None:
    """The Belgian province (or Brussels) of a 4-digit postal code; None if out of range."""
    if not (len(code) == 4 and code.isdigit()):
        return None
    number = int(code)
    for low, high, province in _BE_POSTAL_RANGES:
        if low <= number <= high:
            return province
    return None


def postal_code(value: str, country: str) -> str:
    value = value.strip()
    if country == "NL":
        match = _NL_POSTAL.match(value)
        if not match:
            raise FieldInvalid("postal_code", _("type a Dutch postal code like 1234 AB."))
        return f"{match.group(1)} {match.group(2).upper()}"
    if province_for_postal_code(value) is None:
        raise FieldInvalid(
            "postal_code", _("type a Belgian postal code of four digits, 1000 to 9999.")
        )
    return value


def required_text(field: str, value: str | None, max_length: int = 200) -> str:
    text = (value or "").strip()
    if not text:
        raise FieldInvalid(field, _("this field is required."))
    return optional_text(field, text, max_length) or ""


#: embedding, override and isolate controls: invisible, they turn the text around them in
#: whatever shows it later (a notice, a letter, a card). The marks U+200E/U+200F stay allowed:
#: Arabic text carries them legitimately.
DIRECTION_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def has_direction_controls(text: str) -> bool:
    return any(ch in DIRECTION_CONTROLS for ch in text)


def direction_controls_message() -> str:
    return _("remove the invisible direction marks (they came along with copied text); type "
             "the text again.")  # fmt: skip


def optional_text(field: str, value: str | None, max_length: int = 200) -> str | None:
    text = (value or "").strip()
    if any(ord(ch) < 32 or ch == "\x7f" for ch in text):
        raise FieldInvalid(field, _("remove the control characters (such as tabs or line breaks)."))
    if has_direction_controls(text):
        raise FieldInvalid(field, direction_controls_message())
    if len(text) > max_length:
        raise FieldInvalid(
            field, _("shorten the text to at most {count} characters.").format(count=max_length)
        )
    return text or None


def birth_date(value: dt.date | None, today: dt.date) -> dt.date | None:
    if value is None:
        return None
    if value > today:
        raise FieldInvalid("birth_date", _("the date lies in the future; check the year."))
    if value.year < 1900:
        raise FieldInvalid("birth_date", _("the date lies before 1900; check the year."))
    return value


_BIDI_MARKS = str.maketrans("", "", "\u200e\u200f\u061c")  # in Arabic dates, around the "/"
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DATE_TYPED = re.compile(r"^(\d{1,4})\s*[./\- ]\s*(\d{1,2})\s*[./\- ]\s*(\d{1,4})$")


def date_format_message() -> str:
    """How to type a date, in the interface language's short form ("type the date as
    dd/mm/jjjj, for example 30/07/1985.")."""
    return _("type the date as {pattern}, for example {example}.").format(
        pattern=date_hint(), example=format_date(dt.date(1985, 7, 30), "short")
    )


def typed_date(text: str | None) -> dt.date | None:
    """A date as typed in a field: in the interface language's short form (30/07/1985 in nl and
    fr) or as 1985-07-30; None for an empty text. Otherwise ValueError, with what is wrong in
    the interface language (without the field's label): a text in another form gets the form
    to use; a day or month that does not exist ("31/02/1999") is said not to exist."""
    value = " ".join((text or "").translate(_BIDI_MARKS).split())
    if not value:
        return None
    iso = _DATE_ISO.match(value)
    typed = _DATE_TYPED.match(value)
    if iso:
        year, month, day = (int(part) for part in iso.groups())
    elif typed:
        pattern = date_pattern()
        order = sorted("dMy", key=pattern.index)
        parts = dict(zip(order, typed.groups(), strict=True))
        if len(parts["y"]) not in (2, 4) or len(parts["d"]) > 2 or len(parts["M"]) > 2:
            raise ValueError(date_format_message())
        day, month = int(parts["d"]), int(parts["M"])
        year = _full_year(parts["y"])
    else:
        raise ValueError(date_format_message())
    if not 1 <= month <= 12:
        raise ValueError(_("{value} does not exist: a year has 12 months; {how}").format(
            value=value, how=date_format_message()))  # fmt: skip
    if year < 1:
        raise ValueError(date_format_message())
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        month_name = format_skeleton("yMMMM", dt.date(year, month, 1), locale=current_locale())
        raise ValueError(ngettext("{value} does not exist: {month} has {days} day.",
                                  "{value} does not exist: {month} has {days} days.", days)
                         .format(value=value, month=month_name, days=days))  # fmt: skip
    return dt.date(year, month, day)


def _full_year(text: str) -> int:
    """A two-digit year within 80 years before and 20 after this one (as Babel reads it)."""
    if len(text) == 4:
        return int(text)
    this_year = local_today().year
    year = this_year // 100 * 100 + int(text)
    if year > this_year + 20:
        year -= 100
    elif year < this_year - 80:
        year += 100
    return year


def date_field(field: str, text: str | None) -> dt.date | None:
    """`typed_date` for a field: FieldInvalid naming the field."""
    try:
        return typed_date(text)
    except ValueError as exc:
        raise FieldInvalid(field, str(exc)) from None


def phone(field: str, value: str | None) -> str | None:
    """Normalise to E.164 (+32470123456); Belgian numbers need no country code."""
    import phonenumbers

    text = (value or "").strip()
    if not text:
        return None
    try:
        parsed = phonenumbers.parse(text, "BE")
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        raise FieldInvalid(
            field,
            _("“{value}” is not a valid phone number; type it like 0470 12 34 56, "
              "or with the country code like +31 6 12345678.").format(value=text),
        )  # fmt: skip
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))


def display_phone(value: str | None) -> str:
    """A stored E.164 number as people read it (national form for BE, international else)."""
    import phonenumbers

    if not value:
        return ""
    try:
        parsed = phonenumbers.parse(value, "BE")
    except phonenumbers.NumberParseException:
        return value
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if parsed.country_code == 32
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return str(phonenumbers.format_number(parsed, fmt))


def email(value: str | None) -> str | None:
    from email_validator import EmailNotValidError, validate_email

    text = (value or "").strip()
    if not text:
        return None
    try:
        result = validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        raise FieldInvalid(
            "email",
            _("“{value}” is not a valid e-mail address; check the @ and the part after it "
              "(for example name@example.be).").format(value=text),
        ) from None  # fmt: skip
    return str(result.normalized)


def national_number(value: str | None, birth: dt.date | None) -> tuple[str | None, str | None]:
    """Validate a Belgian national register number (11 digits) or a Dutch BSN (9 digits).

    Returns (compact number, country). The Belgian checksum alone accepts some mistyped
    numbers, so the birth date it encodes (century included) must match the date of birth.
    """
    from stdnum.be import nn
    from stdnum.exceptions import ValidationError as StdnumError
    from stdnum.nl import bsn

    text = (value or "").strip()
    if not text:
        return None, None
    compact = re.sub(r"[\s.\-/]", "", text)
    if len(compact) == 9 and compact.isdigit():
        try:
            return bsn.validate(compact), "NL"
        except StdnumError:
            raise FieldInvalid(
                "national_number", _("this BSN fails its check; compare it with the ID card.")
            ) from None
    if len(compact) != 11 or not compact.isdigit():
        raise FieldInvalid(
            "national_number",
            _("type the 11 digits of a Belgian national register number "
              "(like 85.07.30-033.28) or the 9 digits of a Dutch BSN."),
        )  # fmt: skip
    try:
        number = nn.validate(compact)
    except StdnumError:
        raise FieldInvalid(
            "national_number",
            _("the check digits do not match; compare the number with the ID card."),
        ) from None
    encoded = nn.get_birth_date(number)
    if birth is not None and encoded is not None and encoded != birth:
        raise FieldInvalid(
            "national_number",
            _("the number belongs to someone born on {date}, not on the date of birth entered; "
              "check both.").format(date=format_date(encoded)),
        )  # fmt: skip
    return number, "BE"


def language_code(field: str, value: str | None) -> str | None:
    """A language typed by its name (in the interface language, English or its own) or by its
    code, stored as CLDR writes the code ("tr", "fa_AF" for Dari), so Babel finds its name."""
    text = (value or "").strip()
    if not text:
        return None
    code = language_names.code_for(text)
    if code is None:
        raise FieldInvalid(field, language_names.unknown_language_message(text))
    return code


def mask_national_number(value: str | None) -> str:
    """Show only the last two digits, as lists do."""
    if not value:
        return ""
    return "•" * (len(value) - 2) + value[-2:]
