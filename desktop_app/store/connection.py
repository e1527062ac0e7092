"""A raw SQLCipher connection to the store's file: the data key in raw-key mode, and no
per-connection mutex. Light on purpose (sqlcipher3 and the store's key and path helpers only): the
main window's first paint (store/first_page.py) opens its connection here before sqlite-utils or
the rest of the store is imported, and store/database.py opens every other one here."""

from __future__ import annotations

import os
from pathlib import Path

from sqlcipher3 import dbapi2 as sqlite3

from desktop_app.store import keyslots
from desktop_app.store.location import make_private_file

# Every connection is used by the thread that opened it and no other (sqlcipher3 refuses a call
# from another thread, and Eligo never turns that check off or interrupts a query from another
# thread), so SQLite's serialising mutex on each connection guards nothing: without it
# (SQLITE_OPEN_NOMUTEX, SQLite's multi-thread mode for the connection) each value a query
# returns skips a lock and an unlock in each of the three calls that read it, about a sixth of
# the instructions of fetching the one-pass export's rows (issue #21).
_NO_MUTEX = sqlite3.SQLITE_OPEN_NOMUTEX


def raw_connection(path: Path, key: bytes | None, *, read_only: bool = False) -> sqlite3.Connection:
    """A SQLCipher connection keyed with the data key in raw-key mode (no KDF at open), or, with
    `key` None, a plaintext file (only the upgrade and the plaintext copy set aside read those).
    Raises DatabaseError when the key does not open the file."""
    if read_only:
        conn = sqlite3.connect(
            f"{path.absolute().as_uri()}?mode=ro", uri=True, isolation_level=None,
            flags=sqlite3.SQLITE_OPEN_READONLY | _NO_MUTEX,
        )  # fmt: skip
    else:
        if os.name == "posix" and not path.exists():
            make_private_file(path)
        conn = sqlite3.connect(
            str(path), isolation_level=None,
            flags=sqlite3.SQLITE_OPEN_READWRITE | sqlite3.SQLITE_OPEN_CREATE | _NO_MUTEX,
        )  # fmt: skip
    try:
        # SQLCipher writes its own errors (a wrong key) to standard error: never in the log.
        conn.execute("PRAGMA cipher_log_level = NONE")
        if key is not None:
            conn.execute(keyslots.raw_key_pragma(key))
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # the key opens it, or not
    except sqlite3.DatabaseError:
        conn.close()
        raise
    return conn
