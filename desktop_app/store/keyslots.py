"""Key slots: the store's random 256-bit data key, wrapped once per active user and once for the
recovery key, in the sidecar file eligo.keys beside the database.

Each slot holds an X25519 key pair whose private half is sealed with AES-256-GCM under a key
derived from the owner's secret (argon2id, the password parameters of store.keys); the data key is
wrapped to the slot's public key (X25519 + HKDF-SHA256 + AES-256-GCM). Wrapping to public keys is
what lets an administrator re-key without anyone's password: every slot gets the new data key, and
a copy of the old data key or of an old sidecar opens nothing written after it.

The sidecar holds nothing else secret: slot labels are salted hashes of usernames, the site's
code and name (shown before sign-in), and the sign-in attempts. Everything but the attempts is
authenticated with an HMAC keyed by the data key; see README "Encryption at rest" for what the
lockout record protects against and what it cannot.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any, Literal

from desktop_app.store.errors import StoreError
from desktop_app.store.location import KEYS_LOCK_NAME, KEYS_NAME

# hashlib, hmac, secrets and base64 (and OpenSSL's library with them) are imported where they are
# used, like argon2 and cryptography: the sign-in window reads this file (the site's name, whether
# there is a way in) before its first paint, and needs none of them for that.

FORMAT = 1
MAX_FAILED = 5
LOCKOUT = timedelta(minutes=15)
WRONG = "Wrong username or password."
"""The one sentence for an unknown username and a wrong password alike."""

SlotKind = Literal["password", "legacy", "recovery"]
RECOVERY_LABEL = "recovery"


class WrongSecretError(StoreError):
    """No slot opens with this username and password (or recovery key)."""


class LockedOutError(StoreError):
    """Too many failed sign-ins for this username: refused until the lock ends."""


class DeactivatedError(StoreError):
    """The password is right but the account's slot holds no data key (deactivated)."""


class SidecarMissingError(StoreError):
    """The store is encrypted but its key file is missing or unreadable."""


# ---------------------------------------------------------------- primitives


def new_data_key() -> bytes:
    import secrets

    return secrets.token_bytes(32)


def raw_key_pragma(key: bytes) -> str:
    """SQLCipher raw-key mode: the key is used as is, no second KDF runs at open."""
    return f"PRAGMA key = \"x'{key.hex()}'\""


def _hkdf(secret: bytes, info: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=info).derive(secret)


def _argon2(secret: str, params: dict[str, Any]) -> bytes:
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(
        secret=secret.encode("utf-8"),
        salt=bytes.fromhex(params["salt"]),
        time_cost=int(params["t"]),
        memory_cost=int(params["m"]),
        parallelism=int(params["p"]),
        hash_len=int(params.get("len", 32)),
        type=Type.ID,
    )


def _kek(kind: SlotKind, secret: str, params: dict[str, Any]) -> bytes:
    """The key that seals a slot's private key, from the owner's password or recovery key."""
    raw = _argon2(secret, params)
    # A legacy slot (made when a plaintext store was converted) is keyed by the account's stored
    # password hash; HKDF keeps that hash and this key apart.
    return _hkdf(raw, b"eligo legacy slot") if kind == "legacy" else raw


def _new_kdf() -> dict[str, Any]:
    from desktop_app.store import keys

    return {"alg": "argon2id", "m": keys.ARGON2_MEMORY_KIB, "t": keys.ARGON2_TIME_COST,
            "p": keys.ARGON2_PARALLELISM, "salt": os.urandom(16).hex()}  # fmt: skip


def label_of(salt: str, username: str) -> str:
    import hashlib

    return hashlib.sha256(bytes.fromhex(salt) + username.strip().lower().encode()).hexdigest()[:32]


@dataclass
class Slot:
    kind: SlotKind
    label: str
    kdf: dict[str, Any]
    public: bytes  # X25519
    sealed: bytes  # nonce + AES-GCM(KEK, private key; associated data: public)
    wrapped: bytes | None  # ephemeral public + nonce + AES-GCM(data key); None while deactivated

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "label": self.label, "kdf": self.kdf, "public": self.public.hex(),
                "sealed": self.sealed.hex(), "wrapped": self.wrapped.hex() if self.wrapped else None}  # fmt: skip

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Slot:
        wrapped = data.get("wrapped")
        return cls(data["kind"], data["label"], dict(data["kdf"]), bytes.fromhex(data["public"]),
                   bytes.fromhex(data["sealed"]), bytes.fromhex(wrapped) if wrapped else None)  # fmt: skip


