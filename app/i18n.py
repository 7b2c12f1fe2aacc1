"""Translations and locale-aware formatting: the one place the rest of Traject gets `_` from.

Catalogs are Babel/gettext catalogs in `translations/<lang>/LC_MESSAGES/messages.po`; the
build compiles them to `.mo`, installed in the package `app.translations`. A catalog that is
missing is logged (the `traject` log, or standard error), never silently replaced by English.

The interface language is process state (like the locale itself): `set_language()` switches
it and every later `_()` call follows, on every thread. A client document is written in a
language of its own, and never by switching that state: it is given a `DocumentSpeech`
(`for_document`), an immutable object with the document's catalog and locale, and takes its
texts, dates and numbers from that object alone.
"""

from __future__ import annotations

import datetime as dt
import gettext as _gettext
import io
import logging
import re
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, lru_cache

from babel import Locale
from babel import dates as babel_dates
from babel import numbers as babel_numbers

from app import pseudo_locale

DOMAIN = "messages"

#: UI languages and the Babel locale used to format dates and numbers for each.
LANGUAGES: dict[str, str] = {
    "nl": "nl_BE",
    "fr": "fr_BE",
    "en": "en_GB",
    "de": "de_BE",
    "ar": "ar",
}
DEFAULT_LANGUAGE = "nl"
#: Languages a client-facing letter can be written in, whatever the UI language; their texts
#: are in the separate `documents` catalogs (`make i18n`), with the Babel locale of each.
DOCUMENT_LANGUAGES: dict[str, str] = {
    **LANGUAGES,
    "tr": "tr",
    "uk": "uk",
}
DOCUMENTS_DOMAIN = "documents"
PSEUDO_LOCALE = "en_GB"  # how `xx` formats dates and numbers


class _State:
    language: str = DEFAULT_LANGUAGE
    translations: _gettext.NullTranslations = _gettext.NullTranslations()


