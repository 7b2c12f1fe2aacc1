"""Who is a client's fixed contact person (referent) or backup, over time."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from sqlalchemy import Date, ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.models.base import Base, Versioned, utcnow
from app.models.enums import AssignmentReason, AssignmentRole
from app.models.stored_enum import StoredEnum

if TYPE_CHECKING:
    from app.models.people import Client, Counsellor


class Assignment(Versioned, Base):
    """One period [starts_on, ends_on) in which a counsellor is referent or backup.

    A referent period stays open (ends_on NULL) until someone else takes over; a backup period
    always has an end date. The partial unique index guarantees at most one open referent period
    per client; the services guarantee exactly one for an active client.
    """

    __tablename__ = "assignments"
    __table_args__ = (
        Index("ix_assignments_client_id", "client_id"),
        Index("ix_assignments_counsellor_role", "counsellor_id", "role", "ends_on"),
        Index(
            "uq_assignments_one_open_referent",
            "client_id",
            unique=True,
            # the migration also gives PostgreSQL this condition; naming that dialect here would
            # load its driver machinery at every start-up
            sqlite_where=text("role = 'referent' AND ends_on IS NULL"),
        ),
        # covering (the planner needs the condition's columns in it too): the caseload's referent
        # column reads index pages only (migration 0004)
        Index(
            "ix_assignments_open_referent_counsellor",
            "client_id",
            "role",
            "ends_on",
            "counsellor_id",
            sqlite_where=text("role = 'referent' AND ends_on IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    counsellor_id: Mapped[int] = mapped_column(ForeignKey("counsellors.id"))
    role: Mapped[AssignmentRole] = mapped_column(StoredEnum(AssignmentRole))
    reason: Mapped[AssignmentReason] = mapped_column(StoredEnum(AssignmentReason))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(String(500))
    # the absence that arranged this backup period (`absences`), so it is undone with it
    absence_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    client: Mapped[Client] = relationship(back_populates="assignments")
    counsellor: Mapped[Counsellor] = relationship()
