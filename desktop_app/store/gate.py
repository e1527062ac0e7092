"""The way into the encrypted store before it is opened: is there a store, is it a plaintext one
from before encryption, and the data key from the user's slot.

This module and what it imports stay light (no sqlite-utils, no pydantic, no rules): the sign-in
window is shown before they are loaded, and the main window's first page is painted from the key
this gives, by a raw query (store.first_page), before they are loaded either. Only the slot's
unwrapping loads argon2 and cryptography, which the sign-in cannot do without."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from desktop_app.store import keyslots
from desktop_app.store.errors import AuthenticationError, StoreError, WrongCredentialsError
from desktop_app.store.location import DB_NAME, KEYS_NAME

if TYPE_CHECKING:
    from desktop_app.store.clock import Clock


class NotSetUpError(StoreError):
    """There is no store here yet (first start)."""


def is_set_up(data_dir: Path) -> bool:
    """True when the data directory holds an encrypted store with at least one way in."""
    try:
        sidecar = keyslots.read(data_dir, with_attempts=False)  # the slots are enough here
    except StoreError:
        return False
    return any(s.kind != "recovery" for s in sidecar.slots)


def is_plaintext(data_dir: Path) -> bool:
    """True for a plain SQLite file (an Eligo store from before encryption, converted before
    anyone signs in)."""
    try:
        with open(data_dir / DB_NAME, "rb") as handle:
            return handle.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def authentication_error(exc: StoreError) -> AuthenticationError:
    if isinstance(exc, keyslots.WrongSecretError):
        return WrongCredentialsError(str(exc))
    return AuthenticationError(str(exc))


def unlock(data_dir: Path, username: str, password: str, *, clock: Clock | None = None) -> keyslots.Unlocked:  # fmt: skip
    """The data key from the user's slot. A wrong password or an unknown username raises
    WrongCredentialsError with one sentence for both, counted in the key file towards lockout.
    `clock` is the system's unless given."""
    from desktop_app.store.clock import system_clock

    if not (data_dir / KEYS_NAME).exists():
        raise NotSetUpError(f"There is no Eligo store in {data_dir} yet.")
    try:
        now = (clock or system_clock)()
        return keyslots.unlock(data_dir, username.strip().lower(), password, now)
    except (keyslots.WrongSecretError, keyslots.LockedOutError, keyslots.DeactivatedError) as exc:
        raise authentication_error(exc) from None


def key_that_opens(data_dir: Path, unlocked: keyslots.Unlocked) -> bytes:
    """The data key; an interrupted re-key (rare) is finished by store.access, which opens the
    database to find which key it has."""
    if keyslots.pending_key(data_dir, unlocked) is None:
        return unlocked.key
    from desktop_app.store import access

    return access.key_that_opens(data_dir, unlocked)
