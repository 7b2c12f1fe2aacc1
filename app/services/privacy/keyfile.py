"""The key file beside an encrypted database: one key slot per counsellor, and a recovery slot.

The database is encrypted with a random 256-bit master key that is never stored in clear. Each
slot (see `key_slots`) holds an account's X25519 private key wrapped under a key derived from
one secret (a counsellor's password, or the recovery key) by Argon2id, and the master key sealed
to that account's public key. So the master key can be replaced and handed to every remaining
account without their passwords: removing an account, changing a password and a recovery-key
reset re-key the database (`rekey`), and an old copy of this file opens nothing any more.

A re-key is two-phase so that a kill at any instant leaves a database that opens: the new slots
are first written under "next" beside the current ones, then the database is re-keyed (one
SQLCipher transaction), then "next" replaces the current slots. Signing in tries the current
slots, then "next" (and finishes the re-key that a kill interrupted).

Each account's slot also keeps its audit anchor: the newest audit entry it saw at its last
sign-in or lock, authenticated with a key only that account can derive (`key_slots`).

File format (JSON, UTF-8): {"format": "traject-keys", "version": 2, "database": <hex id>,
"organisation": <name>, "slots": {<login>: <slot>}, "recovery": <slot>, "next": {"slots": …,
"recovery": …} while a re-key is under way}. Version 1 files (slots wrapping the master key
directly) are read; such a slot becomes a version 2 slot when its account signs in.

Several processes may use one database (the window and a command): every change holds an
inter-process lock (`filelock`, on `<name>.keys.lock`) while it re-reads the file, changes it and
writes it, so one does not overwrite another's new slot, and every write is atomic (a unique
temporary file, fsync, rename), so a reader never sees half a file.
"""

from __future__ import annotations

import base64
import binascii
import json
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.i18n import _
from app.private_files import write_text
from app.services.errors import ServiceError, ValidationFailed
from app.services.privacy import key_slots, local_anchors
from app.services.privacy.key_slots import (
    MASTER_KEY_BYTES,
    Anchor,
    AnySlot,
    KdfParams,
    LegacySlot,
    Opened,
    Slot,
    SlotSet,
    calibrate,
)

__all__ = ["MASTER_KEY_BYTES", "KdfParams", "KeyFile", "KeyFileError", "WrongCredentials",
           "calibrate", "check_password", "forget", "key_file_for", "lock_file_for"]  # fmt: skip

FORMAT = key_slots.FORMAT
VERSION = 2
MIN_PASSWORD_LENGTH = 10
_RECOVERY_BYTES = 20  # 160 bits: 32 base32 characters
_RECOVERY_SLOT = "recovery"
LOCK_TIMEOUT = 60.0  # seconds


class KeyFileError(ServiceError):
    """The key file is missing, unreadable or damaged."""


class WrongCredentials(ServiceError):
    """The login, password or recovery key does not open this database (never says which)."""


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        message = _("Password: use at least {n} characters.").format(n=MIN_PASSWORD_LENGTH)
        raise ValidationFailed({"password": message})


def new_recovery_key() -> str:
    """A recovery key to write down: 8 groups of 4 characters (A–Z, 2–7)."""
    text = base64.b32encode(secrets.token_bytes(_RECOVERY_BYTES)).decode("ascii")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def _normalise_recovery(key: str) -> bytes:
    return "".join(ch for ch in key.upper() if ch.isalnum()).encode("ascii", "ignore")


@dataclass
class Staged:
    """What a re-key will do beyond the new key: slots dropped (no account in the database),
    accounts left out (version 1 slots), and a new recovery key to show once."""

    dropped: list[str] = field(default_factory=list)
    left_out: list[str] = field(default_factory=list)
    recovery_key: str | None = None


