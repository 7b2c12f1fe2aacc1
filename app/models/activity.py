"""What happens in a trajectory: contacts, appointments, notes and action points."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models import scripts as _scripts  # noqa: F401 - their foreign keys point at script_runs
from app.models.agenda_enums import AppointmentChannel, AppointmentPurpose, VideoPlatform
from app.models.base import Base, Versioned, utcnow
from app.models.enums import (
    ActionPointStatus,
    AppointmentStatus,
    ContactChannel,
    ContactDirection,
    ContactOutcome,
)
from app.models.stored_enum import StoredEnum


class Contact(Versioned, Base):
    """A contact or an attempt to reach the client, on any channel."""

    __tablename__ = "contacts"
    __table_args__ = (
        Index("ix_contacts_client_occurred", "client_id", "occurred_at"),
        # the reach monitor's walk: the last time each client was reached, from the index alone
        Index("ix_contacts_reached_client_occurred", "reached", "client_id", "occurred_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    counsellor_id: Mapped[int | None] = mapped_column(ForeignKey("counsellors.id"))
    occurred_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    channel: Mapped[ContactChannel] = mapped_column(StoredEnum(ContactChannel))
    direction: Mapped[ContactDirection] = mapped_column(StoredEnum(ContactDirection))
    reached: Mapped[bool] = mapped_column(Boolean, default=False)
    outcome: Mapped[ContactOutcome] = mapped_column(StoredEnum(ContactOutcome))
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)


class Appointment(Versioned, Base):
    """A planned meeting, call or test; `location` names one of the organisation's contact
    points (its address comes from the settings)."""

    __tablename__ = "appointments"
    __table_args__ = (
        Index("ix_appointments_counsellor_start", "counsellor_id", "starts_at"),
        Index("ix_appointments_client_id", "client_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    counsellor_id: Mapped[int] = mapped_column(ForeignKey("counsellors.id"))
    starts_at: Mapped[dt.datetime] = mapped_column()
    duration_minutes: Mapped[int] = mapped_column(Integer, default=60)
    channel: Mapped[AppointmentChannel] = mapped_column(StoredEnum(AppointmentChannel))
    location: Mapped[str | None] = mapped_column(String(200))
    video_link: Mapped[str | None] = mapped_column(String(500))  # a video call's address
    video_platform: Mapped[VideoPlatform | None] = mapped_column(StoredEnum(VideoPlatform))
    purpose: Mapped[AppointmentPurpose] = mapped_column(StoredEnum(AppointmentPurpose))
    status: Mapped[AppointmentStatus] = mapped_column(
        StoredEnum(AppointmentStatus), default=AppointmentStatus.PLANNED
    )
    note: Mapped[str | None] = mapped_column(Text)


class Note(Versioned, Base):
    __tablename__ = "notes"
    __table_args__ = (Index("ix_notes_client_id", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    counsellor_id: Mapped[int | None] = mapped_column(ForeignKey("counsellors.id"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    body: Mapped[str] = mapped_column(Text)


class ActionPoint(Versioned, Base):
    """An agreed action point or assignment (werkpunt, opdracht) with a due date."""

    __tablename__ = "action_points"
    __table_args__ = (
        Index("ix_action_points_client_id", "client_id"),
        Index("ix_action_points_status_due_on", "status", "due_on", "client_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    counsellor_id: Mapped[int | None] = mapped_column(ForeignKey("counsellors.id"))
    script_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("script_runs.id", ondelete="SET NULL")
    )
    title: Mapped[str] = mapped_column(String(300))
    due_on: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[ActionPointStatus] = mapped_column(
        StoredEnum(ActionPointStatus), default=ActionPointStatus.OPEN
    )
    done_at: Mapped[dt.datetime | None] = mapped_column()
    done_by: Mapped[int | None] = mapped_column(ForeignKey("counsellors.id"))
    outcome: Mapped[str | None] = mapped_column(Text)  # what came of it, asked when done
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
