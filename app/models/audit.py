"""The audit trail: append-only, each entry chained to the previous one by its hash.

What a person typed (why a file was opened or erased) is kept beside the chain, in
`audit_reasons`: the chained entry holds only a salted digest of it. A reason may name the
client, so erasing the client removes the reasons about them; the chain stays whole, and the
random salt goes with the text, so the digest left behind reveals nothing.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.models.base import Base, utcnow


class AuditEntry(Base):
    __tablename__ = "audit_entries"
    __table_args__ = (Index("ix_audit_entries_client_id", "client_id"),)
    server_completes_rows = True  # on a team server, a trigger links the entry (0009)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    counsellor_id: Mapped[int | None] = mapped_column(ForeignKey("counsellors.id"))
    action: Mapped[str] = mapped_column(String(48))
    # no foreign key: entries outlive the client (erasure leaves an anonymous tombstone)
    client_id: Mapped[int | None] = mapped_column()
    detail: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    reason_digest: Mapped[str | None] = mapped_column(String(64))


class AuditReason(Base):
    __tablename__ = "audit_reasons"

    entry_id: Mapped[int] = mapped_column(ForeignKey("audit_entries.id"), primary_key=True)
    salt: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)


class ImportedAuditEntry(Base):
    """An entry of a database file's trail, kept as it was when the file moved onto a team
    server (migration 0011): its own ids and hashes, verified as a segment of its own."""

    __tablename__ = "audit_imported"
    __table_args__ = (Index("ix_audit_imported_client_id", "client_id"),)

    segment: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    entry_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    at: Mapped[dt.datetime] = mapped_column()
    counsellor_id: Mapped[int | None] = mapped_column()
    action: Mapped[str] = mapped_column(String(48))
    client_id: Mapped[int | None] = mapped_column()
    detail: Mapped[str | None] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    reason_digest: Mapped[str | None] = mapped_column(String(64))


class ImportedAuditReason(Base):
    __tablename__ = "audit_imported_reasons"

    segment: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    entry_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    salt: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