_state = _State()


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark a string for extraction; it is translated later, where it is shown."""
    return message


def _(message: str) -> str:
    return _state.translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _state.translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _state.translations.pgettext(context, message)


log = logging.getLogger("traject.i18n")


def _load(language: str, domain: str = DOMAIN) -> _gettext.NullTranslations:
    from app.package_data import translations

    base = translations() / language / "LC_MESSAGES"
    mo = base / f"{domain}.mo"
    if mo.exists():
        with mo.open("rb") as fh:
            return _gettext.GNUTranslations(fh)
    po = base / f"{domain}.po"
    if po.exists():  # a source checkout without `make catalogs`: compile in memory
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with po.open("rb") as fh:
            catalog = read_po(fh, locale=language)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        return _gettext.GNUTranslations(buffer)
    # the package's name, not the folder: an install path can name the user
    log.warning("No %s catalog for language %r in app.translations: its texts stay in English",
                domain, language)  # fmt: skip
    return _gettext.NullTranslations()


_documents: dict[str, _gettext.NullTranslations] = {}


def document_translations(language: str) -> _gettext.NullTranslations:
    """The `documents` catalog of a letter language (see DOCUMENT_LANGUAGES)."""
    if language not in _documents:
        _documents[language] = _load(language, DOCUMENTS_DOMAIN)
    return _documents[language]


_interface: dict[str, _gettext.NullTranslations] = {}


def interface_translations(language: str) -> _gettext.NullTranslations:
    """The interface (`messages`) catalog of a UI language, loaded once, for a document that
    shows texts only those catalogs hold. `set_language` loads its own."""
    if language not in _interface:
        _interface[language] = _load(language)
    return _interface[language]


def document_language(*candidates: str | None) -> str:
    """The first candidate a letter can be written in, else the default language."""
    for code in candidates:
        short = (code or "").replace("-", "_").split("_")[0].lower()
        if short in DOCUMENT_LANGUAGES:
            return short
    return DEFAULT_LANGUAGE


def normalise_language(code: str | None) -> str:
    """Map 'fr_BE', 'FR' or 'nl-NL' to a supported UI language, else the default."""
    if not code:
        return DEFAULT_LANGUAGE
    short = code.replace("-", "_").split("_")[0].lower()
    return short if short in LANGUAGES or short == pseudo_locale.CODE else DEFAULT_LANGUAGE


def is_supported(code: str) -> bool:
    """A real language Traject speaks (what a client or a document may be in)."""
    return code.replace("-", "_").split("_")[0].lower() in LANGUAGES


def is_ui_language(code: str) -> bool:
    """What the interface can be shown in: the languages, and the pseudo-language `xx`."""
    return is_supported(code) or code.lower() == pseudo_locale.CODE


def set_language(code: str | None) -> str:
    """Activate a UI language (or the pseudo-language `xx`) and return the code used."""
    language = normalise_language(code)
    if language == pseudo_locale.CODE:
        _state.translations = pseudo_locale.PseudoTranslations()
    else:
        _state.translations = _load(language)
    _state.language = language
    return language


def current_language() -> str:
    return _state.language


@contextmanager
def _then_back() -> Iterator[None]:
    """The active language and catalog as they were, once the block is done."""
    previous = (_state.language, _state.translations)
    try:
        yield
    finally:
        _state.language, _state.translations = previous


@contextmanager
def in_language(code: str | None) -> Iterator[str]:
    """Switch the interface language of the whole process for a while, then back: for tests
    of what the interface shows. Never for a document (see `for_document`): every thread's
    `_()` follows the switch."""
    with _then_back():
        yield set_language(code)


@dataclass(frozen=True)
class DocumentSpeech:
    """The texts and formats of one document language: the catalog a client document (a
    letter, a card, a paper form, the readable export) takes its texts from, and the locale
    that writes its dates, times, numbers and lists. Immutable, and handed to whatever writes
    the document: writing an Arabic letter on one thread changes nothing for `_()` anywhere.

    Texts a document shows must be extracted into the catalog it reads, for `for_document`
    the `documents` domain (`babel-documents.cfg`): `speech.gettext("…")`, `ngettext` and
    `pgettext` are extracted by name, as `_` and `N_` are."""

    language: str
    translations: _gettext.NullTranslations
    locale: Locale

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def pgettext(self, context: str, message: str) -> str:
        return self.translations.pgettext(context, message)

    @property
    def is_right_to_left(self) -> bool:
        """Whether the document is written right to left (Arabic)."""
        return is_right_to_left(self.language)

    def format_date(self, value: dt.date | None, fmt: str = "medium") -> str:
        return _format_date(value, fmt, self.locale)

    def format_datetime(
        self, value: dt.datetime | None, fmt: str = "short", tz: str = "Europe/Brussels"
    ) -> str:
        return _format_datetime(value, fmt, tz, self.locale)

    def format_time(self, value: dt.time | dt.datetime, fmt: str = "short") -> str:
        return babel_dates.format_time(value, format=fmt, locale=self.locale)

    def format_number(self, value: float) -> str:
        return babel_numbers.format_decimal(value, locale=self.locale)

    def format_list(self, items: list[str]) -> str:
        return _format_list(items, self.locale)

    def date_pattern(self) -> str:
        return _date_pattern(self.locale)


def _locale_of(language: str) -> Locale:
    return Locale.parse(DOCUMENT_LANGUAGES.get(language, PSEUDO_LOCALE))


def for_document(*candidates: str | None) -> DocumentSpeech:
    """The speech of a client document: in the first candidate a document can be written in
    (see `document_language`), else the interface language, else the default; its texts from
    the `documents` catalogs. Reads the interface language and changes nothing."""
    language = document_language(*candidates, _state.language)
    return DocumentSpeech(language, document_translations(language), _locale_of(language))


def interface_speech(code: str | None) -> DocumentSpeech:
    """A speech from the interface (`messages`) catalogs of a UI language (else the default
    language), for a document that shows texts only those catalogs hold. Changes nothing."""
    language = normalise_language(code)
    translations = (
        pseudo_locale.PseudoTranslations()
        if language == pseudo_locale.CODE
        else interface_translations(language)
    )
    return DocumentSpeech(language, translations, _locale_of(language))


def current_locale() -> Locale:
    return _locale_of(_state.language)


def format_date(value: dt.date | None, fmt: str = "medium") -> str:
    return _format_date(value, fmt, current_locale())


def _format_date(value: dt.date | None, fmt: str, locale: Locale) -> str:
    if value is None:
        return ""
    pattern = _date_pattern(locale) if fmt == "short" else fmt
    return babel_dates.format_date(value, format=pattern, locale=locale)


def format_datetime(
    value: dt.datetime | None, fmt: str = "short", tz: str = "Europe/Brussels"
) -> str:
    """A stored (UTC) time as the counsellor reads it: local time, UI locale."""
    return _format_datetime(value, fmt, tz, current_locale())


def _format_datetime(value: dt.datetime | None, fmt: str, tz: str, locale: Locale) -> str:
    if value is None:
        return ""
    from zoneinfo import ZoneInfo

    if fmt == "short":  # the short date with its year in full, as date_pattern() says why
        time = str(locale.time_formats["short"].pattern)
        fmt = (
            str(locale.datetime_formats["short"])
            .replace("{1}", _date_pattern(locale))
            .replace("{0}", time)
        )
    return babel_dates.format_datetime(value, format=fmt, tzinfo=ZoneInfo(tz), locale=locale)


def format_time(value: dt.time) -> str:
    """A time of day as the UI locale writes it: 14:30 in nl, fr, de and en_GB, 2:30 م in ar."""
    return babel_dates.format_time(value, format="short", locale=current_locale())


def first_week_day() -> int:
    """The day a week starts on in the UI locale, as `date.weekday()` counts (0 is Monday)."""
    return int(current_locale().first_week_day)


def babel_locales() -> frozenset[str]:
    """Every Babel locale Traject loads: the UI and document locales with their CLDR parents
    ("en_GB" needs "en_001", "en" and "root"). The desktop build ships only these; the tests
    run with only these, so nothing comes to need another one unnoticed."""
    from babel.core import get_global

    parents = get_global("parent_exceptions")
    wanted = {"en", *LANGUAGES, *LANGUAGES.values(), *DOCUMENT_LANGUAGES.values(), PSEUDO_LOCALE}
    found = {"root"}
    for name in wanted:
        while name != "root":
            found.add(name)
            name = parents.get(name) or name.rpartition("_")[0] or "root"
    return frozenset(found)


def language_names() -> dict[str, str]:
    """Each UI language in its own name (Nederlands, Français, العربية), for a menu."""
    names = {}
    for code, locale in LANGUAGES.items():
        name = Locale.parse(locale).get_language_name(code) or code
        names[code] = name[:1].upper() + name[1:]
    return names


@cache
def is_right_to_left(code: str) -> bool:
    """Whether a language is written right to left (Arabic), by its CLDR locale."""
    locale = LANGUAGES.get(code) or DOCUMENT_LANGUAGES.get(code)
    return locale is not None and Locale.parse(locale).text_direction == "rtl"


_RIGHT_TO_LEFT_CLASSES = frozenset({"R", "AL", "AN", "RLE", "RLO", "RLI"})


@lru_cache(maxsize=4096)
def is_right_to_left_char(ch: str) -> bool:
    """A character of a right-to-left script (Arabic letters and digits), by its bidi class."""
    return unicodedata.bidirectional(ch) in _RIGHT_TO_LEFT_CLASSES


def has_right_to_left(text: str) -> bool:
    return any(is_right_to_left_char(ch) for ch in text)


def isolated(text: str) -> str:
    """While the interface is right to left, a text without right-to-left letters is wrapped in
    a left-to-right isolate (U+2066 … U+2069), so "4000 Liège" or "+32 470 12 34 56" keeps
    its order in an Arabic table instead of becoming "Liège 4000" or "56 34 12 470 32+"."""
    if not text or not is_right_to_left(_state.language) or has_right_to_left(text):
        return text
    return f"\u2066{text}\u2069"


def format_list(items: list[str]) -> str:
    """Items joined as the UI locale lists them: "a, b en c", "a, b et c", "a، b و c"."""
    return _format_list(items, current_locale())


def _format_list(items: list[str], locale: Locale) -> str:
    from babel.lists import format_list as babel_format_list

    return babel_format_list(items, locale=locale) if items else ""


def format_number(value: float) -> str:
    return babel_numbers.format_decimal(value, locale=current_locale())


def format_percent(value: float) -> str:
    return babel_numbers.format_percent(value, locale=current_locale())


def date_pattern() -> str:
    """The short date pattern of the locale (e.g. 'dd/MM/y'), with the year always in full:
    de_BE's own 'dd.MM.yy' would write a birth in 1904 and one in 2004 alike."""
    return _date_pattern(current_locale())


