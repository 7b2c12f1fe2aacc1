"""The organisation's contact policy (source 002: how far may you go to reach someone?) and
the agenda's frame: which channels counsellors may use, when an unreachable client's case
escalates, office hours, the contact points where clients are received, and whether exported
calendars may name clients. Stored as organisation settings; `org_settings.update` checks and
audits every change through the specs below."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from app.i18n import N_, _
from app.models import OrgSetting
from app.models.enums import ContactChannel

ALLOWED_CHANNELS = "allowed_channels"
ESCALATION_ATTEMPTS = "escalation_attempts"
ESCALATION_CHANNELS = "escalation_channels"
ESCALATION_DAYS = "escalation_days"
NOT_REACHED_DAYS = "not_reached_days"
OFFICE_HOURS = "office_hours"
OFFICE_DAYS = "office_days"
CONTACT_POINTS = "contact_points"
CALENDAR_CLIENT_NAMES = "calendar_client_names"

# the permanence desk is where the client comes to us: no policy switches it off
POLICY_CHANNELS = tuple(c for c in ContactChannel if c != ContactChannel.PERMANENCE)


@dataclass(frozen=True)
class ContactPoint:
    name: str
    address: str


@dataclass(frozen=True)
class ContactPolicy:
    allowed: frozenset[ContactChannel]
    escalation_attempts: int
    escalation_channels: int
    escalation_days: int
    not_reached_days: int
    office_start: dt.time
    office_end: dt.time
    office_days: frozenset[int]  # ISO weekdays, Monday = 1
    contact_points: tuple[ContactPoint, ...]
    calendar_client_names: bool

    def allows(self, channel: ContactChannel | str) -> bool:
        return ContactChannel(channel) in self.allowed

    def channels(self) -> list[ContactChannel]:
        """The channels a counsellor may choose, in the usual order."""
        return [c for c in ContactChannel if c in self.allowed]

    def contact_point(self, name: str | None) -> ContactPoint | None:
        return next((p for p in self.contact_points if p.name == name), None)


@dataclass(frozen=True)
class Spec:
    """One setting: its label (a catalog source), how a typed value is checked and stored."""

    label: str
    parse: Callable[[str, Any], str]
    default: str


def _whole(low: int, high: int) -> Callable[[str, Any], str]:
    def parse(label: str, value: Any) -> str:
        text = str(value).strip()
        if not text.isdigit() or not low <= int(text) <= high:
            raise ValueError(_("{setting}: give a whole number from {low} to {high}.")
                             .format(setting=label, low=low, high=high))  # fmt: skip
        return str(int(text))

    return parse


def yes_no(label: str, value: Any) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    text = str(value).strip().lower()
    if text in ("1", "yes", "on", "true"):
        return "1"
    if text in ("0", "no", "off", "false"):
        return "0"
    raise ValueError(_("{setting}: give yes or no.").format(setting=label))


def _channels(label: str, value: Any) -> str:
    items = value if isinstance(value, list | tuple | set | frozenset) else str(value).split(",")
    chosen = {str(item).strip() for item in items if str(item).strip()}
    known = {c.value for c in POLICY_CHANNELS}
    unknown = sorted(chosen - known)
    if unknown:
        raise ValueError(_("{setting}: {unknown} is not a channel; choose from {known}.").format(
            setting=label, unknown=", ".join(unknown), known=", ".join(c.value for c in POLICY_CHANNELS)))  # fmt: skip
    if not chosen:
        raise ValueError(_("{setting}: allow at least one channel.").format(setting=label))
    return ",".join(c.value for c in POLICY_CHANNELS if c.value in chosen)


def _time(text: str) -> dt.time:
    hours, _sep, minutes = text.strip().partition(":")
    return dt.time(int(hours), int(minutes or 0))


def _hours(label: str, value: Any) -> str:
    start, dash, end = str(value).partition("-")
    try:
        first, last = _time(start), _time(end)
    except ValueError:
        first = last = dt.time(0)
    if not dash or first >= last:
        raise ValueError(_("{setting}: write the opening and closing time as 08:30-17:00.")
                         .format(setting=label))  # fmt: skip
    return f"{first:%H:%M}-{last:%H:%M}"


def _days(label: str, value: Any) -> str:
    items = value if isinstance(value, list | tuple | set | frozenset) else str(value).split(",")
    try:
        days = {int(str(item).strip()) for item in items if str(item).strip()}
    except ValueError:
        days = {0}
    if not days or not days <= set(range(1, 8)):
        raise ValueError(_("{setting}: give the weekday numbers, Monday 1 to Sunday 7, e.g. 1,2,3,4,5.")
                         .format(setting=label))  # fmt: skip
    return ",".join(str(d) for d in sorted(days))


def _points(label: str, value: Any) -> str:
    try:
        items = json.loads(value) if isinstance(value, str) else value
        points = [ContactPoint(" ".join(str(p["name"]).split()), str(p.get("address", "")).strip())
                  for p in items]  # fmt: skip
    except (ValueError, TypeError, KeyError, AttributeError):
        raise ValueError(_("{setting}: give a list of places, each with a name and an address.")
                         .format(setting=label)) from None  # fmt: skip
    names = [p.name for p in points]
    if any(not name or len(name) > 200 for name in names) or len(set(names)) != len(names):
        raise ValueError(_("{setting}: every place needs its own name (at most 200 characters).")
                         .format(setting=label))  # fmt: skip
    return json.dumps([{"name": p.name, "address": p.address} for p in points], ensure_ascii=False)


SPECS: dict[str, Spec] = {
    ALLOWED_CHANNELS: Spec(N_("Channels counsellors may use"), _channels,
                           ",".join(c.value for c in POLICY_CHANNELS)),
    ESCALATION_ATTEMPTS: Spec(N_("Failed attempts before escalating"), _whole(1, 20), "3"),
    ESCALATION_CHANNELS: Spec(N_("On at least this many channels"), _whole(1, 5), "2"),
    ESCALATION_DAYS: Spec(N_("Within this many days"), _whole(1, 90), "14"),
    NOT_REACHED_DAYS: Spec(N_("“Not reached” after this many days"), _whole(1, 365), "30"),
    OFFICE_HOURS: Spec(N_("Office hours"), _hours, "08:30-17:00"),
    OFFICE_DAYS: Spec(N_("Office days"), _days, "1,2,3,4,5"),
    CONTACT_POINTS: Spec(N_("Contact points"), _points, "[]"),
    CALENDAR_CLIENT_NAMES: Spec(N_("Client names in exported calendars"), yes_no, "0"),
}  # fmt: skip


def stored(session: Session, key: str) -> str:
    row = session.get(OrgSetting, key)
    return row.value if row is not None else SPECS[key].default


def load(session: Session) -> ContactPolicy:
    value = {key: stored(session, key) for key in SPECS}
    start, _sep, end = value[OFFICE_HOURS].partition("-")
    return ContactPolicy(
        allowed=frozenset(ContactChannel(c) for c in value[ALLOWED_CHANNELS].split(",") if c)
        | {ContactChannel.PERMANENCE},
        escalation_attempts=int(value[ESCALATION_ATTEMPTS]),
        escalation_channels=int(value[ESCALATION_CHANNELS]),
        escalation_days=int(value[ESCALATION_DAYS]),
        not_reached_days=int(value[NOT_REACHED_DAYS]),
        office_start=_time(start),
        office_end=_time(end),
        office_days=frozenset(int(d) for d in value[OFFICE_DAYS].split(",")),
        contact_points=tuple(
            ContactPoint(p["name"], p["address"]) for p in json.loads(value[CONTACT_POINTS])
        ),
        calendar_client_names=value[CALENDAR_CLIENT_NAMES] == "1",
    )
