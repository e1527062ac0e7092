"""Trusted public keys: a sponsor's copy of Eligo imports the keys that site users exported
(`export-key` or Account > Export my public key), and verification then says whether a bundle's
signer is one of them. Importing and removing are administrator or monitor actions, audited;
a removed key stays on record.

A key is trusted for one site: the file names the site code of its user, and a bundle that
claims another site is refused even when that key signed it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from desktop_app.store import chain
from desktop_app.store.database import Store
from desktop_app.store.errors import BadInputError, NotFoundError
from desktop_app.store.keys import fingerprint
from desktop_app.store.models import User
from desktop_app.store.roles import require_role

FIELD = "public key file"
_SITE_CODE = re.compile(r"[A-Z0-9]{2,12}")


@dataclass(frozen=True)
class TrustedKey:
    id: int
    public_key: str
    fingerprint: str
    username: str
    printed_name: str
    imported_at: str
    imported_by: str
    site_code: str


def parse_key_file(data: bytes) -> list[dict[str, str]]:
    """The keys of a file written by `export-key` (one object, or a list of them), checked: a
    32-byte Ed25519 public key in hex whose fingerprint matches the one written beside it, and
    the code of the site the key's user works at."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BadInputError(FIELD, f"not a public key file written by Eligo ({exc})") from None
    entries = document if isinstance(document, list) else [document]
    keys = []
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("public_key"), str):
            raise BadInputError(FIELD, "an entry has no public_key")
        try:
            raw = bytes.fromhex(entry["public_key"])
        except ValueError:
            raise BadInputError(FIELD, "the public key is not hexadecimal") from None
        if len(raw) != 32:
            raise BadInputError(FIELD, "the public key is not a 32-byte Ed25519 key")
        if entry.get("fingerprint") not in (None, fingerprint(raw)):
            raise BadInputError(FIELD, "the fingerprint written in the file does not match its key")
        site = entry.get("site")
        if not isinstance(site, str) or not _SITE_CODE.fullmatch(site):
            raise BadInputError(FIELD, "the file names no site code for the key (a key is trusted "
                                       "for one site: export it again with this version of Eligo)")  # fmt: skip
        keys.append({"public_key": raw.hex(), "fingerprint": fingerprint(raw), "site": site,
                     "username": str(entry.get("username") or ""),
                     "printed_name": str(entry.get("printed_name") or "")})  # fmt: skip
    if not keys:
        raise BadInputError(FIELD, "the file holds no key")
    return keys


def import_trusted_keys(store: Store, user: User, data: bytes) -> list[TrustedKey]:
    """Trust every key of the file; a key already trusted is left as it is."""
    require_role(user, "administrator", "monitor", action="import trusted keys")
    keys = parse_key_file(data)
    with store.transaction("The trusted keys") as db:
        stamp = store.stamp()
        for key in keys:
            existing = db.execute(
                "SELECT removed_at, site_code FROM trusted_keys WHERE public_key = ?",
                [key["public_key"]],
            ).fetchone()
            if existing is not None and existing[0] is None:
                if existing[1] != key["site"]:
                    raise BadInputError(FIELD, f"the key {key['fingerprint']} is already trusted for site "
                                               f"{existing[1]}; remove it first to trust it for {key['site']}")  # fmt: skip
                continue
            if existing is None:
                db.execute(
                    "INSERT INTO trusted_keys (public_key, fingerprint, username, printed_name, imported_at, "
                    "imported_by, site_code) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [key["public_key"], key["fingerprint"], key["username"], key["printed_name"], stamp.at_utc,
                     user.id, key["site"]],
                )  # fmt: skip
            else:  # trusted again after a removal
                db.execute(
                    "UPDATE trusted_keys SET removed_at = NULL, removed_by = NULL, imported_at = ?, "
                    "imported_by = ?, site_code = ? WHERE public_key = ?",
                    [stamp.at_utc, user.id, key["site"], key["public_key"]],
                )
            chain.append(db, stamp, head=store.chain_head, user_id=user.id, username=user.username,
                         action="trusted_key_imported", entity="trusted_key", entity_id=key["fingerprint"],
                         new={"username": key["username"], "printed_name": key["printed_name"],
                              "public_key": key["public_key"], "site": key["site"]})  # fmt: skip
    return [k for k in trusted_keys(store) if k.public_key in {x["public_key"] for x in keys}]


def remove_trusted_key(store: Store, user: User, key_id: int) -> None:
    require_role(user, "administrator", "monitor", action="remove trusted keys")
    with store.transaction("The trusted keys") as db:
        row = db.execute(
            "SELECT fingerprint FROM trusted_keys WHERE id = ? AND removed_at IS NULL", [key_id]
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no trusted key {key_id}")
        stamp = store.stamp()
        db.execute(
            "UPDATE trusted_keys SET removed_at = ?, removed_by = ? WHERE id = ?",
            [stamp.at_utc, user.id, key_id],
        )
        chain.append(db, stamp, head=store.chain_head, user_id=user.id, username=user.username,
                     action="trusted_key_removed", entity="trusted_key", entity_id=row[0])  # fmt: skip


def trusted_keys(store: Store) -> list[TrustedKey]:
    """The keys trusted now, oldest import first."""
    return [
        TrustedKey(*row)
        for row in store.db.execute(
            "SELECT t.id, t.public_key, t.fingerprint, t.username, t.printed_name, t.imported_at, u.full_name, "
            "t.site_code "
            "FROM trusted_keys t JOIN users u ON u.id = t.imported_by WHERE t.removed_at IS NULL ORDER BY t.id"
        )
    ]


def trusted_public_keys(store: Store) -> dict[str, str] | None:
    """The trusted keys (hex), each with the site code it is trusted for, for verification; None
    when this copy trusts no key yet."""
    keys = {k.public_key: k.site_code for k in trusted_keys(store)}
    return keys or None
