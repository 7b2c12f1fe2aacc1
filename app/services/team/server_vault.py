"""Signing in to a team server from the window: what the encrypted file's `Vault` is for a file.

The window signs in, locks and signs in again the same way on both: here, signing in is
connecting as the counsellor's own PostgreSQL role with their password, which is kept (for
the pool's new connections) only while signed in and overwritten when the window locks. The
server refuses a wrong password; the throttle still makes guessing slow from this window.
There is no key file, no recovery key (an administrator sets a new password) and no backup
from the window (the server is backed up where it runs).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from app.db import Database, LoginRefused, open_database
from app.db_server import address, server_url
from app.i18n import _
from app.models import Counsellor
from app.models.enums import AuditAction
from app.services import org_settings
from app.services.errors import Forbidden
from app.services.privacy import audit
from app.services.privacy.keyfile import WrongCredentials
from app.services.privacy.login_throttle import LoginThrottle


@dataclass
class ServerVault:
    url: str
    database: Database | None = None
    counsellor_id: int | None = None
    audit_warnings: list[str] = field(default_factory=list)
    lock_not_recorded: bool = False
    locked_by: int | None = None
    _organisation: str | None = None
    _password: bytearray | None = None

    @property
    def locked(self) -> bool:
        return self.database is None

    @property
    def organisation(self) -> str:
        """The organisation once someone signed in; before, the server's address."""
        if self._organisation:
            return self._organisation
        return address(self.url)

    def unlock(
        self, login: str, password: str, throttle: LoginThrottle,
        action: AuditAction = AuditAction.LOGIN,
    ) -> Counsellor:  # fmt: skip
        login = login.strip().lower()
        failed_before = throttle.failures
        database, secret = throttle.attempt(lambda: self._connect(login, password))
        try:
            with database.sessions() as session:
                person = session.scalar(select(Counsellor).where(Counsellor.login == login))
                if person is None or not person.active:
                    raise WrongCredentials(_("This account is switched off; ask an "
                                             "administrator."))  # fmt: skip
                if failed_before:
                    audit.record(session, AuditAction.LOGIN_FAILED, counsellor_id=person.id,
                                 detail=f"{failed_before}")  # fmt: skip
                if self.lock_not_recorded and self.locked_by == person.id:
                    audit.record(session, AuditAction.LOCK, counsellor_id=person.id,
                                 detail="recorded at the next sign-in")  # fmt: skip
                    self.lock_not_recorded = False
                audit.record(session, action, counsellor_id=person.id)
                self._organisation = org_settings.get(session, org_settings.ORGANISATION_NAME)
                session.commit()
                session.expunge(person)
        except BaseException:
            database.close()
            secret[:] = bytes(len(secret))
            raise
        if self.database is not None:
            self.lock()
        self.database, self.counsellor_id, self._password = database, person.id, secret
        return person

    def _connect(self, login: str, password: str) -> tuple[Database, bytearray]:
        secret = bytearray(password.encode())
        try:
            url = server_url(self.url, login).render_as_string(hide_password=False)
            return open_database(url, password=secret), secret
        except LoginRefused as exc:
            secret[:] = bytes(len(secret))
            raise WrongCredentials(str(exc)) from None
        except BaseException:
            secret[:] = bytes(len(secret))
            raise

    def lock(self) -> None:
        """Close every connection and forget the password until someone signs in again."""
        if self.database is not None:
            self.database.close()
            self.database = None
        if self._password is not None:
            self._password[:] = bytes(len(self._password))
            self._password = None
        self.locked_by, self.counsellor_id = self.counsellor_id, None

    def copy_key(self) -> bytearray:
        raise Forbidden(_("A team server is backed up where it runs (pg_dump or pgBackRest), "
                          "not from the window."))  # fmt: skip
