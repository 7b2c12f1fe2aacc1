"""`traject import`, `traject backup` and `traject restore` as a counsellor runs them: exit code
3 with every refused row listed, a dry run that changes nothing, 1 for an unreadable file; a
backup restored into a fresh folder with the same rows, a damaged one refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from app.db import open_database
from app.models import Client
from app.services import counsellors, org_settings
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


def test_backup_and_restore_into_a_fresh_folder(url: str, tmp_path: Path) -> None:
    assert traject("demo", "--clients", "200", "--db", url).returncode == 0
    archive = tmp_path / "caseload.trajectbackup"
    made = traject("backup", str(archive), "--db", url, env=AS_ANA)
    assert made.returncode == 0, made.stderr
    assert "200 clients, schema 0008" in made.stdout

    fresh = tmp_path / "fresh"
    fresh.mkdir()
    fresh_url = f"sqlite:///{fresh / 'caseload.db'}"
    restored = traject("restore", str(archive), "--db", fresh_url, "--backup-folder",
                       str(tmp_path / "auto"))  # fmt: skip
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
