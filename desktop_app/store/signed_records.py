"""What an export bundle carries of each screening and of the audit trail (no direct identifiers)."""

from __future__ import annotations

import json
from typing import Any

from desktop_app.store.accounts import key_by_id
from desktop_app.store.answers import answers_of, latest_determination
from desktop_app.store.database import Store
from desktop_app.store.records import get_screening

# Answers that identify a person: never exported (the age at consent is in the log instead).
IDENTIFYING_ANSWERS = frozenset({"date_of_birth"})


def exported_screenings(store: Store) -> list[dict[str, Any]]:
    """Every screening attempt with answers, determination, outcome and stored signatures; each
    signature carries its signed payload and public key, so it can be checked on its own, and
    when a later change invalidated it, when, by whom and why."""
    ids = [r[0] for r in store.db.execute(
        "SELECT s.id FROM screenings s JOIN candidates c ON c.id = s.candidate_id ORDER BY c.seq, s.attempt")]  # fmt: skip
    result = []
    for screening_id in ids:
        screening = get_screening(store, screening_id)
        determination = latest_determination(store, screening_id)
        answers = {
            k: v for k, v in answers_of(store, screening_id).items() if k not in IDENTIFYING_ANSWERS
        }
        signatures = []
        for payload, signature, key_id, invalid_at, invalid_by, reason in store.db.execute(
            "SELECT s.payload, s.signature, s.key_id, i.at_utc, u.username, i.reason FROM signatures s "
            "LEFT JOIN signature_invalidations i ON i.signature_id = s.id LEFT JOIN users u ON u.id = i.user_id "
            "WHERE s.screening_id = ? ORDER BY s.id",
            [screening_id],
        ):
            key = key_by_id(store, key_id)
            invalidated = (
                None
                if invalid_at is None
                else {"at_utc": invalid_at, "by": invalid_by, "reason": reason}
            )
            signatures.append({"payload": payload, "signature": signature, "public_key": key.public_key.hex(),
                               "fingerprint": key.fingerprint, "invalidated": invalidated})  # fmt: skip
        result.append({
            "screening_number": screening.screening_number, "attempt": screening.attempt,
            "initials": screening.initials, "status": screening.status,
            "protocol": {"id": screening.protocol_id, "version": screening.protocol_version,
                         "sha256": screening.protocol_sha256},
            "answers": answers,
            "determination": None if determination is None else json.loads(determination.model_dump_json()),
            "outcome": screening.outcome, "outcome_detail": screening.outcome_detail,
            "signatures": signatures,
        })  # fmt: skip
    return result


AUDIT_COLUMNS = ["seq", "at_utc", "utc_offset", "username", "action", "entity", "entity_id", "field",
                 "old_value", "new_value", "reason", "prev_hash", "hash"]  # fmt: skip


def audit_rows(store: Store) -> tuple[list[str], list[list[Any]]]:
    """The whole audit trail; answers that identify a person are shown as withheld."""
    rows = []
    for row in store.db.execute(f"SELECT {', '.join(AUDIT_COLUMNS)} FROM audit ORDER BY seq"):
        values = list(row)
        if values[AUDIT_COLUMNS.index("field")] in IDENTIFYING_ANSWERS:
            for column in ("old_value", "new_value"):
                if values[AUDIT_COLUMNS.index(column)] is not None:
                    values[AUDIT_COLUMNS.index(column)] = "(withheld: direct identifier)"
        rows.append(values)
    return AUDIT_COLUMNS, rows
