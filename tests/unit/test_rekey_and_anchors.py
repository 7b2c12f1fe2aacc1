"""Insiders and old credentials: removing an account, changing a password and a recovery-key
reset re-key the database, so an old key file with an old password opens nothing; a counsellor
who rewrites the audit trail and the key file is found out by the accounts that had seen it."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from app.db import DatabaseError, encrypted_url, open_database
from app.services.privacy import audit, audit_anchors, key_slots
from app.services.privacy.keyfile import KeyFile, WrongCredentials, key_file_for
from app.services.privacy.login_throttle import LoginThrottle
from app.services.privacy.rekey import InUse
from app.services.privacy.vault import Vault, create, recover, sign_in
from tests.unit.test_encryption import FAST, PASSWORD, write_ayse

BART = "bart's own password"


@pytest.fixture
def team(tmp_path: Path) -> tuple[Path, str]:
    """Anna (admin) and Bart (counsellor) on one encrypted file; returns it and the recovery key."""
    path = tmp_path / "caseload.db"
    anna, recovery = create(path, organisation="OCMW", login="anna", full_name="Anna Aerts",
                            password=PASSWORD, params=FAST)  # fmt: skip
    assert anna.database is not None
    with anna.database.sessions() as session:
        anna.add_account(session, login="bart", full_name="Bart Baert", password=BART, params=FAST)
        session.commit()
    anna.lock()
    sign_in(path, "bart", BART, LoginThrottle()).lock()  # Bart has seen the trail: anchored
    return path, recovery


def _old_key_opens(path: Path, old_keys: Path, login: str, password: str) -> bool:
    """What an ex-employee tries: their copy of the key file, their password, the live file."""
    master = KeyFile.load(old_keys).unlock(login, password)
    try:
        open_database(encrypted_url(path), key=master, create=False).close()
    except DatabaseError:
        return False
    return True


def _anna(path: Path) -> Vault:
    return sign_in(path, "anna", PASSWORD, LoginThrottle())


def test_a_removed_account_with_an_old_key_file_opens_nothing(team: tuple[Path, str]) -> None:
    path, _recovery = team
    old_keys = path.with_name("bart-kept-this.keys")
    shutil.copy(key_file_for(path), old_keys)
    assert _old_key_opens(path, old_keys, "bart", BART)  # today, before the removal
    anna = _anna(path)
    done = anna.remove_account("bart")
    assert done.left_out == [] and done.dropped == []
    assert done.new_recovery_key is not None  # whoever knew the old one is out too
    assert anna.database is not None
    with anna.database.sessions() as session:  # a client added after Bart left
        write_ayse(session, anna.counsellor_id)
    anna.lock()
    assert not _old_key_opens(path, old_keys, "bart", BART)
    assert not _old_key_opens(path, old_keys, "anna", PASSWORD)  # nor Anna's old slot in it
    with pytest.raises(WrongCredentials):
        sign_in(path, "bart", BART, LoginThrottle())
    _anna(path).lock()  # the remaining account still signs in


def test_a_changed_password_and_a_recovery_reset_retire_the_old_key(team: tuple[Path, str]) -> None:
    path, recovery = team
    old_keys = path.with_name("old.keys")
    shutil.copy(key_file_for(path), old_keys)
    bart = sign_in(path, "bart", BART, LoginThrottle())
    bart.change_password("bart", "bart's brand new password", FAST)
    bart.lock()
    assert not _old_key_opens(path, old_keys, "bart", BART)
    sign_in(path, "bart", "bart's brand new password", LoginThrottle()).lock()
    _anna(path).lock()  # Anna was handed the new key without her password being asked

    shutil.copy(key_file_for(path), old_keys)
    vault, done = recover(path, recovery, "anna", "anna's recovered password", FAST)
    vault.lock()
    assert done.left_out == []
    assert not _old_key_opens(path, old_keys, "anna", PASSWORD)
    assert not _old_key_opens(path, old_keys, "bart", "bart's brand new password")
    sign_in(path, "bart", "bart's brand new password", LoginThrottle()).lock()
    sign_in(path, "anna", "anna's recovered password", LoginThrottle()).lock()


_HOLD_OPEN = """
import sys
from app.services.privacy.login_throttle import LoginThrottle
from app.services.privacy.vault import sign_in
from pathlib import Path
vault = sign_in(Path(sys.argv[1]), "bart", sys.argv[2], LoginThrottle())
print("open", flush=True)
sys.stdin.read()
vault.lock()
"""


def test_a_rekey_is_refused_while_another_process_has_the_file_open(team: tuple[Path, str]) -> None:
    path, _recovery = team
    before = key_file_for(path).read_bytes()
    holder = subprocess.Popen([sys.executable, "-c", _HOLD_OPEN, str(path), BART],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        anna = _anna(path)
        with pytest.raises(InUse, match="open in another Traject"):
            anna.remove_account("bart")
        assert anna.database is not None  # Anna's window keeps working
        with anna.database.sessions() as session:
            assert (
                session.execute(
                    text("SELECT active FROM counsellors WHERE login = 'bart'")
                ).scalar()
                == 1
            )
        anna.lock()
    finally:
        assert holder.stdin is not None and holder.stdout is not None
        holder.stdin.close()
        holder.wait(timeout=30)
        holder.stdout.close()
    assert (
        json.loads(key_file_for(path).read_bytes())["slots"].keys()
        == json.loads(before)["slots"].keys()
    )
    sign_in(path, "bart", BART, LoginThrottle()).lock()


def test_a_rekey_killed_after_the_database_changed_key_still_opens(
    team: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The kill between re-keying the file and promoting the new slots: the new slots wait
    under "next", and the next sign-in finds them and finishes the job."""
    path, _recovery = team
    anna = _anna(path)

    def killed(_self: KeyFile) -> None:
        raise KeyboardInterrupt  # as if the process died here

    monkeypatch.setattr(KeyFile, "finish_rekey", killed)
    with pytest.raises((KeyboardInterrupt, DatabaseError)):
        anna.remove_account("bart")
    monkeypatch.undo()
    assert KeyFile.load(key_file_for(path)).next is not None
    from app.cli import main  # `traject check` finds the key that opens it, not "damaged"

    monkeypatch.setenv("TRAJECT_LANG", "en")
    monkeypatch.setenv("TRAJECT_USER", "anna")
    monkeypatch.setenv("TRAJECT_PASSWORD", PASSWORD)
    assert main(["check", "--db", str(path)]) == 0
    assert KeyFile.load(key_file_for(path)).next is None  # its sign-in finished the re-key
    _anna(path).lock()
    with pytest.raises(WrongCredentials):
        sign_in(path, "bart", BART, LoginThrottle())


