"""Notes on answers, monitors' queries on answers, and monitors' reviews of a screening's audit
trail. Each is written in one transaction together with its audit event (entity "screening",
the question in `field`), and replayed by `db check` (store/annotations_replay.py).

- A note belongs to one answer (screening and question). Editing it adds a version; no version
  is ever overwritten or deleted. On a signed screening (or one with its outcome recorded) an edit
  needs a reason. Coordinators and investigators write notes.
- A query is raised by a monitor on an answer (its text and, optionally, the value the monitor
  suggests); a coordinator or investigator answers it (a reply and, when the answer is changed,
  the new value with a reason: the answer is saved through answers.save_answers, with its own
  audit event, in the same transaction); the monitor closes it, or reopens it. States: open,
  answered, closed.
- An audit trail review records that a monitor reviewed a screening's audit trail over a range
  of dates (EU GMP Annex 11 expects such regular review).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlite_utils import Database

from desktop_app.store import chain
from desktop_app.store.answers import _QUESTIONS, _edit_state, _validated, save_answers
from desktop_app.store.database import Store
from desktop_app.store.errors import BadInputError, NotFoundError
from desktop_app.store.models import User
from desktop_app.store.roles import MONITOR_ROLES, SCREENING_ROLES, require_role
from desktop_app.store.signed_records import IDENTIFYING_ANSWERS

QueryState = Literal["open", "answered", "closed"]
QueryAction = Literal["raised", "answered", "closed", "reopened"]
MAX_TEXT = 4000  # characters of a note, a query or a reply


class _Unchanged:
    """The answer stays as it is (the default of answer_query's new_value)."""

    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED: Any = _Unchanged()


@dataclass(frozen=True)
class NoteVersion:
    version: int
    text: str
    reason: str | None
    at_utc: str
    utc_offset: str
    username: str
    full_name: str


@dataclass(frozen=True)
class Note:
    screening_id: int
    question_id: str
    versions: tuple[NoteVersion, ...]  # oldest first

    @property
    def current(self) -> NoteVersion:
        return self.versions[-1]

    @property
    def text(self) -> str:
        return self.current.text


@dataclass(frozen=True)
class QueryStep:
    action: QueryAction
    text: str
    changed_value: str | None  # canonical JSON of the new answer, when the answer changed
    reason: str | None
    at_utc: str
    utc_offset: str
    username: str
    full_name: str


@dataclass(frozen=True)
class Query:
    id: int
    screening_id: int
    question_id: str
    text: str
    suggested_value: str | None
    state: QueryState
    steps: tuple[QueryStep, ...]  # the raising first

    @property
    def raised(self) -> QueryStep:
        return self.steps[0]


@dataclass(frozen=True)
class AuditReview:
    id: int
    screening_id: int
    from_date: date
    to_date: date
    comment: str
    at_utc: str
    utc_offset: str
    username: str
    full_name: str


def _text(name: str, text: str | None, *, required: bool = True) -> str:
    cleaned = (text or "").strip()
    if required and not cleaned:
        raise BadInputError(name, "is empty: write what it says")
    if len(cleaned) > MAX_TEXT:
        raise BadInputError(name, f"is longer than {MAX_TEXT} characters")
    return cleaned


def _question(question_id: str) -> str:
    if question_id not in _QUESTIONS:
        raise BadInputError(question_id, "is not a question of the answers document")
    return question_id


def _key(store: Store, screening_id: int) -> tuple[str, str, str | None]:
    """'NUMBER/attempt', the signature state and the outcome of a screening."""
    number, attempt, sign_state, outcome = _edit_state(store, screening_id)
    return f"{number}/{attempt}", sign_state, outcome


# ---------------------------------------------------------------- notes


def notes_of(store: Store, screening_id: int) -> dict[str, Note]:
    """The notes of a screening by question, each with every version."""
    versions: dict[str, list[NoteVersion]] = {}
    for question, *row in store.db.execute(
        "SELECT n.question_id, n.version, n.text, n.reason, n.at_utc, n.utc_offset, u.username, "
        "u.full_name FROM answer_notes n JOIN users u ON u.id = n.user_id WHERE n.screening_id = ? "
        "ORDER BY n.question_id, n.version",
        [screening_id],
    ):
        versions.setdefault(question, []).append(NoteVersion(*row))
    return {q: Note(screening_id, q, tuple(v)) for q, v in versions.items()}


def save_note(
    store: Store,
    actor: User,
    screening_id: int,
    question_id: str,
    text: str,
    *,
    reason: str | None = None,
) -> Note:
    """Write a note on an answer, or a new version of it. Editing a note of a signed screening
    (or one whose outcome is recorded) needs a reason; a note is never emptied or deleted."""
    require_role(actor, *SCREENING_ROLES, action="write notes on answers")
    _question(question_id)
    cleaned = _text("note", text)
    why = (reason or "").strip() or None
    with store.transaction("The note") as db:
        key, sign_state, outcome = _key(store, screening_id)
        last = db.execute(
            "SELECT version, text FROM answer_notes WHERE screening_id = ? AND question_id = ? "
            "ORDER BY version DESC LIMIT 1",
            [screening_id, question_id],
        ).fetchone()
        if last is not None and last[1] == cleaned:
            raise BadInputError("note", "is unchanged: nothing to save")
        if last is not None and why is None and (sign_state != "unsigned" or outcome is not None):
            raise BadInputError(
                "reason", f"{key} has been signed: a reason for editing the note is required"
            )
        version = 1 if last is None else int(last[0]) + 1
        stamp = store.stamp()
        cursor = db.conn.execute(
            "INSERT INTO answer_notes (screening_id, question_id, version, text, reason, at_utc, "
            "utc_offset, user_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [screening_id, question_id, version, cleaned, why, stamp.at_utc, stamp.utc_offset,
             actor.id],
        )  # fmt: skip
        chain.append(db, stamp, head=store.chain_head, user_id=actor.id, username=actor.username,
                     action="note_saved", entity="screening", entity_id=key, field=question_id,
                     new={"note": cursor.lastrowid, "version": version, "text": cleaned},
                     reason=why)  # fmt: skip
    return notes_of(store, screening_id)[question_id]


