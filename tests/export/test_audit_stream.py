"""The bundle's audit parts are streamed (export/audit_stream.py, issue #21): audit_trail.csv,
audit_chain.jsonl and odm.xml's audit records are written from the audit trail read in pieces,
never whole; the pass's memory does not grow with the number of events; every read of the pass
is one snapshot of the store, so the events written are those the chain's check verified; a
chain that does not verify, or events that are not those checked, write no bundle. (The bytes
against the reference builders, in pieces of 1, 2, 3 and many events with adversarial text:
test_one_pass.py.)"""

from __future__ import annotations

import json
import math
import tracemalloc
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from helpers import add_user, open_test_store, screened
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.export import audit_stream, one_pass
from desktop_app.export.bundle import (
    BundleNotWrittenError,
    bundle_files,
    bundle_files_reference,
    csv_cell,
)
from desktop_app.rules import LoadedProtocol
from desktop_app.store import Store, chain, create_site, register_candidate, start_screening
from desktop_app.store.chain import ChainReport
from desktop_app.store.database import connect
from desktop_app.store.signed_records import read_snapshot

STAMP = datetime(2024, 5, 6, 7, 8, 9, tzinfo=timezone(timedelta(hours=8)))


class Counting:
    """A Sink that keeps only each file's size and how many pieces it came in."""

    def __init__(self) -> None:
        self.sizes: dict[str, int] = {}
        self.adds: dict[str, int] = {}

    def add(self, name: str, data: str | bytes) -> None:
        self.sizes[name] = self.sizes.get(name, 0) + len(data)
        self.adds[name] = self.adds.get(name, 0) + 1


def _store(folder: Path, protocol: LoadedProtocol) -> Store:
    """A site, one answered screening and a few bare ones; the clock fixed (the ODM's creation
    time is the same in the pass and the reference)."""
    store = open_test_store(folder)
    create_site(store, None, code="PUMCH", name="Site", principal_investigator="Dr. Test")
    user = add_user(store, "coordinator")
    screened(store, user, protocol)
    for initials in ("CD", "EF", "GH"):
        start_screening(
            store, user, register_candidate(store, user, initials=initials).id, protocol
        )
    store.clock = lambda: STAMP
    return store


def _append(store: Store, count: int) -> None:
    """`count` more events: answer changes of the answered screening (the newest of each answer
    is written inline in odm.xml), events of a candidate and of a user (not a screening's)."""
    number = store.db.execute("SELECT screening_number FROM candidates ORDER BY seq").fetchone()[0]
    with store.transaction("more events") as db:
        for k in range(count):
            entity = ("screening", "screening", "candidate", "user")[k % 4]
            chain.append(db, store.stamp(), head=store.chain_head, user_id=None, username="coordinator",
                         action="answer_saved" if entity == "screening" else "changed", entity=entity,
                         entity_id=f"{number}/1", field=("sex", "hiv", "consent_date")[k % 3],
                         old=f"value {k}", new=f"value {k + 1}", reason="typo" if k % 5 == 0 else None)  # fmt: skip


@pytest.fixture
def store(tmp_path: Path, protocol: LoadedProtocol) -> Iterator[Store]:
    store = _store(tmp_path / "data", protocol)
    try:
        yield store
    finally:
        store.close()


def _events(store: Store) -> int:
    return int(store.db.execute("SELECT count(*) FROM audit").fetchone()[0])


