"""The reach monitor — "did we reach everyone?" (source 000): which active clients nobody
reached in the last N days, longest silence first with their last attempts, and the reach rate
of the caseload and of each counsellor, broken down by digital profile (the latest finished
digital-profile intake; "unknown" until assessed), so the digital divide shows. A filter keeps
clients with a zero-hours contract or lost income (source 002: check their financial questions).

A counsellor sees their own caseload; a team lead every counsellor of their office (all offices
when the team lead has none). The walk reads indexes: the last reached contact per client, the
open referent periods, the newest intake per client.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import String, and_, case, func, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.sql import Subquery

from app.models import Assignment, Client, Contact, Counsellor, ScriptRun
from app.models.base import utcnow
from app.models.enums import AssignmentRole, ClientStatus, ContactChannel, ContactOutcome
from app.models.enums import EmploymentSituation as Situation
from app.services.privacy.access import Actor

DIGITAL_PROFILE = "digital-profile"
UNKNOWN = "unknown"
FINANCIAL = (Situation.ZERO_HOURS_CONTRACT, Situation.LOST_INCOME)
DEFAULT_DAYS = 30
LAST_ATTEMPTS = 3


@dataclass
class Rate:
    clients: int = 0
    reached: int = 0
    by_profile: Counter[str] = field(default_factory=Counter)  # clients per profile
    reached_by_profile: Counter[str] = field(default_factory=Counter)

    @property
    def share(self) -> float:
        return self.reached / self.clients if self.clients else 0.0

    def add(self, profile: str, reached: bool) -> None:
        self.clients += 1
        self.by_profile[profile] += 1
        if reached:
            self.reached += 1
            self.reached_by_profile[profile] += 1


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


# silent since, client id, last reached (stored text), referent id, profile, situation
_Row = tuple[str, int, str | None, int, str, str]


@dataclass(frozen=True)
class Report:
    days: int
    total: Rate
    by_counsellor: dict[str, Rate]
    silent: list[Silent]  # longest silence first, at most `limit`
    silent_count: int


def _profiles() -> Subquery:
    ranked = select(
        ScriptRun.client_id,
        func.coalesce(ScriptRun.override_result, ScriptRun.result).label("profile"),
        func.row_number().over(partition_by=ScriptRun.client_id,
                               order_by=(ScriptRun.finished_at.desc(), ScriptRun.id.desc())).label("n"),
    ).where(ScriptRun.script_id == DIGITAL_PROFILE, ScriptRun.finished_at.is_not(None)).subquery()  # fmt: skip
    return select(ranked.c.client_id, ranked.c.profile).where(ranked.c.n == 1).subquery()


def report(
    session: Session, actor: Actor, *, days: int = DEFAULT_DAYS, now: dt.datetime | None = None,
    financial_only: bool = False, limit: int = 500,
) -> Report:  # fmt: skip
    now = now or utcnow()
    since = now - dt.timedelta(days=days)
    last = (select(Contact.client_id, func.max(Contact.occurred_at).label("at"))
            .where(Contact.reached.is_(True)).group_by(Contact.client_id).subquery())  # fmt: skip
    profiles = _profiles()
    # raw values for the walk (no per-row type conversion of 100,000 rows); the few rows
    # listed are converted in `_details`
    stmt = (
        select(Client.id, type_coerce(func.coalesce(last.c.at, Client.created_at), String),
               case((last.c.at >= since, 1), else_=0), Assignment.counsellor_id, profiles.c.profile,
               type_coerce(Client.employment_situation, String), type_coerce(last.c.at, String))
        .join(Assignment, and_(Assignment.client_id == Client.id,
                               Assignment.role == AssignmentRole.REFERENT, Assignment.ends_on.is_(None)))
        .outerjoin(last, last.c.client_id == Client.id)
        .outerjoin(profiles, profiles.c.client_id == Client.id)
        .where(Client.status == ClientStatus.ACTIVE)
    )  # fmt: skip
    if financial_only:
        stmt = stmt.where(Client.employment_situation.in_(FINANCIAL))
    names: dict[int, str] = dict(session.execute(select(Counsellor.id, Counsellor.full_name)).all())
    if actor.is_team_lead:
        if actor.office is not None:
            office = select(Counsellor.id).where(Counsellor.office == actor.office)
            stmt = stmt.where(Assignment.counsellor_id.in_(office))
    else:
        stmt = stmt.where(Assignment.counsellor_id == actor.counsellor_id)
    total = Rate()
    by_counsellor: dict[str, Rate] = defaultdict(Rate)
    silent: list[_Row] = []
    for cid, silence, reached, counsellor_id, profile, situation, reached_at in session.execute(
        stmt
    ):
        profile = profile or UNKNOWN
        total.add(profile, bool(reached))
        by_counsellor[names.get(counsellor_id, "")].add(profile, bool(reached))
        if not reached:
            silent.append((silence, cid, reached_at, counsellor_id, profile, situation))
    silent.sort(key=lambda row: (row[0], row[1]))
    return Report(days, total, dict(sorted(by_counsellor.items())),
                  _details(session, silent[:limit], names), len(silent))  # fmt: skip


def _details(session: Session, rows: list[_Row], names: dict[int, str]) -> list[Silent]:
    ids = [row[1] for row in rows]
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
               _utc(reached_at), _utc(since), tuple(attempts[cid]))  # type: ignore[arg-type]
        for since, cid, reached_at, counsellor_id, profile, situation in rows
    ]  # fmt: skip


def _utc(stored: str | dt.datetime | None) -> dt.datetime | None:
    """A stored time (naive UTC: text on SQLite, a timestamp on a server) as aware UTC."""
    if not stored:
        return None
    when = stored if isinstance(stored, dt.datetime) else dt.datetime.fromisoformat(stored)
    return when.replace(tzinfo=dt.UTC)
