"""Automatic backups: when one is due, which to keep (the newest of each of the last 7 days and
of each of the 4 weeks before), and the newest good one to offer when the database is damaged.

Only files named by `backups.auto_name` are ever removed: the backup folder may be a USB stick
or a network share that holds other files too.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from app.services.reliability import backups

KEEP_DAILY = 7
KEEP_WEEKLY = 4
_NAME = re.compile(
    r"^traject-(\d{4}-\d{2}-\d{2}-\d{6})-(auto|before-restore)" + re.escape(backups.SUFFIX) + "$"
)


@dataclass(frozen=True)
class Found:
    path: Path
    taken: dt.datetime  # UTC
    automatic: bool


def found(folder: Path) -> list[Found]:
    """Traject's own backups in `folder`, newest first."""
    if not folder.is_dir():
        return []
    result = []
    for path in folder.iterdir():
        match = _NAME.match(path.name)
        if match:
            taken = dt.datetime.strptime(match[1], "%Y-%m-%d-%H%M%S").replace(tzinfo=dt.UTC)
            result.append(Found(path, taken, match[2] == "auto"))
    return sorted(result, key=lambda f: f.taken, reverse=True)


def due(folder: Path, now: dt.datetime) -> bool:
    """No automatic backup yet on `now`'s (local) day."""
    today = now.astimezone().date()
    return not any(f.automatic and f.taken.astimezone().date() == today for f in found(folder))


def to_remove(
    folder: Path, keep_daily: int = KEEP_DAILY, keep_weekly: int = KEEP_WEEKLY
) -> list[Path]:
    """Automatic backups beyond the newest per day for the `keep_daily` newest days, and the
    newest per ISO week for `keep_weekly` weeks among the older ones."""
    automatic = [f for f in found(folder) if f.automatic]
    keep: set[Path] = set()
    days: set[dt.date] = set()
    weeks: set[tuple[int, int]] = set()
    for backup in automatic:  # newest first: the first of each day or week is its newest
        day = backup.taken.astimezone().date()
        if day in days:
            continue
        if len(days) < keep_daily:
            days.add(day)
            keep.add(backup.path)
            continue
        days.add(day)
        week = day.isocalendar()[:2]
        if week not in weeks and len(weeks) < keep_weekly:
            weeks.add(week)
            keep.add(backup.path)
    return [f.path for f in automatic if f.path not in keep]


def rotate(
    folder: Path, keep_daily: int = KEEP_DAILY, keep_weekly: int = KEEP_WEEKLY
) -> list[Path]:
    removed = []
    for path in to_remove(folder, keep_daily, keep_weekly):
        try:
            path.unlink()
        except OSError:
            continue  # a read-only stick: the next rotation tries again
        removed.append(path)
    return removed


def latest_good(folder: Path) -> tuple[Path, backups.Manifest] | None:
    """The newest backup in `folder` that verifies (checksums right, schema known)."""
    for backup in found(folder):
        try:
            return backup.path, backups.verify(backup.path)
        except backups.BackupError:
            continue
    return None
