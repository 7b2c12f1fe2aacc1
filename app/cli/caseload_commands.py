"""The headless commands of `traject`: each takes the database URL and parsed arguments."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import time
import unicodedata
from typing import Any

from sqlalchemy import Engine

from app.cli.opening import describe, encrypted_path, opened
from app.db import DatabaseError, make_engine, sqlite_path
from app.db_server import is_server_url
from app.i18n import _, ngettext
from app.models.enums import AuditAction, ClientStatus, ReferredBy
from app.services.caseload import counsellors
from app.services.caseload import listing as caseload
from app.services.clock import local_today
from app.services.demo import generator as demo_service
from app.services.errors import ServiceError
from app.services.privacy import audit
from app.services.privacy import vault as vault_service
from app.services.reliability import integrity

COLUMNS = [
    "dossier",
    "given_name",
    "family_name",
    "birth_date",
    "referent",
    "status",
    "municipality",
]


def demo(url: str, args: argparse.Namespace) -> int:
    try:
        as_of = dt.date.fromisoformat(args.as_of) if args.as_of else local_today()
    except ValueError:
        raise ServiceError(
            _("--as-of: type the date as yyyy-mm-dd, for example 2026-01-31.")
        ) from None
    path = encrypted_path(url)
    if path is not None and not vault_service.exists(path):  # a new file: set it up first
        from app.cli.account_commands import initialise

        initialise(url, args.org, None, None).lock()
    started = time.perf_counter()
    if is_server_url(url):
        summary = _demo_on_server(url, args, as_of)
    else:
        with opened(url, create=True) as target, target.database.sessions() as session:
            summary = demo_service.generate(session, args.clients, seed=args.seed, today=as_of)
            session.commit()
    print(
        _("Created {clients} clients and {counsellors} counsellors ({assignments} assignment periods) in {seconds:.1f} s.").format(
            clients=summary.clients, counsellors=summary.counsellors,
            assignments=summary.assignments, seconds=time.perf_counter() - started,
        )
    )  # fmt: skip
    return 0


def _demo_on_server(url: str, args: argparse.Namespace, as_of: dt.date) -> demo_service.DemoSummary:
    from sqlalchemy.engine import make_url

    from app.cli.opening import on_server
    from app.db import open_database
    from app.services.team import setup

    if make_url(url).username is None:  # an account: row-level security says no, clearly
        with on_server(url) as on, on.database.sessions() as session:
            return setup.fill_with_demo(session, args.clients, seed=args.seed, today=as_of)
    database = open_database(url)  # the URL's user, with libpq's own password (PGPASSWORD)
    try:
        with database.sessions() as session:
            summary = setup.fill_with_demo(session, args.clients, seed=args.seed, today=as_of)
            session.commit()
        setup.tidy_after_bulk_load(database.engine)
    finally:
        database.close()
    return summary


def _client_records(url: str, args: argparse.Namespace) -> list[dict[str, Any]]:
    with opened(url) as target, target.database.sessions() as session:
        referred_by = ReferredBy(args.referred_by) if args.referred_by else None
        mine = bool(getattr(args, "mine", False))
        if mine and target.counsellor_id is None:
            from app.config import USER_ENV

            raise ServiceError(_("--mine: set {user} to the login of the counsellor whose "
                                 "clients to list.").format(user=USER_ENV))  # fmt: skip
        ids = caseload.visible_ids(session, target.counsellor_id, args.search,
                                   referred_by=referred_by, overdue_actions=args.overdue_actions,
                                   mine=mine)  # fmt: skip
        if args.limit is not None:
            ids = ids[: max(args.limit, 0)]
        records = []
        shared = counsellors.told_apart(session)  # same names, shown with office and login
        for start in range(0, len(ids), 2000):
            chunk = ids[start : start + 2000]
            rows = caseload.rows_for(session, chunk)
            followed = caseload.followed_by(session, chunk)
            referent_ids = counsellors.referents(session, chunk) if shared else {}
            for cid in chunk:
                row = rows[cid]
                records.append({
                    "dossier": row.dossier, "given_name": row.given_name,
                    "family_name": row.family_name,
                    "birth_date": row.birth_date.isoformat() if row.birth_date else None,
                    "referent": shared.get(referent_ids.get(cid, 0), row.referent),
                    "status": row.status.value,
                    "municipality": row.municipality,
                    "backup": followed[cid].backup, "office": followed[cid].office,
                })  # fmt: skip
        if target.counsellor_id is not None:  # a list of clients leaving the app is an export
            audit.record(session, AuditAction.EXPORT, counsellor_id=target.counsellor_id,
                         detail=f"client list ({len(records)})")  # fmt: skip
            session.commit()
        return records


def _width(text: str) -> int:
    return sum(
        0 if unicodedata.combining(ch) else 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        for ch in text
    )


def _cell(record: dict[str, Any], column: str) -> str:
    if column == "status":
        return ClientStatus(record[column]).label
    return str(record[column] or "")


def clients(url: str, args: argparse.Namespace) -> int:
    from app.services.reliability import spreadsheet

    records = _client_records(url, args)
    out = sys.stdout
    if args.format == "json":
        json.dump(records, out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif args.format == "csv":
        rows = [[record[column] for column in COLUMNS] for record in records]
        spreadsheet.write_csv(out, [COLUMNS, *rows], delimiter=",", lineterminator="\n")
    else:
        headers = {
            "dossier": _("Dossier"), "given_name": _("Given name"), "family_name": _("Family name"),
            "birth_date": _("Date of birth"), "referent": _("Referent"), "status": _("Status"),
            "municipality": _("Municipality"),
        }  # fmt: skip
        table = [[headers[c] for c in COLUMNS]] + [[_cell(r, c) for c in COLUMNS] for r in records]
        widths = [max(_width(row[i]) for row in table) for i in range(len(COLUMNS))]
        for row in table:
            out.write(
                "  ".join(
                    cell + " " * (w - _width(cell)) for cell, w in zip(row, widths, strict=True)
                ).rstrip()
                + "\n"
            )
        print(
            ngettext("{n} client", "{n} clients", len(records)).format(n=len(records)),
            file=sys.stderr,
        )
    return 0


def check(url: str, args: argparse.Namespace) -> int:
    """Every problem as a sentence and exit 1; a damaged file is reported, never a crash. An
    encrypted file's pages are checked first with the key alone: a sign-in opens the database,
    which a damaged file does not allow."""
    if is_server_url(url):
        return _check_server(url, args)
    path = sqlite_path(url)
    if path is not None and not path.exists():
        raise DatabaseError(_("No database at {path}.").format(path=path))
    if encrypted_path(url) is None:
        print(_("UNENCRYPTED database: for tests and demos only, never for real clients."))
        engine = make_engine(url)
        try:
            return _check_engine(engine, export_head=args.export_head)
        finally:
            engine.dispose()
    assert path is not None
    from app.cli.opening import credentials, warn_about_the_trail
    from app.services.privacy.login_throttle import LoginThrottle
    from app.services.privacy.rekey import working_key

    vault = vault_service.locked(path)
    keys = vault.keys
    print(_("Encrypted database (SQLCipher); key slots: {n}, recovery key: {recovery}.").format(
        n=len(keys.slots), recovery=_("yes") if keys.recovery else _("no")))  # fmt: skip
    login, password = credentials()
    login = login.strip().lower()
    candidates = LoginThrottle().attempt(lambda: keys.open_account(login, password))
    key = working_key(path, [opened_key.master for opened_key in candidates])
    damage = integrity.cipher_problems(path, key)
    if damage:  # a damaged file cannot be signed in to: check it with the key alone
        try:
            engine = make_engine(url, key)
            try:
                return _check_engine(engine, keys.audit_anchor, damage)
            finally:
                engine.dispose()
        finally:
            for opened_key in candidates:
                opened_key.forget()
    from sqlalchemy.exc import DBAPIError

    try:
        vault.open_with(candidates, login)  # the keys just derived: no second prompt or Argon2
    except DBAPIError:  # the sign-in's own writes; the check's steps report for themselves
        raise DatabaseError(
            _("{path} is not a readable Traject database.").format(path=path)
        ) from None
    try:
        warn_about_the_trail(vault)
        assert vault.database is not None
        return _check_engine(
            vault.database.engine,
            anchors=vault.audit_anchor_problems(),
            export_head=args.export_head,
        )
    finally:
        vault.lock()


def _check_server(url: str, args: argparse.Namespace) -> int:
    """A team server, checked by a team lead or an administrator (row-level security shows
    them the whole trail), or by its superuser when TRAJECT_USER is not set."""
    import os

    from app.cli.opening import actor_of, on_server
    from app.config import USER_ENV
    from app.db import open_database
    from app.services.privacy.access import require_oversight

    print(_("Team server (PostgreSQL): {server}.").format(server=describe(url)))
    if not os.environ.get(USER_ENV):
        database = open_database(url)  # the URL's user, with libpq's own password (PGPASSWORD)
        try:
            return _check_engine(database.engine, export_head=args.export_head)
        finally:
            database.close()
    with on_server(url) as on:
        with on.database.sessions() as session:
            require_oversight(actor_of(on, session), _("Only a team lead or an administrator "
                                                       "can check the whole audit trail."))  # fmt: skip
        return _check_engine(on.database.engine, export_head=args.export_head)


def _check_engine(
    engine: Engine, audit_anchor: tuple[int, str] | None = None, damage: list[str] | None = None,
    anchors: list[str] | None = None, export_head: str | None = None,
) -> int:  # fmt: skip
    """`anchors`: what every account's audit anchor says about the trail (`audit_anchors`)."""
    report = integrity.check_engine(engine, audit_anchor, damage)
    if export_head:
        from pathlib import Path

        newest = integrity.export_audit_head(engine, Path(export_head))
        report.facts.append(_("The audit trail's newest entry ({id}) was written to {file}.")
                            .format(id=newest, file=export_head))  # fmt: skip
    report.problems.extend(problem for problem in anchors or [] if problem not in report.problems)
    for fact in report.facts:
        print(fact)
    for problem in report.problems:
        print(_("Problem: {problem}").format(problem=problem))
    print(_("Check: ok") if report.ok else _("Check: problems found"))
    return 0 if report.ok else 1
