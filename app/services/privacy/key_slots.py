"""The cryptography of one key slot: how a counsellor's password (or the recovery key) opens the
database's master key, and how the master key is re-issued to every account without anyone's
password.

Each account has an X25519 key pair. Its private key is wrapped with AES-GCM under a key derived
from the password by Argon2id; the master key is *sealed* to its public key (an ephemeral X25519
exchange, HKDF-SHA256, AES-GCM). Opening takes the password; sealing a new master key takes only
the public keys, so removing an account or changing a password can re-key the database and hand
the new key to every remaining account at once. An old copy of the key file plus an old password
then opens an old master key, which no longer opens the database.

Every wrap is bound (as authenticated data) to the key file's format, the database's id, the
slot's name and, for the private key, whether the slot carries an audit anchor: a slot copied to
another login or database does not open, and deleting an account's anchor from the file is seen
when that account next signs in.

The anchor itself (the newest audit entry this account has seen) is authenticated with a key
derived from the password-derived key: only that account can write a valid one.

A `LegacySlot` is how Traject wrote slots before key pairs (the master key wrapped under the
password directly); it still opens, and becomes a `Slot` when its account signs in.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

MASTER_KEY_BYTES = 32
FORMAT = "traject-keys"


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


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: Any) -> bytes:
    return base64.b64decode(str(text), validate=True)


@dataclass(frozen=True)
class Anchor:
    """The newest audit entry an account saw at its last sign-in or lock, with its MAC."""

    entry_id: int
    entry_hash: str
    mac: str

    def to_json(self) -> dict[str, Any]:
        return {"id": self.entry_id, "hash": self.entry_hash, "mac": self.mac}

    @classmethod
    def from_json(cls, data: Any) -> Anchor:
        return cls(int(data["id"]), str(data["hash"]), str(data["mac"]))


@dataclass
class Opened:
    """What a secret opens: the master key, and the account's anchor key (held while signed
    in, to move its anchor on at the lock). `rewrap` (the derived key and the private key) is
    kept only until a slot that has no anchor yet gets its first one."""

    master: bytearray
    anchor_key: bytes
    rewrap: tuple[bytes, bytes] | None = None
    anchor_removed: bool = False
    from_next: bool = False  # opened from the slots of a re-key under way

    def forget(self) -> None:
        self.master[:] = bytes(len(self.master))
        self.anchor_key, self.rewrap = b"", None


@dataclass
class Slot:
    """One account's (or the recovery key's) wrapped private key and sealed master key."""

    kdf: KdfParams
    salt: bytes
    nonce: bytes
    wrapped_private: bytes
    public: bytes
    ephemeral: bytes
    master_nonce: bytes
    sealed_master: bytes
    anchored: bool = False
    anchor: Anchor | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "kdf": {"name": "argon2id", "time_cost": self.kdf.time_cost,
                    "memory_cost": self.kdf.memory_cost, "parallelism": self.kdf.parallelism,
                    "salt": b64(self.salt)},
            "nonce": b64(self.nonce), "private": b64(self.wrapped_private),
            "public": b64(self.public), "ephemeral": b64(self.ephemeral),
            "master_nonce": b64(self.master_nonce), "master": b64(self.sealed_master),
        }  # fmt: skip
        if self.anchored:
            data["anchored"] = True
        if self.anchor is not None:
            data["anchor"] = self.anchor.to_json()
        return data

    @classmethod
    def from_json(cls, data: Any) -> Slot:
        kdf = data["kdf"]
        if kdf["name"] != "argon2id":
            raise ValueError(kdf["name"])
        params = KdfParams(int(kdf["time_cost"]), int(kdf["memory_cost"]), int(kdf["parallelism"]))
        anchor = Anchor.from_json(data["anchor"]) if data.get("anchor") else None
        return cls(params, unb64(kdf["salt"]), unb64(data["nonce"]), unb64(data["private"]),
                   unb64(data["public"]), unb64(data["ephemeral"]), unb64(data["master_nonce"]),
                   unb64(data["master"]), bool(data.get("anchored", False)), anchor)  # fmt: skip


def _aad(database_id: str, name: str, part: str) -> bytes:
    return f"{FORMAT}|{database_id}|{name}|{part}".encode()


def _private_aad(database_id: str, name: str, anchored: bool) -> bytes:
    return _aad(database_id, name, "private+anchored" if anchored else "private")


def _seal_key(shared: bytes, info: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(shared)


def seal(master: bytes, public: bytes, database_id: str, name: str) -> tuple[bytes, bytes, bytes]:
    """The master key sealed to a public key: (ephemeral public key, nonce, ciphertext)."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    ephemeral = X25519PrivateKey.generate()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public))
    ephemeral_public = ephemeral.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    key = _seal_key(shared, ephemeral_public + public)
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(key).encrypt(nonce, master, _aad(database_id, name, "master"))
    return ephemeral_public, nonce, sealed


