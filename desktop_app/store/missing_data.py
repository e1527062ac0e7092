"""Screenings waiting on missing-data codes (rules.missing_data), for work queues.

An answer given a code is stored as the canonical JSON {"missing_data":"<code>"} in `answers`, so
that SQL finds the candidates cheaply; the rules (waiting_only_on) then decide, from the latest
determination, whether nothing but those answers is missing."""

from __future__ import annotations

import json

from desktop_app.rules import Determination
from desktop_app.rules.missing_data import CODE_KEY, waiting_only_on
from desktop_app.rules.parsing import parse_answers
from desktop_app.store import chain
from desktop_app.store.database import Store


def results_pending(
    store: Store, codes: frozenset[str] = frozenset({"pending"})
) -> dict[int, tuple[str, ...]]:
    """Screening id -> the questions it waits for, for every screening whose determination is
    incomplete only because answers were given one of these codes (pending results by default).
    In screening id order."""
    values = [chain.to_json({CODE_KEY: c}) for c in sorted(codes)]
    marks = ", ".join("?" for _ in values)
    rows = store.db.execute(
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
        coded = {
            q: json.loads(v)
            for q, v in store.db.execute(
                f"SELECT question_id, value FROM answers WHERE screening_id = ? AND value IN ({marks})",
                [screening_id, *values],
            )
        }
        waiting = waiting_only_on(determination, parse_answers(coded), codes)
        if waiting:
            found[int(screening_id)] = waiting
    return found
