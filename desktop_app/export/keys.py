"""A user's public key as a file to give to the sponsor, who imports it as a trusted key."""

from __future__ import annotations

from desktop_app.export.bundle import canonical
from desktop_app.store import Store, User
from desktop_app.store.accounts import active_key


def public_key_file(store: Store, user: User) -> tuple[bytes, str]:
    """The file's bytes (RFC 8785 JSON) and the key's fingerprint."""
    key = active_key(store, user.id)
    document = {"public_key": key.public_key.hex(), "fingerprint": key.fingerprint,
                "username": user.username, "printed_name": user.full_name}  # fmt: skip
    return canonical(document), key.fingerprint
