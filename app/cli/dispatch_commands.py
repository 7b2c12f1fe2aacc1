"""`traject dispatch [--dry-run] [--format table|json]`: give the dossiers in the dispatch inbox
a referent by the organisation's rules (team leads). Each dossier is printed with the chosen
counsellor (name, office, login) and the reason, or the reason nobody was chosen; without
--dry-run the referents are written in one transaction."""

from __future__ import annotations

import argparse
import json
import sys

from app.i18n import _


def add_parsers(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    command = sub.add_parser(
        "dispatch", parents=[common],
        help=_("give new dossiers without a referent one, by the organisation's rules (team leads)"),
    )  # fmt: skip
    command.add_argument(
        "--dry-run", action="store_true", help=_("show each choice and its reason, change nothing")
    )
    command.add_argument(
        "--format", choices=("table", "json"), default="table",
        help=_("print a table (the default) or JSON"),
    )  # fmt: skip
    command.set_defaults(handler=run)


def run(url: str, args: argparse.Namespace) -> int:
    from app.cli.opening import actor_of, opened
    from app.models.enums import AuditAction
    from app.services.clock import local_today
    from app.services.privacy import audit
    from app.services.team import dispatch

    today = local_today()
    with opened(url) as target, target.database.sessions() as session:
        actor = actor_of(target, session)
        proposal = dispatch.prepare(session, actor, today)
        waiting, decisions = proposal.waiting, proposal.decisions
        applied = None
        if not args.dry_run:
            applied = dispatch.apply(session, actor, decisions, today=today, rules=proposal.rules)
        if waiting:  # names leaving the app: recorded like `traject clients` records its list
            audit.record(session, AuditAction.EXPORT, counsellor_id=actor.counsellor_id,
                         detail=f"dispatch list ({len(waiting)})")  # fmt: skip
        session.commit()
    if not waiting:
        print(_("No dossier waits for a referent."), file=sys.stderr)
        return 0
    people = {c.counsellor_id: c for c in proposal.team.counsellors}
    records: list[dict[str, object]] = []
    for client, decision in zip(waiting, decisions, strict=True):
        person = people.get(decision.counsellor_id) if decision.counsellor_id else None
        gone = applied is not None and client.client_id in applied.gone
        records.append({
            "dossier": client.dossier, "name": client.name,
            "counsellor": person.name if person else None,
            "office": person.office if person else None,
            "login": person.login if person else None,
            "reason": _("given a referent meanwhile") if gone else decision.reason(),
            "assigned": applied is not None and client.client_id in applied.assigned,
        })  # fmt: skip
    if args.format == "json":
        json.dump(records, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        _table(records)
    given = sum(1 for r in records if r["counsellor"])
    if args.dry_run:
        print(_("Dry run: {n} of {total} dossiers would get a referent; nothing was changed.")
              .format(n=given, total=len(records)), file=sys.stderr)  # fmt: skip
    elif applied is not None:
        left = len(records) - len(applied.assigned)
        print(dispatch.summary(applied, left), file=sys.stderr)
    return 0


def _table(records: list[dict[str, object]]) -> None:
    from app.cli.caseload_commands import _width

    heads = [_("Dossier"), _("Name"), _("Counsellor"), _("Office"), _("Login"), _("Reason")]
    keys = ["dossier", "name", "counsellor", "office", "login", "reason"]
    rows = [heads] + [[str(r[k] or "—") for k in keys] for r in records]
    widths = [max(_width(row[i]) for row in rows) for i in range(len(keys) - 1)]
    for row in rows:
        cells = [c + " " * (w - _width(c)) for c, w in zip(row, widths, strict=False)]
        print("  ".join([*cells, row[-1]]).rstrip())
