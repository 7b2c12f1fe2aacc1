"""The demo caseload's intake details and what a counsellor's day adds to a file: who referred
each client and whether an interpreter is needed (sources 001, 002), action points agreed
with the client (open, due, overdue, done with their outcome) and the tests newcomers took
(source 000), so the file, Today, the filters and the letters have something to show.

Each client gets a random stream of its own (from the seed and its id), so adding these
details leaves every other demo figure as it was. Deterministic per seed.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from sqlalchemy import insert
from sqlalchemy.orm import Session

from app.models import ActionPoint, TestResult
from app.models.enums import ActionPointStatus, ClientStatus, ReferredBy
from app.models.results import TestKind

#: Who sends clients (source 001: on their own, the employment service, the employer service
#: point, the welfare centre…), as weights.
REFERRERS = [(None, 15), (ReferredBy.SELF, 25), (ReferredBy.EMPLOYMENT_SERVICE, 30),
             (ReferredBy.WELFARE_CENTRE, 12), (ReferredBy.MUNICIPALITY, 6),
             (ReferredBy.EMPLOYER_SERVICE_POINT, 5), (ReferredBy.SCHOOL, 4),
             (ReferredBy.PARTNER, 3)]  # fmt: skip
DETAILS = {ReferredBy.EMPLOYMENT_SERVICE: ["VDAB Gent", "VDAB Antwerpen", "Actiris Brussel",
                                           "Forem Charleroi", "UWV Rotterdam"],
           ReferredBy.WELFARE_CENTRE: ["OCMW Gent", "CPAS d'Anderlecht", "OCMW Leuven"],
           ReferredBy.EMPLOYER_SERVICE_POINT: ["Werkgeversservicepunt Rijnmond"],
           ReferredBy.SCHOOL: ["CVO Leuven-Landen", "Huis van het Nederlands Brussel"]}  # fmt: skip
#: Languages a counsellor speaks (who needs no interpreter to serve a client in them).
SPOKEN = frozenset({"nl", "fr", "en", "de"})
POINTS = ["Cv bijwerken met de laatste job", "Inschrijven bij de bibliotheek voor de digitale cursus",
          "Drie vacatures zoeken op de site van de VDAB", "Diploma meebrengen naar de volgende afspraak",
          "Rijbewijs laten omwisselen bij de gemeente", "Nederlandse les NT2 aanvragen",
          "E-mailadres aanmaken met de hulp van de steunfiguur",
          "Attest van de werkloosheidsuitkering opvragen"]  # fmt: skip
OUTCOMES = ["Gedaan, besproken in het gesprek", "Ingeschreven, start volgende maand",
            "Niet gelukt: opnieuw proberen met hulp", "Cv verstuurd naar drie werkgevers"]  # fmt: skip
TEST_CENTRES = ["Huis van het Nederlands", "CVO", "Agentschap Integratie en Inburgering"]


def _stream(seed: int, client_id: int, part: str) -> random.Random:
    return random.Random(f"{seed}/{client_id}/{part}")


def intake(client: dict[str, Any], seed: int) -> dict[str, Any]:
    """Who referred the client, with which service, and whether an interpreter is needed
    (served in a language no counsellor speaks, with little Dutch yet)."""
    rng = _stream(seed, client["id"], "intake")
    referrer = rng.choices([r for r, _w in REFERRERS], weights=[w for _r, w in REFERRERS])[0]
    detail = rng.choice(DETAILS[referrer]) if referrer in DETAILS and rng.random() < 0.7 else None
    needs = (client["contact_language"] not in SPOKEN
             and client["dutch_level"] in ("none", "a1") and rng.random() < 0.7)  # fmt: skip
    return {"referred_by": referrer, "referred_by_detail": detail, "interpreter_needed": needs}


def _local_noon(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(11), tzinfo=dt.UTC)


def points_and_tests(
    session: Session, batch: list[dict[str, Any]], referents: dict[int, int], seed: int,
    today: dt.date,
) -> tuple[int, int]:  # fmt: skip
    """Action points for about a third of the active clients and the tests of newcomers;
    returns how many of each."""
    points: list[dict[str, Any]] = []
    tests: list[dict[str, Any]] = []
    for client in batch:
        counsellor = referents.get(client["id"])
        if counsellor is None or client["status"] != ClientStatus.ACTIVE:
            continue
        rng = _stream(seed, client["id"], "day")
        if rng.random() < 0.35:
            for title in rng.sample(POINTS, rng.randint(1, 3)):
                made = today - dt.timedelta(days=rng.randint(3, 60))
                due = made + dt.timedelta(days=rng.randint(7, 35))
                row = {"client_id": client["id"], "counsellor_id": counsellor,
                       "script_run_id": None, "title": title, "due_on": due,
                       "status": ActionPointStatus.OPEN, "done_at": None, "done_by": None,
                       "outcome": None, "created_at": _local_noon(made), "version": 1}  # fmt: skip
                if due < today and rng.random() < 0.6:  # most past points were done
                    done = min(due, today - dt.timedelta(days=1))
                    row |= {"status": ActionPointStatus.DONE, "done_at": _local_noon(done),
                            "done_by": counsellor, "outcome": rng.choice(OUTCOMES)}  # fmt: skip
                points.append(row)
        if client["dutch_level"] in ("none", "a1", "a2", "b1") and rng.random() < 0.4:
            taken = today - dt.timedelta(days=rng.randint(20, 700))
            kind = TestKind.ENTRY if rng.random() < 0.6 else TestKind.CERTIFIED_LANGUAGE
            level = {"none": "A1", "a1": "A1", "a2": "A2", "b1": "B1"}[client["dutch_level"]]
            tests.append({"client_id": client["id"], "kind": kind, "language": "nl",
                          "level": level, "passed": True if kind == TestKind.CERTIFIED_LANGUAGE else None,
                          "taken_on": taken, "taken_by": rng.choice(TEST_CENTRES), "note": None,
                          "counsellor_id": counsellor, "created_at": _local_noon(taken),
                          "version": 1})  # fmt: skip
    if points:
        session.execute(insert(ActionPoint), points)
    if tests:
        session.execute(insert(TestResult), tests)
    return len(points), len(tests)
