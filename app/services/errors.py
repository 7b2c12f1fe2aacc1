"""Errors the services raise, each with a message fit to show to the person who acted."""

from __future__ import annotations

from collections.abc import Mapping


class ServiceError(Exception):
    """Base class: `str(error)` is a complete sentence in the UI language."""


class NotFound(ServiceError):
    pass


class Conflict(ServiceError):
    """Someone else changed the record since it was read."""


class ValidationFailed(ServiceError):
    """One or more fields are invalid; `errors` maps each field name to its message."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__(" ".join(self.errors.values()))


class Forbidden(ServiceError):
    """The signed-in counsellor's role does not allow this action."""
