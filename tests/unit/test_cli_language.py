"""The command line speaks the chosen language throughout: argparse's own texts ("usage:",
"options:", "show this help message and exit", its error messages) come from Traject's
catalogs, in every UI language."""

from __future__ import annotations

import argparse
import ast
import gettext
import inspect
import re

import pytest
from babel.messages.pofile import read_po

from app.cli import main
from app.cli.parser_language import PLURALS, TEXTS
from app.i18n import LANGUAGES, _, pgettext, set_language
from app.package_data import translations

# ("options" is French too)
ENGLISH = ("usage:", "positional arguments", "show this help message and exit",
           "show program's version number")  # fmt: skip
TRANSLATED = [code for code in LANGUAGES if code != "en"]


def _argparse_texts() -> tuple[set[str], set[tuple[str, str]]]:
    """What the running Python's argparse passes through `_` and `ngettext`."""
    singles: set[str] = set()
    plurals: set[tuple[str, str]] = set()
    for node in ast.walk(ast.parse(inspect.getsource(argparse))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
            continue
        literals = [a.value for a in node.args if isinstance(a, ast.Constant)]
        if node.func.id == "_" and literals and isinstance(literals[0], str):
            singles.add(literals[0])
        elif node.func.id == "ngettext":
            plurals.add((literals[0], literals[1]))
    return singles, plurals


def test_every_argparse_text_is_in_traject_catalogs() -> None:
    """What this Python's argparse asks for is listed (and so extracted and translated); the
    list also holds what other supported Pythons ask for."""
    singles, plurals = _argparse_texts()
    assert singles <= set(TEXTS), singles - set(TEXTS)
    assert plurals <= set(PLURALS), plurals - set(PLURALS)


@pytest.mark.parametrize("language", TRANSLATED)
def test_each_argparse_text_has_a_translation(language: str) -> None:
    set_language(language)
    # texts that are written the same in a language ("options" in French) are checked by the
    # catalog tests for completeness; here what a person reads first must change
    for text in ("usage: ", "show this help message and exit", "unrecognized arguments: %s",
                 "the following arguments are required: %s", "invalid choice: %(value)r (choose from %(choices)s)"):  # fmt: skip
        assert _(text) != text, (language, text)


@pytest.mark.parametrize("language", TRANSLATED)
def test_help_has_no_english_left(language: str, capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (["--help"], ["demo", "--help"], ["script", "blank", "--help"]):
        with pytest.raises(SystemExit) as stop:
            main(["--lang", language, *argv])
        assert stop.value.code == 0
        shown = capsys.readouterr().out
        assert not [words for words in ENGLISH if words in shown], (language, argv, shown)


def _placeholders() -> list[str]:
    """The words that stand for a value in the help (FILE, LOGIN, DATE…)."""
    with (translations() / "en" / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        return [m.id for m in read_po(fh) if m.context == "placeholder"]


@pytest.mark.parametrize("language", TRANSLATED)
def test_placeholders_are_in_the_chosen_language(
    language: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """`-o BESTAND`, not `-o FILE`, in the options and in the sentences that name them."""
    set_language(language)
    english = [w for w in _placeholders() if pgettext("placeholder", w) != w]
    assert "FILE" in english
    token = re.compile(r"(?<![\w=.-])(" + "|".join(map(re.escape, english)) + r")(?![\w=.-])")
    for argv in (["--help"], ["backup", "--help"], ["restore", "--help"], ["import", "--help"],
                 ["export", "--help"], ["user", "add", "--help"], ["script", "stats", "--help"],
                 ["settings", "--help"], ["letter", "--help"]):  # fmt: skip
        with pytest.raises(SystemExit):
            main(["--lang", language, *argv])
        shown = capsys.readouterr().out
        assert not token.findall(shown), (language, argv, token.findall(shown))


@pytest.mark.parametrize("language", TRANSLATED)
def test_errors_are_in_the_chosen_language(
    language: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv, english in (
        (["clients", "--bogus"], "unrecognized arguments"),
        (["demo"], "the following arguments are required"),
        (["clients", "--limit", "many"], "invalid whole number value"),
        (["clients", "--format", "xml"], "invalid choice"),
        (["nonsense"], "invalid choice"),
    ):
        with pytest.raises(SystemExit) as stop:
            main(["--lang", language, *argv])
        assert stop.value.code == 2
        said = capsys.readouterr().err
        assert english not in said and "error:" not in said, (language, argv, said)
        assert "usage:" not in said


def test_english_stays_english_and_argparse_is_given_back(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        main(["--lang", "en", "clients", "--limit", "many"])
    assert "invalid whole number value: 'many'" in capsys.readouterr().err
    # other users of argparse in the same process (pytest itself) are left as they were
    assert argparse._ is gettext.gettext  # type: ignore[attr-defined]
    assert argparse.ngettext is gettext.ngettext  # type: ignore[attr-defined]


def test_a_language_traject_does_not_speak_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    for argv, code in ((["--lang", "es", "clients"], "es"), (["clients", "--lang", "zz"], "zz")):
        with pytest.raises(SystemExit) as stop:
            main(argv)
        assert stop.value.code == 2
        said = capsys.readouterr().err.splitlines()[-1]
        # in the default language (Dutch), since the one asked for is not there
        assert said.startswith(f"traject: fout: --lang: Traject spreekt geen “{code}”"), said


def test_the_system_language_follows_gnu_language_then_the_locale(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from app.cli import system_language

    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "nl_BE.UTF-8")
    assert system_language() == "nl_BE"
    monkeypatch.setenv("LANGUAGE", "es:fr_BE:en")  # the first one Traject speaks
    assert system_language() == "fr_BE"
    monkeypatch.setenv("LANGUAGE", "es")
    assert system_language() == "nl_BE"
