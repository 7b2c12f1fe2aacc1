"""Two processes opening client files at once both write their audit entries: no unique-id
failures, and the chain stays whole. Real processes on one database file."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

import pytest
from sqlalchemy import select

from app.db import open_database
from app.models import Counsellor
from app.services import audit, clients, counsellors
from tests.helpers import actor

ACTIONS = 300

pytestmark = pytest.mark.slow


def _open_files(
    url: str,
    login: str,
    client_id: int,
    start: multiprocessing.synchronize.Event,  # type: ignore[name-defined]
    failures: multiprocessing.Queue,
) -> None:  # type: ignore[type-arg]
    database = open_database(url, create=False)
    with database.sessions() as session:
        who = actor(session.scalars(select(Counsellor).where(Counsellor.login == login)).one())
    start.wait()
    failed = 0
    for _ in range(ACTIONS):  # one user action, one session
        with database.sessions() as session:
            try:
                clients.open_file(session, client_id, actor=who)
                session.commit()
            except Exception:  # counted, not raised: the parent reports how many
                failed += 1
    failures.put(failed)
    database.close()


def test_two_processes_opening_files_never_collide_in_the_audit_trail(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'traject.db'}"
    database = open_database(url)
    with database.sessions() as session:
        ids = []
        for login in ("anna", "bart"):
            person = counsellors.create_counsellor(session, login=login, full_name=login.title())
            session.flush()
            client = clients.create_client(session, {"given_name": "Nour", "family_name": "El Amrani"},
                                           actor=actor(person), referent_id=person.id)  # fmt: skip
            ids.append(client.id)
        session.commit()
    context = multiprocessing.get_context("spawn")
    start, failures = context.Event(), context.Queue()
    workers = [context.Process(target=_open_files, args=(url, login, client_id, start, failures))
               for login, client_id in zip(("anna", "bart"), ids, strict=True)]  # fmt: skip
    for process in workers:
        process.start()
    start.set()
    failed = [failures.get(timeout=300) for _ in workers]
    for process in workers:
        process.join()
    assert failed == [0, 0]
    with database.engine.connect() as conn:
        assert audit.verify(conn) == []
        assert audit.count(conn) >= 2 * ACTIONS
    database.close()


def _add_clients(
    url: str,
    login: str,
    start: multiprocessing.synchronize.Event,  # type: ignore[name-defined]
    failures: multiprocessing.Queue,
) -> None:  # type: ignore[type-arg]
    database = open_database(url, create=False)
    with database.sessions() as session:
        who = actor(session.scalars(select(Counsellor).where(Counsellor.login == login)).one())
    start.wait()
    failed = 0
    for number in range(ACTIONS // 3):
        with database.sessions() as session:
            try:
                clients.create_client(session, {"given_name": f"Nour {number}", "family_name": login},
                                      actor=who, referent_id=who.counsellor_id)  # fmt: skip
                session.commit()
            except Exception:
                failed += 1
    failures.put(failed)
    database.close()


def test_two_processes_adding_clients_never_collide_on_id_or_dossier(tmp_path: Path) -> None:
    """The next id and dossier number were read before the write began: an import in one
    process and a new client in another failed on a unique key."""
    url = f"sqlite:///{tmp_path / 'traject.db'}"
    database = open_database(url)
    with database.sessions() as session:
        for login in ("anna", "bart"):
            counsellors.create_counsellor(session, login=login, full_name=login.title())
        session.commit()
    context = multiprocessing.get_context("spawn")
    start, failures = context.Event(), context.Queue()
    workers = [context.Process(target=_add_clients, args=(url, login, start, failures))
               for login in ("anna", "bart")]  # fmt: skip
    for process in workers:
        process.start()
    start.set()
    failed = [failures.get(timeout=300) for _ in workers]
    for process in workers:
        process.join()
    assert failed == [0, 0]
    with database.engine.connect() as conn:
        assert audit.verify(conn) == []
    database.close()
