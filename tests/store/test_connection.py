"""Every connection to a store is opened in one place (store/connection.py), with SQLite's
serialising mutex kept (the default: see that module for why)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlcipher3 import dbapi2

from desktop_app.store.connection import raw_connection

PACKAGE = Path(__file__).resolve().parents[2] / "desktop_app"
KEY = bytes(range(32))


def test_read_only_connections_write_nothing(tmp_path: Path) -> None:
    conn = raw_connection(tmp_path / "x.db", KEY)
    conn.execute("CREATE TABLE t (a)")
    conn.close()
    reader = raw_connection(tmp_path / "x.db", KEY, read_only=True)
    with pytest.raises(dbapi2.OperationalError, match="readonly"):
        reader.execute("INSERT INTO t VALUES (1)")
    reader.close()
    with pytest.raises(dbapi2.DatabaseError):  # the wrong key opens nothing
        raw_connection(tmp_path / "x.db", bytes(32), read_only=True)


def test_connections_are_opened_only_in_store_connection() -> None:
    """No module but store/connection.py connects to a file (sqlcipher3's connect or Connection,
    under any name it is imported as), and none asks for a connection without SQLite's mutex."""
    for source in PACKAGE.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert not re.search(r"\w\.SQLITE_OPEN_NOMUTEX", text), source
        assert "check_same_thread" not in text, source
        if source.name == "connection.py":
            continue
        assert not re.search(r"\b(sqlite3|dbapi2|sqlcipher3)\.connect\((?!\":memory:\")", text), (
            source
        )
        assert not re.search(r"\b(sqlite3|dbapi2|sqlcipher3)\.Connection\(", text), source
        assert not re.search(
            r"from sqlcipher3[\w.]* import [^\n]*\b(connect|Connection)\b", text
        ), source
