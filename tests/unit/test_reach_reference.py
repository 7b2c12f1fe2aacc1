"""The reach monitor's one-statement walk gives what a plain reading of the rows gives, on a
varied demo caseload with its corners added: several intakes per client (an override, two
finished at the same moment, an unfinished newer one), a contact reached exactly at the start
of the period, a paused client; for the whole organisation, an office, one counsellor and the
financial filter."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Assignment, Client, Contact, Counsellor, ScriptRun
from app.models.enums import (
    AssignmentRole,
    ClientStatus,
    ContactChannel,
    ContactDirection,
    ContactOutcome,
    CounsellorRole,
)
from app.services.contact import reach
from app.services.demo import generator as demo
from app.services.privacy.access import Actor

pytestmark = pytest.mark.both_backends

TODAY = dt.date(2026, 11, 23)
NOW = dt.datetime(2026, 11, 23, 12, tzinfo=dt.UTC)
DAYS = 30


def _run(
    client_id: int, finished: dt.datetime | None, result: str, override: str | None = None
) -> ScriptRun:
    return ScriptRun(script_id=reach.DIGITAL_PROFILE, script_version=1, client_id=client_id, channel="phone",
                     started_at=NOW - dt.timedelta(days=90), finished_at=finished, result=result,
                     override_result=override)  # fmt: skip


def quiet_clients(session: Session) -> list[int]:
    """Active clients with a referent whom nobody reached since well before the period."""
    recent = select(Contact.client_id).where(Contact.reached.is_(True),
                                             Contact.occurred_at >= NOW - dt.timedelta(days=DAYS + 10))  # fmt: skip
    return list(session.scalars(
        select(Client.id).join(Assignment, Assignment.client_id == Client.id)
        .where(Client.status == ClientStatus.ACTIVE, Assignment.role == AssignmentRole.REFERENT,
               Assignment.ends_on.is_(None), Client.id.not_in(recent))
        .order_by(Client.id).limit(8)
    ))  # fmt: skip


@pytest.fixture
def caseload(session: Session) -> Session:
    demo.generate(session, 500, seed=11, today=TODAY)
    session.flush()
    add_corners(session)
    return session


def add_corners(session: Session) -> None:
    a, b, c, d, e, f, g, h = quiet_clients(session)
    when = NOW - dt.timedelta(days=40)
    session.add_all([
        _run(a, when, "self_reliant"), _run(a, when + dt.timedelta(days=1), "basic_skills", "low_literate"),
        _run(b, when, "low_literate"), _run(b, when, "self_reliant"),  # a tie: the later row wins
        _run(c, when, "basic_skills"), _run(c, None, "self_reliant"),  # unfinished: not the profile
        _run(d, when + dt.timedelta(days=2), "self_reliant"), _run(d, when, "low_literate"),
    ])  # fmt: skip
    since = NOW - dt.timedelta(days=DAYS)
    for client_id, at, reached in ((e, since, True), (f, since - dt.timedelta(seconds=1), True),
                                   (g, NOW - dt.timedelta(days=1), False)):  # fmt: skip
        session.add(Contact(client_id=client_id, occurred_at=at, channel=ContactChannel.PHONE,
                            direction=ContactDirection.OUTGOING, reached=reached,
                            outcome=ContactOutcome.REACHED if reached else ContactOutcome.NO_ANSWER))  # fmt: skip
    paused = session.get(Client, h)
    assert paused is not None
    paused.status = ClientStatus.PAUSED
    session.commit()


def reference(session: Session, actor: Actor, financial: bool = False) -> reach.Report:
    """Every row read into Python and counted as the monitor describes it."""
    since = NOW - dt.timedelta(days=DAYS)
    counsellors = {c.id: c for c in session.scalars(select(Counsellor))}
    referent = {a.client_id: a.counsellor_id for a in session.scalars(select(Assignment))
                if a.role == AssignmentRole.REFERENT and a.ends_on is None}  # fmt: skip
    last: dict[int, dt.datetime] = {}
    for contact in session.scalars(select(Contact).where(Contact.reached.is_(True))):
        last[contact.client_id] = max(
            last.get(contact.client_id, contact.occurred_at), contact.occurred_at
        )
    runs = [r for r in session.scalars(select(ScriptRun))
            if r.script_id == reach.DIGITAL_PROFILE and r.finished_at is not None]  # fmt: skip
    profile: dict[int, str] = {}
    for run in sorted(runs, key=lambda r: (r.finished_at, r.id)):  # the newest last
        profile[run.client_id] = (
            run.override_result if run.override_result is not None else run.result
        )  # type: ignore[assignment]
    total, by_counsellor = reach.Rate(), defaultdict(reach.Rate)
    silent = []
    for client in session.scalars(select(Client)):
        counsellor_id = referent.get(client.id)
        if client.status != ClientStatus.ACTIVE or counsellor_id is None:
            continue
        if not actor.is_team_lead and counsellor_id != actor.counsellor_id:
            continue
        if (
            actor.is_team_lead
            and actor.office is not None
            and counsellors[counsellor_id].office != actor.office
        ):
            continue
        if financial and client.employment_situation not in reach.FINANCIAL:
            continue
        kind = profile.get(client.id) or reach.UNKNOWN
        reached = client.id in last and last[client.id] >= since
        total.add(kind, reached)
        by_counsellor[counsellors[counsellor_id].full_name].add(kind, reached)
        if not reached:
            silent.append((last.get(client.id, client.created_at), client.id, last.get(client.id)))
    silent.sort()
    listed = [reach.Silent(cid, "", "", "", "", None, at, since_, ()) for since_, cid, at in silent]  # type: ignore[arg-type]
    return reach.Report(DAYS, total, dict(sorted(by_counsellor.items())), listed, len(silent))


def same(found: reach.Report, expected: reach.Report) -> None:
    assert found.total == expected.total and found.by_counsellor == expected.by_counsellor
    assert found.silent_count == expected.silent_count
    assert [(s.client_id, s.silent_since, s.last_reached) for s in found.silent] == [
        (s.client_id, s.silent_since, s.last_reached) for s in expected.silent
    ]


def test_the_walk_counts_as_the_rows_say(caseload: Session) -> None:
    offices = sorted({c.office for c in caseload.scalars(select(Counsellor)) if c.office})
    referent = caseload.scalar(select(Assignment.counsellor_id).where(Assignment.role == AssignmentRole.REFERENT,
                                                                      Assignment.ends_on.is_(None)).limit(1))  # fmt: skip
    assert referent is not None and offices
    actors = [Actor(1, CounsellorRole.TEAM_LEAD, None), Actor(1, CounsellorRole.TEAM_LEAD, offices[0]),
              Actor(referent, CounsellorRole.COUNSELLOR, None)]  # fmt: skip
    for actor in actors:
        for financial in (False, True):
            found = reach.report(
                caseload, actor, days=DAYS, now=NOW, financial_only=financial, limit=100_000
            )
            same(found, reference(caseload, actor, financial))
    everyone = reach.report(caseload, actors[0], days=DAYS, now=NOW, limit=100_000)
    assert (
        len(everyone.total.by_profile) == 4
        and everyone.silent_count > 0
        and everyone.total.reached > 0
    )


def test_the_corners(session: Session) -> None:
    """Spelled out: the override and the newest finished intake win, a tie goes to the later
    row, an unfinished intake does not count; a contact at the very start of the period
    reaches, one a second earlier does not, nor an attempt that reached no one; a paused
    client is not counted."""
    demo.generate(session, 500, seed=11, today=TODAY)
    session.commit()
    before = reach.report(
        session, Actor(1, CounsellorRole.TEAM_LEAD, None), days=DAYS, now=NOW, limit=100_000
    )
    a, b, c, d, e, f, g, h = quiet_clients(session)
    add_corners(session)
    found = reach.report(
        session, Actor(1, CounsellorRole.TEAM_LEAD, None), days=DAYS, now=NOW, limit=100_000
    )
    listed = {s.client_id: s for s in found.silent}
    assert [listed[x].profile for x in (a, b, c, d)] == [
        "low_literate",
        "self_reliant",
        "basic_skills",
        "self_reliant",
    ]
    assert e not in listed and h not in listed and f in listed and g in listed
    assert listed[f].last_reached == NOW - dt.timedelta(days=DAYS, seconds=1)
    assert (found.total.clients, found.total.reached) == (
        before.total.clients - 1,
        before.total.reached + 1,
    )
