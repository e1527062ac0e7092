"""Backups through SQLite's online backup API, with rotation; restore checks before replacing.

A backup is encrypted with the data key of its time, and the key file of that time is kept beside
it (NAME.db.keys): after a re-key, older backups still open with the slots they were made with."""

from __future__ import annotations

import os
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

from desktop_app.files import written_whole
from desktop_app.store import chain, checkpoints, keyslots
from desktop_app.store.connection import raw_connection
from desktop_app.store.database import (
    DatabaseError,
    Store,
    connect,
    integrity_problem,
)
from desktop_app.store.errors import StoreCorruptError, StoreError
from desktop_app.store.location import (
    BACKUP_DIR,
    DB_NAME,
    KEYS_NAME,
    LOCK_NAME,
    make_private_dir,
    make_private_file,
)
from desktop_app.store.lock import WriterLock

KEEP = 14
_PREFIX = "eligo-"


def _backups(data_dir: Path) -> list[Path]:
    """Backups, newest first (names sort by their UTC time stamp)."""
    folder = data_dir / BACKUP_DIR
    return sorted(folder.glob(f"{_PREFIX}*.db"), reverse=True) if folder.is_dir() else []


def backup(store: Store, *, reason: str = "manual", keep: int = KEEP) -> Path:
    """Copy the live database consistently into backups/ and drop all but the newest `keep`.
    The signed-in user's checkpoint comes first, so that the backup holds a signed head."""
    checkpoints.checkpoint(store, "backup")
    folder = store.backup_dir
    make_private_dir(folder)
    moment = store.clock().astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{_PREFIX}{moment}-{reason}.db"
    key = store.keyring.key if store.keyring is not None else None
    sidecar = store.data_dir / KEYS_NAME
    if sidecar.exists():  # first the key file of this backup, so that no backup is without one
        keyslots.write_private(keys_of(target), sidecar.read_bytes())
    with written_whole(target) as partial:  # a failed copy leaves no half backup behind
        make_private_file(partial)
        destination = raw_connection(partial, key)
        try:
            store.db.conn.backup(destination)
        finally:
            destination.close()
    for old in _backups(store.data_dir)[keep:]:
        old.unlink()
        keys_of(old).unlink(missing_ok=True)
    return target


def keys_of(backup_file: Path) -> Path:
    """The key file kept beside a backup."""
    return backup_file.with_name(backup_file.name + ".keys")


def backup_if_due(store: Store, *, every: timedelta = timedelta(days=1)) -> Path | None:
    """At most one routine backup a day (plus the one on clean exit)."""
    newest = next(iter(_backups(store.data_dir)), None)
    if newest is not None:
        taken = _taken_at(newest)
        if taken is not None and store.clock() - taken < every:
            return None
    return backup(store, reason="daily")


def _taken_at(path: Path) -> datetime | None:
    """The UTC time stamp in a backup's name (eligo-20261124T232209485986Z-reason.db)."""
    try:
        stamp = path.name.removeprefix(_PREFIX).split("-", 1)[0]
        return datetime.strptime(stamp, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
    except ValueError:
        return None


def check_file(path: Path, key: bytes | None) -> str | None:
    """None when a database file opens with `key` and passes the integrity and audit-chain checks."""
    try:
        db = connect(path, key=key, read_only=True)
    except DatabaseError as exc:
        return str(exc)
    try:
        return integrity_problem(db) or chain.verify(db).problem
    except DatabaseError as exc:
        return str(exc)
    finally:
        db.close()


def newest_good_backup(data_dir: Path, key: bytes | None) -> Path | None:
    """The newest backup that opens with `key` and passes its checks (backups from before a
    re-key open with their own key file: `db restore FILE --user NAME`)."""
    return next((b for b in _backups(data_dir) if check_file(b, key) is None), None)


def restore(data_dir: Path, source: Path, key: bytes | None) -> Path | None:
    """Replace the database (and its key file) by a checked backup (and the key file kept beside
    it); the replaced files are kept aside. `key` is the backup's data key.

    Returns where the replaced database was moved (None when there was none).
    """
    problem = check_file(source, key)
    if problem is not None:
        raise StoreCorruptError(source, problem, newest_good_backup(data_dir, key))
    lock = WriterLock(data_dir / LOCK_NAME)
    lock.acquire()
    try:
        live = data_dir / DB_NAME
        kept: Path | None = None
        if live.exists():
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            kept = data_dir / f"{DB_NAME}.replaced-{stamp}"
            os.replace(live, kept)
            for suffix in ("-wal", "-shm"):
                side = Path(f"{live}{suffix}")
                if side.exists():
                    os.replace(side, Path(f"{kept}{suffix}"))
        source_keys = keys_of(source)
        if source_keys.exists():
            live_keys = data_dir / KEYS_NAME
            if live_keys.exists() and kept is not None:
                shutil.copyfile(live_keys, keys_of(kept))
            keyslots.write_private(live_keys, source_keys.read_bytes())
            keyslots.forget_mirror(data_dir)  # the attempts of the backup's time are the record now
        partial = data_dir / f"{DB_NAME}.restoring"
        make_private_file(partial)
        shutil.copyfile(source, partial)
        os.replace(partial, live)
        if check_file(live, key) is not None:  # pragma: no cover - the copy of a checked file
            raise StoreError(f"the restored copy of {source} failed its check")
        return kept
    finally:
        lock.release()
