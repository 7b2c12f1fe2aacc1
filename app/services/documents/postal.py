"""Phone numbers and addresses as a client document writes them, the way people and the post
read them where the organisation works:

- a phone number of the organisation's own country in its national form ("02 574 90 78",
  "020 123 4567" for an office in the Netherlands), a foreign one in the international form
  ("+31 20 123 4567" on a Belgian letter) — never the stored "+3225749078";
- an address in the order the post delivers it: street and number on one line, postal code
  and municipality on the next, and the country on a last line only when it is not the
  organisation's own, named in the document's language.

The organisation's country is that of its letterhead phone number, else Belgium."""

from __future__ import annotations

from collections.abc import Sequence

from babel import Locale
from sqlalchemy.orm import Session

HOME_COUNTRY = "BE"


def organisation_country(session: Session) -> str:
    """The country the organisation works in: its letterhead phone's, else Belgium."""
    from app.services import org_settings
    from app.services.referrals import letterhead

    stored = org_settings.stored_value(session, letterhead.PHONE)
    return phone_country(stored) or HOME_COUNTRY


def phone_country(value: str | None) -> str | None:
    """The country (ISO code) a phone number belongs to, None when it cannot be told."""
    import phonenumbers

    if not value:
        return None
    try:
        parsed = phonenumbers.parse(value, HOME_COUNTRY)
    except phonenumbers.NumberParseException:
        return None
    region = phonenumbers.region_code_for_number(parsed)
    return str(region) if region and region != "ZZ" else None


def phone_line(value: str | None, home: str = HOME_COUNTRY) -> str:
    """A stored number (E.164) as the document writes it: national in the organisation's
    country, international for a number from elsewhere; a text that is no number as it is."""
    import phonenumbers

    if not value:
        return ""
    try:
        parsed = phonenumbers.parse(value, home)
    except phonenumbers.NumberParseException:
        return value
    own = phonenumbers.region_code_for_number(parsed) == home
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if own
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return str(phonenumbers.format_number(parsed, fmt))


def country_name(code: str | None, locale: Locale) -> str:
    """A country's name in the document's language (the code if Babel has no name)."""
    if not code:
        return ""
    return str(locale.territories.get(code.upper(), code.upper()))


def address_lines(
    street: str | None, number: str | None, postal_code: str | None, municipality: str | None,
    country: str | None = None, *, home: str = HOME_COUNTRY, locale: Locale | None = None,
) -> list[str]:  # fmt: skip
    """The address as the post writes it, one item a line; empty parts are left out."""
    lines = [
        " ".join(p.strip() for p in (street, number) if p and p.strip()),
        " ".join(p.strip() for p in (postal_code, municipality) if p and p.strip()),
    ]
    if country and country.upper() != home.upper() and any(lines):
        lines.append(country_name(country, locale or Locale.parse("en")))
    return [line for line in lines if line]


def one_line(lines: Sequence[str]) -> str:
    """An address on one line where a table row has room for one (commas between lines)."""
    return ", ".join(line for line in lines if line)
