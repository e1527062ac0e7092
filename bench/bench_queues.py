"""Work-queue benchmark (issue #19), run by bench_ui.py as its part (4) and runnable alone.

(4) with 100,000 screenings, each queue's count and first page (200 rows, as the queues tab reads
    them) / the plain log's first page (log_page, 200 rows by screening date) measured in the same
    run; target <= 2.

The seed (bench_store.seed) is made realistic for the queues: a twentieth of the screenings
signed by a coordinator (awaiting confirmation), one incomplete screening in 100 waiting only on
a pending HIV result (with the `awaiting` Eligo writes beside its determination), one in 200 with an open monitor query, and the
ineligible ones (E5 alone) given the washout date Eligo writes beside each determination.
"""

from __future__ import annotations

import os
import sys
import tempfile
from functools import partial
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_store import bench_key, new_bench_store, open_bench_store, seed, timed

from desktop_app.store.connection import raw_connection
from desktop_app.store.database import Store
from desktop_app.store.queues import QueueId


def prepare(folder: Path) -> None:
    """A twentieth signed and awaiting confirmation; the seeded E5 screenings given a washout date
    (the seed writes no determinations, and a date is what Eligo writes beside each)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from helpers import answers

    from desktop_app.rules import default_protocol, evaluate
    from desktop_app.store.missing_data import awaiting_of
    from desktop_app.store.schema import PENDING_ANSWER

    waiting = evaluate(default_protocol(), answers(hiv={"missing_data": "pending"}))
    conn = raw_connection(folder / "eligo.db", bench_key(folder))
    conn.execute("BEGIN")
    # One incomplete screening in 100 waits only on a pending HIV result (its answer and the
    # determination the rules give for it).
    conn.execute(
        "INSERT INTO answers (screening_id, question_id, value, updated_at, updated_by) SELECT id, 'hiv', "
        "'{\"missing_data\":\"pending\"}', 'x', 1 FROM screenings WHERE determination = 'incomplete' AND id % 100 = 1"
    )
    conn.execute(
        "INSERT INTO determinations (screening_id, determination, result, created_at, created_by) "
        "SELECT id, 'incomplete', ?, 'x', 1 FROM screenings WHERE determination = 'incomplete' AND id % 100 = 1",
        [waiting.model_dump_json()],
    )
    conn.execute(  # and what Eligo writes beside that determination (store/answers.py)
        "UPDATE screenings SET awaiting = ? WHERE determination = 'incomplete' AND id % 100 = 1",
        [awaiting_of(waiting, {"hiv": PENDING_ANSWER})],
    )
    conn.execute("UPDATE screenings SET sign_state = 'signed' WHERE id % 20 = 0")
    conn.execute(
        "UPDATE screenings SET window_over_on = date(screening_date, '+' || (id % 180) || ' days') "
        "WHERE determination = 'ineligible'"
    )
    conn.execute(  # an open monitor query on one screening in 200
        "INSERT INTO queries (screening_id, question_id, text, state, raised_at, utc_offset, raised_by) "
        "SELECT id, 'hiv', 'Date of the HIV test?', 'open', 'x', '+00:00', 1 FROM screenings WHERE id % 200 = 0"
    )
    conn.execute("COMMIT")
    conn.close()


def first_page(store: Store, queue: QueueId) -> object:
    from desktop_app.store.queues import queue_count, queue_page

    return queue_count(store, queue), queue_page(store, queue, limit=200)


def run(folder: Path) -> None:
    """Baseline and queue timed in turns (five rounds of a median of ten calls each), the fastest
    round of each kept: on a shared, loaded machine a single median swings several-fold."""
    from desktop_app.store.log import LogQuery, log_page
    from desktop_app.store.queues import QUEUES, queue_count, queue_page

    store = open_bench_store(folder)
    try:
        print("(4) work queues, each against the plain log's first page (200 rows) timed in turns:")
        for queue in QUEUES:
            count = queue_count(store, queue.id)
            page = queue_page(store, queue.id, limit=200)
            baseline, ours = float("inf"), float("inf")
            for _ in range(5):
                baseline = min(baseline, timed(lambda: log_page(store, LogQuery(limit=200)), 10))
                ours = min(ours, timed(partial(first_page, store, queue.id), 10))
            print(f"    {queue.id}: {count} screenings, first page {len(page.rows)} rows; count and first page "
                  f"{ours * 1e3:.1f} ms, log page {baseline * 1e3:.1f} ms; ratio {ours / baseline:.2f} "
                  "(target <= 2)")  # fmt: skip
    finally:
        store.close()


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="eligo-bench-queues-", dir=Path.cwd()) as tmp:
        folder = Path(tmp) / "store"
        new_bench_store(folder, "BENCH")[0].close()
        seed(folder / "eligo.db")
        prepare(folder)
        run(folder)


if __name__ == "__main__":
    main()
