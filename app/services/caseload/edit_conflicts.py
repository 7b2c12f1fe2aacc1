"""No silent overwrite: what happens when two people change the same client file.

Every editable row carries a version (SQLAlchemy's `version_id_col`): an UPDATE names the
version it read and changes nothing when a colleague's write came first. Then the values
decide, field by field, as a three-way merge does: a field my colleague left as I read it
takes my change on top of theirs; a field they changed to what I typed is already right; a
field we both changed to different values is a conflict, which the person resolves by
comparing theirs and mine (the window's comparison dialog). Last write never simply wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.i18n import _
from app.models import Client
from app.services.errors import EditConflict, FieldConflict

_UNKNOWN = object()


def conflicts(
    client: Client, mine: Mapping[str, Any], base: Mapping[str, Any]
) -> list[FieldConflict]:
    """The fields of `mine` that a colleague changed to something else since `base` was read."""
    found = []
    for field, value in mine.items():
        theirs = getattr(client, field)
        before = base.get(field, _UNKNOWN)
        if theirs in (before, value):
            continue
        found.append(FieldConflict(field, None if before is _UNKNOWN else before, theirs, value))
    return found


def merge(client: Client, mine: Mapping[str, Any], base: Mapping[str, Any]) -> None:
    """Go on with my change on top of the colleague's, or raise EditConflict."""
    found = conflicts(client, mine, base)
    if found:
        raise EditConflict(
            _("A colleague changed this client file while you were editing it. Compare their "
              "values with yours and choose what to keep."),
            found, client.version,
        )  # fmt: skip
