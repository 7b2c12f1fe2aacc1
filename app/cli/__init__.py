"""The `traject` command: opens the desktop app, or runs a headless command.

Headless commands never import QtWidgets; only opening the window or taking a screenshot
does, and only then. The database layer (SQLAlchemy) is imported inside `main`, after the
garbage collector is paused for start-up (see `app.startup`).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Callable, Sequence

from app import __version__, startup
from app.config import resolve_db_url
from app.i18n import DOCUMENT_LANGUAGES, LANGUAGES, _, is_ui_language, pgettext, set_language

LANG_ENV = "TRAJECT_LANG"


def _initial_language(argv: Sequence[str]) -> str | None:
    """--lang must be known before the parser's help texts are translated."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return os.environ.get(LANG_ENV) or None


def system_language() -> str | None:
    """The person's language as their system gives it: GNU's LANGUAGE list (its first entry
    Traject speaks), the locale variables, and on Windows, which sets none of those, the
    user's locale."""
    for preferred in os.environ.get("LANGUAGE", "").split(":"):
        if preferred and is_ui_language(preferred):
            return preferred
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value and value not in ("C", "POSIX") and not value.startswith("C."):
            return value.split(".")[0]
    if sys.platform == "win32":
        import ctypes

        name = ctypes.create_unicode_buffer(85)  # LOCALE_NAME_MAX_LENGTH
        if ctypes.windll.kernel32.GetUserDefaultLocaleName(name, len(name)):
            return name.value  # "fr-BE"
    return None


#: What runs a command: given the database URL and the parsed arguments, returns the exit code.
Handler = Callable[[str, argparse.Namespace], int]


def later(module: str, name: str) -> Handler:
    """A command's handler from `app.cli.<module>`, imported only when that command runs: the
    parser is built at every start, the window's included, and must not load what only one
    command needs (the account commands load the key file's cryptography)."""

    def run(url: str, args: argparse.Namespace) -> int:
        handler: Handler = getattr(importlib.import_module(f"app.cli.{module}"), name)
        return handler(url, args)

    return run


def _known_language(code: str) -> bool:
    """A language of the interface (or the pseudo-language `xx`), or of client documents."""
    return (
        is_ui_language(code) or code.replace("-", "_").split("_")[0].lower() in DOCUMENT_LANGUAGES
    )


