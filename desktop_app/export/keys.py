"""A user's public key as a file to give to the sponsor, who imports it as a trusted key."""

from __future__ import annotations

from desktop_app.export.bundle import canonical
from desktop_app.store import Store, User, get_site
from desktop_app.store.accounts import active_key


def public_key_file(store: Store, user: User) -> tuple[bytes, str]:
    """The file's bytes (RFC 8785 JSON) and the key's fingerprint; the file names the site, the
    only one whose bundles the key will be trusted to sign."""
    key = active_key(store, user.id)
    site = get_site(store)
    document = {"public_key": key.public_key.hex(), "fingerprint": key.fingerprint,
                "username": user.username, "printed_name": user.full_name,
                "site": site.code if site else ""}  # fmt: skip
    return canonical(document), key.fingerprint
