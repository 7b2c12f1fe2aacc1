"""A team's own records: who is away when (an absence and the cover it arranged), and the
notices a counsellor gets about their clients (a colleague broke the glass, or covers them)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column

from app.i18n import N_
from app.models.base import Base, Versioned, utcnow
from app.models.enums import LabelledEnum, _labelled
from app.models.stored_enum import StoredEnum


class NoticeKind(LabelledEnum):
    BREAK_GLASS = "break_glass"  # a colleague opened one of your files with a reason
    COVER = "cover"  # a colleague covers (some of) your clients for a period
    COVER_ENDED = "cover_ended"  # an absence's cover was undone


_labelled(
    NoticeKind,
    {
        "break_glass": N_("Opened with a reason"),
        "cover": N_("Covers for you"),
        "cover_ended": N_("Cover undone"),
    },
)


class Absence(Versioned, Base):
    """A counsellor away from `starts_on` to `ends_on`, both days included. The backup periods
    it arranged carry its id (`assignments.absence_id`), so one action undoes them all."""

    __tablename__ = "absences"
    __table_args__ = (Index("ix_absences_counsellor_period", "counsellor_id", "ends_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    counsellor_id: Mapped[int] = mapped_column(ForeignKey("counsellors.id"))
    starts_on: Mapped[dt.date] = mapped_column(Date)
    ends_on: Mapped[dt.date] = mapped_column(Date)  # inclusive, as people say it
    declared_by: Mapped[int] = mapped_column(ForeignKey("counsellors.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column()
    cancelled_by: Mapped[int | None] = mapped_column(ForeignKey("counsellors.id"))


class Notice(Base):
    """Something a counsellor should know about one of their clients, shown at their next
    sign-in and kept in a list. It names who did what and when, never a reason's text (the
    audit trail keeps that, for those allowed to read it)."""

    __tablename__ = "notices"
    __table_args__ = (Index("ix_notices_counsellor_read", "counsellor_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    counsellor_id: Mapped[int] = mapped_column(ForeignKey("counsellors.id"))  # who is told
    kind: Mapped[NoticeKind] = mapped_column(StoredEnum(NoticeKind))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    from_counsellor_id: Mapped[int] = mapped_column(ForeignKey("counsellors.id"))  # who did it
    absence_id: Mapped[int | None] = mapped_column(Integer)
    starts_on: Mapped[dt.date | None] = mapped_column(Date)
    ends_on: Mapped[dt.date | None] = mapped_column(Date)  # inclusive
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    read_at: Mapped[dt.datetime | None] = mapped_column()