def test_a_rekey_killed_before_the_database_changed_key_keeps_everything(
    team: tuple[Path, str],
) -> None:
    """The kill after the new slots were written under "next", before the database took the
    new key: the current slots still open it, and the sign-in drops the unused "next"."""
    path, _recovery = team
    keys = KeyFile.load(key_file_for(path))
    with keys.locked():
        keys.prepare_rekey(bytearray(32), accounts={"anna", "bart"}, remove="bart")
    assert KeyFile.load(key_file_for(path)).next is not None
    _anna(path).lock()
    assert KeyFile.load(key_file_for(path)).next is None
    sign_in(path, "bart", BART, LoginThrottle()).lock()  # the removal never happened


def _rechain(path: Path, master: bytearray, drop_from: int) -> None:
    """What a counsellor with only their own password can do: remove entries from `drop_from`
    on and re-chain what follows with plain SHA-256, so the chain verifies again."""
    database = open_database(encrypted_url(path), key=master, create=False)
    with database.engine.begin() as conn:
        rows = conn.execute(text("SELECT * FROM audit_entries WHERE id >= :n ORDER BY id"),
                            {"n": drop_from}).mappings().all()  # fmt: skip
        conn.execute(text("DELETE FROM audit_reasons WHERE entry_id >= :n"), {"n": drop_from})
        conn.execute(text("DELETE FROM audit_entries WHERE id >= :n"), {"n": drop_from})
        prev = conn.execute(
            text("SELECT hash FROM audit_entries ORDER BY id DESC LIMIT 1")
        ).scalar()
        for new_id, row in enumerate(rows[2:], start=drop_from):  # two entries vanish
            at = row["at"]
            when = (
                dt.datetime.fromisoformat(at).replace(tzinfo=dt.UTC) if isinstance(at, str) else at
            )
            digest = audit.entry_hash(new_id, when, row["counsellor_id"], row["action"], row["client_id"],
                                      row["detail"], prev, row["reason_digest"])  # fmt: skip
            conn.execute(text("INSERT INTO audit_entries (id, at, counsellor_id, action, client_id, detail, "
                              "prev_hash, reason_digest, hash) VALUES (:id, :at, :c, :a, :cl, :d, :p, :r, :h)"),
                         {"id": new_id, "at": at, "c": row["counsellor_id"], "a": row["action"],
                          "cl": row["client_id"], "d": row["detail"], "p": prev, "r": row["reason_digest"],
                          "h": digest})  # fmt: skip
            prev = digest
    with database.engine.connect() as conn:
        assert audit.verify(conn) == []  # the chain alone now looks whole
    database.close()


