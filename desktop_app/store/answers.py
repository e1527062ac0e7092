"""Answers and determinations: each save is one transaction together with its audit events."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from sqlite_utils import Database

from desktop_app.rules import Answers, Determination, InvalidAnswersError, window_over_on
from desktop_app.rules.parsing import parse_answer
from desktop_app.store import carry, chain
from desktop_app.store.clock import local_moment
from desktop_app.store.database import Store
from desktop_app.store.errors import BadInputError, NotFoundError
from desktop_app.store.missing_data import awaiting_of, pending_answers
from desktop_app.store.models import Outcome, Screening, User
from desktop_app.store.records import get_screening
from desktop_app.store.roles import SCREENING_ROLES, require_role

_QUESTIONS = frozenset(Answers.model_fields)


def _validated(question_id: str, value: Any) -> str | None:
    """Canonical JSON of a valid answer (None clears it); bad input names the field.

    The same strict parse as files and the command line (rules.parsing): true/false, YYYY-MM-DD
    text, finite numbers, exact codes."""
    if question_id not in _QUESTIONS:
        raise BadInputError(question_id, "is not a question of the answers document")
    if value is None:
        return None
    try:
        parse_answer(question_id, value, _missing_codes())
    except InvalidAnswersError as exc:
        problem = exc.problems[0]
        raise BadInputError(problem.field, problem.message) from None
    try:
        return chain.to_json(value)
    except (TypeError, ValueError):
        raise BadInputError(question_id, "is not a JSON value") from None


def _missing_codes() -> dict[str, frozenset[str]]:
    """The missing-data codes each question accepts, by the protocol this Eligo carries (the one
    the store computes determinations with, store/replay.py)."""
    from desktop_app.rules import default_protocol

    return default_protocol().protocol.missing_codes


def answers_of(store: Store, screening_id: int) -> dict[str, Any]:
    """The current answers of a screening attempt, as an answers document."""
    rows = store.db.execute(
        "SELECT question_id, value FROM answers WHERE screening_id = ?", [screening_id]
    )
    return {question: json.loads(value) for question, value in rows}


def set_aside_last_doses(store: Store, screening_id: int) -> dict[str, str]:
    """Last doses typed for agents that are no longer ticked as given: {agent: date}.

    Unticking an agent takes its last dose out of the answers (a last dose for an agent not given
    is a contradiction the rules refuse), but nothing typed is lost: the audit trail keeps every
    value, and this reads back the latest date of each agent from it, so that the dose comes back
    when the agent is ticked again, in this sitting or any later one."""
    screening = get_screening(store, screening_id)
    rows = store.db.execute(
        "SELECT field, old_value, new_value FROM audit WHERE entity = 'screening' AND entity_id = ? "
        "AND action = 'answer_saved' AND field IN ('medications_given', 'medication_last_dose') "
        "ORDER BY seq",
        [f"{screening.screening_number}/{screening.attempt}"],
    ).fetchall()
    given: set[str] = set()
    kept: dict[str, str] = {}
    for field, old, new in rows:
        before, after = _decoded(old), _decoded(new)
        if field == "medications_given":
            given = set(after) if isinstance(after, list) else set()
            continue
        before = before if isinstance(before, dict) else {}
        after = after if isinstance(after, dict) else {}
        kept.update({k: v for k, v in after.items() if isinstance(v, str)})
        for agent in set(before) - set(after):
            if agent in given:  # cleared by hand while the agent stayed ticked: gone
                kept.pop(agent, None)
            elif isinstance(before[agent], str):  # set aside with the agent unticked
                kept[agent] = before[agent]
    current = answers_of(store, screening_id).get("medication_last_dose") or {}
    return {agent: day for agent, day in kept.items() if agent not in current}


def _decoded(value: str | None) -> Any:
    try:
        return json.loads(value) if value else None
    except ValueError:
        return None


def last_answered(store: Store, screening_id: int) -> str | None:
    """The question whose answer was saved last (where the coordinator was), if any."""
    row = store.db.execute(
        "SELECT question_id FROM answers WHERE screening_id = ? ORDER BY updated_at DESC, question_id LIMIT 1",
        [screening_id],
    ).fetchone()
    return str(row[0]) if row else None


_UPSERT = (
    "INSERT INTO answers (screening_id, question_id, value, updated_at, updated_by) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (screening_id, question_id) DO UPDATE SET "
    "value = excluded.value, updated_at = excluded.updated_at, updated_by = excluded.updated_by"
)


def _edit_state(store: Store, screening_id: int) -> tuple[str, int, str, str | None]:
    """Screening number, attempt, signature state and outcome: what a save needs, without a
    full model."""
    row = store.db.conn.execute(
        "SELECT c.screening_number, s.attempt, s.sign_state, s.outcome FROM screenings s "
        "JOIN candidates c ON c.id = s.candidate_id WHERE s.id = ?",
        [screening_id],
    ).fetchone()
    if row is None:
        raise NotFoundError(f"no screening with id {screening_id}")
    return row[0], row[1], row[2], row[3]


def _check_editable(number: str, sign_state: str, outcome: str | None, reason: str | None) -> None:
    """A signed screening, or one whose outcome is recorded (a screen failure), changes only
    with a reason."""
    if reason and reason.strip():
        return
    if sign_state != "unsigned":
        raise BadInputError(
            "reason", f"{number} has been signed: a reason for the change is required"
        )
    if outcome is not None:
        raise BadInputError(
            "reason", f"{number} has its outcome recorded: a reason for the change is required"
        )


def invalidate_signatures(store: Store, user: User, screening_id: int, reason: str) -> int:
    """Inside the caller's transaction: record that every standing signature no longer holds."""
    stamp = store.stamp()
    standing = [r[0] for r in store.db.conn.execute(
        "SELECT s.id FROM signatures s LEFT JOIN signature_invalidations i ON i.signature_id = s.id "
        "WHERE s.screening_id = ? AND i.signature_id IS NULL", [screening_id])]  # fmt: skip
    for signature_id in standing:
        store.db.conn.execute(
            "INSERT INTO signature_invalidations (signature_id, at_utc, utc_offset, user_id, reason) "
            "VALUES (?, ?, ?, ?, ?)",
            [signature_id, stamp.at_utc, stamp.utc_offset, user.id, reason],
        )
        chain.append(store.db, stamp, head=store.chain_head, user_id=user.id, username=user.username,
                     action="signature_invalidated", entity="signature", entity_id=signature_id,
                     reason=reason)  # fmt: skip
    if standing:
        store.db.conn.execute(
            "UPDATE screenings SET sign_state = 'invalidated' WHERE id = ?", [screening_id]
        )
    return len(standing)


