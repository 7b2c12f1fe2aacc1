"""Action points as a list of their own: made by hand (each bad field named), marked done with
what came of it, cancelled and reopened, never silently over a colleague's change; the file's
list and timeline, the Today list, the caseload's "overdue action points" and "referred by"
filters and `traject clients` use them. On both backends."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ActionPoint, AuditEntry, Client, Counsellor
from app.models.enums import ActionPointStatus, ReferredBy
from app.services.caseload import action_points, clients, timeline
from app.services.caseload.listing import CaseloadFilter, count, find_ids, visible_ids
from app.services.errors import Conflict, ValidationFailed
from app.services.privacy.access import BreakGlassRequired
from tests.helpers import actor
from tests.unit.test_team_server import team  # noqa: F401 - the team server fixture

pytestmark = pytest.mark.both_backends

TODAY = dt.date.today()  # the filters and Today ask for the real today
DAY = dt.timedelta(days=1)


def _client(session: Session, referent: Counsellor, given: str, family: str = "Test") -> int:
    made = clients.create_client(session, {"given_name": given, "family_name": family},
                                 actor=actor(referent), referent_id=referent.id)  # fmt: skip
    return made.id


def _point(
    session: Session, who: Counsellor, client_id: int, title: str, due_on: dt.date | None
) -> int:
    """A point as agreed on a day before its due date (so one can be overdue today)."""
    agreed_on = min(TODAY, due_on) if due_on is not None else TODAY
    made = action_points.create(session, actor(who), client_id, title, due_on, today=agreed_on)
    return made.id


@pytest.fixture
def office(session: Session, make_counsellor: Any) -> dict[str, Any]:
    anna, bert = make_counsellor("anna", "Anna Aerts"), make_counsellor("bert", "Bert Baert")
    people = {"anna": anna, "bert": bert}
    people["ayse"] = _client(session, anna, "Ayşe", "Yılmaz")  # type: ignore[assignment]
    people["jan"] = _client(session, anna, "Jan", "Peeters")  # type: ignore[assignment]
    people["noor"] = _client(session, bert, "Noor", "Haddad")  # type: ignore[assignment]
    session.commit()
    return people


def test_a_point_made_by_hand_names_each_bad_field_and_is_listed_with_its_maker(
    session: Session, office: dict[str, Any]
) -> None:
    anna, ayse = actor(office["anna"]), office["ayse"]
    with pytest.raises(ValidationFailed) as refused:
        action_points.create(session, anna, ayse, "   ", TODAY - DAY)
    assert set(refused.value.errors) == {"title", "due_on"}
    assert refused.value.errors["title"].startswith("Title: ")
    assert refused.value.errors["due_on"] == "Due on: choose today or a later day."
    with pytest.raises(ValidationFailed, match="at most 300 characters"):
        action_points.create(session, anna, ayse, "x" * 301, None)
    session.rollback()
    assert session.scalar(select(ActionPoint.id)) is None  # a refusal writes nothing

    action_points.create(session, anna, ayse, "  Send the CV to Colruyt ", TODAY + 7 * DAY)
    action_points.create(session, anna, ayse, "Ask about the bus pass", None)
    action_points.create(session, anna, ayse, "Register at the library", TODAY)
    session.commit()
    listed = action_points.of_client(session, anna, ayse)
    assert [p.title for p in listed] == ["Register at the library", "Send the CV to Colruyt",
                                         "Ask about the bus pass"]  # fmt: skip
    assert {(p.status, p.made_by, p.from_conversation) for p in listed} == {
        (ActionPointStatus.OPEN, "Anna Aerts", False)
    }
    trail = session.scalars(select(AuditEntry.detail).where(AuditEntry.client_id == ayse)).all()
    assert sum(1 for d in trail if d and d.startswith("action_points: created")) == 3


def test_done_asks_for_the_outcome_and_keeps_who_and_when(
    session: Session, office: dict[str, Any]
) -> None:
    anna, bert_person, ayse = actor(office["anna"]), office["bert"], office["ayse"]
    first = _point(session, office["anna"], ayse, "Send the CV", TODAY + DAY)
    second = _point(session, office["anna"], ayse, "Visit the job fair", TODAY + 2 * DAY)
    session.commit()
    with pytest.raises(ValidationFailed) as refused:
        action_points.mark_done(session, anna, first, "  ", version=1)
    assert refused.value.errors["outcome"].startswith("Outcome: say in a few words")
    session.rollback()
    before = dt.datetime.now(dt.UTC)
    action_points.mark_done(session, anna, first, "Sent to three employers", version=1)
    session.commit()
    listed = action_points.of_client(session, anna, ayse)
    assert [p.id for p in listed] == [second, first]  # the open one first
    done = listed[1]
    assert done.status == ActionPointStatus.DONE and done.outcome == "Sent to three employers"
    assert done.done_by == "Anna Aerts" and done.done_at is not None and done.done_at >= before
    stored = session.get(ActionPoint, first)
    assert stored is not None and stored.done_by == office["anna"].id
    with pytest.raises(ValidationFailed, match="already finished"):
        action_points.mark_done(session, anna, first, "again", version=done.version)
    session.rollback()
    # someone else's client: refused by the services as any other record of the file
    with pytest.raises(BreakGlassRequired):
        action_points.mark_done(session, actor(bert_person), second, "done", version=1)
    with pytest.raises(BreakGlassRequired):
        action_points.of_client(session, actor(bert_person), ayse)


def test_a_stale_change_is_a_conflict_and_leaves_the_colleagues_change(
    session: Session, office: dict[str, Any]
) -> None:
    anna, ayse = actor(office["anna"]), office["ayse"]
    point_id = _point(session, office["anna"], ayse, "Send the CV", TODAY + DAY)
    session.commit()
    read = action_points.of_client(session, anna, ayse)[0]
    action_points.change(session, anna, point_id, "Send the CV to Colruyt", TODAY + 3 * DAY,
                         version=read.version)  # fmt: skip
    session.commit()
    with pytest.raises(Conflict, match="Someone changed this action point"):
        action_points.mark_done(session, anna, point_id, "sent", version=read.version)
    session.rollback()
    now = action_points.of_client(session, anna, ayse)[0]
    assert (now.status, now.title, now.due_on) == (
        ActionPointStatus.OPEN, "Send the CV to Colruyt", TODAY + 3 * DAY)  # fmt: skip


def test_cancel_and_reopen(session: Session, office: dict[str, Any]) -> None:
    anna, ayse = actor(office["anna"]), office["ayse"]
    point_id = _point(session, office["anna"], ayse, "Enrol in the Dutch course", TODAY + DAY)
    session.commit()
    cancelled = action_points.cancel(session, anna, point_id, "Course full until June", version=1)
    session.commit()
    assert (cancelled.status, cancelled.outcome) == (
        ActionPointStatus.CANCELLED,
        "Course full until June",
    )
    reopened = action_points.reopen(session, anna, point_id, version=cancelled.version)
    session.commit()
    assert (reopened.status, reopened.done_at, reopened.done_by, reopened.outcome) == (
        ActionPointStatus.OPEN, None, None, None)  # fmt: skip


def test_the_timeline_shows_a_point_made_and_done_with_its_outcome(
    session: Session, office: dict[str, Any]
) -> None:
    anna, ayse = actor(office["anna"]), office["ayse"]
    point_id = _point(session, office["anna"], ayse, "Send the CV", TODAY + DAY)
    session.commit()
    action_points.mark_done(session, anna, point_id, "Sent to three employers", version=1)
    session.commit()
    entries = [e for e in timeline.entries(session, anna, ayse)
               if e.kind == timeline.Kind.ACTION_POINT]  # fmt: skip
    assert [(e.title.split(":")[0], e.detail, e.counsellor) for e in entries] == [
        ("Action point done", "Sent to three employers", "Anna Aerts"),
        ("Action point made", "", "Anna Aerts"),
    ]
    assert entries[0].title == "Action point done: Send the CV"
    assert entries[1].title.startswith("Action point made: Send the CV (due ")


def test_today_lists_the_due_and_overdue_points_of_one_s_own_clients(
    session: Session, office: dict[str, Any]
) -> None:
    anna, bert = office["anna"], office["bert"]
    late = _point(session, anna, office["jan"], "Bring the diploma", TODAY - 3 * DAY)
    due_today = _point(session, anna, office["ayse"], "Call the employer", TODAY)
    _point(session, anna, office["ayse"], "Later", TODAY + DAY)
    done = _point(session, anna, office["ayse"], "Done already", TODAY - DAY)
    _point(session, bert, office["noor"], "Bert's client", TODAY - DAY)
    session.commit()
    action_points.mark_done(session, actor(anna), done, "ok", version=1)
    session.commit()
    due = action_points.due(session, actor(anna))
    assert [(p.id, p.client_name) for p in due] == [
        (late, "Jan Peeters"),
        (due_today, "Ayşe Yılmaz"),
    ]
    assert [p.id for p in action_points.due(session, actor(anna), overdue_only=True)] == [late]
    assert [p.title for p in action_points.due(session, actor(bert))] == ["Bert's client"]


def test_the_overdue_and_referred_by_filters(session: Session, office: dict[str, Any]) -> None:
    anna = office["anna"]
    _point(session, anna, office["jan"], "Overdue", TODAY - DAY)
    _point(session, anna, office["ayse"], "Due today is not overdue", TODAY)
    finished = _point(session, anna, office["ayse"], "Overdue but done", TODAY - 2 * DAY)
    _point(session, office["bert"], office["noor"], "Overdue too", TODAY - 5 * DAY)
    for who, referred in (("ayse", ReferredBy.WELFARE_CENTRE), ("noor", ReferredBy.WELFARE_CENTRE),
                          ("jan", ReferredBy.EMPLOYMENT_SERVICE)):  # fmt: skip
        client = session.get(Client, office[who])
        assert client is not None
        client.referred_by = referred
    session.commit()
    action_points.mark_done(session, actor(anna), finished, "done late", version=1)
    session.commit()

    def names(flt: CaseloadFilter) -> list[str]:
        ids = find_ids(session, flt)
        return [session.get(Client, i).given_name for i in ids]  # type: ignore[union-attr]

    assert names(CaseloadFilter(overdue_actions=True)) == ["Noor", "Jan"]  # by family name
    assert count(session, CaseloadFilter(overdue_actions=True)) == 2
    mine = CaseloadFilter(counsellor_id=anna.id, mine=True, overdue_actions=True)
    assert names(mine) == ["Jan"]
    assert names(CaseloadFilter(referred_by=ReferredBy.WELFARE_CENTRE)) == ["Noor", "Ayşe"]
    assert names(CaseloadFilter(referred_by=ReferredBy.SCHOOL)) == []
    both = CaseloadFilter(referred_by=ReferredBy.WELFARE_CENTRE, overdue_actions=True)
    assert names(both) == ["Noor"]
    assert set(visible_ids(session, anna.id, referred_by=ReferredBy.EMPLOYMENT_SERVICE)) == {
        office["jan"]
    }
    assert set(visible_ids(session, None, overdue_actions=True)) == {office["jan"], office["noor"]}


@pytest.mark.file_only  # the command line opens its own database: a file here
def test_traject_clients_filters_by_referrer_and_overdue_points(
    session: Session, office: dict[str, Any], database: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    from app.cli import main

    _point(session, office["anna"], office["jan"], "Overdue", TODAY - DAY)
    client = session.get(Client, office["ayse"])
    assert client is not None
    client.referred_by = ReferredBy.WELFARE_CENTRE
    session.commit()
    url = str(database.engine.url)

    def listed(*options: str) -> list[str]:
        assert main(["clients", "--format", "json", *options, "--db", url, "--lang", "en"]) == 0
        return [r["given_name"] for r in json.loads(capsys.readouterr().out)]

    assert listed("--overdue-actions") == ["Jan"]
    assert listed("--referred-by", "welfare_centre") == ["Ayşe"]
    assert listed("--referred-by", "welfare_centre", "--overdue-actions") == []
    with pytest.raises(SystemExit):
        main(["clients", "--referred-by", "ocmw", "--db", url, "--lang", "en"])
    refusal = capsys.readouterr().err
    assert "invalid choice: 'ocmw'" in refusal and "welfare_centre" in refusal


def test_on_a_team_server_a_colleague_neither_sees_nor_finishes_another_s_points(
    team: Any,  # noqa: F811 - the fixture imported above
) -> None:
    from app.services.errors import ServiceError
    from tests.unit.test_team_server import make_client

    annas = make_client(team, "anna")
    anna_db, bert_db = team.open("anna"), team.open("bert")
    with anna_db.sessions() as session:
        anna = team.actor(anna_db, "anna")
        point_id = action_points.create(session, anna, annas, "Send the CV", TODAY - DAY,
                                        today=TODAY - 2 * DAY).id  # fmt: skip
        session.commit()
    bert = team.actor(bert_db, "bert")
    with bert_db.sessions() as session:
        assert session.scalars(select(ActionPoint)).all() == []  # row-level security
        assert action_points.due(session, bert) == []
        assert find_ids(session, CaseloadFilter(overdue_actions=True)) == []
        with pytest.raises(ServiceError):
            action_points.mark_done(session, bert, point_id, "done", version=1)
        with pytest.raises(ServiceError):
            action_points.of_client(session, bert, annas)
    with anna_db.sessions() as session:
        assert [p.status for p in action_points.of_client(session, anna, annas)] == [
            ActionPointStatus.OPEN
        ]
        assert [p.id for p in action_points.due(session, anna, overdue_only=True)] == [point_id]
        assert find_ids(session, CaseloadFilter(overdue_actions=True)) == [annas]
