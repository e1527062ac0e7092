"""Re-screening carries forward: a new attempt starts with the candidate's identity (date of birth,
sex, as the protocol names them) and is offered the previous attempt's answers that are not
time-bound (the protocol's `time_bound` questions: laboratory results, imaging, dates of tests, the
pregnancy test, consent are never copied).

An offered answer is a proposal, kept in its own table (carried_answers), never in `answers`: the
rules, the determination, signing, printouts and exports do not see it until the coordinator
confirms it, which saves it as an answer like any other. Saving any answer to the question settles
its proposal (confirmed when the value is the proposal's, replaced otherwise). Every copy, confirm
and replacement is an audit event (answer_carried, carried_answer_confirmed,
carried_answer_replaced) in the same transaction as the table change; the replay
(store/replay.py) rebuilds the table from them, so that a direct edit is reported by `db check`.
"""

from __future__ import annotations

import json
import weakref
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from desktop_app.rules import LoadedProtocol
from desktop_app.store import chain
from desktop_app.store.clock import Stamp
from desktop_app.store.database import Store
from desktop_app.store.errors import BadInputError
from desktop_app.store.models import User
from desktop_app.store.roles import SCREENING_ROLES, require_role


@dataclass(frozen=True)
class CarriedAnswer:
    """A previous attempt's answer offered to a new attempt, not yet confirmed."""

    question: str
    value: Any
    from_attempt: int


@dataclass(frozen=True)
class Carried:
    """What starting from the previous attempt did: identity answers copied, answers offered."""

    from_attempt: int | None
    identity: tuple[str, ...] = ()
    offered: tuple[str, ...] = ()


def previous_attempt(store: Store, screening_id: int) -> tuple[int, int] | None:
    """(screening id, attempt) of the candidate's latest attempt before this one, if any."""
    row = store.db.execute(
        "SELECT p.id, p.attempt FROM screenings s JOIN screenings p ON p.candidate_id = s.candidate_id "
        "AND p.attempt < s.attempt WHERE s.id = ? ORDER BY p.attempt DESC LIMIT 1",
        [screening_id],
    ).fetchone()
    return None if row is None else (int(row[0]), int(row[1]))


def _saved(store: Store, screening_id: int) -> dict[str, str]:
    return dict(
        store.db.execute(
            "SELECT question_id, value FROM answers WHERE screening_id = ?", [screening_id]
        ).fetchall()
    )


def carry_forward(
    store: Store, actor: User, screening_id: int, protocol: LoadedProtocol, *, offer: bool = True
) -> Carried:
    """Start a new attempt from the previous one: copy the identity answers (saved as answers,
    audited with where they came from) and, with `offer`, propose every other answer of the
    previous attempt whose question is not time-bound and is not answered yet here."""
    from desktop_app.store.answers import save_answers

    require_role(actor, *SCREENING_ROLES, action="start a re-screening from the previous attempt")
    previous = previous_attempt(store, screening_id)
    if previous is None:
        return Carried(None)
    previous_id, attempt = previous
    p = protocol.protocol
    before, now = _saved(store, previous_id), _saved(store, screening_id)
    identity = {
        q: json.loads(before[q]) for q in p.identity_questions if q in before and q not in now
    }
    if identity:
        save_answers(
            store, actor, screening_id, identity, origin=f"identity from attempt {attempt}"
        )
    if not offer:
        return Carried(attempt, tuple(identity))
    questions = {q.id for q in p.questions}
    already = set(carried_of(store, screening_id))
    offered = {
        q: text
        for q, text in sorted(before.items())
        if q in questions
        and q not in p.identity_questions
        and q not in p.time_bound_questions
        and q not in now
        and q not in already
    }
    if offered:
        with store.transaction("The carried answers") as db:
            number, current = db.execute(
                "SELECT c.screening_number, s.attempt FROM screenings s JOIN candidates c "
                "ON c.id = s.candidate_id WHERE s.id = ?",
                [screening_id],
            ).fetchone()
            stamp = store.stamp()
            for q, text in offered.items():
                db.conn.execute(
                    "INSERT INTO carried_answers (screening_id, question_id, value, from_attempt, "
                    "carried_at, carried_by) VALUES (?, ?, ?, ?, ?, ?)",
                    [screening_id, q, text, attempt, stamp.at_utc, actor.id],
                )
                chain.append(db, stamp, head=store.chain_head, user_id=actor.id, username=actor.username,
                             action="answer_carried", entity="screening", entity_id=f"{number}/{current}",
                             field=q, new={"value": json.loads(text), "from_attempt": attempt},
                             reason=f"offered from attempt {attempt}, to confirm")  # fmt: skip
    return Carried(attempt, tuple(identity), tuple(offered))


