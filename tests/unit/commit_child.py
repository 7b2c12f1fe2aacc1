"""The child process of the SIGKILL test: adds clients one transaction each through the real
service and prints each new dossier number once its commit has returned."""

from __future__ import annotations

import sys

from app.db import open_database
from app.services.caseload import clients, counsellors
from tests.helpers import actor


def main(url: str, count: int) -> None:
    database = open_database(url)
    with database.sessions() as session:
        person = counsellors.create_counsellor(session, login="kim", full_name="Kim Kill")
        session.commit()
        who = actor(person)
        for number in range(count):
            client = clients.create_client(
                session, {"given_name": f"Nour {number}", "family_name": "Ołeksandra El Amrani"},
                actor=who, referent_id=person.id,
            )  # fmt: skip
            session.commit()
            print(client.dossier, flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
