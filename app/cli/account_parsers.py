"""The command-line syntax of `traject init` and `traject user` (kept apart from the commands so
building the parser does not load the database layer)."""

from __future__ import annotations

import argparse

# the handlers load the database layer and the key file's cryptography: only when they run
from app.cli import later
from app.i18n import _, pgettext

NEW_PASSWORD_ENV = "TRAJECT_NEW_PASSWORD"
RECOVERY_ENV = "TRAJECT_RECOVERY_KEY"
ROLES = ["counsellor", "team_lead", "admin"]  # CounsellorRole values


def add_parsers(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    init_parser = sub.add_parser("init", parents=[common],
                                 help=_("create a new encrypted database and its first administrator"))  # fmt: skip
    init_parser.add_argument(
        "--org",
        required=True,
        metavar=pgettext("placeholder", "NAME"),
        help=_("name of the organisation"),
    )
    init_parser.add_argument(
        "--name", metavar=pgettext("placeholder", "NAME"), help=_("full name of the administrator")
    )
    init_parser.add_argument(
        "--recovery-pdf",
        metavar=pgettext("placeholder", "FILE"),
        help=_("also write the recovery key sheet as a PDF"),
    )
    init_parser.set_defaults(handler=later("account_commands", "init"))
    users = sub.add_parser("user", parents=[common], help=_("manage accounts: add, remove, passwd"))
    users.set_defaults(handler=later("account_commands", "user"))
    actions = users.add_subparsers(
        dest="action", metavar=pgettext("placeholder", "ACTION"), required=True
    )
    add = actions.add_parser(
        "add",
        parents=[common],
        help=_("add an account (password from {env} or asked)").format(env=NEW_PASSWORD_ENV),
    )
    add.add_argument("login", metavar=pgettext("placeholder", "LOGIN"))
    add.add_argument("--name", metavar=pgettext("placeholder", "NAME"), help=_("full name"))
    add.add_argument("--role", choices=ROLES, default=ROLES[0])
    add.add_argument("--email", metavar=pgettext("placeholder", "ADDRESS"))
    add.add_argument("--office", metavar=pgettext("placeholder", "NAME"))
    remove = actions.add_parser(
        "remove", parents=[common], help=_("remove an account and its key slot")
    )
    remove.add_argument("login", metavar=pgettext("placeholder", "LOGIN"))
    passwd = actions.add_parser("passwd", parents=[common], help=_("change a password"))
    passwd.add_argument("login", nargs="?", metavar=pgettext("placeholder", "LOGIN"))
    passwd.add_argument("--recovery", action="store_true",
                        help=_("use the recovery key (from {env} or asked) instead of signing in").format(env=RECOVERY_ENV))  # fmt: skip
