"""How many open files each counsellor follows: the load that an absence's cover and the
dispatch of new dossiers weigh. On a team server only the server's count sees colleagues'
clients (row-level security keeps a counsellor from reading them), so it asks the server's
`traject_open_caseloads()` there (migration 0013); a file counts itself."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from app.models import Assignment, Client
from app.models.enums import AssignmentRole, ClientStatus


def open_caseloads(session: Session, ids: Iterable[int] | None = None) -> dict[int, int]:
    """Active clients per current referent, over the whole organisation, in one query; with
    `ids`, those counsellors only, each present (0 for none)."""
    if session.get_bind().dialect.name == "postgresql":
        rows = session.execute(text("SELECT counsellor_id, open FROM traject_open_caseloads()"))
    else:
        rows = session.execute(
            select(Assignment.counsellor_id, func.count())
            .join(Client, Client.id == Assignment.client_id)
            .where(Assignment.role == AssignmentRole.REFERENT, Assignment.ends_on.is_(None),
                   Client.status == ClientStatus.ACTIVE)
            .group_by(Assignment.counsellor_id)
        )  # fmt: skip
    loads = {int(who): int(count) for who, count in rows}
    return loads if ids is None else {who: loads.get(who, 0) for who in ids}
