"""`traject letter DOSSIER --unreached`: the letter "we could not reach you" in the client's
language (or --lang), recorded as a letter sent; --offer and --unreached exclude each other."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from app.models import Client, Contact, Counsellor
from app.models.enums import ContactChannel, ContactOutcome
from app.services.caseload.current_assignments import current_referent
from tests.e2e.test_cli import traject

pytestmark = pytest.mark.slow


def test_the_unreached_letter_from_the_command_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert traject("demo", "--clients", "30", "--seed", "5", "--db", url).returncode == 0
    engine = create_engine(url)
    with Session(engine) as session:
        client = session.scalars(select(Client).where(Client.street.is_not(None))).first()
        assert client is not None
        referent = current_referent(session, client.id)
        assert referent is not None
        login = session.get(Counsellor, referent.counsellor_id).login  # type: ignore[union-attr]
        dossier, client_id, name = client.dossier, client.id, client.full_name
    engine.dispose()
    out = tmp_path / "not-reached.pdf"
    both = traject("letter", dossier, "--unreached", "--offer", "x", "-o", str(out), "--db", url,
                   env={"TRAJECT_USER": login})  # fmt: skip
    assert both.returncode == 2 and not out.exists()
    written = traject("letter", dossier, "--unreached", "--lang", "uk", "-o", str(out), "--db", url,
                      env={"TRAJECT_USER": login})  # fmt: skip
    assert written.returncode == 0, written.stderr
    assert (
        name in PdfReader(str(out)).pages[0].extract_text() and out.stat().st_mode & 0o777 == 0o600
    )
    engine = create_engine(url)
    with Session(engine) as session:
        newest = session.scalars(select(Contact).where(Contact.client_id == client_id)
                                 .order_by(Contact.occurred_at.desc(), Contact.id.desc())).first()  # fmt: skip
        assert newest is not None
        assert (newest.channel, newest.outcome) == (
            ContactChannel.LETTER,
            ContactOutcome.MESSAGE_SENT,
        )
    engine.dispose()
