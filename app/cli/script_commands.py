"""`traject script list | show ID | blank ID --lang L -o FILE.pdf | run ID --client DOSSIER
--answers FILE.json | stats ID [--since D] [--until D]`: the guided scripts from the command
line — the paper form is printed with `blank`, the answers given on it are entered with `run`,
and a team lead reads which outcomes followed which answers with `stats`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from app.i18n import _, ngettext, pgettext


def add_parsers(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    script_parser = sub.add_parser(
        "script", parents=[common], help=_("guided scripts: list, show, print blank, run, stats")
    )
    actions = script_parser.add_subparsers(
        dest="script_command", metavar=pgettext("placeholder", "ACTION"), required=True
    )
    actions.add_parser("list", parents=[common], help=_("the scripts and their versions"))
    show = actions.add_parser(
        "show", parents=[common], help=_("the questions and rules of one script")
    )
    show.add_argument("script_id", metavar=pgettext("placeholder", "ID"))
    blank = actions.add_parser(
        "blank", parents=[common], help=_("the paper form of a script, as a PDF to print")
    )
    blank.add_argument("script_id", metavar=pgettext("placeholder", "ID"))
    # the form's language is the common --lang (default: the interface language)
    blank.add_argument(
        "-o",
        "--output",
        required=True,
        metavar=pgettext("placeholder", "FILE.pdf"),
        help=_("where to write it"),
    )
    run = actions.add_parser(
        "run", parents=[common], help=_("enter a client's answers and compute the result")
    )
    run.add_argument("script_id", metavar=pgettext("placeholder", "ID"))
    run.add_argument(
        "--client",
        required=True,
        metavar=pgettext("placeholder", "DOSSIER"),
        help=_("the client's dossier number"),
    )
    run.add_argument(
        "--answers",
        required=True,
        metavar=pgettext("placeholder", "FILE"),
        help=_("a JSON object: question id → answer"),
    )
    run.add_argument("--channel", default="paper", choices=["in_person", "phone", "video", "paper"],
                     help=_("how the answers were given (default: paper)"))  # fmt: skip
    stats = actions.add_parser(
        "stats", parents=[common], help=_("team leads: which outcomes followed which answers")
    )
    stats.add_argument("script_id", metavar=pgettext("placeholder", "ID"))
    stats.add_argument(
        "--since", metavar=pgettext("placeholder", "YYYY-MM-DD"), help=_("from this day on")
    )
    stats.add_argument(
        "--until",
        metavar=pgettext("placeholder", "YYYY-MM-DD"),
        help=_("up to and including this day"),
    )
    script_parser.set_defaults(handler=script)


def script(url: str, args: argparse.Namespace) -> int:
    from app.services.scripts.loader import default_catalogue

    catalogue = default_catalogue()
    for error in catalogue.errors:
        print(_("Not loaded: {error}").format(error=error), file=sys.stderr)
    if args.script_command == "list":
        for item in sorted(catalogue.scripts.values(), key=lambda s: s.id):
            print(f"{item.id}  v{item.version}  {_(item.title)}")
        return 0
    found = catalogue.get(args.script_id)
    if args.script_command == "show":
        _show(found)
        return 0
    if args.script_command == "blank":
        return _blank(found, args)
    if args.script_command == "stats":
        return _stats(url, found, args)
    return _run(url, found, args)


def _show(found: Any) -> None:
    print(f"{_(found.title)} ({found.id}, v{found.version})")
    for step in found.steps:
        print(f"\n{_(step.title)}")
        for question in step.questions:
            condition = "  " + _("(only when relevant)") if question.show_if else ""
            print(f"  [{question.id}] {_(question.text)}{condition}")
            for value in question.values():
                print(f"      {value}: {_(question.option_text(value))}")
    print("\n" + _("Results:"))
    for result in found.results:
        print(f"  {result.id}: {_(result.label)}")
    for flag in found.flags:
        print(f"  + {flag.id}: {_(flag.label)}")


def _blank(found: Any, args: argparse.Namespace) -> int:
    from app.i18n import DOCUMENT_LANGUAGES, current_language
    from app.services.scripts.paper_form import write_blank

    language = getattr(args, "lang", None) or current_language()
    if language.replace("-", "_").split("_")[0].lower() not in DOCUMENT_LANGUAGES:
        raise SystemExit(_("traject script blank: --lang: choose one of {codes}, not “{lang}”.")
                         .format(codes=", ".join(DOCUMENT_LANGUAGES), lang=language))  # fmt: skip
    target = Path(args.output)
    try:
        pages = write_blank(found, language, target)
    except OSError as exc:
        raise SystemExit(_("traject script blank: cannot write {file}: {error}").format(
            file=target, error=exc.strerror or exc)) from None  # fmt: skip
    print(ngettext("{file}: {n} page", "{file}: {n} pages", pages).format(file=target, n=pages))
    return 0


def _run(url: str, found: Any, args: argparse.Namespace) -> int:
    from app.cli.opening import actor_of, opened
    from app.models.enums import ScriptChannel
    from app.services.caseload import clients
    from app.services.errors import ServiceError
    from app.services.scripts import runs

    try:
        given = json.loads(Path(args.answers).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise SystemExit(
            _("traject script run: cannot read {file}: {error}").format(
                file=args.answers, error=exc
            )
        ) from None
    if not isinstance(given, dict):
        raise SystemExit(_("traject script run: {file} must hold a JSON object of question id → answer.")
                         .format(file=args.answers))  # fmt: skip
    with opened(url) as target, target.database.sessions() as session:
        try:
            who = actor_of(target, session)
            client = clients.by_dossier(session, args.client)
            run = runs.start(session, who, client.id, found, ScriptChannel(args.channel))
            runs.answer_all(session, who, run, found, given)
            outcome = runs.finish(session, who, run, found)
            session.commit()
        except ServiceError:
            session.rollback()  # a failed command changes nothing
            raise
    print(_("Result: {result}").format(result=_(outcome.result.label)))
    for reason in outcome.result.reasons:
        print(f"  - {_(reason)}")
    for flag in outcome.flags:
        print(f"{_(flag.label)}: " + "; ".join(_(r) for r in flag.reasons))
    for action in outcome.actions:
        print(_("Suggested: {action}").format(action=_(action.label)))
    return 0


def _stats(url: str, found: Any, args: argparse.Namespace) -> int:
    from app.cli.dates import day_option
    from app.cli.opening import actor_of, opened
    from app.services.scripts import statistics

    since, until = day_option("--since", args.since), day_option("--until", args.until)
    with opened(url) as target, target.database.sessions() as session:
        table = statistics.outcome_table(session, actor_of(target, session), found, since, until)
    print(_(found.title))
    print(_("By answer to: {question}").format(question=_(table.by_text)))
    print(ngettext("{n} finished conversation", "{n} finished conversations", table.total.runs)
          .format(n=table.total.runs))  # fmt: skip
    for row in (*table.rows, table.total):
        print(f"\n{_(row.text)}: " + ngettext("{n} conversation", "{n} conversations", row.runs)
              .format(n=row.runs))  # fmt: skip
        for column, count in zip(table.columns, row.counts, strict=True):
            print(f"    {count:>5}  {_(column.text)}")
    return 0
