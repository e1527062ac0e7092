"""Upgrade in place: a plaintext store from before encryption becomes an encrypted one on first
start. Nothing is lost if this is interrupted at any point: the plaintext file stays the store
until the checked, encrypted copy replaces it in one rename, and a plaintext database found at
start (with or without a key file of an unfinished conversion) is simply converted again."""

from __future__ import annotations

import os
import secrets
import shutil
from pathlib import Path

from desktop_app.files import written_whole
from desktop_app.store import chain, keyslots
from desktop_app.store.connection import raw_connection
from desktop_app.store.database import (
    DatabaseError,
    integrity_problem,
    is_plaintext,
)
from desktop_app.store.errors import StoreCorruptError, StoreError
from desktop_app.store.location import (
    DB_NAME,
    KEYS_NAME,
    LOCK_NAME,
    make_private_dir,
    make_private_file,
)
from desktop_app.store.lock import WriterLock

PLAINTEXT_ASIDE = "eligo-plaintext-before-encryption.db"
ENCRYPTING = "eligo.db.encrypting"


def needed(folder: Path) -> bool:
    """True when the store in `folder` is a plaintext file (it is converted before sign-in)."""
    return is_plaintext(folder / DB_NAME)


def encrypt_in_place(folder: Path) -> Path:
    """Convert the plaintext store; returns the plaintext copy set aside (to delete once the
    conversion is checked). Each account's first slot is keyed by its stored password hash
    (keyslots.legacy_slot), so everyone signs in with the password they had; the slot becomes an
    ordinary one at that sign-in."""
    from sqlite_utils import Database

    lock = WriterLock(folder / LOCK_NAME)
    lock.acquire()
    try:
        make_private_dir(folder)
        db_path = folder / DB_NAME
        _forget_unfinished(folder)
        site, accounts, user_version, counts = _fold_and_read(db_path)
        aside = folder / PLAINTEXT_ASIDE
        if not aside.exists():
            with written_whole(aside) as partial:
                make_private_file(partial)
                shutil.copyfile(db_path, partial)
        key = keyslots.new_data_key()
        encrypted = folder / ENCRYPTING
        _export(db_path, encrypted, key, user_version)
        conn = raw_connection(encrypted, key)
        try:
            problem = _problem(Database(conn), counts)
        finally:
            conn.close()
        if problem is not None:
            encrypted.unlink(missing_ok=True)
            raise StoreError(f"The encrypted copy of {db_path} failed its check ({problem}); the plaintext store is unchanged.")  # fmt: skip
        sidecar = keyslots.Sidecar(key_id=secrets.token_hex(8), label_salt=secrets.token_hex(16), site=site)  # fmt: skip
        for username, password_hash in accounts:
            slot = keyslots.legacy_slot(sidecar.label(username), password_hash, key, sidecar.key_id)
            if slot is not None:
                sidecar.slots.append(slot)
        sidecar.seal(key)
        keyslots.save(folder, sidecar)
        _fsync(encrypted)
        os.replace(encrypted, db_path)  # the moment the store becomes the encrypted one
        keyslots.fsync_dir(folder)
        return aside
    finally:
        lock.release()


def _forget_unfinished(folder: Path) -> None:
    """The plaintext database is still the store: what an interrupted conversion left goes."""
    (folder / ENCRYPTING).unlink(missing_ok=True)
    (folder / KEYS_NAME).unlink(missing_ok=True)
    for partial in folder.glob(f".{PLAINTEXT_ASIDE}-*.partial"):
        partial.unlink(missing_ok=True)


def _fold_and_read(path: Path) -> tuple[dict[str, object] | None, list[tuple[str, str]], int, dict[str, int]]:  # fmt: skip
    """Check the plaintext store, fold its WAL into the file (one file to copy and export), and
    read what the key file needs: the site, active accounts' password hashes, the schema version,
    row counts to compare the copy with."""
    from sqlite_utils import Database

    conn = raw_connection(path, None)
    try:
        db = Database(conn)
        problem = integrity_problem(db) or chain.verify(db).problem
        if problem is not None:
            raise StoreCorruptError(path, problem, None)
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")
        tables = db.table_names()
        site_row = conn.execute("SELECT code, name, is_demo FROM site").fetchone() if "site" in tables else None  # fmt: skip
        site = {"code": site_row[0], "name": site_row[1], "is_demo": bool(site_row[2])} if site_row else None  # fmt: skip
        accounts = [(str(r[0]), str(r[1])) for r in conn.execute(
            "SELECT username, password_hash FROM users WHERE is_active = 1 AND password_hash IS NOT NULL")]  # fmt: skip
        user_version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        counts = _counts(db)
    except DatabaseError as exc:
        raise StoreCorruptError(path, str(exc), None) from None
    finally:
        conn.close()
    return site, accounts, user_version, counts


def _counts(db: object) -> dict[str, int]:
    from sqlite_utils import Database

    assert isinstance(db, Database)
    return {t: int(db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]) for t in db.table_names()}  # fmt: skip


def _export(source: Path, target: Path, key: bytes, user_version: int) -> None:
    target.unlink(missing_ok=True)
    make_private_file(target)
    conn = raw_connection(source, None)
    try:
        conn.execute(f"ATTACH DATABASE ? AS enc KEY \"x'{key.hex()}'\"", [str(target)])
        conn.execute("SELECT sqlcipher_export('enc')")
        conn.execute(f"PRAGMA enc.user_version = {int(user_version)}")
        conn.execute("DETACH DATABASE enc")
    finally:
        conn.close()


def _problem(db: object, counts: dict[str, int]) -> str | None:
    from sqlite_utils import Database

    assert isinstance(db, Database)
    problem = integrity_problem(db) or chain.verify(db).problem
    if problem is not None:
        return problem
    copied = _counts(db)
    if copied != counts:
        return "the copy does not hold the same rows"
    return None


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
