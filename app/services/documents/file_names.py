"""Default names for the files Traject offers to save: meaningful, in the interface language,
ASCII-safe (any file system, any mail attachment), never empty, and without a client's name —
personal data in a file name ends up in folder listings, recent-file lists and backups. The
dossier number is enough to find the file again.

The kinds (`KINDS`), with the name each gives in English:
- ``letter_partner``       referral letter for the partner  ``referral-T-2026-000218-partner.pdf``
- ``letter_client``        the client's copy of that letter ``referral-T-2026-000218-client.pdf``
- ``data_export``          all data held about one client   ``data-T-2026-000218.pdf`` / ``.json``
- ``appointment_card``     the card for an appointment      ``appointment-T-2026-000218-2026-03-12.pdf``
- ``agenda_ics``           a counsellor's agenda            ``agenda-2026-03-12.ics``
- ``blank_questionnaire``  a guided conversation on paper   ``questionnaire-digital-profile-ar.pdf``
- ``unreached_letter``     "we could not reach you"         ``not-reached-T-2026-000218.pdf``

Translators write the pattern in their language ("doorverwijzing-{dossier}-partner",
"lettre-orientation-{dossier}-partenaire"); what they write is reduced to ASCII letters,
digits and hyphens, and a language whose letters do not reduce (Arabic) keeps the English
pattern rather than an empty name."""

from __future__ import annotations

import datetime as dt
import re
import string
import unicodedata

from app.i18n import N_, _

#: kind → (the pattern, the extension when the caller gives none)
KINDS: dict[str, tuple[str, str]] = {
    "letter_partner": (N_("referral-{dossier}-partner"), "pdf"),
    "letter_client": (N_("referral-{dossier}-client"), "pdf"),
    "data_export": (N_("data-{dossier}"), "pdf"),
    "appointment_card": (N_("appointment-{dossier}-{date}"), "pdf"),
    "agenda_ics": (N_("agenda-{date}"), "ics"),
    "blank_questionnaire": (N_("questionnaire-{detail}"), "pdf"),
    "unreached_letter": (N_("not-reached-{dossier}"), "pdf"),
}
_FALLBACK = "traject"
_UNSAFE = re.compile(r"[^A-Za-z0-9]+")


def _ascii(text: str) -> str:
    """Letters without their accents; anything else (’, /, a space) separates words."""
    spaced = "".join(c if c.isalnum() else " " for c in text)
    plain = unicodedata.normalize("NFKD", spaced).encode("ascii", "ignore").decode("ascii")
    return _UNSAFE.sub("-", plain).strip("-")


def slug(text: str) -> str:
    """ASCII letters, digits and single hyphens: "Lettre d’orientation" → "lettre-d-orientation"."""
    return _ascii(text).lower()


def _value(text: str) -> str:
    """A value put into a name (a dossier number keeps its capitals: T-2026-000218)."""
    return _ascii(text)


def _fill(pattern: str, values: dict[str, str]) -> str:
    parts: list[str] = []
    for literal, name, _spec, _conv in string.Formatter().parse(pattern):
        if literal:
            parts.append(slug(literal))
        if name is not None:
            parts.append(_value(values.get(name, "")))
    return "-".join(p for p in parts if p)


def file_name(
    kind: str, *, dossier: str | None = None, day: dt.date | None = None,
    detail: str | None = None, extension: str | None = None,
) -> str:  # fmt: skip
    """The default name of a file of `kind` (one of `KINDS`), in the interface language.
    An unknown kind is a programming error (KeyError)."""
    source, default_extension = KINDS[kind]
    values = {"dossier": dossier or "", "date": day.isoformat() if day else "",
              "detail": detail or ""}  # fmt: skip
    translated = _(source)
    try:
        stem = _fill(translated, values)
        if not slug(string.Formatter().vformat(translated, (), _Blank())):
            stem = ""  # the language's letters are not ASCII: the English words instead
    except (ValueError, IndexError):  # a broken translation must not stop a save
        stem = ""
    stem = stem or _fill(source, values) or _FALLBACK
    suffix = slug(extension or default_extension) or default_extension
    return f"{stem}.{suffix}"


class _Blank(dict[str, str]):
    """Formats a pattern with every placeholder empty, to see what its words come to."""

    def __missing__(self, key: str) -> str:
        return ""
