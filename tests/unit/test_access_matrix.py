"""Roles × actions, enforced in the services: every cell of the matrix is tested."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy.orm import Session

from app.models import Client, Counsellor
from app.models.enums import AuditAction, CounsellorRole
from app.services import org_settings
from app.services.caseload import assignments, clients, counsellors
from app.services.errors import Forbidden
from app.services.privacy import access, audit
from app.services.privacy.access import Actor, BreakGlassRequired

pytestmark = pytest.mark.both_backends

TODAY = dt.date.today()
OK, REASON, NO = "ok", "needs a reason", "refused"


@pytest.fixture
def office(session: Session) -> dict[str, Any]:
    def person(login: str, role: CounsellorRole, office: str = "Werkwinkel Gent") -> Counsellor:
        made = counsellors.create_counsellor(session, login=login, full_name=login.title(),
                                             office=office, role=role)  # fmt: skip
        return made

    people = {
        "referent": person("rita", CounsellorRole.COUNSELLOR),
        "colleague": person("cas", CounsellorRole.COUNSELLOR),
        "team_lead": person("tim", CounsellorRole.TEAM_LEAD),
        "other_lead": person("olga", CounsellorRole.TEAM_LEAD, office="Werkwinkel Aalst"),
        "admin": person("ada", CounsellorRole.ADMIN),
    }
    session.flush()
    actors = {k: Actor.load(session, p.id) for k, p in people.items()}
    client = clients.create_client(session, {"given_name": "Ayşe", "family_name": "Yılmaz"},
                                   referent_id=people["referent"].id, today=TODAY,
                                   actor=actors["referent"])  # fmt: skip
    session.commit()
    return {"people": people, "actors": actors, "client": client}


def outcome(session: Session, action: Callable[[], object]) -> str:
    try:
        action()
    except BreakGlassRequired:
        session.rollback()
        return REASON
    except Forbidden:
        session.rollback()
        return NO
    session.rollback()  # every cell starts from the same state
    return OK


ACTIONS: dict[str, Callable[[Session, dict[str, Any], Actor], object]] = {
    "open the file": lambda s, o, a: clients.open_file(s, o["client"].id, actor=a),
    "open it giving a reason": lambda s, o, a: clients.open_file(
        s, o["client"].id, actor=a, reason="walk-in at the permanence desk"),
    "change a field": lambda s, o, a: clients.update_client(
        s, o["client"].id, {"municipality": "Gent"}, actor=a),
    "close the file": lambda s, o, a: clients.close_client(s, o["client"].id, actor=a),
    "reassign the referent": lambda s, o, a: assignments.assign_referent(
        s, o["client"].id, o["people"]["colleague"].id, actor=a),
    "set a backup": lambda s, o, a: assignments.set_backup(
        s, o["client"].id, o["people"]["colleague"].id, until=TODAY + dt.timedelta(days=7), actor=a),
    "see who looked at the file": lambda s, o, a: access.who_looked(s, a, o["client"].id),
    "read the audit trail": lambda s, o, a: access.audit_trail(s, a),
    "switch national numbers on": lambda s, o, a: org_settings.set_national_number_enabled(
        s, True, actor=a),
    "create a client": lambda s, o, a: clients.create_client(
        s, {"given_name": "Jan", "family_name": "Peeters"}, referent_id=a.counsellor_id, actor=a),
}  # fmt: skip

#                                referent colleague team_lead other_lead admin
MATRIX = {
    "open the file":              (OK, REASON, OK, REASON, REASON),
    "open it giving a reason":    (OK, OK, OK, OK, OK),
    "change a field":             (OK, REASON, OK, REASON, REASON),
    "close the file":             (OK, REASON, OK, REASON, REASON),
    "reassign the referent":      (NO, NO, OK, NO, NO),
    "set a backup":               (OK, NO, OK, NO, NO),
    "see who looked at the file": (OK, NO, OK, NO, NO),
    "read the audit trail":       (NO, NO, OK, OK, OK),
    "switch national numbers on": (NO, NO, NO, NO, OK),
    "create a client":            (OK, OK, OK, OK, OK),
}  # fmt: skip
ROLES = ["referent", "colleague", "team_lead", "other_lead", "admin"]


@pytest.mark.parametrize(
    ("action", "who", "expected"),
    [(action, who, MATRIX[action][i]) for action in MATRIX for i, who in enumerate(ROLES)],
)
def test_matrix(
    session: Session, office: dict[str, Any], action: str, who: str, expected: str
) -> None:
    assert (
        outcome(session, lambda: ACTIONS[action](session, office, office["actors"][who]))
        == expected
    )


def test_every_action_is_in_the_matrix() -> None:
    assert set(ACTIONS) == set(MATRIX)


def test_a_broken_glass_is_recorded_holds_for_the_day_and_the_referent_sees_it(
    session: Session, office: dict[str, Any]
) -> None:
    colleague, referent = office["actors"]["colleague"], office["actors"]["referent"]
    client: Client = office["client"]
    with pytest.raises(Exception, match="Reason: say in a few words"):
        clients.open_file(session, client.id, actor=colleague, reason="x")
    session.rollback()
    clients.open_file(session, client.id, actor=colleague, reason="Walk-in: asks about her letter")
    session.commit()
    clients.update_client(session, client.id, {"municipality": "Gent"}, actor=colleague)  # today
    session.commit()
    seen = access.who_looked(session, referent, client.id)
    assert [(r.action, r.counsellor) for r in seen][:2] == [
        (AuditAction.VIEW, "Cas"), (AuditAction.BREAK_GLASS, "Cas")]  # fmt: skip
    assert seen[1].reason == "Walk-in: asks about her letter"
    changes = audit.entries(session, client_id=client.id, actions=[AuditAction.CHANGE])
    assert changes[0].detail == "municipality"  # which field, never its value
