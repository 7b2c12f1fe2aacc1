"""--db and --lang mean the same before and after any subcommand (issue: `traject --db X erase`
erased from the default database, the subcommand's default overwriting X)."""

from __future__ import annotations

import argparse
from collections.abc import Iterator

import pytest

from app.cli import build_parser

# what each command needs after its name to parse (positionals and required options)
REQUIRED = {
    "demo": ["--clients", "3"],
    "init": ["--org", "O"],
    "user add": ["bob"],
    "user remove": ["bob"],
    "export": ["T-1"],
    "erase": ["T-1", "--reason", "asked by letter"],
    "script show": ["digital-profile"],
    "script blank": ["digital-profile", "-o", "f.pdf"],
    "script stats": ["digital-profile"],
    "script run": ["digital-profile", "--client", "T-1", "--answers", "a.json"],
    "agenda": ["--ics", "a.ics"],
    "letter": ["T-1", "--offer", "o", "-o", "l.pdf"],
    "backup": ["b.zip"],
    "restore": ["b.zip"],
    "import": ["clients.csv"],
    "server run": ["--data", "pg"],
    "server import-file": ["traject.db"],
}


def _commands(
    parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[str, ...]]:
    subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not subs:
        yield prefix
        return
    for name, child in subs[0].choices.items():
        yield from _commands(child, (*prefix, name))


COMMANDS = sorted(_commands(build_parser()))


def test_every_command_is_covered() -> None:
    assert len(COMMANDS) > 20
    assert ("erase",) in COMMANDS and ("user", "remove") in COMMANDS


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("where", ["before", "after"])
def test_db_and_lang_are_honoured_in_both_positions(command: tuple[str, ...], where: str) -> None:
    rest = [*command, *REQUIRED.get(" ".join(command), [])]
    options = ["--db", "/elsewhere/other.db", "--lang", "fr"]
    argv = [*options, *rest] if where == "before" else [*rest, *options]
    args = build_parser().parse_args(argv)
    assert (args.db, args.lang) == ("/elsewhere/other.db", "fr")


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_without_the_options_the_default_is_left_to_the_environment(
    command: tuple[str, ...],
) -> None:
    args = build_parser().parse_args([*command, *REQUIRED.get(" ".join(command), [])])
    assert (args.db, args.lang) == (None, None)
