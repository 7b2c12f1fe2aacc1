"""Whose clients `traject clients` lists: the acting counsellor's own and those they cover as
backup today; a team lead's office (every office for a team lead without one)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from app.models import Counsellor
from app.models.enums import CounsellorRole
from app.services.caseload import assignments, clients, counsellors
from app.services.caseload.listing import visible_ids as _visible_ids
from tests.helpers import actor

pytestmark = pytest.mark.both_backends


def _client(session: Session, referent: Counsellor, name: str) -> int:
    made = clients.create_client(session, {"given_name": name, "family_name": "Test"},
                                 actor=actor(referent), referent_id=referent.id)  # fmt: skip
    return made.id


def test_a_counsellor_sees_their_caseload_and_a_team_lead_their_office(session: Session) -> None:
    def person(login: str, office: str | None, role: CounsellorRole) -> Counsellor:
        made = counsellors.create_counsellor(session, login=login, full_name=login, office=office)
        made.role = role
        return made

    ana = person("ana", "Gent", CounsellorRole.COUNSELLOR)
    bo = person("bo", "Gent", CounsellorRole.ADMIN)
    cas = person("cas", "Antwerpen", CounsellorRole.COUNSELLOR)
    lead_gent = person("lea", "Gent", CounsellorRole.TEAM_LEAD)
    lead_all = person("max", None, CounsellorRole.TEAM_LEAD)
    session.flush()
    a, b, c = _client(session, ana, "A"), _client(session, bo, "B"), _client(session, cas, "C")
    assignments.set_backup(session, c, ana.id, actor=actor(cas),
                           until=dt.date.today() + dt.timedelta(days=3))  # fmt: skip
    session.commit()
    assert set(_visible_ids(session, ana.id, None)) == {a, c}  # c: her backup this week
    assert set(_visible_ids(session, bo.id, "")) == {b}  # an administrator: their own caseload
    assert set(_visible_ids(session, lead_gent.id, None)) == {a, b}
    assert set(_visible_ids(session, lead_all.id, None)) == {a, b, c}
    assert set(_visible_ids(session, None, None)) == {a, b, c}  # a plain demo file, nobody acting
