"""Permanence desks: a walk-in or telephone session at a contact point and its queue of
visitors. A visitor's name is held only while the session is open (the queue needs it);
closing the session keeps what the summary counts and, for a known client, the link."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from app.models import activity as _activity  # noqa: F401 - visits point at contacts
from app.models.agenda_enums import DeskKind, VisitCategory, VisitOutcome
from app.models.base import Base, Versioned, utcnow
from app.models.stored_enum import StoredEnum


class DeskSession(Versioned, Base):
    __tablename__ = "desk_sessions"
    __table_args__ = (Index("ix_desk_sessions_counsellor_id", "counsellor_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    counsellor_id: Mapped[int] = mapped_column(ForeignKey("counsellors.id"))
    kind: Mapped[DeskKind] = mapped_column(StoredEnum(DeskKind))
    location: Mapped[str | None] = mapped_column(String(200))
    opened_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[dt.datetime | None] = mapped_column()


class DeskVisit(Versioned, Base):
    """One visitor or caller: waiting from `arrived_at`, served from `called_at`."""

    __tablename__ = "desk_visits"
    __table_args__ = (
        Index("ix_desk_visits_session_id", "session_id"),
        Index("ix_desk_visits_client_id", "client_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("desk_sessions.id", ondelete="CASCADE"))
    arrived_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    visitor_name: Mapped[str | None] = mapped_column(String(200))  # None: anonymous
    language: Mapped[str | None] = mapped_column(String(12))
    category: Mapped[VisitCategory] = mapped_column(StoredEnum(VisitCategory))
    called_at: Mapped[dt.datetime | None] = mapped_column()
    finished_at: Mapped[dt.datetime | None] = mapped_column()
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="SET NULL"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"))
    outcome: Mapped[VisitOutcome | None] = mapped_column(StoredEnum(VisitOutcome))