def _new_slot(kind: SlotKind, label: str, secret: str, kdf: dict[str, Any] | None = None) -> tuple[Slot, bytes]:  # fmt: skip
    """A slot with a fresh key pair sealed under `secret`; (slot without data key, private raw)."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    kdf = kdf or _new_kdf()
    private = X25519PrivateKey.generate()
    raw = private.private_bytes_raw()
    public = private.public_key().public_bytes_raw()
    nonce = os.urandom(12)
    sealed = nonce + AESGCM(_kek(kind, secret, kdf)).encrypt(nonce, raw, public)
    return Slot(kind, label, kdf, public, sealed, None), raw


def _wrap(public: bytes, data_key: bytes, key_id: str) -> bytes:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    ephemeral = X25519PrivateKey.generate()
    shared = ephemeral.exchange(X25519PublicKey.from_public_bytes(public))
    eph_public = ephemeral.public_key().public_bytes_raw()
    nonce = os.urandom(12)
    kek = _hkdf(shared + eph_public + public, b"eligo data key")
    return eph_public + nonce + AESGCM(kek).encrypt(nonce, data_key, key_id.encode())


def _unwrap(private_raw: bytes, public: bytes, wrapped: bytes, key_id: str) -> bytes:
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    eph_public, nonce, body = wrapped[:32], wrapped[32:44], wrapped[44:]
    private = X25519PrivateKey.from_private_bytes(private_raw)
    shared = private.exchange(X25519PublicKey.from_public_bytes(eph_public))
    kek = _hkdf(shared + eph_public + public, b"eligo data key")
    return AESGCM(kek).decrypt(nonce, body, key_id.encode())


def _open_slot(slot: Slot, secret: str) -> bytes | None:
    """The slot's private key, or None when `secret` is not its owner's."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    try:
        kek = _kek(slot.kind, secret, slot.kdf)
        return AESGCM(kek).decrypt(slot.sealed[:12], slot.sealed[12:], slot.public)
    except (InvalidTag, ValueError):
        return None


# ---------------------------------------------------------------- recovery code

_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32: no I, L, O, U
RECOVERY_GROUPS = 7


def new_recovery_code() -> str:
    """128 random bits and a 12-bit check, as 7 groups of 4 characters (read aloud, typed back)."""
    import hashlib
    import secrets

    body = secrets.token_bytes(16)
    check = hashlib.sha256(body).digest()[:2]
    number = int.from_bytes(body + check, "big") >> 4  # 144 bits -> 140 bits (12 of check)
    chars = "".join(_ALPHABET[(number >> (5 * i)) & 31] for i in reversed(range(28)))
    return "-".join(chars[i : i + 4] for i in range(0, 28, 4))


def normalise_recovery_code(text: str) -> str | None:
    """The code in canonical form, or None when it is mistyped (wrong length or check)."""
    import hashlib

    cleaned = text.upper().replace("-", "").replace(" ", "").strip()
    cleaned = cleaned.replace("O", "0").replace("I", "1").replace("L", "1")
    if len(cleaned) != 28 or any(c not in _ALPHABET for c in cleaned):
        return None
    number = 0
    for c in cleaned:
        number = (number << 5) | _ALPHABET.index(c)
    raw = (number << 4).to_bytes(18, "big")
    body, check = raw[:16], raw[16:]
    digest = hashlib.sha256(body).digest()
    if digest[0] != check[0] or digest[1] & 0xF0 != check[1]:
        return None
    return "-".join(cleaned[i : i + 4] for i in range(0, 28, 4))


# ---------------------------------------------------------------- the sidecar file


