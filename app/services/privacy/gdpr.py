"""The client's rights under the GDPR: everything held about them (access and portability),
and erasure for good, leaving only an anonymous tombstone in the audit trail.

Export and erasure go through every table that refers to the client, found from the schema
itself (`client_id` columns, and the tables hanging off those), so a table added later is not
forgotten. The national number stays out of exports unless the organisation requires it.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterator
from typing import Any

from sqlalchemy import Table, delete, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from app.i18n import _
from app.models import AuditEntry, Client, load_all
from app.models.enums import AuditAction
from app.services import org_settings
from app.services.errors import NotFound, ValidationFailed
from app.services.privacy import access, audit
from app.services.privacy.access import Actor

LEFT_OUT = "(left out)"
_INTERNAL = {"search_text", "sort_name"}  # derived from the fields above, for searching


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value


def _related_tables() -> Iterator[tuple[Table, Table | None]]:
    """(table with client_id, or a table hanging off it by a cascading key; its parent)."""
    metadata = load_all().metadata
    direct = [t for name, t in sorted(metadata.tables.items())
              if "client_id" in t.c and name not in ("clients", "audit_entries")]  # fmt: skip
    for table in direct:
        yield table, None
        for child in sorted(metadata.tables.values(), key=lambda t: t.name):
            if child is not table and any(fk.column.table is table for fk in child.foreign_keys) \
                    and "client_id" not in child.c:  # fmt: skip
                yield child, table


def _rows_of(
    session: Session, table: Table, parent: Table | None, client_id: int
) -> list[dict[str, Any]]:
    if parent is None:
        stmt = select(table).where(table.c.client_id == client_id)
    else:
        fk = next(fk for fk in table.foreign_keys if fk.column.table is parent)
        parents = select(parent.c.id).where(parent.c.client_id == client_id)
        stmt = select(table).where(fk.parent.in_(parents))
    return [{k: _plain(v) for k, v in row._mapping.items()} for row in session.execute(stmt)]


def export_data(session: Session, actor: Actor, client_id: int) -> dict[str, Any]:
    """Everything stored about one client, as plain data; recorded in the audit trail."""
    access.require_referent_or_team_lead(session, actor, client_id)
    client = session.get(Client, client_id)
    if client is None:
        raise NotFound(_("This client file no longer exists."))
    with_number = org_settings.export_national_number(session)
    fields = {}
    for column in Client.__table__.c:
        value = _plain(getattr(client, column.key))
        if column.key == "national_number" and value and not with_number:
            value = LEFT_OUT
        fields[column.key] = value
    data: dict[str, Any] = {
        "format": "traject-client-export", "version": 1,
        "exported_at": _plain(dt.datetime.now(dt.UTC)),
        "client": {k: v for k, v in fields.items() if k not in _INTERNAL},
        "derived": {k: v for k, v in fields.items() if k in _INTERNAL},
        "records": {table.name: _rows_of(session, table, parent, client_id)
                    for table, parent in _related_tables()},
        "access_log": [{"at": _plain(r.at), "counsellor": r.counsellor, "action": r.action.value,
                        "detail": r.detail, "reason": r.reason} for r in audit.entries(session, client_id=client_id)],
    }  # fmt: skip
    audit.record(
        session, AuditAction.EXPORT, counsellor_id=actor.counsellor_id, client_id=client_id
    )
    return data


def erasure_summary(session: Session, actor: Actor, client_id: int) -> dict[str, int]:
    """What erasing would remove: rows per table (for the confirmation that names it). Only
    someone who may erase learns it: the counts already say what a file holds."""
    access.require_oversight(actor)
    counts = {"clients": 1 if session.get(Client, client_id) else 0}
    for table, parent in _related_tables():
        counts[table.name] = len(_rows_of(session, table, parent, client_id))
    return {name: n for name, n in counts.items() if n}


def erase(session: Session, actor: Actor, client_id: int, reason: str) -> dict[str, int]:
    """Remove the client's personal data for good; the caller commits. Only a team lead or an
    administrator; the audit trail keeps an anonymous tombstone with the counts and reason."""
    access.require_oversight(actor)
    reason = " ".join(reason.split())
    if len(reason) < access.MIN_REASON_LENGTH:
        raise ValidationFailed({"reason": _("Reason: say why this file is erased (at least {n} "
                                            "characters).").format(n=access.MIN_REASON_LENGTH)})  # fmt: skip
    summary = erasure_summary(session, actor, client_id)
    if not summary:
        raise NotFound(_("This client file no longer exists."))
    for table, parent in reversed(list(_related_tables())):
        if parent is None:
            session.execute(delete(table).where(table.c.client_id == client_id))
        else:
            fk = next(fk for fk in table.foreign_keys if fk.column.table is parent)
            session.execute(delete(table).where(
                fk.parent.in_(select(parent.c.id).where(parent.c.client_id == client_id))))  # fmt: skip
    _forget_search_tokens(session)
    session.execute(delete(Client).where(Client.id == client_id),
                    execution_options={"synchronize_session": False})  # fmt: skip
    session.expire_all()
    _forget_search_tokens(session, after=True)
    audit.forget_reasons(session, client_id)  # a reason to open the file may name the client
    detail = "; ".join(f"{name} {n}" for name, n in sorted(summary.items()))
    audit.record(session, AuditAction.ERASE, counsellor_id=actor.counsellor_id, client_id=client_id,
                 detail=detail, reason=reason)  # fmt: skip
    session.flush()
    return summary


def _forget_search_tokens(session: Session, *, after: bool = False) -> None:
    """FTS5 keeps deleted words in old index segments until they are merged: with the index's
    secure-delete option (SQLite 3.42+) they go at once, otherwise the index is merged."""
    if session.get_bind().dialect.name != "sqlite":
        return
    if not after:
        try:
            session.execute(
                text("INSERT INTO client_search(client_search, rank) VALUES ('secure-delete', 1)")
            )
        except DBAPIError:  # an older SQLite without the option
            session.info["fts_merge_needed"] = True
        return
    if session.info.pop("fts_merge_needed", False):
        session.execute(text("INSERT INTO client_search(client_search) VALUES ('optimize')"))


def due_for_review(
    session: Session, actor: Actor, today: dt.date
) -> list[tuple[int, str, str, dt.date]]:
    """Closed files older than the retention period: (id, dossier, name, closed on), oldest
    first, for a team lead to erase or keep."""
    access.require_oversight(actor)
    years = org_settings.retention_years(session)
    limit = today.replace(year=today.year - years) if not (today.month == 2 and today.day == 29) \
        else today.replace(year=today.year - years, day=28)  # fmt: skip
    rows = session.execute(
        select(Client.id, Client.dossier, Client.given_name, Client.family_name, Client.closed_on)
        .where(Client.closed_on.is_not(None), Client.closed_on < limit)
        .order_by(Client.closed_on)
    )
    return [(r.id, r.dossier, f"{r.given_name} {r.family_name}", r.closed_on) for r in rows]


def tombstones(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(AuditEntry)
                              .where(AuditEntry.action == AuditAction.ERASE.value)) or 0)  # fmt: skip
