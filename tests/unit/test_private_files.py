"""The one atomic-write helper: whole or nothing, 0600, no temporary file left behind."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from app.private_files import atomic_write, leftovers, private_folder, write_bytes, write_text


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.skipif(os.name != "posix", reason="POSIX modes")
def test_a_written_file_is_the_users_alone_in_a_private_folder(tmp_path: Path) -> None:
    folder = private_folder(tmp_path / "a" / "b")
    target = folder / "client.json"
    write_text(target, "Jérôme")
    assert target.read_text(encoding="utf-8") == "Jérôme"
    assert _mode(target) == 0o600
    assert _mode(folder) == 0o700


def test_a_failure_midway_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "export.csv"
    write_bytes(target, b"old")
    with pytest.raises(OSError, match="disk full"), atomic_write(target) as handle:
        handle.write(b"half of the new")
        raise OSError("disk full")
    assert target.read_bytes() == b"old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.csv"]


def test_replacing_keeps_no_trace_of_the_old_mode(tmp_path: Path) -> None:
    target = tmp_path / "open.txt"
    target.write_text("x")
    target.chmod(0o644)
    write_text(target, "y")
    assert target.read_text() == "y"
    if os.name == "posix":
        assert _mode(target) == 0o600


def test_a_file_that_fails_its_check_does_not_replace_the_old_one(tmp_path: Path) -> None:
    target = tmp_path / "backup.zip"
    target.write_bytes(b"the old backup")
    seen: list[bytes] = []

    def refuse(written: Path) -> None:
        seen.append(written.read_bytes())  # read back under its temporary name
        raise ValueError("not a backup")

    with (
        pytest.raises(ValueError, match="not a backup"),
        atomic_write(target, verify=refuse) as out,
    ):
        out.write(b"a torn backup")
    assert seen == [b"a torn backup"]
    assert target.read_bytes() == b"the old backup"
    assert leftovers(target) == []
    with atomic_write(target, verify=lambda written: written.stat()) as out:
        out.write(b"the new backup")
    assert target.read_bytes() == b"the new backup"


def test_leftovers_are_what_a_killed_write_leaves(tmp_path: Path) -> None:
    killed = tmp_path / ".caseload[1].db.x1y2.part"  # a name with glob characters
    killed.write_bytes(b"")
    (tmp_path / ".other.db.x1y2.part").write_bytes(b"")
    assert leftovers(tmp_path / "caseload[1].db") == [killed]
