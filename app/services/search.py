"""Client search — THE SQLITE-SPECIFIC MODULE: raw FTS5 lives here and nowhere else.

The models keep `clients.search_text` (folded names, dossier, e-mail, phone digits and
reversed phone digits); migration 0001 indexes it with FTS5 and triggers. A query is folded
the same way and every word becomes a prefix match, so "yil" finds "Yılmaz" and "ayse ozt"
finds "Ayşe Öztürk". A query of digits also matches the end of a phone number. Other
databases fall back to portable LIKE matching on the same folded column.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal_column, or_, select, text
from sqlalchemy.orm import Session

from app.models import Client
from app.models.text import digits, words

MIN_SUFFIX_DIGITS = 3
BROAD = 8000  # matches (about a tenth of a big caseload) from which walking in order wins
SHORT_TERM = 2  # only queries with a word this short can be that broad


def fts_expression(query: str) -> str | None:
    """The FTS5 MATCH expression for what someone typed, or None when nothing is searchable."""
    terms = words(query)
    if not terms:
        return None
    parts = [f'"{term}"*' for term in terms]
    number = digits(query)
    compact = "".join(ch for ch in query if not ch.isspace() and ch not in "+-./()")
    if len(number) >= MIN_SUFFIX_DIGITS and compact == number:
        # only digits were typed: the start of a number, or the end of a phone number
        return f'("{number}"* OR "r{number[::-1]}"*)'
    return " ".join(parts)


def _fts_matches(expression: str) -> Select[Any]:
    return (
        select(literal_column("rowid"))
        .select_from(text("client_search"))
        .where(text("client_search MATCH :fts_query").bindparams(fts_query=expression))
    )


def _is_broad(session: Session, query: str, expression: str) -> bool:
    """A query that matches thousands of clients, as first keystrokes ("t", "t-2") do."""
    if min(len(term) for term in words(query)) > SHORT_TERM:
        return False
    probe = select(func.count()).select_from(_fts_matches(expression).limit(BROAD).subquery())
    return (session.scalar(probe) or 0) >= BROAD


def matching_condition(
    session: Session, query: str, *, for_page: bool = False
) -> ColumnElement[bool] | None:
    """A WHERE condition on Client for `query`, or None when the query has no words.

    For a page of results (`for_page`), a broad query is better answered by walking
    the clients in display order with LIKE on the folded column and stopping after a page than
    by building the set of tens of thousands of matches from the index first.
    """
    if session.get_bind().dialect.name != "sqlite":
        return _portable_condition(query)
    expression = fts_expression(query)
    if expression is None:
        return None
    if for_page and _is_broad(session, query, expression):
        return _portable_condition(query)
    return Client.id.in_(_fts_matches(expression).scalar_subquery())


def _portable_condition(query: str) -> ColumnElement[bool] | None:
    terms = words(query)
    if not terms:
        return None
    haystack: ColumnElement[str] = literal_column("' '") + Client.search_text
    conditions = [haystack.like(f"% {term}%") for term in terms]
    number = digits(query)
    if len(number) >= MIN_SUFFIX_DIGITS and len(terms) == 1 and terms[0] == number:
        return or_(conditions[0], haystack.like(f"% r{number[::-1]}%"))
    return and_(*conditions)


def warm_up(session: Session) -> None:
    """Read the search indexes once, so the first searches find their pages in the cache.

    On an encrypted file every page is decrypted when first read; the app calls this right
    after the caseload is shown (about a tenth of a second for 100,000 clients), so the first
    keystrokes do not pay for it.
    """
    if session.get_bind().dialect.name != "sqlite":
        return
    for index in ("ix_clients_status_sort_name_id_search_text", "ix_clients_id_status_sort_name"):
        session.execute(
            text(f"SELECT max(id) FROM clients INDEXED BY {index} WHERE status IS NOT NULL")
        )
    session.execute(text("SELECT sum(length(block)) FROM client_search_data"))
