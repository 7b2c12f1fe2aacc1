"""Who is a client's referent now, and who their backup is on a given day (read-only queries
shared by the assignment and access services)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Assignment
from app.models.enums import AssignmentRole
from app.services.clock import local_today


def current_referent(session: Session, client_id: int) -> Assignment | None:
    return session.scalar(
        select(Assignment).where(
            Assignment.client_id == client_id,
            Assignment.role == AssignmentRole.REFERENT,
            Assignment.ends_on.is_(None),
        )
    )


def current_backup(
    session: Session, client_id: int, on: dt.date | None = None
) -> Assignment | None:
    on = on or local_today()
    return session.scalar(
        select(Assignment)
        .where(
            Assignment.client_id == client_id,
            Assignment.role == AssignmentRole.BACKUP,
            Assignment.starts_on <= on,
            (Assignment.ends_on.is_(None)) | (Assignment.ends_on > on),
        )
        .order_by(Assignment.starts_on.desc())
        .limit(1)
    )
