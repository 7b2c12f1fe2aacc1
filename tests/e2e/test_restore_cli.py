"""`traject restore` as an administrator runs it, in real processes: refused while another
process has the database open (whose edits are then kept), refused to anyone but an
administrator, and a plain backup refused over an encrypted database; each with one line on
stderr, exit 1, no traceback and nothing changed."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess
from pathlib import Path

import pytest

from app.db import open_database
from app.db_files import companions
from app.models.enums import CounsellorRole
from app.services.caseload import counsellors
from app.services.demo import generator as demo
from app.services.privacy.keyfile import KdfParams, key_file_for
from app.services.privacy.vault import create as create_vault
from app.services.reliability import backups
from tests.e2e.test_cli import traject
from tests.unit.restore_child import CHILD, ROOT, held_settings

pytestmark = pytest.mark.slow
AS_ADA = {"TRAJECT_USER": "ada"}


@pytest.fixture
def caseload(tmp_path: Path) -> Path:
    path = tmp_path / "caseload.db"
    database = open_database(f"sqlite:///{path}")
    with database.sessions() as session:
        counsellors.create_counsellor(session, login="ada", full_name="Ada Admin",
                                      role=CounsellorRole.ADMIN)  # fmt: skip
        counsellors.create_counsellor(session, login="cleo", full_name="Cleo Counsellor")
        demo.generate(session, 15, seed=8, today=dt.date(2026, 11, 1))
        session.commit()
    database.close()
    return path


@pytest.fixture
def archive(caseload: Path, tmp_path: Path) -> Path:
    target = tmp_path / "caseload.trajectbackup"
    made = traject("backup", str(target), "--db", f"sqlite:///{caseload}", env=AS_ADA)
    assert made.returncode == 0, made.stderr
    return target


def _digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        digest.update(path.read_bytes() if path.exists() else b"-")
    return digest.hexdigest()


def _refused(result: subprocess.CompletedProcess[str], message: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout
    assert len(result.stderr.strip().splitlines()) == 1


def test_restore_is_refused_while_the_window_has_the_database_open(
    caseload: Path, archive: Path, tmp_path: Path
) -> None:
    url = f"sqlite:///{caseload}"
    window = subprocess.Popen([*CHILD, "hold", url], cwd=ROOT, text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE)  # fmt: skip
    assert window.stdin is not None and window.stdout is not None
    try:
        assert window.stdout.readline().strip() == "open"
        before = _digest(companions(caseload))
        refused = traject("restore", str(archive), "--db", url, "--backup-folder",
                          str(tmp_path / "auto"), env=AS_ADA)  # fmt: skip
        _refused(refused, "is open in Traject or another command; close it and try again.")
        assert _digest(companions(caseload)) == before
        for _edit in range(3):
            window.stdin.write("edit\n")
            window.stdin.flush()
            assert window.stdout.readline().strip() == "saved"
        window.stdin.write("close\n")
        window.stdin.flush()
        assert window.wait(timeout=30) == 0
    finally:
        window.kill()
        window.wait()
        window.stdin.close()
        window.stdout.close()
    assert held_settings(caseload) == ["held.1", "held.2", "held.3"]  # the 3 edits are kept
    assert not (tmp_path / "auto").exists()

    done = traject("restore", str(archive), "--db", url, "--backup-folder",
                   str(tmp_path / "auto"), env=AS_ADA)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert held_settings(caseload) == []


def test_restore_is_for_administrators_only(caseload: Path, archive: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{caseload}"
    before = _digest(companions(caseload))
    nobody = traject("restore", str(archive), "--db", url)
    _refused(nobody, "Set TRAJECT_USER to the login of the administrator who restores.")
    counsellor = traject("restore", str(archive), "--db", url, env={"TRAJECT_USER": "cleo"})
    _refused(counsellor, "Only an administrator can restore a backup, and “cleo” is not one")
    assert _digest(companions(caseload)) == before
    folder = tmp_path / "auto"
    admin = traject("restore", str(archive), "--db", url, "--backup-folder", str(folder),
                    env=AS_ADA)  # fmt: skip
    assert admin.returncode == 0, admin.stderr
    assert "Restored the backup from" in admin.stdout
    (kept,) = folder.glob("*before-restore*")
    assert kept.stat().st_mode & 0o077 == 0


def test_a_plain_backup_over_an_encrypted_database_is_refused(
    archive: Path, tmp_path: Path
) -> None:
    path = tmp_path / "enc" / "traject.db"
    path.parent.mkdir()
    vault, _recovery = create_vault(path, organisation="Werkwinkel Gent", login="ada",
                                    full_name="Ada Admin", password="a long enough password",
                                    params=KdfParams(time_cost=1, memory_cost=1024, parallelism=1))  # fmt: skip
    vault.lock()
    files = [*companions(path), key_file_for(path)]
    before = _digest(files)
    env = {**AS_ADA, "TRAJECT_PASSWORD": "a long enough password"}
    refused = traject("restore", str(archive), "--db", str(path), env=env)
    _refused(refused, "This backup is not encrypted; it can only be restored to a plain test")
    assert _digest(files) == before
    assert backups.verify(archive).encrypted is False
