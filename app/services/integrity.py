"""`traject check`: is the database whole, at the code's schema, and are the rules kept?"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, and_, func, select, text
from sqlalchemy.orm import aliased

from app.i18n import _, format_number, ngettext
from app.models import Assignment, Client
from app.models.enums import AssignmentRole, ClientStatus


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_connection(
    conn: Connection, *, current: str | None, head: str, audit_anchor: tuple[int, str] | None = None
) -> CheckReport:
    """`audit_anchor`: the newest audit entry as the key file saw it (encrypted databases)."""
    report = CheckReport()
    if current != head:
        report.problems.append(
            _("Schema revision {current} differs from this version's {head}; start Traject "
              "once to migrate it.").format(current=current or "-", head=head)
        )  # fmt: skip
        return report
    report.facts.append(_("Schema revision {head} (up to date).").format(head=head))
    if conn.dialect.name == "sqlite":
        _check_sqlite(conn, report)
    _check_referents(conn, report)
    _check_audit_trail(conn, report, audit_anchor)
    clients = conn.scalar(select(func.count()).select_from(Client)) or 0
    report.facts.append(
        ngettext("{n} client.", "{n} clients.", clients).format(n=format_number(clients))
    )
    return report


def _check_sqlite(conn: Connection, report: CheckReport) -> None:
    result = [row[0] for row in conn.execute(text("PRAGMA integrity_check"))]
    if result != ["ok"]:
        report.problems.append(
            _("SQLite integrity check failed: {detail}").format(detail="; ".join(result[:5]))
        )
    broken = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
    if broken:
        report.problems.append(
            ngettext("{n} row points to a record that does not exist.",
                     "{n} rows point to records that do not exist.", len(broken)).format(n=len(broken))
        )  # fmt: skip
    try:
        conn.execute(
            text("INSERT INTO client_search(client_search, rank) VALUES ('integrity-check', 1)")
        )
    except Exception:
        report.problems.append(_("The search index does not match the client files."))


def _check_referents(conn: Connection, report: CheckReport) -> None:
    """Every active client has exactly one open referent period."""
    referent = aliased(Assignment)
    missing = conn.scalar(
        select(func.count())
        .select_from(Client)
        .outerjoin(
            referent,
            and_(
                referent.client_id == Client.id,
                referent.role == AssignmentRole.REFERENT,
                referent.ends_on.is_(None),
            ),
        )
        .where(Client.status == ClientStatus.ACTIVE, referent.id.is_(None))
    )
    if missing:
        report.problems.append(
            ngettext("{n} active client has no referent.",
                     "{n} active clients have no referent.", missing).format(n=missing)
        )  # fmt: skip


def _check_audit_trail(
    conn: Connection, report: CheckReport, anchor: tuple[int, str] | None
) -> None:
    from app.services import audit

    problems = audit.verify(conn, anchor)
    report.problems.extend(problems)
    if not problems:
        n = audit.count(conn)
        report.facts.append(ngettext("Audit trail: {n} entry, chain intact.",
                                     "Audit trail: {n} entries, chain intact.", n).format(n=format_number(n)))  # fmt: skip
