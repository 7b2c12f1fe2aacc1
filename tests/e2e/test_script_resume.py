"""A run killed mid-way (SIGKILL, a real process) resumes with every answer already given."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from app.db import open_database
from app.models.enums import ScriptChannel
from app.services.caseload import clients, counsellors
from app.services.scripts import runs
from app.services.scripts.loader import load_catalogue
from tests.helpers import actor

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]

CHILD = textwrap.dedent("""
    import sys, time
    from app.db import open_database
    from app.models import Counsellor
    from app.models.enums import ScriptChannel
    from app.services.scripts import runs
    from app.services.scripts.loader import load_catalogue
    from tests.helpers import actor

    script = load_catalogue().get("digital-profile")
    database = open_database(sys.argv[1])
    with database.sessions() as session:
        anna = actor(session.query(Counsellor).filter_by(login="anna").one())
        run = runs.start(session, anna, int(sys.argv[2]), script, ScriptChannel.PHONE)
        session.commit()
        for question, value in [("has_email", "yes"), ("email_frequency", "weekly"),
                                ("email_skills", ["receive", "read", "send"])]:
            runs.answer(session, anna, run, script, question, value)
            session.commit()  # as the wizard does after every answer
            print("answered", question, flush=True)
        time.sleep(60)  # the counsellor is still talking; the process gets killed here
""")


def test_a_killed_run_resumes_with_every_answer(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'caseload.db'}"
    database = open_database(url)
    with database.sessions() as session:
        anna = counsellors.create_counsellor(
            session, login="anna", full_name="Anna Aerts", office="Gent"
        )
        client = clients.create_client(session, {"given_name": "Ayşe", "family_name": "Yılmaz"},
                                       referent_id=anna.id, today=dt.date(2026, 3, 1), actor=actor(anna))  # fmt: skip
        session.commit()
        client_id, who = client.id, actor(anna)
    database.close()
    with subprocess.Popen([sys.executable, "-c", CHILD, url, str(client_id)], cwd=ROOT,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}) as child:  # fmt: skip
        assert child.stdout is not None and child.stderr is not None
        said = [child.stdout.readline().strip() for _ in range(3)]
        child.send_signal(signal.SIGKILL)
        child.wait()
        assert said[-1] == "answered email_skills", child.stderr.read()
    assert child.returncode == -signal.SIGKILL
    database = open_database(url)  # reopened after the crash
    script = load_catalogue().get("digital-profile")
    with database.sessions() as session:
        run = runs.unfinished(session, client_id, "digital-profile")
        assert run is not None and run.channel == ScriptChannel.PHONE
        assert runs.answers(session, run.id) == {
            "has_email": "yes", "email_frequency": "weekly", "email_skills": ["receive", "read", "send"]}  # fmt: skip
        runs.answer(session, who, run, script, "email_attachments", "yes")  # and the run goes on
        session.commit()
        assert len(runs.answers(session, run.id)) == 4
    database.close()


def test_paper_answers_entered_from_the_command_line(tmp_path: Path) -> None:
    import json

    from tests.e2e.test_cli import traject

    url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert traject("demo", "--clients", "5", "--seed", "3", "--db", url).returncode == 0
    assert "digital-profile  v1  Digital profile" in traject("script", "list", "--db", url).stdout
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        dossier, login = conn.execute(text(
            "SELECT cl.dossier, co.login FROM clients cl JOIN assignments a ON a.client_id = cl.id "
            "AND a.role = 'referent' AND a.ends_on IS NULL JOIN counsellors co ON co.id = a.counsellor_id "
            "LIMIT 1")).one()  # fmt: skip
    engine.dispose()
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps({"has_email": "no", "own_device": "no"}), encoding="utf-8")
    as_referent = {"TRAJECT_USER": login}
    ran = traject("script", "run", "digital-profile", "--client", dossier, "--answers", str(answers), "--db", url,
                  env=as_referent)  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    assert "Result: Digitally low-literate" in ran.stdout and "Has no e-mail address." in ran.stdout
    assert "Lacks the means: No computer, tablet or smartphone of their own." in ran.stdout
    answers.write_text(json.dumps({"has_email": "perhaps"}), encoding="utf-8")
    refused = traject("script", "run", "digital-profile", "--client", dossier, "--answers", str(answers), "--db", url,
                      env=as_referent)  # fmt: skip
    assert refused.returncode == 1 and "choose one of the answers offered" in refused.stderr
