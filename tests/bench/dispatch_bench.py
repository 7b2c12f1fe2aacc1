"""Dispatch of 1,000 new dossiers over 50 counsellors (goal ≤ 2 s): the inbox read, the
proposal and the referents written in one transaction, on a plain database file. Reported,
never asserted. Run alone with `python -m tests.bench.dispatch_bench`; `run()` returns the
figures for `run_bench.py`."""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path
from typing import Any

DOSSIERS = 1000
COUNSELLORS = 50


def _seed(url: str) -> int:
    """The team, its rules and the waiting dossiers; the team lead's id."""
    from sqlalchemy import insert

    from app.db import open_database
    from app.models import Client
    from app.models.enums import CounsellorRole
    from app.services import org_settings
    from app.services.caseload import counsellors
    from app.services.team.dispatch_rules import DispatchRules

    offices = ["Gent", "Antwerpen", "Brussel", "Leuven", "Brugge"]
    database = open_database(url, create=True)
    pick = random.Random(1)
    with database.sessions() as session:
        lead = counsellors.create_counsellor(session, login="lead", full_name="Lea Lead",
                                             role=CounsellorRole.TEAM_LEAD)  # fmt: skip
        logins = [counsellors.create_counsellor(session, login=f"c{n:02d}", full_name=f"Counsellor {n}",
                                                office=offices[n % 5]).login for n in range(COUNSELLORS)]  # fmt: skip
        rules = DispatchRules(
            offices={"Gent": ("90*",), "Antwerpen": ("2*",), "Brussel": ("1*",), "Leuven": ("30*",),
                     "Brugge": ("8*",)},
            specialisms={login: (pick.choice(["lasser", "zorg", "kok", "logistiek"]),) for login in logins[::3]},
            languages={login: tuple(pick.sample(["ar", "fr", "tr", "uk", "en"], 2)) for login in logins[::2]},
            maximum=60)  # fmt: skip
        org_settings.put(session, "dispatch_rules", rules.as_json())
        session.execute(insert(Client), [{
            "id": n + 1, "dossier": f"T-2026-{n + 1:06d}", "given_name": f"Naam{n}", "family_name": "Test",
            "postal_code": pick.choice(["9000", "2000", "1000", "3000", "8000", "9968"]),
            "contact_language": pick.choice(["ar", "fr", "nl", "tr", "uk"]),
            "profession": pick.choice(["lasser", "kok", "verzorgende", "", "logistiek medewerker"]),
            "sort_name": f"test\x1fnaam{n}", "search_text": ""} for n in range(DOSSIERS)])  # fmt: skip
        session.commit()
        lead_id = lead.id
    database.close()
    return lead_id


def run() -> dict[str, Any]:
    from app.db import open_database
    from app.services.privacy.access import Actor
    from app.services.team import dispatch

    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'dispatch.db'}"
        lead_id = _seed(url)
        database = open_database(url)
        try:
            start = time.perf_counter()
            with database.sessions() as session:
                lead = Actor.load(session, lead_id)
                proposal = dispatch.prepare(session, lead)
                proposed = time.perf_counter() - start
                applied = dispatch.apply(session, lead, proposal.decisions, rules=proposal.rules)
                session.commit()
            seconds = time.perf_counter() - start
        finally:
            database.close()
    print(f"dispatch of {DOSSIERS} dossiers over {COUNSELLORS} counsellors: {seconds:.2f} s "
          f"(proposal {proposed:.2f} s; {len(applied.assigned)} assigned; target ≤ 2 s)")  # fmt: skip
    return {"dispatch_seconds": seconds, "dispatch_proposal_seconds": proposed,
            "dispatch_assigned": len(applied.assigned)}  # fmt: skip


if __name__ == "__main__":
    run()
