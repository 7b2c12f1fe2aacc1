"""Partner offers and referrals of clients to them, with every status change."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models import scripts as _scripts  # noqa: F401 - their foreign keys point at script_runs
from app.models.base import Base, Versioned, utcnow
from app.models.enums import ReferralStatus
from app.models.stored_enum import StoredEnum


class Offer(Versioned, Base):
    __tablename__ = "offers"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    offer_type: Mapped[str] = mapped_column(String(48), index=True)
    name: Mapped[str] = mapped_column(String(300))
    provider: Mapped[str] = mapped_column(String(300))
    region: Mapped[str] = mapped_column(String(48), index=True)
    street: Mapped[str | None] = mapped_column(String(200))
    postal_code: Mapped[str | None] = mapped_column(String(10))
    municipality: Mapped[str | None] = mapped_column(String(100))
    contact_person: Mapped[str | None] = mapped_column(String(200))
    phone: Mapped[str | None] = mapped_column(String(32))
    email: Mapped[str | None] = mapped_column(String(254))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    what_to_bring: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False)


class Referral(Versioned, Base):
    __tablename__ = "referrals"
    __table_args__ = (
        Index("ix_referrals_client_id", "client_id"),
        Index("ix_referrals_follow_up", "counsellor_id", "follow_up_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    offer_id: Mapped[int] = mapped_column(ForeignKey("offers.id"))
    counsellor_id: Mapped[int | None] = mapped_column(ForeignKey("counsellors.id"))
    script_run_id: Mapped[int | None] = mapped_column(
        ForeignKey("script_runs.id", ondelete="SET NULL")
    )
    reason: Mapped[str | None] = mapped_column(Text)
    agreed: Mapped[str | None] = mapped_column(Text)  # what client, referent and partner agreed
    # when the client is expected at the partner, for the client's copy of the letter
    partner_appointment_at: Mapped[dt.datetime | None] = mapped_column()
    status: Mapped[ReferralStatus] = mapped_column(
        StoredEnum(ReferralStatus), default=ReferralStatus.DRAFT
    )
    consent_at: Mapped[dt.datetime | None] = mapped_column()
    follow_up_on: Mapped[dt.date | None] = mapped_column(Date)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class ReferralEvent(Base):
    """A dated status change of a referral and who made it."""

    __tablename__ = "referral_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    referral_id: Mapped[int] = mapped_column(
        ForeignKey("referrals.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[ReferralStatus] = mapped_column(StoredEnum(ReferralStatus))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    counsellor_id: Mapped[int | None] = mapped_column(ForeignKey("counsellors.id"))
    note: Mapped[str | None] = mapped_column(Text)