def carried_of(store: Store, screening_id: int) -> dict[str, CarriedAnswer]:
    """The proposals of an attempt still waiting for the coordinator's confirmation."""
    return {
        q: CarriedAnswer(q, json.loads(value), int(attempt))
        for q, value, attempt in store.db.execute(
            "SELECT question_id, value, from_attempt FROM carried_answers WHERE screening_id = ? "
            "ORDER BY question_id",
            [screening_id],
        )
    }


def confirm_carried(
    store: Store, actor: User, screening_id: int, questions: Iterable[str]
) -> tuple[str, ...]:
    """Confirm proposals: each is saved as the attempt's answer (one transaction, audited: the
    answer saved and the proposal confirmed). Returns the questions confirmed."""
    from desktop_app.store.answers import save_answers

    proposals = carried_of(store, screening_id)
    wanted = list(questions)
    unknown = [q for q in wanted if q not in proposals]
    if unknown:
        raise BadInputError(unknown[0], "has no carried answer waiting for confirmation")
    if not wanted:
        return ()
    attempts = sorted({proposals[q].from_attempt for q in wanted})
    save_answers(store, actor, screening_id, {q: proposals[q].value for q in wanted},
                 origin=f"confirmed, carried from attempt {', '.join(map(str, attempts))}")  # fmt: skip
    return tuple(wanted)


def settle(
    store: Store, actor: User, screening_id: int, entity_id: str, stamp: Stamp,
    saved: Mapping[str, str | None],
) -> None:  # fmt: skip
    """Inside save_answers' transaction: an answer saved for a question with a proposal settles it
    (confirmed when it is the proposal's value, replaced otherwise), audited."""
    conn = store.db.conn
    if not _has_table(store):
        return  # a store still before migration 0010 (only while it is being migrated)
    rows = conn.execute(
        f"SELECT question_id, value FROM carried_answers WHERE screening_id = ? AND question_id IN "
        f"({', '.join('?' for _ in saved)})",
        [screening_id, *saved],
    ).fetchall()
    for question, value in rows:
        conn.execute(
            "DELETE FROM carried_answers WHERE screening_id = ? AND question_id = ?",
            [screening_id, question],
        )
        confirmed = saved[question] is not None and _same(value, str(saved[question]))
        chain.append(store.db, stamp, head=store.chain_head, user_id=actor.id, username=actor.username,
                     action="carried_answer_confirmed" if confirmed else "carried_answer_replaced",
                     entity="screening", entity_id=entity_id, field=question, old=value,
                     new=saved[question], encoded=True)  # fmt: skip


_TABLE_SEEN: weakref.WeakKeyDictionary[Store, bool] = weakref.WeakKeyDictionary()


def _has_table(store: Store) -> bool:
    """Whether this store has the proposals table, asked once per open store (every save asks)."""
    if not _TABLE_SEEN.get(store):
        _TABLE_SEEN[store] = (
            store.db.conn.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'carried_answers'"
            ).fetchone()
            is not None
        )
    return _TABLE_SEEN[store]


def _same(a: str, b: str) -> bool:
    return chain.to_json(json.loads(a)) == chain.to_json(json.loads(b))


# ---------------------------------------------------------------- replay (store/replay.py)


def _answer_carried(r: Any, e: Any) -> None:
    from desktop_app.store.replay import _screening

    s = _screening(r, e)
    if s is not None and e.field is not None:
        r.carried.setdefault(s.key, {})[e.field] = (
            chain.to_json(e.new["value"]),
            int(e.new["from_attempt"]),
        )


def _carried_settled(r: Any, e: Any) -> None:
    from desktop_app.store.replay import _screening

    s = _screening(r, e)
    if s is not None and e.field is not None:
        r.carried.get(s.key, {}).pop(e.field, None)


REPLAY_HANDLERS = {
    "answer_carried": _answer_carried,
    "carried_answer_confirmed": _carried_settled,
    "carried_answer_replaced": _carried_settled,
}


def compare(db: Any, state: Any, diff: Any) -> None:
    """The carried_answers table against the replay of its events."""
    from desktop_app.store.replay import ABSENT

    stored: dict[tuple[str, str], object] = {}
    for key, question, value, attempt in db.execute(
        "SELECT c.screening_number || '/' || s.attempt, ca.question_id, ca.value, ca.from_attempt "
        "FROM carried_answers ca JOIN screenings s ON s.id = ca.screening_id "
        "JOIN candidates c ON c.id = s.candidate_id"
    ):
        try:
            text = chain.to_json(json.loads(value))
        except (ValueError, TypeError):
            text = value
        stored[(key, question)] = (text, attempt)
    expected = {(key, q): carried for key, qs in state.carried.items() for q, carried in qs.items()}
    for key, question in sorted(stored.keys() | expected.keys()):
        diff.same("carried_answers", f"{key} {question}", "value, from attempt",
                  stored.get((key, question), ABSENT), expected.get((key, question), ABSENT), key)  # fmt: skip
