"""The fields of a partner offer and how each is checked — the same rules for the admin's form,
a catalogue file and `traject offers --import`: a known type and region, a postal code that
lies in that region, a phone number and e-mail address that can be used, language codes.

The texts a client reads (`TEXT_FIELDS`: what to bring, notes) are kept per language, by
language code: {"nl": …, "fr": …, "en": …}. They are stored in the offer's Text columns as
a JSON object; a text stored before texts had languages (or typed as one plain text) is in
the offer's first language, else Dutch — `texts` reads both."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from app.i18n import _
from app.models.enums import Province
from app.models.practical import REGIONS, OfferType, region_label
from app.services import validation as v

COLUMNS = ("code", "offer_type", "name", "provider", "region", "street", "postal_code",
           "municipality", "contact_person", "phone", "email", "languages", "what_to_bring",
           "notes")  # fmt: skip
_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,63}$")
_REGION_CODES = {region.value for region in REGIONS}
_LONG_TEXT = 2000
#: Texts kept per language, and the languages every offer should have them in (listed first).
TEXT_FIELDS = ("what_to_bring", "notes")
TEXT_LANGUAGES = ("nl", "fr", "en")
#: The language of a plain text when the offer names no language (the sample's own).
PLAIN_TEXT_LANGUAGE = "nl"


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _shape_errors(raw: Mapping[str, Any]) -> dict[str, str]:
    """A list or a set of fields where one value belongs (a catalogue file may hold anything):
    said by field, and the value then counts as empty for the other checks."""
    errors = {}
    for name in COLUMNS:
        value = raw.get(name)
        if name == "languages" and isinstance(value, list):
            if all(isinstance(item, str) for item in value):
                continue
            errors[name] = _(
                "Languages: write language names or codes, such as Dutch, fr or en, one per item."
            )
        elif name in TEXT_FIELDS and isinstance(value, dict):
            if all(isinstance(text, str | None) for text in value.values()):
                continue
            errors[name] = _("{field}: give one text per language code, like “fr: Carte d'identité.”.").format(
                field=field_label(name))  # fmt: skip
        elif isinstance(value, list | dict | set | tuple):
            errors[name] = _("{field}: write one value here, not a list or a set of fields.").format(
                field=field_label(name))  # fmt: skip
    return errors


def checked_offer(raw: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, str]]:
    """The offer's stored values and, per field, what is wrong with it."""
    shape = _shape_errors(raw)
    raw = {name: None if name in shape else raw.get(name) for name in COLUMNS}
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}

    def check(field: str, fn: Any, *args: Any) -> None:
        try:
            values[field] = fn(*args)
        except v.FieldInvalid as exc:
            errors[field] = str(exc)

    code = _text(raw.get("code")).lower()
    if not _CODE.match(code):
        errors["code"] = _(
            "Code: use 2 to 64 small letters, digits and hyphens, like “digipunt-gent”."
        )
    values["code"] = code
    kind = _text(raw.get("offer_type"))
    if kind not in OfferType._value2member_map_:
        errors["offer_type"] = _("Type: choose one of the offer types ({types}).").format(
            types=", ".join(t.value for t in OfferType))  # fmt: skip
    values["offer_type"] = kind
    for field in ("name", "provider"):
        check(field, v.required_text, field, _text(raw.get(field)), 300)
    region = _text(raw.get("region"))
    if region not in _REGION_CODES:
        errors["region"] = _("Region: choose a Belgian province, Brussels or a Dutch province.")
    values["region"] = region
    for field, limit in (("street", 200), ("municipality", 100), ("contact_person", 200)):
        values[field] = _text(raw.get(field))[:limit] or None
    values["postal_code"] = _postal_code(_text(raw.get("postal_code")), region, errors)
    check("phone", v.phone, "phone", _text(raw.get("phone")))
    try:
        values["email"] = v.email(_text(raw.get("email")))
    except v.FieldInvalid as exc:
        errors["email"] = str(exc)
    values["languages"] = _languages(raw.get("languages"), errors)
    first = values["languages"][0] if values["languages"] else PLAIN_TEXT_LANGUAGE
    for field in TEXT_FIELDS:
        values[field] = _checked_texts(field, raw.get(field), first, errors)
    errors.update(shape)
    return values, errors


