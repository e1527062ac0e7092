"""Signed checkpoints: the chain head signed with the acting user's Ed25519 key.

A checkpoint is itself an audit event (action "checkpoint"), appended at every signature, export,
backup, sign-out and idle lock, and after an administrator registers a key. It signs the RFC 8785
canonical JSON of a statement naming the site, the sequence number and hash of the event before it,
the signer, the key's fingerprint and the occasion. Whoever rewrites an event and re-hashes the
chain after it cannot sign the new head: the next checkpoint's signature no longer verifies.

The key: a user's private key is sealed with their password (keys.seal). Signatures and exports ask
for the password and open it then. Sign-out and the idle lock happen without a password, so the key
is opened once at sign-in (accounts.authenticate, with the password just checked) and kept in this
process's memory for the session only: never written anywhere, dropped when the session ends (idle
lock, sign-out, another user signing in), and only for the one user signed in. A password hash
swapped in the table cannot open the sealed key, so such a sign-in is refused.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import rfc8785

from desktop_app.store import chain, keys
from desktop_app.store.database import Store
from desktop_app.store.models import User

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from desktop_app.store.replay import Divergence, Replay

FORMAT = "eligo-checkpoint/1"
OCCASIONS = ("signature", "export", "backup", "sign_out", "idle_lock", "account")


@dataclass(frozen=True)
class _Session:
    user: User
    private: Ed25519PrivateKey
    fingerprint: str


_sessions: weakref.WeakKeyDictionary[Store, _Session] = weakref.WeakKeyDictionary()


def open_session(store: Store, user: User, password: str) -> None:
    """Open the user's sealed key with the password just checked and keep it for the session.
    Raises keys.WrongPasswordError when the key does not open (the store was altered)."""
    from desktop_app.store.accounts import active_key

    key = active_key(store, user.id)
    keep_session(store, user, keys.unseal(key.sealed, password), key.public_key)


def keep_session(store: Store, user: User, private: Ed25519PrivateKey, public_key: bytes) -> None:
    """Keep the user's signing key, opened with the password just checked, for the session."""
    _sessions[store] = _Session(user, private, keys.fingerprint(public_key))


def session_user(store: Store) -> User | None:
    session = _sessions.get(store)
    return session.user if session else None


def session_of(store: Store) -> _Session | None:
    return _sessions.get(store)


def resume(store: Store, session: _Session) -> None:
    _sessions[store] = session


def end_session(store: Store) -> None:
    _sessions.pop(store, None)


def statement(
    site_code: str, seq: int, head: str, username: str, fingerprint: str, occasion: str, at_utc: str
) -> dict[str, Any]:
    """What a checkpoint signs."""
    return {"format": FORMAT, "site": site_code, "seq": seq, "head": head, "signer": username,
            "key_fingerprint": fingerprint, "occasion": occasion, "at_utc": at_utc}  # fmt: skip


def _site_code(store: Store) -> str:
    row = store.db.execute("SELECT code FROM site WHERE id = 1").fetchone()
    return str(row[0]) if row else ""


def append_checkpoint(
    store: Store, user: User, private: Ed25519PrivateKey, fingerprint: str, occasion: str
) -> dict[str, Any]:
    """Inside the caller's transaction: sign the head and append the checkpoint event."""
    seq, head = store.chain_head.read(store.db)
    stamp = store.stamp()
    signed = statement(
        _site_code(store), seq, head, user.username, fingerprint, occasion, stamp.at_utc
    )
    signature = private.sign(rfc8785.dumps(signed)).hex()
    return chain.append(store.db, stamp, head=store.chain_head, user_id=user.id, username=user.username,
                        action="checkpoint", entity="chain", entity_id=seq,
                        new={**signed, "signature": signature})  # fmt: skip


