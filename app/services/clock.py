"""The counsellor's local date and time (times are stored in UTC, shown in local time)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

DEFAULT_TIME_ZONE = "Europe/Brussels"


def local_now(tz: str = DEFAULT_TIME_ZONE) -> dt.datetime:
    return dt.datetime.now(ZoneInfo(tz))


def local_today(tz: str = DEFAULT_TIME_ZONE) -> dt.date:
    return local_now(tz).date()


def start_of_local_day(day: dt.date, tz: str = DEFAULT_TIME_ZONE) -> dt.datetime:
    """Midnight of `day` where the counsellor is, as an aware time (compare with UTC times)."""
    return dt.datetime.combine(day, dt.time(), tzinfo=ZoneInfo(tz))
