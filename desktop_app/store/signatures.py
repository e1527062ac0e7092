"""Electronic signatures: Ed25519 over the canonical JSON of exactly what was signed.

A signature names the signer (user id and printed name), the meaning, the time in UTC with the
local offset and the key; it covers the screening's answers, its determination, the protocol
(id, version, sha256) and the acknowledged warnings. Signatures are never edited or deleted: a
later change records an invalidation, and the screening must be signed again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import rfc8785

from desktop_app.store import chain, checkpoints, keys
from desktop_app.store.accounts import key_by_id, reauthenticated_key
from desktop_app.store.answers import answers_of, latest_determination
from desktop_app.store.clock import local_moment, local_text
from desktop_app.store.database import Store
from desktop_app.store.errors import BadInputError
from desktop_app.store.models import User
from desktop_app.store.records import get_screening
from desktop_app.store.roles import SCREENING_ROLES, PermissionDeniedError, require_role

Meaning = Literal["screening_performed", "eligibility_confirmed"]
MEANINGS: dict[str, str] = {
    "screening_performed": "Screening performed by",
    "eligibility_confirmed": "Eligibility confirmed by investigator",
}
_MEANING_OF_ROLE: dict[str, Meaning] = {
    "coordinator": "screening_performed",
    "investigator": "eligibility_confirmed",
}
FORMAT = "eligo-signature/2"


def acknowledgements(store: Store, screening_id: int) -> dict[str, dict[str, str]]:
    rows = store.db.execute(
        "SELECT a.code, u.full_name, a.at_utc, a.utc_offset FROM warning_acknowledgements a "
        "JOIN users u ON u.id = a.user_id WHERE a.screening_id = ? ORDER BY a.code",
        [screening_id],
    )
    return {code: {"by": name, "at_utc": at, "utc_offset": off} for code, name, at, off in rows}


def acknowledge_warning(store: Store, user: User, screening_id: int, code: str) -> None:
    """The coordinator has seen a warning of the current determination (an audit event)."""
    require_role(user, *SCREENING_ROLES, action="acknowledge warnings")
    result = latest_determination(store, screening_id)
    if result is None or code not in {w.code for w in result.warnings}:
        raise BadInputError(
            "warning", f"{code!r} is not a warning of this screening's determination"
        )
    screening = get_screening(store, screening_id)
    if screening.sign_state in ("signed", "locked"):
        raise BadInputError(
            "warning", "the screening is signed; change it with a reason to sign it again"
        )
    with store.transaction("The acknowledgement") as db:
        stamp = store.stamp()
        db.conn.execute(
            "INSERT OR IGNORE INTO warning_acknowledgements (screening_id, code, user_id, at_utc, utc_offset) "
            "VALUES (?, ?, ?, ?, ?)",
            [screening_id, code, user.id, stamp.at_utc, stamp.utc_offset],
        )
        chain.append(db, stamp, head=store.chain_head, user_id=user.id, username=user.username,
                     action="warning_acknowledged", entity="screening",
                     entity_id=f"{screening.screening_number}/{screening.attempt}", field="warnings", new=code)  # fmt: skip


# Answers that identify a person: a signature covers a salted digest of them (the salt never
# leaves this machine), so that signatures can be exported and checked without revealing them.
IDENTIFYING = ("date_of_birth",)


def _protected_answers(store: Store, screening_id: int, signature_format: str) -> dict[str, Any]:
    answers = answers_of(store, screening_id)
    if signature_format == "eligo-signature/1":  # signed before identifiers were protected
        return answers
    row = store.db.execute(
        "SELECT identity_salt FROM screenings WHERE id = ?", [screening_id]
    ).fetchone()
    salt = row[0] if row else ""
    for name in IDENTIFYING:
        if name in answers:
            digest = hashlib.sha256(salt.encode() + rfc8785.dumps(answers[name])).hexdigest()
            answers[name] = {"salted_sha256": digest}
    return answers


def signed_content(
    store: Store, screening_id: int, signature_format: str = FORMAT
) -> dict[str, Any]:
    """What a signature covers, rebuilt from the store: compared on every display."""
    screening = get_screening(store, screening_id)
    result = latest_determination(store, screening_id)
    return {
        "screening_number": screening.screening_number,
        "attempt": screening.attempt,
        "answers": _protected_answers(store, screening_id, signature_format),
        "determination": None if result is None else json.loads(result.model_dump_json()),
        "protocol": {
            "id": screening.protocol_id,
            "version": screening.protocol_version,
            "sha256": screening.protocol_sha256,
        },
        "acknowledged_warnings": acknowledgements(store, screening_id),
    }


def meaning_for(user: User) -> Meaning | None:
    """The meaning of this user's signature: an investigator confirms eligibility."""
    return next(
        (_MEANING_OF_ROLE[r] for r in ("investigator", "coordinator") if r in user.roles), None
    )


