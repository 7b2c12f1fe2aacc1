"""Errors the services raise, each with a message fit to show to the person who acted."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class ServiceError(Exception):
    """Base class: `str(error)` is a complete sentence in the UI language."""


class NotFound(ServiceError):
    pass


class Conflict(ServiceError):
    """Someone else changed the record since it was read."""


@dataclass(frozen=True)
class FieldConflict:
    """One field both people changed: what it was when I read it, what my colleague saved,
    and what I typed."""

    field: str
    base: Any
    theirs: Any
    mine: Any


class EditConflict(Conflict):
    """A colleague saved other values for the fields I changed, since I read them: nothing of
    mine was written; `fields` are for the person to compare and merge, `version` is the
    record's version now (save the merged values against it)."""

    def __init__(self, message: str, fields: list[FieldConflict], version: int) -> None:
        super().__init__(message)
        self.fields = fields
        self.version = version


class ValidationFailed(ServiceError):
    """One or more fields are invalid; `errors` maps each field name to its message."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__(" ".join(self.errors.values()))


class Forbidden(ServiceError):
    """The signed-in counsellor's role does not allow this action."""


SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_IOERR = 10
SQLITE_FULL = 13


def is_busy(exc: BaseException) -> bool:
    """The database stayed locked by another writer (an import, another window) for longer than
    the busy timeout: nothing is wrong with what was asked, it can simply be tried again."""
    original = getattr(exc, "orig", None) or exc
    code = getattr(original, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (SQLITE_BUSY, SQLITE_LOCKED)
    text = str(original).lower()
    return "database is locked" in text or "database table is locked" in text


def refused_by_server(exc: BaseException) -> bool:
    """The team server's row-level security or one of its functions refused what was asked
    (insufficient_privilege): the caller says why in the counsellor's words."""
    return getattr(getattr(exc, "orig", None), "sqlstate", None) == "42501"


def storage_problem(exc: BaseException) -> str | None:
    """The message for a save that failed because the caseload is busy, or the disk is full or
    cannot be written (the transaction was rolled back, so nothing of it was stored); None for
    any other error."""
    import errno

    from app.i18n import _

    original = getattr(exc, "orig", None) or exc
    code = getattr(original, "sqlite_errorcode", None)
    text = str(original).lower()
    if is_busy(exc):
        return _("The caseload is busy (another Traject is writing to it, an import for "
                 "example), so this was not saved. What you typed is still here: try again in "
                 "a moment.")  # fmt: skip
    if (code == SQLITE_FULL or "disk is full" in text
            or (isinstance(original, OSError) and original.errno == errno.ENOSPC)):  # fmt: skip
        return _("The disk is full, so this was not saved. Everything saved before is safe and "
                 "what you typed is still here: free some space, then save again.")  # fmt: skip
    if (code is not None and code & 0xFF == SQLITE_IOERR) or "disk i/o error" in text:
        return _("The disk could not be written, so this was not saved. Everything saved before "
                 "is safe and what you typed is still here; save again, and if it keeps "
                 "failing, make a backup to another disk.")  # fmt: skip
    return None
