"""Caseload queries for lists and tables: filters, sorting, and light rows (no ORM objects).

A table of 100,000 clients asks `find_ids` for the ordered ids once per filter change and
then `rows_for` for the few rows on screen, so it never holds 100,000 objects.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session, aliased

from app.models import Assignment, Client, Counsellor
from app.models.enums import (
    AssignmentRole,
    ClientStatus,
    EmploymentSituation,
    Province,
    ReferredBy,
)
from app.services.caseload import search, server_visibility
from app.services.clock import local_today


class SortKey(enum.StrEnum):
    DOSSIER = "dossier"
    NAME = "name"
    GIVEN_NAME = "given_name"
    BIRTH_DATE = "birth_date"
    MUNICIPALITY = "municipality"
    REFERENT = "referent"
    STATUS = "status"


@dataclass(frozen=True)
class CaseloadFilter:
    search: str = ""
    counsellor_id: int | None = None  # whose "mine" and "backup for me"
    mine: bool = False
    backup_for_me: bool = False
    statuses: frozenset[ClientStatus] = field(default_factory=frozenset)
    no_email: bool = False
    zero_hours: bool = False
    province: Province | None = None
    referred_by: ReferredBy | None = None
    overdue_actions: bool = False  # an open action point whose due date has passed


@dataclass(frozen=True)
class CaseloadRow:
    id: int
    dossier: str
    given_name: str
    family_name: str
    birth_date: dt.date | None
    postal_code: str | None
    municipality: str | None
    phone: str | None
    email: str | None
    status: ClientStatus
    referent: str | None


_SelectT = TypeVar("_SelectT", bound=Select[Any])
_referent = aliased(Assignment)
_referent_counsellor = aliased(Counsellor)


def _open_referent_join(stmt: _SelectT) -> _SelectT:
    return stmt.outerjoin(
        _referent,
        and_(
            _referent.client_id == Client.id,
            _referent.role == AssignmentRole.REFERENT,
            _referent.ends_on.is_(None),
        ),
    ).outerjoin(_referent_counsellor, _referent_counsellor.id == _referent.counsellor_id)


def _assigned(counsellor_id: int, role: AssignmentRole, on: dt.date) -> ColumnElement[bool]:
    period = select(Assignment.client_id).where(
        Assignment.counsellor_id == counsellor_id, Assignment.role == role
    )
    if role == AssignmentRole.REFERENT:
        period = period.where(Assignment.ends_on.is_(None))
    else:
        period = period.where(Assignment.starts_on <= on, Assignment.ends_on > on)
    return Client.id.in_(period)


def filtered(
    session: Session, flt: CaseloadFilter, on: dt.date | None = None, *, for_page: bool = False
) -> Select[Any]:
    """SELECT Client.id with every filter applied (no order)."""
    on = on or local_today()
    stmt = select(Client.id)
    condition = (
        search.matching_condition(session, flt.search, for_page=for_page)
        if flt.search.strip()
        else None
    )
    if condition is not None:
        stmt = stmt.where(condition)
    visible = server_visibility.narrowing(session)
    if visible is not None:
        stmt = stmt.where(visible)
    if flt.counsellor_id is not None and (flt.mine or flt.backup_for_me):
        roles = []
        if flt.mine:
            roles.append(_assigned(flt.counsellor_id, AssignmentRole.REFERENT, on))
        if flt.backup_for_me:
            roles.append(_assigned(flt.counsellor_id, AssignmentRole.BACKUP, on))
        stmt = stmt.where(or_(*roles))
    if flt.statuses:
        stmt = stmt.where(Client.status.in_(sorted(flt.statuses)))
    if flt.no_email:
        stmt = stmt.where(or_(Client.email.is_(None), Client.email == ""))
    if flt.zero_hours:
        stmt = stmt.where(Client.employment_situation == EmploymentSituation.ZERO_HOURS_CONTRACT)
    if flt.province is not None:
        stmt = stmt.where(Client.province == flt.province)
    if flt.referred_by is not None:
        stmt = stmt.where(Client.referred_by == flt.referred_by)
    if flt.overdue_actions:
        from app.services.caseload import action_points  # not needed to show the caseload

        stmt = stmt.where(action_points.overdue_condition(on))
    return stmt


def find_ids(
    session: Session,
    flt: CaseloadFilter,
    sort: SortKey = SortKey.NAME,
    descending: bool = False,
    *,
    offset: int = 0,
    limit: int | None = None,
) -> list[int]:
    """Ordered ids of the clients `flt` selects; a page of them with offset/limit."""
    stmt = filtered(session, flt, for_page=limit is not None)
    orderings: dict[SortKey, list[Any]] = {
        SortKey.DOSSIER: [Client.dossier],
        SortKey.NAME: [Client.sort_name],
        SortKey.GIVEN_NAME: [func.lower(Client.given_name), Client.sort_name],
        SortKey.BIRTH_DATE: [Client.birth_date],
        SortKey.MUNICIPALITY: [Client.municipality, Client.sort_name],
        SortKey.STATUS: [Client.status, Client.sort_name],
        SortKey.REFERENT: [_referent_counsellor.full_name, Client.sort_name],
    }
    columns = orderings[sort]
    if sort == SortKey.REFERENT:
        stmt = _open_referent_join(stmt)
    order = [c.desc() if descending else c.asc() for c in columns]
    stmt = stmt.order_by(*order, Client.id.desc() if descending else Client.id)
    if limit is not None:
        stmt = stmt.offset(offset).limit(limit)
    return list(session.scalars(stmt))


def count(session: Session, flt: CaseloadFilter) -> int:
    return int(
        session.scalar(select(func.count()).select_from(filtered(session, flt).subquery())) or 0
    )


def rows_for(session: Session, ids: list[int]) -> dict[int, CaseloadRow]:
    """Display rows for the given ids (a screenful at a time)."""
    if not ids:
        return {}
    stmt: Any = select(
        Client.id,
        Client.dossier,
        Client.given_name,
        Client.family_name,
        Client.birth_date,
        Client.postal_code,
        Client.municipality,
        Client.phone,
        Client.email,
        Client.status,
        _referent_counsellor.full_name,
    ).where(Client.id.in_(ids))
    stmt = _open_referent_join(stmt)
    return {row[0]: CaseloadRow(*row) for row in session.execute(stmt)}


@dataclass(frozen=True)
class CaseloadCounts:
    total: int
    by_status: dict[ClientStatus, int]
    mine: int


def counts(session: Session, counsellor_id: int | None) -> CaseloadCounts:
    by_status = {
        ClientStatus(status): int(n)
        for status, n in session.execute(
            select(Client.status, func.count()).group_by(Client.status)
        )
    }
    mine = 0
    if counsellor_id is not None:
        mine = int(
            session.scalar(
                select(func.count()).select_from(
                    filtered(session, CaseloadFilter(counsellor_id=counsellor_id, mine=True))
                    .where(Client.status == ClientStatus.ACTIVE)
                    .subquery()
                )
            )
            or 0
        )
    return CaseloadCounts(total=sum(by_status.values()), by_status=by_status, mine=mine)


def visible_ids(
    session: Session, counsellor_id: int | None, search: str | None = None,
    *, referred_by: ReferredBy | None = None, overdue_actions: bool = False, mine: bool = False,
) -> list[int]:  # fmt: skip
    """The clients a counsellor lists (`traject clients`): their own caseload (referent, or
    backup today), or a team lead's whole office; everyone on a plain test or demo database
    where nobody acts. `referred_by` and `overdue_actions` narrow it as the filters do; `mine`
    keeps a team lead to their own caseload too (`--mine`)."""
    from app.services.privacy.access import Actor

    everyone = CaseloadFilter(search=search or "", referred_by=referred_by,
                              overdue_actions=overdue_actions)  # fmt: skip
    if counsellor_id is None:
        return find_ids(session, everyone)
    actor = Actor.load(session, counsellor_id)
    if mine or not actor.is_team_lead:
        own = replace(everyone, counsellor_id=counsellor_id, mine=True, backup_for_me=True)
        return find_ids(session, own)
    ids = find_ids(session, everyone)
    if actor.office is None:
        return ids
    elsewhere = set(session.scalars(
        select(Assignment.client_id)
        .join(Counsellor, Counsellor.id == Assignment.counsellor_id)
        .where(Assignment.role == AssignmentRole.REFERENT, Assignment.ends_on.is_(None),
               or_(Counsellor.office.is_(None), Counsellor.office != actor.office))
    ))  # fmt: skip
    return [cid for cid in ids if cid not in elsewhere]


@dataclass(frozen=True)
class Followed:
    """Who follows a client now: the referent's office and the login of today's backup."""

    office: str | None
    backup: str | None


def followed_by(session: Session, ids: list[int], on: dt.date | None = None) -> dict[int, Followed]:
    """For each client id: the current referent's office and the current backup's login (two
    queries for the whole list)."""
    on = on or local_today()
    if not ids:
        return {}
    query: Any = select(Client.id, _referent_counsellor.office)
    stmt = _open_referent_join(query)
    offices: dict[int, str | None] = {
        row[0]: row[1] for row in session.execute(stmt.where(Client.id.in_(ids)))
    }
    backups: dict[int, str] = {}
    for client_id, login in session.execute(
        select(Assignment.client_id, Counsellor.login)
        .join(Counsellor, Counsellor.id == Assignment.counsellor_id)
        .where(Assignment.client_id.in_(ids), Assignment.role == AssignmentRole.BACKUP,
               Assignment.starts_on <= on, or_(Assignment.ends_on.is_(None), Assignment.ends_on > on))
        .order_by(Assignment.starts_on)
    ):  # fmt: skip
        backups[client_id] = login  # the latest start wins, as current_backup says
    return {cid: Followed(offices.get(cid), backups.get(cid)) for cid in ids}
