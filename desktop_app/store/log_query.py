"""The log page's SQL: the query, the keyset cursor and the statement. Light on purpose (no
sqlite-utils, no pydantic): the main window's first page is painted from this SQL run raw
(store.first_page) before those are loaded; store.log runs the same SQL for every later page."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

Status = Literal[
    "draft",
    "incomplete",
    "eligible",
    "ineligible",
    "signed",
    "locked",
    "enrolled",
    "declined",
    "withdrawn",
]
STATUSES: tuple[Status, ...] = (
    "draft", "incomplete", "eligible", "ineligible", "signed", "locked", "enrolled", "declined", "withdrawn",
)  # fmt: skip
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


class LogRow(NamedTuple):
    """One line of the screening log (no direct identifiers), as the log's table model reads it:
    the first paint's page (store.first_page) and every later one (store.log). A plain tuple, built
    from the page's SQL row by log_row (a validated model cost a search a tenth of its time)."""

    screening_id: int
    screening_number: str
    attempt: int
    initials: str
    screening_date: str
    status: Status
    failing: str
    coordinator: str | None
    investigator: str | None
    signature_note: str | None  # "signature invalidated on <date> by <name>: <reason>"
    started_on: str = ""  # the day the attempt was started: shown while it has no screening date
    answered: int = 0  # how many answers the attempt holds (0: started, nothing entered yet)


def log_row(r: tuple[Any, ...]) -> LogRow:
    """The LogRow of a row of log_sql's statement."""
    return LogRow(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], r[11] or "", r[12])


@dataclass(frozen=True)
class LogCursor:
    """Where the next page starts: the sort value and id of the last row seen."""

    value: str
    screening_id: int


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


def like_literal(text: str) -> str:
    """`text` for a LIKE pattern with ESCAPE '\\' that matches it literally: a "%" or "_" in a
    search is a character of a screening number, as the trigram index reads it, not a
    wildcard."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


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
        where.append("(c.screening_number LIKE ? ESCAPE '\\' OR c.initials LIKE ? ESCAPE '\\')")
        params += [f"%{like_literal(text)}%", f"{like_literal(text.upper())}%"]
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
