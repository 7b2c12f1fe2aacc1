"""argparse's own texts ("usage:", "options:", its error messages) in the chosen language.

argparse asks the `gettext` module's process-wide functions for its texts, which know nothing
of Traject's catalogs. While Traject builds and runs its parser, argparse's two look-up
functions are pointed at Traject's `_` and `ngettext`; its texts are listed below so that
extraction puts them in Traject's `messages` catalogs, and a test keeps the list equal to what
the running Python's argparse asks for.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from app.i18n import N_, _, ngettext


def N_plural(singular: str, plural: str) -> tuple[str, str]:  # noqa: N802 - a gettext marker
    """Mark a singular/plural pair for extraction (`make i18n-extract` knows this keyword)."""
    return singular, plural


#: Every text argparse passes through `_`, in Python 3.11 to 3.13 (a test fails on a Python
#: whose argparse asks for one that is not here).
TEXTS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
    N_('argument "-" with mode %r'),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    # what a wrongly built parser says: a programmer's error, translated all the same
    N_(".__call__() not defined"),
    N_("conflicting subparser: %s"),
    N_("conflicting subparser alias: %s"),
    N_("cannot merge actions - two groups are named %r"),
    N_("'required' is an invalid argument for positionals"),
    N_("invalid option string %(option)r: must start with a character %(prefix_chars)r"),
    N_("dest= is required for options like %r"),
    N_("invalid conflict_resolution value: %r"),
    N_("mutually exclusive arguments must be optional"),
    N_("cannot have multiple subparser arguments"),
    N_("%r is not callable"),
    # Python 3.13
    N_("%(heading)s:"),
    N_(" (default: %(default)s)"),
    N_("subcommands"),
    N_("show program's version number and exit"),
    N_("%(prog)s: warning: %(message)s\n"),
    N_("argument '%(argument_name)s' is deprecated"),
    N_("command '%(parser_name)s' is deprecated"),
    N_("option '%(option)s' is deprecated"),
)
PLURALS = (
    N_plural("conflicting option string: %s", "conflicting option strings: %s"),
    N_plural("expected %s argument", "expected %s arguments"),
)


@contextmanager
def speaking_traject() -> Iterator[None]:
    """argparse's texts through Traject's catalogs for the duration of the block."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._, argparse.ngettext = _, ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class _Named:
    """A conversion argparse names in its error message ("invalid whole number value: 'x'")
    by the `__name__` it reads, here in the chosen language rather than `int`."""

    def __init__(self, convert: Callable[[str], object], name: str) -> None:
        self._convert = convert
        self.__name__ = name

    def __call__(self, text: str) -> object:
        return self._convert(text)


def whole_number() -> Callable[[str], object]:
    return _Named(int, _("whole number"))
