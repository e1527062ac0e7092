"""The state is the replay of the audit chain.

Every value a person changes through Eligo (the site, accounts, roles, keys, settings, candidates,
answers, outcomes, acknowledgements, signatures, invalidations, trusted keys, exports) is written
together with the audit event that records it. Replaying the events in order therefore gives the
state the tables must hold; the derived values (determination, failing criteria, the dates taken
from the answers, the signature state) are computed again from the replayed answers under the
protocol recorded for the attempt, never read from the table. Any difference is a Divergence,
named by table, row, column, the stored value and the value the chain and the rules give.

Values that are not replayed, and why: password hashes, failed sign-in counters and lockouts
(secrets and counters; a swapped password hash cannot open the account's sealed signing key, so
accounts.authenticate refuses it), the sealed private keys themselves (opened only with the
owner's password; the public key is replayed), the per-screening identity salt and the dates of
birth and local identifiers of candidates (identifiers never enter the chain; a changed salt
breaks the screening's signatures), and the bookkeeping time stamps of rows.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

from desktop_app.rules.washout import window_over_on
from desktop_app.store import annotations_replay, attachment_replay, carry, chain, keys
from desktop_app.store.errors import StoreError
from desktop_app.store.missing_data import awaiting_of

if TYPE_CHECKING:
    from sqlite_utils import Database

    from desktop_app.rules import Determination, LoadedProtocol

# Not present: shown in a divergence where a row is missing on one side.
ABSENT = "(no row)"


@dataclass(frozen=True)
class Divergence:
    """One value the table holds that the chain and the rules do not give."""

    table: str
    row: str
    column: str
    stored: object
    expected: object
    screening: str | None = None  # "NUMBER/attempt" of the screening it affects

    def line(self) -> str:
        return (
            f"{self.table} {self.row} {self.column}: stored {_shown(self.stored)}, "
            f"the chain and the rules give {_shown(self.expected)}"
        )


def _shown(value: object) -> str:
    if value == ABSENT:
        return ABSENT
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return text if len(text) <= 120 else text[:117] + "..."


class StoreTamperedError(StoreError):
    """The store does not match the replay of its audit chain (export refuses such a store)."""


# ---------------------------------------------------------------- the replayed state


@dataclass
class KeyState:
    username: str
    fingerprint: str
    public_key: str | None  # hex; None for a key registered before events carried it
    registered_seq: int
    registered_by: str
    retired_seq: int | None = None


@dataclass
class UserState:
    username: str
    full_name: str
    roles: list[str]
    is_active: bool = True
    is_demo: bool | None = None  # None: an event written before it was recorded
    keys: list[KeyState] = field(default_factory=list)


@dataclass
class SignatureState:
    screening: str
    user_id: int | None
    username: str
    meaning: str
    key_fingerprint: str
    content_sha256: str
    at_utc: str
    utc_offset: str
    seq: int
    invalidated: dict[str, Any] | None = None


@dataclass
class ScreeningState:
    key: str  # NUMBER/attempt
    protocol: dict[str, str]
    coordinator_id: int | None
    answers: dict[str, str] = field(default_factory=dict)  # canonical JSON text
    answered: bool = False
    outcome: str | None = None
    outcome_detail: dict[str, Any] = field(default_factory=dict)
    acks: dict[str, tuple[int | None, str, str]] = field(default_factory=dict)
    signatures: list[int] = field(default_factory=list)  # indexes into Replay.signatures
    sign_state: str = "unsigned"
    investigator_id: int | None = None
    first_seq: int = 0


@dataclass
class Checkpoint:
    seq: int
    prev_hash: str
    username: str
    statement: dict[str, Any]


@dataclass
class Replay:
    """The state the chain gives, built event by event."""

    site: dict[str, Any] | None = None
    users: dict[str, UserState] = field(default_factory=dict)
    user_order: list[str] = field(default_factory=list)
    keys: list[KeyState] = field(default_factory=list)
    settings: dict[str, str] = field(default_factory=dict)
    candidates: dict[str, dict[str, Any]] = field(default_factory=dict)
    screenings: dict[str, ScreeningState] = field(default_factory=dict)
    signatures: list[SignatureState] = field(default_factory=list)
    trusted: dict[str, dict[str, Any]] = field(default_factory=dict)
    exports: list[dict[str, Any]] = field(default_factory=list)
    attachments: dict[int, dict[str, Any]] = field(
        default_factory=dict
    )  # by id (attachment_replay)
    checkpoints: list[Checkpoint] = field(default_factory=list)
    # Re-screening proposals not yet confirmed (store/carry.py): key -> question -> (value, attempt)
    carried: dict[str, dict[str, tuple[str, int]]] = field(default_factory=dict)
    unanchored: list[tuple[int, str]] = field(default_factory=list)  # events needing a checkpoint
    malformed: list[tuple[int, str, str]] = field(default_factory=list)  # (seq, action, problem)
    notes: list[str] = field(default_factory=list)  # what the comparison could not check
    events: int = 0
    head: tuple[int, str] = (0, chain.GENESIS)
    # The events of each screening as runs [first, last] of sequence numbers (a save writes its
    # events one after another): which screenings a rewritten span of the chain touches.
    seq_of_screening_events: dict[str, list[list[int]]] = field(default_factory=dict)
    # Notes, queries and audit trail reviews (store/annotations_replay.py).
    annotations: annotations_replay.AnnotationState = field(
        default_factory=annotations_replay.AnnotationState
    )

    def feed(self, events: Iterable[tuple[Any, ...]]) -> None:
        screenings, seqs = self.screenings, self.seq_of_screening_events
        # Question ids and most answers (codes, true/false, dates) repeat across screenings: one
        # string object for each distinct text keeps 100,000 screenings' answers small.
        shared: dict[str, str] = {}
        for row in events:
            if row[5] == "answer_saved":  # most events: handled here, without building an _Event
                self.events += 1
                self.head = (row[0], row[13])
                s = screenings.get(row[7])
                if s is None or row[8] is None:
                    continue
                _touch(seqs, s.key, row[0])
                s.answered = True
                question = shared.setdefault(row[8], row[8])
                if row[10] is None:
                    s.answers.pop(question, None)
                else:
                    s.answers[question] = shared.setdefault(row[10], row[10])
                continue
            self._one(*row)

    def _one(
        self, seq: int, at_utc: str, utc_offset: str, user_id: int | None, username: str,
        action: str, entity: str, entity_id: str, fld: str | None, old: str | None,
        new: str | None, reason: str | None, prev_hash: str, digest: str,
    ) -> None:  # fmt: skip
        self.events += 1
        self.head = (seq, digest)
        handler = _HANDLERS.get(action)
        if handler is None:
            return
        try:
            value = json.loads(new) if new is not None else None
            handler(self, _Event(seq, at_utc, utc_offset, user_id, username, str(entity_id), fld, value,
                                 reason, prev_hash))  # fmt: skip
        except (ValueError, TypeError, AttributeError, KeyError, IndexError) as exc:
            # Not an event Eligo writes (its values were rewritten): named, never a traceback.
            self.malformed.append((seq, action, f"{type(exc).__name__}: {exc}"))

    def user_id_of(self, username: str) -> int | None:
        """Users are numbered in the order their accounts were created (never deleted)."""
        try:
            return self.user_order.index(username) + 1
        except ValueError:
            return None


def _touch(runs_by_key: dict[str, list[list[int]]], key: str, seq: int) -> None:
    runs = runs_by_key.setdefault(key, [])
    if runs and runs[-1][1] == seq - 1:
        runs[-1][1] = seq
    else:
        runs.append([seq, seq])


def touches(runs: list[list[int]], first: int, last: int) -> bool:
    """Whether any of these runs of events lies within first..last."""
    return any(start <= last and end >= first for start, end in runs)


@dataclass(frozen=True)
class _Event:
    seq: int
    at_utc: str
    utc_offset: str
    user_id: int | None
    username: str
    entity_id: str
    field: str | None
    new: Any
    reason: str | None
    prev_hash: str


def _site_created(r: Replay, e: _Event) -> None:
    r.site = dict(e.new)


def _register_key(r: Replay, e: _Event, username: str, fingerprint: str, public: Any) -> None:
    key = KeyState(username, str(fingerprint), str(public) if public else None, e.seq, e.username)
    r.keys.append(key)
    r.users[username].keys.append(key)


def _account_created(r: Replay, e: _Event) -> None:
    v = e.new
    user = UserState(e.entity_id, str(v.get("full_name", "")), list(v.get("roles", [])),
                     is_demo=bool(v["is_demo"]) if "is_demo" in v else None)  # fmt: skip
    r.users[e.entity_id] = user
    r.user_order.append(e.entity_id)
    _register_key(r, e, e.entity_id, v.get("key_fingerprint", ""), v.get("public_key"))


def _password_reset(r: Replay, e: _Event) -> None:
    user = r.users.get(e.entity_id)
    if user is None:
        return
    for key in user.keys:
        if key.fingerprint == e.new.get("retired_key") and key.retired_seq is None:
            key.retired_seq = e.seq
    _register_key(r, e, e.entity_id, e.new.get("new_key", ""), e.new.get("public_key"))


def _roles_changed(r: Replay, e: _Event) -> None:
    if e.entity_id in r.users:
        r.users[e.entity_id].roles = list(e.new.get("new", []))


def _active(flag: bool) -> Any:
    def handler(r: Replay, e: _Event) -> None:
        if e.entity_id in r.users:
            r.users[e.entity_id].is_active = flag

    return handler


def _account_baseline(r: Replay, e: _Event) -> None:
    """Written once by migration 0007 for accounts made before events carried everything."""
    user = r.users.get(e.entity_id)
    if user is None:
        return
    user.is_demo = bool(e.new.get("is_demo"))
    known = {k["fingerprint"]: k["public_key"] for k in e.new.get("keys", [])}
    for key in user.keys:
        if key.public_key is None and key.fingerprint in known:
            key.public_key = known[key.fingerprint]


def _setting_changed(r: Replay, e: _Event) -> None:
    r.settings[e.entity_id] = e.new if isinstance(e.new, str) else json.dumps(e.new)


def _candidate_registered(r: Replay, e: _Event) -> None:
    r.candidates[e.entity_id] = {"id": len(r.candidates) + 1, **e.new}


def _screening_started(r: Replay, e: _Event) -> None:
    r.screenings[e.entity_id] = ScreeningState(e.entity_id, dict(e.new), e.user_id, first_seq=e.seq)
    _touch(r.seq_of_screening_events, e.entity_id, e.seq)


def _screening(r: Replay, e: _Event) -> ScreeningState | None:
    found = r.screenings.get(e.entity_id)
    if found is not None:
        _touch(r.seq_of_screening_events, e.entity_id, e.seq)
    return found


def _answer_saved(r: Replay, e: _Event) -> None:
    s = _screening(r, e)
    if s is None or e.field is None:
        return
    s.answered = True
    if e.new is None:
        s.answers.pop(e.field, None)
    else:
        s.answers[e.field] = e.new


def _determination_changed(r: Replay, e: _Event) -> None:
    _screening(r, e)


def _warning_acknowledged(r: Replay, e: _Event) -> None:
    s = _screening(r, e)
    if s is not None:
        s.acks.setdefault(str(e.new), (e.user_id, e.at_utc, e.utc_offset))


def _screening_signed(r: Replay, e: _Event) -> None:
    s = _screening(r, e)
    if s is None:
        return
    meaning = str(e.new.get("meaning"))
    r.signatures.append(SignatureState(s.key, e.user_id, e.username, meaning, str(e.new.get("key_fingerprint")),
                                       str(e.new.get("content_sha256")), e.at_utc, e.utc_offset, e.seq))  # fmt: skip
    s.signatures.append(len(r.signatures) - 1)
    confirms = meaning == "Eligibility confirmed by investigator"
    s.sign_state = "locked" if confirms or s.sign_state == "locked" else "signed"
    if confirms:
        s.investigator_id = e.user_id
    r.unanchored.append((e.seq, e.username))


def _signature_invalidated(r: Replay, e: _Event) -> None:
    try:
        signature = r.signatures[int(e.entity_id) - 1]
    except (ValueError, IndexError):
        return
    signature.invalidated = {"user_id": e.user_id, "reason": e.reason, "at_utc": e.at_utc}
    s = r.screenings.get(signature.screening)
    if s is not None:
        s.sign_state = "invalidated"
        _touch(r.seq_of_screening_events, s.key, e.seq)


def _outcome_recorded(r: Replay, e: _Event) -> None:
    s = _screening(r, e)
    if s is not None:
        detail = dict(e.new)
        s.outcome = detail.pop("outcome", None)
        s.outcome_detail = detail


def _trusted_key_imported(r: Replay, e: _Event) -> None:
    known = r.trusted.get(e.entity_id)
    entry = {"id": known["id"] if known else len(r.trusted) + 1, **(e.new or {}), "removed": False,
             "imported_by": e.user_id}  # fmt: skip
    if known and "public_key" not in entry and "public_key" in known:
        entry["public_key"] = known["public_key"]
    r.trusted[e.entity_id] = entry


def _trusted_key_removed(r: Replay, e: _Event) -> None:
    if e.entity_id in r.trusted:
        r.trusted[e.entity_id]["removed"] = True
        r.trusted[e.entity_id]["removed_by"] = e.user_id


def _trusted_key_baseline(r: Replay, e: _Event) -> None:
    if e.entity_id in r.trusted and "public_key" in (e.new or {}):
        r.trusted[e.entity_id]["public_key"] = e.new["public_key"]


def _bundle_exported(r: Replay, e: _Event) -> None:
    r.exports.append({**e.new, "user_id": e.user_id, "seq": e.seq})
    r.unanchored.append((e.seq, e.username))


def _replay_baseline(r: Replay, e: _Event) -> None:
    """Signatures and exports made before checkpoints existed are not required to have one."""
    r.unanchored = []


def _checkpoint(r: Replay, e: _Event) -> None:
    r.checkpoints.append(Checkpoint(e.seq, e.prev_hash, e.username, dict(e.new)))
    r.unanchored = [(seq, who) for seq, who in r.unanchored if who != e.username]


_HANDLERS = {
    "site_created": _site_created,
    "account_created": _account_created,
    "password_reset": _password_reset,
    "roles_changed": _roles_changed,
    "account_deactivated": _active(False),
    "account_reactivated": _active(True),
    "account_baseline": _account_baseline,
    "setting_changed": _setting_changed,
    "candidate_registered": _candidate_registered,
    "screening_started": _screening_started,
    "answer_saved": _answer_saved,
    "determination_changed": _determination_changed,
    "warning_acknowledged": _warning_acknowledged,
    "screening_signed": _screening_signed,
    "signature_invalidated": _signature_invalidated,
    "outcome_recorded": _outcome_recorded,
    "trusted_key_imported": _trusted_key_imported,
    "trusted_key_removed": _trusted_key_removed,
    "trusted_key_baseline": _trusted_key_baseline,
    "bundle_exported": _bundle_exported,
    "checkpoint": _checkpoint,
    "replay_baseline": _replay_baseline,
    **annotations_replay.HANDLERS,
    **carry.REPLAY_HANDLERS,
    **attachment_replay.HANDLERS,
}

_EVENT_COLUMNS = ("seq, at_utc, utc_offset, user_id, username, action, entity, entity_id, field, "
                  "old_value, new_value, reason, prev_hash, hash")  # fmt: skip


def replay(db: Database) -> Replay:
    state = Replay()
    state.feed(db.execute(f"SELECT {_EVENT_COLUMNS} FROM audit ORDER BY seq"))
    return state


# ---------------------------------------------------------------- the rules, again


def preload() -> None:
    """Import now, on the calling thread, every module the replay imports as it runs (the rules'
    names load their modules on first use, and the signature checks cryptography's): a first
    import on the replay's own thread goes through PySide6's import hook, which is not safe off
    the main thread (a worker's imports crashed a test process later, on its main thread)."""
    from cryptography.exceptions import InvalidSignature  # noqa: F401
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey  # noqa: F401

    from desktop_app.rules import InputError, default_protocol, evaluate  # noqa: F401
    from desktop_app.store.signatures import MEANINGS  # noqa: F401


@cache
def _protocols() -> dict[str, LoadedProtocol]:
    from desktop_app.rules import default_protocol

    loaded = default_protocol()
    return {loaded.sha256: loaded}


def carries_protocol(protocol_sha256: str) -> bool:
    """Whether this Eligo carries that protocol version: save_answers then computes the
    determination of an attempt's answers itself, and a caller need not give one."""
    return protocol_sha256 in _protocols()


def expected_determination(
    protocol_sha256: str, answers: dict[str, str]
) -> tuple[Determination | None, str | None]:
    """The determination the rules give for these answers under that protocol version, or why
    it cannot be computed here."""
    from desktop_app.rules import InputError, evaluate

    protocol = _protocols().get(protocol_sha256)
    if protocol is None:
        return None, f"protocol version {protocol_sha256[:12]} is not available to compute it again"
    try:
        return evaluate(protocol, {q: json.loads(v) for q, v in answers.items()}), None
    except (InputError, ValueError, TypeError) as exc:
        return None, f"the answers do not evaluate: {exc}"


# ---------------------------------------------------------------- comparing


class _Diff:
    def __init__(self) -> None:
        self.found: list[Divergence] = []
        # Attempts under a protocol version this Eligo does not carry, by its sha256: their derived
        # values cannot be computed again here (nothing says they were changed).
        self.other_protocols: dict[str, int] = {}

    def same(
        self, table: str, row: str, column: str, stored: object, expected: object,
        screening: str | None = None,
    ) -> None:  # fmt: skip
        if stored != expected:
            self.found.append(Divergence(table, row, column, stored, expected, screening))


def compare(db: Database, state: Replay) -> list[Divergence]:
    """Every difference between the tables and the replayed state."""
    diff = _Diff()
    for seq, action, problem in state.malformed:
        diff.found.append(Divergence("audit", f"event {seq}", action, f"unreadable ({problem})",
                                     "an event as Eligo writes it"))  # fmt: skip
    _compare_site(db, state, diff)
    _compare_users(db, state, diff)
    _compare_settings(db, state, diff)
    _compare_candidates(db, state, diff)
    _compare_screenings(db, state, diff)
    _compare_signatures(db, state, diff)
    _compare_trusted(db, state, diff)
    _compare_exports(db, state, diff)
    annotations_replay.compare(db, state, diff)
    carry.compare(db, state, diff)
    attachment_replay.compare_attachments(db, state, diff)
    state.notes = [
        f"{count} attempt(s) under protocol version {sha[:12]}, which this Eligo does not carry: "
        "their determinations were not computed again"
        for sha, count in sorted(diff.other_protocols.items())
    ]
    return diff.found


def _compare_site(db: Database, state: Replay, diff: _Diff) -> None:
    row = db.execute(
        "SELECT code, name, principal_investigator, is_demo FROM site WHERE id = 1"
    ).fetchone()
    expected = state.site
    if row is None or expected is None:
        diff.same("site", "1", "row", ABSENT if row is None else "present",
                  ABSENT if expected is None else "present")  # fmt: skip
        return
    for i, column in enumerate(("code", "name", "principal_investigator", "is_demo")):
        diff.same("site", "1", column, row[i], expected.get(column))


def _compare_users(db: Database, state: Replay, diff: _Diff) -> None:
    rows = {
        r[1]: r
        for r in db.execute("SELECT id, username, full_name, roles, is_active, is_demo FROM users")
    }
    for username in set(rows) | set(state.users):
        row, user = rows.get(username), state.users.get(username)
        name = f"{username!r}"
        if row is None or user is None:
            diff.same("users", name, "row", ABSENT if row is None else "present",
                      ABSENT if user is None else "present")  # fmt: skip
            continue
        diff.same("users", name, "id", row[0], state.user_id_of(username))
        diff.same("users", name, "full_name", row[2], user.full_name)
        diff.same("users", name, "roles", row[3], ",".join(user.roles))
        diff.same("users", name, "is_active", bool(row[4]), user.is_active)
        if user.is_demo is not None:
            diff.same("users", name, "is_demo", bool(row[5]), user.is_demo)
    key_rows = db.execute(
        "SELECT k.id, u.username, k.public_key, k.fingerprint, k.retired_at IS NOT NULL FROM user_keys k "
        "LEFT JOIN users u ON u.id = k.user_id ORDER BY k.id"
    ).fetchall()
    keys_by_id = {r[0]: r for r in key_rows}
    for ident in sorted(set(keys_by_id) | set(range(1, len(state.keys) + 1))):
        row = keys_by_id.get(ident)
        key = state.keys[ident - 1] if 1 <= ident <= len(state.keys) else None
        name = str(ident)
        if row is None or key is None:
            diff.same("user_keys", name, "row", ABSENT if row is None else "present",
                      ABSENT if key is None else "present")  # fmt: skip
            continue
        _, username, public_hex, stored_fp, retired = row
        diff.same("user_keys", name, "user", username, key.username)
        recomputed = _fingerprint_of(public_hex)
        diff.same(
            "user_keys", name, "fingerprint", stored_fp, recomputed
        )  # never trusted as stored
        if key.public_key is not None:
            diff.same("user_keys", name, "public_key", public_hex, key.public_key)
        else:  # registered before events carried the key: its fingerprint must still match
            diff.same("user_keys", name, "public_key (fingerprint)", recomputed, key.fingerprint)
        diff.same("user_keys", name, "retired", bool(retired), key.retired_seq is not None)


def _fingerprint_of(public_hex: str) -> str:
    try:
        return keys.fingerprint(bytes.fromhex(public_hex))
    except (ValueError, TypeError):
        return "(not a key)"


def _compare_settings(db: Database, state: Replay, diff: _Diff) -> None:
    rows = dict(db.execute("SELECT key, value FROM settings").fetchall())
    for key in set(rows) | set(state.settings):
        diff.same(
            "settings", repr(key), "value", rows.get(key, ABSENT), state.settings.get(key, ABSENT)
        )


def _compare_candidates(db: Database, state: Replay, diff: _Diff) -> None:
    rows = {r[1]: r for r in db.execute(
        "SELECT id, screening_number, seq, initials, sex, local_identifiers FROM candidates")}  # fmt: skip
    for number in set(rows) | set(state.candidates):
        row, expected = rows.get(number), state.candidates.get(number)
        if row is None or expected is None:
            diff.same("candidates", number, "row", ABSENT if row is None else "present",
                      ABSENT if expected is None else "present")  # fmt: skip
            continue
        diff.same("candidates", number, "id", row[0], expected["id"])
        diff.same("candidates", number, "seq", row[2], expected["id"])
        diff.same("candidates", number, "initials", row[3], expected.get("initials"))
        diff.same("candidates", number, "sex", row[4], expected.get("sex"))
        try:
            names = sorted(json.loads(row[5]))
        except (ValueError, TypeError):
            names = ["(not JSON)"]
        diff.same("candidates", number, "local identifiers (names)", names,
                  sorted(expected.get("local_identifiers", [])))  # fmt: skip


_SCREENING_SQL = (
    "SELECT s.id, c.screening_number || '/' || s.attempt, s.protocol_id, s.protocol_version, "
    "s.protocol_sha256, s.consent_date, s.screening_date, s.determination, s.failing, s.sign_state, "
    "s.outcome, s.outcome_detail, s.coordinator_id, s.investigator_id, "
    "(SELECT result FROM determinations d WHERE d.screening_id = s.id ORDER BY d.id DESC LIMIT 1), "
    "s.window_over_on, s.awaiting FROM screenings s LEFT JOIN candidates c ON c.id = s.candidate_id"
)


def _acks_by_screening(db: Database) -> dict[int, dict[str, tuple[Any, ...]]]:
    found: dict[int, dict[str, tuple[Any, ...]]] = {}
    for sid, code, user_id, at, offset in db.execute(
        "SELECT screening_id, code, user_id, at_utc, utc_offset FROM warning_acknowledgements"
    ):
        found.setdefault(sid, {})[code] = (user_id, at, offset)
    return found


def _compare_screenings(db: Database, state: Replay, diff: _Diff) -> None:
    """Screening by screening in id order, its answers read beside it from a second cursor in the
    same order (a merge, so that neither table is held in memory whole)."""
    acks = _acks_by_screening(db)
    answers = db.execute(
        "SELECT screening_id, question_id, value FROM answers ORDER BY screening_id, question_id"
    )
    pending = next(answers, None)
    seen = set()
    for row in db.execute(_SCREENING_SQL + " ORDER BY s.id"):
        sid, key = row[0], row[1]
        mine: dict[str, str] = {}
        while (
            pending is not None and pending[0] < sid
        ):  # answers of no screening: refused by the FK
            pending = next(answers, None)
        while pending is not None and pending[0] == sid:
            mine[pending[1]] = pending[2]
            pending = next(answers, None)
        seen.add(key)
        s = state.screenings.get(key)
        if s is None:
            diff.same("screenings", key, "row", "present", ABSENT, key)
            continue
        _compare_screening(row, s, mine, acks.get(sid, {}), diff)
        s.answers = {}  # compared: its memory goes back
    for key in state.screenings.keys() - seen:
        diff.same("screenings", key, "row", ABSENT, "present", key)


def _compare_screening(
    row: tuple[Any, ...], s: ScreeningState, answers: dict[str, str],
    acks: dict[str, tuple[Any, ...]], diff: _Diff,
) -> None:  # fmt: skip
    (_, key, protocol_id, version, sha, consent, screened, determination, failing, sign_state,
     outcome, outcome_detail, coordinator, investigator, snapshot, window_end, awaiting) = row  # fmt: skip
    same = diff.same
    same("screenings", key, "protocol_id", protocol_id, s.protocol.get("protocol"), key)
    same("screenings", key, "protocol_version", version, s.protocol.get("version"), key)
    same("screenings", key, "protocol_sha256", sha, s.protocol.get("sha256"), key)
    for question in sorted(set(answers) | set(s.answers)):
        same("answers", f"{key} {question}", "value", answers.get(question, ABSENT),
             s.answers.get(question, ABSENT), key)  # fmt: skip
    _compare_derived(
        key, s, (consent, screened, determination, failing, snapshot, window_end, awaiting), diff
    )
    same("screenings", key, "sign_state", sign_state, s.sign_state, key)
    same("screenings", key, "outcome", outcome, s.outcome, key)
    try:
        detail = json.loads(outcome_detail)
    except (ValueError, TypeError):
        detail = outcome_detail
    same("screenings", key, "outcome_detail", detail, s.outcome_detail, key)
    same("screenings", key, "coordinator_id", coordinator, s.coordinator_id, key)
    same("screenings", key, "investigator_id", investigator, s.investigator_id, key)
    for code in sorted(set(acks) | set(s.acks)):
        same("warning_acknowledgements", f"{key} {code}", "user, time", acks.get(code, ABSENT),
             s.acks.get(code, ABSENT), key)  # fmt: skip


def _compare_derived(key: str, s: ScreeningState, stored: tuple[Any, ...], diff: _Diff) -> None:
    consent, screened, determination, failing, snapshot, window_end, awaiting = stored
    if not s.answered:
        diff.same("screenings", key, "determination", determination, "draft", key)
        diff.same("screenings", key, "window_over_on", window_end, "", key)
        diff.same("screenings", key, "awaiting", awaiting, "", key)
        diff.same("determinations", key, "latest", "present" if snapshot else ABSENT, ABSENT, key)
        return
    sha = str(s.protocol.get("sha256"))
    if sha not in _protocols():
        diff.other_protocols[sha] = diff.other_protocols.get(sha, 0) + 1
        return
    result, why = expected_determination(sha, s.answers)
    if result is None:
        diff.same("screenings", key, "determination", determination, f"(not computed: {why})", key)
        return
    diff.same("screenings", key, "determination", determination, result.determination, key)
    diff.same("screenings", key, "failing", failing, ",".join(result.failing), key)
    diff.same("screenings", key, "consent_date", consent, _iso(result.consent_date), key)
    diff.same("screenings", key, "screening_date", screened, _iso(result.screening_date), key)
    diff.same(
        "screenings", key, "window_over_on", window_end, _iso(window_over_on(result.criteria)), key
    )
    diff.same("screenings", key, "awaiting", awaiting, awaiting_of(result, s.answers), key)
    computed = result.model_dump_json()
    if snapshot != computed:
        same = snapshot is not None and _normal(snapshot) == _normal(computed)
        if not same:
            diff.found.append(Divergence("determinations", key, "result (latest)",
                                         _summary(snapshot), _summary(computed), key))  # fmt: skip


# A number in a determination's JSON, quoted (the rules write decimals as text) or not.
_NUMBER = re.compile(r'(?<=[:\[,])"?(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)"?(?=[,\]}])')


def _normal(text: str) -> str:
    """A determination's JSON with its numbers written alike: an answer typed 8.0 is stored as the
    canonical JSON 8, and the rules then write a detail as '8' where the snapshot, evaluated from
    the answer as typed, wrote '8.0' (snapshots made before the store computed them itself)."""
    return _NUMBER.sub(lambda m: '"' + str(Decimal(m[1]).normalize()) + '"', text)


def _summary(snapshot: str | None) -> object:
    if snapshot is None:
        return ABSENT
    try:
        document = json.loads(snapshot)
        return {"determination": document.get("determination"), "failing": document.get("failing"),
                "sha256": hashlib.sha256(snapshot.encode()).hexdigest()[:12]}  # fmt: skip
    except (ValueError, AttributeError):
        return snapshot


def _iso(day: object) -> str:
    return "" if day is None else str(day)


def _compare_signatures(db: Database, state: Replay, diff: _Diff) -> None:
    rows = db.execute(
        "SELECT s.id, c.screening_number || '/' || sc.attempt, s.user_id, k.public_key, s.meaning, "
        "s.signed_at, s.utc_offset, s.payload, s.signature, i.user_id, i.reason, i.at_utc "
        "FROM signatures s LEFT JOIN screenings sc ON sc.id = s.screening_id "
        "LEFT JOIN candidates c ON c.id = sc.candidate_id LEFT JOIN user_keys k ON k.id = s.key_id "
        "LEFT JOIN signature_invalidations i ON i.signature_id = s.id ORDER BY s.id"
    ).fetchall()
    orphans = db.execute(
        "SELECT count(*) FROM signature_invalidations WHERE signature_id NOT IN (SELECT id FROM signatures)"
    ).fetchone()[0]
    if orphans:
        diff.same("signature_invalidations", "(without a signature)", "rows", orphans, 0)
    registered = {k.fingerprint: k for k in state.keys}
    from desktop_app.store.signatures import MEANINGS

    by_id = {r[0]: r for r in rows}
    for ident in sorted(set(by_id) | set(range(1, len(state.signatures) + 1))):
        row = by_id.get(ident)
        sig = state.signatures[ident - 1] if 1 <= ident <= len(state.signatures) else None
        name = str(ident)
        if row is None or sig is None:
            screening = sig.screening if sig else (row[1] if row else None)
            diff.same("signatures", name, "row", ABSENT if row is None else "present",
                      ABSENT if sig is None else "present", screening)  # fmt: skip
            continue
        (_, key, user_id, table_key, meaning, signed_at, offset, payload, signature, inv_user,
         inv_reason, inv_at) = row  # fmt: skip
        same = diff.same
        same("signatures", name, "screening", key, sig.screening, sig.screening)
        same("signatures", name, "user_id", user_id, sig.user_id, sig.screening)
        same(
            "signatures",
            name,
            "meaning",
            MEANINGS.get(meaning, meaning),
            sig.meaning,
            sig.screening,
        )
        same(
            "signatures",
            name,
            "signed_at",
            (signed_at, offset),
            (sig.at_utc, sig.utc_offset),
            sig.screening,
        )
        digest = hashlib.sha256(str(payload).encode("utf-8")).hexdigest()
        same("signatures", name, "payload (sha256)", digest, sig.content_sha256, sig.screening)
        # Checked against the key the chain registered, never the key in the table.
        chained = registered.get(sig.key_fingerprint)
        public = chained.public_key if chained and chained.public_key else None
        if (
            public is None
            and chained is not None
            and _fingerprint_of(str(table_key)) == chained.fingerprint
        ):
            public = str(table_key)  # a key registered before events carried it
        verifies = public is not None and _verifies(public, signature, payload)
        same("signatures", name, "signature", "verifies" if verifies else "does not verify",
             "verifies", sig.screening)  # fmt: skip
        stored_inv = (
            None
            if inv_at is None
            else {"user_id": inv_user, "reason": inv_reason, "at_utc": inv_at}
        )
        same(
            "signature_invalidations",
            name,
            "invalidation",
            stored_inv,
            sig.invalidated,
            sig.screening,
        )


def _verifies(public_hex: str, signature_hex: object, payload: object) -> bool:
    try:
        return keys.verify_signature(
            bytes.fromhex(public_hex),
            bytes.fromhex(str(signature_hex)),
            str(payload).encode("utf-8"),
        )
    except ValueError:
        return False


def _compare_trusted(db: Database, state: Replay, diff: _Diff) -> None:
    rows = {r[1]: r for r in db.execute(
        "SELECT id, fingerprint, public_key, username, printed_name, removed_at IS NOT NULL, imported_by, "
        "removed_by, site_code FROM trusted_keys")}  # fmt: skip
    for fingerprint in set(rows) | set(state.trusted):
        row, expected = rows.get(fingerprint), state.trusted.get(fingerprint)
        name = repr(fingerprint)
        if row is None or expected is None:
            diff.same("trusted_keys", name, "row", ABSENT if row is None else "present",
                      ABSENT if expected is None else "present")  # fmt: skip
            continue
        diff.same("trusted_keys", name, "fingerprint", _fingerprint_of(row[2]), fingerprint)
        if "public_key" in expected:
            diff.same("trusted_keys", name, "public_key", row[2], expected["public_key"])
        diff.same("trusted_keys", name, "username", row[3], expected.get("username"))
        diff.same("trusted_keys", name, "printed_name", row[4], expected.get("printed_name"))
        # the site the key is trusted for ('' for keys imported before 0007_trusted_key_sites)
        diff.same("trusted_keys", name, "site_code", row[8], expected.get("site", ""))
        diff.same("trusted_keys", name, "removed", bool(row[5]), expected["removed"])
        diff.same("trusted_keys", name, "imported_by", row[6], expected.get("imported_by"))
        diff.same("trusted_keys", name, "site_code", row[8], expected.get("site") or "")
        diff.same(
            "trusted_keys",
            name,
            "removed_by",
            row[7],
            expected.get("removed_by") if expected["removed"] else None,
        )


def _compare_exports(db: Database, state: Replay, diff: _Diff) -> None:
    rows = db.execute(
        "SELECT id, user_id, file_name, sha256, screenings FROM exports ORDER BY id"
    ).fetchall()
    by_id = {r[0]: r for r in rows}
    for ident in sorted(set(by_id) | set(range(1, len(state.exports) + 1))):
        row = by_id.get(ident)
        expected = state.exports[ident - 1] if 1 <= ident <= len(state.exports) else None
        name = str(ident)
        if row is None or expected is None:
            diff.same("exports", name, "row", ABSENT if row is None else "present",
                      ABSENT if expected is None else "present")  # fmt: skip
            continue
        diff.same("exports", name, "user_id", row[1], expected["user_id"])
        diff.same("exports", name, "file_name", row[2], expected.get("file_name"))
        diff.same("exports", name, "sha256", row[3], expected.get("sha256"))
        diff.same("exports", name, "screenings", row[4], expected.get("screenings"))


def iter_lines(found: Iterable[Divergence]) -> Iterator[str]:
    for divergence in found:
        yield divergence.line()
