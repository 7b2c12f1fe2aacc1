"""The key file survives two processes writing it at once (sign-ins, locks, password changes):
it always loads, and every account still signs in. Real processes, not threads."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest

from app.services.privacy.keyfile import KdfParams, KeyFile, lock_file_for

FAST = KdfParams(time_cost=1, memory_cost=8, parallelism=1)
WRITES = 1000
PASSWORDS = {"anna": "anna's long password", "bart": "bart's long password"}

pytestmark = pytest.mark.slow


def _writer(path: str, login: str, start: multiprocessing.synchronize.Event) -> None:  # type: ignore[name-defined]
    keys = KeyFile.load(Path(path))
    start.wait()
    for i in range(WRITES):
        if i % 10 == 0:  # a sign-in: the slot is opened again (and becomes anchored)
            opened = keys.open_account(login, PASSWORDS[login])[0]
        elif i % 10 == 5:  # an administrator resets the password: a new key pair
            keys.set_password(login, PASSWORDS[login], opened.master, FAST)
            opened = keys.open_account(login, PASSWORDS[login])[0]
        # a sign-in or lock: the account's audit anchor moves on
        keys.record_anchor(login, opened, 2 * i + (login == "bart"), f"{i:064x}")


def test_two_processes_writing_the_key_file_never_break_it(tmp_path: Path) -> None:
    path = tmp_path / "caseload.keys"
    keys, master, _recovery = KeyFile.create(path, "OCMW", "anna", PASSWORDS["anna"], FAST)
    keys.set_password("bart", PASSWORDS["bart"], master, FAST)
    context = multiprocessing.get_context("spawn")
    start = context.Event()
    writers = [
        context.Process(target=_writer, args=(str(path), login, start)) for login in PASSWORDS
    ]
    for process in writers:
        process.start()
    start.set()
    loads = 0
    while any(p.is_alive() for p in writers):  # a reader meanwhile always finds a whole file
        KeyFile.load(path)
        loads += 1
    for process in writers:
        process.join()
        assert process.exitcode == 0
    final = KeyFile.load(path)
    for login, password in PASSWORDS.items():
        assert final.unlock(login, password) == master
        anchor = final.anchor_of(login)
        assert anchor is not None and anchor.entry_id >= 2 * (WRITES - 1)
    assert loads > 0
    leftovers = {p.name for p in tmp_path.glob("*caseload.keys*")} - {
        path.name,
        lock_file_for(path).name,
    }
    assert leftovers == set()