def test_the_audit_is_read_and_written_in_pieces(
    store: Store, protocol: LoadedProtocol, monkeypatch: pytest.MonkeyPatch
) -> None:
    """More events than a piece: fetched in pieces of at most PIECE rows from one cursor, each
    a piece of every audit file; the ODM writer is given no audit rows; the whole trail is never
    read (audit_rows, the reference's reader, is not called); the bytes are the reference's."""
    _append(store, 230)
    monkeypatch.setattr(audit_stream, "PIECE", 40)
    fetched: list[int] = []
    real = audit_stream.audit_pieces

    def spied(*args: Any) -> Iterator[list[list[Any]]]:
        for rows in real(*args):
            fetched.append(len(rows))
            yield rows

    monkeypatch.setattr(audit_stream, "audit_pieces", spied)
    given: list[list[Any]] = []
    writer = one_pass.OdmWriter

    def odm_writer(protocol: Any, site: Any, audit: Any, *args: Any, **kwargs: Any) -> Any:
        given.append(list(audit))
        return writer(protocol, site, audit, *args, **kwargs)

    monkeypatch.setattr(one_pass, "OdmWriter", odm_writer)
    reference = bundle_files_reference(store, protocol)

    def whole(*_args: Any) -> Any:
        raise AssertionError("the pass read the whole audit trail")

    monkeypatch.setattr("desktop_app.store.signed_records.audit_rows", whole)
    monkeypatch.setattr("desktop_app.export.bundle.audit_rows", whole)
    sink = Counting()
    written = one_pass.write_files(store, protocol, sink)
    events = _events(store)
    assert fetched == [40] * (events // 40) + ([events % 40] if events % 40 else [])
    assert len(fetched) == math.ceil(events / 40) >= 6
    assert sink.adds["audit_trail.csv"] == sink.adds["audit_chain.jsonl"] == len(fetched) + 1
    assert sink.adds["odm.xml"] > len(fetched)
    assert given == [[]]
    assert written.events == events
    for name in ("audit_trail.csv", "audit_chain.jsonl", "odm.xml"):
        assert sink.sizes[name] == len(reference[name]), name
    files, _, head = bundle_files(store, protocol)
    assert {name: files[name] for name in reference} == reference
    assert head == json.loads(files["audit_chain.jsonl"].splitlines()[-1])[-1]


def test_the_pieces_are_the_audit_rows_and_the_newest_answer_events_the_documents(
    store: Store, protocol: LoadedProtocol
) -> None:
    """audit_pieces joined is audit_rows (an identifier's values withheld in both), in pieces of
    any size and up to the event asked; latest_answer_events is odm.document's `latest` for the
    attempts asked, with the fields an AuditRecord reads."""
    from desktop_app.export import odm
    from desktop_app.store.signed_records import audit_pieces, audit_rows, latest_answer_events

    _append(store, 30)
    with store.transaction("an identifier's change") as db:
        chain.append(db, store.stamp(), head=store.chain_head, user_id=None, username="x",
                     action="candidate_changed", entity="candidate", entity_id="A-1",
                     field="date_of_birth", old="1970-01-02", new="1971-02-03")  # fmt: skip
    columns, rows = audit_rows(store)
    assert any(str(row[columns.index("new_value")]).startswith("withheld:") for row in rows)
    for size in (1, 3, 1000):
        assert [r for piece in audit_pieces(store, size, len(rows)) for r in piece] == rows
    assert [r for piece in audit_pieces(store, 4, 10) for r in piece] == rows[:10]
    events = [dict(zip(columns, row, strict=True)) for row in rows]
    latest = odm.document(protocol, {}, events, {}, "t").latest
    keys = {key for key, _ in latest}
    assert keys  # the answered screening's answers
    found = latest_answer_events(store, keys, odm.SCREENING_ENTITIES, len(rows))
    assert found.keys() == latest.keys()
    assert all(found[k] == {n: latest[k][n] for n in found[k]} for k in latest)
    assert latest_answer_events(store, [], odm.SCREENING_ENTITIES, len(rows)) == {}


def _peak(store: Store, protocol: LoadedProtocol, spill: Path | None) -> int:
    """tracemalloc's peak of one pass (over what was allocated before it) into a sink that keeps
    no bytes, or (`spill`) into the export's Packer spilling to that folder, up to its finish."""
    one_pass.write_files(store, protocol, Counting())  # templates, caches, imports: made once
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        if spill is None:
            one_pass.write_files(store, protocol, Counting())
        else:
            packer = one_pass.Packer(spill)
            one_pass.write_files(store, protocol, packer)
            for packed in packer.finish().values():
                packed.close()
        return tracemalloc.get_traced_memory()[1] - before
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("packed", [False, True])
def test_the_pass_peak_memory_does_not_grow_with_the_events(
    tmp_path: Path, protocol: LoadedProtocol, monkeypatch: pytest.MonkeyPatch, packed: bool
) -> None:
    """Eight times the events, the same screenings: the peak stays within a tenth of itself
    (measured: 1.15 MB for 1,000 to 16,000 events in pieces of 200, where the audit read whole
    peaked at 5.3 MB for 2,000 events and 18.7 MB for 8,000); also through the Packer, whose
    compressed files wait in temporary files beyond SPILL bytes: 3.57 to 3.99 MB for 1,000 to
    16,000 events alike (kept in memory, 4.17, 4.64 and 6.72 MB), within a quarter of itself,
    since how many pieces wait in its queue (at most QUEUED, however slow its thread) depends on
    when its thread runs. Allocation is counted, not time."""
    monkeypatch.setattr(audit_stream, "PIECE", 200)
    monkeypatch.setattr(one_pass, "SPILL", 16 * 1024)
    peaks = []
    for count, folder in ((1_000, "few"), (8_000, "many")):
        store = _store(tmp_path / folder, protocol)
        try:
            _append(store, count)
            peaks.append(_peak(store, protocol, tmp_path if packed else None))
        finally:
            store.close()
    few, many = peaks
    within = 1.25 if packed else 1.1
    assert many < within * few, f"peak {few:,} bytes for 1,000 events, {many:,} for 8,000"


def test_a_full_disk_while_spilling_writes_no_bundle(
    store: Store, protocol: LoadedProtocol, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Packer's temporary files fill the disk: the export says so in words, leaves no file
    and stops its thread."""
    import tempfile
    import threading

    from helpers import TEST_PASSWORD

    from desktop_app.export import bundle
    from desktop_app.store import get_account

    class Full(tempfile.SpooledTemporaryFile):  # type: ignore[type-arg]
        def write(self, data: Any) -> int:
            if self.tell() + len(data) > 1000:
                raise OSError(28, "No space left on device")
            return int(super().write(data))

    _append(store, 200)
    monkeypatch.setattr(one_pass.tempfile, "SpooledTemporaryFile", Full)
    monkeypatch.setattr(bundle, "refuse_if_tampered", lambda *args, **kwargs: None)
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "b.zip"
    user = get_account(store, "coordinator")
    with pytest.raises(
        BundleNotWrittenError, match=r"b\.zip was not written: No space left on device"
    ):
        bundle.write_bundle(store, protocol, user, TEST_PASSWORD, out)
    assert list(folder.iterdir()) == []
    assert not [t for t in threading.enumerate() if t.name == "eligo-bundle-packer"]


def test_the_pass_reads_one_snapshot(store: Store, protocol: LoadedProtocol) -> None:
    """Another connection commits an event and a new screening while the pass runs (after its
    chain check): the bundle holds the store as it was when the pass began, its head and events
    those it checked."""
    reference = bundle_files_reference(store, protocol)
    events = _events(store)
    head = store.db.execute("SELECT hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()[0]
    key = store.keyring.key if store.keyring else None
    other = connect(store.path, key=key)
    committed: list[int] = []

    def meanwhile() -> None:
        if committed:
            return
        other.conn.execute("BEGIN IMMEDIATE")
        chain.append(other, store.stamp(), head=chain.ChainHead(), user_id=None, username="other",
                     action="screening_started", entity="screening", entity_id="X/1")  # fmt: skip
        cursor = other.conn.execute(
            "INSERT INTO candidates (screening_number, seq, initials, created_at, created_by) "
            "VALUES ('X-1', 999, 'XY', 'x', 1)"
        )
        other.conn.execute(
            "INSERT INTO screenings (candidate_id, attempt, protocol_id, protocol_version, protocol_sha256, "
            "screening_date, determination, failing, created_at, created_by, updated_at) "
            "VALUES (?, 1, 'p', '1', 'x', '2024-01-01', 'incomplete', '', 'x', 1, 'x')",
            [cursor.lastrowid],
        )  # fmt: skip
        other.conn.execute("COMMIT")
        committed.append(1)

    try:
        files, count, written_head = bundle_files(store, protocol, step=meanwhile)
        assert committed
        assert _events(store) == events + 1  # committed, and seen outside the pass
        assert (written_head, count) == (head, len(json.loads(reference["screenings.json"])))
        assert files == reference
        assert not store.db.conn.in_transaction  # the snapshot ended with the pass
    finally:
        other.close()


def test_a_snapshot_inside_a_transaction_is_that_transaction(store: Store) -> None:
    conn = store.db.conn
    conn.execute("BEGIN")
    with read_snapshot(store):
        assert conn.in_transaction
    assert conn.in_transaction  # not ended by the snapshot: its opener ends it
    conn.execute("ROLLBACK")
    with read_snapshot(store):
        assert conn.in_transaction
    assert not conn.in_transaction


def test_a_chain_that_does_not_verify_writes_no_bundle(
    store: Store, protocol: LoadedProtocol
) -> None:
    """An event appended raw with a hash that is not its own (a tampered store)."""
    last_seq, last_hash = store.db.execute(
        "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    store.db.conn.execute(
        "INSERT INTO audit (seq, at_utc, utc_offset, user_id, username, action, entity, entity_id, "
        "field, old_value, new_value, reason, prev_hash, salt, hash) "
        "VALUES (?, 't', '+00:00', NULL, 'x', 'changed', 'screening', 'A/1', NULL, NULL, NULL, NULL, ?, NULL, ?)",
        [last_seq + 1, last_hash, "0" * 64],
    )  # fmt: skip
    sink = Counting()
    with pytest.raises(BundleNotWrittenError, match="audit chain does not verify"):
        one_pass.write_files(store, protocol, sink)
    assert "audit_trail.csv" not in sink.sizes  # refused before anything of the audit


def test_events_that_are_not_those_checked_write_no_bundle(
    store: Store, protocol: LoadedProtocol
) -> None:
    """A chain report of other events than the store holds (a report of an earlier moment, or
    of a tail of the chain): refused once the events are read, the head written compared."""
    events = _events(store)
    head = store.db.execute("SELECT hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()[0]
    for report in (
        ChainReport(events, "f" * 64, None, None),
        ChainReport(events - 1, head, None, None),
    ):
        with pytest.raises(BundleNotWrittenError, match="not those whose chain was checked"):
            one_pass.write_files(store, protocol, Counting(), chain=report)
    # the report of the store as it is: written
    assert (
        one_pass.write_files(store, protocol, Counting(), chain=chain.verify(store.db)).head == head
    )


CELL = (
    st.sampled_from(["+08:00", "-05:30", "+08:00\n", "+08:00\x00=1", "=1", "-1", "+1.5", "@x", "'q",
                     "\tx", "\rx", "+\u0660\u0668:\u0660\u0660", "+08:000", "x\x00+08:00", ""])
    | st.text(max_size=8)
    | st.integers()
    | st.none()
)  # fmt: skip


@given(st.lists(st.lists(CELL, min_size=1, max_size=6), max_size=4))
def test_audit_rows_are_defused_cell_by_cell_as_every_csv_file(rows: list[list[Any]]) -> None:
    """The audit trail's quicker check (a UTC offset is no formula) defuses what csv_cell does."""
    assert list(audit_stream._defused(rows)) == [[csv_cell(v) for v in row] for row in rows]
