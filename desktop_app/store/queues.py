"""Work queues: saved filters of the screening log, counted and keyset-paged in SQL.

Each queue is a condition on `screenings`, served by an index (migration 0011 adds partial
indexes for the conditions the status index does not cover), so that counting a queue and
reading its first page cost about what the plain log page does (bench/bench_queues.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from desktop_app.store.annotations import OPEN_QUERY_SCREENINGS_SQL
from desktop_app.store.database import Store
from desktop_app.store.schema import AWAITING, ELIGIBLE_OPEN, WINDOW_ONLY

QueueId = Literal[
    "awaiting_confirmation", "results_pending", "eligible_no_outcome", "open_queries", "washout"
]


@dataclass(frozen=True)
class Queue:
    id: QueueId
    condition: str  # on `screenings` (no alias), as the index that serves it states it
    count_sql: str = ""  # when counting by the condition would not be served by an index
    # The order of the queue (an index's): newest screening first, or the soonest washout date.
    sort: str = "screening_date"
    descending: bool = True
    detail: str = "''"  # an SQL expression: what the queue says of each screening beyond the log


# Screenings whose candidate was screened again later, found from the few later attempts.
_RESCREENED = (
    "SELECT prev.id FROM screenings later JOIN screenings prev ON prev.candidate_id = later.candidate_id "
    "AND prev.attempt < later.attempt WHERE later.attempt > 1"
)

# Incomplete only because results are pending, with which: `screenings.awaiting`, written with
# every determination from rules.missing_data.waiting_only_on (store/missing_data.awaiting_of;
# tests/store/test_queues.py checks that the queue agrees with results_pending, which computes it
# from the determinations), found through its partial index (migration 0012).
_RESULTS_PENDING = f"status = 'incomplete' AND {AWAITING}"


QUEUES: tuple[Queue, ...] = (
    # Signed by the coordinator, not yet confirmed by an investigator (the status 'signed').
    Queue("awaiting_confirmation", "status = 'signed'"),
    # Waiting only on results coded pending (codes19's missing-data codes), with which.
    Queue(
        "results_pending",
        _RESULTS_PENDING,
        detail="screenings.awaiting",
    ),
    # Eligible and neither enrolled, declined nor withdrawn yet.
    Queue("eligible_no_outcome", ELIGIBLE_OPEN),
    # A monitor's query awaits the coordinator's answer (store/annotations.py); with how many.
    Queue(
        "open_queries",
        f"screenings.id IN ({OPEN_QUERY_SCREENINGS_SQL})",
        "SELECT count(DISTINCT screening_id) FROM queries WHERE state = 'open'",
        detail="(SELECT count(*) FROM queries q WHERE q.screening_id = screenings.id AND q.state = 'open')",
    ),
    # Excluded only by look-back windows (E4 malignancy, E5 biologics, E6 DMARDs), and not yet
    # screened again: time alone makes the candidate eligible on those criteria, from the date
    # the rules give (window_over_on, written with the determination); the soonest first.
    # Those screened again are found once from the few later attempts (a NOT EXISTS for each row
    # would cost 50 ms to count at 100,000 screenings); counted as all such screenings less those.
    Queue(
        "washout",
        f"{WINDOW_ONLY} AND screenings.id NOT IN ({_RESCREENED})",
        f"SELECT (SELECT count(*) FROM screenings WHERE {WINDOW_ONLY}) - (SELECT count(*) FROM screenings "
        f"WHERE {WINDOW_ONLY} AND id IN ({_RESCREENED}))",
        sort="window_over_on",
        descending=False,
        detail="screenings.window_over_on",
    ),
)
_BY_ID = {q.id: q for q in QUEUES}


@dataclass(frozen=True)
class QueueRow:
    screening_id: int
    screening_number: str
    attempt: int
    initials: str
    screening_date: str
    status: str
    failing: str
    detail: str  # the queue's own column: the washout date, the awaited results, the open queries


@dataclass(frozen=True)
class QueueCursor:
    """Where the next page starts: the sort value and id of the last row seen."""

    value: str
    screening_id: int


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    next: QueueCursor | None


def count_sql(queue: QueueId) -> str:
    q = _BY_ID[queue]
    return q.count_sql or f"SELECT count(*) FROM screenings WHERE {q.condition}"


def queue_count(store: Store, queue: QueueId) -> int:
    return int(store.db.execute(count_sql(queue)).fetchone()[0])


def queue_counts(store: Store) -> dict[QueueId, int]:
    """How many screenings each queue holds, in the order of QUEUES."""
    return {q.id: queue_count(store, q.id) for q in QUEUES}


def queue_sql(
    queue: QueueId, after: QueueCursor | None = None, limit: int = 200
) -> tuple[str, list[Any]]:
    """The SQL and parameters of one page of a queue (public so that the benchmark times it)."""
    q = _BY_ID[queue]
    sort, order = f"screenings.{q.sort}", "DESC" if q.descending else "ASC"
    where = [q.condition]
    params: list[Any] = []
    if after is not None:  # keyset paging: the same cost at any depth
        where.append(f"({sort}, screenings.id) {'<' if q.descending else '>'} (?, ?)")
        params += [after.value, after.screening_id]
    sql = (
        "SELECT screenings.id, c.screening_number, screenings.attempt, c.initials, screenings.screening_date, "
        f"screenings.status, screenings.failing, {q.detail}, "
        f"{sort} FROM screenings JOIN candidates c ON c.id = screenings.candidate_id "
        f"WHERE {' AND '.join(where)} ORDER BY {sort} {order}, screenings.id {order} LIMIT ?"
    )
    return sql, [*params, limit]


def queue_page(
    store: Store, queue: QueueId, after: QueueCursor | None = None, limit: int = 200
) -> QueuePage:
    sql, params = queue_sql(queue, after, limit)
    found = store.db.execute(sql, params).fetchall()
    rows = [QueueRow(*r[:8]) for r in found]
    more = len(found) == limit
    return QueuePage(rows, QueueCursor(str(found[-1][8]), found[-1][0]) if more else None)
