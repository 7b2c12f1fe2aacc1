"""`traject check`: is the database whole, at the code's schema, and are the rules kept?

A check reports; it never stops at the first thing it cannot read. An encrypted file first has
every page's authentication code checked (`cipher_problems`); then each step runs on its own,
and a step that a damaged file makes fail becomes one more problem, said as a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, Engine, and_, func, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import aliased

from app import db_files
from app.i18n import _, format_list, format_number, ngettext
from app.models import Assignment, Client
from app.models.enums import AssignmentRole, ClientStatus

#: Page numbers named in a problem; a file damaged all over is not listed page by page.
PAGES_NAMED = 20


@dataclass
class CheckReport:
    problems: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)
    damaged: bool = False  # a step could not read the file

    @property
    def ok(self) -> bool:
        return not self.problems


def cipher_problems(path: Path, key: bytearray) -> list[str]:
    """The pages of an encrypted database file whose authentication code does not match
    (changed or damaged since they were written), read without opening it as a database."""
    try:
        connection = db_files.raw_connect(path, key)
        try:
            lines = [str(row[0]) for row in connection.execute("PRAGMA cipher_integrity_check")]
        finally:
            connection.close()
    except Exception as exc:
        if not db_files.is_driver_error(exc):
            raise
        return [_("The encrypted file could not be checked ({detail}); it is damaged, or the "
                  "key file does not belong to it.").format(detail=exc)]  # fmt: skip
    pages = sorted({int(n) for line in lines for n in re.findall(r"page (\d+)", line)})
    problems = []
    if pages:
        named = format_list([format_number(p) for p in pages[:PAGES_NAMED]])
        if len(pages) > PAGES_NAMED:
            named = _("{pages} and {n} more").format(pages=named, n=len(pages) - PAGES_NAMED)
        problems.append(
            ngettext("Page {pages} of the encrypted file was changed or damaged: its "
                     "authentication code does not match.",
                     "Pages {pages} of the encrypted file were changed or damaged: their "
                     "authentication codes do not match.", len(pages)).format(pages=named)
        )  # fmt: skip
    problems += [
        _("The check of the encrypted file reports: {detail}.").format(detail=line.rstrip("."))
        for line in lines
        if not re.search(r"page \d+", line)
    ]
    return problems


def check_engine(
    engine: Engine, audit_anchor: tuple[int, str] | None = None, damage: list[str] | None = None
) -> CheckReport:
    """Every check on `engine`; `damage` are problems found in the file already."""
    from app.db import schema_state

    report = CheckReport(problems=list(damage or []), damaged=bool(damage))
    try:
        state = schema_state(engine)
    except Exception as exc:
        report.problems.append(
            _("The schema revision could not be read ({detail}); the file is damaged or not a "
              "Traject database.").format(detail=_detail(exc))
        )  # fmt: skip
        report.damaged = True
        return _advised(report)
    if not state.known:
        report.problems.append(
            _("The schema {revision} is newer than this Traject knows ({head}).").format(
                revision=state.current, head=state.head)
        )  # fmt: skip
        return report
    try:
        with engine.connect() as conn:
            _check_steps(conn, report, current=state.current, head=state.head,
                         audit_anchor=audit_anchor)  # fmt: skip
    except Exception as exc:  # the connection itself failed
        _unreadable(report, _("The database could not be opened ({detail})."), exc)
    return _advised(report)


def _advised(report: CheckReport) -> CheckReport:
    if report.damaged:
        report.problems.append(
            _("The file is damaged: restore the newest good backup with “traject restore”.")
        )
    return report


def check_connection(
    conn: Connection, *, current: str | None, head: str, audit_anchor: tuple[int, str] | None = None
) -> CheckReport:
    """`audit_anchor`: the newest audit entry as the key file saw it (encrypted databases)."""
    report = CheckReport()
    _check_steps(conn, report, current=current, head=head, audit_anchor=audit_anchor)
    return report


def _check_steps(
    conn: Connection, report: CheckReport, *, current: str | None, head: str,
    audit_anchor: tuple[int, str] | None,
) -> None:  # fmt: skip
    if current != head:
        report.problems.append(
            _("Schema revision {current} differs from this version's {head}; start Traject "
              "once to migrate it.").format(current=current or "-", head=head)
        )  # fmt: skip
        return
    report.facts.append(_("Schema revision {head} (up to date).").format(head=head))
    steps: list[tuple[str, Callable[[], None]]] = []
    if conn.dialect.name == "sqlite":
        steps += [
            (_("SQLite's integrity check could not run to its end ({detail})."),
             lambda: _check_structure(conn, report)),
            (_("The links between records could not be checked ({detail})."),
             lambda: _check_links(conn, report)),
            (_("The search index could not be checked ({detail})."),
             lambda: _check_search_index(conn, report)),
        ]  # fmt: skip
    steps += [
        (_("The referents could not be checked ({detail})."),
         lambda: _check_referents(conn, report)),
        (_("The audit trail could not be read ({detail})."),
         lambda: _check_audit_trail(conn, report, audit_anchor)),
        (_("The clients could not be counted ({detail})."), lambda: _count_clients(conn, report)),
    ]  # fmt: skip
    for message, step in steps:
        try:
            step()
        except Exception as exc:  # a damaged file: said, and the next step still runs
            _unreadable(report, message, exc)
            try:
                conn.rollback()
            except Exception:
                report.damaged = True


def _unreadable(report: CheckReport, message: str, exc: Exception) -> None:
    report.problems.append(message.format(detail=_detail(exc)))
    report.damaged = True


def _detail(exc: Exception) -> str:
    if isinstance(exc, DBAPIError):
        return str(exc.orig)
    return str(exc) or type(exc).__name__


def _check_structure(conn: Connection, report: CheckReport) -> None:
    result = [row[0] for row in conn.execute(text("PRAGMA integrity_check"))]
    if result != ["ok"]:
        # one sentence on one line: SQLite's report starts with a header line of its own
        lines = [" ".join(line.split()) for row in result for line in str(row).splitlines()]
        details = [line for line in lines if line and not line.startswith("*** in database")]
        report.problems.append(_("SQLite integrity check failed: {detail}.").format(
            detail="; ".join(details[:5]).rstrip(".")))  # fmt: skip


def _check_links(conn: Connection, report: CheckReport) -> None:
    broken = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
    if broken:
        report.problems.append(
            ngettext("{n} row points to a record that does not exist.",
                     "{n} rows point to records that do not exist.", len(broken)).format(n=len(broken))
        )  # fmt: skip


def _check_search_index(conn: Connection, report: CheckReport) -> None:
    try:
        conn.execute(
            text("INSERT INTO client_search(client_search, rank) VALUES ('integrity-check', 1)")
        )
    except Exception:
        report.problems.append(_("The search index does not match the client files."))
        conn.rollback()


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
    from app.services.privacy import audit

    problems = audit.verify(conn, anchor)
    report.problems.extend(problems)
    if not problems:
        n = audit.count(conn)
        report.facts.append(ngettext("Audit trail: {n} entry, chain intact.",
                                     "Audit trail: {n} entries, chain intact.", n).format(n=format_number(n)))  # fmt: skip


def _count_clients(conn: Connection, report: CheckReport) -> None:
    clients = conn.scalar(select(func.count()).select_from(Client)) or 0
    report.facts.append(
        ngettext("{n} client.", "{n} clients.", clients).format(n=format_number(clients))
    )


def export_audit_head(engine: Engine, target: Path) -> int | None:
    """The audit trail's newest entry (id, hash, time) as JSON in `target`, to keep apart
    from the database: an anchor that shows later whether entries after it were removed."""
    import json

    from app.models import AuditEntry
    from app.private_files import write_text

    with engine.connect() as conn:
        row = conn.execute(select(AuditEntry.id, AuditEntry.hash, AuditEntry.at)
                           .order_by(AuditEntry.id.desc()).limit(1)).first()  # fmt: skip
    head = {"id": row.id, "hash": row.hash, "at": row.at.isoformat()} if row else None
    write_text(target, json.dumps({"audit_head": head}, indent=2) + "\n")
    return row.id if row else None
