"""The audit trail: who did what to which file and when — never the personal data itself.

Entries are only ever appended. Each stores the SHA-256 of its own content and of the entry
before it, so that removing or altering an entry in the middle breaks the chain, which
`verify` (and `traject check`) reports with the place of the break. Ids are consecutive, so a
removed entry also leaves a gap. (Removing the newest entries leaves a shorter but valid
chain; the count in `traject check` is what shows it.)

A reason someone typed is stored beside the chain (`AuditReason`) with a salted digest in the
entry: erasing a client removes the reasons about them (`forget_reasons`), and `verify` accepts
a missing reason only for a client whose erasure the trail records.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import secrets
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, insert, inspect, select, tuple_
from sqlalchemy.orm import Session

from app.i18n import _
from app.models import AuditEntry, AuditReason, Counsellor
from app.models.base import utcnow
from app.models.enums import AuditAction
from app.services import write_lock
from app.services.caseload import counsellors

GENESIS = "0" * 64


def entry_hash(
    entry_id: int, at: dt.datetime, counsellor_id: int | None, action: str,
    client_id: int | None, detail: str | None, prev_hash: str, reason_digest: str | None = None,
) -> str:  # fmt: skip
    content = [entry_id, at.astimezone(dt.UTC).replace(tzinfo=None).isoformat(timespec="microseconds"),
               counsellor_id, action, client_id, detail, prev_hash]  # fmt: skip
    if reason_digest is not None:  # entries from before revision 0005 were hashed without it
        content.append(reason_digest)
    encoded = json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode()
    return hashlib.sha256(encoded).hexdigest()


def reason_digest(salt: str, reason: str) -> str:
    return hashlib.sha256(f"{salt}:{reason}".encode()).hexdigest()


def record(
    session: Session, action: AuditAction, *, counsellor_id: int | None,
    client_id: int | None = None, detail: str | None = None, reason: str | None = None,
) -> AuditEntry:  # fmt: skip
    """Append one entry in the session's transaction (it commits with the change it records).

    `detail` is chained as it is and must never hold personal data (field names, counts);
    `reason` is what a person typed and is kept beside the chain.

    On a team server the server links the entry into the chain itself (id, time and hashes
    from a trigger under an advisory lock, migration 0009): what is sent is only what happened."""
    if session.get_bind().dialect.name == "postgresql":
        return _record_on_server(session, action, counsellor_id, client_id, detail, reason)
    write_lock.hold(session, AuditEntry.__tablename__)  # no two processes take one id
    last = session.execute(
        select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
    ).first()
    entry_id, prev = (last.id + 1, last.hash) if last else (1, GENESIS)
    at = utcnow()
    salt = secrets.token_hex(16)
    digest = reason_digest(salt, reason) if reason is not None else None
    entry = AuditEntry(id=entry_id, at=at, counsellor_id=counsellor_id, action=action.value,
                       client_id=client_id, detail=detail, prev_hash=prev, reason_digest=digest,
                       hash=entry_hash(entry_id, at, counsellor_id, action.value, client_id, detail, prev,
                                       digest))  # fmt: skip
    session.add(entry)
    session.flush()
    if reason is not None:
        session.add(AuditReason(entry_id=entry_id, salt=salt, text=reason))
        session.flush()
    return entry


def _record_on_server(
    session: Session, action: AuditAction, counsellor_id: int | None, client_id: int | None,
    detail: str | None, reason: str | None,
) -> AuditEntry:  # fmt: skip
    salt = secrets.token_hex(16)
    digest = reason_digest(salt, reason) if reason is not None else None
    # RETURNING brings back the id, time and hashes the server's trigger gave the entry
    entry = session.scalars(insert(AuditEntry).returning(AuditEntry), [{
        "at": utcnow(), "counsellor_id": counsellor_id, "action": action.value,
        "client_id": client_id, "detail": detail, "prev_hash": "", "hash": "",
        "reason_digest": digest}]).one()  # fmt: skip
    if reason is not None:
        session.add(AuditReason(entry_id=entry.id, salt=salt, text=reason))
        session.flush()
    return entry


def forget_reasons(session: Session, client_id: int) -> int:
    """Remove the typed reasons of every entry about this client (erasure); the chain stays."""
    about = select(AuditEntry.id).where(AuditEntry.client_id == client_id)
    removed = session.execute(delete(AuditReason).where(AuditReason.entry_id.in_(about)))
    count = int(getattr(removed, "rowcount", 0) or 0)
    from app.models import ImportedAuditEntry, ImportedAuditReason

    imported = select(ImportedAuditEntry.segment, ImportedAuditEntry.entry_id).where(
        ImportedAuditEntry.client_id == client_id)  # fmt: skip
    gone = session.execute(delete(ImportedAuditReason).where(
        tuple_(ImportedAuditReason.segment, ImportedAuditReason.entry_id).in_(imported)))  # fmt: skip
    return count + int(getattr(gone, "rowcount", 0) or 0)


def changed_fields(fields: Iterable[str]) -> str:
    """The detail of a change: which fields, never their values."""
    return ", ".join(sorted(fields))


def head(conn: Connection) -> tuple[int, str] | None:
    """The newest entry's id and hash (what the key file keeps as the trail's anchor)."""
    row = conn.execute(
        select(AuditEntry.id, AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1)
    ).first()
    return (row.id, row.hash) if row else None


def verify(conn: Connection, anchor: tuple[int, str] | None = None) -> list[str]:
    """Problems in the chain, each naming the entry where it breaks; empty when whole.

    `anchor` is the newest entry as recorded outside the database (the key file): if it is
    gone or differs, the newest entries were removed or rewritten. Trails brought in from a
    file (a team server, migration 0011) are verified too (`imported_problems`)."""
    reasons = {r.entry_id: (r.salt, r.text) for r in conn.execute(select(AuditReason.__table__))}
    erased = _erased(conn)
    rows = conn.execute(select(AuditEntry.__table__).order_by(AuditEntry.id))
    problems, prev_id, _head, _count = _chain_problems(rows, reasons, erased)
    if anchor is not None:
        problems.extend(_anchor_problems(conn, anchor, prev_id))
    problems.extend(imported_problems(conn, erased))
    return problems


def _erased(conn: Connection) -> dict[int | None, int]:
    return dict(conn.execute(select(AuditEntry.client_id, func.max(AuditEntry.id))
                             .where(AuditEntry.action == AuditAction.ERASE.value)
                             .group_by(AuditEntry.client_id)).all())  # fmt: skip


def _chain_problems(
    rows: Iterable[Any], reasons: dict[int, tuple[str, str]], erased: dict[int | None, int]
) -> tuple[list[str], int, str, int]:
    """Problems of one chain of rows, and its last id, last hash and length."""
    problems: list[str] = []
    prev_id, prev_hash, count = 0, GENESIS, 0
    for row in rows:
        count += 1
        entry_id = row.entry_id if hasattr(row, "entry_id") else row.id
        if entry_id != prev_id + 1:
            problems.append(_("Audit trail: entries {first} to {last} are missing.").format(
                first=prev_id + 1, last=entry_id - 1))  # fmt: skip
        if row.prev_hash != prev_hash:
            problems.append(_("Audit trail: entry {id} does not follow the entry before it "
                              "(an entry was removed or altered).").format(id=entry_id))  # fmt: skip
        at = row.at.replace(tzinfo=dt.UTC) if row.at.tzinfo is None else row.at
        if entry_hash(entry_id, at, row.counsellor_id, row.action, row.client_id, row.detail,
                      row.prev_hash, row.reason_digest) != row.hash:  # fmt: skip
            problems.append(_("Audit trail: entry {id} was altered.").format(id=entry_id))
        problems.extend(_reason_problems(row, entry_id, reasons.pop(entry_id, None), erased))
        prev_id, prev_hash = entry_id, row.hash
    problems.extend(_("Audit trail: a reason was added to entry {id}, which had none.").format(id=entry_id)
                    for entry_id in sorted(reasons))  # fmt: skip
    return problems, prev_id, prev_hash, count


def segment_record(segment: int, count: int, head_hash: str) -> str:
    """What the server's chain says of a trail brought in from a file."""
    return f"segment {segment}: {count} entries, head {head_hash}"