def _date_pattern(locale: Locale) -> str:
    pattern = str(locale.date_formats["short"].pattern)
    return re.sub(r"(?<!y)yy(?!y)", "y", pattern)


def date_hint() -> str:
    """The short date pattern as people read it in a field: 'dd/mm/yyyy' (nl 'dd/mm/jjjj',
    fr 'jj/mm/aaaa'), in the locale's order."""
    parts = {"d": pgettext("date hint", "dd"), "M": pgettext("date hint", "mm"),
             "y": pgettext("date hint", "yyyy")}  # fmt: skip
    return re.sub(r"d+|M+|y+", lambda m: parts[m.group()[0]], date_pattern())


def parse_date(text: str) -> dt.date:
    """Parse a date typed in the UI locale's short form or as ISO yyyy-mm-dd."""
    text = text.strip()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        pass
    return babel_dates.parse_date(text, locale=current_locale(), format="short")


_NOUNS_CAPITALISED = frozenset({"de", "lb"})


def mid_sentence(label: str, language: str | None = None) -> str:
    """A label ("Telefoon", "Sms") as the language writes it inside a sentence ("telefoon",
    "sms"): the first letter lower-cased, unless the language capitalises its nouns (German)
    or the first word is not simply capitalised ("SMS", "WhatsApp" keep theirs)."""
    language = language or current_language()
    first = label.split(" ", 1)[0]
    if language.split("_")[0] in _NOUNS_CAPITALISED or first[1:] != first[1:].lower():
        return label
    head = label[:1]
    if language.split("_")[0] in ("tr", "az"):  # Turkish dotted and dotless i
        head = {"I": "ı", "İ": "i"}.get(head, head)
    return head.lower() + label[1:]
