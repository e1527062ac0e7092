"""Opening the store: location, pragmas, one writer, integrity check, never a silent fresh file."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from pathlib import Path
from typing import Any

import pytest
from helpers import add_user, key_of, open_test_store, raw_connect

from desktop_app.store import (
    ReadOnlyStoreError,
    StoreCorruptError,
    StoreLockedError,
    data_dir,
)
from desktop_app.store.backup import backup
from desktop_app.store.location import CHECK_FAILED_NAME, DB_NAME


def test_data_dir_precedence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ELIGO_DATA_DIR", str(tmp_path / "from-env"))
    assert data_dir(tmp_path / "explicit") == tmp_path / "explicit"
    assert data_dir() == tmp_path / "from-env"
    monkeypatch.delenv("ELIGO_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    if sys.platform.startswith("linux"):
        assert data_dir() == tmp_path / "xdg" / "Eligo"


def test_new_location_gets_its_schema(tmp_path: Path) -> None:
    with open_test_store(tmp_path / "new") as store:
        assert {"site", "users", "candidates", "screenings", "answers", "audit"} <= set(
            store.db.table_names()
        )
        assert (tmp_path / "new" / DB_NAME).exists()


def test_pragmas(tmp_path: Path) -> None:
    with open_test_store(tmp_path) as store:
        pragma = {name: store.db.execute(f"PRAGMA {name}").fetchone()[0]
                  for name in ("journal_mode", "synchronous", "foreign_keys")}  # fmt: skip
    assert pragma == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1}  # 2 = FULL


def test_a_second_writer_in_this_process_is_refused(tmp_path: Path) -> None:
    with open_test_store(tmp_path), pytest.raises(StoreLockedError):
        open_test_store(tmp_path)


HOLD = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    sys.path.insert(0, sys.argv[2])  # the tests' helpers
    from helpers import open_test_store
    store = open_test_store(Path(sys.argv[1]))
    print("held", flush=True)
    time.sleep(60)
    """
)