def _global_options(default: object) -> argparse.ArgumentParser:
    """--db and --lang, which mean the same before and after a subcommand. The copy given to the
    subcommands has no default of its own (SUPPRESS): otherwise argparse would overwrite
    `traject --db X erase …`'s X with the subcommand's default, and act on another database."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar=pgettext("placeholder", "URL"),
        default=default,
        help=_("database file or URL (default: TRAJECT_DB, then the file in your data folder)"),
    )
    more = [code for code in DOCUMENT_LANGUAGES if code not in LANGUAGES]
    common.add_argument("--lang", metavar=pgettext("placeholder", "CODE"), default=default, help=_(
        "language: {codes} (a client's letter, card, form or data export also: {more})").format(
        codes=", ".join(LANGUAGES), more=", ".join(more)))  # fmt: skip
    return common


def window_size(text: str) -> tuple[int, int]:
    """--size: WIDTHxHEIGHT in pixels, within what a screen can show."""
    width, sep, height = text.lower().replace("×", "x").partition("x")
    if sep and width.strip().isdigit() and height.strip().isdigit():
        size = (int(width), int(height))
        if 320 <= size[0] <= 7680 and 240 <= size[1] <= 4320:
            return size
    raise argparse.ArgumentTypeError(
        _("“{text}” is not a window size; type width and height in pixels, e.g. 1280x720.").format(
            text=text))  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    from app.cli.parser_language import whole_number

    common = _global_options(argparse.SUPPRESS)
    parser = argparse.ArgumentParser(
        prog="traject",
        parents=[_global_options(None)],
        description=_("Traject: caseload, guided scripts and referrals for counsellors."),
    )
    parser.add_argument(
        "--version", action="version", version=f"Traject {__version__}",
        help=_("show the version number and exit"),
    )  # fmt: skip
    parser.add_argument(
        "--screenshot",
        metavar=pgettext("placeholder", "FILE"),
        help=_("render a view to a PNG file and exit"),
    )
    parser.add_argument(
        "--view",
        default="caseload",
        metavar=pgettext("placeholder", "VIEW"),
        help=_("view for --screenshot: caseload or client:DOSSIER"),
    )
    parser.add_argument(
        "--size", type=window_size, default=(1440, 880),
        metavar=pgettext("placeholder", "WIDTHxHEIGHT"),
        help=_("window size for --screenshot in pixels, e.g. 1280x720 (default: 1440x880)"),
    )  # fmt: skip
    sub = parser.add_subparsers(dest="command", metavar=pgettext("placeholder", "COMMAND"))

    demo = sub.add_parser(
        "demo", parents=[common], help=_("fill an empty database with a synthetic caseload")
    )
    demo.add_argument(
        "--clients",
        type=whole_number(),
        required=True,
        metavar=pgettext("placeholder", "N"),
        help=_("number of clients"),
    )
    demo.add_argument(
        "--seed",
        type=whole_number(),
        default=1,
        metavar=pgettext("placeholder", "S"),
        help=_("random seed (same seed, same caseload)"),
    )
    demo.add_argument(
        "--as-of",
        metavar=pgettext("placeholder", "DATE"),
        help=_("reference date yyyy-mm-dd (default: today)"),
    )
    demo.add_argument(
        "--org", default="Traject demo", metavar=pgettext("placeholder", "NAME"),
        help=_("organisation name when the database is new (encrypted)"),
    )  # fmt: skip

    clients = sub.add_parser("clients", parents=[common], help=_("list or search clients"))
    clients.add_argument(
        "--search",
        default="",
        metavar=pgettext("placeholder", "TEXT"),
        help=_("names, dossier number, phone or e-mail"),
    )
    clients.add_argument(
        "--format", choices=["table", "json", "csv"], default="table", help=_("output format")
    )
    clients.add_argument(
        "--limit",
        type=whole_number(),
        metavar=pgettext("placeholder", "N"),
        help=_("show at most N clients"),
    )
    from app.models.enums import ReferredBy

    clients.add_argument(
        "--referred-by", choices=[r.value for r in ReferredBy],
        metavar=pgettext("placeholder", "CODE"),
        help=_("only the clients referred by: {codes}").format(
            codes=", ".join(r.value for r in ReferredBy)),
    )  # fmt: skip
    clients.add_argument(
        "--overdue-actions", action="store_true",
        help=_("only the clients with an open action point past its due date"),
    )  # fmt: skip
    clients.add_argument("--mine", action="store_true",
                         help=_("only my clients and the ones I cover now (also for a team lead)"))  # fmt: skip

    checking = sub.add_parser(
        "check", parents=[common], help=_("check the database and its schema")
    )
    checking.add_argument(
        "--export-head", metavar=pgettext("placeholder", "FILE"),
        help=_("also write the audit trail's newest entry (id and hash) to FILE, to keep "
               "elsewhere: a later check shows whether entries after it were removed"),
    )  # fmt: skip
    checking.set_defaults(handler=later("caseload_commands", "check"))
    demo.set_defaults(handler=later("caseload_commands", "demo"))
    clients.set_defaults(handler=later("caseload_commands", "clients"))
    from app.cli import (
        account_parsers,
        agenda_commands,
        backup_commands,
        dispatch_commands,
        gdpr_commands,
        import_commands,
        referral_commands,
        script_commands,
        server_parsers,
        settings_commands,
        team_commands,
    )

    for commands in (account_parsers, gdpr_commands, settings_commands, script_commands,
                     agenda_commands, referral_commands, backup_commands, import_commands,
                     server_parsers, team_commands, dispatch_commands):  # fmt: skip
        commands.add_parsers(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    startup.pause_collector()
    try:
        return _run(list(sys.argv[1:] if argv is None else argv))
    finally:
        startup.resume_collector()


def _run(args_list: list[str]) -> int:
    set_language(_initial_language(args_list) or system_language())
    from app.cli.parser_language import speaking_traject

    with speaking_traject():  # --help and a mistyped option in the chosen language
        parser = build_parser()
        args = parser.parse_args(args_list)
        code = getattr(args, "lang", None)
        if code is not None and not _known_language(code):
            parser.error(_("--lang: Traject does not speak “{code}”; use {codes} (for a client's document also {more}).").format(
                code=code, codes=", ".join(LANGUAGES),
                more=", ".join(c for c in DOCUMENT_LANGUAGES if c not in LANGUAGES)))  # fmt: skip
    url = resolve_db_url(args.db)
    from sqlalchemy.exc import OperationalError

    from app.db import DatabaseError
    from app.services.errors import ServiceError, storage_problem

    try:
        if args.command is None:
            from app.ui.application import run_app, take_screenshot

            if args.screenshot:
                return take_screenshot(url, args.screenshot, args.view, args.lang, size=args.size)
            return run_app(url, args.lang)  # resumes the collector once the window is up
        startup.resume_collector()  # a demo of 100,000 clients needs it
        handler: Handler = args.handler  # set with each command's parser
        return handler(url, args)
    except (DatabaseError, ServiceError) as exc:
        print(f"traject: {exc}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader went away (`traject … | head`): nothing left to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (OperationalError, OSError) as exc:  # busy caseload, full disk: a sentence, not a trace
        message = storage_problem(exc)
        if message is None:
            raise
        print(f"traject: {message}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"traject: {_('Interrupted; nothing was changed.')}", file=sys.stderr)
        return 130