@dataclass
class Sidecar:
    key_id: str
    label_salt: str
    site: dict[str, Any] | None = None
    slots: list[Slot] = field(default_factory=list)
    settled_serial: int = 0
    pending: dict[str, Any] | None = None  # a re-key in progress: new key_id and wrapped keys
    mac: str = ""
    attempts: dict[str, Any] = field(default_factory=lambda: {"serial": 0, "failed": {}, "locked": {}})  # fmt: skip

    def authenticated(self) -> bytes:
        body = {"format": FORMAT, "key_id": self.key_id, "label_salt": self.label_salt,
                "site": self.site, "slots": [s.to_json() for s in self.slots],
                "settled_serial": self.settled_serial, "pending": self.pending}  # fmt: skip
        return json.dumps(body, sort_keys=True, separators=(",", ":")).encode()

    def seal(self, data_key: bytes) -> None:
        import hmac

        self.mac = hmac.new(_hkdf(data_key, b"eligo keyslots mac"), self.authenticated(), "sha256").hexdigest()  # fmt: skip

    def mac_ok(self, data_key: bytes) -> bool:
        import hmac

        expected = hmac.new(_hkdf(data_key, b"eligo keyslots mac"), self.authenticated(), "sha256").hexdigest()  # fmt: skip
        return hmac.compare_digest(expected, self.mac)

    def to_bytes(self) -> bytes:
        data = json.loads(self.authenticated())
        data["mac"] = self.mac
        data["attempts"] = self.attempts
        return json.dumps(data, indent=1, sort_keys=True).encode()

    @classmethod
    def from_bytes(cls, raw: bytes) -> Sidecar:
        data = json.loads(raw)
        if data.get("format") != FORMAT:
            raise ValueError(f"unknown key file format {data.get('format')!r}")
        attempts = data.get("attempts") or {}
        return cls(
            key_id=data["key_id"], label_salt=data["label_salt"], site=data.get("site"),
            slots=[Slot.from_json(s) for s in data["slots"]],
            settled_serial=int(data.get("settled_serial", 0)), pending=data.get("pending"),
            mac=data.get("mac", ""),
            attempts={"serial": int(attempts.get("serial", 0)), "failed": dict(attempts.get("failed", {})),
                      "locked": dict(attempts.get("locked", {})),
                      "unsettled": dict(attempts.get("unsettled", {})),
                      **({"reset_from": int(attempts["reset_from"])} if attempts.get("reset_from") is not None else {})},
        )  # fmt: skip

    def label(self, username: str) -> str:
        return label_of(self.label_salt, username)


def sidecar_path(data_dir: Path) -> Path:
    return data_dir / KEYS_NAME


def read(data_dir: Path, *, with_attempts: bool = True) -> Sidecar:
    """The key file, with this computer's copy of the sign-in attempts where that is ahead
    (`with_attempts`; without, the key file alone: enough for its site and its slots)."""
    path = sidecar_path(data_dir)
    try:
        sidecar = Sidecar.from_bytes(path.read_bytes())
    except FileNotFoundError:
        raise SidecarMissingError(f"The key file {path} is missing: the store cannot be opened without it. Restore it from a backup (it is saved beside each one).") from None  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SidecarMissingError(f"The key file {path} cannot be read ({exc}).") from None
    if not with_attempts:
        return sidecar
    mirrored = _mirror_read(data_dir, sidecar.label_salt)
    if mirrored is not None and mirrored["serial"] > sidecar.attempts["serial"]:
        # Kept in the key file until the next sign-in has put it in the audit trail (settle).
        sidecar.attempts = {**mirrored, "reset_from": sidecar.attempts["serial"]}
    return sidecar


# ---------------------------------------------------------------- this computer's copy of the attempts
#
# Failed sign-ins are counted before any key is known, so the key file cannot authenticate them.
# Every change of the attempts is also written to a copy outside the data folder, in the computer
# user's own state folder: the key file's attempts reset or rolled back by editing it (to escape
# a lockout, or to hide guesses) are then seen at the next sign-in on this computer, the lockout
# holds, and the guesses still go into the audit trail. Someone who edits both files, or copies
# the data folder elsewhere, is not stopped by this (README, "Encryption at rest").


def mirror_path(data_dir: Path) -> Path:
    import hashlib

    from desktop_app.store.location import state_dir

    digest = hashlib.sha256(str(data_dir.absolute()).encode("utf-8")).hexdigest()[:32]
    return state_dir() / "attempts" / f"{digest}.json"


