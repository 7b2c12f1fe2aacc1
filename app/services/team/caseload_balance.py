"""The caseload balance for team leads (source 003): each counsellor's open caseload beside
their maximum, by office; the continuity figure of their clients (how many counsellors a client
met, `continuity`); and the open caseload at the end of each of the last twelve months, from
the referent periods.

Open caseloads are counted over the whole organisation (`caseloads.open_caseloads`). The
continuity figures and the months come from the assignments the reader may see: on a team
server a team lead of an office sees their office's clients (row-level security).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import Assignment, Client, Counsellor
from app.models.enums import AssignmentRole, ClientStatus, CounsellorRole
from app.models.text import fold
from app.services.caseload.counsellors import full_names
from app.services.clock import local_today
from app.services.privacy import access
from app.services.privacy.access import Actor
from app.services.team import dispatch_rules
from app.services.team.caseloads import open_caseloads

MONTHS = 12


@dataclass(frozen=True)
class CounsellorBalance:
    counsellor_id: int
    name: str
    office: str | None
    open: int
    maximum: int
    #: mean number of counsellors their current clients have met (None: no clients)
    continuity: float | None


@dataclass(frozen=True)
class Balance:
    counsellors: list[CounsellorBalance]
    offices: dict[str, int]  # office ("" when none) -> open files
    months: list[dt.date]  # the last day of each month, oldest first
    per_counsellor: dict[int, list[int]]  # counsellor id -> open files at each month's end

    def per_office(self) -> dict[str, list[int]]:
        office_of = {c.counsellor_id: c.office or "" for c in self.counsellors}
        totals: dict[str, list[int]] = {}
        for who, counts in self.per_counsellor.items():
            row = totals.setdefault(office_of.get(who, ""), [0] * len(self.months))
            for n, count in enumerate(counts):
                row[n] += count
        return totals


def month_ends(today: dt.date, months: int = MONTHS) -> list[dt.date]:
    """The last day of each of the `months` months up to today's (today for this month)."""
    ends, year, month = [], today.year, today.month
    for _n in range(months):
        following = dt.date(year + (month == 12), month % 12 + 1, 1)
        ends.append(min(following - dt.timedelta(days=1), today))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return ends[::-1]


def continuity_by_counsellor(session: Session) -> dict[int, float]:
    """For each referent: the mean number of counsellors their active clients have met."""
    met = (select(Assignment.client_id, func.count(func.distinct(Assignment.counsellor_id)).label("n"))
           .group_by(Assignment.client_id).subquery())  # fmt: skip
    rows = session.execute(
        select(Assignment.counsellor_id, func.avg(met.c.n))
        .join(met, met.c.client_id == Assignment.client_id)
        .join(Client, Client.id == Assignment.client_id)
        .where(Assignment.role == AssignmentRole.REFERENT, Assignment.ends_on.is_(None),
               Client.status == ClientStatus.ACTIVE)
        .group_by(Assignment.counsellor_id)
    )  # fmt: skip
    return {int(who): float(mean) for who, mean in rows}


def monthly_open(session: Session, ends: list[dt.date]) -> dict[int, list[int]]:
    """Open referent files per counsellor at each of `ends` (one query over the periods that
    overlap them). A closed client's period counts until the file was closed; a paused file is
    left out (when it was paused is not kept), so the last point is today's open caseload."""
    first = ends[0]
    rows = session.execute(
        select(Assignment.counsellor_id, Assignment.starts_on, Assignment.ends_on,
               Client.closed_on, Client.status, func.count())
        .join(Client, Client.id == Assignment.client_id)
        .where(Assignment.role == AssignmentRole.REFERENT, Assignment.starts_on <= ends[-1],
               (Assignment.ends_on.is_(None)) | (Assignment.ends_on > first),
               Client.status != ClientStatus.PAUSED,
               (Client.status == ClientStatus.ACTIVE) | (Client.closed_on > first))
        .group_by(Assignment.counsellor_id, Assignment.starts_on, Assignment.ends_on,
                  Client.closed_on, Client.status)
    )  # fmt: skip
    counts: dict[int, list[int]] = defaultdict(lambda: [0] * len(ends))
    for who, starts, stops, closed, status, n in rows:
        closed = closed if status == ClientStatus.CLOSED else None  # a reopened file is open
        until = min(d for d in (stops, closed, dt.date.max) if d is not None)
        for i, day in enumerate(ends):  # [starts_on, ends_on): open on `day` if it ends after
            if starts <= day < until:
                counts[int(who)][i] += int(n)
    return dict(counts)


def balance(session: Session, actor: Actor, today: dt.date | None = None) -> Balance:
    """The balance view's figures (team leads and administrators)."""
    access.require_oversight(actor)
    today = today or local_today()
    rules = dispatch_rules.load(session)
    loads = open_caseloads(session)
    ends = month_ends(today)
    months = monthly_open(session, ends)
    people = session.execute(select(Counsellor.id, Counsellor.login, Counsellor.office,
                                    Counsellor.active, Counsellor.role))  # fmt: skip
    # who follows clients: active counsellors, and anyone with files now or in the months shown
    shown = [p for p in people if (p.active and p.role == CounsellorRole.COUNSELLOR)
             or loads.get(p.id) or p.id in months]  # fmt: skip
    names = full_names(session, {p.id for p in shown})
    mean = continuity_by_counsellor(session)
    rows = [CounsellorBalance(p.id, names.get(p.id, p.login), p.office, loads.get(p.id, 0),
                              rules.maximum_of(p.login), mean.get(p.id)) for p in shown]  # fmt: skip
    rows.sort(key=lambda c: (fold(c.office), fold(c.name), c.counsellor_id))
    offices: dict[str, int] = {}
    for row in rows:
        offices[row.office or ""] = offices.get(row.office or "", 0) + row.open
    listed = {r.counsellor_id for r in rows}
    return Balance(rows, offices, ends, {k: v for k, v in months.items() if k in listed})