def new_slot(
    master: bytes, secret: bytes, params: KdfParams, database_id: str, name: str,
    anchor_entry: tuple[int, str] | None = None,
) -> tuple[Slot, bytes]:  # fmt: skip
    """A fresh key pair for `name`, its private key wrapped under `secret`, the master key
    sealed to it; returns the slot and the derived key (for the anchor key). `anchor_entry`
    carries an account's anchor over to its new slot (a new password), authenticated anew."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        PublicFormat,
    )

    private = X25519PrivateKey.generate()
    raw_private = private.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
    derived = params.derive(secret, salt)
    wrapped = AESGCM(derived).encrypt(nonce, raw_private, _private_aad(database_id, name, False))
    ephemeral, master_nonce, sealed = seal(master, public, database_id, name)
    slot = Slot(params, salt, nonce, wrapped, public, ephemeral, master_nonce, sealed)
    if anchor_entry is not None:
        mac = anchor_mac(anchor_key(derived, database_id, name), database_id, name, *anchor_entry)
        slot.anchor = Anchor(*anchor_entry, mac)
        slot = mark_anchored(slot, derived, raw_private, database_id, name)
    return slot, derived


def reseal(slot: Slot, master: bytes, database_id: str, name: str) -> Slot:
    """The same account (key pair, password, anchor) holding a new master key."""
    ephemeral, nonce, sealed = seal(master, slot.public, database_id, name)
    return Slot(slot.kdf, slot.salt, slot.nonce, slot.wrapped_private, slot.public, ephemeral,
                nonce, sealed, slot.anchored, slot.anchor)  # fmt: skip


def open_slot(slot: Slot, secret: bytes, database_id: str, name: str) -> Opened:
    """The master key and anchor key behind `slot`; ValueError for a wrong secret. A slot that
    opens only as an anchored one while the file says it is not had its anchor deleted from the
    key file: `anchor_removed` says so."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    derived = slot.kdf.derive(secret, slot.salt)
    cipher = AESGCM(derived)
    anchor_removed = False
    try:
        private = cipher.decrypt(slot.nonce, slot.wrapped_private,
                                 _private_aad(database_id, name, slot.anchored))  # fmt: skip
    except InvalidTag:
        if slot.anchored:
            raise ValueError("wrong secret") from None
        try:  # the file says "no anchor", the wrap says there was one: it was deleted
            private = cipher.decrypt(slot.nonce, slot.wrapped_private,
                                     _private_aad(database_id, name, True))  # fmt: skip
        except InvalidTag:
            raise ValueError("wrong secret") from None
        anchor_removed = True
    key = X25519PrivateKey.from_private_bytes(private)
    shared = key.exchange(X25519PublicKey.from_public_bytes(slot.ephemeral))
    try:
        master = AESGCM(_seal_key(shared, slot.ephemeral + slot.public)).decrypt(
            slot.master_nonce, slot.sealed_master, _aad(database_id, name, "master"))  # fmt: skip
    except InvalidTag:
        raise ValueError("sealed master key") from None
    if len(master) != MASTER_KEY_BYTES:
        raise ValueError("master key length")
    rewrap = None if slot.anchored else (derived, private)
    return Opened(bytearray(master), anchor_key(derived, database_id, name), rewrap, anchor_removed)


def mark_anchored(slot: Slot, derived: bytes, private: bytes, database_id: str, name: str) -> Slot:
    """Rewrap the private key as an anchored slot's (from now on its anchor must be there)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce = secrets.token_bytes(12)
    wrapped = AESGCM(derived).encrypt(nonce, private, _private_aad(database_id, name, True))
    return Slot(slot.kdf, slot.salt, nonce, wrapped, slot.public, slot.ephemeral,
                slot.master_nonce, slot.sealed_master, True, slot.anchor)  # fmt: skip


def anchor_key(derived: bytes, database_id: str, name: str) -> bytes:
    return hmac.new(derived, _aad(database_id, name, "audit-anchor"), hashlib.sha256).digest()


def anchor_mac(key: bytes, database_id: str, name: str, entry_id: int, entry_hash: str) -> str:
    message = f"{FORMAT}|{database_id}|{name}|{entry_id}|{entry_hash}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def anchor_is_genuine(anchor: Anchor, key: bytes, database_id: str, name: str) -> bool:
    expected = anchor_mac(key, database_id, name, anchor.entry_id, anchor.entry_hash)
    return hmac.compare_digest(expected, anchor.mac)


@dataclass
class LegacySlot:
    """A version 1 slot: the master key wrapped directly under the password-derived key. It
    cannot be handed a new master key; it becomes a `Slot` when its account signs in."""

    kdf: KdfParams
    salt: bytes
    nonce: bytes
    wrapped: bytes

    def to_json(self) -> dict[str, Any]:
        return {"kdf": {"name": "argon2id", "time_cost": self.kdf.time_cost,
                        "memory_cost": self.kdf.memory_cost, "parallelism": self.kdf.parallelism,
                        "salt": b64(self.salt)},
                "nonce": b64(self.nonce), "wrapped": b64(self.wrapped)}  # fmt: skip

    def open(self, secret: bytes, aad: bytes) -> bytearray | None:
        from cryptography.exceptions import InvalidTag
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        try:
            key = AESGCM(self.kdf.derive(secret, self.salt)).decrypt(self.nonce, self.wrapped, aad)
        except (InvalidTag, ValueError):
            return None
        return bytearray(key) if len(key) == MASTER_KEY_BYTES else None


AnySlot = Slot | LegacySlot


def _slot_from_json(data: Any) -> AnySlot:
    if "public" in data:
        return Slot.from_json(data)
    kdf = data["kdf"]
    if kdf["name"] != "argon2id":
        raise ValueError(kdf["name"])
    params = KdfParams(int(kdf["time_cost"]), int(kdf["memory_cost"]), int(kdf["parallelism"]))
    return LegacySlot(params, unb64(kdf["salt"]), unb64(data["nonce"]), unb64(data["wrapped"]))


@dataclass
class SlotSet:
    slots: dict[str, AnySlot] = field(default_factory=dict)
    recovery: AnySlot | None = None

    def to_json(self) -> dict[str, Any]:
        return {"slots": {login: slot.to_json() for login, slot in sorted(self.slots.items())},
                "recovery": self.recovery.to_json() if self.recovery else None}  # fmt: skip

    @classmethod
    def from_json(cls, data: Any) -> SlotSet:
        slots = {str(login): _slot_from_json(s) for login, s in data["slots"].items()}
        recovery = _slot_from_json(data["recovery"]) if data.get("recovery") else None
        return cls(slots, recovery)