def _mirror_read(data_dir: Path, store: str) -> dict[str, Any] | None:
    """This computer's copy of the attempts of this store (its random label salt names it: a new
    store made in the same folder starts afresh), or None (none yet, another computer user,
    unreadable)."""
    try:
        data = json.loads(mirror_path(data_dir).read_bytes())
        if data.get("store") != store:
            return None
        return {"serial": int(data["serial"]), "failed": {str(k): int(v) for k, v in data["failed"].items()},
                "locked": {str(k): str(v) for k, v in data["locked"].items()},
                "unsettled": {str(k): int(v) for k, v in data.get("unsettled", {}).items()}}  # fmt: skip
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None


def _mirror_write(data_dir: Path, store: str, attempts: dict[str, Any]) -> None:
    """Best effort: a profile that cannot be written leaves the key file's count alone in charge."""
    from desktop_app.store.location import make_private_dir

    path = mirror_path(data_dir)
    try:
        make_private_dir(path.parent)
        write_private(
            path, json.dumps({**attempts, "store": store}, sort_keys=True).encode("utf-8")
        )
    except OSError:
        pass


def forget_mirror(data_dir: Path) -> None:
    """A restore puts back the key file of the backup's time, attempts included: the copy follows."""
    with suppress(OSError):
        mirror_path(data_dir).unlink(missing_ok=True)


def write_private(path: Path, data: bytes) -> None:
    """Write a file readable by its owner only (0600), whole or not at all, and durably."""
    partial = path.with_name(f".{path.name}.partial")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.write(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)
    os.replace(partial, path)
    fsync_dir(path.parent)


def fsync_dir(folder: Path) -> None:
    if sys.platform == "win32":  # pragma: no cover - directories cannot be opened there
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def save(data_dir: Path, sidecar: Sidecar) -> None:
    write_private(sidecar_path(data_dir), sidecar.to_bytes())
    _mirror_write(data_dir, sidecar.label_salt,
                  {k: v for k, v in sidecar.attempts.items() if k != "reset_from"})  # fmt: skip


@contextmanager
def locked(data_dir: Path) -> Iterator[None]:
    """Read-modify-write of the sidecar one process at a time (the writer and read-only windows)."""
    path = data_dir / KEYS_LOCK_NAME
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    handle: IO[bytes] = os.fdopen(fd, "r+b")
    try:
        _lock(handle)
        yield
    finally:
        _unlock(handle)
        handle.close()


