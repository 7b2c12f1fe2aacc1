"""Text Traject puts on the clipboard (an outcome table, a crash report), so that the lock can
take it off again. Only a digest of the text is kept, never the text itself."""

from __future__ import annotations

import hashlib

from PySide6.QtWidgets import QApplication

_copied: set[str] = set()


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def copy_text(text: str) -> None:
    QApplication.clipboard().setText(text)
    _copied.add(_digest(text))


def clear_what_traject_copied() -> None:
    """Empty the clipboard if it still holds something Traject put there (a counsellor's own
    copy from another program is left alone)."""
    clipboard = QApplication.clipboard()
    if _digest(clipboard.text()) in _copied:
        clipboard.clear()
    _copied.clear()