def sign_screening(store: Store, user: User, screening_id: int, password: str) -> int:
    """Sign with the meaning of the user's role, after asking for the password again."""
    meaning = meaning_for(user)
    if meaning is None or not user.is_active:
        require_role(user, *SCREENING_ROLES, action="sign screenings")  # raises for the others
        raise PermissionDeniedError("no signing role")  # pragma: no cover - require_role raised
    screening = get_screening(store, screening_id)
    result = latest_determination(store, screening_id)
    if result is None or result.determination not in ("eligible", "ineligible"):
        raise BadInputError(
            "determination", "only an eligible or ineligible determination can be signed"
        )
    if result.protocol.sha256 != screening.protocol_sha256:
        raise BadInputError("protocol", "the determination was made under another protocol version")
    missing = sorted({w.code for w in result.warnings} - set(acknowledgements(store, screening_id)))
    if missing:
        raise BadInputError(
            "warnings", f"acknowledge every warning before signing: {', '.join(missing)}"
        )
    if already_signed(store, user, screening_id):
        raise BadInputError(
            "signature",
            f"you have already signed this version of the record ({MEANINGS[meaning]}); "
            "a change to it needs a new signature",
        )
    key, private = reauthenticated_key(store, user, password)[1]
    stamp = store.stamp()
    payload: dict[str, Any] = {
        "format": FORMAT,
        "content": signed_content(store, screening_id, FORMAT),
        "signer": {"user_id": user.id, "username": user.username, "printed_name": user.full_name},
        "meaning": MEANINGS[meaning],
        "signed_at": stamp.at_utc,
        "utc_offset": stamp.utc_offset,
        "key_fingerprint": key.fingerprint,
    }
    message = rfc8785.dumps(payload)
    signature = private.sign(message)
    with store.transaction("The signature") as db:
        cursor = db.conn.execute(
            "INSERT INTO signatures (screening_id, user_id, key_id, meaning, signed_at, utc_offset, payload, signature) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [screening_id, user.id, key.id, meaning, stamp.at_utc, stamp.utc_offset, message.decode("utf-8"),
             signature.hex()],
        )  # fmt: skip
        new_state = "locked" if meaning == "eligibility_confirmed" else "signed"
        if screening.sign_state == "locked":
            new_state = "locked"
        db.conn.execute("UPDATE screenings SET sign_state = ?, investigator_id = CASE WHEN ? THEN ? "
                        "ELSE investigator_id END WHERE id = ?",
                        [new_state, meaning == "eligibility_confirmed", user.id, screening_id])  # fmt: skip
        chain.append(db, stamp, head=store.chain_head, user_id=user.id, username=user.username,
                     action="screening_signed", entity="screening",
                     entity_id=f"{screening.screening_number}/{screening.attempt}", field="signature",
                     new={"meaning": MEANINGS[meaning], "key_fingerprint": key.fingerprint,
                          "content_sha256": _sha256(message)})  # fmt: skip
        checkpoints.append_checkpoint(store, user, private, key.fingerprint, "signature")
    return int(cursor.lastrowid or 0)


def already_signed(store: Store, user: User, screening_id: int) -> bool:
    """Whether this user's signature of their meaning already covers the record as it is now (a
    user gives one signature of a given meaning per version of the record)."""
    meaning = meaning_for(user)
    if meaning is None:
        return False
    return any(
        s.check == "valid" and s.meaning == MEANINGS[meaning] and s.signer_id == user.id
        for s in signature_statuses(store, screening_id)
    )


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