def save_answers(
    store: Store,
    actor: User,
    screening_id: int,
    changes: Mapping[str, Any],
    *,
    determination: Determination | None = None,
    reason: str | None = None,
    origin: str | None = None,
    also: Callable[[Database], None] | None = None,
) -> Determination | None:
    """Save answers (None clears one) and, when given, the determination they produce.

    One transaction: the answers, one audit event per changed answer, the determination
    snapshot and the screening's status (and `also`, a record written with them: a query's
    reply). When this returns, all of it is durable. `origin`: where the values come from, kept
    as the events' reason when no reason is required (a re-screening's identity or a confirmed
    carried answer, store/carry.py).

    Returns the determination saved with the answers, the one to show (None when none was
    written: no answer changed). It is computed here from the answers as stored wherever this
    Eligo carries the attempt's protocol (replay.carries_protocol); `determination` is used only
    where it does not.
    """
    require_role(actor, *SCREENING_ROLES, action="change screening answers")
    encoded = {q: _validated(q, v) for q, v in changes.items()}
    with store.transaction("The answer") as db:
        conn = db.conn  # the hot path of the wizard: plain cursor calls
        number, attempt, sign_state, outcome = _edit_state(store, screening_id)
        _check_editable(number, sign_state, outcome, reason)
        entity_id = f"{number}/{attempt}"
        stamp = store.stamp()
        current = dict(
            conn.execute(
                f"SELECT question_id, value FROM answers WHERE screening_id = ? AND question_id IN "
                f"({', '.join('?' for _ in encoded)})",
                [screening_id, *encoded],
            ).fetchall()
        ) if encoded else {}  # fmt: skip
        changed = False
        for question_id, new in encoded.items():
            old = current.get(question_id)
            if old == new:
                continue
            changed = True
            if new is None:
                conn.execute(
                    "DELETE FROM answers WHERE screening_id = ? AND question_id = ?",
                    [screening_id, question_id],
                )
            else:
                conn.execute(_UPSERT, [screening_id, question_id, new, stamp.at_utc, actor.id])
            chain.append(db, stamp, head=store.chain_head, user_id=actor.id, username=actor.username,
                         action="answer_saved", entity="screening", entity_id=entity_id, field=question_id,
                         old=old, new=new, encoded=True,
                         reason=reason if sign_state != "unsigned" or outcome else origin)  # fmt: skip
        if encoded:
            carry.settle(store, actor, screening_id, entity_id, stamp, encoded)
        if sign_state in ("signed", "locked") and any(
            current.get(q) != v for q, v in encoded.items()
        ):
            invalidate_signatures(store, actor, screening_id, str(reason).strip())
        # The determination is derived from the answers as stored (canonical JSON: an 8.0 typed is
        # kept as 8), computed here, so that the snapshot is exactly what the replay of the chain
        # gives (store/replay.py); the caller's (the wizard's) serves only where the store cannot
        # compute it (a protocol version it does not carry).
        # Only after a change: the replay computes a determination after each answer event, so a
        # save that changed nothing (a wizard re-sending a value it shows) writes none either,
        # or the store would hold a determination the chain does not give (db check: TAMPERED).
        determination = (_computed(store, screening_id) or determination) if changed else None
        if determination is not None:
            _write_determination(
                store, actor, get_screening(store, screening_id), determination, entity_id
            )
        if also is not None:
            also(db)
    return determination


