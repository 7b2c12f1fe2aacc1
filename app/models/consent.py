"""Consent per purpose: what a client agreed to, with whom, since when, and who recorded it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, Versioned, utcnow
from app.models.enums import ConsentPurpose
from app.models.stored_enum import StoredEnum


class Consent(Versioned, Base):
    __tablename__ = "consents"
    __table_args__ = (Index("ix_consents_client_id", "client_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    purpose: Mapped[ConsentPurpose] = mapped_column(StoredEnum(ConsentPurpose))
    partner: Mapped[str | None] = mapped_column(String(300))  # for sharing with a named partner
    given_on: Mapped[dt.date] = mapped_column(Date)
    recorded_by: Mapped[int] = mapped_column(ForeignKey("counsellors.id"))
    withdrawn_on: Mapped[dt.date | None] = mapped_column(Date)
    withdrawn_by: Mapped[int | None] = mapped_column(ForeignKey("counsellors.id"))
    note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