# ---------------------------------------------------------------- queries


def _steps(db: Database, query_ids: Sequence[int]) -> dict[int, list[QueryStep]]:
    found: dict[int, list[QueryStep]] = {}
    if not query_ids:
        return found
    marks = ", ".join("?" for _ in query_ids)
    for query_id, *row in db.execute(
        "SELECT s.query_id, s.action, s.text, s.changed_value, s.reason, s.at_utc, s.utc_offset, "
        f"u.username, u.full_name FROM query_steps s JOIN users u ON u.id = s.user_id "
        f"WHERE s.query_id IN ({marks}) ORDER BY s.id",
        list(query_ids),
    ):
        found.setdefault(query_id, []).append(QueryStep(*row))
    return found


_QUERY_SELECT = (
    "SELECT q.id, q.screening_id, q.question_id, q.text, q.suggested_value, q.state, q.raised_at, "
    "q.utc_offset, u.username, u.full_name FROM queries q JOIN users u ON u.id = q.raised_by"
)


def _queries(store: Store, where: str, params: list[Any]) -> list[Query]:
    rows = store.db.execute(f"{_QUERY_SELECT} WHERE {where} ORDER BY q.id", params).fetchall()
    steps = _steps(store.db, [r[0] for r in rows])
    found = []
    for ident, sid, question, text, suggested, state, at, offset, username, name in rows:
        raised = QueryStep("raised", text, None, None, at, offset, username, name)
        found.append(Query(ident, sid, question, text, suggested, state,
                           (raised, *steps.get(ident, []))))  # fmt: skip
    return found