Check = Literal["valid", "invalidated", "tampered"]


@dataclass(frozen=True)
class SignatureStatus:
    """One stored signature as verified now, with what a record and a printout show."""

    id: int
    meaning: str
    printed_name: str
    signed_at: str
    utc_offset: str
    key_fingerprint: str
    check: Check
    detail: str
    signer_id: int | None = None

    @property
    def manifestation(self) -> str:
        """As a person reads it: the local date and time of signing with its zone."""
        return (f"{self.meaning} {self.printed_name}, {local_text(self.signed_at, self.utc_offset)}, "
                f"key {self.key_fingerprint}")  # fmt: skip

    @property
    def signed_on(self) -> date:
        """The signer's local date of signing."""
        return local_moment(self.signed_at, self.utc_offset).date()


def signature_statuses(store: Store, screening_id: int) -> list[SignatureStatus]:
    """Verify every stored signature of a screening against its key and the current content."""
    rows = store.db.execute(
        "SELECT s.id, s.key_id, s.payload, s.signature, i.at_utc, iu.full_name, i.reason, i.utc_offset "
        "FROM signatures s LEFT JOIN signature_invalidations i ON i.signature_id = s.id "
        "LEFT JOIN users iu ON iu.id = i.user_id WHERE s.screening_id = ? ORDER BY s.id",
        [screening_id],
    ).fetchall()
    contents: dict[str, dict[str, Any]] = {}  # by signature format
    statuses = []
    for (
        sid,
        key_id,
        payload_text,
        signature_hex,
        invalid_at,
        invalid_by,
        reason,
        invalid_offset,
    ) in rows:
        payload = json.loads(payload_text)
        key = key_by_id(store, key_id)
        check: Check
        authentic = (
            keys.verify_signature(
                key.public_key, bytes.fromhex(signature_hex), payload_text.encode("utf-8")
            )
            and payload.get("key_fingerprint") == key.fingerprint
        )
        if not authentic:
            check, detail = "tampered", "TAMPERED: the stored signature does not verify"
        elif invalid_at is not None:
            check, detail = (
                "invalidated",
                f"signature invalidated on {local_text(invalid_at, invalid_offset)} by {invalid_by}: {reason}",
            )
        elif payload["content"] != _content(
            store, screening_id, str(payload.get("format")), contents
        ):
            check, detail = "tampered", "TAMPERED: the record was changed after it was signed"
        else:
            check, detail = "valid", "valid"
        signer = payload.get("signer", {})
        statuses.append(SignatureStatus(sid, str(payload.get("meaning")), str(signer.get("printed_name")),
                                        str(payload.get("signed_at")), str(payload.get("utc_offset")),
                                        key.fingerprint, check, detail, signer.get("user_id")))  # fmt: skip
    return statuses


def _content(
    store: Store, screening_id: int, signature_format: str, contents: dict[str, dict[str, Any]]
) -> dict[str, Any]:
    """signed_content, rebuilt once per signature format for all of a screening's signatures
    (contents.setdefault(format, signed_content(...)) rebuilt it for each signature, and threw
    it away for all but the first: an attempt signed three times read it three times)."""
    content = contents.get(signature_format)
    if content is None:
        content = contents[signature_format] = signed_content(store, screening_id, signature_format)
    return content


def tampered_screenings(store: Store) -> list[tuple[str, int, str]]:
    """(screening number, attempt, detail) of every screening with a tampered signature."""
    found = []
    ids = [
        r[0]
        for r in store.db.execute(
            "SELECT DISTINCT screening_id FROM signatures ORDER BY screening_id"
        )
    ]
    for screening_id in ids:
        for status in signature_statuses(store, screening_id):
            if status.check == "tampered":
                screening = get_screening(store, screening_id)
                found.append((screening.screening_number, screening.attempt, status.detail))
                break
    return found


def eligibility_confirmation(store: Store, screening_id: int) -> SignatureStatus | None:
    """The investigator's signature confirming eligibility, when one is valid now."""
    return next((s for s in signature_statuses(store, screening_id)
                 if s.check == "valid" and s.meaning == MEANINGS["eligibility_confirmed"]), None)  # fmt: skip