def _computed(store: Store, screening_id: int) -> Determination | None:
    """The determination of the answers saved now, under the attempt's protocol; None when that
    protocol is not this version's or the answers do not evaluate (the wizard refuses such input)."""
    from desktop_app.store.replay import expected_determination

    row = store.db.conn.execute(
        "SELECT protocol_sha256 FROM screenings WHERE id = ?", [screening_id]
    ).fetchone()
    saved = dict(
        store.db.conn.execute(
            "SELECT question_id, value FROM answers WHERE screening_id = ?", [screening_id]
        ).fetchall()
    )
    return expected_determination(str(row[0]), saved)[0] if row else None


def save_answer(
    store: Store,
    actor: User,
    screening_id: int,
    question_id: str,
    value: Any,
    *,
    determination: Determination | None = None,
    reason: str | None = None,
) -> None:
    """Save one answer as it is entered (see save_answers)."""
    save_answers(
        store, actor, screening_id, {question_id: value}, determination=determination, reason=reason
    )


def _iso(day: date | None) -> str:
    return day.isoformat() if day else ""


def _write_determination(
    store: Store, actor: User, screening: Screening, result: Determination, entity_id: str
) -> None:
    db = store.db
    stamp = store.stamp()
    failing = ",".join(result.failing)
    # What it waits for on pending results (the "Results pending" queue reads it; the replay checks it)
    awaiting = (
        awaiting_of(result, pending_answers(db, screening.id))
        if result.determination == "incomplete"
        else ""
    )
    db.execute(
        "UPDATE screenings SET determination = ?, failing = ?, consent_date = ?, screening_date = ?, "
        "window_over_on = ?, awaiting = ?, updated_at = ? WHERE id = ?",
        [result.determination, failing, _iso(result.consent_date), _iso(result.screening_date),
         _iso(window_over_on(result.criteria)), awaiting, stamp.at_utc, screening.id],
    )  # fmt: skip
    last = db.execute(
        "SELECT result FROM determinations WHERE screening_id = ? ORDER BY id DESC LIMIT 1",
        [screening.id],
    ).fetchone()
    snapshot = result.model_dump_json()
    if last is not None and last[0] == snapshot:
        return
    db.execute(
        "INSERT INTO determinations (screening_id, determination, result, created_at, created_by) "
        "VALUES (?, ?, ?, ?, ?)",
        [screening.id, result.determination, snapshot, stamp.at_utc, actor.id],
    )
    if (screening.determination, ",".join(screening.failing)) != (result.determination, failing):
        chain.append(db, stamp, head=store.chain_head, user_id=actor.id, username=actor.username,
                     action="determination_changed",
                     entity="screening", entity_id=entity_id, field="determination",
                     old={"determination": screening.determination, "failing": list(screening.failing)},
                     new={"determination": result.determination, "failing": list(result.failing)})  # fmt: skip


