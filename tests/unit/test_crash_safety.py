"""Crash safety: a process killed with SIGKILL loses no commit it reported and leaves a whole
database; a flipped byte anywhere in an encrypted database is found at open or check, and the
latest good backup is offered."""

from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.orm import Session

from app.db import DatabaseError, open_database
from app.db_files import Damaged, check_file
from app.models import Assignment, AuditEntry, Client
from app.services.demo import generator as demo
from app.services.privacy.keyfile import KdfParams
from app.services.privacy.vault import create as create_vault
from app.services.reliability import backups
from app.services.reliability.startup_check import check_at_start

ROOT = Path(__file__).resolve().parents[2]
RUNS = 20
FLIPS = 50


@pytest.mark.slow
def test_killed_while_writing_keeps_every_reported_commit(tmp_path: Path) -> None:
    chance = random.Random(20261123)
    for run in range(RUNS):
        path = tmp_path / f"killed-{run}.db"
        url = f"sqlite:///{path}"
        child = subprocess.Popen([sys.executable, "-m", "tests.unit.commit_child", url, "1000"],
                                 stdout=subprocess.PIPE, text=True, cwd=ROOT)  # fmt: skip
        assert child.stdout is not None
        reported = []
        kill_after = chance.randint(1, 300)
        while len(reported) < kill_after:
            line = child.stdout.readline()
            if not line:
                break
            reported.append(line.strip())
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        child.stdout.close()
        assert child.returncode == -signal.SIGKILL and len(reported) == kill_after, run
        engine = create_engine(url)
        with Session(engine) as session:
            assert session.execute(text("PRAGMA integrity_check")).scalars().all() == ["ok"]
            stored = set(session.scalars(select(Client.dossier)))
            assert set(reported) <= stored, run
            # never half a client: each one has its referent and its audit entry
            ids = set(session.scalars(select(Client.id)))
            assert ids == set(session.scalars(select(Assignment.client_id)))
            assert ids == set(
                session.scalars(
                    select(AuditEntry.client_id).where(AuditEntry.client_id.is_not(None))
                )
            )
        engine.dispose()


@pytest.fixture(scope="module")
def encrypted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytearray, Path]:
    folder = tmp_path_factory.mktemp("encrypted")
    path = folder / "traject.db"
    vault, _recovery = create_vault(path, organisation="Werkwinkel Gent", login="anna",
                                    full_name="Anna Aerts", password="a long enough password",
                                    params=KdfParams(time_cost=1, memory_cost=1024, parallelism=1))  # fmt: skip
    assert vault.database is not None
    with vault.database.sessions() as session:
        demo.generate(session, 120, seed=4, today=dt.date(2026, 11, 1))
        session.commit()
    key = vault.copy_key()
    backup_folder = folder / "backups"
    backup_folder.mkdir()
    backups.create(path, key, backup_folder / backups.auto_name("auto"))
    vault.lock()
    return path, key, backup_folder


@pytest.mark.slow
def test_a_flipped_byte_anywhere_is_found_and_a_backup_offered(
    encrypted: tuple[Path, bytearray, Path], tmp_path: Path
) -> None:
    path, key, backup_folder = encrypted
    size = path.stat().st_size
    pages = size // 4096
    chance = random.Random(7)
    where_found = {"open": 0, "check": 0}
    for flip in range(FLIPS):
        copy = tmp_path / f"flipped-{flip}.db"
        shutil.copy(path, copy)
        offset = chance.randrange(pages) * 4096 + chance.randrange(4096)
        with copy.open("r+b") as handle:
            handle.seek(offset)
            byte = handle.read(1)[0]
            handle.seek(offset)
            handle.write(bytes([byte ^ (1 << chance.randrange(8))]))
        try:
            database = open_database(f"sqlite+pysqlcipher:///{copy}", key=key, create=False)
        except DatabaseError:
            where_found["open"] += 1
        else:
            database.close()
            with pytest.raises(Damaged):
                check_file(copy, key)
            where_found["check"] += 1
        health = check_at_start(copy, key, backup_folder)
        assert not health.ok and health.offer is not None, (flip, offset)
        copy.unlink()
    assert sum(where_found.values()) == FLIPS
