"""A counsellor in a process of their own for the edit conflict tests: reads a client file,
says it is ready, waits for the signal, saves one field against what it read, and prints
what happened as JSON ("saved", or the conflicting fields)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from app.db import open_database
from app.services.caseload import clients
from app.services.errors import EditConflict
from app.services.privacy.access import Actor


def main(url: str, client_id: int, counsellor_id: int, field: str, value: str, go: str) -> None:
    database = open_database(url)
    with database.sessions() as session:
        client = clients.get_client(session, client_id)
        version, base = client.version, {field: getattr(client, field)}
        who = Actor.load(session, counsellor_id)
    print("ready", flush=True)
    while not Path(go).exists():
        time.sleep(0.005)
    with database.sessions() as session:
        try:
            clients.update_client(session, client_id, {field: value}, actor=who,
                                  expected_version=version, base=base)  # fmt: skip
            session.commit()
            print(json.dumps({"saved": value}), flush=True)
        except EditConflict as exc:
            print(json.dumps({"conflict": [[c.field, c.theirs, c.mine] for c in exc.fields],
                              "version": exc.version}), flush=True)  # fmt: skip
    database.close()


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5], sys.argv[6])
