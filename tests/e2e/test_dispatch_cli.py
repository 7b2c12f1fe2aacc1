"""`traject import` without a referent fills the dispatch inbox; `traject dispatch --dry-run`
shows each choice and its reason and changes nothing; `traject dispatch` assigns; only a team
lead may."""

from __future__ import annotations

import json
from pathlib import Path

from app.db import open_database
from app.models.enums import CounsellorRole
from app.services import org_settings
from app.services.caseload import counsellors
from app.services.team import dispatch
from app.services.team.dispatch_rules import DispatchRules
from tests.e2e.test_cli import traject


def test_imported_files_wait_and_a_team_lead_dispatches_them(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'team.db'}"
    database = open_database(url, create=True)
    with database.sessions() as session:
        counsellors.create_counsellor(session, login="lea", full_name="Lea Lead", office="Gent",
                                      role=CounsellorRole.TEAM_LEAD)  # fmt: skip
        sami = counsellors.create_counsellor(
            session, login="sami", full_name="Sami Saidi", office="Gent"
        )
        counsellors.create_counsellor(session, login="an", full_name="An Aerts", office="Antwerpen")
        org_settings.put(session, "dispatch_rules", DispatchRules(
            offices={"Gent": ("Zelzate",)}, languages={"sami": ("ar",)}, maximum=1).as_json())  # fmt: skip
        session.commit()
    database.close()
    sheet = tmp_path / "new.csv"
    sheet.write_text("Voornaam;Achternaam;Gemeente;Taal;Kantoor\nAmina;Idrissi;Zelzate;Arabisch;\n"
                     "Jan;Peeters;Zelzate;Nederlands;\nOlena;Kovalenko;Mechelen;Oekraïens;Antwerpen\n",
                     encoding="utf-8")  # fmt: skip
    imported = traject("import", str(sheet), "--db", url, env={"TRAJECT_USER": "lea"})
    assert imported.returncode == 0, imported.stderr
    assert "The new files wait in the dispatch inbox for a referent." in imported.stdout

    refused = traject("dispatch", "--db", url, env={"TRAJECT_USER": "sami"})
    assert refused.returncode == 1 and "Only a team lead can do this." in refused.stderr

    dry = traject("dispatch", "--dry-run", "--db", url, env={"TRAJECT_USER": "lea"})
    assert dry.returncode == 0, dry.stderr
    lines = dry.stdout.splitlines()
    assert (
        "Sami Saidi" in lines[1]
        and "office Gent serves Zelzate; speaks Arabic; 0 open files of 1" in lines[1]
    )
    assert "nobody below the maximum of 1 in office Gent" in lines[2]
    assert "prefers office Antwerpen" in lines[3] and "an" in lines[3].split()
    assert "2 of 3 dossiers would get a referent; nothing was changed." in dry.stderr

    done = traject("dispatch", "--format", "json", "--db", url, env={"TRAJECT_USER": "lea"})
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [(r["name"], r["login"], r["assigned"]) for r in rows] == [
        ("Amina Idrissi", "sami", True), ("Jan Peeters", None, False),
        ("Olena Kovalenko", "an", True)]  # fmt: skip
    assert "2 dossiers assigned. 1 dossier still waits." in done.stderr
    database = open_database(url)
    with database.sessions() as session:
        assert dispatch.open_caseloads(session)[sami.id] == 1
    database.close()


def test_import_can_still_name_a_referent(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'team.db'}"
    database = open_database(url, create=True)
    with database.sessions() as session:
        anna = counsellors.create_counsellor(session, login="anna", full_name="Anna Aerts")
        session.commit()
    database.close()
    sheet = tmp_path / "new.csv"
    sheet.write_text("Voornaam;Achternaam\nAmina;Idrissi\n", encoding="utf-8")
    wrong = traject(
        "import", str(sheet), "--referent", "nobody", "--db", url, env={"TRAJECT_USER": "anna"}
    )
    assert wrong.returncode == 1 and "--referent: no active counsellor" in wrong.stderr
    named = traject(
        "import", str(sheet), "--referent", "anna", "--db", url, env={"TRAJECT_USER": "anna"}
    )
    assert named.returncode == 0, named.stderr
    database = open_database(url)
    with database.sessions() as session:
        assert dispatch.open_caseloads(session) == {anna.id: 1}
    database.close()
