"""`traject import FILE.csv|FILE.xlsx [--dry-run] [--report FILE] [--column HEADER=FIELD]
[--encoding NAME] [--referent LOGIN]`: clients from a spreadsheet, checked like typed-in
clients, committed in batches and removed again if the import fails or is interrupted. Without
--referent the new files wait in the dispatch inbox for a team lead to give them a referent. Exit code 0 when every row was
imported, 3 when some were refused (they are listed), 1 when the file cannot be read, is too
long or the import failed (then nothing was imported)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.i18n import _, ngettext, pgettext


def add_parsers(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    command = sub.add_parser(
        "import", parents=[common], help=_("import clients from a .csv or .xlsx spreadsheet")
    )
    command.add_argument("file", metavar=pgettext("placeholder", "FILE"))
    command.add_argument(
        "--dry-run", action="store_true", help=_("check every row and report, but change nothing")
    )
    command.add_argument(
        "--report",
        metavar=pgettext("placeholder", "FILE"),
        help=_("also write the refused rows and reasons to a CSV file"),
    )
    command.add_argument(
        "--column", action="append", default=[], metavar=pgettext("placeholder", "HEADER=FIELD"),
        help=_("read a column Traject does not recognise as this field (e.g. \"Naam kind=\" "
               "to skip it, \"Roepnaam=given_name\")"),
    )  # fmt: skip
    command.add_argument(
        "--encoding", metavar=pgettext("placeholder", "NAME"),
        help=_("the encoding of a CSV file that is not UTF-8, e.g. cp1252 (Windows-1252)"),
    )  # fmt: skip
    command.add_argument(
        "--referent", metavar=pgettext("placeholder", "LOGIN"),
        help=_("the counsellor who follows the new clients; without it they wait in the "
               "dispatch inbox"),
    )  # fmt: skip
    command.set_defaults(handler=run)


def _mapping(headers: list[str], overrides: list[str]) -> dict[int, str]:
    from app.services.reliability.client_import import IMPORTABLE, guess_mapping, header_key

    mapping = guess_mapping(headers)
    keys = [header_key(h) for h in headers]
    for item in overrides:
        header, _equals, name = item.partition("=")
        if header_key(header) not in keys:
            raise SystemExit(
                _("--column: the file has no column “{header}”.").format(header=header)
            )
        if name and name not in IMPORTABLE:
            raise SystemExit(_("--column: “{field}” is not a field; use one of {fields}.").format(
                field=name, fields=", ".join(IMPORTABLE)))  # fmt: skip
        index = keys.index(header_key(header))
        mapping = {i: n for i, n in mapping.items() if i != index and n != name}
        if name:
            mapping[index] = name
    return mapping


def run(url: str, args: argparse.Namespace) -> int:
    from app.cli.opening import actor_of, opened
    from app.services.caseload import counsellors
    from app.services.clock import local_today
    from app.services.reliability import client_import, spreadsheet
    from app.services.reliability.whole_file import write_whole

    path = Path(args.file)
    try:
        sheet = spreadsheet.read(path, args.encoding)
    except spreadsheet.UndecodableText as exc:
        hint = _("Save the file as UTF-8 (in Excel: “CSV UTF-8”), or name its encoding, for "
                 "example --encoding cp1252 for Windows-1252.")  # fmt: skip
        print(f"traject: {exc} {hint}", file=sys.stderr)
        return 1
    except spreadsheet.UnreadableFile as exc:
        print(f"traject: {exc}", file=sys.stderr)
        return 1
    client_import.check_size(sheet, path.name)
    mapping = _mapping(sheet.headers, args.column)
    with opened(url) as target, target.database.sessions() as session:
        actor = actor_of(target, session)
        referent_id = None
        if args.referent:
            referent_id = counsellors.active_id_for_login(session, args.referent)
            if referent_id is None:
                print(_("--referent: no active counsellor has the login “{login}”.")
                      .format(login=args.referent), file=sys.stderr)  # fmt: skip
                return 1
        report = client_import.import_sheet(session, sheet, mapping, actor=actor,
                                            referent_id=referent_id, today=local_today(),
                                            dry_run=args.dry_run)  # fmt: skip
    for note in report.notes:
        print(note)
    for item in report.rejected:
        where = _("line {line}").format(line=item.line)
        print(f"{where}: {item.reason}" + (f"  [{item.column}]" if item.column else ""))
    for item in report.warnings:
        where = _("line {line}, warning").format(line=item.line)
        print(f"{where}: {item.reason}" + (f"  [{item.column}]" if item.column else ""))
    count = len(report.imported)
    summary = (
        ngettext("{n} of {total} rows would be imported (dry run: nothing was changed).",
                 "{n} of {total} rows would be imported (dry run: nothing was changed).", count)
        if args.dry_run
        else ngettext("{n} of {total} rows imported.", "{n} of {total} rows imported.", count)
    ).format(n=count, total=report.rows)  # fmt: skip
    print(summary)
    if args.report:
        write_whole(Path(args.report), client_import.report_csv(report),
                    _("The report could not be written to {file}: {reason}."))  # fmt: skip
    return report.exit_code
