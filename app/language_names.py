"""Languages by their names: what a counsellor reads and types, where Traject stores codes.

`display_name` shows a stored code by its name in the interface language ("Turks", "Turc",
"التركية"); `code_for` reads a name or a code back ("turks", "Türkçe", "Turkish", "TR" all
give "tr"); `choices` lists every language a picker offers, with what its search matches.
Names come from CLDR through Babel, in every locale Traject ships (the interface and document
languages): a language is found by its name in the interface language, in English, and in its
own language when Traject ships that locale. Matching ignores case and diacritics.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache

from babel import Locale

from app.i18n import DOCUMENT_LANGUAGES, LANGUAGES, N_, _, current_locale
from app.language_codes import NOT_A_LANGUAGE, language_code, language_name
from app.models.text import fold

#: The languages clients of the region speak most, first in a picker (before the others in
#: alphabetical order): the region's own, then newcomers'. Dari is fa_AF in CLDR.
FREQUENT = ("nl", "fr", "en", "ar", "tr", "uk", "ru", "ro", "pl", "es", "so", "ti", "fa_AF", "ps")
#: An example of a language by name and by code, for a message when a name is not known
EXAMPLE_CODE = "tr"
_ARABIC_ARTICLE = "ال"
INTERPRETER_NEEDED = N_("Interpreter needed")


@dataclass(frozen=True)
class Language:
    """One language a picker offers: its stored code, its name in the interface language and
    the folded names (every shipped locale's, and the code) a search matches."""

    code: str
    name: str
    search: str  # folded names, one per line, so that a search never spans two names


def capitalised(name: str) -> str:
    """A name as it stands on its own, in a list or a field: "Turc", not "turc" (CLDR writes
    French names in lower case, for the middle of a sentence)."""
    return name[:1].upper() + name[1:]


def display_name(code: str | None) -> str:
    """A stored code by its name in the interface language; the code when CLDR has none;
    "" for no language."""
    if not code:
        return ""
    name = language_name(code)
    return name if name == code else capitalised(name)


def _folded_forms(name: str) -> list[str]:
    """A name folded, and without the Arabic article ("التركية" is also found as "تركية")."""
    folded = fold(name)
    forms = [folded]
    if folded.startswith(_ARABIC_ARTICLE) and len(folded) > len(_ARABIC_ARTICLE) + 1:
        forms.append(folded[len(_ARABIC_ARTICLE) :])
    return forms


@cache
def _shipped_locales() -> tuple[Locale, ...]:
    names = dict.fromkeys(["en_GB", *LANGUAGES.values(), *DOCUMENT_LANGUAGES.values()])
    return tuple(Locale.parse(name) for name in names)


@cache
def _codes() -> tuple[str, ...]:
    """Every code CLDR names a language by, as Traject stores it (no alias twice)."""
    english = Locale.parse("en")
    codes = (str(code) for code in english.languages if code)
    return tuple(c for c in codes if c not in NOT_A_LANGUAGE and language_code(c) == c)


@cache
def _catalogue(locale_name: str) -> tuple[Language, ...]:
    locale = Locale.parse(locale_name)
    found = []
    for code in _codes():
        name = locale.languages.get(code)
        if not name:  # not named in this language: typed by its code or another name
            continue
        names = [name, *(str(loc.languages.get(code) or "") for loc in _shipped_locales())]
        forms = dict.fromkeys(form for n in names if n for form in _folded_forms(n))
        forms[code.lower()] = None
        found.append(Language(code, capitalised(name), "\n".join(forms)))
    # Arabic names sort without their article, as an Arabic index does
    return tuple(sorted(found, key=lambda lang: (_folded_forms(lang.name)[-1], lang.code)))


def choices() -> tuple[Language, ...]:
    """Every language named in the interface language, in alphabetical order of that name."""
    return _catalogue(str(current_locale()))


@cache
def _names_index(locale_name: str) -> dict[str, str]:
    """Folded name → code: the interface language's names first, then English, then the rest."""
    index: dict[str, str] = {}
    ordered = [Locale.parse(locale_name), *_shipped_locales()]
    for locale in ordered:
        for code in _codes():
            name = locale.languages.get(code)
            for form in _folded_forms(name) if name else ():
                index.setdefault(form, code)
    return index


def code_for(text: str | None) -> str | None:
    """The code of a language typed by its name (in the interface language, in English or in
    its own language) or by its code; None when nothing is typed or nothing matches."""
    typed = " ".join((text or "").split())
    if not typed:
        return None
    index = _names_index(str(current_locale()))
    for form in _folded_forms(typed):
        if form in index:
            return index[form]
    return language_code(typed)


def closest(text: str) -> str | None:
    """The code of the language whose name in the interface language looks most like `text`
    (a typing slip: "Turksch" → tr), or None."""
    names = {fold(lang.name): lang.code for lang in choices()}
    found = difflib.get_close_matches(fold(text), list(names), n=1, cutoff=0.75)
    return names[found[0]] if found else None


def unknown_language_message(text: str) -> str:
    """Why `text` is not taken as a language, and how to type one (without the field's label)."""
    example = closest(text) or EXAMPLE_CODE
    return _(
        "“{value}” is not a language Traject knows; type its name, e.g. {name}, or its code, "
        "e.g. {code}."
    ).format(value=text.strip(), name=display_name(example), code=example)


def interpreter_note(language: str | None) -> str:
    """ "Interpreter needed: Somali" (or without a language when the file has none)."""
    if not language:
        return _(INTERPRETER_NEEDED)
    return _("Interpreter needed: {language}").format(language=display_name(language))
