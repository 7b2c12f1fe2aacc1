"""`traject import`, `traject backup` and `traject restore` as a counsellor runs them: exit code
3 with every refused row listed, a dry run that changes nothing, 1 for an unreadable file; a
long import that lets another process write meanwhile, a killed one that leaves nothing once
the next import runs, no guessed encoding, formula cells neutralised in what Traject writes; a
backup restored into a fresh folder with the same rows, a damaged one refused."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from app.db import HEAD_REVISION, open_database
from app.models import Client
from app.services import org_settings
from app.services.caseload import clients, counsellors
from app.services.privacy.access import Actor
from tests.e2e.test_cli import traject
from tests.unit.import_fixtures import counsellor_sheet

pytestmark = pytest.mark.slow
AS_ANA = {"TRAJECT_USER": "ana"}


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'caseload.db'}"
    database = open_database(url)
    with database.sessions() as session:
        counsellors.create_counsellor(session, login="ana", full_name="Ana Aerts")
        org_settings.put(session, org_settings.NATIONAL_NUMBER_ENABLED, "1")
        session.commit()
    database.close()
    return url


@pytest.fixture
def with_client(url: str) -> str:
    """Ana's first client (number 1), for another process to log a contact with."""
    database = open_database(url)
    with database.sessions() as session:
        ana = Actor.load(session, 1)
        clients.create_client(session, {"given_name": "Eerste", "family_name": "Cliënt"},
                              actor=ana, referent_id=ana.counsellor_id)  # fmt: skip
        session.commit()
    database.close()
    return url


def _clients(url: str) -> int:
    engine = create_engine(url)
    with Session(engine) as session:
        count = session.scalar(select(func.count()).select_from(Client)) or 0
    engine.dispose()
    return count


def test_import_a_counsellors_sheet(url: str, tmp_path: Path) -> None:
    sheet = tmp_path / "caseload.csv"
    sheet.write_bytes(counsellor_sheet())
    dry = traject("import", str(sheet), "--dry-run", "--db", url, env=AS_ANA)
    assert dry.returncode == 3, dry.stderr
    assert "5 of 12 rows would be imported" in dry.stdout and _clients(url) == 0

    report = tmp_path / "report.csv"
    done = traject("import", str(sheet), "--report", str(report), "--db", url, env=AS_ANA)
    assert done.returncode == 3, done.stderr
    assert "5 of 12 rows imported." in done.stdout and _clients(url) == 5
    for line in range(6, 13):
        assert f"line {line}:" in done.stdout
    assert "line 9: Date of birth: “31/02/1991” is not a date" in done.stdout
    lines = report.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == "Line;Column;Reason" and len(lines) == 8

    again = traject("import", str(sheet), "--db", url, env=AS_ANA)
    assert again.returncode == 3 and "0 of 12 rows imported." in again.stdout
    assert _clients(url) == 5

    good = tmp_path / "good.csv"
    good.write_text(
        "First name;Last name;Date of birth\nMira;Peeters;01/02/1990\n", encoding="utf-8"
    )
    assert traject("import", str(good), "--db", url, env=AS_ANA).returncode == 0
    (tmp_path / "broken.xlsx").write_bytes(b"not a workbook")
    unreadable = traject("import", str(tmp_path / "broken.xlsx"), "--db", url, env=AS_ANA)
    assert unreadable.returncode == 1 and "not a readable Excel workbook" in unreadable.stderr


WRITER = """
import sys, time
from app.db import open_database
from app.services.contact import contacts
from app.services.privacy.access import Actor
database = open_database(sys.argv[1], create=False)
with database.sessions() as session:
    start = time.perf_counter()
    contacts.log(session, Actor.load(session, 1), 1, channel="phone", outcome="reached")
    session.commit()
    print(f"{time.perf_counter() - start:.3f}")
database.close()
"""


def _names(path: Path, count: int) -> Path:
    lines = ["Voornaam;Achternaam;Geboortedatum;Gemeente"]
    lines += [f"Naam{i};Familie{i};01/02/1980;Gent" for i in range(count)]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _importing(url: str, sheet: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "TRAJECT_LANG": "en", **AS_ANA}
    return subprocess.Popen([sys.executable, "-m", "app.cli", "import", str(sheet), "--db", url],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)  # fmt: skip


def _until_clients_committed(url: str, importer: subprocess.Popen[str]) -> int:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and importer.poll() is None:
        if (count := _clients(url)) > 1:
            return count
        time.sleep(0.05)
    return _clients(url)


