"""`traject offers` and `traject letter` on a demo database: the catalogue by province and type
as a table and as JSON, a partner letter and a client copy written as PDF, and a letter with a
missing field refused (exit 1, the field named, no file) until it is left out."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from app.models import Client, Counsellor, Offer, Referral
from tests.e2e.test_cli import traject

pytestmark = pytest.mark.slow


def test_offers_and_letters_of_the_demo(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    assert traject("demo", "--clients", "400", "--seed", "5", "--db", url).returncode == 0
    listed = traject("offers", "--province", "namur", "--db", url)
    assert listed.returncode == 0, listed.stderr
    assert "Espace Public Numérique de Namur" in listed.stdout and "6 offers" in listed.stdout
    as_json = json.loads(
        traject("offers", "--type", "diploma_recognition", "--format", "json", "--db", url).stdout
    )
    assert {o["provider"] for o in as_json} >= {"NARIC-Vlaanderen"} and all(
        "id" in o for o in as_json
    )
    assert traject("offers", "--province", "atlantis", "--db", url).returncode == 2

    engine = create_engine(url)
    with Session(engine) as session:
        dossier, code, login, client_id = session.execute(
            select(Client.dossier, Offer.code, Counsellor.login, Client.id)
            .join(Referral, Referral.client_id == Client.id).join(Offer, Offer.id == Referral.offer_id)
            .join(Counsellor, Counsellor.id == Referral.counsellor_id).limit(1)).one()  # fmt: skip
        client = session.get(Client, client_id)
        assert client is not None
        client.email = None
        name = client.full_name
        session.commit()
    engine.dispose()
    out = tmp_path / "partner.pdf"
    args = ("letter", dossier, "--offer", code, "-o", str(out), "--db", url)
    refused = traject(*args, env={"TRAJECT_USER": login})
    assert refused.returncode == 1 and "(email)" in refused.stderr and not out.exists()
    written = traject(
        *args, "--leave-out", "email", "--leave-out", "agreed", env={"TRAJECT_USER": login}
    )
    assert written.returncode == 0, written.stderr
    assert name in PdfReader(io.BytesIO(out.read_bytes())).pages[0].extract_text()
    copy = tmp_path / "client.pdf"
    made = traject("letter", dossier, "--offer", code, "--copy", "client", "--lang", "fr", "-o", str(copy),
                   "--db", url, env={"TRAJECT_USER": login})  # fmt: skip
    assert made.returncode == 0, made.stderr
    assert (
        "Votre orientation vers" in PdfReader(io.BytesIO(copy.read_bytes())).pages[0].extract_text()
    )
