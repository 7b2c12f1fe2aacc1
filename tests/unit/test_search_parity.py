"""Same answers as the file: the team server's search (LIKE on the folded words, served by a
trigram index) finds exactly what SQLite's full-text index finds, in the same order, on the
same demo caseload, for what counsellors type: name beginnings in any script, several words,
dossier numbers, the last digits of a phone number, e-mail addresses."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.db import Database, open_database
from app.models import Client
from app.models.text import digits
from app.services.caseload import listing
from app.services.demo import generator as demo
from tests.server_fixtures import TeamServer

CLIENTS = 600


@pytest.fixture(scope="module")
def both(
    team_server: TeamServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Database, Database]]:
    name = team_server.new_database()
    databases = (open_database(f"sqlite:///{tmp_path_factory.mktemp('parity') / 'demo.db'}"),
                 team_server.open(name))  # fmt: skip
    for db in databases:
        with db.sessions() as session:
            demo.generate(session, CLIENTS, seed=11, today=dt.date(2026, 6, 30))
            session.commit()
    yield databases
    for db in databases:
        db.close()
    team_server.drop_database(name)


def queries(session: Session) -> list[str]:
    rng = random.Random(5)
    people = session.execute(select(Client.given_name, Client.family_name, Client.dossier,
                                    Client.phone, Client.email).order_by(Client.id)).all()  # fmt: skip
    typed = ["a", "ab", "el", "van de", "t-2", "047", "xyz", "", "--", "o'b", "ayse ozt", "ıl"]
    for given, family, dossier, phone, email in rng.sample(people, 60):
        typed += [given[: rng.randint(1, 4)], family[: rng.randint(2, 5)].upper(),
                  f"{family[:3]} {given[:2]}", dossier, dossier.lower()[2:],
                  digits(phone)[-rng.randint(3, 6):]]  # fmt: skip
        if email:
            typed.append(email)
    return typed


def test_search_gives_the_same_clients_in_the_same_order_on_both(
    both: tuple[Database, Database],
) -> None:
    file, server = both
    with file.sessions() as on_file, server.sessions() as on_server:
        checked = 0
        for typed in queries(on_file):
            flt = listing.CaseloadFilter(search=typed)
            for limit in (None, 100):  # all matches, and the first page the window asks for
                assert listing.find_ids(on_server, flt, limit=limit) == listing.find_ids(
                    on_file, flt, limit=limit), typed  # fmt: skip
            checked += 1
        assert checked > 300
