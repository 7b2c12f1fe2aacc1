"""Whether a client needs an interpreter and who referred them (sources 001, 002): stored
through the client service like every other field of the file, refused with the field's name."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import AuditEntry, Client
from app.models.enums import AuditAction, ReferredBy
from app.services.caseload import clients
from app.services.errors import ValidationFailed
from tests.helpers import actor

pytestmark = pytest.mark.both_backends


def _client(session: Session, make_counsellor: Any) -> tuple[Client, Any]:
    anna = actor(make_counsellor("anna"))
    made = clients.create_client(session, {"given_name": "Hodan", "family_name": "Berhane"},
                                 actor=anna, referent_id=anna.counsellor_id)  # fmt: skip
    session.commit()
    return made, anna


def test_interpreter_and_referral_are_saved_and_audited(
    session: Session, make_counsellor: Any
) -> None:
    made, anna = _client(session, make_counsellor)
    assert made.interpreter_needed is False and made.referred_by is None
    clients.update_client(session, made.id, {"interpreter_needed": True, "referred_by": "welfare_centre",
                                             "referred_by_detail": "  OCMW Gent  "}, actor=anna)  # fmt: skip
    session.commit()
    session.expire_all()
    stored = clients.get_client(session, made.id)
    assert stored.interpreter_needed is True
    assert stored.referred_by == ReferredBy.WELFARE_CENTRE
    assert stored.referred_by_detail == "OCMW Gent"
    change = session.scalars(
        select(AuditEntry).where(AuditEntry.client_id == made.id,
                                 AuditEntry.action == AuditAction.CHANGE)
    ).one()  # fmt: skip
    assert change.detail == "interpreter_needed, referred_by, referred_by_detail"  # no values

    clients.update_client(session, made.id, {"interpreter_needed": False, "referred_by": "",
                                             "referred_by_detail": ""}, actor=anna)  # fmt: skip
    session.commit()
    session.expire_all()
    cleared = clients.get_client(session, made.id)
    assert (cleared.interpreter_needed, cleared.referred_by, cleared.referred_by_detail) == (
        False, None, None)  # fmt: skip


def test_a_bad_value_names_the_field_and_changes_nothing(
    session: Session, make_counsellor: Any
) -> None:
    made, anna = _client(session, make_counsellor)
    with pytest.raises(ValidationFailed) as refused:
        clients.update_client(session, made.id, {"referred_by": "neighbour", "interpreter_needed": "maybe",
                                                 "referred_by_detail": "x" * 201}, actor=anna)  # fmt: skip
    session.rollback()
    errors = refused.value.errors
    assert errors["referred_by"] == "Referred by: choose one of the listed values."
    assert errors["interpreter_needed"] == "Interpreter needed: answer yes or no."
    assert errors["referred_by_detail"].startswith("Referred by (service or person): shorten")
    session.expire_all()
    stored = clients.get_client(session, made.id)
    assert (stored.interpreter_needed, stored.referred_by, stored.referred_by_detail) == (
        False, None, None)  # fmt: skip


def test_a_new_client_can_be_created_with_them(session: Session, make_counsellor: Any) -> None:
    anna = actor(make_counsellor("anna"))
    made = clients.create_client(session, {"given_name": "Yusuf", "family_name": "Demir",
                                           "interpreter_needed": "yes", "referred_by": "employment_service"},
                                 actor=anna, referent_id=anna.counsellor_id)  # fmt: skip
    session.commit()
    assert made.interpreter_needed is True and made.referred_by == ReferredBy.EMPLOYMENT_SERVICE