def checkpoint(store: Store, occasion: str, user: User | None = None) -> bool:
    """A checkpoint of its own (a transaction) by the session's user (or `user`, when it is the
    session's): False when nothing could be signed (no session key, a read-only window) or when the
    head is already this user's checkpoint."""
    session = _sessions.get(store)
    if session is None or store.read_only or (user is not None and user.id != session.user.id):
        return False
    active = store.db.execute(
        "SELECT public_key FROM user_keys WHERE user_id = ? AND retired_at IS NULL",
        [session.user.id],
    ).fetchone()
    if active is None or keys.fingerprint(bytes.fromhex(active[0])) != session.fingerprint:
        end_session(store)  # the key was retired (a password reset): it signs nothing more
        return False
    last = store.db.execute(
        "SELECT action, username FROM audit ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    if last is None or (last[0] == "checkpoint" and last[1] == session.user.username):
        return False
    with store.transaction("The checkpoint"):
        append_checkpoint(store, session.user, session.private, session.fingerprint, occasion)
    return True


# ---------------------------------------------------------------- verification


def verify(
    state: Replay, table_keys: dict[str, str], hashes: dict[int, str] | None = None
) -> list[Divergence]:
    """Every checkpoint of the replayed chain: it names the event before it and its hash, and its
    signature verifies under the signer's key as the chain registered it (for keys registered
    before events carried the public key, the table's key whose fingerprint, recomputed, matches).
    A failing checkpoint names the events it should cover since the last good one and every
    screening with events among them. Signatures and exports must each be followed by a
    checkpoint of their user."""
    from desktop_app.store.replay import Divergence, touches

    found: list[Divergence] = []
    good = 0
    for point in state.checkpoints:
        problem = _problem(state, point, table_keys)
        if problem is None:
            good = point.seq
            continue
        first, last = good + 1, point.seq - 1
        span = f"events {first}..{last}"
        found.append(Divergence("audit", span, f"checkpoint (event {point.seq}, {point.username})",
                                problem, "a signed head that verifies"))  # fmt: skip
        for affected, runs in state.seq_of_screening_events.items():
            if touches(runs, first, last):
                found.append(Divergence("audit", span, f"checkpoint (event {point.seq})",
                                        "not covered by a valid checkpoint", "covered", affected))  # fmt: skip
    for seq, username in state.unanchored:
        screening = next(
            (k for k, runs in state.seq_of_screening_events.items() if touches(runs, seq, seq)),
            None,
        )
        found.append(Divergence("audit", f"event {seq}", "checkpoint", ABSENT_CHECKPOINT,
                                f"a checkpoint signed by {username} after it", screening))  # fmt: skip
    return found


ABSENT_CHECKPOINT = "none after it (events after it were dropped or rewritten)"


def _problem(state: Replay, point: Any, table_keys: dict[str, str]) -> str | None:
    signed = {k: v for k, v in point.statement.items() if k != "signature"}
    if signed.get("format") != FORMAT:
        return f"not a checkpoint statement ({signed.get('format')!r})"
    if signed.get("seq") != point.seq - 1 or signed.get("head") != point.prev_hash:
        return (
            f"it signs event {signed.get('seq')} with head {str(signed.get('head'))[:16]}, but the "
            f"event before it is {point.seq - 1} with head {point.prev_hash[:16]}"
        )
    if signed.get("signer") != point.username:
        return f"signed as {signed.get('signer')!r} in an event of {point.username!r}"
    user = state.users.get(point.username)
    key = next(
        (k for k in (user.keys if user else []) if k.fingerprint == signed.get("key_fingerprint")),
        None,
    )
    if key is None or key.registered_seq > point.seq:
        return f"the key {signed.get('key_fingerprint')} is not registered to {point.username} in the chain"
    if key.retired_seq is not None and key.retired_seq < point.seq:
        return f"the key {key.fingerprint} was retired at event {key.retired_seq}"
    public = key.public_key
    if public is None:
        candidate = table_keys.get(key.fingerprint)
        public = candidate if candidate else None
    if public is None:
        return f"the public key of {key.fingerprint} is not known"
    try:
        ok = keys.verify_signature(
            bytes.fromhex(public), bytes.fromhex(str(point.statement.get("signature"))),
            rfc8785.dumps(signed),
        )  # fmt: skip
    except ValueError:
        ok = False
    return None if ok else "the signature does not verify over the head it names"
