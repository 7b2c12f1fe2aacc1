"""`traject server run` and `traject server init`: the team server, bundled or the
organisation's own."""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

from app.cli.opening import credentials, describe
from app.db import HEAD_REVISION, DatabaseError, make_engine
from app.db_server import is_server_url, password_in_url, refusal_message
from app.i18n import _

SUPERUSER_PASSWORD_ENV = "PGPASSWORD"  # libpq's own, as psql reads it


def run(url: str, args: argparse.Namespace) -> int:
    """Start the bundled server, say how to reach it, and stop it cleanly on Ctrl+C."""
    from app import bundled_server

    try:
        cluster = bundled_server.ensure_cluster(Path(args.data))
        running = bundled_server.start(cluster, args.port, listen=args.listen)
    except bundled_server.BundledServerError as exc:
        raise DatabaseError(str(exc)) from None
    stop_now = False

    def stop(_signum: int, _frame: FrameType | None) -> None:
        nonlocal stop_now
        stop_now = True

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        print(_("The team server runs. Colleagues connect with:"))
        print(f"    traject --db {running.url()}")
        print(_("Set it up once, as its superuser (the password is in {file}):").format(
            file=cluster.folder / bundled_server.PASSWORD_FILE))  # fmt: skip
        print(f"    traject server init --db {running.url(bundled_server.SUPERUSER)} --org NAME")
        if args.listen != "localhost":
            print(_("This bundled server has no TLS: on the network, connections are not "
                    "encrypted. Use it only on a network you trust, or use your organisation's "
                    "PostgreSQL server with TLS."), file=sys.stderr)  # fmt: skip
        print(_("Press Ctrl+C to stop it."))
        sys.stdout.flush()
        try:
            while not stop_now and running.process.poll() is None:
                with contextlib.suppress(subprocess.TimeoutExpired):
                    running.process.wait(0.5)
        except KeyboardInterrupt:
            pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        running.stop()
    if running.process.returncode not in (0, -signal.SIGINT):
        raise DatabaseError(_("The server stopped unexpectedly; its log is {log}.").format(
            log=cluster.folder / "server.log"))  # fmt: skip
    print(_("The team server stopped."))
    return 0


def _superuser_password(url: str) -> bytearray | None:
    """None lets libpq find it (PGPASSWORD, ~/.pgpass), as psql would; else ask in a terminal."""
    if password_in_url(url):
        raise DatabaseError(_("Do not put a password in the --db address; set {env} or use "
                              "a .pgpass file.").format(env=SUPERUSER_PASSWORD_ENV))  # fmt: skip
    if os.environ.get(SUPERUSER_PASSWORD_ENV) or not sys.stdin.isatty():
        return None
    return bytearray(getpass.getpass(_("Password of the server's superuser: ")).encode())


@contextlib.contextmanager
def _said_plainly() -> Iterator[None]:
    """A server that refuses the connection (the address, the password) says so in a sentence."""
    from sqlalchemy.exc import DBAPIError

    try:
        yield
    except DBAPIError as exc:
        message = refusal_message(exc)
        if message is None:
            raise
        raise DatabaseError(message) from None


def init(url: str, args: argparse.Namespace) -> int:
    from app.services.team import setup

    if not is_server_url(url):
        raise DatabaseError(_("“server init” is for a PostgreSQL server (--db "
                              "postgresql://SUPERUSER@HOST:PORT/DB); use “traject init” for a "
                              "database file."))  # fmt: skip
    login, password = credentials()
    engine = make_engine(url, password=_superuser_password(url))
    try:
        with _said_plainly():
            done = setup.initialise(engine, organisation=args.org, login=login,
                                    full_name=args.name or login, password=password)  # fmt: skip
    finally:
        engine.dispose()
    where = describe(url)
    if done.created:
        print(_("Set up the caseload on {server}: schema, roles and row-level security.").format(
            server=where))  # fmt: skip
        print(_("Administrator account: {login}").format(login=done.admin_login))
    elif done.revision_before is not None and done.revision_before != HEAD_REVISION:
        print(_("Upgraded the caseload on {server} from schema {old} to {new}.").format(
            server=where, old=done.revision_before, new=HEAD_REVISION))  # fmt: skip
    else:
        print(_("The caseload on {server} is set up and up to date.").format(server=where))
    return 0


def import_file(url: str, args: argparse.Namespace) -> int:
    """Sign in to the file as TRAJECT_USER, connect to the server as its superuser, move."""
    from app.cli.opening import signed_in
    from app.config import resolve_db_url
    from app.db import is_encrypted_url
    from app.models import Counsellor
    from app.services.team import file_import

    if not is_server_url(url):
        raise DatabaseError(_("“server import-file” moves a file onto a PostgreSQL server: --db "
                              "postgresql://SUPERUSER@HOST:PORT/DB."))  # fmt: skip
    file_url = resolve_db_url(args.path)
    if not is_encrypted_url(file_url):
        raise DatabaseError(_("{path}: give the path of an encrypted database file.").format(
            path=args.path))  # fmt: skip
    engine = make_engine(url, password=_superuser_password(url))
    from sqlalchemy.orm import Session

    try:
        with _said_plainly(), signed_in(file_url) as vault, Session(engine) as target:
            assert vault.database is not None
            with vault.database.sessions() as source:
                person = source.get(Counsellor, vault.counsellor_id)
                assert person is not None
                moved = file_import.move(source, target, person.login)
            target.commit()
        from app.services.team.setup import tidy_after_bulk_load

        tidy_after_bulk_load(engine)
    finally:
        engine.dispose()
    clients = moved.rows.get("clients", 0)
    print(_("Moved {path} onto {server} in {seconds:.1f} s: {clients} clients, {rows} rows in "
            "{tables} tables, and an audit trail of {entries} entries (kept as segment "
            "{segment}, verified).").format(
        path=args.path, server=describe(url), seconds=moved.seconds, clients=clients,
        rows=sum(moved.rows.values()), tables=len(moved.rows), entries=moved.trail_entries,
        segment=moved.segment))  # fmt: skip
    print(_("The file's other counsellors get their accounts on the server with “traject user "
            "add LOGIN”."))  # fmt: skip
    return 0
