"""The audit trail: one event per change, each carrying the hash of the one before it."""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import rfc8785
from sqlite_utils import Database

from desktop_app.store.clock import Stamp

GENESIS = "0" * 64
SYSTEM_USER = "system"  # the actor of events no person caused (setup, migrations)
_FIELDS = ("seq", "at_utc", "utc_offset", "user_id", "username", "action", "entity", "entity_id",
           "field", "old_value", "new_value", "reason", "prev_hash")  # fmt: skip
_OLD, _NEW = _FIELDS.index("old_value"), _FIELDS.index("new_value")

# Events whose `field` names a direct identifier of a person: their old and new values enter the
# hash as salted digests (WITHHELD_PREFIX + hex sha256 of salt || value), the salt random per
# event and kept in the store's `salt` column, never exported. The raw values stay in the store,
# outside the hashed content, so a bundle can carry the digests and a reader recompute every hash
# without the identifier; on this machine a changed value still breaks its event's hash.
WITHHELD_FIELDS = frozenset({"date_of_birth", "local_identifiers", "medical_record_number"})
WITHHELD_PREFIX = "withheld:sha256:"

_INSERT = f"INSERT INTO audit ({', '.join(_FIELDS)}, salt, hash) VALUES ({', '.join('?' for _ in range(len(_FIELDS) + 2))})"


def withheld_digest(salt: str, value: str | None) -> str | None:
    """The stand-in of an identifier's value: WITHHELD_PREFIX + sha256(salt bytes || UTF-8 of the
    value's canonical JSON text), in hex; None (no value) stays None."""
    if value is None:
        return None
    return WITHHELD_PREFIX + hashlib.sha256(bytes.fromhex(salt) + value.encode("utf-8")).hexdigest()


def hashed_fields(event: dict[str, Any], *, legacy: bool = False) -> list[Any]:
    """The event's fields in the order of _FIELDS, as they are hashed and exported: the values
    of an identifier as their salted digests. An event of an identifier without a salt gets a
    digest no salt gives, so that its hash cannot match. `legacy`: a store from before salted
    digests (schema 0006), hashed over the raw values, as it was."""
    values = [event[k] for k in _FIELDS]
    if not legacy and event["field"] in WITHHELD_FIELDS:
        salt = event.get("salt")
        for index in (_OLD, _NEW):
            try:
                values[index] = withheld_digest(salt, values[index])  # type: ignore[arg-type]
            except (TypeError, ValueError):  # no salt, or not hex
                values[index] = WITHHELD_PREFIX + "no salt"
    return values


def event_hash(event: dict[str, Any], *, legacy: bool = False) -> str:
    """sha256 over the RFC 8785 canonical JSON of the array hashed_fields(event) (its own hash
    excluded). An array rather than an object: the same content without re-encoding thirteen
    key names on every save."""
    return hashlib.sha256(canonical_array(hashed_fields(event, legacy=legacy))).hexdigest()


_SAFE_INTEGER = 2**53
# json.dumps(values, ensure_ascii=False, separators=(",", ":")) without building its encoder on
# every call (a quarter of an event's encoding).
_ARRAY = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _array_encoder() -> Callable[[list[Any]], str]:
    """_ARRAY without JSONEncoder.encode's own step of making its C encoder again on each call
    (json.encoder.c_make_encoder, made here once with the arguments encode() gives it for these
    options; no circular check, which a flat array of text, integers and nulls never needs):
    still a third of an event's hashing. _ARRAY where the C encoder is missing."""
    from json import encoder

    make = getattr(encoder, "c_make_encoder", None)
    if make is None:
        return _ARRAY

    def default(value: object) -> object:
        raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")

    chunks = make(None, default, encoder.encode_basestring, None, ":", ",", False, False, True)

    def encode(values: list[Any]) -> str:
        return "".join(chunks(values, 0))

    return encode


_FLAT_ARRAY = _array_encoder()


def canonical_array(values: list[Any]) -> bytes:
    """RFC 8785 of an array. For text, integers within 2**53 and nulls (every audit event's
    fields: old and new values are stored as canonical JSON text) the standard library's C encoder
    writes the same bytes (a Hypothesis property test, tests/store/test_chain_encoding.py, checks
    it against rfc8785) in less than half the time, which counts when a check or an export hashes
    millions of events; anything else (a float, a nested value) goes through rfc8785 itself."""
    for value in values:
        kind = type(value)
        if not (
            value is None or kind is str or (kind is int and -_SAFE_INTEGER < value < _SAFE_INTEGER)
        ):
            return bytes(rfc8785.dumps(values))
    return _FLAT_ARRAY(values).encode("utf-8")


