"""One counsellor of the team bench, in a process of their own, signed in as their own role:
searches, opens files and edits them for a while, and prints what happened as JSON.

An edit of one of the shared files adds one to the counter kept in its key-person field
("count:who", a value nobody else writes), read and saved against the version read, as the
window saves; a conflict is shown (counted), read again and saved again."""

from __future__ import annotations

import json
import random
import sys
import time
from pathlib import Path

from sqlalchemy.engine import make_url

from app.db import open_database
from app.services.caseload import clients, counsellors, listing
from app.services.errors import EditConflict
from app.services.privacy import access
from app.services.privacy.access import Actor

SYLLABLES = ["ja", "ma", "el", "yil", "ah", "van", "de", "ol", "ng", "mo", "ka", "ab", "ou", "sa"]


def main(url: str, hot_json: str, go: str, seconds: float) -> None:
    login = make_url(url).username or ""
    database = open_database(url)  # the password from PGPASSWORD, as libpq reads it
    hot: list[int] = json.loads(hot_json)
    with database.sessions() as session:
        found = counsellors.active_id_for_login(session, login)
        assert found is not None
        me = Actor.load(session, found)
        for client in hot:  # the shared desk: each opens these files with a reason
            access.break_glass(session, me, client, "bench: the shared permanence desk")
        session.commit()
        own = listing.find_ids(session, listing.CaseloadFilter(counsellor_id=me.counsellor_id,
                                                               mine=True), limit=300)  # fmt: skip
        own = [client for client in own if client not in hot]  # the shared ones count edits
    rng = random.Random(login)
    times: dict[str, list[float]] = {"search": [], "open": [], "edit": []}
    acked: dict[str, int] = {}
    conflicts, edits = 0, 0
    print("ready", flush=True)
    while not Path(go).exists():
        time.sleep(0.01)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        roll = rng.random()
        start = time.perf_counter()
        with database.sessions() as session:
            if roll < 0.5:
                typed = rng.choice(SYLLABLES)
                ids = listing.find_ids(session, listing.CaseloadFilter(search=typed), limit=100)
                listing.rows_for(session, ids[:40])
                times["search"].append((time.perf_counter() - start) * 1000)
                continue
            if roll < 0.8 or not own:
                client_id = rng.choice(own or hot)
                clients.open_file(session, client_id, actor=me)
                session.commit()
                times["open"].append((time.perf_counter() - start) * 1000)
                continue
        shared = rng.random() < 1 / 3
        client_id = rng.choice(hot if shared else own)
        while True:  # until saved: a conflict is shown, read again, saved again
            with database.sessions() as session:
                client = clients.get_client(session, client_id)
                version, before = client.version, client.key_person
                edits += 1
                value = (f"{int((before or '0').split(':')[0]) + 1}:{login}-{edits}" if shared
                         else f"{login} {edits}")  # fmt: skip
                try:
                    clients.update_client(session, client_id, {"key_person": value}, actor=me,
                                          expected_version=version, base={"key_person": before})  # fmt: skip
                    session.commit()
                except EditConflict:
                    conflicts += 1
                    continue
            break
        if shared:
            acked[str(client_id)] = acked.get(str(client_id), 0) + 1
        times["edit"].append((time.perf_counter() - start) * 1000)
    database.close()
    print(json.dumps({**times, "acked": acked, "conflicts": conflicts}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]))
