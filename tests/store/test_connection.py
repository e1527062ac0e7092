"""Connections are opened without SQLite's per-connection mutex (store/connection.py): safe only
while no connection is ever used by two threads, which these tests hold."""

from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from sqlcipher3 import dbapi2

from desktop_app.store.connection import raw_connection

PACKAGE = Path(__file__).resolve().parents[2] / "desktop_app"
KEY = bytes(range(32))


def test_a_connection_refuses_any_thread_but_its_own(tmp_path: Path) -> None:
    conn = raw_connection(tmp_path / "x.db", KEY)
    conn.execute("CREATE TABLE t (a)")
    refused: list[BaseException] = []

    def elsewhere() -> None:
        try:
            conn.execute("SELECT * FROM t").fetchall()
        except dbapi2.ProgrammingError as exc:
            refused.append(exc)

    thread = threading.Thread(target=elsewhere)
    thread.start()
    thread.join()
    assert len(refused) == 1
    conn.close()


def test_read_only_connections_write_nothing(tmp_path: Path) -> None:
    conn = raw_connection(tmp_path / "x.db", KEY)
    conn.execute("CREATE TABLE t (a)")
    conn.close()
    reader = raw_connection(tmp_path / "x.db", KEY, read_only=True)
    with pytest.raises(dbapi2.OperationalError, match="readonly"):
        reader.execute("INSERT INTO t VALUES (1)")
    reader.close()


def test_no_code_shares_a_connection_between_threads() -> None:
    """Nothing turns sqlcipher3's same-thread check off, interrupts a query from another thread
    or opens a connection anywhere but store/connection.py."""
    for source in PACKAGE.rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        assert "check_same_thread" not in text, source
        assert not re.search(r"\.interrupt\(\)", text), source
        if source.name != "connection.py":
            assert not re.search(r"(sqlite3|dbapi2)\.connect\((?!\":memory:\")", text), source