def has_salts(db: Database) -> bool:
    """Whether the audit table hashes identifiers as salted digests (schema 0006 and later)."""
    return any(row[1] == "salt" for row in db.execute("PRAGMA table_info(audit)"))


def to_json(value: object) -> str | None:
    """Old and new values are stored as canonical JSON text (None stays NULL)."""
    return None if value is None else rfc8785.dumps(value).decode("utf-8")  # type: ignore[arg-type]


class ChainHead:
    """The newest event's (seq, hash), kept by the one writing connection between saves.

    Only this process writes the store, so the head read once stays true until this process
    appends; a rolled-back transaction forgets it, and the next append reads it again.
    """

    def __init__(self) -> None:
        self._value: tuple[int, str] | None = None

    def read(self, db: Database) -> tuple[int, str]:
        if self._value is None:
            last = db.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
            self._value = (last[0], last[1]) if last else (0, GENESIS)
        return self._value

    def advance(self, seq: int, digest: str) -> None:
        self._value = (seq, digest)

    def forget(self) -> None:
        self._value = None


def append(
    db: Database,
    stamp: Stamp,
    *,
    head: ChainHead,
    user_id: int | None,
    username: str,
    action: str,
    entity: str,
    entity_id: object,
    field: str | None = None,
    old: object = None,
    new: object = None,
    reason: str | None = None,
    encoded: bool = False,
) -> dict[str, Any]:
    """Append one event; call inside the transaction that makes the change it records.

    With `encoded`, `old` and `new` are already canonical JSON text (or None).
    """
    last_seq, last_hash = head.read(db)
    event: dict[str, Any] = {
        "seq": last_seq + 1,
        "at_utc": stamp.at_utc,
        "utc_offset": stamp.utc_offset,
        "user_id": user_id,
        "username": username,
        "action": action,
        "entity": entity,
        "entity_id": str(entity_id),
        "field": field,
        "old_value": old if encoded else to_json(old),
        "new_value": new if encoded else to_json(new),
        "reason": reason,
        "prev_hash": last_hash,
        "salt": secrets.token_hex(16) if field in WITHHELD_FIELDS else None,
    }
    event["hash"] = event_hash(event)
    db.conn.execute(_INSERT, list(event.values()))
    head.advance(event["seq"], event["hash"])
    return event


@dataclass(frozen=True)
class ChainReport:
    events: int
    head: str
    first_broken: int | None
    problem: str | None

    @property
    def ok(self) -> bool:
        return self.problem is None


def verify(db: Database, *, tail: int | None = None) -> ChainReport:
    """Recompute every hash in order; name the first event that does not fit.

    With `tail`, only the last `tail` events are checked (a quick check when opening the
    store); `db check`, backups and restores check the whole chain.
    """
    if "audit" not in db.table_names():
        return ChainReport(0, GENESIS, None, None)
    previous = GENESIS
    expected_seq = 1
    if tail is not None:
        start = db.execute("SELECT seq, prev_hash FROM audit WHERE seq > (SELECT max(seq) FROM audit) - ? "
                           "ORDER BY seq LIMIT 1", [tail]).fetchone()  # fmt: skip
        if start is not None:
            expected_seq, previous = start
    count = 0
    legacy = not has_salts(db)
    salt = "NULL AS salt" if legacy else "salt"
    cursor = db.execute(
        f"SELECT {', '.join(_FIELDS)}, {salt}, hash FROM audit WHERE seq >= ? ORDER BY seq",
        [expected_seq],
    )
    # By position, not a dict per event: the row is _FIELDS, then the salt and the hash, so its
    # first fields are hashed_fields(event) but for an identifier's values (those take the
    # dict, and hashed_fields' digests). A check or an export reads millions of events.
    names = [*_FIELDS, "salt", "hash"]
    hashed, field_at, prev_at = len(_FIELDS), _FIELDS.index("field"), _FIELDS.index("prev_hash")
    sha256, encode = hashlib.sha256, canonical_array
    for row in cursor:
        count += 1
        seq = row[0]
        if seq != expected_seq:
            return ChainReport(
                count, previous, expected_seq, f"audit event {expected_seq} is missing"
            )
        if row[prev_at] != previous:
            return ChainReport(
                count, previous, seq, f"audit event {seq} does not follow event {seq - 1}"
            )
        if legacy or row[field_at] not in WITHHELD_FIELDS:
            values = list(row[:hashed])
        else:
            values = hashed_fields(dict(zip(names, row, strict=True)))
        if sha256(encode(values)).hexdigest() != row[-1]:
            return ChainReport(
                count, previous, seq, f"audit event {seq} was altered (hash mismatch)"
            )
        previous = row[-1]
        expected_seq += 1
    return ChainReport(count, previous, None, None)