def _checked_texts(
    field: str, value: Any, plain_language: str, errors: dict[str, str]
) -> str | None:
    """The stored form of a field's texts: one plain text stays plain (so an offer in one
    language reads as before), texts in several languages become a JSON object."""
    given = value if isinstance(value, dict) else texts(_text(value), plain_language)
    checked: dict[str, str] = {}
    for raw_code, raw_text in given.items():
        text = _text(raw_text)
        if not text:
            continue
        try:
            code = v.language_code(field, str(raw_code))
        except v.FieldInvalid:
            errors[field] = _("{field}: “{code}” is not a language code; use codes like nl, fr or en.").format(
                field=field_label(field), code=raw_code)  # fmt: skip
            continue
        if len(text) > _LONG_TEXT:
            errors[field] = _("{field}: keep it under {n} characters.").format(
                field=field_label(field), n=_LONG_TEXT)  # fmt: skip
        checked[str(code)] = text
    return stored_texts(checked, plain_language)


def texts(stored: str | None, plain_language: str = PLAIN_TEXT_LANGUAGE) -> dict[str, str]:
    """A field's texts by language code, from what is stored (a JSON object, or one plain
    text in `plain_language`)."""
    text = (stored or "").strip()
    if not text:
        return {}
    if text.startswith("{"):
        try:
            found = json.loads(text)
        except ValueError:
            found = None
        if isinstance(found, dict) and all(isinstance(t, str) for t in found.values()):
            return {str(code): t for code, t in found.items() if t.strip()}
    return {plain_language: text}


def offer_texts(offer: Any, field: str) -> dict[str, str]:
    """An offer's texts of `field` by language (plain texts in its first language)."""
    first = offer.languages[0] if offer.languages else PLAIN_TEXT_LANGUAGE
    return texts(getattr(offer, field), first)


def stored_texts(
    by_language: dict[str, str], plain_language: str = PLAIN_TEXT_LANGUAGE
) -> str | None:
    """What the column holds: nothing, a plain text (only the offer's first language), or a
    JSON object in a fixed order (the common languages first) so equal texts compare equal."""
    if not by_language:
        return None
    if set(by_language) == {plain_language}:
        return by_language[plain_language]
    order = sorted(by_language, key=lambda c: (c not in TEXT_LANGUAGES,
                                                TEXT_LANGUAGES.index(c) if c in TEXT_LANGUAGES else 0, c))  # fmt: skip
    return json.dumps({code: by_language[code] for code in order}, ensure_ascii=False)


def _postal_code(code: str, region: str, errors: dict[str, str]) -> str | None:
    if not code:
        return None
    country = "NL" if region.startswith("nl_") else "BE"
    try:
        code = v.postal_code(code, country)
    except v.FieldInvalid as exc:
        errors["postal_code"] = str(exc)
        return code
    if country == "BE" and region in Province._value2member_map_:
        found = v.province_for_postal_code(code)
        if found is not None and found.value != region:
            errors["postal_code"] = _("Postal code: {code} lies in {found}, not in {region}; check the code or the region.").format(
                code=code, found=found.label, region=region_label(region))  # fmt: skip
    return code


def _languages(value: Any, errors: dict[str, str]) -> list[str]:
    # names may have two words ("Dari Perzisch"), so only commas (Arabic too) and semicolons split
    items = value if isinstance(value, list) else re.split(r"\s*[,;،]\s*", _text(value))
    out: list[str] = []
    for item in items:
        try:
            codes = [v.language_code("languages", str(item))]
        except v.FieldInvalid as exc:
            try:  # an older catalogue's "nl fr en"
                codes = [v.language_code("languages", part) for part in str(item).split()]
            except v.FieldInvalid:
                errors["languages"] = str(exc)
                continue
        for code in codes:
            if code and code.lower() not in {known.lower() for known in out}:
                out.append(code)  # as validation gives it: "fa_AF" is Dari, "fa_af" no language
    return out


def field_label(field: str) -> str:
    return {
        "code": _("Code"), "offer_type": _("Type"), "name": _("Name of the offer"),
        "provider": _("Provider"), "region": _("Region"), "street": _("Street and number"),
        "postal_code": _("Postal code"), "municipality": _("Municipality"),
        "contact_person": _("Contact person"), "phone": _("Phone"), "email": _("E-mail"),
        "languages": _("Languages"), "what_to_bring": _("What to bring"), "notes": _("Notes"),
    }.get(field, field)  # fmt: skip
