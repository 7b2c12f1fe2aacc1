"""`make bench`, team work: covering a 500-client caseload for an absence, spread by load over
the colleagues of one office (goal ≤ 1 s), then undoing it, on a database file of its own.

Called from run_bench.main as `figures.update(absence_bench.run())`; on its own:
`python -m tests.bench.absence_bench`."""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from pathlib import Path

CASELOAD = 500
COLLEAGUES = 12


def run(caseload: int = CASELOAD, colleagues: int = COLLEAGUES) -> dict[str, float]:
    from sqlalchemy import insert

    from app.db import open_database
    from app.models import Assignment, Client
    from app.models.enums import AssignmentReason, AssignmentRole
    from app.services.caseload import counsellors
    from app.services.clock import local_today
    from app.services.privacy.access import Actor
    from app.services.team import absence

    today = local_today()
    with tempfile.TemporaryDirectory() as folder:
        database = open_database(f"sqlite:///{Path(folder) / 'absence.db'}")
        try:
            with database.sessions() as session:
                people = [counsellors.create_counsellor(session, login=f"c{i:02d}", full_name=f"Counsellor {i:02d}",
                                                        office="Werkwinkel Gent") for i in range(colleagues + 1)]  # fmt: skip
                session.flush()
                # the caseloads as rows (what a demo makes), not through the client service
                total = caseload + colleagues * 40
                session.execute(insert(Client), [
                    {"dossier": f"T-2026-{i:06d}", "given_name": f"Given{i}", "family_name": f"Family{i}",
                     "sort_name": f"family{i} given{i}", "search_text": f"family{i} given{i}", "country": "BE"}
                    for i in range(total)])  # fmt: skip
                ids = list(session.scalars(Client.__table__.select().with_only_columns(Client.id)))
                owners = [people[0].id] * caseload + [
                    people[1 + i % colleagues].id for i in range(total - caseload)
                ]
                session.execute(insert(Assignment), [
                    {"client_id": cid, "counsellor_id": owner, "role": AssignmentRole.REFERENT,
                     "reason": AssignmentReason.DISPATCH, "starts_on": today - dt.timedelta(days=90)}
                    for cid, owner in zip(ids, owners, strict=True)])  # fmt: skip
                session.commit()
                away = Actor(people[0].id, people[0].role, people[0].office)
            start = time.perf_counter()
            with database.sessions() as session:
                declared = absence.declare(session, away, away.counsellor_id, today,
                                           today + dt.timedelta(days=13))  # fmt: skip
                session.commit()
            cover_s = time.perf_counter() - start
            assert len(declared.choices) == caseload
            start = time.perf_counter()
            with database.sessions() as session:
                absence.undo(session, away, declared.absence_id)
                session.commit()
            undo_s = time.perf_counter() - start
        finally:
            database.close()
    print(f"absence cover of a {caseload}-client caseload over {colleagues} colleagues: "
          f"{cover_s:.2f} s (goal ≤ 1); undone in {undo_s:.2f} s")  # fmt: skip
    return {"absence_cover_s": cover_s, "absence_undo_s": undo_s}


if __name__ == "__main__":
    run()
