"""The check Traject runs on a database before trusting it: whole (every page readable and
authentic, the structure sound), and if not, which backup to offer for a restore."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app import db_files
from app.services.reliability import backup_rotation
from app.services.reliability.backups import Manifest


@dataclass(frozen=True)
class Health:
    ok: bool
    detail: str = ""  # SQLite's words for the damage, for the report
    offer: tuple[Path, Manifest] | None = None  # the newest backup that verifies


def check_at_start(database: Path, key: bytearray | None, backup_folder: Path) -> Health:
    """Runs on its own connection (a worker thread may call it while the window is shown)."""
    try:
        db_files.check_file(database, key)
    except db_files.Damaged as exc:
        return Health(False, str(exc), backup_rotation.latest_good(backup_folder))
    return Health(True)