def _confirmation_day(store: Store, screening_id: int) -> date | None:
    """The local day of the investigator's latest signature confirming eligibility still in
    force (not invalidated)."""
    row = store.db.execute(
        "SELECT s.signed_at, s.utc_offset FROM signatures s WHERE s.screening_id = ? "
        "AND s.meaning = 'eligibility_confirmed' AND NOT EXISTS (SELECT 1 FROM "
        "signature_invalidations i WHERE i.signature_id = s.id) ORDER BY s.id DESC LIMIT 1",
        [screening_id],
    ).fetchone()
    return None if row is None else local_moment(row[0], row[1]).date()


def latest_determination(store: Store, screening_id: int) -> Determination | None:
    row = store.db.execute(
        "SELECT result FROM determinations WHERE screening_id = ? ORDER BY id DESC LIMIT 1",
        [screening_id],
    ).fetchone()
    return None if row is None else Determination.model_validate_json(row[0])


def record_outcome(
    store: Store,
    actor: User,
    screening_id: int,
    outcome: Outcome,
    *,
    randomization_number: str | None = None,
    enrolled_on: date | None = None,
    note: str | None = None,
) -> Screening:
    """The outcome after screening: enrolled (randomization number and date), declined, ..."""
    require_role(actor, *SCREENING_ROLES, action="record outcomes")
    screening = get_screening(store, screening_id)
    detail: dict[str, Any] = {}
    if outcome == "enrolled":
        if screening.determination != "eligible":
            raise BadInputError("outcome", "only an eligible candidate can be enrolled")
        if screening.sign_state != "locked":  # GCP: eligibility confirmed before randomization
            raise BadInputError("outcome", "an investigator has not yet confirmed this candidate's eligibility "
                                "with a signature: enrol after that")  # fmt: skip
        if not (randomization_number and randomization_number.strip()):
            raise BadInputError("randomization number", "is required for an enrolled candidate")
        if enrolled_on is None:
            raise BadInputError("enrollment date", "is required for an enrolled candidate")
        if screening.screening_date and enrolled_on < screening.screening_date:
            raise BadInputError("enrollment date", "is before the screening date")
        confirmed_on = _confirmation_day(store, screening_id)
        if confirmed_on is not None and enrolled_on < confirmed_on:
            raise BadInputError("enrollment date", f"is before the investigator's confirmation of "
                                f"eligibility on {confirmed_on.isoformat()}: enrol on or after that day")  # fmt: skip
        detail = {
            "randomization_number": randomization_number.strip(),
            "date": enrolled_on.isoformat(),
        }
    elif outcome == "declined" and screening.determination != "eligible":
        raise BadInputError("outcome", "'eligible but declined' needs an eligible determination")
    elif outcome == "screen_failure" and screening.determination != "ineligible":
        raise BadInputError("outcome", "'screen failure' needs an ineligible determination")
    if note:
        detail["note"] = note.strip()
    with store.transaction("The outcome") as db:
        db.execute(
            "UPDATE screenings SET outcome = ?, outcome_detail = ?, updated_at = ? WHERE id = ?",
            [outcome, json.dumps(detail, sort_keys=True), store.stamp().at_utc, screening_id],
        )
        chain.append(db, store.stamp(), head=store.chain_head, user_id=actor.id, username=actor.username,
                     action="outcome_recorded",
                     entity="screening", entity_id=f"{screening.screening_number}/{screening.attempt}",
                     field="outcome", old={"outcome": screening.outcome, **screening.outcome_detail},
                     new={"outcome": outcome, **detail})  # fmt: skip
    return get_screening(store, screening_id)
