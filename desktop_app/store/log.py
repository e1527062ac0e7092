"""The screening log as the main window reads it: sorted, filtered and keyset-paged in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from desktop_app.store.database import Store
from desktop_app.store.models import STATUSES, LogRow, Status

SortKey = Literal["screening_date", "screening_number", "initials", "status", "failing"]
_SORT_SQL: dict[str, str] = {
    "screening_date": "s.screening_date",
    "screening_number": "c.screening_number",
    "initials": "c.initials",
    "status": "s.status",
    "failing": "s.failing",
}


@dataclass(frozen=True)
class LogQuery:
    sort: SortKey = "screening_date"
    descending: bool = True
    status: Status | None = None
    search: str = ""
    limit: int = 200


@dataclass(frozen=True)
class LogCursor:
    """Where the next page starts: the sort value and id of the last row seen."""

    value: str
    screening_id: int


@dataclass(frozen=True)
class LogPage:
    rows: list[LogRow]
    next: LogCursor | None


_SELECT = """
SELECT s.id, c.screening_number, s.attempt, c.initials, s.screening_date, s.status, s.failing,
       co.full_name, iv.full_name,
       CASE WHEN s.sign_state = 'invalidated' THEN (
           SELECT 'signature invalidated on ' || substr(i.at_utc, 1, 10) || ' by ' || u.full_name || ': ' || i.reason
           FROM signatures g JOIN signature_invalidations i ON i.signature_id = g.id JOIN users u ON u.id = i.user_id
           WHERE g.screening_id = s.id ORDER BY i.at_utc DESC LIMIT 1) END,
       {sort} AS sort_value,
       substr(s.created_at, 1, 10),
       CASE WHEN s.screening_date = '' OR s.screening_date IS NULL
            THEN (SELECT count(*) FROM answers a WHERE a.screening_id = s.id) ELSE 1 END
FROM screenings s
JOIN candidates c ON c.id = s.candidate_id
LEFT JOIN users co ON co.id = s.coordinator_id
LEFT JOIN users iv ON iv.id = s.investigator_id
"""


FEW_MATCHES = 2000
"""Below this many matching candidates the page is built from the matches (found through the
search index); above it, walking the screenings in display order finds a page sooner."""


def few_matches(store: Store, text: str) -> bool:
    """Whether a search text matches few candidates, counted through the indexes (about a
    millisecond). Texts under three characters cannot use the trigram index: they scan, and they
    match many candidates, so the scan stops early."""
    if len(text) < 3 or not _has_search_index(store):
        return False
    found = store.db.execute(
        f"SELECT count(*) FROM ({_MATCHING_CANDIDATES} LIMIT {FEW_MATCHES})", _match_params(text)
    ).fetchone()[0]
    return bool(found < FEW_MATCHES)


_MATCHING_CANDIDATES = (
    "SELECT rowid FROM candidates_search WHERE candidates_search MATCH ? "
    "UNION SELECT id FROM candidates WHERE initials GLOB ?"
)


def _match_params(text: str) -> list[str]:
    phrase = '"' + text.replace('"', '""') + '"'  # a substring of the number, matched literally
    initials = "".join(
        f"[{c}]" if c in "*?[" else c for c in text.upper()
    )  # GLOB's specials, literally
    return [phrase, f"{initials}*"]


def _has_search_index(store: Store) -> bool:
    return (
        store.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'candidates_search'").fetchone()
        is not None
    )


def log_sql(
    query: LogQuery, after: LogCursor | None, *, use_search_index: bool = False
) -> tuple[str, list[Any]]:
    """The SQL and parameters of one page (public so the benchmark can time it raw). With
    `use_search_index` (see few_matches) the matching candidates are found first."""
    sort = _SORT_SQL[query.sort]
    where: list[str] = []
    params: list[Any] = []
    if query.status is not None:
        where.append("s.status = ?")
        params.append(query.status)
    text = query.search.strip()
    if text and use_search_index:
        where.append(f"s.candidate_id IN ({_MATCHING_CANDIDATES})")
        params += _match_params(text)
    elif text:
        where.append("(c.screening_number LIKE ? OR c.initials LIKE ?)")
        params += [f"%{text}%", f"{text.upper()}%"]
    if after is not None:
        # Row-value comparison: paging by key costs the same at any depth, unlike OFFSET.
        where.append(f"({sort}, s.id) {'<' if query.descending else '>'} (?, ?)")
        params += [after.value, after.screening_id]
    order = "DESC" if query.descending else "ASC"
    sql = _SELECT.format(sort=sort)
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += f" ORDER BY {sort} {order}, s.id {order} LIMIT ?"
    params.append(query.limit)
    return sql, params


def log_page(store: Store, query: LogQuery, after: LogCursor | None = None) -> LogPage:
    sql, params = log_sql(query, after, use_search_index=few_matches(store, query.search.strip()))
    rows = store.db.execute(sql, params).fetchall()
    result = [
        LogRow.model_construct(
            screening_id=r[0], screening_number=r[1], attempt=r[2], initials=r[3], screening_date=r[4],
            status=r[5], failing=r[6], coordinator=r[7], investigator=r[8], signature_note=r[9],
            started_on=r[11] or "", answered=r[12],
        )
        for r in rows
    ]  # fmt: skip
    more = len(rows) == query.limit
    return LogPage(result, LogCursor(str(rows[-1][10]), rows[-1][0]) if more and rows else None)


def status_counts(store: Store) -> dict[str, int]:
    counts: dict[str, int] = dict.fromkeys(STATUSES, 0)
    for status, count in store.db.execute(
        "SELECT status, count(*) FROM screenings GROUP BY status"
    ):
        counts[status] = count
    return counts
