"""The shipped catalogs are complete and current; the checks catch a broken catalog."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from app.i18n import (
    DOCUMENT_LANGUAGES,
    LANGUAGES,
    _,
    format_date,
    format_list,
    ngettext,
    set_language,
)
from tests.unit.catalog_checks import catalog_problems

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
#: the Makefile's BABEL_KEYWORDS: Babel's own, and the marker for argparse's plural texts
KEYWORDS = {**DEFAULT_KEYWORDS, "N_plural": (1, 2)}


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_shipped_catalog_is_complete(language: str) -> None:
    assert catalog_problems(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po") == []


def test_catalogs_are_not_stale() -> None:
    """Every string in the code and the script files is in every catalog, and nothing obsolete
    lingers there (the same mapping as `make i18n-extract`)."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    fresh = {
        message
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT, method_map, options_map, keywords=KEYWORDS
        )
    }
    for language in LANGUAGES:
        with (TRANSLATIONS / language / "LC_MESSAGES" / "messages.po").open("rb") as fh:
            shipped = {m.id for m in read_po(fh) if m.id}
        assert fresh - shipped == set(), f"{language}: run `make i18n` and translate"
        assert shipped - fresh == set(), f"{language}: obsolete entries; run `make i18n`"


BROKEN = r"""
msgid ""
msgstr ""
"Language: nl\n"
"Plural-Forms: nplurals=2; plural=(n != 1);\n"

msgid "Family name"
msgstr ""

msgid "Dossier {dossier}"
msgstr "Dossier {nummer}"

msgid "{n} client"
msgid_plural "{n} clients"
msgstr[0] "{n} klant"

#, fuzzy
msgid "Phone"
msgstr "Telefoon"

msgid "{n} visitor"
msgid_plural "{n} visitors"
msgstr[0] "{"
msgstr[1] "n"
"""


def test_checks_catch_a_broken_catalog(tmp_path: Path) -> None:
    path = tmp_path / "broken.po"
    path.write_text(BROKEN, encoding="utf-8")
    problems = catalog_problems(path)
    assert "untranslated: Family name" in problems
    assert "placeholders differ: Dossier {dossier}" in problems
    assert "needs 2 plural forms: {n} client" in problems
    assert "fuzzy: Phone" in problems
    assert "no plural form has ['{n}']: {n} visitor" in problems  # a string split into letters


def test_languages_switch_and_format() -> None:
    import datetime as dt

    set_language("nl")
    assert _("Family name") == "Familienaam"
    assert ngettext("{n} client", "{n} clients", 3).format(n=3) == "3 klanten"
    assert format_date(dt.date(2026, 3, 5), "long") == "5 maart 2026"
    set_language("fr")
    assert _("Family name") == "Nom"
    assert format_date(dt.date(2026, 3, 5), "long") == "5 mars 2026"
    assert format_list(["a", "b", "c"]) == "a, b et c"
    set_language("de")
    assert _("Family name") == "Familienname"
    assert ngettext("{n} client", "{n} clients", 1).format(n=1) == "1 Klient"
    assert format_date(dt.date(2026, 3, 5), "long") == "5. März 2026"
    assert format_date(dt.date(1904, 3, 5), "short") == "05.03.1904"  # not 05.03.04 (CLDR's yy)
    set_language("ar")  # six plural forms: 0, 1, 2, 3–10, 11–99, 100 and up
    shown = [ngettext("{n} client", "{n} clients", n).format(n=n) for n in (0, 1, 2, 3, 11, 100)]
    assert shown == ["لا عملاء (0)", "عميل واحد (1)", "عميلان (2)", "3 عملاء", "11 عميلًا",
                     "100 عميل"]  # fmt: skip
    assert set_language("zz") == "nl"  # unknown: the default
    assert set_language("xx") == "xx" and _("Family name").startswith("[Fàɱîļý")  # pseudo


def test_french_says_vous_and_dutch_says_je() -> None:
    """One form of address per language, as the counsellors' own documents use: vous in
    French (clients and counsellors alike), je in Dutch (as the sources speak), Sie in German."""
    import re

    forms = {"fr": r"-tu\b|\b(tu|toi|ton|ta|tes)\b|\bt’", "nl": r"\b(u|uw)\b",
             "de": r"\b(du|dich|dir|dein\w*)\b"}  # fmt: skip
    for language, pattern in forms.items():
        path = Path("translations") / language / "LC_MESSAGES" / "messages.po"
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        texts = [" ".join(m.string) if isinstance(m.string, tuple) else m.string
                 for m in catalog if m.id]  # fmt: skip
        found = [t for t in texts if re.search(pattern, t, re.IGNORECASE)]
        assert found == [], language


@pytest.mark.parametrize("language", sorted(DOCUMENT_LANGUAGES))
def test_letter_catalogs_are_complete_and_current(language: str) -> None:
    """The letter templates' texts (`documents` domain) in every letter language, Arabic too."""
    path = TRANSLATIONS / language / "LC_MESSAGES" / "documents.po"
    assert catalog_problems(path) == []
    with (ROOT / "babel-documents.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)
    fresh = {m[2] for m in extract_from_dir(ROOT, method_map, options_map)}
    with path.open("rb") as fh:
        shipped = {m.id for m in read_po(fh) if m.id}
    assert fresh == shipped, f"{language}: run `make i18n` and translate"


def test_left_to_right_values_keep_their_order_in_a_right_to_left_interface() -> None:
    from app.i18n import in_language, isolated

    with in_language("ar"):
        assert isolated("4000 Liège") == "\u20664000 Liège\u2069"
        assert isolated("+32 470 12 34 56") == "\u2066+32 470 12 34 56\u2069"
        assert isolated("عمر العلي") == "عمر العلي" and isolated("") == ""
    with in_language("fr"):
        assert isolated("4000 Liège") == "4000 Liège"
