"""Checks for a gettext catalog: complete, not fuzzy, same placeholders, every plural form."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.pofile import read_po

_BRACES = re.compile(r"\{(\w*)(?:[:!][^}]*)?\}")
_PERCENT = re.compile(r"%\((\w+)\)[sdifr]")


def placeholders(text: str) -> set[str]:
    return {f"{{{m}}}" for m in _BRACES.findall(text)} | {f"%({m})" for m in _PERCENT.findall(text)}


def catalog_problems(path: Path) -> list[str]:
    with path.open("rb") as fh:
        catalog = read_po(fh)
    problems = []
    for message in catalog:
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        label = ids[0][:60]
        if message.fuzzy:
            problems.append(f"fuzzy: {label}")
        if (
            isinstance(message.id, tuple)
            and any(strings)
            and (len(strings) != catalog.num_plurals or not all(strings))
        ):
            problems.append(f"needs {catalog.num_plurals} plural forms: {label}")
            continue
        if not all(strings):
            problems.append(f"untranslated: {label}")
            continue
        wanted = set().union(*(placeholders(i) for i in ids))
        if len(ids) > 1 and not any(placeholders(ids[1]) <= placeholders(s) for s in strings):
            # a form may leave the number out (Arabic's "one"), but not every form may
            problems.append(f"no plural form has {sorted(placeholders(ids[1]))}: {label}")
        for string in strings:
            if placeholders(string) - wanted or (placeholders(ids[0]) - placeholders(string)
                                                 and len(strings) == 1):  # fmt: skip
                problems.append(f"placeholders differ: {label}")
    return problems
