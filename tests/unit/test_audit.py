"""The audit trail is append-only and chained: tampering is found, and where."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.orm import Session

from app.db import Database
from app.models import AuditEntry
from app.models.enums import AuditAction
from app.services.privacy import audit
from app.services.reliability import integrity

pytestmark = pytest.mark.both_backends


@pytest.fixture
def trail(session: Session, make_counsellor) -> list[int]:  # type: ignore[no-untyped-def]
    anna = make_counsellor("anna")
    ids = []
    for action, client in [(AuditAction.LOGIN, None), (AuditAction.CREATE, 1), (AuditAction.VIEW, 1),
                           (AuditAction.CHANGE, 1), (AuditAction.LOCK, None)]:  # fmt: skip
        detail = audit.changed_fields(["phone", "email"]) if action == AuditAction.CHANGE else None
        ids.append(audit.record(session, action, counsellor_id=anna.id, client_id=client,
                                detail=detail).id)  # fmt: skip
    session.commit()
    return ids


def check(database: Database) -> list[str]:
    with database.engine.connect() as conn:
        return integrity.check_connection(conn, current="0002", head="0002").problems


def test_an_intact_chain_checks_ok(database: Database, trail: list[int]) -> None:
    assert trail == [1, 2, 3, 4, 5]
    assert check(database) == []
    with database.engine.connect() as conn:
        facts = integrity.check_connection(conn, current="0002", head="0002").facts
    assert "Audit trail: 5 entries, chain intact." in facts


def tamper(database: Database, sql: str, **params: object) -> None:
    """Change the trail behind Traject's back. On a team server only a superuser can, by
    switching the triggers off (session_replication_role): `verify` must still see it."""
    with database.engine.begin() as conn:
        if database.is_server:
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        conn.execute(text(sql), params)


def test_a_deleted_entry_is_reported_with_its_place(database: Database, trail: list[int]) -> None:
    tamper(database, "DELETE FROM audit_entries WHERE id = 3")
    assert check(database) == [
        "Audit trail: entries 3 to 3 are missing.",
        "Audit trail: entry 4 does not follow the entry before it (an entry was removed or altered).",
    ]


def test_an_edited_entry_is_reported(database: Database, trail: list[int]) -> None:
    tamper(database, "UPDATE audit_entries SET detail = 'national_number' WHERE id = 4")
    assert check(database) == ["Audit trail: entry 4 was altered."]


def test_a_rewritten_entry_breaks_the_next_link(database: Database, trail: list[int]) -> None:
    """Recomputing the edited entry's own hash is not enough: the next entry points at the old one."""
    with database.sessions() as other:
        row = other.get(AuditEntry, 2)
        assert row is not None
        forged = audit.entry_hash(2, row.at, row.counsellor_id, "view", row.client_id, row.detail,
                                  row.prev_hash)  # fmt: skip
    tamper(database, "UPDATE audit_entries SET action = 'view', hash = :h WHERE id = 2", h=forged)
    assert check(database) == [
        "Audit trail: entry 3 does not follow the entry before it (an entry was removed or altered)."
    ]


def test_entries_name_fields_not_values(session: Session, trail: list[int]) -> None:
    rows = audit.entries(session, client_id=1)
    assert [r.action for r in rows] == [AuditAction.CHANGE, AuditAction.VIEW, AuditAction.CREATE]
    assert rows[0].detail == "email, phone" and rows[0].counsellor == "Anna"
    assert [r.action for r in audit.who_looked(session, 1)] == [AuditAction.VIEW]


def test_a_reason_is_kept_beside_the_chain_and_tampering_with_it_is_found(
    session: Session, database: Database, trail: list[int]
) -> None:
    entry = audit.record(session, AuditAction.BREAK_GLASS, counsellor_id=1, client_id=1,
                         reason="Walk-in at the desk, asks about a letter")  # fmt: skip
    session.commit()
    assert entry.detail is None and entry.reason_digest is not None
    assert (
        audit.entries(session, client_id=1)[0].reason == "Walk-in at the desk, asks about a letter"
    )
    assert check(database) == []
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE audit_reasons SET text = 'Routine check' WHERE entry_id = 6"))
    assert check(database) == ["Audit trail: the reason of entry 6 was altered."]
    with database.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_reasons WHERE entry_id = 6"))
    assert check(database) == ["Audit trail: the reason of entry 6 was removed."]
    with database.engine.begin() as conn:
        conn.execute(text("INSERT INTO audit_reasons VALUES (3, 'ab', 'Made up afterwards')"))
    assert check(database) == ["Audit trail: a reason was added to entry 3, which had none.",
                               "Audit trail: the reason of entry 6 was removed."]  # fmt: skip
