"""`traject agenda [--counsellor LOGIN] [--from DATE] [--to DATE] --ics FILE`: a counsellor's
appointments as an iCalendar file (see services.calendar_export). The file is written whole
or not at all."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from app.i18n import _, ngettext, pgettext

DAYS_BACK = 30
DAYS_AHEAD = 90


def add_parsers(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    agenda_parser = sub.add_parser("agenda", parents=[common],
                            help=_("export an agenda as an iCalendar file (Outlook, Google Calendar)"))  # fmt: skip
    agenda_parser.add_argument("--counsellor", metavar=pgettext("placeholder", "LOGIN"),
                        help=_("whose agenda (default: yours; a colleague's needs a team lead)"))  # fmt: skip
    agenda_parser.add_argument("--from", dest="start", metavar=pgettext("placeholder", "DATE"),
                        help=_("first day, yyyy-mm-dd (default: {n} days ago)").format(n=DAYS_BACK))  # fmt: skip
    agenda_parser.add_argument("--to", dest="end", metavar=pgettext("placeholder", "DATE"),
                        help=_("last day, yyyy-mm-dd (default: in {n} days)").format(n=DAYS_AHEAD))  # fmt: skip
    agenda_parser.add_argument(
        "--ics",
        required=True,
        metavar=pgettext("placeholder", "FILE"),
        help=_("the .ics file to write"),
    )
    agenda_parser.set_defaults(handler=agenda)


def agenda(url: str, args: argparse.Namespace) -> int:
    from app.cli.dates import day_option
    from app.cli.opening import actor_of, opened
    from app.services.caseload import counsellors
    from app.services.clock import local_today
    from app.services.contact import calendar_export
    from app.services.errors import NotFound, ValidationFailed

    today = local_today()
    start = day_option("--from", args.start) or today - dt.timedelta(days=DAYS_BACK)
    end = day_option("--to", args.end) or today + dt.timedelta(days=DAYS_AHEAD)
    if end < start:
        raise ValidationFailed({"to": _("--to: the last day comes before the first; swap them.")})
    target = Path(args.ics)
    with opened(url) as db, db.database.sessions() as session:
        actor = actor_of(db, session)
        counsellor_id = actor.counsellor_id
        if args.counsellor:
            found = counsellors.id_for_login(session, args.counsellor)
            if found is None:
                raise NotFound(
                    _("--counsellor: there is no account “{login}”.").format(login=args.counsellor)
                )
            counsellor_id = found
        data, count = calendar_export.export(session, actor, counsellor_id, start, end)
        from app.services.reliability.whole_file import write_whole

        write_whole(target, data, _("--ics: cannot write {file} ({reason}); choose another place."))
        session.commit()  # the installation id, made on the first export
    print(ngettext("Wrote {n} appointment to {file}.", "Wrote {n} appointments to {file}.", count)
          .format(n=count, file=target))  # fmt: skip
    return 0