def queries_of(store: Store, screening_id: int) -> list[Query]:
    """The queries of a screening, oldest first, each with its steps."""
    return _queries(store, "q.screening_id = ?", [screening_id])


def get_query(store: Store, query_id: int) -> Query:
    found = _queries(store, "q.id = ?", [query_id])
    if not found:
        raise NotFoundError(f"no query with id {query_id}")
    return found[0]


def raise_query(
    store: Store,
    monitor: User,
    screening_id: int,
    question_id: str,
    text: str,
    *,
    suggested_value: str | None = None,
) -> Query:
    """A monitor's query on an answer, with the value the monitor suggests (as written), if any."""
    require_role(monitor, *MONITOR_ROLES, action="raise queries")
    _question(question_id)
    cleaned = _text("query", text)
    suggested = _text("suggested value", suggested_value, required=False) or None
    with store.transaction("The query") as db:
        key, _, _ = _key(store, screening_id)
        stamp = store.stamp()
        cursor = db.conn.execute(
            "INSERT INTO queries (screening_id, question_id, text, suggested_value, state, raised_at, "
            "utc_offset, raised_by) VALUES (?, ?, ?, ?, 'open', ?, ?, ?)",
            [screening_id, question_id, cleaned, suggested, stamp.at_utc, stamp.utc_offset, monitor.id],
        )  # fmt: skip
        chain.append(db, stamp, head=store.chain_head, user_id=monitor.id, username=monitor.username,
                     action="query_raised", entity="screening", entity_id=key, field=question_id,
                     new={"query": cursor.lastrowid, "text": cleaned, "suggested_value": suggested})  # fmt: skip
        query_id = int(cursor.lastrowid or 0)
    return get_query(store, query_id)


# What each step needs the query's state to be, and the state it leaves.
_MOVES: dict[str, tuple[tuple[QueryState, ...], QueryState]] = {
    "answered": (("open",), "answered"),
    "closed": (("open", "answered"), "closed"),
    "reopened": (("answered", "closed"), "open"),
}
_REFUSED = {
    "answered": "is {state}: only an open query is answered",
    "closed": "is already closed",
    "reopened": "is open: only an answered or closed query is reopened",
}


def _step(
    store: Store, db: Database, actor: User, query_id: int, action: str, text: str,
    changed_value: str | None = None, reason: str | None = None,
) -> None:  # fmt: skip
    """Inside the caller's transaction: one step of a query, its state and its audit event."""
    row = db.execute(
        "SELECT screening_id, question_id, state FROM queries WHERE id = ?", [query_id]
    ).fetchone()
    if row is None:
        raise NotFoundError(f"no query with id {query_id}")
    screening_id, question_id, state = row
    allowed, after = _MOVES[action]
    if state not in allowed:
        raise BadInputError(f"query {query_id}", _REFUSED[action].format(state=state))
    key, _, _ = _key(store, screening_id)
    stamp = store.stamp()
    db.conn.execute(
        "INSERT INTO query_steps (query_id, action, text, changed_value, reason, at_utc, utc_offset, "
        "user_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [query_id, action, text, changed_value, reason, stamp.at_utc, stamp.utc_offset, actor.id],
    )  # fmt: skip
    db.conn.execute("UPDATE queries SET state = ? WHERE id = ?", [after, query_id])
    chain.append(db, stamp, head=store.chain_head, user_id=actor.id, username=actor.username,
                 action=f"query_{action}", entity="screening", entity_id=key, field=question_id,
                 new={"query": query_id, "text": text, "changed_value": changed_value,
                      "state": after}, reason=reason)  # fmt: skip


