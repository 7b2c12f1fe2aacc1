"""`traject server import-file`: an encrypted caseload file moved onto a team server.

Everything moves in one transaction of the server's superuser, keys and all, so nothing that
points at a row (the audit trail above all) needs rewriting: every row of every table, the
organisation's settings and offers (in place of the sample ones `server init` loaded), and the
file's audit trail, kept entry for entry as an imported segment (migration 0011) after it was
verified, with one entry in the server's own chain that records its length and newest hash.
The rows on both sides are counted afterwards; any difference undoes the whole move.

It is for a server just set up: no clients yet, and no account but the administrator `server
init` made, who must be the same person (the same login and key) as in the file; accounts
of the file's other counsellors are then given passwords with `traject user add LOGIN`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, delete, func, insert, select, text
from sqlalchemy.orm import Session

from app.db import WRITTEN_BY_KEY
from app.i18n import _
from app.models import (
    AuditEntry,
    AuditReason,
    Client,
    Counsellor,
    ImportedAuditEntry,
    ImportedAuditReason,
    Offer,
    OrgSetting,
    load_all,
)
from app.models.enums import AuditAction
from app.services.errors import ServiceError
from app.services.privacy import audit
from app.services.team import sequences, setup

BATCH = 5000
#: Kept apart: the trail (a segment of its own), what the schema and the server own.
NOT_COPIED = {"alembic_version", AuditEntry.__tablename__, AuditReason.__tablename__,
              ImportedAuditEntry.__tablename__, ImportedAuditReason.__tablename__}  # fmt: skip


@dataclass(frozen=True)
class Moved:
    rows: dict[str, int]  # table -> rows moved (the same on both sides)
    trail_entries: int
    segment: int
    seconds: float


def _batches(source: Session, table: Table) -> Iterator[list[dict[str, Any]]]:
    key = list(table.primary_key.columns)
    result = source.execute(select(table).order_by(*key)).mappings()
    while True:
        rows = [dict(row) for row in result.fetchmany(BATCH)]
        if not rows:
            return
        yield rows


def _count(session: Session, table: Table) -> int:
    return int(session.scalar(select(func.count()).select_from(table)) or 0)


def _check_target(source: Session, target: Session) -> dict[int, str]:
    """The server's accounts (id -> login), once they all are the file's too."""
    if not setup.is_superuser(target):
        raise ServiceError(_("A file is moved onto a server by the server's superuser: --db "
                             "postgresql://postgres@HOST:PORT/DB, with the password in "
                             "PGPASSWORD."))  # fmt: skip
    if target.scalar(select(func.count()).select_from(Client)):
        raise ServiceError(_("The server already holds clients; a file is moved only onto a "
                             "server just set up with “traject server init”."))  # fmt: skip
    theirs = dict(source.execute(select(Counsellor.id, Counsellor.login)).tuples().all())
    ours = dict(target.execute(select(Counsellor.id, Counsellor.login)).tuples().all())
    for key, login in ours.items():
        if theirs.get(key) != login:
            raise ServiceError(
                _("The server's account {login} is not the same account in the file. Set the "
                  "server up with the file's administrator ({admin}) as first account, and move "
                  "the file before adding other accounts.").format(
                    login=login, admin=", ".join(sorted(set(theirs.values()))[:3]))
            )  # fmt: skip
    return ours


def move(source: Session, target: Session, acting_login: str) -> Moved:
    """Copy the file behind `source` onto the server behind `target` (its superuser); the
    caller commits `target`. Nothing is written to the file."""
    started = time.perf_counter()
    broken = audit.verify(source.connection())
    if broken:
        raise ServiceError(_("The file's audit trail is not whole ({problem}); run “traject "
                             "check” on the file first.").format(problem=broken[0]))  # fmt: skip
    ours = _check_target(source, target)
    target.execute(delete(Offer))  # the sample offers `server init` loaded
    target.execute(delete(OrgSetting).where(OrgSetting.key != WRITTEN_BY_KEY))
    moved: dict[str, int] = {}
    for table in load_all().metadata.sorted_tables:
        if table.name in NOT_COPIED:
            continue
        for rows in _batches(source, table):
            if table.name == Counsellor.__tablename__:
                rows = [row for row in rows if row["id"] not in ours]
            elif table.name == OrgSetting.__tablename__:
                rows = [row for row in rows if row["key"] != WRITTEN_BY_KEY]
            if rows:
                target.execute(insert(table), rows)
        moved[table.name] = _count(source, table)
    segment = (target.scalar(select(func.max(ImportedAuditEntry.segment))) or 0) + 1
    entries = source.execute(select(AuditEntry.__table__).order_by(AuditEntry.id)).mappings()
    count, head = 0, audit.GENESIS
    while batch := entries.fetchmany(BATCH):
        target.execute(insert(ImportedAuditEntry), [
            {**{k: v for k, v in row.items() if k != "id"}, "segment": segment,
             "entry_id": row["id"]} for row in batch])  # fmt: skip
        count, head = count + len(batch), batch[-1]["hash"]
    reasons = [{"segment": segment, "entry_id": r.entry_id, "salt": r.salt, "text": r.text}
               for r in source.execute(select(AuditReason.__table__))]  # fmt: skip
    if reasons:
        target.execute(insert(ImportedAuditReason), reasons)
    actor = target.scalar(select(Counsellor.id).where(Counsellor.login == acting_login))
    audit.record(target, AuditAction.IMPORT_TRAIL, counsellor_id=actor,
                 detail=audit.segment_record(segment, count, head))  # fmt: skip
    sequences.catch_up(target)
    _compare(source, target, moved, segment, count)
    target.execute(text("ANALYZE"))
    return Moved(moved, count, segment, time.perf_counter() - started)


def _compare(source: Session, target: Session, moved: dict[str, int], segment: int,
             entries: int) -> None:  # fmt: skip
    """Every table holds on the server what it held in the file; else nothing is kept."""
    tables = {t.name: t for t in load_all().metadata.sorted_tables}
    differ = [name for name, rows in moved.items() if _count(target, tables[name]) != rows]
    imported = target.scalar(select(func.count()).select_from(ImportedAuditEntry)
                             .where(ImportedAuditEntry.segment == segment))  # fmt: skip
    if imported != entries:
        differ.append(ImportedAuditEntry.__tablename__)
    if differ:
        raise ServiceError(_("After the move, the server does not hold the same rows as the "
                             "file ({tables}); nothing was kept.").format(
            tables=", ".join(differ)))  # fmt: skip