def imported_problems(conn: Connection, erased: dict[int | None, int]) -> list[str]:
    """Each imported segment is whole, and is what the server's chain recorded of it."""
    from app.models import ImportedAuditEntry, ImportedAuditReason

    if not inspect(conn).has_table(ImportedAuditEntry.__tablename__):
        return []
    recorded = [row[0] for row in conn.execute(
        select(AuditEntry.detail).where(AuditEntry.action == AuditAction.IMPORT_TRAIL.value))]  # fmt: skip
    segments = sorted(conn.scalars(select(ImportedAuditEntry.segment).distinct()))
    problems: list[str] = []
    for segment in segments:
        rows = conn.execute(select(ImportedAuditEntry.__table__)
                            .where(ImportedAuditEntry.segment == segment)
                            .order_by(ImportedAuditEntry.entry_id))  # fmt: skip
        reasons = {r.entry_id: (r.salt, r.text) for r in conn.execute(
            select(ImportedAuditReason.__table__).where(ImportedAuditReason.segment == segment))}  # fmt: skip
        # a client erased on the file before it moved, or on the server since
        in_file = conn.scalars(select(ImportedAuditEntry.client_id).where(
            ImportedAuditEntry.segment == segment,
            ImportedAuditEntry.action == AuditAction.ERASE.value))  # fmt: skip
        # after every entry of the segment, whenever it happened
        erased_here: dict[int | None, int] = dict.fromkeys((*erased, *in_file), sys.maxsize)
        found, _last, head_hash, count = _chain_problems(rows, reasons, erased_here)
        problems.extend(_("Imported audit trail {segment}: {problem}").format(
            segment=segment, problem=problem) for problem in found)  # fmt: skip
        if segment_record(segment, count, head_hash) not in recorded:
            problems.append(_("Imported audit trail {segment}: it is not the trail the server "
                              "recorded when the file was moved onto it (entries were removed, "
                              "added or rewritten).").format(segment=segment))  # fmt: skip
    for detail in recorded:
        named = re.match(r"segment (\d+): ", detail or "")
        if named is None:
            problems.append(_("Audit trail: an entry says a file's trail was moved here, but "
                              "not which ({detail}).").format(detail=detail))  # fmt: skip
            continue
        segment = int(named.group(1))
        if segment not in segments:
            problems.append(_("Imported audit trail {segment}: the server recorded it, but "
                              "its entries are gone.").format(segment=segment))  # fmt: skip
    return problems


