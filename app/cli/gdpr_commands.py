"""`traject export`, `traject erase` and `traject retention`: the client's GDPR rights from the
command line (the same services as the buttons in the client file)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.i18n import _, format_date, ngettext, pgettext


def add_parsers(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    export_parser = sub.add_parser(
        "export", parents=[common], help=_("everything held about one client (JSON or PDF)")
    )
    export_parser.add_argument("dossier", metavar=pgettext("placeholder", "DOSSIER"))
    export_parser.add_argument("--format", choices=["json", "pdf"], default="json")
    export_parser.add_argument(
        "-o",
        "--output",
        metavar=pgettext("placeholder", "FILE"),
        help=_("write to FILE (JSON: default is the screen)"),
    )
    erase_parser = sub.add_parser(
        "erase", parents=[common], help=_("erase one client's personal data for good")
    )
    erase_parser.add_argument("dossier", metavar=pgettext("placeholder", "DOSSIER"))
    erase_parser.add_argument(
        "--reason",
        required=True,
        metavar=pgettext("placeholder", "TEXT"),
        help=_("why the file is erased (recorded)"),
    )
    erase_parser.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))
    sub.add_parser(
        "retention", parents=[common], help=_("closed files past the retention period")
    ).set_defaults(handler=retention)
    export_parser.set_defaults(handler=export)
    erase_parser.set_defaults(handler=erase)


def export(url: str, args: argparse.Namespace) -> int:
    from app.cli.opening import actor_of, opened
    from app.private_files import write_text
    from app.services.caseload import clients
    from app.services.errors import ServiceError
    from app.services.privacy import gdpr

    if args.format == "pdf" and not args.output:
        raise SystemExit(_("traject export: --format pdf needs -o FILE."))
    with opened(url) as target, target.database.sessions() as session:
        actor = actor_of(target, session)
        client = clients.by_dossier(session, args.dossier)
        data = gdpr.export_data(session, actor, client.id)
        if not args.output:
            sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        else:
            try:
                if args.format == "pdf":
                    from app.services.documents.postal import organisation_country
                    from app.services.privacy.export_pdf import write_export_pdf

                    # `--lang L` chooses the readable copy's language; by default the client's
                    write_export_pdf(data, Path(args.output), args.lang or client.contact_language,
                                     organisation_country(session))  # fmt: skip
                else:
                    write_text(
                        Path(args.output), json.dumps(data, ensure_ascii=False, indent=2) + "\n"
                    )
            except OSError as exc:
                raise ServiceError(_("Cannot write {file} ({reason}); choose another place.")
                                   .format(file=args.output, reason=exc.strerror or exc)) from None  # fmt: skip
        session.commit()  # the export is recorded only once it is written
    if args.output:
        print(_("Written to {file}.").format(file=args.output), file=sys.stderr)
    return 0


def erase(url: str, args: argparse.Namespace) -> int:
    from app.cli.opening import actor_of, describe, opened
    from app.services.caseload import clients
    from app.services.privacy import access, gdpr

    with opened(url) as target, target.database.sessions() as session:
        actor = actor_of(target, session)
        access.require_oversight(actor)  # before saying whether the dossier even exists
        client = clients.by_dossier(session, args.dossier)
        summary = gdpr.erasure_summary(session, actor, client.id)
        lost = ", ".join(f"{name}: {n}" for name, n in sorted(summary.items()))
        print(
            _("Erasing {dossier} from the database {database} removes for good: {lost}.").format(
                dossier=client.dossier, database=describe(url), lost=lost
            )
        )
        if not args.yes:
            answer = input(_("Type the dossier number to confirm: ")) if sys.stdin.isatty() else ""
            if answer.strip().upper() != client.dossier:
                print(_("Nothing was erased."), file=sys.stderr)
                return 1
        gdpr.erase(session, actor, client.id, args.reason)
        session.commit()
    print(_("Erased. The audit trail keeps an anonymous record of it."))
    return 0


def retention(url: str, args: argparse.Namespace) -> int:
    from app.cli.opening import actor_of, opened
    from app.services import org_settings
    from app.services.clock import local_today
    from app.services.privacy import gdpr

    with opened(url) as target, target.database.sessions() as session:
        actor = actor_of(target, session)
        rows = gdpr.due_for_review(session, actor, local_today())
        years = org_settings.retention_years(session)
    for _id, dossier, name, closed_on in rows:
        print(f"{dossier}  {format_date(closed_on)}  {name}")
    print(ngettext("{n} closed file is older than {years} years: erase or anonymise it.",
                   "{n} closed files are older than {years} years: erase or anonymise them.",
                   len(rows)).format(n=len(rows), years=years), file=sys.stderr)  # fmt: skip
    return 0
