"""Opening the store: SQLCipher with the data key, one writer, WAL with synchronous=FULL,
integrity check, migrations."""

from __future__ import annotations

import atexit
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from sqlcipher3 import dbapi2 as sqlite3
from sqlite_utils import Database

from desktop_app.store import chain, keyslots, schema
from desktop_app.store.clock import Clock, Stamp, system_clock
from desktop_app.store.connection import raw_connection
from desktop_app.store.errors import (
    ReadOnlyStoreError,
    StoreCorruptError,
    StoreWriteError,
    UnwritableLocationError,
)
from desktop_app.store.location import (
    BACKUP_DIR,
    CHECK_FAILED_NAME,
    DB_NAME,
    LOCK_NAME,
    make_private_dir,
)
from desktop_app.store.lock import WriterLock

CACHE_KIB = 65_536
OPEN_CHECK_EVENTS = 2000
"""How many of the newest audit events are re-hashed on every open (about 0.1 s)."""


class Store:
    """The one connection of this process to a data directory."""

    def __init__(
        self,
        data_dir: Path,
        db: Database,
        lock: WriterLock | None,
        clock: Clock,
        check: BackgroundCheck | None = None,
        keyring: keyslots.Keyring | None = None,
    ) -> None:
        self.data_dir = data_dir
        self.db = db
        # The data key and its slots (None only for a plaintext file being converted or checked).
        self.keyring = keyring
        self._lock = lock
        self.clock = clock
        self._check = check
        self.chain_head = chain.ChainHead()
        # Failed sign-ins of this process by username, for a read-only store (which cannot record
        # them): they still lock the account out, for this process, after too many.
        self.read_only_failures: dict[str, list[float]] = {}
        # Writes that belong before any other but wait for the open-time check (the sign-in's own
        # audit events, so that signing in does not wait for the check of a large store).
        self._first_writes: list[Callable[[], None]] = []
        self._writing_first = False

    @property
    def path(self) -> Path:
        return self.data_dir / DB_NAME

    @property
    def backup_dir(self) -> Path:
        return self.data_dir / BACKUP_DIR

    @property
    def read_only(self) -> bool:
        return self._lock is None

    def stamp(self) -> Stamp:
        return Stamp.of(self.clock())

    @contextmanager
    def transaction(self, what: str) -> Iterator[Database]:
        """BEGIN IMMEDIATE ... COMMIT; durable when the block returns (synchronous=FULL).

        A failure to write (disk full, read-only file) rolls back and raises StoreWriteError.
        """
        if self.read_only:
            raise ReadOnlyStoreError()
        self.wait_until_checked()
        conn = self.db.conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.DatabaseError as exc:
            raise StoreWriteError(what, str(exc)) from exc
        try:
            yield self.db
            conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:  # disk full, read-only file, I/O error
            _rollback(conn)
            self.chain_head.forget()
            raise StoreWriteError(what, str(exc)) from exc
        except BaseException:
            _rollback(conn)
            self.chain_head.forget()
            raise

    def check_status(self) -> tuple[bool, str | None]:
        """(finished, problem) of the open-time check; (True, None) when it ran while opening."""
        if self._check is None:
            return True, None
        return self._check.wait(0), self._check.problem

    def before_other_writes(self, write: Callable[[], None]) -> None:
        """Run `write` once the open-time check has passed, before any other write."""
        self._first_writes.append(write)
        if self._check is None or self._check.wait(0):
            self.wait_until_checked()

    def wait_until_checked(self) -> None:
        """Writes wait for the open-time check; a failed check refuses them."""
        self._check_passed()
        if self._first_writes and not self._writing_first:
            self._writing_first = True
            try:
                while self._first_writes:
                    self._first_writes.pop(0)()
            finally:
                self._writing_first = False

    def _check_passed(self) -> None:
        if self._check is None:
            return
        self._check.wait()
        if self._check.problem is not None:
            from desktop_app.store.backup import newest_good_backup

            raise StoreCorruptError(
                self.path,
                self._check.problem,
                newest_good_backup(self.data_dir, self.keyring.key if self.keyring else None),
            )

    def close(self) -> None:
        if self._check is not None:
            self._check.wait()
        if self._first_writes and not self.read_only and (self._check is None or self._check.problem is None):  # fmt: skip
            with suppress(StoreWriteError):
                self.wait_until_checked()
        self.db.close()
        if self._lock is not None:
            self._lock.release()
            self._lock = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _rollback(conn: sqlite3.Connection) -> None:
    """Roll back what is open; after an I/O error SQLite may already have done so."""
    if conn.in_transaction:
        with suppress(sqlite3.DatabaseError):
            conn.execute("ROLLBACK")


