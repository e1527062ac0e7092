"""What an export bundle carries of each screening and of the audit trail (no direct identifiers)."""

from __future__ import annotations

import json
from typing import Any

from desktop_app.store import chain
from desktop_app.store.database import Store

# Answers that identify a person: never exported (the age at consent is in the log instead).
IDENTIFYING_ANSWERS = frozenset({"date_of_birth"})


def exported_screenings(store: Store) -> list[dict[str, Any]]:
    """Every screening attempt with answers, determination, outcome and stored signatures; each
    signature carries its signed payload and public key, so it can be checked on its own, and
    when a later change invalidated it, when, by whom and why.

    Read in six set-wise queries (not five per screening): 100,000 screenings export in seconds."""
    answers: dict[int, dict[str, Any]] = {}
    for screening_id, question, value in store.db.execute(
        "SELECT screening_id, question_id, value FROM answers ORDER BY screening_id, question_id"
    ):
        if question not in IDENTIFYING_ANSWERS:
            answers.setdefault(screening_id, {})[question] = json.loads(value)
    determinations = {
        screening_id: json.loads(result)
        for screening_id, result in store.db.execute(
            "SELECT d.screening_id, d.result FROM determinations d WHERE d.id = "
            "(SELECT max(id) FROM determinations e WHERE e.screening_id = d.screening_id)"
        )
    }
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
    result = []
    for (screening_id, number, attempt, initials, status, protocol_id, protocol_version, protocol_sha256, outcome,
         outcome_detail) in store.db.execute(
        "SELECT s.id, c.screening_number, s.attempt, c.initials, s.status, s.protocol_id, s.protocol_version, "
        "s.protocol_sha256, s.outcome, s.outcome_detail FROM screenings s JOIN candidates c ON c.id = s.candidate_id "
        "ORDER BY c.seq, s.attempt"
    ):  # fmt: skip
        result.append({
            "screening_number": number, "attempt": attempt, "initials": initials, "status": status,
            "protocol": {"id": protocol_id, "version": protocol_version, "sha256": protocol_sha256},
            "answers": answers.get(screening_id, {}),
            "determination": determinations.get(screening_id),
            "outcome": outcome, "outcome_detail": json.loads(outcome_detail),
            "acknowledged_warnings": acknowledged.get(screening_id, {}),
            "signatures": signatures.get(screening_id, []),
        })  # fmt: skip
    return result


AUDIT_COLUMNS = [*chain._FIELDS, "hash"]


def audit_rows(store: Store) -> tuple[list[str], list[list[Any]]]:
    """The whole audit trail, each row the exact values its hash covers (chain.hashed_fields: a
    direct identifier's values as their salted digests, the salt never leaving this machine)
    followed by the hash, so that a reader recomputes every hash from the bundle alone."""
    names = [*chain._FIELDS, "salt", "hash"]
    rows = []
    for row in store.db.execute(f"SELECT {', '.join(names)} FROM audit ORDER BY seq"):
        event = dict(zip(names, row, strict=True))
        rows.append([*chain.hashed_fields(event), event["hash"]])  # never a raw identifier
    return AUDIT_COLUMNS, rows
