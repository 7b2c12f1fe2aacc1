"""The week's letters in one go: for every referral the counsellor sent in a week, the partner
letter and the client's copy, written into a folder. Progress is reported after each letter and
a cancel request stops before the next; a letter that cannot be finalised (no consent, a
missing field) is skipped with its reason, never half-written."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from app.services.clock import DEFAULT_TIME_ZONE
from app.services.errors import ServiceError
from app.services.privacy.access import Actor
from app.services.referrals import letters, referrals


@dataclass
class BatchResult:
    written: list[Path] = field(default_factory=list)
    skipped: list[tuple[int, str, str]] = field(default_factory=list)  # referral, copy, reason
    cancelled: bool = False


def week_of(day: dt.date, tz: str = DEFAULT_TIME_ZONE) -> tuple[dt.datetime, dt.datetime]:
    """Monday 00:00 to the next Monday 00:00, local time, as aware datetimes."""
    monday = day - dt.timedelta(days=day.weekday())
    start = dt.datetime.combine(monday, dt.time(), tzinfo=ZoneInfo(tz))
    return start, start + dt.timedelta(days=7)


def write_week(
    session: Session, actor: Actor, folder: Path, day: dt.date,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> BatchResult:  # fmt: skip
    """Both letters of each referral sent in the week of `day`; the caller commits (audit)."""
    start, end = week_of(day)
    ids = referrals.sent_between(session, actor, start, end)
    result = BatchResult()
    total = len(ids) * len(letters.COPIES)
    done = 0
    for referral_id in ids:
        for copy in letters.COPIES:
            if cancelled is not None and cancelled():
                result.cancelled = True
                return result
            try:
                draft = letters.prepare(session, actor, referral_id, copy)
                data = letters.finalise(session, actor, draft)
                target = folder / f"referral-{referral_id}-{copy}-{draft.language}.pdf"
                letters.write_file(target, data)
                result.written.append(target)
            except ServiceError as exc:
                result.skipped.append((referral_id, copy, str(exc)))
            done += 1
            if progress is not None:
                progress(done, total)
    return result
