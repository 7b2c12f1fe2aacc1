"""Cover for an absence on a team server, signed in as the counsellors themselves: row-level
security lets a counsellor spread their own caseload by load (the server counts colleagues'
files for them), refuses a colleague's or another office's absence, and shows a notice only to
whom it tells."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text

from app.models.team import NoticeKind
from app.services.errors import Forbidden
from app.services.privacy import access
from app.services.privacy.access import Actor
from app.services.team import absence, notices
from tests.unit.test_team_server import TODAY, Team, make_client, seen_clients, team  # noqa: F401

DAY = dt.timedelta(days=1)


def as_(team: Team, who: str) -> tuple[object, Actor]:  # noqa: F811
    db = team.open(who)
    return db, team.actor(db, who)


def test_a_counsellor_spreads_their_own_absence_over_the_office_by_load(team: Team) -> None:  # noqa: F811
    annas = [make_client(team, "anna", f"Client{i}", "Gent") for i in range(3)]
    berts = make_client(team, "bert", "Jan", "Peeters")
    db, anna = as_(team, "anna")
    with db.sessions() as session:  # type: ignore[attr-defined]
        # the server's count: Anna cannot read Bert's client, but knows he follows one
        loads = dict(
            session.execute(text("SELECT counsellor_id, open FROM traject_open_caseloads()")).all()
        )
        assert loads[team.ids["bert"]] == 1
        declared = absence.declare(session, anna, anna.counsellor_id, TODAY, TODAY + 4 * DAY)
        session.commit()
    assert {c.backup_id for c in declared.choices} == {team.ids["bert"]}  # not the team leads
    assert declared.choices[0].reason == "fewest open files in office Gent (1)"
    with team.psql("bert") as bert:
        assert seen_clients(bert) == {berts, *annas}  # he covers them from today
    db_bert, bert_actor = as_(team, "bert")
    with db_bert.sessions() as session:  # type: ignore[attr-defined]
        [told] = notices.unread(session, bert_actor)
        assert told.kind == NoticeKind.COVER and told.text.startswith(
            "You cover 3 clients of Anna ("
        )
    with team.psql("lea") as lea, team.psql("tom") as tom:  # nobody else reads it
        assert lea.execute("SELECT count(*) FROM notices").fetchone() == (0,)
        assert tom.execute("SELECT count(*) FROM notices").fetchone() == (0,)
    with db.sessions() as session:  # type: ignore[attr-defined]
        assert absence.undo(session, anna, declared.absence_id) == 3
        session.commit()
    with team.psql("bert") as bert:
        assert seen_clients(bert) == {berts}  # the cover ended today
    with db_bert.sessions() as session:  # type: ignore[attr-defined]
        assert [n.kind for n in notices.unread(session, bert_actor)] == [
            NoticeKind.COVER_ENDED,
            NoticeKind.COVER,
        ]


def test_a_colleague_or_another_offices_lead_cannot_declare_it_but_the_office_lead_can(
    team: Team,  # noqa: F811
) -> None:
    make_client(team, "anna")
    for who in ("bert", "tom"):
        db, actor = as_(team, who)
        with db.sessions() as session, pytest.raises(Forbidden):  # type: ignore[attr-defined]
            absence.declare(session, actor, team.ids["anna"], TODAY, TODAY + DAY,
                            backup_id=team.ids["bert"])  # fmt: skip
    with team.psql("bert") as bert, pytest.raises(Exception, match="row-level security"):
        bert.execute("INSERT INTO absences (counsellor_id, starts_on, ends_on, declared_by, "
                     "created_at, version) VALUES (%s, %s, %s, %s, now(), 1)",
                     (team.ids["anna"], TODAY, TODAY, team.ids["bert"]))  # fmt: skip
    db, lea = as_(team, "lea")
    with db.sessions() as session:  # type: ignore[attr-defined]
        declared = absence.declare(session, lea, team.ids["anna"], TODAY, TODAY + DAY,
                                   backup_id=team.ids["bert"])  # fmt: skip
        session.commit()
    assert len(declared.choices) == 1
    db_anna, anna = as_(team, "anna")
    with db_anna.sessions() as session:  # type: ignore[attr-defined]
        [told] = notices.unread(session, anna)
        assert told.backups == [("Bert", 1)] and told.from_name == "Lea"


def test_breaking_the_glass_on_the_server_tells_the_referent(team: Team) -> None:  # noqa: F811
    client = make_client(team, "anna")
    db, bert = as_(team, "bert")
    with db.sessions() as session:  # type: ignore[attr-defined]
        access.break_glass(session, bert, client, "walk-in at the permanence desk")
        session.commit()
    db_anna, anna = as_(team, "anna")
    with db_anna.sessions() as session:  # type: ignore[attr-defined]
        [told] = notices.unread(session, anna)
        assert told.kind == NoticeKind.BREAK_GLASS and told.from_name == "Bert"
        assert "permanence" not in told.text and told.client is not None
        assert notices.mark_read(session, anna) == 1
        session.commit()
    with team.psql("bert") as psql:  # the sender cannot mark it read for her
        assert psql.execute("UPDATE notices SET read_at = NULL").rowcount == 0
