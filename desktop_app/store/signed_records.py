"""What an export bundle carries of each screening and of the audit trail (no direct identifiers)."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from desktop_app.store import chain
from desktop_app.store.database import Store

# Answers that identify a person: never exported (the age at consent is in the log instead).
IDENTIFYING_ANSWERS = frozenset({"date_of_birth"})


@dataclass(frozen=True)
class NestedData:
    """What each screening attempt carries beyond its own row, by screening id, read set-wise:
    its answers (parsed, without identifying ones), its latest determination (JSON text), its
    stored signatures and its acknowledged warnings. A screening in none of them has no nested
    data (`ids`)."""

    answers: dict[int, dict[str, Any]]
    determinations: dict[int, str]
    signatures: dict[int, list[dict[str, Any]]]
    acknowledged: dict[int, dict[str, dict[str, str]]]

    @property
    def ids(self) -> set[int]:
        return {*self.answers, *self.determinations, *self.signatures, *self.acknowledged}


def nested_data(store: Store) -> NestedData:
    """Every screening's nested data, in four set-wise queries (not four per screening)."""
    answers: dict[int, dict[str, Any]] = {}
    for screening_id, question, value in store.db.execute(
        "SELECT screening_id, question_id, value FROM answers ORDER BY screening_id, question_id"
    ):
        if question not in IDENTIFYING_ANSWERS:
            answers.setdefault(screening_id, {})[question] = json.loads(value)
    determinations = dict(
        store.db.execute(
            "SELECT d.screening_id, d.result FROM determinations d WHERE d.id = "
            "(SELECT max(id) FROM determinations e WHERE e.screening_id = d.screening_id)"
        ).fetchall()
    )
    signatures: dict[int, list[dict[str, Any]]] = {}
    for (
        screening_id,
        payload,
        signature,
        public_key,
        fingerprint,
        invalid_at,
        invalid_by,
        invalid_name,
        reason,
    ) in store.db.execute(
        "SELECT s.screening_id, s.payload, s.signature, k.public_key, k.fingerprint, i.at_utc, u.username, "
        "u.full_name, i.reason "
        "FROM signatures s JOIN user_keys k ON k.id = s.key_id "
        "LEFT JOIN signature_invalidations i ON i.signature_id = s.id LEFT JOIN users u ON u.id = i.user_id "
        "ORDER BY s.screening_id, s.id"
    ):
        invalidated = (
            None
            if invalid_at is None
            else {"at_utc": invalid_at, "by": invalid_by, "by_name": invalid_name, "reason": reason}
        )
        signatures.setdefault(screening_id, []).append({"payload": payload, "signature": signature,
                                                        "public_key": public_key, "fingerprint": fingerprint,
                                                        "invalidated": invalidated})  # fmt: skip
    acknowledged: dict[int, dict[str, dict[str, str]]] = {}
    for screening_id, code, name, at_utc, offset in store.db.execute(
        "SELECT a.screening_id, a.code, u.full_name, a.at_utc, a.utc_offset FROM warning_acknowledgements a "
        "JOIN users u ON u.id = a.user_id ORDER BY a.screening_id, a.code"
    ):
        acknowledged.setdefault(screening_id, {})[code] = {
            "by": name,
            "at_utc": at_utc,
            "utc_offset": offset,
        }
    return NestedData(answers, determinations, signatures, acknowledged)


# The columns of a screening's own row that screening_document reads, in its parameters' order.
SCREENING_COLUMNS = (
    "s.id, c.screening_number, s.attempt, c.initials, s.status, s.protocol_id, s.protocol_version, "
    "s.protocol_sha256, s.outcome, s.outcome_detail"
)


def screening_document(
    nested: NestedData, screening_id: int, number: str, attempt: int, initials: str, status: str,
    protocol_id: str, protocol_version: str, protocol_sha256: str, outcome: str | None,
    outcome_detail: str,
) -> dict[str, Any]:  # fmt: skip
    """One attempt as screenings.json carries it (before export.applicable splits its answers)."""
    determination = nested.determinations.get(screening_id)
    return {
        "screening_number": number, "attempt": attempt, "initials": initials, "status": status,
        "protocol": {"id": protocol_id, "version": protocol_version, "sha256": protocol_sha256},
        "answers": nested.answers.get(screening_id, {}),
        "determination": None if determination is None else json.loads(determination),
        "outcome": outcome, "outcome_detail": json.loads(outcome_detail),
        "acknowledged_warnings": nested.acknowledged.get(screening_id, {}),
        "signatures": nested.signatures.get(screening_id, []),
    }  # fmt: skip


