"""The pseudo-language `xx` (`traject --lang xx`): every translated string comes back accented,
about 40 % longer and in brackets, e.g. "Family name" → "[Fàɱîļý ñàɱé ~~~~~]". A screen in
`xx` shows at a glance which texts never went through the catalogs (no brackets) and which
labels are cut off when a translation runs long (no closing bracket). Placeholders, markup and
Qt's "&" shortcut markers are left as they are, so everything still formats and works."""

from __future__ import annotations

import gettext
import re

CODE = "xx"
LENGTHEN = 0.4
_ACCENTS = str.maketrans(
    "abcdeghiklmnorstuwyzABCDEGHIKLMNORSTUWYZ",
    "àƀçđéĝĥîķļɱñöŕšţüŵýžÅƁÇĐÉĜĤÎĶĻМÑÖŔŠŢÜŴÝŽ",
)
#: {name}, {0:.2f}, %(name)s, %s, %p%, <b>, &&, entities: kept as written
_KEEP = re.compile(r"\{[^{}]*\}|%\(\w+\)[a-z]|%[a-z%]%?|<[^>]*>|&&|&\w+;")


def pseudo(text: str) -> str:
    if not text:
        return text
    parts, last = [], 0
    for match in _KEEP.finditer(text):
        parts.append(text[last : match.start()].translate(_ACCENTS))
        parts.append(match.group())
        last = match.end()
    parts.append(text[last:].translate(_ACCENTS))
    padding = "~" * max(1, round(len(text) * LENGTHEN))
    return f"[{''.join(parts)} {padding}]"


class PseudoTranslations(gettext.NullTranslations):
    def gettext(self, message: str) -> str:
        return pseudo(message)

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)

    def pgettext(self, context: str, message: str) -> str:
        return pseudo(message)

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return pseudo(msgid1 if n == 1 else msgid2)
