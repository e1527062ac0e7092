"""The replay of notes, queries and audit trail reviews (store/annotations.py) from their audit
events, and their comparison with the tables answer_notes, queries, query_steps and
audit_reviews: a row edited, added or removed behind Eligo is a Divergence that names it.

Kept apart from store/replay.py, which registers these handlers and calls `compare`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlite_utils import Database

    from desktop_app.store.replay import Replay, _Diff, _Event

ACTIONS = ("note_saved", "query_raised", "query_answered", "query_closed", "query_reopened",
           "audit_trail_reviewed")  # fmt: skip


@dataclass
class AnnotationState:
    notes: dict[int, dict[str, Any]] = field(default_factory=dict)
    queries: dict[int, dict[str, Any]] = field(default_factory=dict)
    steps: list[dict[str, Any]] = field(default_factory=list)  # in the order they were written
    reviews: dict[int, dict[str, Any]] = field(default_factory=dict)


def _touched(r: Replay, e: _Event) -> bool:
    """Whether the event's screening is known (and its run of events extended)."""
    from desktop_app.store.replay import _screening

    return _screening(r, e) is not None


def _note_saved(r: Replay, e: _Event) -> None:
    _touched(r, e)
    r.annotations.notes[int(e.new["note"])] = {
        "screening": e.entity_id, "question": e.field, "version": int(e.new["version"]),
        "text": str(e.new["text"]), "reason": e.reason, "user_id": e.user_id, "at_utc": e.at_utc,
    }  # fmt: skip


def _query_raised(r: Replay, e: _Event) -> None:
    _touched(r, e)
    r.annotations.queries[int(e.new["query"])] = {
        "screening": e.entity_id, "question": e.field, "text": str(e.new["text"]),
        "suggested_value": e.new.get("suggested_value"), "state": "open", "user_id": e.user_id,
        "at_utc": e.at_utc,
    }  # fmt: skip


def _query_step(action: str) -> Any:
    def handler(r: Replay, e: _Event) -> None:
        _touched(r, e)
        query_id = int(e.new["query"])
        r.annotations.steps.append({
            "query": query_id, "action": action, "text": str(e.new.get("text", "")),
            "changed_value": e.new.get("changed_value"), "reason": e.reason,
            "user_id": e.user_id, "at_utc": e.at_utc, "screening": e.entity_id,
        })  # fmt: skip
        query = r.annotations.queries.get(query_id)
        if query is not None:
            query["state"] = str(e.new.get("state"))

    return handler


def _audit_trail_reviewed(r: Replay, e: _Event) -> None:
    _touched(r, e)
    r.annotations.reviews[int(e.new["review"])] = {
        "screening": e.entity_id, "from": str(e.new["from"]), "to": str(e.new["to"]),
        "comment": str(e.new.get("comment", "")), "user_id": e.user_id, "at_utc": e.at_utc,
    }  # fmt: skip


HANDLERS = {
    "note_saved": _note_saved,
    "query_raised": _query_raised,
    "query_answered": _query_step("answered"),
    "query_closed": _query_step("closed"),
    "query_reopened": _query_step("reopened"),
    "audit_trail_reviewed": _audit_trail_reviewed,
}

_KEY = "(SELECT c.screening_number || '/' || s.attempt FROM screenings s JOIN candidates c ON c.id = s.candidate_id WHERE s.id = {0})"  # fmt: skip


def _tables(db: Database) -> set[str]:
    return set(db.table_names())


def compare(db: Database, state: Replay, diff: _Diff) -> None:
    """Every row of the four tables against the replayed notes, queries, steps and reviews."""
    if "answer_notes" not in _tables(db):  # a store before 0009: nothing to compare
        return
    mine = state.annotations
    _rows(diff, "answer_notes", mine.notes, db.execute(
        f"SELECT id, {_KEY.format('n.screening_id')}, question_id, version, text, reason, user_id, at_utc "
        "FROM answer_notes n"),
        ("screening", "question", "version", "text", "reason", "user_id", "at_utc"))  # fmt: skip
    _rows(diff, "queries", mine.queries, db.execute(
        f"SELECT id, {_KEY.format('q.screening_id')}, question_id, text, suggested_value, state, raised_by, "
        "raised_at FROM queries q"),
        ("screening", "question", "text", "suggested_value", "state", "user_id", "at_utc"))  # fmt: skip
    steps = dict(enumerate(mine.steps, 1))
    _rows(diff, "query_steps", steps, db.execute(
        f"SELECT t.id, {_KEY.format('(SELECT screening_id FROM queries WHERE id = t.query_id)')}, t.query_id, "
        "t.action, t.text, t.changed_value, t.reason, t.user_id, t.at_utc FROM query_steps t"),
        ("screening", "query", "action", "text", "changed_value", "reason", "user_id", "at_utc"))  # fmt: skip
    _rows(diff, "audit_reviews", mine.reviews, db.execute(
        f"SELECT id, {_KEY.format('a.screening_id')}, from_date, to_date, comment, user_id, at_utc "
        "FROM audit_reviews a"),
        ("screening", "from", "to", "comment", "user_id", "at_utc"))  # fmt: skip


def _rows(
    diff: _Diff, table: str, expected: dict[int, dict[str, Any]], cursor: Any,
    columns: tuple[str, ...],
) -> None:  # fmt: skip
    from desktop_app.store.replay import ABSENT

    stored = {int(row[0]): row[1:] for row in cursor}
    for ident in sorted(set(stored) | set(expected)):
        row, want = stored.get(ident), expected.get(ident)
        screening = (want or {}).get("screening") or (row[0] if row else None)
        if row is None or want is None:
            diff.same(table, str(ident), "row", ABSENT if row is None else "present",
                      ABSENT if want is None else "present", screening)  # fmt: skip
            continue
        for column, value in zip(columns, row, strict=True):
            diff.same(table, str(ident), column, value, want.get(column), screening)
