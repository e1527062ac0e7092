"""Work queues: saved filters of the screening log, counted and keyset-paged in SQL.

Each queue is a condition on `screenings`, served by an index (migration 0011 adds partial
indexes for the conditions the status index does not cover), so that counting a queue and
reading its first page cost about what the plain log page does (bench/bench_ui.py).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Literal

from desktop_app.rules import CriterionResult, window_over_on
from desktop_app.store.database import Store
from desktop_app.store.schema import ELIGIBLE_OPEN, WINDOW_ONLY

QueueId = Literal["awaiting_confirmation", "eligible_no_outcome", "washout"]


@dataclass(frozen=True)
class Queue:
    id: QueueId
    condition: str  # on `screenings` (no alias), as the index that serves it states it


QUEUES: tuple[Queue, ...] = (
    # Signed by the coordinator, not yet confirmed by an investigator (the status 'signed').
    Queue("awaiting_confirmation", "status = 'signed'"),
    # Eligible and neither enrolled, declined nor withdrawn yet.
    Queue("eligible_no_outcome", ELIGIBLE_OPEN),
    # Excluded only by look-back windows (E4 malignancy, E5 biologics, E6 DMARDs), and not yet
    # screened again: time alone makes the candidate eligible on those criteria.
    Queue(
        "washout",
        f"{WINDOW_ONLY} AND NOT EXISTS (SELECT 1 FROM screenings later "
        "WHERE later.candidate_id = screenings.candidate_id AND later.attempt > screenings.attempt)",
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
    window_over_on: date | None = None  # the washout queue: from when the windows are over


@dataclass(frozen=True)
class QueueCursor:
    screening_date: str
    screening_id: int


@dataclass(frozen=True)
class QueuePage:
    rows: list[QueueRow]
    next: QueueCursor | None


def queue_counts(store: Store) -> dict[QueueId, int]:
    """How many screenings each queue holds, in the order of QUEUES."""
    return {
        q.id: int(
            store.db.execute(f"SELECT count(*) FROM screenings WHERE {q.condition}").fetchone()[0]
        )
        for q in QUEUES
    }


def queue_sql(
    queue: QueueId, after: QueueCursor | None = None, limit: int = 200
) -> tuple[str, list[Any]]:
    """The SQL and parameters of one page of a queue, newest screening first (public so that the
    benchmark times it raw)."""
    where = [_BY_ID[queue].condition]
    params: list[Any] = []
    if after is not None:
        where.append("(screenings.screening_date, screenings.id) < (?, ?)")
        params += [after.screening_date, after.screening_id]
    sql = (
        "SELECT screenings.id, c.screening_number, screenings.attempt, c.initials, screenings.screening_date, "
        "screenings.status, screenings.failing FROM screenings JOIN candidates c ON c.id = screenings.candidate_id "
        f"WHERE {' AND '.join(where)} ORDER BY screenings.screening_date DESC, screenings.id DESC LIMIT ?"
    )
    return sql, [*params, limit]


def queue_page(
    store: Store, queue: QueueId, after: QueueCursor | None = None, limit: int = 200
) -> QueuePage:
    sql, params = queue_sql(queue, after, limit)
    rows = [QueueRow(*r) for r in store.db.execute(sql, params).fetchall()]
    if queue == "washout" and rows:
        ends = window_ends(store, [r.screening_id for r in rows])
        rows = [replace(r, window_over_on=ends.get(r.screening_id)) for r in rows]
    more = len(rows) == limit
    return QueuePage(
        rows, QueueCursor(rows[-1].screening_date, rows[-1].screening_id) if more else None
    )


def window_ends(store: Store, screening_ids: Sequence[int]) -> dict[int, date]:
    """The date from which each screening's failing windows are over (rules.window_over_on),
    from the failing criteria of its latest determination (only those are read and parsed)."""
    failing: dict[int, list[CriterionResult]] = {}
    for sid, criterion in store.db.execute(
        "WITH latest AS (SELECT p.value AS sid, (SELECT d.result FROM determinations d WHERE "
        "d.screening_id = p.value ORDER BY d.id DESC LIMIT 1) AS result FROM json_each(?) p) "
        "SELECT latest.sid, c.value FROM latest, json_each(latest.result, '$.criteria') c "
        "WHERE json_extract(c.value, '$.verdict') IN ('present', 'not_met')",
        [json.dumps(list(screening_ids))],
    ):
        failing.setdefault(sid, []).append(CriterionResult.model_validate_json(criterion))
    ends = {sid: window_over_on(criteria) for sid, criteria in failing.items()}
    return {sid: end for sid, end in ends.items() if end is not None}
