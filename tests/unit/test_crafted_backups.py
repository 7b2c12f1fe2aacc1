"""A crafted backup is refused, with one clear message per case, before it writes or reads more
than Traject's own backups hold, and nothing is changed: a deflate bomb, a huge manifest, a
member that holds more than its header says, a database that does not fit on the disk."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import struct
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from app.db import open_database
from app.db_files import companions
from app.models.enums import CounsellorRole
from app.services.caseload import counsellors
from app.services.demo import generator as demo
from app.services.reliability import backup_archive, backups
from app.services.reliability.backups import BackupError

BOMB = 1 << 30  # what the deflate bomb unpacks to: 1 GiB of zeros in about 1 MB


@pytest.fixture
def caseload(tmp_path: Path) -> Path:
    path = tmp_path / "live" / "traject.db"
    path.parent.mkdir()
    database = open_database(f"sqlite:///{path}")
    with database.sessions() as session:
        counsellors.create_counsellor(session, login="ada", full_name="Ada Admin",
                                      role=CounsellorRole.ADMIN)  # fmt: skip
        demo.generate(session, 10, seed=1, today=dt.date(2026, 11, 1))
        session.commit()
    database.close()
    return path


def _state(database: Path) -> list[tuple[str, bytes]]:
    """Every file in the database's folder (but the lock file, which holds no data)."""
    return sorted((p.name, p.read_bytes()) for p in database.parent.iterdir()
                  if not p.name.endswith(".inuse"))  # fmt: skip


def _manifest(real: Path, **changes: object) -> bytes:
    manifest = json.loads(_raw_manifest(real))
    manifest.update(changes)
    return json.dumps(manifest).encode()


def _raw_manifest(archive: Path) -> str:
    with zipfile.ZipFile(archive) as zipped:
        return zipped.read("manifest.json").decode()


@pytest.mark.slow  # it makes and hashes 1 GiB
def test_a_deflate_bomb_is_refused_before_a_byte_is_written(caseload: Path, tmp_path: Path) -> None:
    real = tmp_path / "real.trajectbackup"
    backups.create(caseload, None, real)
    bomb = tmp_path / "bomb.trajectbackup"
    digest = hashlib.sha256()
    zeros = bytes(1 << 20)
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zipped:
        with zipped.open("traject.db", "w", force_zip64=True) as member:
            for _block in range(BOMB // len(zeros)):
                member.write(zeros)
                digest.update(zeros)
        # the checksum is right: only the size gives it away
        zipped.writestr("manifest.json", _manifest(real, sha256={"traject.db": digest.hexdigest()}))
    assert bomb.stat().st_size < 5_000_000
    before = _state(caseload)
    with pytest.raises(
        BackupError, match=r"traject\.db would unpack from .* to 1[ ,.]073[ ,.]7 MB"
    ):
        backups.restore(bomb, caseload, login="ada")
    with pytest.raises(BackupError, match="which Traject's backups never do"):
        backups.verify(bomb)
    assert _state(caseload) == before


def test_a_huge_manifest_is_refused_before_it_is_read(tmp_path: Path) -> None:
    huge = tmp_path / "huge.trajectbackup"
    size = 200 << 20
    with (
        zipfile.ZipFile(huge, "w", zipfile.ZIP_DEFLATED) as zipped,
        zipped.open("manifest.json", "w", force_zip64=True) as member,
    ):
        member.write(b'{"padding": "')
        for _block in range(size // (1 << 20)):
            member.write(b" " * (1 << 20))
        member.write(b'"}')
    tracemalloc.start()
    try:
        with pytest.raises(BackupError, match=r"manifest\.json would be 209\.7 MB, more than"):
            backups.verify(huge)
        _now, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 10_000_000


def _understate(archive: Path, member: str, size: int) -> None:
    """Rewrite the sizes the archive's headers give for `member` (local and central)."""
    data = bytearray(archive.read_bytes())
    name = member.encode()
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (at := data.find(signature, start)) >= 0:
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if data[name_at : name_at + len(name)] == name:
                data[at + offset : at + offset + 4] = struct.pack("<I", size)
            start = at + 4
    archive.write_bytes(bytes(data))


def test_a_member_that_holds_more_than_its_header_says_is_refused(
    caseload: Path, tmp_path: Path
) -> None:
    lying = tmp_path / "lying.trajectbackup"
    backups.create(caseload, None, lying)
    _understate(lying, "traject.db", 4096)
    with zipfile.ZipFile(lying) as zipped:
        assert zipped.getinfo("traject.db").file_size == 4096
    before = _state(caseload)
    with pytest.raises(BackupError, match="is damaged"):
        backups.restore(lying, caseload, login="ada")
    assert _state(caseload) == before


def test_while_reading_no_more_is_taken_than_the_header_declared(tmp_path: Path) -> None:
    archive = tmp_path / "stream.trajectbackup"
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("traject.keys", b"k" * 10_000)
    with zipfile.ZipFile(archive) as zipped:
        info = zipped.getinfo("traject.keys")
        info.file_size = 100  # what a lying directory entry says; the data runs on
        original_open = zipped.open

        def lax_open(*args: object, **kwargs: object):  # type: ignore[no-untyped-def]
            member = original_open(*args, **kwargs)  # type: ignore[arg-type]
            member._left = 10_000  # a reader that believes the data, not the header
            return member

        zipped.open = lax_open  # type: ignore[method-assign]
        with pytest.raises(BackupError, match="holds more than its header says"):
            b"".join(backup_archive.blocks(zipped, "traject.keys", archive))


def test_a_backup_that_does_not_fit_on_the_disk_is_refused(
    caseload: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "b.trajectbackup"
    backups.create(caseload, None, archive)
    before = _state(caseload)
    usage = backup_archive.shutil.disk_usage(caseload.parent)
    monkeypatch.setattr(backup_archive.shutil, "disk_usage",
                        lambda _folder: usage._replace(free=10_000_000))  # fmt: skip
    with pytest.raises(BackupError, match=r"needs .* MB of free space in .*; there is 10 MB"):
        backups.restore(archive, caseload, login="ada")
    assert _state(caseload) == before
    assert [f for f in companions(caseload) if f.exists()] == [caseload]
