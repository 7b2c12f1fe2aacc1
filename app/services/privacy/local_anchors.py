"""A second copy of each account's audit anchor, outside the shared key file: in the user's own
settings folder on this computer (0600). Anyone who can write the key file can put back an
older, genuine anchor of another account together with a trail cut back to it; the copy here
shows that the key file's anchor went back. It helps where counsellors sign in under their own
computer account; someone with the same computer account can change this file too.
"""

from __future__ import annotations

import json
from pathlib import Path

from app.private_files import write_text

FILE_NAME = "audit-anchors.json"


def _path() -> Path:
    from app.config import config_dir

    return config_dir() / FILE_NAME


def _read(path: Path) -> dict[str, dict[str, int]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def highest(database_id: str, login: str) -> int | None:
    """The newest entry this account anchored on this computer, if it ever did."""
    value = _read(_path()).get(database_id, {}).get(login)
    return value if isinstance(value, int) else None


def remember(database_id: str, login: str, entry_id: int) -> None:
    """Keep the newest anchored entry (never moving back). Not being able to write it is no
    reason to refuse a sign-in or a lock."""
    from filelock import FileLock

    path = _path()
    try:
        with FileLock(path.with_name(path.name + ".lock"), mode=0o600):
            data = _read(path)
            per_database = data.setdefault(database_id, {})
            if not isinstance(per_database, dict):
                per_database = data[database_id] = {}
            if int(per_database.get(login, 0) or 0) < entry_id:
                per_database[login] = entry_id
                write_text(path, json.dumps(data, indent=1))
    except OSError:
        pass
