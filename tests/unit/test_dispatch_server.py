"""Dispatch on the team server under row-level security, signed in as the real roles: a team
lead of an office dispatches the inbox (every file without a referent, whatever its office),
weighing loads they could not count themselves (`traject_open_caseloads`); a counsellor cannot
dispatch, and cannot see the waiting files either."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from app.models import Client
from app.services.caseload import clients
from app.services.errors import Forbidden
from app.services.team import dispatch, dispatch_rules
from app.services.team.dispatch_rules import DispatchRules
from tests.unit.test_team_server import TODAY, Team, make_client, team  # noqa: F401 - fixture


def _waiting(team: Team, who: str, n: int) -> list[int]:  # noqa: F811 - the fixture's name
    db = team.open(who)
    with db.sessions() as session:
        me = team.actor(db, who)
        made = [clients.create_client(session, {"given_name": f"Jan{i}", "family_name": "Peeters",
                                                "municipality": "Zelzate"},
                                      actor=me, referent_id=None, today=TODAY).id
                for i in range(n)]  # fmt: skip
        session.commit()
    return made


def test_a_team_lead_dispatches_on_the_server_with_every_load_counted(team: Team) -> None:  # noqa: F811
    for _n in range(3):
        make_client(team, "anna")  # Anna (Gent) follows three files already
    tom_sees = team.open("tom")
    with tom_sees.sessions() as session:  # Tom leads Antwerpen: Anna's files are not his to read
        assert session.scalar(select(func.count()).select_from(Client)) == 0
    ids = _waiting(team, "lea", 4)
    admin = team.open("ada")
    with admin.sessions() as session:
        from app.services import org_settings

        rules = DispatchRules(offices={"Gent": ("Zelzate",)}, maximum=4)
        org_settings.update(session, {dispatch_rules.DISPATCH_RULES: rules.as_json()},
                            actor=team.actor(admin, "ada"))  # fmt: skip
        session.commit()
    db = team.open("tom")
    with db.sessions() as session:
        tom = team.actor(db, "tom")
        proposal = dispatch.prepare(session, tom, TODAY)
        assert [w.client_id for w in proposal.waiting] == ids  # unassigned: in every lead's inbox
        assert proposal.team.loads == {team.ids["anna"]: 3}  # counted beyond what Tom may read
        chosen = [d.counsellor_id for d in proposal.decisions]
        # Gent serves Zelzate; Anna may take one more, Bert three
        assert sorted(chosen) == sorted([team.ids["anna"]] + [team.ids["bert"]] * 3)
        assert "3 open files of 4" in next(d.reason() for d in proposal.decisions
                                           if d.counsellor_id == team.ids["anna"])  # fmt: skip
        applied = dispatch.apply(
            session, tom, proposal.decisions, today=TODAY, rules=proposal.rules
        )
        session.commit()
        assert set(applied.assigned) == set(ids)
        assert dispatch.inbox(session, tom) == []
        assert dispatch.open_caseloads(session) == {team.ids["anna"]: 4, team.ids["bert"]: 3}
    bert_db = team.open("bert")
    with bert_db.sessions() as session:  # the new referent sees their files
        mine = set(session.scalars(select(Client.id)))
        assert mine == {c for c, who in applied.assigned.items() if who == team.ids["bert"]}


def test_a_counsellor_cannot_dispatch_nor_see_the_inbox(team: Team) -> None:  # noqa: F811
    ids = _waiting(team, "lea", 2)
    db = team.open("anna")
    with db.sessions() as session:
        anna = team.actor(db, "anna")
        with pytest.raises(Forbidden):
            dispatch.prepare(session, anna, TODAY)
        with pytest.raises(Forbidden):
            dispatch.apply(session, anna, [dispatch.Decision(ids[0], anna.counsellor_id, ())])
        assert session.scalar(select(func.count()).select_from(Client)) == 0
