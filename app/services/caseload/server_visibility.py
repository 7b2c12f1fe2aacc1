"""THE POSTGRESQL-SPECIFIC CASELOAD MODULE: lists on a team server start from what one may see.

Row-level security (migration 0009) filters every row of `clients` against the set of files
the account may see, but as a filter: the planner cannot tell that a counsellor sees a few
hundred of 100,000 clients, so a search with a short word reads the whole table. Naming the
same set once more as an array of ids (an InitPlan, computed once per query) lets it go
straight to those rows by their key. The rule itself is the server's: this only repeats it
where it makes the query fast. A team lead over every office sees everything, and gets
nothing added.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, literal_column, select
from sqlalchemy.orm import Session

from app.models import Client


def narrowing(session: Session) -> ColumnElement[bool] | None:
    """`Client.id` among the files this account may see, or None (not a server, or all)."""
    if session.get_bind().dialect.name != "postgresql":
        return None
    # asked once per session (one user action): a keystroke lists and counts with the same
    if "traject_sees_all" not in session.info:
        session.info["traject_sees_all"] = bool(session.scalar(select(func.traject_sees_all())))
    if session.info["traject_sees_all"]:
        return None
    # ARRAY(subquery) is one value the query computes once (an InitPlan): `id = ANY(…)` on it
    # is an index condition, where `id IN (subquery)` would only be a filter
    visible: ColumnElement[list[int]] = literal_column(
        "ARRAY(SELECT v FROM traject_visible_clients() AS v)"
    )
    return Client.id == func.any(visible)
