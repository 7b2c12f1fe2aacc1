"""The glossary (`translations/glossary.csv`, from the domain brief) is kept: wherever an
English text uses a glossary term, its Dutch, French, German and Arabic translations use the
agreed word (one of its listed forms or stems), so a counsellor meets one word for one thing."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
#: not words of the text: placeholders, command-line options, the values of --view
NOT_WORDS = re.compile(r"\{[^}]*\}|--[\w-]+|\bcaseload or client:DOSSIER\b")


def _plain(text: str) -> str:
    """Lower case, one apostrophe (both are in use), no shortcut marker: Arabic puts the `&`
    inside a word (الإ&حالات)."""
    return re.sub(r"&(?!&)", "", text.lower().replace("’", "'"))


def glossary() -> list[dict[str, str]]:
    with (TRANSLATIONS / "glossary.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def departures(language: str, catalog_path: Path) -> list[str]:
    with catalog_path.open("rb") as fh:
        catalog = read_po(fh)
    found = []
    for term in glossary():
        pattern = re.compile(rf"\b{re.escape(term['en'])}s?\b", re.IGNORECASE)
        agreed = [_plain(form) for form in term[language].split("|")]
        for message in catalog:
            source = message.id if isinstance(message.id, str) else message.id[0]
            if not source or not pattern.search(NOT_WORDS.sub("", source)):
                continue
            strings = [message.string] if isinstance(message.string, str) else list(message.string)
            for string in strings:
                if not any(form in _plain(string) for form in agreed):
                    found.append(f"{term['en']} → {term[language]}: {string[:80]!r}")
    return found


@pytest.mark.parametrize("language", ["nl", "fr", "de", "ar"])
def test_the_catalogs_keep_the_glossary(language: str) -> None:
    catalog = TRANSLATIONS / language / "LC_MESSAGES" / "messages.po"
    assert departures(language, catalog) == []


def test_a_departure_is_found(tmp_path: Path) -> None:
    broken = tmp_path / "messages.po"
    broken.write_text(
        'msgid ""\nmsgstr ""\n"Language: nl\\n"\n\n'
        'msgid "New referral"\nmsgstr "Nieuwe verwijzing"\n\n'
        'msgid "Referral letter"\nmsgstr "Doorverwijsbrief"\n',
        encoding="utf-8",
    )
    assert departures("nl", broken) == ["referral → doorverwijz|doorverwijs: 'Nieuwe verwijzing'"]


#: Words a catalog must not use: a second word for a concept the glossary names otherwise
#: ("cliënt" beside "klant", "courriel" beside "e-mail"), or a known typo. The tips quoted
#: word for word from the sources keep the sources' words (test_source_wording).
AVOIDED = {
    "nl": ["cliënt", "sleutelpersoon", "basisvaardigen", "helper"],
    "fr": ["courriel", "personne-clé", "aidant"],
    "de": ["hilfsperson"],
    "ar": ["المستفيد", "شخص مساعد", "الشخص المساعد"],
}


def _strings(path: Path) -> list[str]:
    with path.open("rb") as fh:
        catalog = read_po(fh)
    found: list[str] = []
    for message in catalog:
        if message.id:
            found += [message.string] if isinstance(message.string, str) else list(message.string)
    return found


@pytest.mark.parametrize("domain", ["messages", "documents"])
@pytest.mark.parametrize("language", sorted(AVOIDED))
def test_one_word_for_one_thing(language: str, domain: str) -> None:
    path = TRANSLATIONS / language / "LC_MESSAGES" / f"{domain}.po"
    used = [s for s in _strings(path) for word in AVOIDED[language] if word in s.lower()]
    assert used == []


@pytest.mark.parametrize("domain", ["messages", "documents"])
def test_french_typography(domain: str) -> None:
    """A narrow no-break space before : ; ? ! and inside « », never a plain or a breaking
    one, and the typographic apostrophe."""
    path = TRANSLATIONS / "fr" / "LC_MESSAGES" / f"{domain}.po"
    wrong = [s for s in _strings(path)
             if re.search(r"[ \u00a0][:;?!»]|«[ \u00a0]|'", s)]  # fmt: skip
    assert wrong == []
