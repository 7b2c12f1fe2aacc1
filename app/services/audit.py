"""The audit trail: who did what to which file and when — never the personal data itself.

Entries are only ever appended. Each stores the SHA-256 of its own content and of the entry
before it, so that removing or altering an entry in the middle breaks the chain, which
`verify` (and `traject check`) reports with the place of the break. Ids are consecutive, so a
removed entry also leaves a gap. (Removing the newest entries leaves a shorter but valid
chain; the count in `traject check` is what shows it.)
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from app.i18n import _
from app.models import AuditEntry, Counsellor
from app.models.base import utcnow
from app.models.enums import AuditAction

GENESIS = "0" * 64


def entry_hash(
    entry_id: int, at: dt.datetime, counsellor_id: int | None, action: str,
    client_id: int | None, detail: str | None, prev_hash: str,
) -> str:  # fmt: skip
    content = [entry_id, at.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="microseconds"),
               counsellor_id, action, client_id, detail, prev_hash]  # fmt: skip
    encoded = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()


def record(
    session: Session, action: AuditAction, *, counsellor_id: int | None,
    client_id: int | None = None, detail: str | None = None,
) -> AuditEntry:  # fmt: skip
    """Append one entry in the session's transaction (it commits with the change it records)."""
    last = session.execute(
        select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
    ).first()
    entry_id, prev = (last.id + 1, last.hash) if last else (1, GENESIS)
    at = utcnow()
    entry = AuditEntry(id=entry_id, at=at, counsellor_id=counsellor_id, action=action.value,
                       client_id=client_id, detail=detail, prev_hash=prev,
                       hash=entry_hash(entry_id, at, counsellor_id, action.value, client_id, detail, prev))  # fmt: skip
    session.add(entry)
    session.flush()
    return entry


def changed_fields(fields: Iterable[str]) -> str:
    """The detail of a change: which fields, never their values."""
    return ", ".join(sorted(fields))


def verify(conn: Connection) -> list[str]:
    """Problems in the chain, each naming the entry where it breaks; empty when whole."""
    problems: list[str] = []
    prev_id, prev_hash = 0, GENESIS
    rows = conn.execute(select(AuditEntry.__table__).order_by(AuditEntry.id))
    for row in rows:
        if row.id != prev_id + 1:
            problems.append(_("Audit trail: entries {first} to {last} are missing.").format(
                first=prev_id + 1, last=row.id - 1))  # fmt: skip
        if row.prev_hash != prev_hash:
            problems.append(_("Audit trail: entry {id} does not follow the entry before it "
                              "(an entry was removed or altered).").format(id=row.id))  # fmt: skip
        at = row.at.replace(tzinfo=dt.UTC) if row.at.tzinfo is None else row.at
        if entry_hash(row.id, at, row.counsellor_id, row.action, row.client_id, row.detail,
                      row.prev_hash) != row.hash:  # fmt: skip
            problems.append(_("Audit trail: entry {id} was altered.").format(id=row.id))
        prev_id, prev_hash = row.id, row.hash
    return problems


def count(conn: Connection) -> int:
    return int(conn.scalar(select(func.count()).select_from(AuditEntry)) or 0)


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: dt.datetime
    counsellor: str | None
    action: AuditAction
    client_id: int | None
    detail: str | None


def entries(
    session: Session, *, client_id: int | None = None, counsellor_id: int | None = None,
    actions: Sequence[AuditAction] = (), since: dt.datetime | None = None,
    until: dt.datetime | None = None, limit: int = 500,
) -> list[AuditRow]:  # fmt: skip
    """Newest first, filtered as an audit view asks."""
    stmt = (
        select(AuditEntry, Counsellor.full_name)
        .outerjoin(Counsellor, Counsellor.id == AuditEntry.counsellor_id)
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    )
    if client_id is not None:
        stmt = stmt.where(AuditEntry.client_id == client_id)
    if counsellor_id is not None:
        stmt = stmt.where(AuditEntry.counsellor_id == counsellor_id)
    if actions:
        stmt = stmt.where(AuditEntry.action.in_([a.value for a in actions]))
    if since is not None:
        stmt = stmt.where(AuditEntry.at >= since)
    if until is not None:
        stmt = stmt.where(AuditEntry.at < until)
    return [AuditRow(e.id, e.at, name, AuditAction(e.action), e.client_id, e.detail)
            for e, name in session.execute(stmt)]  # fmt: skip


def who_looked(session: Session, client_id: int) -> list[AuditRow]:
    """Everyone who opened this client's file, and every break-the-glass, newest first."""
    return entries(session, client_id=client_id,
                   actions=(AuditAction.VIEW, AuditAction.BREAK_GLASS, AuditAction.EXPORT,
                            AuditAction.PRINT))  # fmt: skip
