"""Validation of how a client can be reached and what they can manage for work: the channels
they use, a key person, driving licence, means of transport, longest travel time and working
hours (source 002). Part of `clients.update_client`, which validates a change as a whole."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from app.i18n import _
from app.models.enums import ContactChannel, LabelledEnum
from app.models.practical import TransportMeans, WorkingHours
from app.services import validation as v

#: Fields holding several members of an enum, stored as a list of values in the enum's order.
LIST_FIELDS: dict[str, type[LabelledEnum]] = {
    "contact_channels": ContactChannel,
    "transport": TransportMeans,
    "working_hours": WorkingHours,
}
FIELDS = frozenset([*LIST_FIELDS, "key_person", "driving_licence", "max_travel_minutes"])
MAX_TRAVEL_MINUTES = 240


def members(field: str, value: Any) -> list[str]:
    """Several values of the field's enum: a list, or text separated by commas."""
    enum_class = LIST_FIELDS[field]
    items = value.replace(";", ",").split(",") if isinstance(value, str) else list(value or [])
    given = {str(item).strip() for item in items if str(item).strip()}
    known = [m.value for m in enum_class]
    unknown = given - set(known)
    if unknown:
        raise v.FieldInvalid(field, _("{values} is not one of: {known}.").format(
            values=", ".join(sorted(unknown)), known=", ".join(known)))  # fmt: skip
    return [value for value in known if value in given]


def yes_no_unknown(field: str, value: Any) -> bool | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("yes", "true", "1"):
        return True
    if text in ("no", "false", "0"):
        return False
    raise v.FieldInvalid(field, _("answer yes or no, or leave it empty."))


def minutes(field: str, value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(str(value).strip())
    except ValueError:
        raise v.FieldInvalid(field, _("give a whole number of minutes, e.g. 45.")) from None
    if not 0 < number <= MAX_TRAVEL_MINUTES:
        raise v.FieldInvalid(
            field, _("give a number of minutes from 1 to {n}.").format(n=MAX_TRAVEL_MINUTES)
        )
    return number


def validators(changes: dict[str, Any]) -> dict[str, Callable[[], Any]]:
    """For each field of this group in `changes`, how to get its stored value."""
    checks: dict[str, Callable[[], Any]] = {
        "key_person": lambda: v.optional_text("key_person", changes["key_person"], 300),
        "driving_licence": lambda: yes_no_unknown("driving_licence", changes["driving_licence"]),
        "max_travel_minutes": lambda: minutes("max_travel_minutes", changes["max_travel_minutes"]),
    }
    for field in LIST_FIELDS:
        checks[field] = lambda field=field: members(field, changes[field])  # type: ignore[misc]
    return {field: check for field, check in checks.items() if field in changes}
