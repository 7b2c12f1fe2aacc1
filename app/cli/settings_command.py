"""`traject settings [KEY=VALUE …]`: show the organisation's settings, or change them (an
administrator; the same service and checks as the settings dialog)."""

from __future__ import annotations

import argparse

from app.i18n import _


def add_parser(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:  # type: ignore[type-arg]
    settings = sub.add_parser(
        "settings", parents=[common], help=_("show or change the organisation's settings")
    )
    settings.add_argument(
        "changes", nargs="*", metavar="KEY=VALUE",
        help=_("settings to change, with the keys `traject settings` shows"),
    )  # fmt: skip


def settings(url: str, args: argparse.Namespace) -> int:
    from app.cli.access import actor_of, opened
    from app.services import org_settings
    from app.services.errors import ValidationFailed

    changes = {}
    for item in args.changes:
        key, equals, value = item.partition("=")
        if not equals:
            raise SystemExit(_("traject settings: write each change as KEY=VALUE, e.g. {example}.")
                             .format(example=f"{org_settings.RETENTION_YEARS}=7"))  # fmt: skip
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
        policy = org_settings.policy(session)
    values = {org_settings.NATIONAL_NUMBER_ENABLED: _yes_no(policy.national_number_enabled),
              org_settings.EXPORT_NATIONAL_NUMBER: _yes_no(policy.export_national_number),
              org_settings.RETENTION_YEARS: str(policy.retention_years)}  # fmt: skip
    for key in org_settings.SETTINGS:
        print(f"{key}={values[key]}  ({org_settings.setting_label(key)})")
    return 0


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"
