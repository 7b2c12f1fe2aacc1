"""`traject absence` covers a counsellor's caseload (each choice printed with its reason and
the period said inclusive), lists it and undoes it; `traject clients --mine` lists one's own
clients and the ones one covers now, and JSON rows say each client's backup and office."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from app.db import open_database
from app.services.caseload import clients, counsellors
from app.services.clock import local_today
from app.services.privacy.access import Actor
from tests.e2e.test_cli import traject

pytestmark = pytest.mark.slow

TODAY = local_today()


def _office(path: Path) -> str:
    url = f"sqlite:///{path}"
    database = open_database(url, create=True)
    try:
        with database.sessions() as session:
            people = {}
            for login, name in (
                ("anna", "Anna Peeters"),
                ("bert", "Bert Baert"),
                ("cas", "Cas Claes"),
            ):
                made = counsellors.create_counsellor(session, login=login, full_name=name,
                                                     office="Werkwinkel Gent")  # fmt: skip
                session.flush()
                people[login] = Actor(made.id, made.role, made.office)
            for login, names in (("anna", ["Aziz", "Aerts", "Amrani"]), ("bert", ["Bosmans"])):
                for family in names:
                    clients.create_client(session, {"given_name": "X", "family_name": family},
                                          actor=people[login], referent_id=people[login].counsellor_id)  # fmt: skip
            session.commit()
    finally:
        database.close()
    return url


def test_absence_spread_list_mine_and_undo(tmp_path: Path) -> None:
    url = _office(tmp_path / "office.db")
    first, last = TODAY, TODAY + dt.timedelta(days=4)
    anna = {"TRAJECT_USER": "anna"}
    refused = traject("absence", "anna", "--from", first.isoformat(), "--to", last.isoformat(),
                      "--db", url, env={"TRAJECT_USER": "bert"})  # fmt: skip
    assert refused.returncode == 1 and "team lead of their office" in refused.stderr
    backwards = traject("absence", "anna", "--from", last.isoformat(), "--to", first.isoformat(),
                        "--db", url, env=anna)  # fmt: skip
    assert backwards.returncode == 1 and "Away until: the last day comes before" in backwards.stderr
    done = traject("absence", "anna", "--from", first.isoformat(), "--to", last.isoformat(),
                   "--db", url, env=anna)  # fmt: skip
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    # Cas follows nobody, Bert one: Cas takes the first, then Bert (same load, name first), …
    assert [line.split(": ", 1)[0].split(" → ")[1] for line in lines[:3]] == [
        "Cas Claes", "Bert Baert", "Cas Claes"]  # fmt: skip
    assert lines[0].endswith("fewest open files in office Werkwinkel Gent (0)")
    assert lines[-1].startswith("anna is away ") and lines[-1].endswith(
        "both days included; 3 clients covered.")  # fmt: skip
    listed = traject("absence", "--list", "--db", url, env=anna)
    assert listed.returncode == 0 and listed.stdout.startswith("Anna Peeters: ")
    assert "(3 clients covered)" in listed.stdout

    mine = traject(
        "clients", "--mine", "--format", "json", "--db", url, env={"TRAJECT_USER": "cas"}
    )
    assert mine.returncode == 0, mine.stderr
    rows = json.loads(mine.stdout)
    assert len(rows) == 2 and {r["backup"] for r in rows} == {"cas"}
    assert {r["office"] for r in rows} == {"Werkwinkel Gent"} and {r["referent"] for r in rows} == {
        "Anna Peeters"
    }
    everyone = json.loads(traject("clients", "--format", "json", "--db", url).stdout)
    assert {r["family_name"]: r["backup"] for r in everyone}["Bosmans"] is None

    undone = traject("absence", "anna", "--undo", "--db", url, env=anna)
    assert undone.returncode == 0 and "3 backup periods ended" in undone.stdout
    after = traject(
        "clients", "--mine", "--format", "json", "--db", url, env={"TRAJECT_USER": "cas"}
    )
    assert json.loads(after.stdout) == []
    again = traject("absence", "anna", "--undo", "--db", url, env=anna)
    assert again.returncode == 1 and "no current or coming absence" in again.stderr