def _bart_saw_annas_work(path: Path) -> tuple[key_slots.Anchor, bytearray]:
    """Anna adds a client, Bart signs in and locks (his anchor covers her entries); returns
    his anchor and the master key (what Anna's own password gives her)."""
    anna = _anna(path)
    assert anna.database is not None
    with anna.database.sessions() as session:
        write_ayse(session, anna.counsellor_id)
    anna.lock()
    sign_in(path, "bart", BART, LoginThrottle()).lock()
    anchor = KeyFile.load(key_file_for(path)).anchor_of("bart")
    assert anchor is not None
    anna = _anna(path)
    master = anna.copy_key()
    anna.lock()
    return anchor, master


def test_a_rewritten_trail_is_found_by_the_accounts_that_had_seen_it(
    team: tuple[Path, str],
) -> None:
    path, _recovery = team
    anchor, master = _bart_saw_annas_work(path)
    _rechain(path, master, drop_from=anchor.entry_id - 2)
    database = open_database(encrypted_url(path), key=master, create=False)
    with database.engine.connect() as conn:  # what `traject check` reports, by anyone
        problems = audit_anchors.all_problems(conn, KeyFile.load(key_file_for(path)))
    database.close()
    assert any("“bart”" in p for p in problems), problems
    # the anchor field is simply deleted, as the old single anchor could be
    keys_path = key_file_for(path)
    data = json.loads(keys_path.read_text())
    data["slots"]["bart"].pop("anchor")
    data["slots"]["bart"].pop("anchored")
    keys_path.write_text(json.dumps(data))
    bart = sign_in(path, "bart", BART, LoginThrottle())
    assert bart.audit_warnings and "anchor of your account was removed" in bart.audit_warnings[0]
    bart.lock()


def test_a_forged_anchor_and_a_cut_trail_are_reported_by_check_and_at_sign_in(
    team: tuple[Path, str],
) -> None:
    path, _recovery = team
    anchor, master = _bart_saw_annas_work(path)
    database = open_database(encrypted_url(path), key=master, create=False)
    with database.engine.begin() as conn:  # the newest entries cut off
        conn.execute(text("DELETE FROM audit_entries WHERE id >= :n"), {"n": anchor.entry_id - 1})
    with database.engine.connect() as conn:
        problems = audit_anchors.all_problems(conn, KeyFile.load(key_file_for(path)))
    database.close()
    assert any("bart" in p and "entries were removed" in p for p in problems)
    # the anchor moved back to an entry that is still there, with a MAC Anna cannot make right
    data = json.loads(key_file_for(path).read_text())
    data["slots"]["bart"]["anchor"]["id"] = 1
    key_file_for(path).write_text(json.dumps(data))
    bart = sign_in(path, "bart", BART, LoginThrottle())
    # this computer remembers a newer anchor; on another computer the MAC gives it away
    assert any("further back" in w for w in bart.audit_warnings), bart.audit_warnings
    bart.lock()
    (Path(os.environ["XDG_CONFIG_HOME"]) / "Traject" / "audit-anchors.json").unlink()
    data = json.loads(key_file_for(path).read_text())
    data["slots"]["bart"]["anchor"]["id"] = 1
    key_file_for(path).write_text(json.dumps(data))
    bart = sign_in(path, "bart", BART, LoginThrottle())
    assert any("changed by someone else" in w for w in bart.audit_warnings), bart.audit_warnings
    bart.lock()


def _version_1_key_file(path: Path, master: bytes, logins: dict[str, str], recovery: str) -> None:
    """A key file as Traject wrote it before key pairs: the master key wrapped under each
    password directly (format version 1)."""
    import base64
    import secrets

    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    def slot(secret: bytes, name: str) -> dict[str, object]:
        salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
        key = FAST.derive(secret, salt)
        wrapped = AESGCM(key).encrypt(nonce, master, f"traject-keys|{database_id}|{name}".encode())
        b64 = lambda data: base64.b64encode(data).decode()  # noqa: E731
        return {"kdf": {"name": "argon2id", "time_cost": FAST.time_cost, "memory_cost": FAST.memory_cost,
                        "parallelism": FAST.parallelism, "salt": b64(salt)},
                "nonce": b64(nonce), "wrapped": b64(wrapped)}  # fmt: skip

    database_id = KeyFile.load(path).database_id
    normalised = "".join(ch for ch in recovery.upper() if ch.isalnum()).encode()
    data = {"format": "traject-keys", "version": 1, "database": database_id, "organisation": "OCMW",
            "slots": {login: slot(password.encode(), login) for login, password in logins.items()},
            "recovery": slot(normalised, "recovery")}  # fmt: skip
    path.write_text(json.dumps(data))


