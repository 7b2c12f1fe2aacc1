"""The reach monitor — "did we reach everyone?" (source 000): which active clients nobody
reached in the last N days, longest silence first with their last attempts, and the reach rate
of the caseload and of each counsellor, broken down by digital profile (the latest finished
digital-profile intake; "unknown" until assessed), so the digital divide shows. A filter keeps
clients with a zero-hours contract or lost income (source 002: check their financial questions).

A counsellor sees their own caseload; a team lead every counsellor of their office (all offices
when the team lead has none).

One statement answers it: a walk over the open referent periods in client order (the last
reached contact and the newest intake are index seeks per client, the client's row is read in
file order), kept once (a materialised CTE) and read twice: counted per counsellor, profile and
reached, and the longest silences listed. Only those counts and the listed rows reach Python.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Boolean, Integer, case, func, literal, null, or_, select, union_all
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.expression import CTE
from sqlalchemy.sql.functions import FunctionElement

from app.models import Assignment, Client, Contact, Counsellor, ScriptRun
from app.models.base import utcnow
from app.models.enums import AssignmentRole, ClientStatus, ContactChannel, ContactOutcome
from app.models.enums import EmploymentSituation as Situation
from app.services.caseload import counsellors
from app.services.privacy.access import Actor

DIGITAL_PROFILE = "digital-profile"
UNKNOWN = "unknown"
FINANCIAL = (Situation.ZERO_HOURS_CONTRACT, Situation.LOST_INCOME)
DEFAULT_DAYS = 30
LAST_ATTEMPTS = 3
_COUNTS, _LISTED = 0, 1  # the two kinds of rows the statement returns


@dataclass
class Rate:
    clients: int = 0
    reached: int = 0
    by_profile: Counter[str] = field(default_factory=Counter)  # clients per profile
    reached_by_profile: Counter[str] = field(default_factory=Counter)

    @property
    def share(self) -> float:
        return self.reached / self.clients if self.clients else 0.0

    def add(self, profile: str, reached: bool, count: int = 1) -> None:
        self.clients += count
        self.by_profile[profile] += count
        if reached:
            self.reached += count
            self.reached_by_profile[profile] += count


@dataclass(frozen=True)
class Attempt:
    at: dt.datetime
    channel: ContactChannel
    outcome: ContactOutcome


@dataclass(frozen=True)
class Silent:
    """An active client nobody reached in the period."""

    client_id: int
    dossier: str
    name: str
    referent: str
    profile: str
    situation: Situation
    last_reached: dt.datetime | None
    silent_since: dt.datetime  # the last reached contact, or when the file was made
    last_attempts: tuple[Attempt, ...]


@dataclass(frozen=True)
class Report:
    days: int
    total: Rate
    by_counsellor: dict[str, Rate]
    silent: list[Silent]  # longest silence first, at most `limit`
    silent_count: int


class _Likely(FunctionElement[bool]):
    """A condition that holds for nearly every row. SQLite's statistics cannot say that
    `ends_on IS NULL` is true for most periods (NULL is one value among thousands of dates), so
    without the hint it walks the periods counsellor by counsellor, reading the clients' rows in
    random order; `likely()` makes it walk them in client order. Other databases get the
    condition as it is."""

    type = Boolean()
    inherit_cache = True
    name = "likely"
    _is_implicitly_boolean = True  # a condition itself, not a value to compare with true


@compiles(_Likely)
def _likely_plain(element: _Likely, compiler: Any, **kw: Any) -> str:
    return str(compiler.process(element.clauses.clauses[0], **kw))


@compiles(_Likely, "sqlite")
def _likely_sqlite(element: _Likely, compiler: Any, **kw: Any) -> str:
    return f"likely({compiler.process(element.clauses.clauses[0], **kw)})"


def _walk(actor: Actor, financial_only: bool) -> CTE:
    """One row per active client in scope: the referent, the profile, the last time reached
    and the file's creation (for the silence)."""
    client = Assignment.client_id
    last = (select(func.max(Contact.occurred_at))
            .where(Contact.reached.is_(True), Contact.client_id == client).scalar_subquery())  # fmt: skip
    profile = (
        select(func.coalesce(ScriptRun.override_result, ScriptRun.result))
        .where(ScriptRun.client_id == client, ScriptRun.script_id == DIGITAL_PROFILE,
               ScriptRun.finished_at.is_not(None))
        .order_by(ScriptRun.finished_at.desc(), ScriptRun.id.desc()).limit(1).scalar_subquery()
    )  # fmt: skip
    periods = (
        select(client.label("client_id"), Assignment.counsellor_id.label("counsellor_id"),
               last.label("at"), profile.label("profile"), Client.created_at.label("created_at"),
               Client.employment_situation.label("situation"))
        .join(Client, Client.id == client)
        .where(Assignment.role == AssignmentRole.REFERENT, _Likely(Assignment.ends_on.is_(None)),
               Client.status == ClientStatus.ACTIVE)
    )  # fmt: skip
    if financial_only:
        periods = periods.where(Client.employment_situation.in_(FINANCIAL))
    if actor.is_team_lead:
        if actor.office is not None:
            office = select(Counsellor.id).where(Counsellor.office == actor.office)
            periods = periods.where(Assignment.counsellor_id.in_(office))
    else:
        periods = periods.where(Assignment.counsellor_id == actor.counsellor_id)
    return periods.cte("reach_walk").prefix_with("MATERIALIZED")


