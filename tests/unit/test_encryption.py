"""The encrypted caseload: nothing readable on disk, key slots per counsellor, recovery."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.db import DatabaseError
from app.models import Client, Note
from app.services import org_settings
from app.services.caseload import clients
from app.services.caseload import listing as caseload
from app.services.caseload.listing import CaseloadFilter
from app.services.errors import Forbidden
from app.services.privacy.access import Actor
from app.services.privacy.keyfile import (
    KdfParams,
    KeyFile,
    KeyFileError,
    WrongCredentials,
    key_file_for,
)
from app.services.privacy.login_throttle import LoginThrottle
from app.services.privacy.vault import Vault, create, recover, sign_in

FAST = KdfParams(time_cost=1, memory_cost=1024, parallelism=1)  # tests only; real slots ~0.4 s
PASSWORD = "correct horse battery"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "caseload.db"


@pytest.fixture
def vault(db_path: Path) -> Vault:
    made, _recovery = create(db_path, organisation="Werkwinkel Gent", login="anna",
                             full_name="Anna Aerts", password=PASSWORD, params=FAST)  # fmt: skip
    return made


def files_of(db_path: Path) -> list[Path]:
    return sorted(p for p in db_path.parent.iterdir() if p.name.startswith(db_path.stem))


def write_ayse(session: Session, counsellor_id: int | None) -> Client:
    org_settings.put(session, org_settings.NATIONAL_NUMBER_ENABLED, "1")
    client = clients.create_client(
            session,
            {"given_name": "Ayşe", "family_name": "Yılmaz", "birth_date": dt.date(1985, 7, 14),
             "national_number": "85071412330", "phone": "+32 470 12 34 56"},
            referent_id=counsellor_id, today=dt.date(2026, 3, 15),
            actor=Actor.load(session, counsellor_id),
        )  # fmt: skip
    session.add(Note(client_id=client.id, counsellor_id=counsellor_id,
                     body="Vertelt over schulden bij de huisbaas"))  # fmt: skip
    session.commit()
    return client


SECRETS = ["Ayşe", "Yılmaz", "ayse yilmaz", "yilmaz", "85071412330", "470123456",
           "schulden bij de huisbaas"]  # fmt: skip


def readable(paths: list[Path]) -> set[str]:
    found = set()
    for path in paths:
        raw = path.read_bytes()
        for secret in SECRETS:
            for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
                if secret.encode(encoding) in raw:
                    found.add(secret)
    return found


def test_nothing_personal_is_readable_in_the_files(vault: Vault, db_path: Path) -> None:
    assert vault.database is not None and vault.database.is_encrypted
    with vault.database.sessions() as session:
        client = write_ayse(session, vault.counsellor_id)
        assert client.national_number == "85071412330"
        found = caseload.find_ids(session, CaseloadFilter(search="yilmaz"))
        assert found == [client.id]  # FTS5 search works on the encrypted file
    vault.lock()
    assert readable(files_of(db_path)) == set()


def test_the_scan_finds_them_in_a_plain_database(
    session: Session, make_counsellor, db_url: str
) -> None:  # type: ignore[no-untyped-def]
    write_ayse(session, make_counsellor("anna").id)
    session.close()
    path = Path(db_url.removeprefix("sqlite:///"))
    assert readable(files_of(path)) >= {"Ayşe", "Yılmaz", "85071412330", "schulden bij de huisbaas"}


def test_secure_delete_is_on_and_sqlcipher_is_quiet(vault: Vault) -> None:
    assert vault.database is not None
    with vault.database.engine.connect() as conn:
        assert conn.execute(text("PRAGMA secure_delete")).scalar() == 1
        assert conn.execute(text("PRAGMA cipher_log_level")).scalar() == "NONE"
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"


def test_wrong_password_or_tampered_slot_fails_cleanly(
    vault: Vault, db_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    vault.lock()
    before = [(p.name, p.stat().st_size) for p in files_of(db_path)]
    with pytest.raises(WrongCredentials, match="login or password is not correct"):
        sign_in(db_path, "anna", "not the password", LoginThrottle())
    with pytest.raises(WrongCredentials, match="login or password is not correct"):
        sign_in(db_path, "nobody", PASSWORD, LoginThrottle())  # same answer for an unknown login
    keys_path = key_file_for(db_path)
    data = json.loads(keys_path.read_text())
    wrapped = bytearray(data["slots"]["anna"]["private"].encode())
    wrapped[5] = ord("A") if wrapped[5] != ord("A") else ord("B")
    data["slots"]["anna"]["private"] = wrapped.decode()
    keys_path.write_text(json.dumps(data))
    with pytest.raises(WrongCredentials):
        sign_in(db_path, "anna", PASSWORD, LoginThrottle())
    data["slots"]["bart"] = data["slots"].pop("anna")  # a slot moved to another login
    keys_path.write_text(json.dumps(data))
    with pytest.raises(WrongCredentials):
        sign_in(db_path, "bart", PASSWORD, LoginThrottle())
    keys_path.write_text("{not json")
    with pytest.raises(KeyFileError, match="damaged or not a Traject key file"):
        sign_in(db_path, "anna", PASSWORD, LoginThrottle())
    assert [(p.name, p.stat().st_size) for p in files_of(db_path) if p != keys_path] == [
        b for b in before if b[0] != keys_path.name
    ]
    assert capfd.readouterr().err == ""


def test_two_counsellors_own_slots_removal_and_recovery(db_path: Path) -> None:
    anna_vault, recovery = create(db_path, organisation="OCMW", login="anna",
                                  full_name="Anna Aerts", password=PASSWORD, params=FAST)  # fmt: skip
    assert anna_vault.database is not None
    with anna_vault.database.sessions() as session:
        anna_vault.add_account(session, login="bart", full_name="Bart Baert",
                               password="bart's own password", params=FAST)  # fmt: skip
        session.commit()
    anna_vault.lock()
    bart_vault = sign_in(db_path, "bart", "bart's own password", LoginThrottle())
    assert bart_vault.database is not None
    with bart_vault.database.sessions() as session, pytest.raises(Forbidden):
        bart_vault.add_account(session, login="carla", full_name="Carla", password=PASSWORD * 2,
                               params=FAST)  # fmt: skip
    bart_vault.lock()
    anna_vault = sign_in(db_path, "anna", PASSWORD, LoginThrottle())
    assert anna_vault.database is not None
    recovery = anna_vault.remove_account("bart").new_recovery_key or recovery
    anna_vault.lock()
    with pytest.raises(WrongCredentials):
        sign_in(db_path, "bart", "bart's own password", LoginThrottle())
    # anna forgets her password: the recovery key gives her a new one
    with pytest.raises(WrongCredentials):
        recover(db_path, "AAAA-" + recovery[5:], "anna", "a brand new password", FAST)
    recovered, _done = recover(
        db_path, recovery.lower().replace("-", " "), "anna", "a brand new password", FAST
    )
    recovered.lock()
    with pytest.raises(WrongCredentials):
        sign_in(db_path, "anna", PASSWORD, LoginThrottle())
    sign_in(db_path, "anna", "a brand new password", LoginThrottle()).lock()


def test_a_thousand_wrong_passwords_open_nothing_and_back_off(
    vault: Vault, db_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    import secrets
    import time

    vault.lock()
    keys = KeyFile.load(key_file_for(db_path))
    slept: list[float] = []
    offset = [0.0]

    def sleep(seconds: float) -> None:  # time passes without the test waiting for it
        slept.append(seconds)
        offset[0] += seconds

    def clock() -> float:
        return time.monotonic() + offset[0]

    throttle = LoginThrottle(clock=clock, sleep=sleep)
    opened, durations = 0, []
    for _ in range(1000):
        start = clock()
        try:
            throttle.attempt(lambda: keys.unlock("anna", secrets.token_urlsafe(12)))
            opened += 1
        except WrongCredentials:
            pass
        durations.append(clock() - start)
    assert opened == 0
    assert min(durations) >= 0.05
    waits = [seconds for seconds in slept if seconds >= 0.9]  # the backoffs, not the 50 ms pads
    assert waits[:5] == pytest.approx([1, 2, 4, 8, 16], abs=0.01)  # backs off,
    assert max(waits) == pytest.approx(30, abs=0.01)  # up to a ceiling
    assert capfd.readouterr().err == ""
    real = LoginThrottle()
    start = time.monotonic()
    with pytest.raises(WrongCredentials):
        real.attempt(lambda: keys.unlock("anna", "wrong"))
    assert time.monotonic() - start >= 0.05


def test_a_failed_set_up_leaves_no_file(db_path: Path) -> None:
    with pytest.raises(Exception, match="Password: use at least 10 characters"):
        create(db_path, organisation="OCMW", login="anna", full_name="Anna", password="short",
               params=FAST)  # fmt: skip
    with pytest.raises(Exception, match="Full name"):
        create(db_path, organisation="OCMW", login="anna", full_name="", password=PASSWORD,
               params=FAST)  # fmt: skip
    assert files_of(db_path) == []


def test_a_database_on_a_network_share_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from collections import namedtuple

    import psutil

    from app.storage import is_network_share

    Part = namedtuple("Part", "device mountpoint fstype opts")
    mounts = [Part("/dev/sda1", "/", "ext4", "rw"),
              Part("nas:/home", str(tmp_path / "share"), "nfs4", "rw")]  # fmt: skip
    assert is_network_share(tmp_path / "share" / "x.db", mounts)
    assert not is_network_share(tmp_path / "local" / "x.db", mounts)
    assert is_network_share(Path("//server/share/x.db"), mounts)
    (tmp_path / "share").mkdir()
    monkeypatch.setattr(psutil, "disk_partitions", lambda all=False: mounts)
    with pytest.raises(DatabaseError, match="is on a network share"):
        create(tmp_path / "share" / "x.db", organisation="OCMW", login="anna", full_name="Anna",
               password=PASSWORD, params=FAST)  # fmt: skip
    assert list((tmp_path / "share").iterdir()) == []


def test_locking_closes_the_database_and_forgets_the_key(vault: Vault) -> None:
    master = vault._master
    assert master is not None and any(master)
    vault.lock()
    assert vault.locked and vault.database is None and not any(master)


def test_removing_the_newest_audit_entries_is_found_through_the_key_file(
    vault: Vault, db_path: Path
) -> None:
    from app.services.privacy import audit

    assert vault.database is not None
    with vault.database.sessions() as session:
        write_ayse(session, vault.counsellor_id)
    vault.lock()  # the key file now holds the newest entry: the trail's anchor
    assert KeyFile.load(key_file_for(db_path)).audit_anchor is not None
    vault.unlock("anna", PASSWORD, LoginThrottle())  # a sign-in entry, anchored too
    anchor = KeyFile.load(key_file_for(db_path)).audit_anchor
    assert anchor is not None and anchor[0] == 3
    assert vault.database is not None
    with vault.database.engine.begin() as conn:  # someone with the key cuts the tail off
        conn.execute(text("DELETE FROM audit_entries WHERE id >= :n"), {"n": anchor[0] - 1})
    with vault.database.engine.connect() as conn:
        assert audit.verify(conn) == []  # the shorter chain alone looks whole
        problems = audit.verify(conn, KeyFile.load(key_file_for(db_path)).audit_anchor)
    assert len(problems) == 1 and "the newest entries were removed" in problems[0]
