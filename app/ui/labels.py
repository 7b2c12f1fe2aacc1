"""A field's label as a form shows it: followed by a colon the way the interface language
writes one (French puts a narrow no-break space before it: « Prénom : »)."""

from __future__ import annotations

from app.i18n import _


def colon(label: str) -> str:
    """`label` and its colon, e.g. "Voornaam:", "Prénom :"."""
    return _("{label}:").format(label=label)
