"""An encrypted caseload and who opened it: creating one, signing in, locking, account slots.

A `Vault` is unlocked while it holds the master key and an open database; `lock()` closes the
database (no pooled connection stays open) and overwrites the key in memory. Accounts are
counsellor rows in the database plus one key slot each in the key file; only an admin adds or
removes them, and a counsellor changes only their own password (an admin may reset anyone's).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.db import Database, DatabaseError, encrypted_url, open_database
from app.i18n import _
from app.models import Counsellor
from app.models.enums import AuditAction, CounsellorRole
from app.services import org_settings
from app.services.caseload import counsellors
from app.services.errors import Forbidden, ValidationFailed
from app.services.privacy import audit, audit_anchors, rekey
from app.services.privacy.key_slots import Opened
from app.services.privacy.keyfile import (
    KdfParams,
    KeyFile,
    KeyFileError,
    WrongCredentials,
    check_password,
    forget,
    key_file_for,
    lock_file_for,
)
from app.services.privacy.login_throttle import LoginThrottle
from app.services.privacy.rekey import Rekeyed
from app.services.referrals import offer_catalogue
from app.storage import refuse_network_share


@dataclass
class Vault:
    path: Path
    keys: KeyFile
    database: Database | None
    counsellor_id: int | None
    _master: bytearray | None = field(default=None, repr=False)
    _opened: Opened | None = field(default=None, repr=False)  # the signed-in account's keys
    _login: str | None = None
    #: what the signed-in account's audit anchor revealed at sign-in (see `audit_anchors`)
    audit_warnings: list[str] = field(default_factory=list)
    #: the last lock could not write its audit entry (the caseload was busy): the next
    #: sign-in writes it
    lock_not_recorded: bool = False
    locked_by: int | None = None

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
        if self._opened is not None:
            self._opened.forget()
            self._opened = None
        self.locked_by, self.counsellor_id, self._login = self.counsellor_id, None, None

    def audit_anchor_problems(self) -> list[str]:
        """For `traject check`: what this account's anchor revealed at sign-in, and what every
        account's anchor says about the trail now."""
        if self.database is None:
            raise Forbidden(_("The caseload is locked; sign in first."))
        with self.database.engine.connect() as conn:
            others = audit_anchors.all_problems(conn, self.keys)
        return [*self.audit_warnings, *(p for p in others if p not in self.audit_warnings)]

    def copy_key(self) -> bytearray:
        """A copy of the master key for a backup made on another thread (which opens its own
        connections); the caller overwrites it with `keyfile.forget` when done."""
        if self._master is None:
            raise Forbidden(_("The caseload is locked; sign in first."))
        return bytearray(self._master)

    def _anchor_audit_trail(self, database: Database) -> None:
        """Keep the newest audit entry this account saw in its key slot, authenticated (see
        `audit_anchors`). Not being able to write it (a full disk, a read-only folder, the trail
        busy) is no reason to refuse a sign-in or a lock."""
        if self._opened is None or self._login is None:
            return
        with contextlib.suppress(OSError, KeyFileError, DBAPIError):
            with database.engine.connect() as conn:
                newest = audit.head(conn)
            if newest is not None:
                self.keys.record_anchor(self._login, self._opened, *newest)

    def unlock(
        self, login: str, password: str, throttle: LoginThrottle,
        action: AuditAction = AuditAction.LOGIN,
    ) -> Counsellor:  # fmt: skip
        """The same or another counsellor signs in to this (locked) vault. Failed attempts
        cannot be written while the database is closed; the next sign-in records them."""
        login = login.strip().lower()
        failed_before = throttle.failures
        self.keys = KeyFile.load(self.keys.path)  # another process may have re-keyed meanwhile
        candidates = throttle.attempt(lambda: self.keys.open_account(login, password))
        return self._open(candidates, login, action, failed_before, password)

    def open_with(self, candidates: list[Opened], login: str) -> Counsellor:
        """Sign `login` in with keys its password already opened from this vault's key file
        (`traject check` needs them first, to check the pages before anything is opened)."""
        return self._open(candidates, login.strip().lower())

    def _open(
        self, candidates: list[Opened], login: str, action: AuditAction = AuditAction.LOGIN,
        failed_before: int = 0, password: str | None = None, own_slot: bool = True,
    ) -> Counsellor:  # fmt: skip
        """Open with the first candidate key that opens the database, as `login`. `own_slot`:
        the key came from `login`'s own slot (not the recovery key's), so its audit anchor is
        checked and moved on."""
        database, opened = self._first_that_opens(candidates)
        self.keys.settle(opened_with_next=opened.from_next)
        with database.sessions() as session:
            person = session.scalar(select(Counsellor).where(Counsellor.login == login))
            if person is not None and person.active:
                found = []
                if own_slot:
                    found = audit_anchors.own_problems(session.connection(), self.keys, login,
                                                       opened)  # fmt: skip
                self.audit_warnings = [sentence for _kind, sentence in found]
                for kind, _sentence in found:  # in the trail too, before the anchor moves on
                    audit.record(session, AuditAction.ACCOUNT, counsellor_id=person.id,
                                 detail=f"audit anchor problem: {kind}")  # fmt: skip
                if failed_before:
                    audit.record(session, AuditAction.LOGIN_FAILED, counsellor_id=None,
                                 detail=f"{failed_before}")  # fmt: skip
                if self.lock_not_recorded and self.locked_by is not None:
                    audit.record(session, AuditAction.LOCK, counsellor_id=self.locked_by,
                                 detail="recorded at the next sign-in")  # fmt: skip
                    self.lock_not_recorded = False
                audit.record(session, action, counsellor_id=person.id)
                session.commit()
        if person is None or not person.active:
            database.close()
            opened.forget()
            raise WrongCredentials(_("This account is switched off; ask an administrator."))
        if self.database is not None:
            self.database.close()
        self.database, self._master, self.counsellor_id = database, opened.master, person.id
        self._opened, self._login = (opened, login) if own_slot else (None, login)
        if password is not None and login in self.keys.legacy_accounts():
            with contextlib.suppress(OSError, KeyFileError):  # a version 1 slot: upgrade it
                self.keys.set_password(login, password, opened.master, self.keys.slots[login].kdf)
                self._opened = self.keys.open_account(login, password)[0]
        self._anchor_audit_trail(database)
        return person

    def _first_that_opens(self, candidates: list[Opened]) -> tuple[Database, Opened]:
        """The database opened with the first key that opens it: the current slots' or, after
        a re-key a kill interrupted, those under "next"."""
        failure: DatabaseError | None = None
        for opened in candidates:
            try:
                database = open_database(self.url, key=opened.master, create=False)
            except DatabaseError as exc:
                failure = failure or exc
                continue
            for other in candidates:
                if other is not opened:
                    other.forget()
            return database, opened
        for opened in candidates:
            opened.forget()
        assert failure is not None
        raise failure

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

    def remove_account(self, login: str) -> Rekeyed:
        """Delete the account's slot, switch it off and re-key the database, so that an old
        copy of the key file with this account's password opens nothing any more."""
        with self._session() as session:
            self._require_admin(session)
            if self._actor(session).login == login:
                raise Forbidden(_("You cannot remove your own account."))
        if login not in self.keys.slots:
            raise KeyFileError(
                _("There is no account “{login}” in the key file.").format(login=login)
            )
        if len(self.keys.slots) == 1:
            raise KeyFileError(_("The last account cannot be removed."))

        def switch_off(session: Session) -> None:
            person = session.scalar(select(Counsellor).where(Counsellor.login == login))
            if person is not None:
                person.active = False
            audit.record(session, AuditAction.ACCOUNT, counsellor_id=self.counsellor_id,
                         detail=f"remove {login}")  # fmt: skip

        # a new recovery key too: one planted in the file, or known to the person leaving,
        # must not open the caseload after this
        params = self.keys.recovery.kdf if self.keys.recovery is not None else KdfParams()
        return self._rekey(switch_off, remove=login, new_recovery=True, params=params)

    def change_password(self, login: str, password: str, params: KdfParams) -> Rekeyed:
        """A new password for `login` (one's own, or anyone's for an admin), and a new key for
        the database: the old password with an old copy of the key file opens nothing."""
        check_password(password)
        with self._session() as session:
            actor = self._actor(session)
            if actor.login != login and actor.role != CounsellorRole.ADMIN:
                raise Forbidden(_("You can only change your own password."))
            if session.scalar(select(Counsellor.id).where(Counsellor.login == login)) is None:
                raise Forbidden(_("There is no account “{login}”.").format(login=login))

        def record(session: Session) -> None:
            audit.record(session, AuditAction.ACCOUNT, counsellor_id=self.counsellor_id,
                         detail=f"password {login}")  # fmt: skip

        return self._rekey(record, password=(login, password, params))

    def _session(self) -> Session:
        if self.database is None or self._master is None:
            raise Forbidden(_("The caseload is locked; sign in first."))
        return self.database.sessions()

    def _rekey(self, change: Callable[[Session], None], **what: Any) -> Rekeyed:
        """Close this vault's own connections, re-key (see `rekey`), open again with the new
        key. Refused, with nothing changed, while another window or command has it open."""
        assert self.database is not None and self._master is not None
        with self.database.sessions() as session:  # only they are handed the new key
            accounts = set(session.scalars(select(Counsellor.login).where(Counsellor.active)))
        self._anchor_audit_trail(self.database)
        self.database.close()
        self.database = None
        try:
            done = rekey.rekey(
                self.path, self.keys, self._master, change, accounts=accounts, **what
            )
        except BaseException:
            self.database = open_database(self.url, key=self._master, create=False)
            raise
        forget(self._master)
        self._master = done.master
        self.database = open_database(self.url, key=done.master, create=False)
        changed = what.get("password")
        if self._opened is not None and changed is not None and changed[0] == self._login:
            self._opened.anchor_key = b""  # its slot is new: the next sign-in anchors it afresh
        return done


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
        opened = keys.open_account(login.strip().lower(), password)[0]  # for the audit anchor
        forget(opened.master)
        opened.master = master
        vault._opened, vault._login = opened, login.strip().lower()
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
) -> tuple[Vault, Rekeyed]:
    """The recovery key opens the database and gives `login` a new password; the database is
    re-keyed (whoever had the recovery key before has an old key now)."""
    check_password(new_password)
    keys = KeyFile.load(key_file_for(path))
    candidates = keys.open_recovery(recovery_key)
    with rekey.alone(path):  # refused before anything is written when it is open elsewhere
        pass
    vault = Vault(path, keys, None, None)
    login = login.strip().lower()
    person = vault._open(candidates, login, AuditAction.LOGIN, own_slot=False)
    try:
        keys.upgrade_recovery(recovery_key, vault.copy_key(), params)

        def record(session: Session) -> None:
            audit.record(session, AuditAction.ACCOUNT, counsellor_id=person.id,
                         detail=f"password {person.login} (recovery key)")  # fmt: skip

        done = vault._rekey(record, password=(person.login, new_password, params))
    except BaseException:
        vault.lock()
        raise
    return vault, done


def _remove_files(path: Path) -> None:
    for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm"),
                     key_file_for(path), lock_file_for(key_file_for(path))):  # fmt: skip
        with contextlib.suppress(FileNotFoundError):
            leftover.unlink()