DatabaseError = sqlite3.DatabaseError
"""SQLCipher's own exception classes (not the standard library's sqlite3 ones)."""


def sqlite_library_version() -> str:
    return f"{sqlite3.sqlite_version} (SQLCipher {cipher_version()})"


def cipher_version() -> str:
    conn = sqlite3.connect(":memory:")
    try:
        row = conn.execute("PRAGMA cipher_version").fetchone()
        return str(row[0]) if row else "none"
    finally:
        conn.close()


def is_plaintext(path: Path) -> bool:
    """True for a plain SQLite file (an Eligo store from before encryption)."""
    try:
        with open(path, "rb") as handle:
            return handle.read(16) == b"SQLite format 3\x00"
    except OSError:
        return False


def connect(path: Path, *, key: bytes | None, read_only: bool = False) -> Database:
    """A connection with Eligo's pragmas; autocommit so that transactions are explicit."""
    conn = raw_connection(path, key, read_only=read_only)
    conn.execute("PRAGMA foreign_keys = ON")
    # 64 MiB of page cache: SQLCipher decrypts a page each time it enters the cache, so the log
    # query on a large store costs 4 times the plaintext query with SQLite's 2 MiB default and about
    # the same with this (bench/bench_store.py (d)); pages are only allocated as they are read.
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    conn.execute("PRAGMA busy_timeout = 5000")
    if not read_only:
        conn.execute("PRAGMA journal_mode = WAL")
    # FULL: a commit in WAL mode survives a power cut (NORMAL may lose the last commits).
    conn.execute("PRAGMA synchronous = FULL")
    return Database(conn)


def integrity_problem(db: Database) -> str | None:
    """None when PRAGMA integrity_check passes, else its first message."""
    try:
        rows = db.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    messages = [str(r[0]) for r in rows]
    return None if messages == ["ok"] else messages[0]


def open_problem(db: Database) -> str | None:
    """The check made on every open: PRAGMA integrity_check and the newest audit events
    (`db check` verifies the whole chain)."""
    try:
        return integrity_problem(db) or chain.verify(db, tail=OPEN_CHECK_EVENTS).problem
    except sqlite3.DatabaseError as exc:
        return str(exc)


class ReaderThread:
    """`work` on a read-only connection of its own, in a daemon thread that the interpreter's exit
    stops first (stop_readers, registered with atexit): a thread still inside SQLite when the
    process ends (SQLCipher decrypting a page while the exit frees its state) crashed it, about
    one exit in four within 0.1 s of opening a 100,000-screening store (SIGSEGV). `failed` gets
    the error, in words, when the connection does not open or the work raises; `stopping` tells
    either that an error is the stop's interruption, not a finding."""

    def __init__(
        self, path: Path, key: bytes | None, name: str, work: Callable[[Database], None],
        failed: Callable[[str], None],
    ) -> None:  # fmt: skip
        self.stopping = False
        self._path, self._key, self._work, self._failed = path, key, work, failed
        self._db: Database | None = None
        self._lock = threading.Lock()  # a connection is never interrupted while it is closed
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> None:
        _readers.add(self)
        self._thread.start()

    def _run(self) -> None:
        try:
            db = connect(self._path, key=self._key, read_only=True)
        except Exception as exc:  # said to the owner, who waits for an answer
            self._failed(str(exc))
            return
        with self._lock:
            self._db = db
        try:
            self._work(db)
        except Exception as exc:  # as above: no thread ends unanswered
            self._failed(f"{type(exc).__name__}: {exc}")
        finally:
            with self._lock:
                self._db = None
            db.close()

    def interrupt(self) -> bool:
        """Stop: the running statement ends with an error. Whether the thread is still alive."""
        self.stopping = True
        with self._lock:
            if self._db is not None:
                self._db.conn.interrupt()
        return self._thread.is_alive()


