"""The audit trail: append-only, hash-chained over canonical JSON, checked by `db check`."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from helpers import as_demo_admin, open_test_store, raw_connect
from sqlcipher3 import dbapi2 as sqlite3

from desktop_app.cli import main
from desktop_app.rules import LoadedProtocol
from desktop_app.store import Store, User
from desktop_app.store.chain import GENESIS, event_hash, verify
from desktop_app.store.records import register_candidate


def events(store: Store) -> list[dict[str, object]]:
    cursor = store.db.execute("SELECT * FROM audit ORDER BY seq")
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def test_every_change_is_an_event_with_who_and_when(site_and_user: tuple[Store, User]) -> None:
    store, user = site_and_user
    register_candidate(
        store, user, initials="AB", sex="female", local_identifiers={"mrn": "12345678"}
    )
    trail = events(store)
    assert [e["action"] for e in trail] == [
        "site_created",
        "account_created",
        "account_created",
        "candidate_registered",
    ]
    last = trail[-1]
    assert last["username"] == "coordinator"
    assert str(last["at_utc"]).endswith("Z")
    assert last["utc_offset"] == "+08:00"
    assert str(last["at_utc"]).startswith("2023-03-08T01:00:")  # 09:00 local at +08:00, in UTC
    assert "12345678" not in str(trail)  # local identifiers never enter the (exported) trail


def test_chain_links_each_event_to_the_previous(site_and_user: tuple[Store, User]) -> None:
    store, _ = site_and_user
    trail = events(store)
    assert trail[0]["prev_hash"] == GENESIS
    for before, after in itertools.pairwise(trail):
        assert after["prev_hash"] == before["hash"]
    assert all(event_hash(e) == e["hash"] for e in trail)
    assert verify(store.db).ok


@pytest.mark.parametrize(
    "statement", ["UPDATE audit SET username = 'mallory'", "DELETE FROM audit"]
)
def test_update_and_delete_are_refused(site_and_user: tuple[Store, User], statement: str) -> None:
    store, _ = site_and_user
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        store.db.execute(statement)


def tamper(data: Path, sql: str) -> None:
    conn = raw_connect(data / "eligo.db")
    conn.executescript(f"DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete; {sql}")
    conn.close()


@pytest.mark.parametrize(
    ("sql", "seq", "words"),
    [
        ("UPDATE audit SET username = 'mallory' WHERE seq = 2", 2, "altered"),
        ("UPDATE audit SET new_value = '{}' WHERE seq = 3", 3, "altered"),
        ("DELETE FROM audit WHERE seq = 2", 2, "missing"),
        ("UPDATE audit SET prev_hash = '" + "1" * 64 + "' WHERE seq = 3", 3, "does not follow"),
    ],
)
def test_db_check_names_the_first_broken_event(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], sql: str, seq: int, words: str
) -> None:
    data = tmp_path / "data"
    assert main(["demo", "--data-dir", str(data)]) == 0
    assert main(["db", "check", "--data-dir", str(data), *as_demo_admin()]) == 0
    tamper(data, sql)
    capsys.readouterr()
    assert main(["db", "check", "--data-dir", str(data), *as_demo_admin()]) == 1
    out = capsys.readouterr().out
    assert f"BROKEN at event {seq}" in out
    assert words in out
    assert "SQLite library:" in out
    # Opening for work refuses the broken store instead of going on.
    from desktop_app.store import StoreCorruptError

    with pytest.raises(StoreCorruptError, match=f"audit event {seq}"):
        open_test_store(data)


def test_open_checks_the_newest_events_and_db_check_all(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop_app.store import StoreCorruptError, database

    data = tmp_path / "data"
    assert main(["demo", "--data-dir", str(data)]) == 0
    monkeypatch.setattr(database, "OPEN_CHECK_EVENTS", 100)
    tamper(data, "UPDATE audit SET username = 'mallory' WHERE seq = 10")
    with open_test_store(data):  # an old event: too deep for the quick check on open
        pass
    assert main(["db", "check", "--data-dir", str(data), *as_demo_admin()]) == 1
    assert "BROKEN at event 10" in capsys.readouterr().out
    with open_test_store(data, read_only=True) as reader:
        newest = reader.db.execute("SELECT max(seq) FROM audit").fetchone()[0]
    tamper_again = f"UPDATE audit SET username = 'mallory' WHERE seq = {newest - 5}"
    conn = raw_connect(data / "eligo.db")
    conn.execute(tamper_again)
    conn.commit()
    conn.close()
    with pytest.raises(StoreCorruptError, match=f"audit event {newest - 5}"):
        open_test_store(data)


@pytest.mark.parametrize(
    ("moment", "at_utc", "offset"),
    [
        ("2023-03-08T09:00:00+08:00", "2023-03-08T01:00:00.000000Z", "+08:00"),
        ("2023-03-08T09:00:00.5-05:30", "2023-03-08T14:30:00.500000Z", "-05:30"),
        ("2024-01-01T00:00:00+00:00", "2024-01-01T00:00:00.000000Z", "+00:00"),
    ],
)
def test_stamps_are_utc_with_the_local_offset(moment: str, at_utc: str, offset: str) -> None:
    from datetime import datetime

    from desktop_app.store.clock import Stamp

    assert Stamp.of(datetime.fromisoformat(moment)) == Stamp(at_utc, offset)


def test_event_hash_known_answer() -> None:
    # Pins the chain format: sha256 over the RFC 8785 array of the fields in their fixed order.
    import hashlib

    event = {"seq": 1, "at_utc": "2023-03-08T01:00:00.000000Z", "utc_offset": "+08:00", "user_id": None,
             "username": "system", "action": "site_created", "entity": "site", "entity_id": "PUMCH",
             "field": None, "old_value": None, "new_value": '{"code":"PUMCH"}', "reason": None,
             "prev_hash": GENESIS}  # fmt: skip
    canonical = (
        '[1,"2023-03-08T01:00:00.000000Z","+08:00",null,"system","site_created","site","PUMCH",null,null,'
        '"{\\"code\\":\\"PUMCH\\"}",null,"' + GENESIS + '"]'
    )
    assert event_hash(event) == hashlib.sha256(canonical.encode()).hexdigest()


# An identifier's values enter the hash as salted digests; the raw value stays in the store.


def test_withheld_event_known_answer() -> None:
    import hashlib

    from desktop_app.store.chain import hashed_fields

    salt = "00112233445566778899aabbccddeeff"
    event = {"seq": 7, "at_utc": "2023-03-08T01:00:00.000000Z", "utc_offset": "+08:00", "user_id": 2,
             "username": "coordinator", "action": "answer_saved", "entity": "screening",
             "entity_id": "PUMCH-0001/1", "field": "date_of_birth", "old_value": None,
             "new_value": '"1970-05-12"', "reason": None, "prev_hash": GENESIS, "salt": salt}  # fmt: skip
    digest = hashlib.sha256(bytes.fromhex(salt) + b'"1970-05-12"').hexdigest()
    assert hashed_fields(event)[10] == "withheld:sha256:" + digest
    canonical = ('[7,"2023-03-08T01:00:00.000000Z","+08:00",2,"coordinator","answer_saved","screening",'
                 f'"PUMCH-0001/1","date_of_birth",null,"withheld:sha256:{digest}",null,"{GENESIS}"]')  # fmt: skip
    assert event_hash(event) == hashlib.sha256(canonical.encode()).hexdigest()
    # Without its salt (or with another) the event cannot keep its hash.
    assert event_hash({**event, "salt": None}) != event_hash(event)
    assert event_hash({**event, "salt": "ff" * 16}) != event_hash(event)


def test_a_changed_birth_date_breaks_the_chain_though_only_its_digest_is_hashed(
    site_and_user: tuple[Store, User], protocol: LoadedProtocol
) -> None:
    from desktop_app.store import save_answer, start_screening
    from desktop_app.store.signed_records import audit_rows

    store, user = site_and_user
    candidate = register_candidate(store, user, initials="AB", sex="female")
    screening = start_screening(store, user, candidate.id, protocol)
    save_answer(store, user, screening.id, "date_of_birth", "1970-05-12")
    (seq, salt, new) = store.db.execute(
        "SELECT seq, salt, new_value FROM audit WHERE field = 'date_of_birth'"
    ).fetchone()
    assert new == '"1970-05-12"'
    assert len(salt) == 32
    _, rows = audit_rows(store)
    exported = rows[seq - 1]
    assert exported[10].startswith("withheld:sha256:")
    assert "1970" not in str(rows)
    assert verify(store.db).ok
    store.db.execute("DROP TRIGGER audit_no_update")
    store.db.execute("UPDATE audit SET new_value = '\"1971-05-12\"' WHERE seq = ?", [seq])
    report = verify(store.db)
    assert (report.first_broken, report.problem) == (
        seq,
        f"audit event {seq} was altered (hash mismatch)",
    )
