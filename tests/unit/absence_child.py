"""A counsellor in a process of their own for the absence race: says it is ready, waits for
the signal, declares an absence through the real service (slowed between its check for an
overlapping absence and its write, as a large caseload would), and prints what happened as
JSON ("declared", or the refusal)."""

from __future__ import annotations

import datetime as dt
import json
import sys
import time
from pathlib import Path

from app.db import open_database
from app.services.errors import ValidationFailed
from app.services.privacy.access import Actor
from app.services.team import absence


def main(url: str, actor_id: int, away_id: int, backup_id: int, first: str, last: str,
         go: str) -> None:  # fmt: skip
    database = open_database(url)
    checked = absence._not_away_already

    def slow_check(*args: object) -> None:
        checked(*args)  # type: ignore[arg-type]
        time.sleep(0.8)  # the other process checks meanwhile

    absence._not_away_already = slow_check  # type: ignore[assignment]
    print("ready", flush=True)
    while not Path(go).exists():
        time.sleep(0.005)
    with database.sessions() as session:
        who = Actor.load(session, actor_id)
        try:
            declared = absence.declare(session, who, away_id, dt.date.fromisoformat(first),
                                       dt.date.fromisoformat(last), backup_id)  # fmt: skip
            session.commit()
            print(json.dumps({"declared": declared.absence_id}), flush=True)
        except ValidationFailed as exc:
            print(json.dumps({"refused": list(exc.errors.values())}), flush=True)
    database.close()


if __name__ == "__main__":
    main(sys.argv[1], *(int(a) for a in sys.argv[2:5]), *sys.argv[5:8])  # type: ignore[arg-type]