if sys.platform == "win32":  # pragma: no cover - exercised by the Windows release workflow
    import msvcrt

    def _lock(handle: IO[bytes]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_LOCK, 1)

    def _unlock(handle: IO[bytes]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)

    def _unlock(handle: IO[bytes]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def create(data_dir: Path, data_key: bytes, site: dict[str, Any] | None = None) -> Sidecar:
    import secrets

    sidecar = Sidecar(key_id=secrets.token_hex(8), label_salt=secrets.token_hex(16), site=site)
    sidecar.seal(data_key)
    save(data_dir, sidecar)
    return sidecar


def site_label(data_dir: Path) -> dict[str, Any] | None:
    """The site's code, name and DEMO flag for the sign-in window (not secret, not authenticated
    until the store is open), or None."""
    try:
        return read(data_dir, with_attempts=False).site
    except StoreError:
        return None


# ---------------------------------------------------------------- sign-in


@dataclass(frozen=True)
class Unlocked:
    key: bytes
    key_id: str
    label: str
    kind: SlotKind
    private: bytes  # the slot's private key: a legacy slot is re-made with it after sign-in


def _locked_until(sidecar: Sidecar, label: str, now: datetime) -> datetime | None:
    until = sidecar.attempts["locked"].get(label)
    if until and datetime.fromisoformat(until) > now:
        return datetime.fromisoformat(until)
    return None


def _record_failure(data_dir: Path, label: str, now: datetime) -> bool:
    """Count a failed attempt in the sidecar; True when it locks the label out."""
    sidecar = read(data_dir)
    attempts = sidecar.attempts
    attempts["serial"] += 1
    failed = int(attempts["failed"].get(label, 0)) + 1
    lock = failed >= MAX_FAILED
    attempts["failed"][label] = 0 if lock else failed
    unsettled = attempts.setdefault("unsettled", {})
    unsettled[label] = int(unsettled.get(label, 0)) + 1
    attempts["locked"] = {
        k: v for k, v in attempts["locked"].items() if datetime.fromisoformat(v) > now
    }
    if lock:
        attempts["locked"][label] = (now + LOCKOUT).isoformat()
    save(data_dir, sidecar)
    return lock


def unlock(data_dir: Path, username: str, secret: str, now: datetime, *, recovery: bool = False) -> Unlocked:  # fmt: skip
    """The data key from the slot of `username` (or the recovery slot), or WrongSecretError /
    LockedOutError / DeactivatedError. A failure is recorded in the sidecar before it is raised."""
    with locked(data_dir):
        sidecar = read(data_dir)
        label = RECOVERY_LABEL if recovery else sidecar.label(username)
        until = _locked_until(sidecar, label, now)
        if until is not None:
            local = until.astimezone(now.tzinfo).strftime("%H:%M")
            raise LockedOutError(f"Too many failed attempts: this account is locked until {local}.")
        if recovery:
            code = normalise_recovery_code(secret)
            secret = code or secret
        candidates = [s for s in sidecar.slots if s.label == label]
        opened: tuple[Slot, bytes] | None = None
        for slot in candidates:
            private = _open_slot(slot, secret)
            if private is not None:
                opened = (slot, private)
                break
        if not candidates:
            _argon2(
                secret, _new_kdf()
            )  # the same time for an unknown username as for a wrong password
        if opened is None:
            lock = _record_failure(data_dir, label, now)
            if lock:
                raise LockedOutError(f"Too many failed attempts: this account is locked for {LOCKOUT.seconds // 60} minutes.")  # fmt: skip
            raise WrongSecretError("Wrong recovery key." if recovery else WRONG)
        slot, private = opened
        if slot.wrapped is None:
            raise DeactivatedError("This account is deactivated. Ask an administrator.")
        key = _unwrap(private, slot.public, slot.wrapped, sidecar.key_id)
        if sidecar.attempts["failed"].get(label):
            sidecar.attempts["failed"].pop(label)
            save(data_dir, sidecar)
        return Unlocked(key, sidecar.key_id, label, slot.kind, private)


def pending_key(data_dir: Path, unlocked: Unlocked) -> bytes | None:
    """During an interrupted re-key: the new data key from the same slot, or None."""
    sidecar = read(data_dir)
    if not sidecar.pending:
        return None
    for index, slot in enumerate(sidecar.slots):
        wrapped = sidecar.pending["wrapped"].get(str(index))
        if slot.label == unlocked.label and wrapped:
            try:
                return _unwrap(unlocked.private, slot.public, bytes.fromhex(wrapped), sidecar.pending["key_id"])  # fmt: skip
            except Exception:
                continue
    return None


def finish_rekey(data_dir: Path, new_key: bytes | None, opened_with: bytes) -> None:
    """After an interrupted re-key: keep whichever key opened the database (see Keyring.rekey)."""
    with locked(data_dir):
        sidecar = read(data_dir)
        if not sidecar.pending:
            return
        if new_key is not None and opened_with == new_key:
            _promote(sidecar)
        sidecar.pending = None
        sidecar.seal(opened_with)
        save(data_dir, sidecar)


def _promote(sidecar: Sidecar) -> None:
    assert sidecar.pending is not None
    for index, slot in enumerate(sidecar.slots):
        wrapped = sidecar.pending["wrapped"].get(str(index))
        slot.wrapped = bytes.fromhex(wrapped) if wrapped else None
    sidecar.key_id = sidecar.pending["key_id"]


# ---------------------------------------------------------------- changes (store open, key known)


class Keyring:
    """The open store's data key and its sidecar: slots change with the accounts they belong to."""

    def __init__(self, data_dir: Path, key: bytes) -> None:
        self.data_dir = data_dir
        self.key = key

    def _change(self) -> _Change:
        return _Change(self)

    def set_site(self, site: dict[str, Any]) -> None:
        with self._change() as sidecar:
            sidecar.site = site

    def add_password_slot(self, username: str, password: str) -> None:
        """A new slot for `username` (created, password changed or reset); the user's other slots
        stay until remove_other_slots (so that a crash between the two files loses no way in)."""
        with self._change() as sidecar:
            slot, _ = _new_slot("password", sidecar.label(username), password)
            slot.wrapped = _wrap(slot.public, self.key, sidecar.key_id)
            sidecar.slots.append(slot)

    def keep_only_slot(self, username: str, password: str) -> None:
        """Remove the user's slots that `password` does not open (after a password change)."""
        with self._change() as sidecar:
            label = sidecar.label(username)
            sidecar.slots = [s for s in sidecar.slots if s.label != label or _open_slot(s, password) is not None]  # fmt: skip

    def replace_slots(self, username: str, password: str) -> None:
        """An administrator's reset: the user's slots become one slot for the new password."""
        with self._change() as sidecar:
            label = sidecar.label(username)
            sidecar.slots = [s for s in sidecar.slots if s.label != label]
            slot, _ = _new_slot("password", label, password)
            slot.wrapped = _wrap(slot.public, self.key, sidecar.key_id)
            sidecar.slots.append(slot)

    def remove_legacy(self, username: str, password: str) -> None:
        """The first sign-in after an upgrade: the slot keyed by the stored password hash becomes a
        slot of its own salt and key pair."""
        with self._change() as sidecar:
            label = sidecar.label(username)
            if not any(s.label == label and s.kind == "legacy" for s in sidecar.slots):
                return
            sidecar.slots = [s for s in sidecar.slots if not (s.label == label and s.kind == "legacy")]  # fmt: skip
            slot, _ = _new_slot("password", label, password)
            slot.wrapped = _wrap(slot.public, self.key, sidecar.key_id)
            sidecar.slots.append(slot)

    def deactivate(self, username: str) -> None:
        """The data key leaves the user's slots; the sealed key pair stays for a reactivation."""
        with self._change() as sidecar:
            for slot in sidecar.slots:
                if slot.label == sidecar.label(username):
                    slot.wrapped = None

    def reactivate(self, username: str) -> int:
        """The data key is wrapped to the user's key pair again; how many slots now open."""
        with self._change() as sidecar:
            count = 0
            for slot in sidecar.slots:
                if slot.label == sidecar.label(username):  # a legacy slot too: it is a key pair
                    slot.wrapped = _wrap(slot.public, self.key, sidecar.key_id)
                    count += 1
            return count

    def opens_for(self, username: str) -> bool:
        """Whether the user has a slot that holds the data key (an account deactivated before the
        store was encrypted has none: it needs a new password to get one)."""
        sidecar = read(self.data_dir)
        label = sidecar.label(username)
        return any(s.label == label and s.wrapped for s in sidecar.slots)

    def drop_slot(self, username: str, password: str) -> None:
        """Remove the user's slots that `password` opens (an account change that was not saved)."""
        with self._change() as sidecar:
            label = sidecar.label(username)
            sidecar.slots = [s for s in sidecar.slots if s.label != label or _open_slot(s, password) is None]  # fmt: skip

    def drop_unlisted(self, accounts: tuple[list[str], list[str]]) -> None:
        """Make the slots agree with the accounts (active, deactivated): slots of no account are
        dropped (a crash after a slot was added for an account that was then not saved) and
        deactivated accounts' slots hold no data key (a crash right after a deactivation)."""
        active, inactive = accounts
        with self._change() as sidecar:
            keep = {sidecar.label(u) for u in active} | {RECOVERY_LABEL}
            closed = {sidecar.label(u) for u in inactive}
            sidecar.slots = [s for s in sidecar.slots if s.label in keep or s.label in closed]
            for slot in sidecar.slots:
                if slot.label in closed:
                    slot.wrapped = None

    def new_recovery_key(self) -> str:
        """A new recovery key (shown once); the previous one stops opening anything."""
        code = new_recovery_code()
        with self._change() as sidecar:
            sidecar.slots = [s for s in sidecar.slots if s.label != RECOVERY_LABEL]
            slot, _ = _new_slot("recovery", RECOVERY_LABEL, code)
            slot.wrapped = _wrap(slot.public, self.key, sidecar.key_id)
            sidecar.slots.append(slot)
        return code

    def has_recovery_key(self) -> bool:
        return any(s.label == RECOVERY_LABEL for s in read(self.data_dir).slots)

    def prepare_rekey(self, new_key: bytes, drop_legacy: bool = True) -> int:
        """Step 1 of a re-key: every active slot also gets the new key, kept as pending (a crash
        before the database is re-keyed keeps the old key; after, the new one). Legacy slots are
        keyed by a stored password hash, which the old key reveals: they are dropped. Returns how
        many slots were dropped."""
        import secrets

        with self._change() as sidecar:
            before = len(sidecar.slots)
            if drop_legacy:
                sidecar.slots = [s for s in sidecar.slots if s.kind != "legacy"]
            new_id = secrets.token_hex(8)
            wrapped = {str(i): _wrap(s.public, new_key, new_id).hex()
                       for i, s in enumerate(sidecar.slots) if s.wrapped is not None}  # fmt: skip
            sidecar.pending = {"key_id": new_id, "wrapped": wrapped}
            return before - len(sidecar.slots)

    def finish_rekey(self, new_key: bytes) -> None:
        """Step 3: the database is re-keyed; the new key becomes the key."""
        with locked(self.data_dir):
            sidecar = read(self.data_dir)
            _promote(sidecar)
            sidecar.pending = None
            sidecar.seal(new_key)
            save(self.data_dir, sidecar)
        self.key = new_key

    def problem(self, db_settled_serial: int | None) -> str | None:
        """Why the sidecar is not as this store left it, or None: a bad MAC (slots, site or
        settled attempts edited), or attempts rolled back behind what the database has seen."""
        sidecar = read(self.data_dir)
        if not sidecar.mac_ok(self.key):
            return "the key file was changed outside Eligo (its authentication code does not match)"
        if sidecar.attempts["serial"] < sidecar.settled_serial or (
            db_settled_serial is not None and sidecar.settled_serial < db_settled_serial
        ):
            return "the key file's record of sign-in attempts was rolled back"
        if sidecar.attempts.get("reset_from") is not None:
            return (
                "the key file's record of sign-in attempts was reset outside Eligo (this computer "
                f"counted {sidecar.attempts['serial']} attempts, the key file "
                f"{sidecar.attempts['reset_from']})"
            )
        return None

    def unsettled(self) -> tuple[int, dict[str, int], dict[str, str]]:
        """(serial, failures by label since the last settle, locks by label) for the audit trail."""
        sidecar = read(self.data_dir)
        return sidecar.attempts["serial"], dict(sidecar.attempts.get("unsettled", {})), dict(sidecar.attempts["locked"])  # fmt: skip

    def settle(self, serial: int) -> None:
        """The attempts up to `serial` are in the audit trail now."""
        with self._change() as sidecar:
            sidecar.settled_serial = max(sidecar.settled_serial, serial)
            sidecar.attempts["unsettled"] = {}
            sidecar.attempts.pop("reset_from", None)  # in the audit trail now (key_file_changed)

    def label(self, username: str) -> str:
        return read(self.data_dir).label(username)


class _Change:
    """Read, change and write the sidecar under its lock, authenticated with the data key."""

    def __init__(self, ring: Keyring) -> None:
        self.ring = ring
        self._lock = locked(ring.data_dir)

    def __enter__(self) -> Sidecar:
        self._lock.__enter__()
        self.sidecar = read(self.ring.data_dir)
        return self.sidecar

    def __exit__(self, kind: object, value: object, tb: object) -> None:
        try:
            if kind is None:
                self.sidecar.seal(self.ring.key)
                save(self.ring.data_dir, self.sidecar)
        finally:
            self._lock.__exit__(None, None, None)


# ---------------------------------------------------------------- upgrade from plaintext


def legacy_slot(label: str, password_hash: str, data_key: bytes, key_id: str) -> Slot | None:
    """A slot opened by the password whose argon2id hash the plaintext store held: the same
    argon2id over the password gives the hash's raw output, which keys this slot. None when the
    hash is not argon2id."""
    import base64

    parts = password_hash.split("$")
    if len(parts) != 6 or parts[1] != "argon2id":
        return None
    params = dict(p.split("=") for p in parts[3].split(","))
    salt = base64.b64decode(parts[4] + "=" * (-len(parts[4]) % 4))
    raw = base64.b64decode(parts[5] + "=" * (-len(parts[5]) % 4))
    kdf = {"alg": "argon2id", "m": int(params["m"]), "t": int(params["t"]), "p": int(params["p"]),
           "salt": salt.hex(), "len": len(raw)}  # fmt: skip
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    private = X25519PrivateKey.generate()
    public = private.public_key().public_bytes_raw()
    nonce = os.urandom(12)
    kek = _hkdf(raw, b"eligo legacy slot")
    sealed = nonce + AESGCM(kek).encrypt(nonce, private.private_bytes_raw(), public)
    return Slot("legacy", label, kdf, public, sealed, _wrap(public, data_key, key_id))
