"""`traject settings [KEY=VALUE …]`: show the organisation's settings, or change them (an
administrator; the same service and checks as the settings dialog)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.i18n import _, pgettext


def add_parsers(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    settings_parser = sub.add_parser(
        "settings", parents=[common], help=_("show or change the organisation's settings")
    )
    settings_parser.add_argument(
        "changes", nargs="*", metavar=pgettext("placeholder", "KEY=VALUE"),
        help=_("settings to change, with the keys `traject settings` shows"),
    )  # fmt: skip
    settings_parser.set_defaults(handler=settings)


def settings(url: str, args: argparse.Namespace) -> int:
    from app.cli.opening import actor_of, opened
    from app.services import org_settings
    from app.services.contact import contact_policy
    from app.services.errors import ValidationFailed
    from app.services.referrals import letterhead
    from app.services.team import dispatch_rules

    changes = {}
    for item in args.changes:
        key, equals, value = item.partition("=")
        if not equals:
            raise SystemExit(_("traject settings: write each change as KEY=VALUE, e.g. {example}.")
                             .format(example=f"{org_settings.RETENTION_YEARS}=7"))  # fmt: skip
        if key.strip() == letterhead.LOGO and value.startswith("@"):  # letterhead_logo=@logo.png
            try:
                changes[key.strip()] = Path(value[1:]).read_bytes()
            except OSError as exc:
                raise SystemExit(f"{key}: {exc.strerror or exc}") from None
            continue
        changes[key.strip()] = value
    with opened(url) as target, target.database.sessions() as session:
        if changes:
            try:
                changed = org_settings.update(session, changes, actor=actor_of(target, session))
            except ValidationFailed:
                session.rollback()
                raise
            session.commit()
            if not changed:
                print(_("Nothing changed: the settings already had these values."))
        values = {key: org_settings.stored_value(session, key)
                  for key in org_settings.all_settings()}  # fmt: skip
        _rules, rules_problem = dispatch_rules.load_checked(session)
    yes_no = {org_settings.NATIONAL_NUMBER_ENABLED, org_settings.EXPORT_NATIONAL_NUMBER,
              contact_policy.CALENDAR_CLIENT_NAMES}  # fmt: skip
    for key, value in values.items():
        shown = ("yes" if value == "1" else "no") if key in yes_no else value
        if key == letterhead.LOGO and value:
            shown = _("an image of {kb} kB").format(kb=len(value) * 3 // 4 // 1024 or 1)
        if key == dispatch_rules.DISPATCH_RULES and rules_problem:
            shown = _("(not valid, see below)")
        print(f"{key}={shown}  ({org_settings.setting_label(key)})")
    if rules_problem:
        print(rules_problem, file=sys.stderr)
    return 0