def report(
    session: Session, actor: Actor, *, days: int = DEFAULT_DAYS, now: dt.datetime | None = None,
    financial_only: bool = False, limit: int = 500,
) -> Report:  # fmt: skip
    now = now or utcnow()
    since = now - dt.timedelta(days=days)
    walk = _walk(actor, financial_only)
    c = walk.c
    silence = func.coalesce(c.at, c.created_at)
    # the listed rows first: a union's columns take the first part's types (times, situations)
    listed = (select(literal(_LISTED, Integer), c.counsellor_id, c.profile, literal(0, Integer),
                     c.client_id, silence, c.at, c.situation)
              .where(or_(c.at.is_(None), c.at < since))
              .order_by(silence, c.client_id).limit(limit).subquery())  # fmt: skip
    # grouped by the label (the one `since` of the select; a second copy of the condition with
    # its own parameter would not be the same expression to PostgreSQL)
    counts = (select(literal(_COUNTS, Integer), c.counsellor_id, c.profile,
                     case((c.at >= since, 1), else_=0).label("reached"), func.count(), null(), null(), null())
              .group_by(c.counsellor_id, c.profile, "reached"))  # fmt: skip
    names: dict[int, str] = counsellors.display_names(session)
    total = Rate()
    by_counsellor: dict[str, Rate] = defaultdict(Rate)
    silent_count = 0
    rows: list[_Row] = []
    for (
        kind,
        counsellor_id,
        profile,
        reached,
        number,
        since_at,
        reached_at,
        situation,
    ) in session.execute(union_all(select(listed), counts)):
        profile = profile or UNKNOWN
        if kind == _LISTED:
            rows.append((number, counsellor_id, profile, since_at, reached_at, situation))
        else:
            total.add(profile, bool(reached), number)
            by_counsellor[names.get(counsellor_id, "")].add(profile, bool(reached), number)
            silent_count += 0 if reached else number
    rows.sort(key=lambda row: (row[3], row[0]))  # a union keeps no order
    return Report(days, total, dict(sorted(by_counsellor.items())),
                  _details(session, rows, names), silent_count)  # fmt: skip


# client id, referent id, profile, silent since, last reached, situation
_Row = tuple[int, int, str, dt.datetime, dt.datetime | None, Situation]


def _details(session: Session, rows: list[_Row], names: dict[int, str]) -> list[Silent]:
    ids = [row[0] for row in rows]
    people = {cid: (dossier, f"{given} {family}".strip()) for cid, dossier, given, family in
              session.execute(select(Client.id, Client.dossier, Client.given_name, Client.family_name)
                              .where(Client.id.in_(ids)))}  # fmt: skip
    ranked = select(
        Contact.client_id, Contact.occurred_at, Contact.channel, Contact.outcome,
        func.row_number().over(partition_by=Contact.client_id,
                               order_by=(Contact.occurred_at.desc(), Contact.id.desc())).label("n"),
    ).where(Contact.client_id.in_(ids)).subquery()  # fmt: skip
    attempts: dict[int, list[Attempt]] = defaultdict(list)
    for cid, at, channel, outcome in session.execute(
        select(ranked.c.client_id, ranked.c.occurred_at, ranked.c.channel, ranked.c.outcome)
        .where(ranked.c.n <= LAST_ATTEMPTS).order_by(ranked.c.client_id, ranked.c.n)
    ):  # fmt: skip
        attempts[cid].append(Attempt(at, ContactChannel(channel), ContactOutcome(outcome)))
    return [
        Silent(cid, *people[cid], names.get(counsellor_id, ""), profile, Situation(situation),
               _utc(reached_at), _utc(since), tuple(attempts[cid]))
        for cid, counsellor_id, profile, since, reached_at, situation in rows
    ]  # fmt: skip


def _utc(stored: dt.datetime | None) -> Any:
    """A stored time (naive UTC) as aware UTC."""
    return None if stored is None else stored.replace(tzinfo=dt.UTC)
