"""Test results in the file: checked when recorded, listed newest first, corrected by whoever
works on the file, removed by a team lead only, audited without content; the measured level
of a language is the latest test in it that was not failed."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from app.models.enums import AuditAction, CounsellorRole
from app.models.results import TestKind
from app.services.caseload import clients, test_results
from app.services.errors import Forbidden, ValidationFailed
from app.services.privacy import audit
from app.services.privacy.access import BreakGlassRequired
from tests.helpers import actor

pytestmark = pytest.mark.both_backends


@pytest.fixture
def people(session: Session, make_counsellor):  # type: ignore[no-untyped-def]
    anna, bart, lea = make_counsellor("anna"), make_counsellor("bart"), make_counsellor("lea")
    lea.role = CounsellorRole.TEAM_LEAD
    session.commit()
    client = clients.create_client(session, {"given_name": "Ayşe", "family_name": "Yılmaz"},
                                   referent_id=anna.id, actor=actor(anna))  # fmt: skip
    session.commit()
    return actor(anna), actor(bart), actor(lea), client.id


def test_a_result_is_checked_field_by_field(session: Session, people) -> None:  # type: ignore[no-untyped-def]
    anna, _bart, _lea, client_id = people
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    with pytest.raises(ValidationFailed) as caught:
        test_results.record(session, anna, client_id, {"kind": "", "level": "B3",
                                                       "passed": "maybe", "taken_on": tomorrow})  # fmt: skip
    errors = caught.value.errors
    assert set(errors) == {"kind", "level", "passed", "taken_on"}
    assert "A1, A2, B1, B2, C1, C2" in errors["level"]
    assert "future" in errors["taken_on"]
    with pytest.raises(ValidationFailed) as caught:
        test_results.record(session, anna, client_id, {"kind": "certified_language", "level": "B1",
                                                       "taken_on": dt.date(2026, 3, 12)})  # fmt: skip
    assert set(caught.value.errors) == {"language"}  # a language test names its language
    with pytest.raises(ValidationFailed) as caught:
        test_results.record(
            session, anna, client_id, {"kind": "cognitive", "taken_on": dt.date(2026, 3, 12)}
        )
    assert "Outcome" in caught.value.errors["level"]  # something must have come of it
    with pytest.raises(ValidationFailed) as caught:
        test_results.record(session, anna, client_id, {"kind": "entry", "language": "Klingon!",
                                                       "level": "a2", "taken_on": dt.date(2026, 3, 12)})  # fmt: skip
    assert set(caught.value.errors) == {"language"}
    session.rollback()
    assert test_results.of_client(session, anna, client_id) == []  # nothing half-written


def test_record_list_correct_and_remove_with_access_and_audit(session: Session, people) -> None:  # type: ignore[no-untyped-def]
    anna, bart, lea, client_id = people
    first = test_results.record(session, anna, client_id, {
        "kind": "entry", "language": "nl", "level": "a2", "passed": "unknown",
        "taken_on": dt.date(2025, 11, 3), "taken_by": "Huis van het Nederlands Gent"})  # fmt: skip
    second = test_results.record(session, anna, client_id, {
        "kind": TestKind.COGNITIVE, "passed": "yes", "taken_on": dt.date(2026, 1, 20),
        "note": "Score 34/40"})  # fmt: skip
    session.commit()
    assert (
        first.level == "A2" and first.passed is None and first.counsellor_id == anna.counsellor_id
    )
    assert [r.id for r in test_results.of_client(session, anna, client_id)] == [second.id, first.id]
    with pytest.raises(BreakGlassRequired):
        test_results.of_client(session, bart, client_id)  # not his client
    with pytest.raises(BreakGlassRequired):
        test_results.record(session, bart, client_id, {"kind": "cognitive", "passed": "no",
                                                       "taken_on": dt.date(2026, 1, 1)})  # fmt: skip
    test_results.correct(session, anna, first.id, {
        "kind": "entry", "language": "nl", "level": "B1", "passed": "",
        "taken_on": dt.date(2025, 11, 3), "taken_by": "Huis van het Nederlands Gent"},
        version=first.version)  # fmt: skip
    session.commit()
    assert first.level == "B1"
    with pytest.raises(Forbidden):
        test_results.delete(session, anna, second.id)  # a counsellor corrects, never removes
    session.rollback()
    test_results.delete(session, lea, second.id)
    session.commit()
    assert [r.id for r in test_results.of_client(session, anna, client_id)] == [first.id]
    details = [
        e.detail for e in audit.entries(session, client_id=client_id, actions=[AuditAction.CHANGE])
    ]
    assert details[:4] == ["test result cognitive removed", "test result changed: level",
                           "test result cognitive added", "test result entry added"]  # fmt: skip
    assert not any("34/40" in (d or "") or "Huis" in (d or "") for d in details)


def test_the_measured_level_is_the_latest_test_not_failed(session: Session, people) -> None:  # type: ignore[no-untyped-def]
    anna, _bart, _lea, client_id = people
    assert test_results.measured_level(session, client_id, "nl") is None

    def add(
        kind: str, level: str, day: dt.date, passed: str = "unknown", language: str = "nl"
    ) -> None:
        test_results.record(session, anna, client_id, {"kind": kind, "language": language, "level": level,
                                                       "passed": passed, "taken_on": day})  # fmt: skip

    add("entry", "A2", dt.date(2025, 6, 1))
    add("certified_language", "B1", dt.date(2026, 3, 12), passed="yes", language="nl_BE")
    add("entry", "A1", dt.date(2026, 3, 12))  # the same day: the certified test counts
    add("certified_language", "B2", dt.date(2026, 3, 14), passed="no")  # failed: measures nothing
    add("certified_language", "C1", dt.date(2026, 3, 14), passed="yes", language="fr")
    add("cognitive", "B2", dt.date(2026, 3, 15), passed="yes")  # not a language test
    session.commit()
    level = test_results.measured_level(session, client_id, "nl")
    assert level is not None
    assert (level.level, level.kind, level.taken_on) == (
        "B1",
        TestKind.CERTIFIED_LANGUAGE,
        dt.date(2026, 3, 12),
    )
    french = test_results.measured_level(session, client_id, "fr")
    assert french is not None and french.level == "C1"