_readers: weakref.WeakSet[ReaderThread] = weakref.WeakSet()


@atexit.register
def stop_readers(timeout: float = 5.0) -> None:
    """Every reader thread still running, interrupted (again, until it ends: one between two
    statements starts the next) and waited for, before the interpreter finalizes."""
    deadline = time.monotonic() + timeout
    running = list(_readers)
    while running and time.monotonic() < deadline:
        running = [reader for reader in running if reader.interrupt()]
        for reader in running:
            reader._thread.join(0.02)


STOPPED = "the open-time check was stopped before it finished (Eligo was closing)"


class BackgroundCheck:
    """The open-time check on a read-only connection of its own, in a thread, so that a large
    store opens at once; every write waits for its verdict (Store.transaction). Stopped at the
    exit, its verdict is STOPPED: no write passes it, and no failure is remembered."""

    def __init__(self, path: Path, key: bytes | None) -> None:
        self.problem: str | None = None
        self.marker = path.with_name(CHECK_FAILED_NAME)
        self._done = threading.Event()
        self._reader = ReaderThread(
            path, key, "eligo-open-check", lambda db: self._verdict(open_problem(db)), self._verdict
        )
        self._reader.start()

    def _verdict(self, problem: str | None) -> None:
        if self._reader.stopping:  # interrupted: not a finding, and not for the next start
            self.problem = STOPPED
        else:
            self.problem = problem
            if problem is not None:
                # The next start checks before it opens, and so can offer the newest good backup.
                with suppress(OSError):
                    self.marker.write_text(problem + "\n", encoding="utf-8")
        self._done.set()

    def wait(self, timeout: float | None = None) -> bool:
        """True once the verdict is in."""
        return self._done.wait(timeout)


def open_store(
    data_dir: Path,
    *,
    key: bytes | None,
    read_only: bool = False,
    clock: Clock = system_clock,
    check_in_background: bool = False,
) -> Store:
    """Open (creating on first use) the encrypted store in `data_dir` with its data key (from a
    key slot: store.access). `key` None opens a plaintext file: only the upgrade's own tests
    make one.

    Raises StoreLockedError when another process writes there (unless read_only),
    StoreCorruptError when the file fails its checks: never a silently fresh database. With
    `check_in_background` the open-time check runs in a thread and writes wait for it.
    """
    from desktop_app.store import backup  # late: it builds on this module

    lock = None
    if not read_only:
        try:
            make_private_dir(data_dir)
        except OSError as exc:
            raise UnwritableLocationError(data_dir, str(exc.strerror)) from None
        lock = WriterLock(data_dir / LOCK_NAME)
        lock.acquire()
    path = data_dir / DB_NAME
    try:
        existed = path.exists() and path.stat().st_size > 0
        try:
            db = connect(path, key=key, read_only=read_only)
            pending = schema.pending(db) if not read_only else []
        except sqlite3.DatabaseError as exc:
            raise StoreCorruptError(path, str(exc), backup.newest_good_backup(data_dir, key)) from None  # fmt: skip
        check = None
        failed_before = (data_dir / CHECK_FAILED_NAME).exists()
        if existed and check_in_background and not pending and not failed_before:
            check = BackgroundCheck(path, key)
        elif existed:
            problem = open_problem(db)
            if problem is not None:
                db.close()
                raise StoreCorruptError(path, problem, backup.newest_good_backup(data_dir, key))
            if failed_before and not read_only:  # restored, or repaired: checked whole again
                (data_dir / CHECK_FAILED_NAME).unlink(missing_ok=True)
        ring = keyslots.Keyring(data_dir, key) if key is not None else None
        store = Store(data_dir, db, lock, clock, check, ring)
        if pending:
            if existed:
                backup.backup(store, reason="before-migration")
            schema.apply(db)
        return store
    except BaseException:
        if lock is not None:
            lock.release()
        raise
