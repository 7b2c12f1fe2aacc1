"""`traject script stats`: a team lead reads which outcomes followed which objection, from
conversations entered with `traject script run` (here the lead's own clients); a counsellor is
refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.e2e.test_cli import traject

pytestmark = pytest.mark.slow

LEADS_CLIENTS = """
    SELECT cl.dossier, lead.login FROM clients cl
    JOIN assignments a ON a.client_id = cl.id AND a.role = 'referent' AND a.ends_on IS NULL
    JOIN counsellors lead ON lead.id = a.counsellor_id AND lead.role = 'team_lead'
    ORDER BY cl.id LIMIT 2
"""


def test_a_team_lead_reads_the_outcomes_per_objection(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert traject("demo", "--clients", "60", "--seed", "3", "--db", url).returncode == 0
    engine = create_engine(url)
    with engine.connect() as conn:
        (first, lead), (second, _same) = conn.execute(text(LEADS_CLIENTS)).all()
        counsellor = conn.execute(
            text("SELECT login FROM counsellors WHERE role = 'counsellor'")
        ).first()[0]
    engine.dispose()
    answers = tmp_path / "answers.json"
    for dossier, who, given in [
        (first, lead, {"objections": ["refuses", "pc_skills"], "outcomes": ["basic_ict"]}),
        (second, lead, {"objections": ["refuses"], "outcomes": ["without_email"],
                         "without_email_reason": "training"}),
    ]:  # fmt: skip
        answers.write_text(json.dumps(given), encoding="utf-8")
        ran = traject("script", "run", "resistance-to-email", "--client", dossier, "--answers",
                      str(answers), "--channel", "in_person", "--db", url, env={"TRAJECT_USER": who})  # fmt: skip
        assert ran.returncode == 0, ran.stderr
    refused = traject("script", "stats", "resistance-to-email", "--db", url,
                      env={"TRAJECT_USER": counsellor})  # fmt: skip
    assert refused.returncode == 1 and "Only a team lead can do this." in refused.stderr

    stats = traject(
        "script", "stats", "resistance-to-email", "--db", url, env={"TRAJECT_USER": lead}
    )
    assert stats.returncode == 0, stats.stderr
    blocks = {b.splitlines()[0]: b for b in stats.stdout.split("\n\n")}
    refuses = blocks["Refuses to use e-mail: 2 conversations"]
    assert "    1  Referral to a Basic ICT course (B-ICT) at a partner" in refuses
    assert "    1  Registration without an e-mail address" in refuses
    assert "    1  1. Will first follow training" in refuses
    assert (
        "    1  Referral to a Basic ICT course"
        in blocks["Not comfortable with a PC: 1 conversation"]
    )
    assert "All conversations: 2 conversations" in blocks
    assert "2 finished conversations" in stats.stdout

    bad = traject("script", "stats", "resistance-to-email", "--since", "1 May", "--db", url,
                  env={"TRAJECT_USER": lead})  # fmt: skip
    assert bad.returncode == 1 and "--since: type the date as yyyy-mm-dd" in bad.stderr
