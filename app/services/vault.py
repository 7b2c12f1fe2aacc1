"""An encrypted caseload and who opened it: creating one, signing in, locking, account slots.

A `Vault` is unlocked while it holds the master key and an open database; `lock()` closes the
database (no pooled connection stays open) and overwrites the key in memory. Accounts are
counsellor rows in the database plus one key slot each in the key file; only an admin adds or
removes them, and a counsellor changes only their own password (an admin may reset anyone's).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Database, DatabaseError, encrypted_url, open_database
from app.i18n import _
from app.models import Counsellor
from app.models.enums import AuditAction, CounsellorRole
from app.services import audit, counsellors, offer_catalogue, org_settings
from app.services.errors import Forbidden, ValidationFailed
from app.services.keyfile import (
    KdfParams,
    KeyFile,
    KeyFileError,
    WrongCredentials,
    check_password,
    forget,
    key_file_for,
    lock_file_for,
)
from app.services.login_throttle import LoginThrottle
from app.storage import refuse_network_share


@dataclass
class Vault:
    path: Path
    keys: KeyFile
    database: Database | None
    counsellor_id: int | None
    _master: bytearray | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return encrypted_url(self.path)

    @property
    def locked(self) -> bool:
        return self._master is None

    @property
    def organisation(self) -> str:
        return self.keys.organisation

    def lock(self) -> None:
        """Close the database and forget the master key until someone signs in again."""
        if self.database is not None:
            self._anchor_audit_trail(self.database)
            self.database.close()
            self.database = None
        if self._master is not None:
            forget(self._master)
            self._master = None
        self.counsellor_id = None

    def copy_key(self) -> bytearray:
        """A copy of the master key for a backup made on another thread (which opens its own
        connections); the caller overwrites it with `keyfile.forget` when done."""
        if self._master is None:
            raise Forbidden(_("The caseload is locked; sign in first."))
        return bytearray(self._master)

    def _anchor_audit_trail(self, database: Database) -> None:
        """Keep the newest audit entry in the key file, outside the database (`traject check`
        then also finds the newest entries removed). Not being able to write it is no reason
        to refuse a sign-in or a lock."""
        with database.engine.connect() as conn:
            newest = audit.head(conn)
        if newest is not None:
            with contextlib.suppress(OSError, KeyFileError):
                self.keys.record_audit_anchor(*newest)

    def unlock(
        self, login: str, password: str, throttle: LoginThrottle,
        action: AuditAction = AuditAction.LOGIN,
    ) -> Counsellor:  # fmt: skip
        """The same or another counsellor signs in to this (locked) vault. Failed attempts
        cannot be written while the database is closed; the next sign-in records them."""
        login = login.strip().lower()
        failed_before = throttle.failures
        master = throttle.attempt(lambda: self.keys.unlock(login, password))
        return self._open(master, login, action, failed_before)

    def _open(
        self, master: bytearray, login: str, action: AuditAction = AuditAction.LOGIN,
        failed_before: int = 0,
    ) -> Counsellor:  # fmt: skip
        try:
            database = open_database(self.url, key=master, create=False)
        except DatabaseError:
            forget(master)
            raise
        with database.sessions() as session:
            person = session.scalar(select(Counsellor).where(Counsellor.login == login))
            if person is not None and person.active:
                if failed_before:
                    audit.record(session, AuditAction.LOGIN_FAILED, counsellor_id=None,
                                 detail=f"{failed_before}")  # fmt: skip
                audit.record(session, action, counsellor_id=person.id)
                session.commit()
                self._anchor_audit_trail(database)
        if person is None or not person.active:
            database.close()
            forget(master)
            raise WrongCredentials(_("This account is switched off; ask an administrator."))
        if self.database is not None:
            self.database.close()
        self.database, self._master, self.counsellor_id = database, master, person.id
        return person

    # --- accounts ------------------------------------------------------------------------
    def _actor(self, session: Session) -> Counsellor:
        if self._master is None or self.counsellor_id is None:
            raise Forbidden(_("The caseload is locked; sign in first."))
        actor = session.get(Counsellor, self.counsellor_id)
        assert actor is not None
        return actor

    def _require_admin(self, session: Session) -> None:
        if self._actor(session).role != CounsellorRole.ADMIN:
            raise Forbidden(_("Only an administrator can manage accounts."))

    def add_account(
        self, session: Session, *, login: str, full_name: str, password: str,
        role: CounsellorRole = CounsellorRole.COUNSELLOR, params: KdfParams,
        email: str | None = None, office: str | None = None,
    ) -> Counsellor:  # fmt: skip
        """A counsellor row and a key slot; the caller commits the session."""
        self._require_admin(session)
        person = counsellors.create_counsellor(session, login=login, full_name=full_name,
                                               email=email, office=office, role=role)  # fmt: skip
        assert self._master is not None
        self.keys.set_password(person.login, password, self._master, params)
        audit.record(session, AuditAction.ACCOUNT, counsellor_id=self.counsellor_id,
                     detail=f"add {person.login} ({person.role.value})")  # fmt: skip
        return person

    def remove_account(self, session: Session, login: str) -> None:
        """Delete the account's slot (it can no longer open the database) and switch it off."""
        self._require_admin(session)
        if self._actor(session).login == login:
            raise Forbidden(_("You cannot remove your own account."))
        person = session.scalar(select(Counsellor).where(Counsellor.login == login))
        self.keys.remove_slot(login)
        if person is not None:
            person.active = False
            session.flush()
        audit.record(session, AuditAction.ACCOUNT, counsellor_id=self.counsellor_id,
                     detail=f"remove {login}")  # fmt: skip

    def change_password(
        self, session: Session, login: str, password: str, params: KdfParams
    ) -> None:
        actor = self._actor(session)
        if actor.login != login and actor.role != CounsellorRole.ADMIN:
            raise Forbidden(_("You can only change your own password."))
        if session.scalar(select(Counsellor.id).where(Counsellor.login == login)) is None:
            raise Forbidden(_("There is no account “{login}”.").format(login=login))
        assert self._master is not None
        self.keys.set_password(login, password, self._master, params)
        audit.record(session, AuditAction.ACCOUNT, counsellor_id=self.counsellor_id,
                     detail=f"password {login}")  # fmt: skip


