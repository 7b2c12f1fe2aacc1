"""Per-user interface preferences (window geometry, last view, language) in an INI file. It
names the last client opened and the caseload filters, so it is the user's alone: made 0600
before QSettings first writes it (QSettings keeps the mode of the file it replaces)."""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from app.config import config_dir
from app.private_files import make_private, write_text


class UiSettings:
    """A thin typed wrapper over QSettings, stored where platformdirs says (or where tests say)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or config_dir() / "ui.ini"
        with contextlib.suppress(OSError):  # as QSettings: unwritable settings are not fatal
            if self.path.exists():
                make_private(self.path)
            else:
                write_text(self.path, "")
        self._qs = QSettings(str(self.path), QSettings.Format.IniFormat)

    def value(self, key: str, default: Any = None) -> Any:
        return self._qs.value(key, default)

    def text(self, key: str, default: str = "") -> str:
        value = self._qs.value(key, default)
        return str(value) if value is not None else default

    def integer(self, key: str) -> int | None:
        value = self._qs.value(key)
        try:
            return int(value) if value not in (None, "") else None
        except (TypeError, ValueError):
            return None

    def flag(self, key: str) -> bool:
        return str(self._qs.value(key, "false")).lower() in ("true", "1")

    def blob(self, key: str) -> QByteArray | None:
        value = self._qs.value(key)
        return value if isinstance(value, QByteArray) else None

    def set(self, key: str, value: Any) -> None:
        self._qs.setValue(key, value)

    def sync(self) -> None:
        self._qs.sync()
