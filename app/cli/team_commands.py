"""`traject absence`: cover a counsellor's whole caseload while they are away, undo it, list
who is away (see services.team.absence).

    traject absence LOGIN --from DATE --to DATE [--backup LOGIN]
    traject absence LOGIN --undo
    traject absence --list

The acting counsellor is whoever signed in (TRAJECT_USER): their own absence, or anyone's in
their office as a team lead. Each client's backup is printed with the reason it was chosen;
a refused or failed declaration changes nothing."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from app.i18n import _, ngettext, pgettext

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.services.privacy.access import Actor


def add_parsers(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    parser = sub.add_parser("absence", parents=[common],
                            help=_("cover a counsellor's clients while they are away, or undo it"))  # fmt: skip
    parser.add_argument("login", nargs="?", metavar=pgettext("placeholder", "LOGIN"),
                        help=_("who is away (yourself, or for a team lead anyone of the office)"))  # fmt: skip
    parser.add_argument("--from", dest="start", metavar=pgettext("placeholder", "DATE"),
                        help=_("first day away, yyyy-mm-dd"))  # fmt: skip
    parser.add_argument("--to", dest="end", metavar=pgettext("placeholder", "DATE"),
                        help=_("last day away, yyyy-mm-dd (included)"))  # fmt: skip
    parser.add_argument("--backup", metavar=pgettext("placeholder", "LOGIN"),
                        help=_("one colleague covers every client (default: spread over the "
                               "colleagues of the same office by load)"))  # fmt: skip
    parser.add_argument("--undo", action="store_true",
                        help=_("undo the cover of LOGIN's current or next absence"))  # fmt: skip
    parser.add_argument("--list", action="store_true", dest="listing",
                        help=_("list the current and coming absences"))  # fmt: skip
    parser.set_defaults(handler=absence_command)


def absence_command(url: str, args: argparse.Namespace) -> int:
    from app.cli.opening import actor_of, opened
    from app.services.errors import ServiceError

    if args.listing:
        return _list(url)
    if not args.login:
        raise ServiceError(_("absence: give the LOGIN of who is away, or --list."))
    with opened(url) as db, db.database.sessions() as session:
        actor = actor_of(db, session)
        counsellor_id = _login(session, args.login, "LOGIN")
        if args.undo:
            return _undo(session, actor, counsellor_id, args.login)
        return _declare(session, actor, counsellor_id, args)


def _login(session: Session, login: str, option: str) -> int:
    from app.services.caseload import counsellors
    from app.services.errors import NotFound

    found = counsellors.active_id_for_login(session, login)
    if found is None:
        raise NotFound(_("{option}: there is no active account “{login}”.").format(
            option=option, login=login))  # fmt: skip
    return found


def _declare(session: Session, actor: Actor, counsellor_id: int, args: argparse.Namespace) -> int:
    from app.cli.dates import day_option
    from app.services.errors import ValidationFailed
    from app.services.team import absence

    start = day_option("--from", args.start)
    end = day_option("--to", args.end)
    if start is None or end is None:
        raise ValidationFailed({"away_from": _("--from and --to: give the first and the last day "
                                               "away, yyyy-mm-dd.")})  # fmt: skip
    backup_id = _login(session, args.backup, "--backup") if args.backup else None
    declared = absence.declare(session, actor, counsellor_id, start, end, backup_id)
    session.commit()  # a refusal raised before: the session closes and nothing is kept
    for choice in declared.choices:
        print(_("{dossier} → {backup}: {reason}").format(
            dossier=choice.dossier, backup=choice.backup_name, reason=choice.reason))  # fmt: skip
    n = len(declared.choices)
    print(ngettext("{login} is away {period}; {n} client covered.",
                   "{login} is away {period}; {n} clients covered.", n).format(
        login=args.login, period=absence.period_text(start, end), n=n))  # fmt: skip
    return 0


def _undo(session: Session, actor: Actor, counsellor_id: int, login: str) -> int:
    from app.services.errors import NotFound
    from app.services.team import absence

    absence_id = absence.current_or_next(session, counsellor_id)
    if absence_id is None:
        raise NotFound(_("{login} has no current or coming absence to undo.").format(login=login))
    ended = absence.undo(session, actor, absence_id)
    session.commit()
    print(ngettext("Cover undone: {n} backup period ended.",
                   "Cover undone: {n} backup periods ended.", ended).format(n=ended))  # fmt: skip
    return 0


def _list(url: str) -> int:
    from app.cli.opening import opened
    from app.services.team import absence

    with opened(url) as db, db.database.sessions() as session:
        absences = absence.current_and_coming(session)
    if not absences:
        print(_("Nobody is away now or later."))
    for view in absences:
        print(ngettext("{name}: {period} ({n} client covered)",
                       "{name}: {period} ({n} clients covered)", view.covered).format(
            name=view.counsellor_name, period=absence.period_text(view.starts_on, view.ends_on),
            n=view.covered))  # fmt: skip
    return 0
