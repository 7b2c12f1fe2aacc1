"""`traject init` and `traject user add|remove|passwd`: the encrypted database and its accounts."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from app.cli.access import credentials, encrypted_path, new_password, signed_in
from app.db import DatabaseError
from app.i18n import _
from app.models import Counsellor
from app.models.enums import CounsellorRole
from app.services import vault as vault_service
from app.services.clock import local_today
from app.services.errors import ServiceError
from app.services.keyfile import calibrate, key_file_for

NEW_PASSWORD_ENV = "TRAJECT_NEW_PASSWORD"
RECOVERY_ENV = "TRAJECT_RECOVERY_KEY"


def _path(url: str) -> Path:
    path = encrypted_path(url)
    if path is None:
        raise DatabaseError(
            _("Accounts and encryption need a database file (not a sqlite:/// URL).")
        )
    return path


def initialise(
    url: str, organisation: str, full_name: str | None, recovery_pdf: str | None
) -> vault_service.Vault:
    """Create the encrypted database with its first admin; print the recovery key once."""
    path = _path(url)
    login, password = credentials()
    made, recovery = vault_service.create(path, organisation=organisation, login=login,
                                          full_name=full_name or login, password=password,
                                          params=calibrate())  # fmt: skip
    print(_("Created the encrypted database {path} and its key file {keys}.").format(
        path=path, keys=key_file_for(path)))  # fmt: skip
    print(_("Administrator account: {login}").format(login=login.strip().lower()))
    print()
    print(_("Recovery key (shown once; write it down or print it and keep it locked away):"))
    print(f"    {recovery}")
    if recovery_pdf:
        from app.services.recovery_sheet import write_recovery_sheet

        write_recovery_sheet(Path(recovery_pdf), organisation, recovery, local_today())
        print(_("Recovery sheet written to {file}.").format(file=recovery_pdf))
    return made


def init(url: str, args: argparse.Namespace) -> int:
    initialise(url, args.org, args.name, args.recovery_pdf).lock()
    return 0


def user(url: str, args: argparse.Namespace) -> int:
    path = _path(url)
    if args.action == "passwd" and args.recovery:
        if not args.login:
            raise ServiceError(_("Login: name the account that gets a new password."))
        key = os.environ.get(RECOVERY_ENV) or input(_("Recovery key: "))
        password = new_password(NEW_PASSWORD_ENV, _("New password: "))
        vault_service.recover(path, key, args.login, password, calibrate()).lock()
        print(_("{login} has a new password.").format(login=args.login))
        return 0
    with signed_in(url) as vault:
        assert vault.database is not None
        with vault.database.sessions() as session:
            if args.action == "add":
                password = new_password(NEW_PASSWORD_ENV, _("Password for the new account: "))
                person = vault.add_account(session, login=args.login, full_name=args.name or args.login,
                                           password=password, role=CounsellorRole(args.role),
                                           email=args.email, office=args.office, params=calibrate())  # fmt: skip
                session.commit()
                print(_("Added the account {login} ({role}).").format(login=person.login,
                                                                      role=person.role.label))  # fmt: skip
            elif args.action == "remove":
                vault.remove_account(session, args.login)
                session.commit()
                print(_("Removed the account {login}; it can no longer open the database.").format(
                    login=args.login))  # fmt: skip
            else:
                login = args.login or session.get(Counsellor, vault.counsellor_id).login  # type: ignore[union-attr]
                password = new_password(NEW_PASSWORD_ENV, _("New password: "))
                vault.change_password(session, login, password, calibrate())
                print(_("{login} has a new password.").format(login=login))
    return 0


def add_parsers(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    init_parser = sub.add_parser("init", parents=[common],
                                 help=_("create a new encrypted database and its first administrator"))  # fmt: skip
    init_parser.add_argument(
        "--org", required=True, metavar="NAME", help=_("name of the organisation")
    )
    init_parser.add_argument("--name", metavar="NAME", help=_("full name of the administrator"))
    init_parser.add_argument(
        "--recovery-pdf", metavar="FILE", help=_("also write the recovery key sheet as a PDF")
    )
    users = sub.add_parser("user", parents=[common], help=_("manage accounts: add, remove, passwd"))
    actions = users.add_subparsers(dest="action", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add",
        parents=[common],
        help=_("add an account (password from {env} or asked)").format(env=NEW_PASSWORD_ENV),
    )
    add.add_argument("login")
    add.add_argument("--name", metavar="NAME", help=_("full name"))
    add.add_argument(
        "--role", choices=[r.value for r in CounsellorRole], default=CounsellorRole.COUNSELLOR.value
    )
    add.add_argument("--email", metavar="ADDRESS")
    add.add_argument("--office", metavar="NAME")
    remove = actions.add_parser(
        "remove", parents=[common], help=_("remove an account and its key slot")
    )
    remove.add_argument("login")
    passwd = actions.add_parser("passwd", parents=[common], help=_("change a password"))
    passwd.add_argument("login", nargs="?")
    passwd.add_argument("--recovery", action="store_true",
                        help=_("use the recovery key (from {env} or asked) instead of signing in").format(env=RECOVERY_ENV))  # fmt: skip
