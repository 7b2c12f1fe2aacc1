"""Two processes writing at once, as a window and a command (or an import) do on one file:
opening client files and adding clients never collide on an audit id, a client id or a
dossier number, and the audit chain stays whole. Real processes, not threads."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from sqlalchemy import select

from app.db import open_database
from app.models import Counsellor
from app.services.caseload import clients, counsellors
from app.services.privacy import audit
from tests.helpers import actor

ACTIONS = 300

pytestmark = pytest.mark.slow


def _act(url: str, login: str, work: str, client_id: int | None,
         start: multiprocessing.synchronize.Event,  # type: ignore[name-defined]
         failures: multiprocessing.Queue) -> None:  # type: ignore[type-arg]  # fmt: skip
    """One process: `work` is "open" (open a client's file) or "add" (add a client), once per
    user action, each in a session of its own; failures are counted, not raised."""
    database = open_database(url, create=False)
    with database.sessions() as session:
        who = actor(session.scalars(select(Counsellor).where(Counsellor.login == login)).one())
    start.wait()
    failed = 0
    for number in range(ACTIONS if work == "open" else ACTIONS // 3):
        with database.sessions() as session:
            try:
                if work == "open":
                    assert client_id is not None
                    clients.open_file(session, client_id, actor=who)
                else:
                    clients.create_client(session, {"given_name": f"Nour {number}", "family_name": login},
                                          actor=who, referent_id=who.counsellor_id)  # fmt: skip
                session.commit()
            except Exception:
                failed += 1
    failures.put(failed)
    database.close()


def _race(url: str, work: str, client_ids: dict[str, int | None]) -> list[int]:
    """Both counsellors' processes start at the same moment; their failure counts."""
    context = multiprocessing.get_context("spawn")
    start, failures = context.Event(), context.Queue()
    workers = [context.Process(target=_act, args=(url, login, work, client_id, start, failures))
               for login, client_id in client_ids.items()]  # fmt: skip
    for process in workers:
        process.start()
    start.set()
    failed = [failures.get(timeout=300) for _ in workers]
    for process in workers:
        process.join()
    return failed


def _team(url: str, *, with_clients: bool) -> dict[str, int | None]:
    database = open_database(url)
    ids: dict[str, int | None] = {}
    with database.sessions() as session:
        for login in ("anna", "bart"):
            person = counsellors.create_counsellor(session, login=login, full_name=login.title())
            session.flush()
            ids[login] = None
            if with_clients:
                ids[login] = clients.create_client(
                    session, {"given_name": "Nour", "family_name": "El Amrani"},
                    actor=actor(person), referent_id=person.id).id  # fmt: skip
        session.commit()
    database.close()
    return ids


def _chain_problems(url: str) -> tuple[list[str], int]:
    database = open_database(url, create=False)
    with database.engine.connect() as conn:
        found = audit.verify(conn), audit.count(conn)
    database.close()
    return found


def test_two_processes_opening_files_never_collide_in_the_audit_trail(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'traject.db'}"
    assert _race(url, "open", _team(url, with_clients=True)) == [0, 0]
    problems, entries = _chain_problems(url)
    assert problems == [] and entries >= 2 * ACTIONS


def test_two_processes_adding_clients_never_collide_on_id_or_dossier(tmp_path: Path) -> None:
    """The next id and dossier number were read before the write began: an import in one
    process and a new client in another failed on a unique key."""
    url = f"sqlite:///{tmp_path / 'traject.db'}"
    assert _race(url, "add", _team(url, with_clients=False)) == [0, 0]
    problems, _entries = _chain_problems(url)
    assert problems == []