def _anchor_problems(conn: Connection, anchor: tuple[int, str], last_id: int) -> list[str]:
    anchor_id, anchor_hash = anchor
    if last_id < anchor_id:
        return [_("Audit trail: the key file saw entry {anchor} at the last sign-in or lock, but "
                  "the trail ends at entry {last}: the newest entries were removed.").format(
                    anchor=anchor_id, last=last_id)]  # fmt: skip
    stored = conn.scalar(select(AuditEntry.hash).where(AuditEntry.id == anchor_id))
    if stored != anchor_hash:
        return [_("Audit trail: entry {id} is not the one the key file saw at the last sign-in or "
                  "lock: the trail was rewritten from there.").format(id=anchor_id)]  # fmt: skip
    return []


def _reason_problems(
    row: Any, entry_id: int, reason: tuple[str, str] | None, erased: dict[int | None, int]
) -> list[str]:
    if row.reason_digest is None:
        if reason is not None:
            return [
                _("Audit trail: a reason was added to entry {id}, which had none.").format(
                    id=entry_id
                )
            ]
        return []
    if reason is None:
        if row.client_id is not None and erased.get(row.client_id, 0) > entry_id:
            return []  # removed with the client's file
        return [_("Audit trail: the reason of entry {id} was removed.").format(id=entry_id)]
    if reason_digest(*reason) != row.reason_digest:
        return [_("Audit trail: the reason of entry {id} was altered.").format(id=entry_id)]
    return []


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
    reason: str | None = None

    @property
    def description(self) -> str:
        """What the entry says: the fields or counts, and the reason someone gave."""
        return " — ".join(part for part in (self.detail, self.reason) if part)


def entries(
    session: Session, *, client_id: int | None = None, counsellor_id: int | None = None,
    actions: Sequence[AuditAction] = (), since: dt.datetime | None = None,
    until: dt.datetime | None = None, limit: int = 500,
) -> list[AuditRow]:  # fmt: skip
    """Newest first, filtered as an audit view asks."""
    stmt = (
        select(AuditEntry, Counsellor.full_name, AuditReason.text)
        .outerjoin(Counsellor, Counsellor.id == AuditEntry.counsellor_id)
        .outerjoin(AuditReason, AuditReason.entry_id == AuditEntry.id)
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
    names = counsellors.display_names(session)  # two Anna Peeters told apart
    return [AuditRow(e.id, e.at, names.get(e.counsellor_id or 0, name), AuditAction(e.action), e.client_id, e.detail, reason)
            for e, name, reason in session.execute(stmt)]  # fmt: skip


def who_looked(session: Session, client_id: int) -> list[AuditRow]:
    """Everyone who opened this client's file, and every break-the-glass, newest first."""
    return entries(session, client_id=client_id,
                   actions=(AuditAction.VIEW, AuditAction.BREAK_GLASS, AuditAction.EXPORT,
                            AuditAction.PRINT))  # fmt: skip
