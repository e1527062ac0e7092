"""Backups (online backup API, rotation, daily) and restore (checked, replaced file kept)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from conftest import FixedClock
from helpers import TEST_KEY, add_user, as_user, open_test_store, raw_connect

from desktop_app.cli import main
from desktop_app.store import StoreCorruptError, list_users
from desktop_app.store.backup import backup, backup_if_due, restore
from desktop_app.store.location import DB_NAME


def test_rotation_keeps_the_newest(tmp_path: Path) -> None:
    with open_test_store(tmp_path, clock=FixedClock()) as store:
        made = [backup(store, reason="manual", keep=3) for _ in range(5)]
    kept = sorted((tmp_path / "backups").glob("*.db"))
    assert kept == sorted(made[-3:])


def test_at_most_one_routine_backup_a_day(tmp_path: Path) -> None:
    clock = FixedClock()
    with open_test_store(tmp_path, clock=clock) as store:
        assert backup_if_due(store) is not None
        assert backup_if_due(store) is None
        clock.now += timedelta(days=1, minutes=1)
        assert backup_if_due(store) is not None


def test_backup_is_a_consistent_copy_while_open(tmp_path: Path) -> None:
    with open_test_store(tmp_path / "data") as store:
        add_user(store, "before.backup")
        copy = backup(store)
        add_user(store, "after.backup")
    conn = raw_connect(copy)
    names = [r[0] for r in conn.execute("SELECT username FROM users")]
    conn.close()
    assert names == ["admin", "before.backup"]


def test_restore_checks_first_and_keeps_the_replaced_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    with open_test_store(data) as store:
        add_user(store, "kept.user")
        good = backup(store)
        add_user(store, "later.user")
    assert main(["db", "restore", str(good), "--data-dir", str(data), *as_user()]) == 0
    out = capsys.readouterr().out
    assert "replaced database is kept as" in out
    assert list(data.glob(f"{DB_NAME}.replaced-*"))
    with open_test_store(data) as store:
        assert [u.username for u in list_users(store)] == ["admin", "kept.user"]


def test_restore_refuses_a_backup_that_fails_its_check(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with open_test_store(data) as store:
        add_user(store, "kept.user")
        bad = backup(store)
    conn = raw_connect(bad)
    conn.executescript("DROP TRIGGER audit_no_update; UPDATE audit SET username = 'mallory';")
    conn.close()
    with pytest.raises(StoreCorruptError, match="altered"):
        restore(data, bad, TEST_KEY)
    with open_test_store(data) as store:  # the live database was not touched
        assert [u.username for u in list_users(store)] == ["admin", "kept.user"]


def test_restore_while_another_process_writes_is_refused(tmp_path: Path) -> None:
    from desktop_app.store import StoreLockedError

    with open_test_store(tmp_path) as store:
        good = backup(store)
        with pytest.raises(StoreLockedError):
            restore(tmp_path, good, TEST_KEY)
