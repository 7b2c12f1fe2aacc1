"""Dates typed on the command line (yyyy-mm-dd), with a message naming the option."""

from __future__ import annotations

import datetime as dt

from app.i18n import _


def day_option(option: str, text: str | None) -> dt.date | None:
    from app.services.errors import ServiceError

    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ServiceError(_("{option}: type the date as yyyy-mm-dd, for example 2026-01-31.")
                           .format(option=option)) from None  # fmt: skip