def test_another_process_writes_while_a_long_import_runs(with_client: str, tmp_path: Path) -> None:
    url = with_client
    importer = _importing(url, _names(tmp_path / "big.csv", 4000))
    try:
        seen = _until_clients_committed(url, importer)
        assert importer.poll() is None and seen > 1, "no batch was committed while importing"
        writer = subprocess.run([sys.executable, "-c", WRITER, url], capture_output=True,
                                text=True, timeout=60, check=False)  # fmt: skip
        assert writer.returncode == 0, writer.stderr
        assert importer.poll() is None, "the contact was only saved once the import had ended"
        assert float(writer.stdout) < 3.0  # waited one batch at most, not the whole import
        out, err = importer.communicate(timeout=300)
    finally:
        importer.kill()
    assert importer.returncode == 0, err
    assert "4000 of 4000 rows imported." in out and _clients(url) == 4001


def test_a_killed_import_is_removed_by_the_next_one(with_client: str, tmp_path: Path) -> None:
    url = with_client
    importer = _importing(url, _names(tmp_path / "big.csv", 3000))
    try:
        left = _until_clients_committed(url, importer)
    finally:
        importer.send_signal(signal.SIGKILL)
        importer.communicate()
    assert left > 1 and _clients(url) < 3001  # killed halfway, some batches committed
    good = tmp_path / "good.csv"
    good.write_text("First name;Last name\nMira;Peeters\n", encoding="utf-8")
    again = traject("import", str(good), "--db", url, env=AS_ANA)
    assert again.returncode == 0, again.stderr
    assert "left behind by an interrupted import were removed first." in again.stdout
    assert _clients(url) == 2


def test_no_guessed_encoding_and_no_runnable_formula_in_what_traject_writes(
    with_client: str, tmp_path: Path
) -> None:
    url = with_client
    sheet = tmp_path / "excel.csv"
    sheet.write_bytes(("Voornaam;Achternaam;GSM\r\nJérôme;Dubois;+32 470 12 34 56\r\n"
                       "=HYPERLINK(\"http://x.example\");Peeters;\r\n;Leeg;\r\n").encode("cp1252"))  # fmt: skip
    guessed = traject("import", str(sheet), "--db", url, env=AS_ANA)
    assert guessed.returncode == 1 and _clients(url) == 1
    assert "excel.csv, line 2, byte 2: 0xE9 is not UTF-8" in guessed.stderr
    assert "--encoding cp1252" in guessed.stderr
    wrong = traject("import", str(sheet), "--encoding", "klingon", "--db", url, env=AS_ANA)
    assert wrong.returncode == 1 and "--encoding: “klingon” is not a text encoding" in wrong.stderr
    report = tmp_path / "report.csv"
    done = traject("import", str(sheet), "--encoding", "cp1252", "--report", str(report),
                   "--referent", "ana", "--db", url, env=AS_ANA)  # fmt: skip
    assert done.returncode == 3, done.stderr
    assert 'line 3, warning: “=HYPERLINK("http://x.example")” starts with “=”' in done.stdout
    assert report.stat().st_mode & 0o777 == 0o600
    listed = traject("clients", "--format", "csv", "--db", url, env=AS_ANA).stdout
    assert ",Jérôme,Dubois," in listed
    assert ',"\'=HYPERLINK(""http://x.example"")",Peeters,' in listed


def test_backup_and_restore_into_a_fresh_folder(url: str, tmp_path: Path) -> None:
    assert traject("demo", "--clients", "200", "--db", url).returncode == 0
    from app.models.enums import CounsellorRole

    database = open_database(url)  # restoring is for administrators
    with database.sessions() as session:
        counsellors.create_counsellor(session, login="ada", full_name="Ada Admin",
                                      role=CounsellorRole.ADMIN)  # fmt: skip
        session.commit()
    database.close()
    archive = tmp_path / "caseload.trajectbackup"
    made = traject("backup", str(archive), "--db", url, env=AS_ANA)
    assert made.returncode == 0, made.stderr
    assert f"200 clients, schema {HEAD_REVISION}" in made.stdout

    fresh = tmp_path / "fresh"
    fresh.mkdir()
    fresh_url = f"sqlite:///{fresh / 'caseload.db'}"
    restored = traject("restore", str(archive), "--db", fresh_url, "--backup-folder",
                       str(tmp_path / "auto"), env={"TRAJECT_USER": "ada"})  # fmt: skip
    assert restored.returncode == 0, restored.stderr
    assert _clients(fresh_url) == 200
    check = traject("check", "--db", fresh_url)
    assert check.returncode == 0, check.stdout

    damaged = bytearray(archive.read_bytes())
    damaged[len(damaged) // 3] ^= 0xFF
    archive.write_bytes(bytes(damaged))
    before = (fresh / "caseload.db").read_bytes()
    refused = traject("restore", str(archive), "--db", fresh_url)
    assert refused.returncode == 1 and "damaged" in refused.stderr
    assert (fresh / "caseload.db").read_bytes() == before
