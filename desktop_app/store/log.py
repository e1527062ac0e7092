"""The screening log as the main window reads it: sorted, filtered and keyset-paged in SQL."""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.store.database import Store
from desktop_app.store.log_query import LogCursor as LogCursor
from desktop_app.store.log_query import LogQuery as LogQuery
from desktop_app.store.log_query import SortKey as SortKey
from desktop_app.store.log_query import like_literal, log_row
from desktop_app.store.log_query import log_sql as log_sql
from desktop_app.store.models import STATUSES, LogRow


@dataclass(frozen=True)
class LogPage:
    rows: list[LogRow]
    next: LogCursor | None


FEW_MATCHES = 2000
"""Below this many matching candidates the page is built from the matches; above it, walking the
screenings in display order finds a page sooner."""


def few_matches(store: Store, text: str) -> list[int] | None:
    """The ids of the candidates a search text matches, when they are few (else None). Found on
    the candidates alone: through the trigram index for three characters or more (about a
    millisecond), by a scan of the candidates' numbers (never of the joined log) and their
    initials' index for one or two, which the trigram index cannot serve: a short text that
    matches nothing then costs one pass over a narrow table (about 6 ms at 100,000), not a walk through every screening in display
    order (100-400 ms)."""
    if not text:
        return None
    sql, params = matching_candidates(store, text)
    ids = [r[0] for r in store.db.execute(f"{sql} LIMIT {FEW_MATCHES}", params)]
    return ids if len(ids) < FEW_MATCHES else None


def matching_candidates(store: Store, text: str) -> tuple[str, list[str]]:
    """The SQL of the ids of the candidates whose screening number contains the text (any case)
    or whose initials start with it. Initials are two to four letters A-Z (records.py refuses any
    other), so that they are found through their index, by GLOB on the text in capitals."""
    initials = f"{_literal_glob(text.upper())}*"
    if len(text) >= 3 and _has_search_index(store):
        phrase = '"' + text.replace('"', '""') + '"'  # a substring of the number, literally
        return (
            "SELECT rowid FROM candidates_search WHERE candidates_search MATCH ? "
            "UNION SELECT id FROM candidates WHERE initials GLOB ?",
            [phrase, initials],
        )
    # The initials through their index first (when they alone are too many, nothing else is
    # read), then one scan of the numbers (the trigram index cannot serve one or two characters)
    # for those not found already: each id once, no sort (the OR of both took half as long again).
    return (
        "SELECT id FROM candidates WHERE initials GLOB ?1 UNION ALL "
        "SELECT id FROM candidates WHERE screening_number LIKE ?2 ESCAPE '\\' "
        "AND NOT initials GLOB ?1",
        [initials, f"%{like_literal(text)}%"],
    )


def _literal_glob(text: str) -> str:
    """`text` as a GLOB pattern that matches it literally."""
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)


def _has_search_index(store: Store) -> bool:
    return (
        store.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'candidates_search'").fetchone()
        is not None
    )


def log_page(store: Store, query: LogQuery, after: LogCursor | None = None) -> LogPage:
    text = query.search.strip()
    sql, params = log_sql(query, after, matches=few_matches(store, text))
    rows = store.db.execute(sql, params).fetchall()
    result = [log_row(r) for r in rows]
    more = len(rows) == query.limit
    return LogPage(result, LogCursor(str(rows[-1][10]), rows[-1][0]) if more and rows else None)


def status_counts(store: Store) -> dict[str, int]:
    counts: dict[str, int] = dict.fromkeys(STATUSES, 0)
    for status, count in store.db.execute(
        "SELECT status, count(*) FROM screenings GROUP BY status"
    ):
        counts[status] = count
    return counts