def exported_screenings(store: Store) -> list[dict[str, Any]]:
    """Every screening attempt with answers, determination, outcome and stored signatures; each
    signature carries its signed payload and public key, so it can be checked on its own, and
    when a later change invalidated it, when, by whom and why.

    Read in five set-wise queries (not five per screening): 100,000 screenings export in seconds.
    The bundle's one pass (export/one_pass.py) reads the same, walked once for every file; this
    is its reference."""
    nested = nested_data(store)
    return [
        screening_document(nested, *row)
        for row in store.db.execute(
            f"SELECT {SCREENING_COLUMNS} FROM screenings s JOIN candidates c ON c.id = s.candidate_id "
            "ORDER BY c.seq, s.attempt"
        )
    ]


AUDIT_COLUMNS = [*chain._FIELDS, "hash"]
_READ_NAMES = [*chain._FIELDS, "salt", "hash"]
_AUDIT_READ = f"SELECT {', '.join(_READ_NAMES)} FROM audit"
_FIELD = chain._FIELDS.index("field")


def _exported(row: tuple[Any, ...]) -> list[Any]:
    """An audit row as audit_rows gives it: the hashed fields (chain.hashed_fields), then the
    hash. Only an identifier's event has fields to replace: the others' are taken as they are,
    without a dict per event (millions of them in a coordinating centre's export)."""
    if row[_FIELD] not in chain.WITHHELD_FIELDS:
        return [*row[:-2], row[-1]]
    return [*chain.hashed_fields(dict(zip(_READ_NAMES, row, strict=True))), row[-1]]


def audit_rows(store: Store) -> tuple[list[str], list[list[Any]]]:
    """The whole audit trail, each row the exact values its hash covers (chain.hashed_fields: a
    direct identifier's values as their salted digests, the salt never leaving this machine)
    followed by the hash, so that a reader recomputes every hash from the bundle alone.
    The reference of audit_pieces, which the one pass reads."""
    rows = []
    for row in store.db.execute(f"{_AUDIT_READ} ORDER BY seq"):
        event = dict(zip(_READ_NAMES, row, strict=True))
        rows.append([*chain.hashed_fields(event), event["hash"]])  # never a raw identifier
    return AUDIT_COLUMNS, rows


def audit_pieces(store: Store, size: int, through: int) -> Iterator[list[list[Any]]]:
    """The audit rows of events 1 to `through` (those whose chain was checked), as audit_rows
    gives them, in seq order, `size` rows at a time from one cursor: a store of millions of
    events is never read whole into memory. Read inside read_snapshot, with the check."""
    cursor = store.db.execute(f"{_AUDIT_READ} WHERE seq <= ? ORDER BY seq", [through])
    try:
        while rows := cursor.fetchmany(size):
            yield [_exported(row) for row in rows]
    finally:
        cursor.close()


# What an ODM AuditRecord reads of an event (export.odm._audit_record), and its entity.
_ANSWER_EVENT = ("seq", "at_utc", "username", "action", "entity", "entity_id", "field", "reason", "hash")  # fmt: skip


def latest_answer_events(
    store: Store, keys: Collection[str], entities: Collection[str], through: int
) -> dict[tuple[str, str], dict[str, Any]]:
    """The newest answer_saved event of `entities` (of events 1 to `through`) of each answer of
    these attempts ('NUMBER/attempt'), keyed as export.odm.document's `latest` is, with the
    fields an ODM AuditRecord reads: what the one pass needs of the audit for one piece of
    attempts, read through the audit's (entity, entity_id, seq) index, instead of every event
    of the store held for the whole walk."""
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    if not keys:
        return latest
    for row in store.db.execute(
        f"SELECT {', '.join(_ANSWER_EVENT)} FROM audit WHERE entity IN (SELECT value FROM json_each(?)) "
        "AND entity_id IN (SELECT value FROM json_each(?)) AND action = 'answer_saved' AND seq <= ? "
        "ORDER BY seq",
        [json.dumps(list(entities)), json.dumps(list(keys)), through],
    ):
        event = dict(zip(_ANSWER_EVENT, row, strict=True))
        latest[(str(event["entity_id"]), str(event["field"]))] = event
    return latest


@contextmanager
def read_snapshot(store: Store) -> Iterator[None]:
    """Every read inside sees one state of the store (a read transaction: in WAL mode, the
    snapshot of its first read), so that an export's chain check, its audit events and its
    screenings agree even if another connection commits meanwhile. Inside a transaction already
    open, that one serves."""
    conn = store.db.conn
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        if conn.in_transaction:
            conn.execute("ROLLBACK")  # nothing was written: a read transaction ends either way
