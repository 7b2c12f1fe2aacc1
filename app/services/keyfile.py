"""The key file beside an encrypted database: one key slot per counsellor, and a recovery slot.

The database is encrypted with a random 256-bit master key that is never stored in clear. Each
slot holds that key wrapped with AES-GCM under a key derived from one secret — a counsellor's
password, or the recovery key — by Argon2id with the parameters stored in the slot. The slot's
login and the database's id are authenticated data, so a slot copied to another login or another
database does not open. Changing a password rewraps only that slot.

File format (JSON, UTF-8): {"format": "traject-keys", "version": 1, "database": <hex id>,
"organisation": <name>, "slots": {<login>: <slot>}, "recovery": <slot>}, where a slot is
{"kdf": {"name": "argon2id", "time_cost", "memory_cost", "parallelism", "salt"}, "nonce",
"wrapped"} with bytes in base64. Optionally "audit_anchor": {"id", "hash"}, the newest audit
entry at the last sign-in or lock, kept outside the database so that removing the newest
entries of the audit trail is found too.

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
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.i18n import _
from app.private_files import write_text
from app.services.errors import ServiceError, ValidationFailed

FORMAT = "traject-keys"
VERSION = 1
MASTER_KEY_BYTES = 32
MIN_PASSWORD_LENGTH = 10
_RECOVERY_BYTES = 20  # 160 bits: 32 base32 characters
_RECOVERY_SLOT = "recovery"
LOCK_TIMEOUT = 60.0  # seconds


class KeyFileError(ServiceError):
    """The key file is missing, unreadable or damaged."""


class WrongCredentials(ServiceError):
    """The login, password or recovery key does not open this database (never says which)."""


@dataclass(frozen=True)
class KdfParams:
    """Argon2id cost: passes, memory in KiB, lanes."""

    time_cost: int = 3
    memory_cost: int = 65536
    parallelism: int = 2

    def derive(self, secret: bytes, salt: bytes) -> bytes:
        from argon2.low_level import Type, hash_secret_raw

        return hash_secret_raw(secret, salt, self.time_cost, self.memory_cost, self.parallelism,
                               hash_len=32, type=Type.ID)  # fmt: skip


def calibrate(target_seconds: float = 0.4, memory_cost: int = 131072) -> KdfParams:
    """Parameters that take about `target_seconds` to derive one key on this machine: 128 MiB
    of memory (Argon2's defence against guessing hardware) and as many passes as fit."""

    def timed(passes: int) -> float:
        params = KdfParams(time_cost=passes, memory_cost=memory_cost, parallelism=2)
        start = time.perf_counter()
        params.derive(b"calibration", secrets.token_bytes(16))
        return time.perf_counter() - start

    timed(1)  # the first run also pays for mapping the memory
    one, three = timed(1), timed(3)
    per_pass = max((three - one) / 2, 1e-3)
    fixed = max(one - per_pass, 0.0)
    passes = max(2, round((target_seconds - fixed) / per_pass))
    return KdfParams(time_cost=passes, memory_cost=memory_cost, parallelism=2)


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


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@dataclass
class Slot:
    kdf: KdfParams
    salt: bytes
    nonce: bytes
    wrapped: bytes

    def to_json(self) -> dict[str, Any]:
        return {
            "kdf": {"name": "argon2id", "time_cost": self.kdf.time_cost,
                    "memory_cost": self.kdf.memory_cost, "parallelism": self.kdf.parallelism,
                    "salt": _b64(self.salt)},
            "nonce": _b64(self.nonce),
            "wrapped": _b64(self.wrapped),
        }  # fmt: skip

    @classmethod
    def from_json(cls, data: Any) -> Slot:
        kdf = data["kdf"]
        if kdf["name"] != "argon2id":
            raise ValueError(kdf["name"])
        params = KdfParams(int(kdf["time_cost"]), int(kdf["memory_cost"]), int(kdf["parallelism"]))
        decode = base64.b64decode
        return cls(params, decode(kdf["salt"], validate=True), decode(data["nonce"], validate=True),
                   decode(data["wrapped"], validate=True))  # fmt: skip


def _wrap(master_key: bytes, secret: bytes, params: KdfParams, aad: bytes) -> Slot:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    wrapped = AESGCM(params.derive(secret, salt)).encrypt(nonce, master_key, aad)
    return Slot(params, salt, nonce, wrapped)


def _unwrap(slot: Slot, secret: bytes, aad: bytes) -> bytes | None:
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        key = AESGCM(slot.kdf.derive(secret, slot.salt)).decrypt(slot.nonce, slot.wrapped, aad)
    except (InvalidTag, ValueError):
        return None
    return key if len(key) == MASTER_KEY_BYTES else None


@dataclass
class KeyFile:
    path: Path
    database_id: str
    organisation: str
    slots: dict[str, Slot] = field(default_factory=dict)
    recovery: Slot | None = None
    audit_anchor: tuple[int, str] | None = None

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
        keys.slots[login] = _wrap(bytes(master), password.encode(), params, keys._aad(login))
        keys.recovery = _wrap(bytes(master), _normalise_recovery(recovery), params,
                              keys._aad(_RECOVERY_SLOT))  # fmt: skip
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
            if data.get("format") != FORMAT or data.get("version") != VERSION:
                raise ValueError("format")
            keys = cls(path, str(data["database"]), str(data.get("organisation", "")))
            keys.slots = {str(login): Slot.from_json(s) for login, s in data["slots"].items()}
            keys.recovery = Slot.from_json(data["recovery"]) if data.get("recovery") else None
            anchor = data.get("audit_anchor")
            keys.audit_anchor = (int(anchor["id"]), str(anchor["hash"])) if anchor else None
        except (OSError, ValueError, KeyError, TypeError, AttributeError, binascii.Error):
            raise KeyFileError(
                _("The key file {path} is damaged or not a Traject key file.").format(path=path)
            ) from None
        return keys

    def save(self) -> None:
        """Write atomically (a kill or a full disk leaves the old file or the new one, never a
        torn one), readable by the user only. Callers that read, change and write hold `locked`."""
        data = {"format": FORMAT, "version": VERSION, "database": self.database_id,
                "organisation": self.organisation,
                "slots": {login: slot.to_json() for login, slot in sorted(self.slots.items())},
                "recovery": self.recovery.to_json() if self.recovery else None}  # fmt: skip
        if self.audit_anchor is not None:
            data["audit_anchor"] = {"id": self.audit_anchor[0], "hash": self.audit_anchor[1]}
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

    def _aad(self, slot_name: str) -> bytes:
        return f"{FORMAT}|{self.database_id}|{slot_name}".encode()

    # --- opening -------------------------------------------------------------------------
    def unlock(self, login: str, password: str) -> bytearray:
        slot = self.slots.get(login)
        # an unknown login costs the same as a wrong password and gets the same answer
        probe = slot or next(iter(self.slots.values()), None)
        key = _unwrap(probe, password.encode(), self._aad(login)) if probe else None
        if slot is None or key is None:
            raise WrongCredentials(_("The login or password is not correct."))
        return bytearray(key)

    def unlock_with_recovery(self, recovery_key: str) -> bytearray:
        key = None
        if self.recovery is not None:
            key = _unwrap(self.recovery, _normalise_recovery(recovery_key),
                          self._aad(_RECOVERY_SLOT))  # fmt: skip
        if key is None:
            raise WrongCredentials(_("This recovery key does not open this database."))
        return bytearray(key)

    # --- accounts ------------------------------------------------------------------------
    def set_password(
        self, login: str, password: str, master_key: bytearray, params: KdfParams
    ) -> None:
        """Add a slot for `login`, or rewrap its slot under a new password."""
        check_password(password)
        slot = _wrap(bytes(master_key), password.encode(), params, self._aad(login))
        with self.locked():
            self.slots[login] = slot
            self.save()

    def remove_slot(self, login: str) -> None:
        with self.locked():
            if login not in self.slots:
                raise KeyFileError(
                    _("There is no account “{login}” in the key file.").format(login=login)
                )
            if len(self.slots) == 1:
                raise KeyFileError(_("The last account cannot be removed."))
            del self.slots[login]
            self.save()

    def record_audit_anchor(self, entry_id: int, entry_hash: str) -> None:
        """Remember the newest audit entry (never moving back to an older one)."""
        with self.locked():
            if self.audit_anchor is not None and self.audit_anchor[0] >= entry_id:
                return
            self.audit_anchor = (entry_id, entry_hash)
            self.save()

    def _refresh(self) -> None:
        """Take what another process wrote since this one read the file."""
        if self.path.exists():
            current = KeyFile.load(self.path)
            if current.database_id == self.database_id:
                self.slots, self.recovery = current.slots, current.recovery
                self.audit_anchor = current.audit_anchor


def lock_file_for(key_file: Path) -> Path:
    return key_file.with_name(key_file.name + ".lock")


def key_file_for(database: Path) -> Path:
    """The key file that belongs to a database file: same folder, same name, `.keys`."""
    return database.with_suffix(".keys")


def forget(master_key: bytearray) -> None:
    """Overwrite a master key in place once it is no longer needed."""
    master_key[:] = bytes(len(master_key))
