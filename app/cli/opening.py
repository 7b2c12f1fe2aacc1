"""How a headless command gets into the database: credentials from TRAJECT_USER and
TRAJECT_PASSWORD (or a prompt in a terminal), then an encrypted database is signed in to; a
plain `sqlite:///` URL (tests and demos) opens as it is."""

from __future__ import annotations

import getpass
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from app.config import PASSWORD_ENV, USER_ENV
from app.db import Database, is_encrypted_url, open_database, sqlite_path
from app.db_server import is_server_url
from app.i18n import _
from app.services.errors import ServiceError
from app.services.privacy import vault as vault_service
from app.services.privacy.access import Actor
from app.services.privacy.login_throttle import LoginThrottle


def _ask(prompt: str, secret: bool) -> str:
    if not sys.stdin.isatty():
        raise ServiceError(
            _("Set {user} and {password}, or run the command in a terminal to be asked.").format(
                user=USER_ENV, password=PASSWORD_ENV)
        )  # fmt: skip
    return getpass.getpass(prompt) if secret else input(prompt)


def credentials() -> tuple[str, str]:
    login = os.environ.get(USER_ENV) or _ask(_("Login: "), secret=False)
    password = os.environ.get(PASSWORD_ENV) or _ask(_("Password: "), secret=True)
    return login, password


def new_password(env: str, prompt: str) -> str:
    """A new password from `env`, or typed twice in a terminal."""
    if os.environ.get(env):
        return os.environ[env]
    first = _ask(prompt, secret=True)
    if _ask(_("Repeat the password: "), secret=True) != first:
        raise ServiceError(_("Password: the two entries differ; type the same password twice."))
    return first


def describe(url: str) -> str:
    """The database a command acts on, as a person recognises it: the file, or the server
    address without any password (for the confirmation of a destructive command)."""
    from app.db_server import address

    path = sqlite_path(url)
    if path is not None:
        return str(path)
    return address(url)


def warn_about_the_trail(vault: vault_service.Vault) -> None:
    """What the account's audit anchor revealed at sign-in (someone changed the trail it had
    seen), on the error stream of the command."""
    for warning in vault.audit_warnings:
        print(_("traject: warning: {problem}").format(problem=warning), file=sys.stderr)


def encrypted_path(url: str) -> Path | None:
    return sqlite_path(url) if is_encrypted_url(url) else None


@contextmanager
def signed_in(url: str) -> Iterator[vault_service.Vault]:
    path = encrypted_path(url)
    assert path is not None
    vault = vault_service.sign_in(path, *credentials(), LoginThrottle())
    warn_about_the_trail(vault)
    try:
        yield vault
    finally:
        vault.lock()


@dataclass
class Opened:
    database: Database
    counsellor_id: int | None  # who signed in; None on a plain test database
    vault: vault_service.Vault | None = None

    def key_copy(self) -> bytearray | None:
        """The master key for a backup (None for a plain database); forget it afterwards."""
        return self.vault.copy_key() if self.vault is not None else None


@contextmanager
def on_server(url: str) -> Iterator[Opened]:
    """A team server, signed in to as TRAJECT_USER with their own password (their own
    PostgreSQL role); the password is overwritten when the command ends."""
    from app.db_server import server_url

    login, password = credentials()
    login = login.strip().lower()
    secret = bytearray(password.encode())
    try:
        database = open_database(server_url(url, login).render_as_string(hide_password=False),
                                 password=secret)  # fmt: skip
        try:
            with database.sessions() as session:
                counsellor_id = _active_id(session, login)
            yield Opened(database, counsellor_id)
        finally:
            database.close()
    finally:
        secret[:] = bytes(len(secret))


def _active_id(session: Session, login: str) -> int:
    from app.services.caseload import counsellors

    found = counsellors.active_id_for_login(session, login)
    if found is None:
        raise ServiceError(
            _("{login} has no active Traject account on this server; ask an administrator.")
            .format(login=login)
        )  # fmt: skip
    return found


@contextmanager
def opened(url: str, *, create: bool = False) -> Iterator[Opened]:
    """The database behind `url`, signed in to when it is encrypted or on a team server;
    closed afterwards."""
    if is_server_url(url):
        with on_server(url) as on:
            yield on
        return
    if encrypted_path(url) is not None:
        with signed_in(url) as vault:
            assert vault.database is not None
            yield Opened(vault.database, vault.counsellor_id, vault)
        return
    database = open_database(url, create=create)
    try:
        yield Opened(database, _plain_actor_id(database))
    finally:
        database.close()


def _plain_actor_id(database: Database) -> int | None:
    """On a plain test database nobody signs in: TRAJECT_USER names who acts, if anyone."""
    login = os.environ.get(USER_ENV, "").strip().lower()
    if not login:
        return None
    from app.services.caseload import counsellors

    with database.sessions() as session:
        return counsellors.id_for_login(session, login)


def actor_of(opened_db: Opened, session: Session) -> Actor:
    if opened_db.counsellor_id is None:
        raise ServiceError(
            _("Set {user} to the login of the counsellor who does this.").format(user=USER_ENV)
        )
    return Actor.load(session, opened_db.counsellor_id)
