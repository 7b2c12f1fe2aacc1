"""The command-line syntax of `traject server run|init|import-file` (kept apart from the
commands so building the parser loads neither the driver nor the bundled server)."""

from __future__ import annotations

import argparse

from app.cli import later
from app.cli.parser_language import whole_number
from app.i18n import _, pgettext


def add_parsers(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    server = sub.add_parser("server", parents=[common],
                            help=_("a team server (PostgreSQL): run, init, import-file"))  # fmt: skip
    actions = server.add_subparsers(
        dest="action", metavar=pgettext("placeholder", "ACTION"), required=True
    )
    run = actions.add_parser("run", parents=[common],
                             help=_("run the bundled PostgreSQL for a pilot or a small office"))  # fmt: skip
    run.add_argument("--data", required=True, metavar=pgettext("placeholder", "FOLDER"),
                     help=_("folder of the server's data (made on first use)"))  # fmt: skip
    run.add_argument("--port", type=whole_number(), default=5432,
                     metavar=pgettext("placeholder", "N"), help=_("TCP port (default: 5432)"))  # fmt: skip
    run.add_argument("--listen", default="localhost", metavar=pgettext("placeholder", "ADDRESSES"),
                     help=_("addresses to listen on, comma-separated, or * for all (default: "
                            "this machine only)"))  # fmt: skip
    run.set_defaults(handler=later("server_commands", "run"))
    init = actions.add_parser("init", parents=[common],
                              help=_("set up the caseload on a server: schema, roles, row-level "
                                     "security, first administrator"))  # fmt: skip
    init.add_argument("--org", default="", metavar=pgettext("placeholder", "NAME"),
                      help=_("name of the organisation (for a new caseload)"))  # fmt: skip
    init.add_argument("--name", metavar=pgettext("placeholder", "NAME"),
                      help=_("full name of the first administrator"))  # fmt: skip
    init.set_defaults(handler=later("server_commands", "init"))
    moving = actions.add_parser("import-file", parents=[common],
                                help=_("move an encrypted caseload file onto a server just set up"))  # fmt: skip
    moving.add_argument("path", metavar=pgettext("placeholder", "FILE"),
                        help=_("the encrypted database file (signed in to as TRAJECT_USER)"))  # fmt: skip
    moving.set_defaults(handler=later("server_commands", "import_file"))
