"""Screenings waiting on missing-data codes (rules.missing_data), for work queues.

An answer given a code is stored as the canonical JSON {"missing_data":"<code>"} in `answers`, so
that SQL finds the candidates cheaply; the rules (waiting_only_on) then decide, from the
determination, whether nothing but those answers is missing.

What a screening waits for on pending results is also written with every determination, in
`screenings.awaiting` (awaiting_of, the questions joined by commas; '' when none; migration 0012),
so that the "Results pending" queue reads one column (store/queues.py); the replay computes it
again the same way (store/replay.py), so that `db check` finds a direct edit of it."""

from __future__ import annotations

import json
from collections.abc import Mapping

from sqlite_utils import Database

from desktop_app.rules import Determination
from desktop_app.rules.missing_data import CODE_KEY, waiting_only_on
from desktop_app.rules.parsing import parse_answers
from desktop_app.store import chain
from desktop_app.store.database import Store
from desktop_app.store.schema import PENDING_ANSWER

_PENDING = frozenset({"pending"})


def _waiting(
    determination: Determination, stored: Mapping[str, str], codes: frozenset[str]
) -> tuple[str, ...]:
    """waiting_only_on for answers as the store keeps them (question -> canonical JSON text); only
    the answers given one of the codes are read."""
    if determination.determination != "incomplete":
        return ()
    values = {chain.to_json({CODE_KEY: c}) for c in codes}
    coded = {q: json.loads(v) for q, v in stored.items() if v in values}
    if not coded:
        return ()
    return waiting_only_on(determination, parse_answers(coded), codes)


def awaiting_of(determination: Determination, stored: Mapping[str, str]) -> str:
    """The value of `screenings.awaiting` for this determination and these stored answers
    (question -> canonical JSON text): the questions it waits for only on pending results,
    joined by commas in the determination's order; '' when none."""
    return ",".join(_waiting(determination, stored, _PENDING))


def pending_answers(db: Database, screening_id: int) -> dict[str, str]:
    """The screening's answers coded pending, as stored (found through the index answers_pending)."""
    return dict(
        db.execute(
            "SELECT question_id, value FROM answers WHERE screening_id = ? AND value = ?",
            [screening_id, PENDING_ANSWER],
        ).fetchall()
    )


def waiting_by_screening(
    db: Database, codes: frozenset[str] = _PENDING
) -> dict[int, tuple[str, ...]]:
    """Screening id -> the questions it waits for, computed from each screening's latest
    determination snapshot and coded answers (results_pending; migration 0012 fills
    `screenings.awaiting` with it). In screening id order."""
    values = [chain.to_json({CODE_KEY: c}) for c in sorted(codes)]
    marks = ", ".join("?" for _ in values)
    rows = db.execute(
        "SELECT s.id, (SELECT d.result FROM determinations d WHERE d.screening_id = s.id "
        "ORDER BY d.id DESC LIMIT 1) FROM screenings s WHERE s.determination = 'incomplete' "
        f"AND EXISTS (SELECT 1 FROM answers a WHERE a.screening_id = s.id AND a.value IN ({marks})) "
        "ORDER BY s.id",
        values,
    ).fetchall()
    found: dict[int, tuple[str, ...]] = {}
    for screening_id, snapshot in rows:
        if snapshot is None:
            continue
        determination = Determination.model_validate_json(snapshot)
        coded = dict(
            db.execute(
                f"SELECT question_id, value FROM answers WHERE screening_id = ? AND value IN ({marks})",
                [screening_id, *values],
            ).fetchall()
        )
        waiting = _waiting(determination, coded, codes)
        if waiting:
            found[int(screening_id)] = waiting
    return found


def results_pending(store: Store, codes: frozenset[str] = _PENDING) -> dict[int, tuple[str, ...]]:
    """Screening id -> the questions it waits for, for every screening whose determination is
    incomplete only because answers were given one of these codes (pending results by default).
    In screening id order. Computed by the rules from the determinations, not read from
    `screenings.awaiting` (tests check that the queue, which reads it, agrees)."""
    return waiting_by_screening(store.db, codes)


# The same as results_pending() (pending only), as SQL on `screenings` computed from the latest
# determination (codes19; the "Results pending" queue reads `screenings.awaiting` instead, which
# tests/store/test_carry.py checks against this): incomplete, some answer pending, and every
# answer the latest determination misses is a pending one.
_PENDING_VALUE = "'" + str(chain.to_json({CODE_KEY: "pending"})) + "'"
_LATEST_RESULT = (
    "(SELECT d.result FROM determinations d WHERE d.screening_id = screenings.id "
    "ORDER BY d.id DESC LIMIT 1)"
)
RESULTS_PENDING_CONDITION = (
    "screenings.determination = 'incomplete' AND EXISTS (SELECT 1 FROM answers a WHERE "
    f"a.screening_id = screenings.id AND a.value = {_PENDING_VALUE}) AND NOT EXISTS (SELECT 1 FROM "
    f"json_each({_LATEST_RESULT}, '$.missing') m WHERE NOT EXISTS (SELECT 1 FROM answers a WHERE "
    f"a.screening_id = screenings.id AND a.question_id = m.value AND a.value = {_PENDING_VALUE}))"
)
RESULTS_PENDING_DETAIL = (
    f"(SELECT group_concat(m.value, ', ') FROM json_each({_LATEST_RESULT}, '$.missing') m)"
)
"""What the screening waits for: the pending questions, by id, as the determination lists them."""