def answer_query(
    store: Store,
    actor: User,
    query_id: int,
    reply: str,
    *,
    new_value: Any = UNCHANGED,
    reason: str | None = None,
) -> Query:
    """A coordinator's or investigator's answer to an open query: a reply and, when `new_value`
    is given and differs from the answer, the changed answer with its reason (required). The
    answer is saved as every answer is (its own audit event, the determination computed again,
    standing signatures invalidated), in the same transaction as the reply."""
    require_role(actor, *SCREENING_ROLES, action="answer queries")
    cleaned = _text("reply", reply)
    query = get_query(store, query_id)
    if query.state != "open":
        raise BadInputError(f"query {query_id}", _REFUSED["answered"].format(state=query.state))
    current = store.db.execute(
        "SELECT value FROM answers WHERE screening_id = ? AND question_id = ?",
        [query.screening_id, query.question_id],
    ).fetchone()
    changed: str | None = None
    if new_value is None:
        raise BadInputError(
            query.question_id, "a query changes an answer to a value, never clears it"
        )
    if new_value is not UNCHANGED:
        changed = _validated(query.question_id, new_value)
        if changed == (current[0] if current else None):
            new_value, changed = UNCHANGED, None
    why = (reason or "").strip() or None
    if new_value is UNCHANGED:
        with store.transaction("The answer to the query") as db:
            _step(store, db, actor, query_id, "answered", cleaned, reason=why)
        return get_query(store, query_id)
    if why is None:
        raise BadInputError("reason", "a reason for changing the answer is required")

    def reply_too(db: Database) -> None:
        _step(store, db, actor, query_id, "answered", cleaned, changed, why)

    save_answers(store, actor, query.screening_id, {query.question_id: new_value}, reason=why,
                 also=reply_too)  # fmt: skip
    return get_query(store, query_id)


def close_query(store: Store, monitor: User, query_id: int, comment: str = "") -> Query:
    """The monitor closes a query (answered, or open and no longer needed)."""
    require_role(monitor, *MONITOR_ROLES, action="close queries")
    cleaned = _text("comment", comment, required=False)
    with store.transaction("Closing the query") as db:
        _step(store, db, monitor, query_id, "closed", cleaned)
    return get_query(store, query_id)


def reopen_query(store: Store, monitor: User, query_id: int, comment: str) -> Query:
    """The monitor reopens an answered or closed query, saying why."""
    require_role(monitor, *MONITOR_ROLES, action="reopen queries")
    cleaned = _text("comment", comment)
    with store.transaction("Reopening the query") as db:
        _step(store, db, monitor, query_id, "reopened", cleaned)
    return get_query(store, query_id)


OPEN_QUERY_SCREENINGS_SQL = "SELECT DISTINCT screening_id FROM queries WHERE state = 'open'"
"""The screenings with an open query: a subquery for a log filter (`s.id IN (...)`), served by
the index queries_by_state."""


def open_query_screenings(store: Store) -> dict[int, int]:
    """Screening id -> number of its open queries, for every screening with one (the "Open
    queries" work queue); one indexed query."""
    return dict(
        store.db.execute(
            "SELECT screening_id, count(*) FROM queries WHERE state = 'open' GROUP BY screening_id"
        ).fetchall()
    )


def open_query_count(store: Store, screening_id: int) -> int:
    """How many queries of this screening are open (the investigator is warned when signing)."""
    row = store.db.execute(
        "SELECT count(*) FROM queries WHERE screening_id = ? AND state = 'open'", [screening_id]
    ).fetchone()
    return int(row[0])


# ---------------------------------------------------------------- audit trail reviews


