"""A raw SQLCipher connection to the store's file, the data key in raw-key mode: every connection
Eligo opens to a store. Light on purpose (sqlcipher3 and the store's key and path helpers only):
the main window's first paint (store/first_page.py) opens its connection here before sqlite-utils
or the rest of the store is imported.

Connections keep SQLite's serialising mutex (the default). Without it (SQLITE_OPEN_NOMUTEX) a
row's fetch took a sixth fewer instructions, but a connection is not used by its own thread alone:
a cursor caught in a reference cycle is finalised by the cycle collector on whichever thread runs
it (the open-time check's, the replay's), resetting its statement while this thread may be inside
another of the same connection."""

from __future__ import annotations

import os
from pathlib import Path

from sqlcipher3 import dbapi2 as sqlite3

from desktop_app.store import keyslots
from desktop_app.store.location import make_private_file


def raw_connection(path: Path, key: bytes | None, *, read_only: bool = False) -> sqlite3.Connection:
    """A SQLCipher connection keyed with the data key in raw-key mode (no KDF at open), or, with
    `key` None, a plaintext file (only the upgrade and the plaintext copy set aside read those).
    Raises DatabaseError when the key does not open the file."""
    if read_only:
        conn = sqlite3.connect(
            f"{path.absolute().as_uri()}?mode=ro", uri=True, isolation_level=None
        )
    else:
        if os.name == "posix" and not path.exists():
            make_private_file(path)
        conn = sqlite3.connect(str(path), isolation_level=None)
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
