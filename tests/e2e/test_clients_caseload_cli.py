"""`traject clients` on an encrypted database lists what the signed-in counsellor works on: their
own clients and those they cover as backup today (an administrator too); a team lead sees the
clients of their office, and one without an office every client."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from tests.e2e.test_cli import traject

pytestmark = pytest.mark.slow

ANNA = {"TRAJECT_USER": "anna", "TRAJECT_PASSWORD": "anna's long password"}  # administrator
BART = {"TRAJECT_USER": "bart", "TRAJECT_PASSWORD": "bart's long password"}  # counsellor
TESS = {"TRAJECT_USER": "tess", "TRAJECT_PASSWORD": "tess's long password"}  # team lead


def _add(path: Path, login: str, env: dict[str, str], *options: str) -> None:
    added = traject("user", "add", login, *options, "--db", str(path),
                    env={**ANNA, "TRAJECT_NEW_PASSWORD": env["TRAJECT_PASSWORD"]})  # fmt: skip
    assert added.returncode == 0, added.stderr


def _import(path: Path, env: dict[str, str], *names: str) -> None:
    sheet = path.with_name(f"{env['TRAJECT_USER']}.csv")
    sheet.write_text("Voornaam;Achternaam\n" + "\n".join(names) + "\n", encoding="utf-8")
    done = traject("import", str(sheet), "--referent", env["TRAJECT_USER"], "--db", str(path),
                   env=env)  # fmt: skip
    assert done.returncode == 0, done.stderr


def _cover(path: Path, family_name: str) -> None:
    """Anna asks Bart to cover one of her clients this week."""
    from app.models import Client, Counsellor
    from app.services.caseload import assignments
    from app.services.privacy.access import Actor
    from app.services.privacy.login_throttle import LoginThrottle
    from app.services.privacy.vault import sign_in

    vault = sign_in(path, "anna", ANNA["TRAJECT_PASSWORD"], LoginThrottle())
    assert vault.database is not None and vault.counsellor_id is not None
    with vault.database.sessions() as session:
        client = session.scalars(select(Client).where(Client.family_name == family_name)).one()
        bart = session.scalars(select(Counsellor).where(Counsellor.login == "bart")).one()
        anna = Actor.load(session, vault.counsellor_id)
        assignments.set_backup(session, client.id, bart.id, actor=anna,
                               until=dt.date.today() + dt.timedelta(days=7))  # fmt: skip
        session.commit()
    vault.lock()


def _listed(path: Path, env: dict[str, str]) -> set[str]:
    found = traject("clients", "--format", "json", "--db", str(path), env=env)
    assert found.returncode == 0, found.stderr
    return {record["family_name"] for record in json.loads(found.stdout)}


def test_clients_lists_the_counsellors_own_caseload_and_backups_unless_team_lead(
    tmp_path: Path,
) -> None:
    path = tmp_path / "caseload.db"
    made = traject("init", "--org", "Werkwinkel Gent", "--name", "Anna Aerts", "--db", str(path),
                   env=ANNA)  # fmt: skip
    assert made.returncode == 0, made.stderr
    _add(path, "bart", BART, "--name", "Bart Baert")
    _add(path, "tess", TESS, "--name", "Tess Teamlead", "--role", "team_lead")
    _import(path, ANNA, "Amal;Aziz", "Anouk;Aerts")
    _import(path, BART, "Bruno;Bosmans", "Bea;Boone")
    _cover(path, "Aerts")

    assert _listed(path, ANNA) == {"Aziz", "Aerts"}
    assert _listed(path, BART) == {"Bosmans", "Boone", "Aerts"}  # Aerts: backup this week
    assert _listed(path, TESS) == {"Aziz", "Aerts", "Bosmans", "Boone"}
    as_csv = traject("clients", "--format", "csv", "--db", str(path), env=BART)
    assert {row["family_name"] for row in csv.DictReader(io.StringIO(as_csv.stdout))} == {
        "Bosmans", "Boone", "Aerts"}  # fmt: skip
    table = traject("clients", "--search", "a", "--db", str(path), env=ANNA)
    assert "Bosmans" not in table.stdout and "Aziz" in table.stdout
    assert table.stderr.strip() == "2 clients"


def test_two_counsellors_with_the_same_name_are_told_apart_in_the_list(tmp_path: Path) -> None:
    path = tmp_path / "caseload.db"
    made = traject("init", "--org", "Werkwinkel", "--name", "Anna Aerts", "--db", str(path),
                   env=ANNA)  # fmt: skip
    assert made.returncode == 0, made.stderr
    twin = {"TRAJECT_USER": "aaerts2", "TRAJECT_PASSWORD": "the other anna's password"}
    _add(path, "aaerts2", twin, "--name", "Anna Aerts", "--office", "Antwerpen")
    _import(path, ANNA, "Amal;Aziz")
    _import(path, twin, "Bruno;Bosmans")
    referents = {}
    for env in (ANNA, twin):
        listed = traject("clients", "--format", "json", "--db", str(path), env=env)
        referents.update({row["family_name"]: row["referent"] for row in json.loads(listed.stdout)})
    assert referents["Aziz"] == "Anna Aerts (anna)"  # no office: the login tells her apart
    assert referents["Bosmans"] == "Anna Aerts (Antwerpen, aaerts2)"