def test_a_key_file_from_before_key_pairs_is_upgraded_as_accounts_sign_in(
    team: tuple[Path, str],
) -> None:
    path, recovery = team
    anna = _anna(path)
    master = bytes(anna.copy_key())
    anna.lock()
    _version_1_key_file(key_file_for(path), master, {"anna": PASSWORD, "bart": BART}, recovery)
    assert KeyFile.load(key_file_for(path)).legacy_accounts() == ["anna", "bart"]
    anna = _anna(path)  # opens with the old slot, which becomes a key pair
    assert KeyFile.load(key_file_for(path)).legacy_accounts() == ["bart"]
    done = anna.remove_account("bart")
    anna.lock()
    assert done.left_out == []  # Bart was the one removed
    assert done.new_recovery_key is not None
    vault, _done = recover(path, done.new_recovery_key, "anna", "anna's recovered password", FAST)
    vault.lock()
    with pytest.raises(WrongCredentials):
        recover(path, recovery, "anna", "another password again", FAST)


def test_traject_check_reports_a_cut_that_another_account_had_seen(
    team: tuple[Path, str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Anna cuts the newest entries (Bart's last sign-in among them): `traject check`, run by
    either of them, says so through Bart's anchor and exits 1."""
    from app.cli import main

    monkeypatch.setenv("TRAJECT_LANG", "en")
    path, _recovery = team
    anna = _anna(path)
    master = anna.copy_key()
    anna.lock()
    bart_anchor = KeyFile.load(key_file_for(path)).anchor_of("bart")
    assert bart_anchor is not None
    database = open_database(encrypted_url(path), key=master, create=False)
    with database.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entries WHERE id >= :n"), {"n": bart_anchor.entry_id})
    database.close()
    for login, password in (("anna", PASSWORD), ("bart", BART)):
        monkeypatch.setenv("TRAJECT_USER", login)
        monkeypatch.setenv("TRAJECT_PASSWORD", password)
        assert main(["check", "--db", str(path)]) == 1
        out = capsys.readouterr().out
        anchored = [line for line in out.splitlines() if line.startswith("Problem: Audit trail:")]
        assert any("“bart”" in line or "your account" in line for line in anchored), out
        assert out.strip().endswith("Check: problems found")


def _plant_slot(path: Path, master: bytearray, name: str, secret: str) -> None:
    """What an insider with the master key (her own password opens it) can write by hand."""
    keys = KeyFile.load(key_file_for(path))
    with keys.locked():
        keys.slots[name], _derived = key_slots.new_slot(bytes(master), secret.encode(), FAST,
                                                        keys.database_id, name)  # fmt: skip
        keys.recovery, _derived = key_slots.new_slot(bytes(master), b"EVESOWNRECOVERYKEY", FAST,
                                                     keys.database_id, "recovery")  # fmt: skip
        keys.save()


def test_a_slot_or_recovery_key_planted_by_hand_is_not_given_the_new_key(
    team: tuple[Path, str],
) -> None:
    """Bart, about to leave, adds a slot "ghost" and a recovery slot of his own to the key
    file: removing him re-keys without them, so neither opens the caseload afterwards."""
    path, _recovery = team
    bart = sign_in(path, "bart", BART, LoginThrottle())
    _plant_slot(path, bart.copy_key(), "ghost", "ghost's password!")
    bart.lock()
    planted = path.with_name("planted.keys")
    shutil.copy(key_file_for(path), planted)
    anna = _anna(path)
    done = anna.remove_account("bart")
    anna.lock()
    assert done.dropped == ["ghost"] and done.new_recovery_key is not None
    keys = KeyFile.load(key_file_for(path))
    assert sorted(keys.slots) == ["anna"]
    with pytest.raises(WrongCredentials):
        keys.unlock_with_recovery("EVESOWNRECOVERYKEY")
    assert not _old_key_opens(path, planted, "ghost", "ghost's password!")
    vault, _done = recover(path, done.new_recovery_key, "anna", "anna's recovered password", FAST)
    vault.lock()


def test_a_recovery_reset_refused_while_the_file_is_open_changes_nothing(
    team: tuple[Path, str],
) -> None:
    """The reset was refused with "nothing was changed", yet had already re-wrapped Bart's
    slot with the recovery key's keys: his own password no longer opened it."""
    path, recovery = team
    holder = subprocess.Popen([sys.executable, "-c", _HOLD_OPEN, str(path), BART],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "open"
        before = key_file_for(path).read_bytes()
        with pytest.raises(InUse):
            recover(path, recovery, "anna", "anna's recovered password", FAST)
        assert key_file_for(path).read_bytes() == before
    finally:
        assert holder.stdin is not None and holder.stdout is not None
        holder.stdin.close()
        holder.wait(timeout=30)
        holder.stdout.close()
    sign_in(path, "bart", BART, LoginThrottle()).lock()
    bart = sign_in(path, "bart", BART, LoginThrottle())
    assert bart.audit_warnings == []
    bart.lock()


def test_a_locked_window_signs_in_after_another_process_re_keyed(team: tuple[Path, str]) -> None:
    """A window locked over lunch keeps its vault; a colleague changes her password meanwhile
    (a re-key): the sign-in must read the key file as it is now."""
    path, _recovery = team
    window_vault = _anna(path)
    window_vault.lock()
    bart = sign_in(path, "bart", BART, LoginThrottle())
    bart.change_password("bart", "bart's lunchtime password", FAST)
    bart.lock()
    window_vault.unlock("anna", PASSWORD, LoginThrottle())
    assert window_vault.database is not None
    window_vault.lock()


def test_a_rekey_that_fails_says_so_and_changes_nothing(
    team: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A full disk during PRAGMA rekey: a sentence, not a driver traceback; Bart still active
    and able to sign in, the key file as it was."""
    import sqlcipher3

    from app.services.errors import ServiceError
    from app.services.privacy import rekey

    path, _recovery = team
    anna = _anna(path)
    before = json.loads(key_file_for(path).read_text())

    def disk_full(*_args: object) -> None:
        raise sqlcipher3.dbapi2.OperationalError("database or disk is full")

    monkeypatch.setattr(rekey, "rekey_file", disk_full)
    with pytest.raises(ServiceError, match="could not be given its new key"):
        anna.remove_account("bart")
    monkeypatch.undo()
    assert anna.database is not None
    with anna.database.sessions() as session:
        assert (
            session.execute(text("SELECT active FROM counsellors WHERE login = 'bart'")).scalar()
            == 1
        )
    anna.lock()
    after = json.loads(key_file_for(path).read_text())
    assert after["slots"].keys() == before["slots"].keys() and "next" not in after
    sign_in(path, "bart", BART, LoginThrottle()).lock()


def test_a_counsellor_cannot_restore_a_backup_with_an_administrator_of_her_own(
    team: tuple[Path, str],
) -> None:
    """Bart copies the live file (his password opens it), makes himself an administrator
    "boss" in the copy with a key file of his own, backs the copy up and restores it as boss:
    refused, because boss's password does not open the current key file."""
    from app.db_files import copy_database
    from app.services.reliability import backups
    from app.services.reliability.backups import BackupError

    path, _recovery = team
    bart = sign_in(path, "bart", BART, LoginThrottle())
    master = bart.copy_key()
    bart.lock()
    crafted = path.with_name("crafted.db")
    copy_database(path, crafted, master)
    database = open_database(encrypted_url(crafted), key=master, create=False)
    with database.engine.begin() as conn:
        conn.execute(
            text("UPDATE counsellors SET login = 'boss', role = 'admin' WHERE login = 'bart'")
        )
    database.close()
    keys = KeyFile.load(key_file_for(path))
    keys.path = key_file_for(crafted)
    keys.slots = {
        "boss": key_slots.new_slot(
            bytes(master), b"boss's password", FAST, keys.database_id, "boss"
        )[0]
    }
    keys.next = None
    keys.save()
    archive = path.with_name("crafted.trajectbackup")
    backups.create(crafted, master, archive)
    before = path.read_bytes()

    def as_boss(candidate: KeyFile) -> bytearray:
        return candidate.unlock("boss", "boss's password")

    with pytest.raises(BackupError, match="Only an administrator of the caseload"):
        backups.restore(archive, path, as_boss, login="boss")
    assert path.read_bytes() == before
    _anna(path).lock()
