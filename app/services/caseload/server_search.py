"""THE POSTGRESQL-SPECIFIC SEARCH MODULE: a team server finds clients by their folded words.

`caseload.search` turns what was typed into the beginnings of words; the server's
`traject_search` (migration 0009) makes LIKE patterns of them on " " + `clients.search_text`,
matches them with the trigram index and returns the ids among those the account may see. Asked from inside the row-level security of `clients`,
the same LIKE could not use the index (the security barrier keeps functions that are not
"leakproof" after the policy): every search would read all 100,000 rows.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, cast, func, literal_column, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.types import Text

from app.models import Client


def matching(prefixes: list[str], every: bool) -> ColumnElement[bool]:
    """`Client.id` among the visible clients with a word starting with every (or any) prefix."""
    found: Select[Any] = select(literal_column("id")).select_from(
        func.traject_search(cast(prefixes, ARRAY(Text)), every).alias("id")
    )
    # ARRAY(subquery): one value per query (an InitPlan), so `id = ANY(…)` is an index condition
    return Client.id == func.any(func.array(found.scalar_subquery()))
