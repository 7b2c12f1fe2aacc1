"""Consent per purpose: recorded with date and who, withdrawn, never overwritten."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from app.models.enums import AuditAction, ConsentPurpose
from app.services.caseload import clients
from app.services.errors import ValidationFailed
from app.services.privacy import audit, consents
from app.services.privacy.access import BreakGlassRequired
from tests.helpers import actor

pytestmark = pytest.mark.both_backends


def test_consents_are_recorded_checked_and_withdrawn(
    session: Session, make_counsellor, today
) -> None:  # type: ignore[no-untyped-def]
    anna, bart = make_counsellor("anna", "Anna Aerts"), make_counsellor("bart")
    client = clients.create_client(session, {"given_name": "Nour", "family_name": "El Amrani"},
                                   referent_id=anna.id, today=today, actor=actor(anna))  # fmt: skip
    with pytest.raises(ValidationFailed, match="Partner: name the partner"):
        consents.record(session, actor(anna), client.id, ConsentPurpose.SHARE_WITH_PARTNER)
    with pytest.raises(BreakGlassRequired):
        consents.record(session, actor(bart), client.id, ConsentPurpose.WHATSAPP)
    shared = consents.record(session, actor(anna), client.id, ConsentPurpose.SHARE_WITH_PARTNER,
                             partner="CVO Gent", given_on=dt.date(2026, 3, 1))  # fmt: skip
    consents.record(session, actor(anna), client.id, ConsentPurpose.WHATSAPP)
    session.commit()
    assert shared.recorded_by == anna.id and shared.given_on == dt.date(2026, 3, 1)
    assert consents.has_consent(session, client.id, ConsentPurpose.SHARE_WITH_PARTNER, "cvo gent")
    assert not consents.has_consent(session, client.id, ConsentPurpose.SHARE_WITH_PARTNER, "VDAB")
    consents.withdraw(session, actor(anna), shared.id, on=dt.date(2026, 4, 1))
    session.commit()
    assert not consents.has_consent(
        session, client.id, ConsentPurpose.SHARE_WITH_PARTNER, on=dt.date(2026, 4, 2)
    )
    assert consents.has_consent(
        session, client.id, ConsentPurpose.SHARE_WITH_PARTNER, on=dt.date(2026, 3, 15)
    )
    assert [c.purpose for c in consents.of_client(session, client.id)] == [
        ConsentPurpose.WHATSAPP,
        ConsentPurpose.SHARE_WITH_PARTNER,
    ]  # current ones first
    details = [
        e.detail for e in audit.entries(session, client_id=client.id, actions=[AuditAction.CHANGE])
    ]
    assert details[:2] == ["consent share_with_partner withdrawn", "consent whatsapp"]