def record_audit_review(
    store: Store,
    monitor: User,
    screening_id: int,
    from_date: date,
    to_date: date,
    comment: str = "",
) -> AuditReview:
    """A monitor records having reviewed the screening's audit trail from `from_date` to
    `to_date` (inclusive, the store's local days); the range cannot end after today."""
    require_role(monitor, *MONITOR_ROLES, action="record audit trail reviews")
    if from_date > to_date:
        raise BadInputError("from", f"{from_date.isoformat()} is after {to_date.isoformat()}")
    today = store.clock().date()
    if to_date > today:
        raise BadInputError("to", f"{to_date.isoformat()} is after today ({today.isoformat()})")
    cleaned = _text("comment", comment, required=False)
    with store.transaction("The audit trail review") as db:
        key, _, _ = _key(store, screening_id)
        stamp = store.stamp()
        cursor = db.conn.execute(
            "INSERT INTO audit_reviews (screening_id, from_date, to_date, comment, at_utc, utc_offset, "
            "user_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [screening_id, from_date.isoformat(), to_date.isoformat(), cleaned, stamp.at_utc,
             stamp.utc_offset, monitor.id],
        )  # fmt: skip
        chain.append(db, stamp, head=store.chain_head, user_id=monitor.id, username=monitor.username,
                     action="audit_trail_reviewed", entity="screening", entity_id=key,
                     new={"review": cursor.lastrowid, "from": from_date.isoformat(),
                          "to": to_date.isoformat(), "comment": cleaned})  # fmt: skip
    return audit_reviews_of(store, screening_id)[-1]


def audit_reviews_of(store: Store, screening_id: int) -> list[AuditReview]:
    return [
        AuditReview(r[0], r[1], date.fromisoformat(r[2]), date.fromisoformat(r[3]), *r[4:])
        for r in store.db.execute(
            "SELECT a.id, a.screening_id, a.from_date, a.to_date, a.comment, a.at_utc, a.utc_offset, "
            "u.username, u.full_name FROM audit_reviews a JOIN users u ON u.id = a.user_id "
            "WHERE a.screening_id = ? ORDER BY a.id",
            [screening_id],
        )
    ]


# ---------------------------------------------------------------- exports


def exported_annotations(store: Store) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Every note (its current text, version and author) and every query (state, text, suggested
    value, steps) by screening ('NUMBER/attempt'), for the bundle: usernames, never identifiers
    of the candidate. Two set-wise queries."""
    found: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for key, question, version, text, reason, at, offset, username in store.db.execute(
        "SELECT c.screening_number || '/' || s.attempt, n.question_id, n.version, n.text, n.reason, "
        "n.at_utc, n.utc_offset, u.username FROM answer_notes n "
        "JOIN screenings s ON s.id = n.screening_id JOIN candidates c ON c.id = s.candidate_id "
        "JOIN users u ON u.id = n.user_id WHERE n.version = (SELECT max(version) FROM answer_notes m "
        "WHERE m.screening_id = n.screening_id AND m.question_id = n.question_id) "
        "ORDER BY s.id, n.question_id"
    ):
        found.setdefault(key, {"notes": [], "queries": []})["notes"].append(
            {"question_id": question, "version": version, "text": text, "reason": reason,
             "at_utc": at, "utc_offset": offset, "by": username}
        )  # fmt: skip
    rows = store.db.execute(
        "SELECT q.id, c.screening_number || '/' || s.attempt, q.question_id FROM queries q "
        "JOIN screenings s ON s.id = q.screening_id JOIN candidates c ON c.id = s.candidate_id "
        "ORDER BY s.id, q.id"
    ).fetchall()
    queries = {q.id: q for q in _queries(store, "1", [])} if rows else {}
    for ident, key, question_id in rows:
        q = queries[ident]
        if question_id in IDENTIFYING_ANSWERS:  # a date of birth never leaves the site
            q = dataclasses.replace(q, suggested_value=None, steps=tuple(
                dataclasses.replace(s, changed_value=None) for s in q.steps))  # fmt: skip
        found.setdefault(key, {"notes": [], "queries": []})["queries"].append(
            {"id": q.id, "question_id": q.question_id, "state": q.state, "text": q.text,
             "suggested_value": q.suggested_value,
             "steps": [{"action": s.action, "text": s.text,
                        "changed_value": json.loads(s.changed_value) if s.changed_value else None,
                        "reason": s.reason, "at_utc": s.at_utc, "utc_offset": s.utc_offset,
                        "by": s.username} for s in q.steps]}
        )  # fmt: skip
    return found