@dataclass
class KeyFile:
    path: Path
    database_id: str
    organisation: str
    slots: dict[str, AnySlot] = field(default_factory=dict)
    recovery: AnySlot | None = None
    next: SlotSet | None = None  # the slots of a re-key under way

    # --- creating and reading ------------------------------------------------------------
    @classmethod
    def create(
        cls, path: Path, organisation: str, login: str, password: str, params: KdfParams
    ) -> tuple[KeyFile, bytearray, str]:
        """A new key file with the first account's slot; returns it, the master key and the
        recovery key (shown once, never stored)."""
        check_password(password)
        if path.exists():
            raise KeyFileError(_("A key file already exists at {path}.").format(path=path))
        keys = cls(path, secrets.token_hex(16), organisation)
        master = bytearray(secrets.token_bytes(MASTER_KEY_BYTES))
        recovery = new_recovery_key()
        keys.slots[login], _derived = key_slots.new_slot(bytes(master), password.encode(), params,
                                                         keys.database_id, login)  # fmt: skip
        keys.recovery, _derived = key_slots.new_slot(bytes(master), _normalise_recovery(recovery),
                                                     params, keys.database_id, _RECOVERY_SLOT)  # fmt: skip
        keys.save()
        return keys, master, recovery

    @classmethod
    def load(cls, path: Path) -> KeyFile:
        if not path.exists():
            raise KeyFileError(
                _("The key file {path} is missing; without it the database cannot be opened. "
                  "Put the key file back beside the database.").format(path=path))  # fmt: skip
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("format") != FORMAT or data.get("version") not in (1, VERSION):
                raise ValueError("format")
            keys = cls(path, str(data["database"]), str(data.get("organisation", "")))
            current = SlotSet.from_json(data)
            keys.slots, keys.recovery = current.slots, current.recovery
            keys.next = SlotSet.from_json(data["next"]) if data.get("next") else None
        except (OSError, ValueError, KeyError, TypeError, AttributeError, binascii.Error):
            raise KeyFileError(
                _("The key file {path} is damaged or not a Traject key file.").format(path=path)
            ) from None
        return keys

    def save(self) -> None:
        """Write atomically (a kill or a full disk leaves the old file or the new one, never a
        torn one), readable by the user only. Callers that read, change and write hold `locked`."""
        data: dict[str, Any] = {"format": FORMAT, "version": VERSION,
                                "database": self.database_id, "organisation": self.organisation,
                                **SlotSet(self.slots, self.recovery).to_json()}  # fmt: skip
        if self.next is not None:
            data["next"] = self.next.to_json()
        write_text(self.path, json.dumps(data, indent=1))

    @contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the key file against other processes for a read-change-write, then take what
        they wrote since this one read it. The lock is the OS's (released if the process
        dies); waiting longer than a minute means something is stuck, and is said so."""
        from filelock import FileLock, Timeout

        lock = FileLock(lock_file_for(self.path), mode=0o600)
        try:
            lock.acquire(timeout=LOCK_TIMEOUT)
        except Timeout:
            raise KeyFileError(
                _("The key file {path} is being changed by another Traject; try again in a "
                  "moment.").format(path=self.path)
            ) from None  # fmt: skip
        try:
            self._refresh()
            yield
        finally:
            lock.release()

    def _refresh(self) -> None:
        """Take what another process wrote since this one read the file; a key file of another
        database (a restore put it there) is not written over with this one's slots."""
        if self.path.exists():
            current = KeyFile.load(self.path)
            if current.database_id != self.database_id:
                raise KeyFileError(
                    _("The key file {path} now belongs to another database (was a backup "
                      "restored?); close Traject and open it again.").format(path=self.path)
                )  # fmt: skip
            self.slots, self.recovery, self.next = current.slots, current.recovery, current.next

    def _legacy_aad(self, slot_name: str) -> bytes:
        return f"{FORMAT}|{self.database_id}|{slot_name}".encode()

    # --- opening -------------------------------------------------------------------------
    def open_account(self, login: str, password: str) -> list[Opened]:
        """What `login`'s password opens: the current slot's keys first, then those of a
        re-key under way (the caller keeps the one that opens the database). Raises
        WrongCredentials (an unknown login costs the same as a wrong password)."""
        found = self._open_both(login, password.encode(), self.slots.get(login),
                                self.next.slots.get(login) if self.next else None)  # fmt: skip
        if not found:
            probe = next(iter(self.slots.values()), None)
            if login not in self.slots and probe is not None:  # the cost of a wrong password
                probe.kdf.derive(password.encode(), secrets.token_bytes(16))
            raise WrongCredentials(_("The login or password is not correct."))
        return found

    def _open_both(
        self, name: str, secret: bytes, current: AnySlot | None, staged: AnySlot | None
    ) -> list[Opened]:
        """The keys `secret` opens in the current slot and in the one of a re-key under way."""
        found = []
        for slot, from_next in ((current, False), (staged, True)):
            opened = self._open_in(slot, name, secret) if slot is not None else None
            if opened is not None:
                opened.from_next = from_next
                found.append(opened)
        return found

    def _open_in(self, slot: AnySlot, name: str, secret: bytes) -> Opened | None:
        if isinstance(slot, LegacySlot):
            master = slot.open(secret, self._legacy_aad(name))
            return Opened(master, b"", None) if master is not None else None
        try:
            return key_slots.open_slot(slot, secret, self.database_id, name)
        except ValueError:
            return None

    def unlock(self, login: str, password: str) -> bytearray:
        """The master key that `login`'s current slot holds (a backup or check's check)."""
        return self.open_account(login, password)[0].master

    def open_recovery(self, recovery_key: str) -> list[Opened]:
        found = self._open_both(_RECOVERY_SLOT, _normalise_recovery(recovery_key), self.recovery,
                                self.next.recovery if self.next else None)  # fmt: skip
        if not found:
            raise WrongCredentials(_("This recovery key does not open this database."))
        return found

    def unlock_with_recovery(self, recovery_key: str) -> bytearray:
        return self.open_recovery(recovery_key)[0].master

    # --- accounts ------------------------------------------------------------------------
    def set_password(
        self, login: str, password: str, master_key: bytearray, params: KdfParams
    ) -> None:
        """Give `login` a new key pair under `password`, holding `master_key` (a new account, or
        a legacy slot's upgrade). Changing a live account's password re-keys instead (`rekey`)."""
        check_password(password)
        slot, _derived = key_slots.new_slot(bytes(master_key), password.encode(), params,
                                            self.database_id, login)  # fmt: skip
        with self.locked():
            self.slots[login] = slot
            self.save()

    def upgrade_recovery(self, recovery_key: str, master_key: bytearray, params: KdfParams) -> None:
        """A version 1 recovery slot becomes a version 2 one (the recovery key was just typed)."""
        with self.locked():
            if isinstance(self.recovery, LegacySlot):
                self.recovery, _derived = key_slots.new_slot(
                    bytes(master_key), _normalise_recovery(recovery_key), params,
                    self.database_id, _RECOVERY_SLOT)  # fmt: skip
                self.save()

    def legacy_accounts(self) -> list[str]:
        return sorted(login for login, slot in self.slots.items() if isinstance(slot, LegacySlot))

    # --- re-keying -----------------------------------------------------------------------
    def prepare_rekey(
        self, new_master: bytearray, *, accounts: set[str], remove: str | None = None,
        password: tuple[str, str, KdfParams] | None = None, new_recovery: bool = False,
        params: KdfParams | None = None,
    ) -> Staged:  # fmt: skip
        """Write the slots that will hold `new_master` under "next", beside the current ones.

        Only `accounts` (the database's active accounts) are handed the new key, so a slot
        someone added to the file by hand is dropped (and named), and `remove` with them;
        `password` = (login, new password, params) gets a new key pair. The recovery slot is
        resealed, unless `new_recovery` (or it is a version 1 slot): then a new recovery key is
        made, to be shown once. Version 1 slots cannot be handed the key: their accounts need a
        new password from an administrator. Call with `locked` held."""
        if remove is not None and remove not in self.slots:
            raise KeyFileError(
                _("There is no account “{login}” in the key file.").format(login=remove)
            )
        if password is not None:
            check_password(password[1])
        staged, result = SlotSet(), Staged()
        for login, slot in self.slots.items():
            if login == remove:
                continue
            if login not in accounts:
                result.dropped.append(login)
            elif password is not None and login == password[0]:
                anchor = slot.anchor if isinstance(slot, Slot) else None
                staged.slots[login], _derived = key_slots.new_slot(
                    bytes(new_master), password[1].encode(), password[2], self.database_id, login,
                    (anchor.entry_id, anchor.entry_hash) if anchor else None)  # fmt: skip
            elif isinstance(slot, Slot):
                staged.slots[login] = key_slots.reseal(slot, bytes(new_master), self.database_id,
                                                       login)  # fmt: skip
            else:
                result.left_out.append(login)
        if password is not None and password[0] not in staged.slots:
            staged.slots[password[0]], _derived = key_slots.new_slot(
                bytes(new_master), password[1].encode(), password[2], self.database_id, password[0])  # fmt: skip
        if not staged.slots:
            raise KeyFileError(_("The last account cannot be removed."))
        if isinstance(self.recovery, Slot) and not new_recovery:
            staged.recovery = key_slots.reseal(self.recovery, bytes(new_master), self.database_id,
                                               _RECOVERY_SLOT)  # fmt: skip
        else:
            result.recovery_key = new_recovery_key()
            staged.recovery, _derived = key_slots.new_slot(
                bytes(new_master), _normalise_recovery(result.recovery_key),
                params or (password[2] if password else KdfParams()), self.database_id,
                _RECOVERY_SLOT)  # fmt: skip
        self.next = staged
        self.save()
        return result

    def finish_rekey(self) -> None:
        """The database holds the new key: its slots become the current ones. Call with
        `locked` held (or from `settle`)."""
        if self.next is not None:
            self.slots, self.recovery, self.next = self.next.slots, self.next.recovery, None
            self.save()

    def settle(self, opened_with_next: bool) -> None:
        """After a sign-in: finish a re-key the database already has, or drop one it never got."""
        with self.locked():
            if self.next is None:
                return
            if opened_with_next:
                self.finish_rekey()
            else:
                self.next = None
                self.save()

    # --- audit anchors -------------------------------------------------------------------
    def anchor_of(self, login: str) -> Anchor | None:
        return self.anchors().get(login)

    def anchors(self) -> dict[str, Anchor | None]:
        """Each account's anchor (None for one that has not signed in since it has a slot)."""
        return {login: slot.anchor if isinstance(slot, Slot) else None
                for login, slot in self.slots.items()}  # fmt: skip

    def anchored_without_anchor(self) -> list[str]:
        """Accounts whose slot says it carries an anchor that is not there."""
        return sorted(login for login, slot in self.slots.items()
                      if isinstance(slot, Slot) and slot.anchored and slot.anchor is None)  # fmt: skip

    def record_anchor(self, login: str, opened: Opened, entry_id: int, entry_hash: str) -> None:
        """`login` has seen the trail up to this entry: keep it, authenticated, in its slot
        (never moving back to an older entry). The first time, the slot becomes anchored."""
        with self.locked():
            slot = self.slots.get(login)
            if not isinstance(slot, Slot) or not opened.anchor_key:
                return
            if slot.anchor is not None and slot.anchor.entry_id > entry_id:
                return
            mac = key_slots.anchor_mac(opened.anchor_key, self.database_id, login, entry_id,
                                       entry_hash)  # fmt: skip
            slot.anchor = Anchor(entry_id, entry_hash, mac)
            local_anchors.remember(self.database_id, login, entry_id)
            if not slot.anchored and opened.rewrap is not None:
                slot = key_slots.mark_anchored(slot, *opened.rewrap, self.database_id, login)
                opened.rewrap = None
            self.slots[login] = slot
            self.save()

    @property
    def audit_anchor(self) -> tuple[int, str] | None:
        """The newest entry any account has anchored (what `traject check` compares first)."""
        anchors = [a for a in self.anchors().values() if a is not None]
        newest = max(anchors, key=lambda a: a.entry_id, default=None)
        return (newest.entry_id, newest.entry_hash) if newest else None


def lock_file_for(key_file: Path) -> Path:
    return key_file.with_name(key_file.name + ".lock")


def key_file_for(database: Path) -> Path:
    """The key file that belongs to a database file: same folder, same name, `.keys`."""
    return database.with_suffix(".keys")


def forget(master_key: bytearray) -> None:
    """Overwrite a master key in place once it is no longer needed."""
    master_key[:] = bytes(len(master_key))
