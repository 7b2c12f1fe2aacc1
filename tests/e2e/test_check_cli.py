"""`traject check` reports, never crashes: a byte flipped at any of several places of a plain or
an encrypted database gives sentences and exit 1 (or, on a plain file where the byte was in
unused space, a clean bill), never a traceback; on an encrypted file every flip is found by
SQLCipher's page check, even one in the first page, which a sign-in cannot get past."""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
from pathlib import Path

import pytest

from app.db import open_database
from app.services.demo import generator as demo
from app.services.privacy.keyfile import KdfParams, key_file_for
from app.services.privacy.vault import create as create_vault
from tests.e2e.test_cli import traject

pytestmark = pytest.mark.slow
PASSWORD = "a long enough password"
PLACES = (0.02, 0.2, 0.4, 0.6, 0.8, 0.98)  # where in the file, as a share of its size
PAGE = 4096


def _flipped(source: Path, folder: Path, place: float, *, page_start: bool = False) -> Path:
    """A copy of `source` with one byte flipped at `place`, or at the start of the page there
    (a plain file's page header: SQLite then finds the page damaged wherever it reads it)."""
    folder.mkdir()
    copy = folder / source.name
    shutil.copy(source, copy)
    if key_file_for(source).exists():
        shutil.copy(key_file_for(source), key_file_for(copy))
    offset = int(copy.stat().st_size * place)
    if page_start:
        offset -= offset % PAGE
    with copy.open("r+b") as handle:
        handle.seek(offset)
        byte = handle.read(1)[0]
        handle.seek(offset)
        handle.write(bytes([byte ^ 0xFF]))
    return copy


def _reported(result: subprocess.CompletedProcess[str]) -> list[str]:
    """The problems `check` printed, each a sentence, and the exit code that goes with them."""
    assert "Traceback" not in result.stdout + result.stderr
    assert result.returncode in (0, 1), result.stderr
    problems = [line for line in result.stdout.splitlines() if line.startswith("Problem: ")]
    assert all(line.endswith(".") for line in problems), problems
    assert (result.returncode == 1) == bool(problems)
    assert result.stdout.rstrip().endswith("Check: problems found" if problems else "Check: ok")
    return problems


def test_check_reports_a_flipped_byte_in_a_plain_database(tmp_path: Path) -> None:
    path = tmp_path / "plain.db"
    database = open_database(f"sqlite:///{path}")
    with database.sessions() as session:
        demo.generate(session, 300, seed=3, today=dt.date(2026, 11, 1))
        session.commit()
    database.close()
    for place in PLACES:
        copy = _flipped(path, tmp_path / f"at-{place}", place, page_start=True)
        result = traject("check", "--db", f"sqlite:///{copy}")
        assert _reported(result) and result.returncode == 1, (place, result.stdout)
    value = _flipped(path, tmp_path / "in-a-value", 0.5)  # SQLite cannot see every flip
    _reported(traject("check", "--db", f"sqlite:///{value}"))


def test_check_finds_every_flipped_byte_in_an_encrypted_database(tmp_path: Path) -> None:
    path = tmp_path / "enc" / "traject.db"
    path.parent.mkdir()
    vault, _recovery = create_vault(path, organisation="Werkwinkel Gent", login="ada",
                                    full_name="Ada Admin", password=PASSWORD,
                                    params=KdfParams(time_cost=1, memory_cost=1024, parallelism=1))  # fmt: skip
    assert vault.database is not None
    with vault.database.sessions() as session:
        demo.generate(session, 100, seed=3, today=dt.date(2026, 11, 1))
        session.commit()
    vault.lock()
    env = {"TRAJECT_USER": "ada", "TRAJECT_PASSWORD": PASSWORD}
    for place in (0.0001, *PLACES):  # 0.0001: the first page
        copy = _flipped(path, tmp_path / f"at-{place}", place)
        result = traject("check", "--db", str(copy), env=env)
        problems = _reported(result)
        assert result.returncode == 1, (place, result.stdout)
        assert any("of the encrypted file was changed or damaged" in p for p in problems), problems
        assert problems[-1] == (
            "Problem: The file is damaged: restore the newest good backup with “traject restore”."
        )
    healthy = traject("check", "--db", str(path), env=env)
    assert healthy.returncode == 0, healthy.stdout
