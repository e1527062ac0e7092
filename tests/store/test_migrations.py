"""Schema migrations: from every earlier version, with data in it, and a backup before."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from helpers import TEST_KEY, open_test_store
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from desktop_app.rules import LoadedProtocol
from desktop_app.store import schema
from desktop_app.store.chain import verify
from desktop_app.store.database import connect
from desktop_app.store.demo import fill_demo
from desktop_app.store.location import DB_NAME

ALL = [m.name for m in schema.migrations.pending(Database(memory=True))]


def fill_for(db: Database, applied: list[str]) -> int:
    """Rows that each schema version can hold; returns how many screenings were written."""
    if not applied:
        db.execute("CREATE TABLE notes (text TEXT)")  # a version-0 file: nothing of ours yet
        return 0
    db.execute(
        "INSERT INTO site (id, code, name, principal_investigator, created_at) VALUES (1, 'OLD', 'Old', 'PI', 'x')"
    )
    db.execute(
        "INSERT INTO users (username, full_name, created_at) VALUES ('old.user', 'Old User', 'x')"
    )
    db.execute(
        "INSERT INTO candidates (screening_number, seq, initials, created_at, created_by) "
        "VALUES ('OLD-0001', 1, 'AB', 'x', 1)"
    )
    db.execute(
        "INSERT INTO screenings (candidate_id, attempt, protocol_id, protocol_version, protocol_sha256, "
        "created_at, created_by, updated_at) VALUES (1, 1, 'NCT04660565', '1.0', 'abc', 'x', 1, 'x')"
    )
    return 1


def with_extra_migration(name: str, fn: Callable[[Database], None]) -> Migrations:
    """Eligo's migrations followed by one more, as a future release would ship it."""
    extended = Migrations("eligo")
    for migration in schema.migrations.pending(Database(memory=True)):
        extended(name=migration.name)(migration.fn)
    extended(name=name)(fn)
    return extended


@pytest.mark.parametrize("version", range(len(ALL)), ids=[f"from-{i}" for i in range(len(ALL))])
def test_migrates_from_every_earlier_version_with_data(tmp_path: Path, version: int) -> None:
    db = connect(tmp_path / DB_NAME, key=TEST_KEY)
    if version > 0:
        schema.migrations.apply(db, stop_before=ALL[version])
    applied = ALL[:version]
    screenings = fill_for(db, applied)
    db.close()
    with open_test_store(tmp_path) as store:
        assert schema.pending(store.db) == []
        count = store.db.execute("SELECT count(*) FROM screenings").fetchone()[0]
        assert count == screenings
        assert verify(store.db).ok
    assert list(
        (tmp_path / "backups").glob("*before-migration.db")
    )  # an existing file is backed up first


def test_a_new_migration_keeps_the_data_and_backs_up_first(
    tmp_path: Path, protocol: LoadedProtocol, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_test_store(tmp_path) as store:
        made = fill_demo(store, protocol)

    def add_column(db: Database) -> None:
        db.execute("ALTER TABLE screenings ADD COLUMN test_note TEXT")

    monkeypatch.setattr(schema, "migrations", with_extra_migration("9999_test_column", add_column))
    with open_test_store(tmp_path) as store:
        columns = {c.name for c in store.db["screenings"].columns}
        assert "test_note" in columns
        assert store.db.execute("SELECT count(*) FROM screenings").fetchone()[0] == made
        assert verify(store.db).ok
    backups = list((tmp_path / "backups").glob("*before-migration.db"))
    assert len(backups) == 1
    old = connect(backups[0], key=TEST_KEY, read_only=True)
    assert "test_note" not in {c.name for c in old["screenings"].columns}
    old.close()


def test_a_failing_migration_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with open_test_store(tmp_path):
        pass

    def fails(db: Database) -> None:
        db.execute("ALTER TABLE screenings ADD COLUMN half_done TEXT")
        raise RuntimeError("migration bug")

    monkeypatch.setattr(schema, "migrations", with_extra_migration("9999_broken", fails))
    with pytest.raises(RuntimeError, match="migration bug"):
        open_test_store(tmp_path)
    monkeypatch.undo()
    with open_test_store(tmp_path) as store:
        assert "half_done" not in {c.name for c in store.db["screenings"].columns}


def _legacy_event(db: Database, seq: int, prev: str, field: str | None, new: str) -> str:
    """An audit row as stores before 0006 wrote it: the raw value inside the hash."""
    from desktop_app.store.chain import _FIELDS, event_hash

    event = {"seq": seq, "at_utc": "2023-03-08T01:00:00.000000Z", "utc_offset": "+08:00", "user_id": None,
             "username": "system", "action": "answer_saved", "entity": "screening", "entity_id": "OLD-0001/1",
             "field": field, "old_value": None, "new_value": new, "reason": None, "prev_hash": prev}  # fmt: skip
    event["hash"] = event_hash(event, legacy=True)
    names = [*_FIELDS, "hash"]
    db.execute(f"INSERT INTO audit ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
               [event[k] for k in names])  # fmt: skip
    return str(event["hash"])


@pytest.mark.parametrize("broken", [False, True], ids=["whole", "already-broken"])
def test_0006_rehashes_identifiers_as_salted_digests_and_never_launders_a_break(
    tmp_path: Path, broken: bool
) -> None:
    """Pre-release: existing stores are re-hashed once. A chain that was already broken before the
    migration stays broken at the same event."""
    from desktop_app.store.chain import GENESIS

    db = connect(tmp_path / DB_NAME, key=TEST_KEY)
    schema.migrations.apply(db, stop_before="0006_audit_salted_identifiers")
    head = _legacy_event(db, 1, GENESIS, "consent_date", '"2023-03-01"')
    head = _legacy_event(db, 2, head, "date_of_birth", '"1970-05-12"')
    head = _legacy_event(db, 3, head, "sex", '"male"')
    _legacy_event(db, 4, head, "hiv", '"negative"')
    assert verify(db).ok  # the legacy chain verifies under the legacy hashing
    if broken:
        db.execute("DROP TRIGGER audit_no_update")
        db.execute("UPDATE audit SET new_value = '\"female\"' WHERE seq = 3")
        db.execute(
            "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, 'x'); END"
        )
        assert verify(db).first_broken == 3
    # As open_store does (which then refuses a broken store), up to the next migration that
    # appends events of its own (0008's baseline events are checked in test_insider.py).
    schema.migrations.apply(db, stop_before="0008_replayable_chain")
    rows = db.execute("SELECT seq, field, new_value, salt FROM audit ORDER BY seq").fetchall()
    assert rows[1][1:3] == ("date_of_birth", '"1970-05-12"')  # the raw value stays in the store
    assert len(rows[1][3]) == 32  # with its salt
    assert [r[3] for r in rows[:4] if r[0] != 2] == [
        None,
        None,
        None,
    ]  # (0008 appends events after)
    report = verify(db)
    assert report.ok is not broken
    assert report.first_broken == (3 if broken else None)
    db.close()
