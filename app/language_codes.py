"""Language codes as CLDR writes them: what a client's language is stored as (`language_code`,
which also reads old and three-letter codes) and how a stored code is shown (`language_name`,
in the interface language). Read from CLDR's names and aliases through Babel."""

from __future__ import annotations

from babel import Locale
from babel.core import get_locale_identifier, parse_locale

from app.i18n import current_locale

#: CLDR codes that name no language a person speaks: unknown, no linguistic content, several
NOT_A_LANGUAGE = frozenset({"und", "zxx", "mul", "mis", "root"})


def language_code(text: str) -> str | None:
    """A language code as CLDR writes it, or None when it names no language CLDR knows.

    "FA-af" gives "fa_AF"; an old or three-letter code gives its CLDR form ("iw" → "he",
    "nld" → "nl", "kmr" → "ku", "prs" → "fa_AF"); a region or script must be one CLDR
    knows, and a script that is the language's usual one is dropped ("nl_Latn" → "nl").
    Read from CLDR's names and aliases, not from each language's own locale data, which the
    desktop build does not ship (see `babel_locales`).
    """
    from babel.core import get_global

    try:
        language, territory, script, _variant = parse_locale(text.strip().replace("-", "_"))[:4]
    except (ValueError, TypeError):
        return None
    alias = get_global("language_aliases").get(language)
    if alias:
        language, alias_territory, alias_script = parse_locale(alias)[:3]
        territory, script = territory or alias_territory, script or alias_script
    english = Locale.parse("en")
    if language in NOT_A_LANGUAGE or language not in english.languages:
        return None
    if territory and (territory == "ZZ" or territory not in english.territories):
        return None
    if script and script not in english.scripts:
        return None
    likely = get_global("likely_subtags").get(language, "")
    if script and f"_{script}_" in f"{likely}_":
        script = None
    return get_locale_identifier((language, territory, script))


def language_name(code: str) -> str:
    """A stored language code by its name in the UI language: "Dari" for fa_AF, "Turks" for
    tr in Dutch; the code itself when CLDR has no name for it."""
    languages = current_locale().languages
    parsed = language_code(code)
    if parsed is None:
        return code
    return str(languages.get(parsed) or languages.get(parsed.split("_")[0]) or code)
