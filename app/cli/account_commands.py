"""`traject init` and `traject user add|remove|passwd`: the encrypted database and its accounts."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from app.cli.account_parsers import NEW_PASSWORD_ENV, RECOVERY_ENV
from app.cli.opening import credentials, encrypted_path, new_password, signed_in
from app.db import DatabaseError
from app.i18n import _
from app.models import Counsellor
from app.models.enums import CounsellorRole
from app.services.clock import local_today
from app.services.errors import ServiceError
from app.services.privacy import vault as vault_service
from app.services.privacy.keyfile import calibrate, key_file_for
from app.services.privacy.rekey import Rekeyed, left_out_message


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
        from app.services.privacy.recovery_sheet import write_recovery_sheet

        write_recovery_sheet(Path(recovery_pdf), organisation, recovery, local_today())
        print(_("Recovery sheet written to {file}.").format(file=recovery_pdf))
    return made


def _report_rekey(path: Path, done: Rekeyed) -> None:
    print(_("The database {path} has a new key; old copies of its key file open nothing any "
            "more.").format(path=path))  # fmt: skip
    if done.dropped:
        print(_("Key slots without an account in the database were not given the new key: "
                "{logins}.").format(logins=", ".join(done.dropped)), file=sys.stderr)  # fmt: skip
    if done.left_out:
        print(left_out_message(done.left_out), file=sys.stderr)
    if done.new_recovery_key:
        print(_("The recovery key was replaced too, so that nobody who knew the old one can "
                "open the caseload. New recovery key (shown once; write it down or print it, "
                "and keep it locked away):"))  # fmt: skip
        print(f"    {done.new_recovery_key}")


def init(url: str, args: argparse.Namespace) -> int:
    initialise(url, args.org, args.name, args.recovery_pdf).lock()
    return 0


def _server_user(url: str, args: argparse.Namespace) -> int:
    """The same commands on a team server: the account is a PostgreSQL role."""
    from app.cli.opening import actor_of, on_server
    from app.services.team import accounts

    if args.action == "passwd" and args.recovery:
        raise ServiceError(_("A team server has no recovery key; an administrator gives you a "
                             "new password with “traject user passwd LOGIN”."))  # fmt: skip
    with on_server(url) as on, on.database.sessions() as session:
        acting = actor_of(on, session)
        if args.action == "add":
            password = new_password(NEW_PASSWORD_ENV, _("Password for the new account: "))
            person = accounts.add_account(session, acting, login=args.login,
                                          full_name=args.name or args.login, password=password,
                                          role=CounsellorRole(args.role), email=args.email,
                                          office=args.office)  # fmt: skip
            session.commit()
            print(_("Added the account {login} ({role}).").format(login=person.login,
                                                                  role=person.role.label))  # fmt: skip
        elif args.action == "remove":
            login = args.login.strip().lower()
            accounts.remove_account(session, acting, login)
            session.commit()
            print(_("Removed the account {login}; it can no longer sign in to the server.").format(
                login=login))  # fmt: skip
        else:
            login = args.login or session.get(Counsellor, acting.counsellor_id).login  # type: ignore[union-attr]
            password = new_password(NEW_PASSWORD_ENV, _("New password: "))
            accounts.change_password(session, acting, login, password)
            session.commit()
            print(_("{login} has a new password.").format(login=login))
    return 0


def user(url: str, args: argparse.Namespace) -> int:
    from app.db_server import is_server_url

    if is_server_url(url):
        return _server_user(url, args)
    path = _path(url)
    if args.action == "passwd" and args.recovery:
        if not args.login:
            raise ServiceError(_("Login: name the account that gets a new password."))
        key = os.environ.get(RECOVERY_ENV) or input(_("Recovery key: "))
        password = new_password(NEW_PASSWORD_ENV, _("New password: "))
        vault, done = vault_service.recover(path, key, args.login, password, calibrate())
        vault.lock()
        print(_("{login} has a new password.").format(login=args.login))
        _report_rekey(path, done)
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
        if args.action == "remove":
            login = args.login.strip().lower()
            done = vault.remove_account(login)
            print(_("Removed the account {login} from the database {database}; it can no longer "
                    "open it.").format(login=login, database=path))  # fmt: skip
            _report_rekey(path, done)
        elif args.action == "passwd":
            assert vault.database is not None
            with vault.database.sessions() as session:
                login = args.login or session.get(Counsellor, vault.counsellor_id).login  # type: ignore[union-attr]
            password = new_password(NEW_PASSWORD_ENV, _("New password: "))
            done = vault.change_password(login, password, calibrate())
            print(_("{login} has a new password.").format(login=login))
            _report_rekey(path, done)
    return 0
