"""The screening log as the main window reads it: sorted, filtered and keyset-paged in SQL."""

from __future__ import annotations

import json
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
"""Below this many matching candidates the page is built from the matches; above it, walking the
screenings in display order finds a page sooner."""


def few_matches(store: Store, text: str) -> list[int] | None:
    """The ids of the candidates a search text matches, when they are few (else None). Found on
    the candidates alone: through the trigram index for three characters or more (about a
    millisecond), by a scan of the candidates table (never of the joined log) for one or two,
    which the trigram index cannot serve: a short text that matches nothing then costs one pass
    over a narrow table (about 10 ms at 100,000), not a walk through every screening in display
    order (100-400 ms)."""
    if not text:
        return None
    sql, params = matching_candidates(store, text)
    ids = [r[0] for r in store.db.execute(f"{sql} LIMIT {FEW_MATCHES}", params)]
    return ids if len(ids) < FEW_MATCHES else None


def matching_candidates(store: Store, text: str) -> tuple[str, list[str]]:
    """The SQL of the ids of the candidates whose screening number contains the text (any case)
    or whose initials start with it."""
    if len(text) >= 3 and _has_search_index(store):
        phrase = '"' + text.replace('"', '""') + '"'  # a substring of the number, literally
        initials = "".join(
            f"[{c}]" if c in "*?[" else c for c in text.upper()
        )  # GLOB's specials, literally
        return (
            "SELECT rowid FROM candidates_search WHERE candidates_search MATCH ? "
            "UNION SELECT id FROM candidates WHERE initials GLOB ?",
            [phrase, f"{initials}*"],
        )
    return (
        "SELECT id FROM candidates WHERE screening_number LIKE ? OR initials LIKE ?",
        [f"%{text}%", f"{text.upper()}%"],
    )


def _has_search_index(store: Store) -> bool:
    return (
        store.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'candidates_search'").fetchone()
        is not None
    )


def log_sql(
    query: LogQuery, after: LogCursor | None, *, matches: list[int] | None = None
) -> tuple[str, list[Any]]:
    """The SQL and parameters of one page (public so the benchmark can time it raw). With
    `matches` (the few matching candidates' ids, from few_matches) the page is built from
    their screenings."""
    sort = _SORT_SQL[query.sort]
    where: list[str] = []
    params: list[Any] = []
    if query.status is not None:
        # Few matching candidates drive the page through their screenings; the status index
        # would walk every screening of that status instead ("+" keeps the planner off it).
        where.append("+s.status = ?" if matches is not None else "s.status = ?")
        params.append(query.status)
    text = query.search.strip()
    if text and matches is not None:
        where.append("s.candidate_id IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(matches))
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
    text = query.search.strip()
    sql, params = log_sql(query, after, matches=few_matches(store, text))
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
