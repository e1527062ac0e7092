"""Backups through SQLite's online backup API, with rotation; restore checks before replacing."""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

from desktop_app.files import written_whole
from desktop_app.store import chain, checkpoints
from desktop_app.store.database import Store, connect, integrity_problem
from desktop_app.store.errors import StoreCorruptError, StoreError
from desktop_app.store.location import BACKUP_DIR, DB_NAME, LOCK_NAME
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
    folder.mkdir(parents=True, exist_ok=True)
    moment = store.clock().astimezone(UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{_PREFIX}{moment}-{reason}.db"
    with written_whole(target) as partial:  # a failed copy leaves no half backup behind
        destination = sqlite3.connect(partial)
        try:
            store.db.conn.backup(destination)
        finally:
            destination.close()
    for old in _backups(store.data_dir)[keep:]:
        old.unlink()
    return target


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


def check_file(path: Path) -> str | None:
    """None when a database file passes the integrity and audit-chain checks."""
    try:
        db = connect(path, read_only=True)
    except sqlite3.DatabaseError as exc:
        return str(exc)
    try:
        return integrity_problem(db) or chain.verify(db).problem
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        db.close()


def newest_good_backup(data_dir: Path) -> Path | None:
    return next((b for b in _backups(data_dir) if check_file(b) is None), None)


def restore(data_dir: Path, source: Path) -> Path | None:
    """Replace the database by a checked backup; the replaced files are kept aside.

    Returns where the replaced database was moved (None when there was none).
    """
    problem = check_file(source)
    if problem is not None:
        raise StoreCorruptError(source, problem, newest_good_backup(data_dir))
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
        partial = data_dir / f"{DB_NAME}.restoring"
        shutil.copyfile(source, partial)
        os.replace(partial, live)
        if check_file(live) is not None:  # pragma: no cover - the copy of a checked file
            raise StoreError(f"the restored copy of {source} failed its check")
        return kept
    finally:
        lock.release()
