"""Backups: consistent while the database is written, checked on the way in and out, restored
into a fresh folder with the same rows, refused when damaged or from a newer schema, rotated."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import text

from app.db import HEAD_REVISION, open_database
from app.db_files import check_file, companions
from app.models import Client
from app.services.demo import generator as demo
from app.services.privacy.keyfile import KdfParams, key_file_for
from app.services.privacy.vault import create as create_vault
from app.services.reliability import backup_rotation, backups
from app.services.reliability.backups import BackupError

FAST = KdfParams(time_cost=1, memory_cost=1024, parallelism=1)
PASSWORD = "a long enough password"


@pytest.fixture
def caseload(tmp_path: Path) -> Path:
    path = tmp_path / "live" / "traject.db"
    path.parent.mkdir()
    database = open_database(f"sqlite:///{path}")
    with database.sessions() as session:
        demo.generate(session, 150, seed=2, today=dt.date(2026, 11, 1))
        session.commit()
    database.close()
    return path


def _files(folder: Path) -> list[str]:
    """What is in `folder`, but for the "in use" lock file (`db_lock`), which holds no data."""
    return sorted(p.name for p in folder.iterdir() if not p.name.endswith(".inuse"))


def _digest(paths: list[Path]) -> str:
    digest = hashlib.sha256()
    for path in paths:
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def test_a_backup_taken_while_the_database_is_written_restores_the_same_rows(
    caseload: Path, tmp_path: Path
) -> None:
    database = open_database(f"sqlite:///{caseload}")
    stop = threading.Event()
    written = []

    def write() -> None:  # the app saving changes while the backup runs
        with database.engine.connect() as conn:
            while not stop.is_set():
                conn.execute(text("UPDATE clients SET given_name = given_name WHERE id = 1"))
                conn.execute(text("INSERT INTO org_settings (key, value, version) "
                                  "VALUES (:k, 'x', 1)"), {"k": f"bench.{len(written)}"})  # fmt: skip
                conn.commit()
                written.append(1)

    writer = threading.Thread(target=write)
    writer.start()
    while len(written) < 5 and writer.is_alive():
        stop.wait(0.01)
    steps: list[tuple[int, int]] = []
    try:
        manifest = backups.create(
            caseload, None, tmp_path / "b.trajectbackup", lambda d, t: steps.append((d, t))
        )
    finally:
        stop.set()
        writer.join()
    database.close()
    assert written and steps and steps[-1][0] == steps[-1][1]
    assert manifest.tables["clients"] == 150 and manifest.revision == HEAD_REVISION

    fresh = tmp_path / "fresh" / "traject.db"
    fresh.parent.mkdir()
    restored = backups.restore(tmp_path / "b.trajectbackup", fresh)
    assert restored.manifest == manifest and restored.set_aside == []
    assert check_file(fresh, None, quick=False) == manifest.tables
    with zipfile.ZipFile(tmp_path / "b.trajectbackup") as zipped:
        assert (
            hashlib.sha256(zipped.read("traject.db")).hexdigest() == manifest.sha256["traject.db"]
        )
    assert hashlib.sha256(fresh.read_bytes()).hexdigest() == manifest.sha256["traject.db"]
    assert fresh.stat().st_mode & 0o077 == 0


def test_a_corrupted_backup_is_refused_and_the_current_data_untouched(
    caseload: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "b.trajectbackup"
    backups.create(caseload, None, archive)
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0x01
    archive.write_bytes(bytes(data))
    before = _digest(companions(caseload))
    with pytest.raises(BackupError, match="damaged"):
        backups.restore(archive, caseload)
    assert _digest(companions(caseload)) == before
    assert _files(caseload.parent) == ["traject.db"]


def test_a_file_that_is_not_a_backup_is_named_as_such(tmp_path: Path) -> None:
    (tmp_path / "notes.trajectbackup").write_text("shopping list")
    with pytest.raises(BackupError, match="not a Traject backup"):
        backups.verify(tmp_path / "notes.trajectbackup")


def test_a_backup_from_a_newer_schema_is_refused(caseload: Path, tmp_path: Path) -> None:
    archive = tmp_path / "b.trajectbackup"
    backups.create(caseload, None, archive)
    newer = tmp_path / "newer.trajectbackup"
    with zipfile.ZipFile(archive) as old, zipfile.ZipFile(newer, "w") as new:
        for item in old.infolist():
            content = old.read(item)
            if item.filename == "manifest.json":
                content = content.replace(f'"{HEAD_REVISION}"'.encode(), b'"0042"').replace(
                    b'"0.1.0"', b'"2.0.0"'
                )
            new.writestr(item, content)
    with pytest.raises(BackupError, match=r"Traject 2\.0\.0") as err:
        backups.restore(newer, caseload)
    assert "0042" in str(err.value)


def test_a_failing_restore_puts_the_current_database_back(
    caseload: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "b.trajectbackup"
    backups.create(caseload, None, archive)
    before = _digest([caseload])
    original = Path.replace

    def full_disk(self: Path, target: Path) -> Path:
        if Path(target) == caseload and ".restoring" in self.name:
            raise OSError(28, "No space left on device")
        return original(self, target)

    monkeypatch.setattr(Path, "replace", full_disk)
    with pytest.raises(BackupError, match="No space left on device"):
        backups.restore(archive, caseload, backup_folder=tmp_path / "auto")
    monkeypatch.undo()
    assert _digest([caseload]) == before
    assert _files(caseload.parent) == ["traject.db"]


def test_an_encrypted_backup_keeps_its_key_file_and_needs_its_password(tmp_path: Path) -> None:
    path = tmp_path / "enc" / "traject.db"
    path.parent.mkdir()
    vault, _recovery = create_vault(path, organisation="Werkwinkel Gent", login="anna",
                                    full_name="Anna Aerts", password=PASSWORD, params=FAST)  # fmt: skip
    key = vault.copy_key()
    archive = tmp_path / "enc.trajectbackup"
    manifest = backups.create(path, key, archive)
    vault.lock()
    assert manifest.encrypted and set(manifest.sha256) == {"traject.db", "traject.keys"}
    with zipfile.ZipFile(archive) as zipped:
        assert b"SQLite format 3" not in zipped.read("traject.db")[:100]  # encrypted inside
    target = tmp_path / "new-laptop" / "traject.db"
    target.parent.mkdir()
    from app.services.privacy.keyfile import WrongCredentials

    with pytest.raises(WrongCredentials):
        backups.restore(archive, target, lambda keys: keys.unlock("anna", "not the password"))
    assert _files(target.parent) == []
    backups.restore(archive, target, lambda keys: keys.unlock("anna", PASSWORD))
    assert key_file_for(target).exists()
    from app.services.privacy.login_throttle import LoginThrottle
    from app.services.privacy.vault import sign_in

    reopened = sign_in(target, "anna", PASSWORD, LoginThrottle())
    assert reopened.database is not None
    with reopened.database.sessions() as session:
        assert session.query(Client).count() == 0
    reopened.lock()


def _touch_backups(folder: Path, days: int, per_day: int = 2) -> None:
    folder.mkdir(exist_ok=True)
    start = dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)
    for day in range(days):
        for n in range(per_day):
            moment = start - dt.timedelta(days=day, hours=3 * n)
            (folder / backups.auto_name("auto", moment)).write_bytes(b"x")


def test_rotation_keeps_seven_daily_and_four_weekly_backups(tmp_path: Path) -> None:
    folder = tmp_path / "auto"
    _touch_backups(folder, 60)
    (folder / "my own notes.txt").write_text("not Traject's")
    (folder / backups.auto_name("manual")).write_bytes(b"x")
    backup_rotation.rotate(folder)
    kept = [f.taken.date() for f in backup_rotation.found(folder) if f.automatic]
    assert kept[:7] == [dt.date(2026, 11, 23) - dt.timedelta(days=d) for d in range(7)]
    weekly = kept[7:]
    assert len(weekly) == 4 and len({d.isocalendar()[:2] for d in weekly}) == 4
    assert all(d < dt.date(2026, 11, 17) for d in weekly)
    assert (folder / "my own notes.txt").exists()
    assert len(list(folder.glob("*manual*"))) == 1


def test_a_backup_is_due_once_a_day(tmp_path: Path) -> None:
    folder = tmp_path / "auto"
    now = dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)
    assert backup_rotation.due(folder, now)
    (folder).mkdir()
    (folder / backups.auto_name("auto", now - dt.timedelta(hours=1))).write_bytes(b"x")
    assert not backup_rotation.due(folder, now)
    assert backup_rotation.due(folder, now + dt.timedelta(days=1))


def test_the_latest_good_backup_skips_a_damaged_newer_one(caseload: Path, tmp_path: Path) -> None:
    folder = tmp_path / "auto"
    folder.mkdir()
    now = dt.datetime.now(dt.UTC)
    good = folder / backups.auto_name("auto", now - dt.timedelta(days=1))
    backups.create(caseload, None, good)
    (folder / backups.auto_name("auto", now)).write_bytes(b"torn")
    latest = backup_rotation.latest_good(folder)
    assert latest is not None and latest[0] == good
