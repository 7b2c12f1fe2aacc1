"""GDPR: the export holds every stored field; erasure leaves no trace but a tombstone."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.db import Database
from app.models import (
    ActionPoint,
    Appointment,
    Client,
    Contact,
    Counsellor,
    Note,
    Offer,
    Referral,
    ScriptAnswer,
    ScriptRun,
)
from app.models.enums import AuditAction, ContactChannel, ContactDirection, ContactOutcome
from app.services import org_settings
from app.services.caseload import clients
from app.services.errors import Forbidden
from app.services.privacy import audit, gdpr
from app.services.privacy.access import Actor
from tests.helpers import actor

pytestmark = pytest.mark.both_backends

NN = "85071412330"
SECRETS = ["Ayşe", "Yılmaz", "ayse", "yilmaz", NN, "470123456", "ayse.yilmaz@example.be",
           "schulden bij de huisbaas", "Belt terug over de huur", "woont bij haar zus"]  # fmt: skip


@pytest.fixture
def full_file(
    session: Session, make_counsellor, lead: Actor, today: dt.date
) -> tuple[Client, Actor]:  # type: ignore[no-untyped-def]
    anna = make_counsellor("anna", "Anna Aerts")
    colleague = make_counsellor("cas", "Cas Claes")
    org_settings.put(session, org_settings.NATIONAL_NUMBER_ENABLED, "1")
    client = clients.create_client(
        session,
        {"given_name": "Ayşe", "family_name": "Yılmaz", "birth_date": dt.date(1985, 7, 14),
         "national_number": NN, "phone": "+32 470 12 34 56", "email": "ayse.yilmaz@example.be",
         "street": "Sleepstraat", "house_number": "12", "postal_code": "9000", "municipality": "Gent",
         "contact_language": "fr"},
        referent_id=anna.id, today=today, actor=actor(anna),
    )  # fmt: skip
    now = dt.datetime.now(dt.UTC)
    session.add_all([
        Note(client_id=client.id, counsellor_id=anna.id, body="Vertelt over schulden bij de huisbaas"),
        Contact(client_id=client.id, counsellor_id=anna.id, channel=ContactChannel.PHONE,
                direction=ContactDirection.OUTGOING, outcome=ContactOutcome.REACHED, reached=True,
                note="Belt terug over de huur"),
        Appointment(client_id=client.id, counsellor_id=anna.id, starts_at=now, channel="video",
                    purpose="intake", note="woont bij haar zus"),
        ActionPoint(client_id=client.id, counsellor_id=anna.id, title="CV maken"),
    ])  # fmt: skip
    offer = Offer(
        code="ict-gent",
        offer_type="basic_ict",
        name="Basis ICT",
        provider="CVO",
        region="east_flanders",
    )
    session.add(offer)
    session.flush()
    run = ScriptRun(script_id="digital-profile", script_version=1, client_id=client.id,
                    counsellor_id=anna.id, channel="in_person")  # fmt: skip
    session.add_all([Referral(client_id=client.id, offer_id=offer.id, reason="Leren mailen"), run])
    session.flush()
    session.add(
        ScriptAnswer(
            run_id=run.id, question_id="has_email", value={"answer": "ayse.yilmaz@example.be"}
        )
    )
    clients.open_file(
        session, client.id, actor=actor(colleague), reason="Walk-in at the permanence desk"
    )
    session.commit()
    return client, actor(anna)


def test_the_export_holds_every_stored_field_and_is_recorded(
    session: Session, full_file: tuple[Client, Actor], tmp_path: Path
) -> None:
    from pypdf import PdfReader

    from app.services.privacy.export_pdf import write_export_pdf

    client, anna = full_file
    data = gdpr.export_data(session, anna, client.id)
    session.commit()
    exported = {**data["client"], **data["derived"]}
    assert set(exported) == {c.key for c in Client.__table__.c}
    assert data["client"]["national_number"] == gdpr.LEFT_OUT  # unless the organisation requires it
    for table in ("notes", "contacts", "appointments", "action_points", "referrals", "script_runs",
                  "script_answers", "assignments"):  # fmt: skip
        assert data["records"][table], table
    assert json.dumps(data, ensure_ascii=False).count("schulden bij de huisbaas") == 1
    assert audit.entries(session, client_id=client.id, actions=[AuditAction.EXPORT])
    write_export_pdf(data, tmp_path / "export.pdf", client.contact_language)
    reader = PdfReader(tmp_path / "export.pdf")
    content = " ".join(page.extract_text() for page in reader.pages)
    assert "Vos données conservées par Traject" in content  # the client's language: French
    assert "Sleepstraat" in content and NN not in content
    assert "Yılmaz" not in str(reader.metadata) and "Ayşe" not in str(reader.metadata)


def test_a_counsellor_who_is_not_the_referent_cannot_export_or_erase(
    session: Session, full_file: tuple[Client, Actor], make_counsellor
) -> None:  # type: ignore[no-untyped-def]
    client, anna = full_file
    bart = actor(make_counsellor("bart"))
    with pytest.raises(Forbidden):
        gdpr.export_data(session, bart, client.id)
    with pytest.raises(Forbidden):
        gdpr.erase(session, anna, client.id, "retention period over")


def test_erasure_leaves_no_trace_in_any_table_and_a_tombstone(
    session: Session, database: Database, full_file: tuple[Client, Actor], lead: Actor
) -> None:
    client, _anna = full_file
    client_id = client.id
    # a colleague at the desk opened the file with a reason that names her
    from app.services.privacy import access

    desk = actor(session.get(Counsellor, 2))  # Cas, not her referent
    access.break_glass(session, desk, client_id, "Ayşe Yılmaz at the desk, asks about her letter")
    session.commit()
    summary = gdpr.erase(session, lead, client_id, "Retention period of 5 years is over")
    session.commit()
    assert summary["clients"] == 1 and summary["notes"] == 1 and summary["script_answers"] == 1
    found = []
    with database.engine.connect() as conn:
        if database.is_server:
            listing = "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
        else:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            listing = "SELECT name FROM sqlite_master WHERE type='table'"
        tables = [r[0] for r in conn.execute(text(listing))]
        for table in tables:
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                for value in row:
                    raw = value if isinstance(value, bytes) else str(value).encode()
                    found += [
                        (table, s)
                        for s in SECRETS
                        if s.encode() in raw or s.lower().encode() in raw
                    ]
    assert found == []
    tombstone = audit.entries(session, client_id=client_id, actions=[AuditAction.ERASE])
    assert len(tombstone) == 1 and "notes 1" in (tombstone[0].detail or "")
    assert tombstone[0].reason == "Retention period of 5 years is over"
    glass = audit.entries(session, client_id=client_id, actions=[AuditAction.BREAK_GLASS])
    assert glass and all(g.reason is None for g in glass)  # entries stay, what was typed is gone
    with database.engine.connect() as conn:
        assert audit.verify(conn) == []  # the chain stays whole
    made = clients.create_client(session, {"given_name": "Jan", "family_name": "Peeters"},
                                 referent_id=2, today=dt.date(2026, 3, 1), actor=lead)  # fmt: skip
    assert made.id > client_id  # never the erased client's id, which has entries in the trail


def test_closed_files_past_retention_are_listed_for_review(
    session: Session, full_file: tuple[Client, Actor], lead: Actor, today: dt.date
) -> None:
    client, anna = full_file
    clients.close_client(session, client.id, actor=anna, today=dt.date(2020, 1, 31))
    session.commit()
    assert [row[1] for row in gdpr.due_for_review(session, lead, today)] == [client.dossier]
    org_settings.put(session, "retention_years", "10")
    assert gdpr.due_for_review(session, lead, today) == []
    with pytest.raises(Forbidden):
        gdpr.due_for_review(session, anna, today)
