"""The main window's first paint: the first page of the log and the status counts, in one
read-only query on a raw SQLCipher connection, returned as plain tuples.

Deliberately outside the store's usual path (sqlite-utils, pydantic models; STYLE.md allows this
one hot path): it runs right after the sign-in, before those libraries, the rules or the window's
other modules are imported, so that the log is on screen while they load. The rows are the
LogRows and the page the SQL store.log gives and runs for every later page."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlcipher3 import dbapi2

from desktop_app.store.connection import raw_connection
from desktop_app.store.location import DB_NAME
from desktop_app.store.log_query import STATUSES, LogQuery, LogRow, log_row, log_sql

Unreadable = (dbapi2.Error, OSError)
"""What read_first_page raises when the file cannot be read as the log (a damaged file, a
schema from before): the full open that follows says what to do, in words."""


@dataclass(frozen=True)
class FirstPage:
    rows: list[LogRow]
    counts: dict[str, int]  # every status in STATUSES order, as store.log.status_counts gives it
    more: bool  # a second page exists (fetched later through store.log)


def read_first_page(data_dir: Path, key: bytes, limit: int = 200) -> FirstPage:
    """The log's default first page and the counts by status (raises one of Unreadable)."""
    page_sql, params = log_sql(LogQuery(limit=limit), None)
    # One statement: the page, then one row per status with its count (screening id NULL).
    sql = (
        f"SELECT * FROM ({page_sql}) UNION ALL SELECT NULL, NULL, NULL, NULL, NULL, status, "
        "NULL, NULL, NULL, NULL, NULL, NULL, count(*) FROM screenings GROUP BY status"
    )
    conn = raw_connection(data_dir / DB_NAME, key, read_only=True)
    try:
        conn.execute("PRAGMA query_only = ON")
        result = conn.execute(sql, params).fetchall()
    finally:
        conn.close()
    rows: list[LogRow] = []
    counts: dict[str, int] = dict.fromkeys(STATUSES, 0)
    for r in result:
        if r[0] is None:
            counts[r[5]] = r[12]
        else:
            rows.append(log_row(r))
    return FirstPage(rows, counts, more=len(rows) == limit)
