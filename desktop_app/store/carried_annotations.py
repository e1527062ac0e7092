"""annotations.json of the signed bundle: each screening's notes (every version), monitors'
queries (every step) and audit trail reviews, each with who (username and printed name) and when
(UTC and the offset of the site's clock): what the binder summary prints of them. Written at the
site from the store; read back at the coordinating centre into the same models store.annotations
gives (Note, Query, AuditReview), so that a summary printed there is the site's own.

As in annotations.csv and odm.xml, a date of birth suggested or changed through a query never
leaves the site (its value is withheld; the query and its thread are carried)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any, NamedTuple, get_args

from desktop_app.store.annotations import (
    AuditReview,
    Note,
    NoteVersion,
    Query,
    QueryAction,
    QueryState,
    QueryStep,
    _queries,
)
from desktop_app.store.chain import to_json
from desktop_app.store.database import Store
from desktop_app.store.signed_records import IDENTIFYING_ANSWERS

_KEY_JOIN = (
    "JOIN screenings s ON s.id = {0}.screening_id JOIN candidates c ON c.id = s.candidate_id"
)
_STATES: tuple[str, ...] = get_args(QueryState)
_ACTIONS: tuple[str, ...] = get_args(QueryAction)


def _who(at_utc: str, utc_offset: str, username: str, full_name: str) -> dict[str, str]:
    return {"at_utc": at_utc, "utc_offset": utc_offset, "by": username, "printed_name": full_name}


def bundled_annotations(store: Store) -> list[dict[str, Any]]:
    """One entry per screening attempt that has a note, a query or an audit trail review, in the
    order of screenings.json; nothing for the others. Three set-wise queries and one for the
    queries' steps (store.annotations), whatever the number of screenings."""
    found: dict[int, dict[str, Any]] = {}
    order: dict[int, tuple[int, int]] = {}

    def entry(screening_id: int, number: str, attempt: int, seq: int) -> dict[str, Any]:
        order[screening_id] = (seq, attempt)
        return found.setdefault(screening_id, {"screening_number": number, "attempt": attempt,
                                               "notes": [], "queries": [], "audit_reviews": []})  # fmt: skip

    versions: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for sid, number, attempt, seq, question, version, text, reason, *who in store.db.execute(
        "SELECT s.id, c.screening_number, s.attempt, c.seq, n.question_id, n.version, n.text, n.reason, "
        "n.at_utc, n.utc_offset, u.username, u.full_name FROM answer_notes n "
        f"{_KEY_JOIN.format('n')} JOIN users u ON u.id = n.user_id "
        "ORDER BY s.id, n.question_id, n.version"
    ):
        if (sid, question) not in versions:
            versions[sid, question] = []
            entry(sid, number, attempt, seq)["notes"].append(
                {"question_id": question, "versions": versions[sid, question]}
            )
        versions[sid, question].append(
            {"version": version, "text": text, "reason": reason, **_who(*who)}
        )
    keys = store.db.execute(
        f"SELECT q.id, c.screening_number, s.attempt, c.seq FROM queries q {_KEY_JOIN.format('q')}"
    ).fetchall()
    if keys:
        where = {ident: (number, attempt, seq) for ident, number, attempt, seq in keys}
        for q in _queries(store, "1", []):
            withheld = q.question_id in IDENTIFYING_ANSWERS  # a date of birth never leaves the site
            entry(q.screening_id, *where[q.id])["queries"].append(
                {"id": q.id, "question_id": q.question_id, "state": q.state, "text": q.text,
                 "suggested_value": None if withheld else q.suggested_value,
                 "steps": [{"action": s.action, "text": s.text, "reason": s.reason,
                            "changed_value": None if withheld or s.changed_value is None
                            else json.loads(s.changed_value),
                            **_who(s.at_utc, s.utc_offset, s.username, s.full_name)}
                           for s in q.steps]}
            )  # fmt: skip
    for sid, number, attempt, seq, ident, from_date, to_date, comment, *who in store.db.execute(
        "SELECT s.id, c.screening_number, s.attempt, c.seq, a.id, a.from_date, a.to_date, a.comment, "
        f"a.at_utc, a.utc_offset, u.username, u.full_name FROM audit_reviews a {_KEY_JOIN.format('a')} "
        "JOIN users u ON u.id = a.user_id ORDER BY a.id"
    ):
        entry(sid, number, attempt, seq)["audit_reviews"].append(
            {"id": ident, "from_date": from_date, "to_date": to_date, "comment": comment,
             **_who(*who)}
        )  # fmt: skip
    return [found[sid] for sid in sorted(found, key=order.__getitem__)]


class Carried(NamedTuple):
    """A screening's annotations as ScreeningRecord holds them."""

    notes: dict[str, Note]
    queries: list[Query]
    audit_reviews: list[AuditReview]


NONE_CARRIED = Carried({}, [], [])


def _field(value: Mapping[str, Any], key: str, kind: type, *, optional: bool = False) -> Any:
    """value[key], refused (ValueError naming it) unless it is a `kind` (or None when optional)."""
    found = value[key]
    if (found is None and optional) or (isinstance(found, kind) and not isinstance(found, bool)):
        return found
    raise ValueError(f"{key!r} is not of the documented type")


def _texts(value: Mapping[str, Any]) -> tuple[str, str, str, str]:
    """at_utc, utc_offset, username and printed name."""
    return (_field(value, "at_utc", str), _field(value, "utc_offset", str),
            _field(value, "by", str), _field(value, "printed_name", str))  # fmt: skip


def _one_of(value: Mapping[str, Any], key: str, allowed: tuple[str, ...]) -> Any:
    found = _field(value, key, str)
    if found not in allowed:
        raise ValueError(f"{key!r} is {found[:20]!r}, not one of {', '.join(allowed)}")
    return found


def carried(entry: Mapping[str, Any]) -> Carried:
    """One entry of annotations.json as the models; ValueError, KeyError or TypeError when it is
    not of the documented shape (a bundle signed by a key nobody trusts may hold anything)."""
    notes = {}
    for n in _field(entry, "notes", list):
        question = _field(n, "question_id", str)
        versions = tuple(
            NoteVersion(_field(v, "version", int), _field(v, "text", str),
                        _field(v, "reason", str, optional=True), *_texts(v))
            for v in _field(n, "versions", list)
        )  # fmt: skip
        if not versions or question in notes:
            raise ValueError(f"the note on {question[:40]!r} has no version or is there twice")
        notes[question] = Note(0, question, versions)
    queries = []
    for q in _field(entry, "queries", list):
        steps = tuple(
            QueryStep(_one_of(s, "action", _ACTIONS), _field(s, "text", str),
                      None if s["changed_value"] is None else to_json(s["changed_value"]),
                      _field(s, "reason", str, optional=True), *_texts(s))
            for s in _field(q, "steps", list)
        )  # fmt: skip
        if not steps or steps[0].action != "raised":
            raise ValueError(f"query {q.get('id')!r} does not start with its raising")
        queries.append(Query(_field(q, "id", int), 0, _field(q, "question_id", str),
                             _field(q, "text", str), _field(q, "suggested_value", str, optional=True),
                             _one_of(q, "state", _STATES), steps))  # fmt: skip
    reviews = [
        AuditReview(_field(r, "id", int), 0, date.fromisoformat(_field(r, "from_date", str)),
                    date.fromisoformat(_field(r, "to_date", str)), _field(r, "comment", str),
                    *_texts(r))
        for r in _field(entry, "audit_reviews", list)
    ]  # fmt: skip
    return Carried(notes, queries, reviews)
