"""Client search — THE SQLITE-SPECIFIC MODULE: raw FTS5 lives here and nowhere else.

The models keep `clients.search_text` (folded names, dossier, e-mail, phone digits and
reversed phone digits); migration 0001 indexes it with FTS5 and triggers. A query is folded
the same way and every word becomes a prefix match, so "yil" finds "Yılmaz" and "ayse ozt"
finds "Ayşe Öztürk". A query of digits also matches the end of a phone number. A team server
(PostgreSQL) answers the same question with LIKE on the same folded words, which a trigram
index serves (`server_search`, migration 0009); a test compares the two on the same demo.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, func, literal_column, or_, select, text
from sqlalchemy.orm import Session

from app.models import Client
from app.models.text import digits, words
from app.services.caseload import server_search

MIN_SUFFIX_DIGITS = 3
BROAD = 8000  # matches (about a tenth of a big caseload) from which walking in order wins
SHORT_TERM = 2  # only queries with a word this short can be that broad


def fts_expression(query: str) -> str | None:
    """The FTS5 MATCH expression for what someone typed, or None when nothing is searchable."""
    terms = words(query)
    if not terms:
        return None
    parts = [f'"{term}"*' for term in terms]
    number = _only_digits(query)
    if number is not None:
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
        if for_page and _only_short_words(query):  # broad: the ordered walk stops after a page
            return _portable_condition(query)
        words_found = _prefixes(query)
        return server_search.matching(*words_found) if words_found is not None else None
    expression = fts_expression(query)
    if expression is None:
        return None
    if for_page and _is_broad(session, query, expression):
        return _portable_condition(query)
    return Client.id.in_(_fts_matches(expression).scalar_subquery())


def _only_digits(query: str) -> str | None:
    """The number typed, when only a number was typed (spaces and + - . / ( ) allowed)."""
    number = digits(query)
    compact = "".join(ch for ch in query if not ch.isspace() and ch not in "+-./()")
    return number if len(number) >= MIN_SUFFIX_DIGITS and compact == number else None


def _only_short_words(query: str) -> bool:
    """Every word too short for a trigram ("t", "el"), and not a number: thousands match."""
    terms = words(query)
    short = bool(terms) and max(len(term) for term in terms) <= SHORT_TERM
    return short and _only_digits(query) is None


def _prefixes(query: str) -> tuple[list[str], bool] | None:
    """What `fts_expression` matches: the beginnings of words, and whether every one must
    match (or any: the start or the end of a number)."""
    terms = words(query)
    if not terms:
        return None
    number = _only_digits(query)
    if number is not None:
        return [number, f"r{number[::-1]}"], False
    return terms, True


def _like_patterns(query: str) -> tuple[list[str], bool] | None:
    """The same as LIKE patterns on " " + the folded words."""
    found = _prefixes(query)
    if found is None:
        return None
    prefixes, every = found
    return [_word_start(prefix) for prefix in prefixes], every


def _word_start(prefix: str) -> str:
    """A word of `search_text` starts with `prefix`: " " + search_text LIKE this."""
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"% {escaped}%"


def _portable_condition(query: str) -> ColumnElement[bool] | None:
    """The same as LIKE conditions, for a broad query walked in display order (SQLite, and a
    team server's covering index)."""
    found = _like_patterns(query)
    if found is None:
        return None
    patterns, every = found
    haystack: ColumnElement[str] = literal_column("' '") + Client.search_text
    likes = [haystack.like(pattern, escape="\\") for pattern in patterns]
    return and_(*likes) if every else or_(*likes)


WARM_UP_ROWS = 4000  # client rows per step: a few milliseconds, so typing is never held up
WARM_UP_BLOCKS = 800  # search index blocks (about 4 KiB each) per step


def warm_up_steps(sessions: Callable[[], Session]) -> Iterator[None]:
    """Read once, step by step, every page that searching and showing the caseload touch.

    On an encrypted file a page is decrypted the first time it is read; afterwards it sits
    decrypted in the connection's page cache. The window runs these steps in idle moments
    right after the caseload is shown (about 0.2 s in all for 100,000 clients, no step over
    about 15 ms), so the first keystrokes and rows on screen do not pay for decryption. Each
    step opens a session of its own from `sessions`: the pool hands the same connection back
    (`pool_use_lifo`), and nothing stays open between steps.
    `INDEXED BY` fails loudly if an index named here is renamed or gone.
    """

    def run(sql: str, **params: object) -> list[Any]:
        with sessions() as session:
            return list(session.execute(text(sql), params).all())

    with sessions() as session:
        if session.get_bind().dialect.name != "sqlite":
            return
    statuses = [row[0] for row in run("SELECT DISTINCT status FROM clients")]
    for status in statuses:  # the walk in name order (the widest index), in halves
        for names in ("sort_name < 'm'", "sort_name >= 'm'"):
            run("SELECT count(*) FROM clients INDEXED BY ix_clients_status_sort_name_id_search_text "
                f"WHERE status = :status AND {names}", status=status)  # fmt: skip
            yield
    run("SELECT count(*) FROM clients INDEXED BY ix_clients_id_status_sort_name "
        "WHERE status IS NOT NULL")  # fmt: skip
    run("SELECT count(*) FROM assignments INDEXED BY ix_assignments_open_referent_counsellor "
        "WHERE role = 'referent' AND ends_on IS NULL AND counsellor_id > 0")  # fmt: skip
    run("SELECT count(*), sum(length(full_name)) FROM counsellors")
    run("SELECT count(*) FROM client_search_idx")
    yield
    blocks = [row[0] for row in run("SELECT id FROM client_search_data ORDER BY id")]
    for start in range(0, len(blocks), WARM_UP_BLOCKS):
        # length() alone would not read a block's overflow page; its last byte does
        run("SELECT count(hex(substr(block, -1))) FROM client_search_data WHERE id >= :a AND id <= :b",
            a=blocks[start], b=blocks[min(start + WARM_UP_BLOCKS, len(blocks)) - 1])  # fmt: skip
        yield
    highest = run("SELECT max(id) FROM clients")[0][0] or 0
    for first in range(0, highest + 1, WARM_UP_ROWS):  # the rows on screen, in id ranges
        run("SELECT sum(length(given_name)) FROM clients WHERE id >= :a AND id < :b",
            a=first, b=first + WARM_UP_ROWS)  # fmt: skip
        yield


def warm_up(session: Session) -> None:
    """All of `warm_up_steps` at once (the command line and the bench), through sessions of
    its own on the same engine (the caller's session is left as it was)."""
    bind = session.get_bind()
    for _step in warm_up_steps(lambda: Session(bind)):
        pass