def exists(path: Path) -> bool:
    return path.exists() or key_file_for(path).exists()


def create(
    path: Path, *, organisation: str, login: str, full_name: str, password: str,
    params: KdfParams, email: str | None = None,
) -> tuple[Vault, str]:  # fmt: skip
    """A new encrypted database with its first (admin) account; returns it and the recovery
    key, which is shown once and stored nowhere. A failure leaves no file behind."""
    if exists(path):
        raise DatabaseError(_("There is already a database at {path}.").format(path=path))
    if not path.parent.is_dir():
        raise DatabaseError(_("The folder {folder} does not exist.").format(folder=path.parent))
    refuse_network_share(path, DatabaseError)
    _check_set_up(organisation, login, full_name, email, password)  # every mistake at once
    vault: Vault | None = None
    try:
        keys, master, recovery = KeyFile.create(key_file_for(path), organisation.strip(),
                                                login.strip().lower(), password, params)  # fmt: skip
        database = open_database(encrypted_url(path), key=master)
        path.chmod(0o600)  # like the key file: the user's alone (the journal files follow it)
        vault = Vault(path, keys, database, None, master)
        with database.sessions() as session:
            person = counsellors.create_counsellor(session, login=login, full_name=full_name,
                                                   email=email, role=CounsellorRole.ADMIN)  # fmt: skip
            org_settings.put(session, org_settings.ORGANISATION_NAME, organisation.strip())
            offer_catalogue.load_sample(session)  # marked as sample until the admin's own
            audit.record(session, AuditAction.ACCOUNT, counsellor_id=person.id,
                         detail=f"add {person.login} (admin)")  # fmt: skip
            session.commit()
            vault.counsellor_id = person.id
    except BaseException:
        if vault is not None:
            vault.lock()
        _remove_files(path)
        raise
    return vault, recovery


def locked(path: Path) -> Vault:
    """The vault of an existing encrypted database, not yet unlocked."""
    keys = KeyFile.load(key_file_for(path))
    if not path.exists():
        raise DatabaseError(_("No database at {path}.").format(path=path))
    return Vault(path, keys, None, None)


def _check_set_up(
    organisation: str, login: str, full_name: str, email: str | None, password: str
) -> None:
    errors: dict[str, str] = {}
    if not organisation.strip():
        errors["organisation"] = _("Organisation: enter the name of your organisation.")
    for check in (lambda: counsellors.check_profile(login=login, full_name=full_name, email=email),
                  lambda: check_password(password)):  # fmt: skip
        try:
            check()
        except ValidationFailed as exc:
            errors.update(exc.errors)
    if errors:
        raise ValidationFailed(errors)


def sign_in(path: Path, login: str, password: str, throttle: LoginThrottle) -> Vault:
    vault = locked(path)
    vault.unlock(login, password, throttle)
    return vault


def recover(
    path: Path, recovery_key: str, login: str, new_password: str, params: KdfParams
) -> Vault:
    """The recovery key opens the database and gives `login` a new password."""
    keys = KeyFile.load(key_file_for(path))
    master = keys.unlock_with_recovery(recovery_key)
    vault = Vault(path, keys, None, None)
    login = login.strip().lower()
    person = vault._open(master, login, AuditAction.LOGIN)
    try:
        keys.set_password(person.login, new_password, master, params)
        assert vault.database is not None
        with vault.database.sessions() as session:
            audit.record(session, AuditAction.ACCOUNT, counsellor_id=person.id,
                         detail=f"password {person.login} (recovery key)")  # fmt: skip
            session.commit()
    except BaseException:
        vault.lock()
        raise
    return vault


def _remove_files(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"),
                     key_file_for(path), lock_file_for(key_file_for(path))):  # fmt: skip
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
