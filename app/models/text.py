"""Text folding for search and sorting: case- and diacritic-blind, in any script.

Unicode decomposition strips most accents (é → e, ş → s), but some letters are letters of
their own that NFKD leaves alone (Turkish dotless ı, Polish ł, Danish ø, German ß). They are
mapped first so that "yilmaz" finds "Yılmaz" and "lukasz" finds "Łukasz".
"""

from __future__ import annotations

import re
import unicodedata

_UNDECOMPOSED = str.maketrans(
    {
        "ı": "i", "İ": "i", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "ß": "ss", "ẞ": "ss",
        "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "đ": "d", "Đ": "d", "ð": "d", "Ð": "d",
        "þ": "th", "Þ": "th", "ħ": "h", "Ħ": "h", "ŀ": "l", "Ŀ": "l", "ŧ": "t", "Ŧ": "t",
        "ĸ": "k", "ŋ": "n", "Ŋ": "n", "ſ": "s",
        # apostrophes inside names (D'Hondt, N'Diaye, O’Brien) are dropped, not split on
        "'": "", "’": "", "ʼ": "", "`": "", "´": "",
    }
)  # fmt: skip
_WORD = re.compile(r"\w+")


def fold(text: str | None) -> str:
    """Lower-case, accent-free form of `text` used for matching and sorting."""
    if not text:
        return ""
    # twice: compatibility forms and case folding can each give a letter the other pass folds
    # (ℏ is ħ, which is h; Ø folds to ø, which is o), and folding must not change a folded text
    return _fold_once(_fold_once(text).casefold())


def _fold_once(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text).translate(_UNDECOMPOSED)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def words(text: str | None) -> list[str]:
    """The folded words of `text` (letters and digits in any script)."""
    return _WORD.findall(fold(text))


def digits(text: str | None) -> str:
    return "".join(ch for ch in (text or "") if ch.isascii() and ch.isdigit())
