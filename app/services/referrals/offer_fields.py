"""The fields of a partner offer and how each is checked — the same rules for the admin's form,
a catalogue file and `traject offers --import`: a known type and region, a postal code that
lies in that region, a phone number and e-mail address that can be used, language codes."""

from __future__ import annotations

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
            errors[name] = _("Languages: write language codes such as nl, fr or en, one per item.")
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
    for field in ("what_to_bring", "notes"):
        text = _text(raw.get(field))
        if len(text) > _LONG_TEXT:
            errors[field] = _("{field}: keep it under {n} characters.").format(
                field=field_label(field), n=_LONG_TEXT)  # fmt: skip
        values[field] = text or None
    errors.update(shape)
    return values, errors


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
    items = value if isinstance(value, list) else re.split(r"[,\s]+", _text(value))
    out: list[str] = []
    for item in items:
        try:
            code = v.language_code("languages", str(item))
        except v.FieldInvalid as exc:
            errors["languages"] = str(exc)
            continue
        if code and code.lower() not in out:
            out.append(code.lower())
    return out


def field_label(field: str) -> str:
    return {
        "code": _("Code"), "offer_type": _("Type"), "name": _("Name of the offer"),
        "provider": _("Provider"), "region": _("Region"), "street": _("Street and number"),
        "postal_code": _("Postal code"), "municipality": _("Municipality"),
        "contact_person": _("Contact person"), "phone": _("Phone"), "email": _("E-mail"),
        "languages": _("Languages"), "what_to_bring": _("What to bring"), "notes": _("Notes"),
    }.get(field, field)  # fmt: skip
