"""A restore cannot silently undo work: it is refused while any process has the database open
(and nobody opens it while a restore runs), it is for administrators only, it refuses a backup
of the other kind (encrypted or not), and a kill at any instant leaves the old or the new
database at the path, never none and never the new file mixed with the old write-ahead log."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from app import db_lock
from app.db import DatabaseError, open_database
from app.db_files import check_file, companions
from app.models import Client, Counsellor
from app.models.enums import CounsellorRole
from app.services.caseload import clients, counsellors
from app.services.demo import generator as demo
from app.services.privacy.keyfile import KdfParams, key_file_for
from app.services.privacy.vault import create as create_vault
from app.services.reliability import backups
from app.services.reliability.backups import BackupError
from tests.helpers import actor
from tests.unit.restore_child import CHILD, ROOT, held_settings

FAST = KdfParams(time_cost=1, memory_cost=1024, parallelism=1)
PASSWORD = "a long enough password"


def _make_caseload(path: Path, clients: int = 20) -> None:
    database = open_database(f"sqlite:///{path}")
    with database.sessions() as session:
        counsellors.create_counsellor(session, login="ada", full_name="Ada Admin",
                                      role=CounsellorRole.ADMIN)  # fmt: skip
        counsellors.create_counsellor(session, login="cleo", full_name="Cleo Counsellor")
        demo.generate(session, clients, seed=5, today=dt.date(2026, 11, 1))
        session.commit()
    database.close()


@pytest.fixture
def caseload(tmp_path: Path) -> Path:
    path = tmp_path / "live" / "traject.db"
    path.parent.mkdir()
    _make_caseload(path)
    return path


@pytest.fixture
def archive(caseload: Path, tmp_path: Path) -> Path:
    target = tmp_path / "b.trajectbackup"
    backups.create(caseload, None, target)
    return target


def _dossiers(path: Path) -> set[str]:
    engine = create_engine(f"sqlite:///{path}")
    with Session(engine) as session:
        found = set(session.scalars(select(Client.dossier)))
    engine.dispose()
    return found


def _digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes() if path.exists() else b"-")
    return digest.hexdigest()


def _working_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.fixture
def holder(caseload: Path) -> Iterator[subprocess.Popen[str]]:
    """Another process with the database open, as the window has it."""
    child = subprocess.Popen([*CHILD, "hold", f"sqlite:///{caseload}"], cwd=ROOT, text=True,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE)  # fmt: skip
    assert child.stdout is not None and child.stdin is not None
    assert child.stdout.readline().strip() == "open"
    yield child
    child.kill()
    child.wait()
    child.stdin.close()
    child.stdout.close()


@pytest.mark.slow
def test_a_restore_is_refused_while_another_process_has_the_database_open(
    caseload: Path, archive: Path, holder: subprocess.Popen[str]
) -> None:
    before = _digest(companions(caseload))
    with pytest.raises(BackupError, match="is open in Traject or another command; close it"):
        backups.restore(archive, caseload, login="ada")
    assert holder.stdin is not None and holder.stdout is not None
    for _edit in range(3):  # the edits the other process makes next are kept
        holder.stdin.write("edit\n")
        holder.stdin.flush()
        assert holder.stdout.readline().strip() == "saved"
    holder.stdin.write("close\n")
    holder.stdin.flush()
    assert holder.wait(timeout=30) == 0
    assert before != _digest(companions(caseload))
    assert held_settings(caseload) == ["held.1", "held.2", "held.3"]
    assert _working_files(caseload.parent) == []

    backups.restore(archive, caseload, login="ada")  # closed now: the restore goes ahead
    assert held_settings(caseload) == []


def test_a_restore_waits_for_this_process_to_close_its_own_database(
    caseload: Path, archive: Path
) -> None:
    database = open_database(f"sqlite:///{caseload}")
    with pytest.raises(BackupError, match="is open in Traject or another command"):
        backups.restore(archive, caseload, login="ada")
    database.close()  # what the window does before it restores
    restored = backups.restore(archive, caseload, login="ada")
    assert restored.manifest.tables["clients"] == 20
    database.close()  # closing twice lets go of nothing more


@pytest.mark.slow
def test_nobody_opens_the_database_while_a_restore_holds_it(caseload: Path) -> None:
    url = f"sqlite:///{caseload}"
    with db_lock.exclusive(caseload):
        other = subprocess.run([*CHILD, "open", url], cwd=ROOT, capture_output=True, text=True,
                               timeout=60, check=True)  # fmt: skip
        assert "Traject is replacing" in other.stdout
        with pytest.raises(DatabaseError, match="Traject is replacing"):
            open_database(url)
    after = subprocess.run([*CHILD, "open", url], cwd=ROOT, capture_output=True, text=True,
                           timeout=60, check=True)  # fmt: skip
    assert after.stdout.strip() == "opened"


def _set_role(path: Path, login: str, role: CounsellorRole) -> None:
    database = open_database(f"sqlite:///{path}")
    with database.sessions() as session:
        person = session.scalar(select(Counsellor).where(Counsellor.login == login))
        assert person is not None
        person.role = role
        session.commit()
    database.close()


def test_only_an_administrator_restores(caseload: Path, archive: Path, tmp_path: Path) -> None:
    _set_role(caseload, "cleo", CounsellorRole.TEAM_LEAD)  # not an administrator either
    before = _digest(companions(caseload))
    with pytest.raises(BackupError, match="“cleo” is not one in this backup"):
        backups.restore(archive, caseload, login="cleo", backup_folder=tmp_path / "auto")
    assert _digest(companions(caseload)) == before
    _set_role(caseload, "ada", CounsellorRole.COUNSELLOR)  # an administrator no longer
    before = _digest(companions(caseload))
    with pytest.raises(BackupError, match="“ada” is not one in the current database"):
        backups.restore(archive, caseload, login="ada", backup_folder=tmp_path / "auto")
    assert _digest(companions(caseload)) == before
    assert _working_files(caseload.parent) == []
    assert not (tmp_path / "auto").exists()

    fresh = tmp_path / "new-laptop" / "traject.db"  # no current database: the backup decides
    fresh.parent.mkdir()
    with pytest.raises(BackupError, match="“nobody” is not one in this backup"):
        backups.restore(archive, fresh, login="nobody")
    assert not fresh.exists()
    backups.restore(archive, fresh, login="ADA ")
    assert len(_dossiers(fresh)) == 20


@pytest.fixture
def encrypted(tmp_path: Path) -> Path:
    path = tmp_path / "enc" / "traject.db"
    path.parent.mkdir()
    vault, _recovery = create_vault(path, organisation="Werkwinkel Gent", login="ada",
                                    full_name="Ada Admin", password=PASSWORD, params=FAST)  # fmt: skip
    vault.lock()
    return path


def test_a_backup_is_restored_only_over_a_database_of_its_own_kind(
    encrypted: Path, caseload: Path, archive: Path, tmp_path: Path
) -> None:
    files = [*companions(encrypted), key_file_for(encrypted)]
    before = _digest(files)
    with pytest.raises(BackupError, match="This backup is not encrypted and the database at"):
        backups.restore(archive, encrypted, login="ada")
    assert _digest(files) == before

    from app.services.privacy.login_throttle import LoginThrottle
    from app.services.privacy.vault import sign_in

    vault = sign_in(encrypted, "ada", PASSWORD, LoginThrottle())
    encrypted_archive = tmp_path / "enc.trajectbackup"
    backups.create(encrypted, vault.copy_key(), encrypted_archive)
    vault.lock()
    before = _digest(companions(caseload))
    with pytest.raises(BackupError, match="This backup is encrypted and the database at"):
        backups.restore(encrypted_archive, caseload, lambda keys: keys.unlock("ada", PASSWORD),
                        login="ada")  # fmt: skip
    assert _digest(companions(caseload)) == before
    assert _working_files(caseload.parent) == []


def _whole(path: Path, expected: list[set[str]], run: str) -> None:
    assert path.exists(), run
    check_file(path, None, quick=False)
    assert _dossiers(path) in expected, run


def _restore_child(archive: Path, path: Path, step: int) -> subprocess.Popen[str]:
    """Without a login to check, nothing reads (and so folds) the old log before the swap."""
    return subprocess.Popen([*CHILD, "restore", str(archive), str(path), str(step), "-"],
                            cwd=ROOT, stdout=subprocess.PIPE, text=True)  # fmt: skip


@pytest.mark.slow
def test_a_kill_at_any_instant_of_a_restore_leaves_the_old_or_the_new_database(
    caseload: Path, archive: Path, tmp_path: Path
) -> None:
    new = _dossiers(caseload)
    database = open_database(f"sqlite:///{caseload}")  # work done since the backup
    with database.sessions() as session:
        ada = session.scalar(select(Counsellor).where(Counsellor.login == "ada"))
        assert ada is not None
        for number in range(40):
            clients.create_client(session, {"given_name": f"Later {number}", "family_name": "Na"},
                                  actor=actor(ada), referent_id=ada.id)  # fmt: skip
        session.commit()
    database.close()
    # The current database has commits still in its write-ahead log, as a process killed
    # while writing leaves it: the new file must never be read with that log.
    writer = subprocess.Popen([sys.executable, "-m", "tests.unit.commit_child",
                               f"sqlite:///{caseload}", "1000"], stdout=subprocess.PIPE,
                              text=True, cwd=ROOT)  # fmt: skip
    assert writer.stdout is not None
    reported = [writer.stdout.readline().strip() for _ in range(30)]
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait()
    writer.stdout.close()
    template = tmp_path / "template"
    template.mkdir()
    for file in companions(caseload):
        assert file.exists() or file.name.endswith("-shm"), file
        if file.exists():
            shutil.copy(file, template / file.name)
    peek = tmp_path / "peek"
    shutil.copytree(template, peek)
    old = _dossiers(peek / "traject.db")
    assert set(reported) <= old and old != new

    def fresh_run(name: str) -> Path:
        folder = tmp_path / name
        shutil.copytree(template, folder)
        return folder / "traject.db"

    counted = _restore_child(archive, fresh_run("count"), -1)
    out, _err = counted.communicate(timeout=120)
    assert counted.returncode == 0
    steps = int(out)
    assert steps >= 2  # at least the second name and the rename into place
    runs: list[tuple[str, int | None, float | None]] = [
        (f"step-{n}", n, None) for n in range(steps)
    ]
    chance = random.Random(2026)
    runs += [(f"kill-{n}", None, chance.uniform(0.3, 2.5)) for n in range(8)]
    for name, step, delay in runs:
        path = fresh_run(name)
        child = _restore_child(archive, path, -1 if step is None else step)
        if delay is not None:
            time.sleep(delay)
            child.send_signal(signal.SIGKILL)
        child.communicate(timeout=120)
        assert child.returncode in ((99,) if delay is None else (0, -signal.SIGKILL)), name
        _whole(path, [old, new], name)
        backups.restore(archive, path, login="ada")  # the kill's lock went with the process
        _whole(path, [new], name)
        assert _working_files(path.parent) == [], name


@pytest.mark.slow
def test_a_kill_between_the_renames_of_an_encrypted_restore_leaves_an_openable_caseload(
    encrypted: Path, tmp_path: Path
) -> None:
    from app.services.privacy.login_throttle import LoginThrottle
    from app.services.privacy.vault import sign_in

    vault = sign_in(encrypted, "ada", PASSWORD, LoginThrottle())
    archive = tmp_path / "enc.trajectbackup"
    backups.create(encrypted, vault.copy_key(), archive)
    # a re-key since the backup: the backup's key file alone opens the restored file
    vault.change_password("ada", PASSWORD, FAST)
    vault.lock()
    steps = 0
    while True:
        child = subprocess.Popen([*CHILD, "restore", str(archive), str(encrypted), str(steps),
                                  "ada", PASSWORD], cwd=ROOT, stdout=subprocess.PIPE, text=True)  # fmt: skip
        out, _err = child.communicate(timeout=120)
        reopened = sign_in(encrypted, "ada", PASSWORD, LoginThrottle())  # whole, with its keys
        assert reopened.database is not None
        reopened.lock()
        if child.returncode == 0:
            assert int(out) <= steps  # the state a kill left may need fewer changes
            break
        assert child.returncode == 99
        steps += 1
    assert steps >= 3  # the database's second name, and the database and key file renamed
