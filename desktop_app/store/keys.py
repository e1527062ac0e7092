"""Passwords and signing keys: argon2id hashes, Ed25519 key pairs encrypted at rest with AES-GCM."""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from argon2 import PasswordHasher
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

# argon2 and cryptography are imported on first use, not when the store is opened: the window
# shows sooner, and the first password check pays the few tens of milliseconds instead.

# OWASP Password Storage Cheat Sheet: argon2id, 19 MiB, 2 iterations, 1 lane.
ARGON2_MEMORY_KIB = 19_456
ARGON2_TIME_COST = 2
ARGON2_PARALLELISM = 1
MIN_PASSWORD_LENGTH = 10


@cache
def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher

    return PasswordHasher(
        time_cost=ARGON2_TIME_COST, memory_cost=ARGON2_MEMORY_KIB, parallelism=ARGON2_PARALLELISM
    )


def load_cryptography() -> None:
    """Import argon2 and cryptography now (the sign-in window calls it while the password is
    typed), so that the first password check does not wait for the imports."""
    _hasher()
    from cryptography.hazmat.primitives.asymmetric import ed25519  # noqa: F401
    from cryptography.hazmat.primitives.ciphers import aead  # noqa: F401


def password_problem(username: str, password: str) -> str | None:
    """Why a new password is not acceptable, or None."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"must be at least {MIN_PASSWORD_LENGTH} characters"
    if password.strip().lower() == username.strip().lower():
        return "must not be the username"
    return None


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def password_matches(stored_hash: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def fingerprint(public_key: bytes) -> str:
    """A short fingerprint to compare by eye: the first 16 hex digits of sha256, in groups of 4."""
    digest = hashlib.sha256(public_key).hexdigest()[:16].upper()
    return " ".join(digest[i : i + 4] for i in range(0, 16, 4))


@dataclass(frozen=True)
class SealedKey:
    """An Ed25519 private key encrypted under a key derived from the owner's password."""

    public_key: bytes
    ciphertext: bytes  # 12-byte nonce followed by the AES-GCM ciphertext and tag
    kdf: str  # JSON: algorithm, parameters and salt, so that old keys stay openable


def _deriver(params: dict[str, object]) -> Callable[[str], bytes]:
    """argon2id with these parameters, as a function of the password that imports nothing (see
    derivation)."""
    from argon2.low_level import Type, hash_secret_raw

    salt = bytes.fromhex(str(params["salt"]))
    time_cost, memory_cost = int(str(params["t"])), int(str(params["m"]))
    parallelism = int(str(params["p"]))

    def derive(password: str) -> bytes:
        return hash_secret_raw(
            secret=password.encode("utf-8"), salt=salt, time_cost=time_cost,
            memory_cost=memory_cost, parallelism=parallelism, hash_len=32, type=Type.ID,
        )  # fmt: skip

    return derive


def seal(private_key: Ed25519PrivateKey, password: str) -> SealedKey:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM
    from cryptography.hazmat.primitives.serialization import (
        Encoding,
        NoEncryption,
        PrivateFormat,
        PublicFormat,
    )

    params: dict[str, object] = {"alg": "argon2id+aes-256-gcm", "m": ARGON2_MEMORY_KIB, "t": ARGON2_TIME_COST,
                                 "p": ARGON2_PARALLELISM, "salt": os.urandom(16).hex()}  # fmt: skip
    raw = private_key.private_bytes(Encoding.Raw, PrivateFormat.Raw, NoEncryption())
    public = private_key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    nonce = os.urandom(12)
    # The public key is bound in as associated data: a sealed key cannot be moved to another user.
    ciphertext = AESGCM(_deriver(params)(password)).encrypt(nonce, raw, public)
    return SealedKey(public, nonce + ciphertext, json.dumps(params, sort_keys=True))


def new_sealed_key(password: str) -> SealedKey:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    return seal(Ed25519PrivateKey.generate(), password)


class WrongPasswordError(Exception):
    """The password does not open the private key."""


def unseal(sealed: SealedKey, password: str) -> Ed25519PrivateKey:
    return open_sealed(sealed, derivation(sealed)(password))


def derivation(sealed: SealedKey) -> Callable[[str], bytes]:
    """The key derivation of a sealed key (argon2id with its parameters), as a function of the
    password that imports nothing: it may run on a worker thread while this one does other work
    (argon2 lets go of the interpreter lock). Everything that imports runs here, in the calling
    thread: once PySide6 is loaded, an import statement goes through its import hook, which is
    not safe on another thread (a worker's imports crashed a test process later, on its main
    thread)."""
    return _deriver(json.loads(sealed.kdf))


def open_sealed(sealed: SealedKey, derived: bytes) -> Ed25519PrivateKey:
    """The private key, opened with the key derived from the password (derivation); raises
    WrongPasswordError when it does not open."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    nonce, ciphertext = sealed.ciphertext[:12], sealed.ciphertext[12:]
    try:
        raw = AESGCM(derived).decrypt(nonce, ciphertext, sealed.public_key)
    except InvalidTag:
        raise WrongPasswordError() from None
    return Ed25519PrivateKey.from_private_bytes(raw)


def verify_signature(public_key: bytes, signature: bytes, message: bytes) -> bool:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
    except (InvalidSignature, ValueError):
        return False
    return True