def test_a_second_instance_is_told_which_process_holds_it(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(tmp_path), str(Path(__file__).parent.parent)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(StoreLockedError) as info:
            open_test_store(tmp_path)
        assert f"process {holder.pid}" in str(info.value)
        with open_test_store(tmp_path, read_only=True) as reader:  # the other choice: read-only
            assert reader.read_only
            with pytest.raises(ReadOnlyStoreError):
                add_user(reader, "someone")
    finally:
        holder.kill()
        holder.communicate()
    # The lock dies with its process, even when killed.
    with open_test_store(tmp_path) as store:
        assert not store.read_only


def test_a_damaged_file_is_never_replaced_silently(tmp_path: Path) -> None:
    with open_test_store(tmp_path) as store:
        add_user(store, "first.user")
        good = backup(store, reason="manual")
    path = tmp_path / DB_NAME
    data = bytearray(path.read_bytes())
    data[:16] = b"not a database!!"
    path.write_bytes(bytes(data))
    with pytest.raises(StoreCorruptError) as info:
        open_test_store(tmp_path)
    assert info.value.newest_backup == good
    assert "restore" in str(info.value)
    assert path.read_bytes()[:16] == b"not a database!!"  # untouched, not recreated


def test_a_damaged_file_without_backup_says_so(tmp_path: Path) -> None:
    (tmp_path / DB_NAME).write_bytes(b"garbage" * 1000)
    with pytest.raises(StoreCorruptError, match="No good backup"):
        open_test_store(tmp_path)


def test_the_open_check_can_run_in_the_background(tmp_path: Path) -> None:
    with open_test_store(tmp_path) as store:
        add_user(store, "first.user")
    with open_test_store(tmp_path, check_in_background=True) as store:
        add_user(store, "second.user")  # the write waited for a passing check
        assert store.check_status() == (True, None)


def test_a_background_check_that_fails_refuses_every_write(tmp_path: Path) -> None:

    with open_test_store(tmp_path) as store:
        add_user(store, "first.user")
    conn = raw_connect(tmp_path / DB_NAME)
    conn.executescript(
        "DROP TRIGGER audit_no_update; UPDATE audit SET username = 'mallory' WHERE seq = 1;"
    )
    conn.close()
    with open_test_store(tmp_path, check_in_background=True) as store:  # opens at once
        with pytest.raises(StoreCorruptError, match="audit event 1 was altered"):
            add_user(store, "second.user")
        done, problem = store.check_status()
        assert done
        assert problem is not None
    with pytest.raises(StoreCorruptError):  # and the ordinary open refuses it outright
        open_test_store(tmp_path)
    # The application opens with the check in the background; had it done so again, the damage
    # would only be reported again, never met with the offer of a backup. The failure is
    # remembered, so that the next open checks first and raises (with the newest good backup).
    assert (tmp_path / CHECK_FAILED_NAME).exists()
    with pytest.raises(StoreCorruptError, match="audit event 1 was altered"):
        open_test_store(tmp_path, check_in_background=True)


# A statement that runs until it is interrupted (a count with no end).
ENDLESS = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"


def test_the_exit_stops_a_reader_thread_inside_sqlite_first(tmp_path: Path) -> None:
    """A daemon thread still inside SQLite when the process exits crashed it (SIGSEGV: SQLCipher
    decrypting while the exit freed its state, about one exit in ten within 0.1 s of opening a
    100,000-screening store): the interpreter's exit interrupts every reader thread's statement
    and waits for the thread, which sees the interruption before the process ends."""
    with open_test_store(tmp_path / "data"):
        pass
    seen = tmp_path / "seen.txt"
    script = textwrap.dedent(
        f"""
        import sys, threading
        from pathlib import Path
        sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r})
        from helpers import key_of
        from desktop_app.store import database

        running = threading.Event()

        def work(db):
            running.set()
            try:
                db.execute({ENDLESS!r}).fetchone()
            except database.sqlite3.DatabaseError as exc:
                Path({str(seen)!r}).write_text(str(exc))

        folder = Path({str(tmp_path / "data")!r})
        database.ReaderThread(folder / "eligo.db", key_of(folder), "test-reader", work, print).start()
        assert running.wait(10)
        """
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    assert seen.read_text() == "interrupted"


def test_an_open_check_stopped_at_the_exit_lets_no_write_through_and_leaves_no_marker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Stopped, the check has not passed: no write goes through it (the sign-in's waiting
    records included, at the close), and nothing tells the next start that it failed."""
    from desktop_app.store import database

    with open_test_store(tmp_path):
        pass
    running = threading.Event()

    def endless(db: Any) -> str | None:  # as open_problem, whose errors are its findings
        running.set()
        try:
            db.execute(ENDLESS).fetchone()
        except database.sqlite3.DatabaseError as exc:
            return str(exc)
        return None

    monkeypatch.setattr(database, "open_problem", endless)
    store = open_test_store(tmp_path, check_in_background=True)
    assert running.wait(10)
    database.stop_readers()
    assert store.check_status() == (True, database.STOPPED)
    with pytest.raises(StoreCorruptError, match="stopped before it finished"):
        add_user(store, "after.stop")
    store.close()  # at once, writing nothing
    assert not (tmp_path / CHECK_FAILED_NAME).exists()
    monkeypatch.undo()  # the real check, which this open runs before it returns
    with open_test_store(tmp_path) as reopened:
        assert reopened.db.execute(
            "SELECT count(*) FROM users WHERE username = 'after.stop'"
        ).fetchone() == (0,)


def test_a_reader_whose_work_raises_answers_its_owner(tmp_path: Path) -> None:
    """An unexpected error in a reader thread is its owner's answer: a write waiting for the
    open-time check would otherwise wait forever."""
    from desktop_app.store import database

    with open_test_store(tmp_path):
        pass
    answers: list[str] = []
    answered = threading.Event()

    def failed(problem: str) -> None:
        answers.append(problem)
        answered.set()

    def work(db: Any) -> None:
        raise ValueError("not a database error")

    database.ReaderThread(tmp_path / DB_NAME, key_of(tmp_path), "test-reader", work, failed).start()
    assert answered.wait(10)
    assert answers == ["ValueError: not a database error"]


def test_once_the_data_checks_whole_again_the_remembered_failure_is_cleared(tmp_path: Path) -> None:
    with open_test_store(tmp_path) as store:
        add_user(store, "first.user")
    (tmp_path / CHECK_FAILED_NAME).write_text("audit event 1 was altered\n", encoding="utf-8")
    with open_test_store(tmp_path, check_in_background=True) as store:  # checked first, and whole
        assert store.check_status() == (True, None)
    assert not (tmp_path / CHECK_FAILED_NAME).exists()


def test_the_restore_command_named_is_the_one_that_runs_here(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    error = StoreCorruptError(tmp_path / "eligo.db", "damaged", tmp_path / "backup.db")
    assert f"'python -m desktop_app db restore {tmp_path / 'backup.db'}'" in str(error)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "executable", "/opt/Eligo/Eligo")
    error = StoreCorruptError(tmp_path / "eligo.db", "damaged", tmp_path / "backup.db")
    assert f"'Eligo db restore {tmp_path / 'backup.db'}'" in str(error)
