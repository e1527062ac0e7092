"""The bundle's one pass (issue #21) writes exactly the bytes of the whole-file reference builders
(bundle.bundle_files_reference), on a store with everything a screening can carry and on plain
rows with adversarial text: quotes, commas, formula starts, <&>, tabs, newlines, non-ASCII and
Chinese; in pieces of a few attempts, so that every piece boundary and candidate with several
attempts is crossed."""

from __future__ import annotations

import hashlib
import json
import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from helpers import TEST_PASSWORD, add_user, answers, confirmed, open_test_store, screened
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.export import audit_stream, bundle, fhir, one_pass
from desktop_app.export.bundle import bundle_files, bundle_files_reference, write_bundle
from desktop_app.export.fhir import FhirWriter, _uuid, resource_uuid
from desktop_app.export.reader import BundleReader
from desktop_app.export.templates import bare_document
from desktop_app.export.verify import verify_bundle
from desktop_app.rules import LoadedProtocol, evaluate
from desktop_app.store import Store, create_site, register_candidate, save_answers, start_screening
from desktop_app.store.annotations import raise_query, save_note
from desktop_app.store.answers import record_outcome
from desktop_app.store.attachments import add_attachment, open_attachment
from desktop_app.store.signatures import sign_screening

ODD = ['He said "no", then =1+2', "+08:00", "-1", "@SUM(A1)", "'quoted", "\tTab", "a<b&c>d",
       "é ü", "筛选失败，未入组", "😀", "back\\slash", "line\nbreak", "cr\rhere", " lead", "unit\x1fsep", "a,b"]  # fmt: skip
STAMP = datetime(2024, 5, 6, 7, 8, 9, tzinfo=timezone(timedelta(hours=8)))


def _ticking() -> Any:
    """A clock a second further at each reading, from the day of the tests' answers (an
    enrolment date must not be before the investigator's confirmation)."""
    now = [datetime(2023, 3, 8, 9, 0, tzinfo=timezone(timedelta(hours=8)))]

    def clock() -> datetime:
        now[0] += timedelta(seconds=1)
        return now[0]

    return clock


def _frozen(store: Store) -> None:
    """One clock reading for the rest of the test: the ODM's creation time is the same in the
    one pass and the reference."""
    store.clock = lambda: STAMP


@pytest.fixture(scope="module")
def full_store(
    tmp_path_factory: pytest.TempPathFactory, protocol: LoadedProtocol
) -> Iterator[Store]:
    """Signatures, an invalidated one, missing-data codes, notes and queries, attachments, kept
    answers that no longer apply, warnings acknowledged, outcomes, several attempts per
    candidate, adversarial text in every typed field, and plain attempts around them."""
    store = open_test_store(tmp_path_factory.mktemp("one-pass") / "data", clock=_ticking())
    try:
        _fill(store, protocol)
        yield store
    finally:
        store.close()


def _fill(store: Store, protocol: LoadedProtocol) -> None:
    create_site(
        store, None, code="PUMCH", name='Peking "Union" <&> 医院', principal_investigator="Dr. Test"
    )
    coordinator = add_user(store, "coordinator", full_name='=Coordinator, "Test" 协调员')
    monitor = add_user(store, "monitor", roles=("monitor",))
    signed = screened(store, coordinator, protocol)
    sign_screening(store, coordinator, signed, TEST_PASSWORD)
    confirmed(store, signed)
    record_outcome(store, coordinator, signed, "enrolled", randomization_number='=R-1,"x"',
                   enrolled_on=date(2023, 3, 9), note="<&> 备注")  # fmt: skip
    invalidated = screened(store, coordinator, protocol, initials="CD")
    sign_screening(store, coordinator, invalidated, TEST_PASSWORD)
    save_answers(store, coordinator, invalidated, {"consent_form_version": '=2.1,"b"'},
                 reason="@typo, \"fixed\"\t<&>")  # fmt: skip
    kept = answers(gc_plan="newly_initiated", gc_maintenance_drug="methylprednisolone",
                   gc_maintenance_dose_mg_per_day=37.5, other_medications=[
                       {"name": '=cmd|" /C calc"!A0', "classification": "other", "last_dose_date": "2023-01-02"},
                       {"name": "中药, <&> \t'quoted'", "classification": "other", "last_dose_date": None}])  # fmt: skip
    kept_id = screened(store, coordinator, protocol, kept, initials="EF")
    ineligible = screened(
        store, coordinator, protocol, answers(hiv="positive", sex="female"), initials="GH"
    )
    coded = screened(
        store, coordinator, protocol, answers(hbv_dna={"missing_data": "not_done"}), initials="IJ"
    )
    save_note(store, coordinator, coded, "ppd", 'Read at 72 hours, "late" <&> =1')
    raise_query(store, monitor, coded, "hiv", "Which assay? 哪种", suggested_value="-negative")
    scan = add_attachment(store, coordinator, kept_id, file_name="scan.pdf", content=b"%PDF-1.4 x",
                          kind="pathology_report", title='=Report, "<&>" 报告')  # fmt: skip
    open_attachment(store, monitor, scan.id)  # an access in the chain: its own shape of event
    again = start_screening(
        store, coordinator, register_candidate(store, coordinator, initials="KL").id, protocol
    )
    save_answers(store, coordinator, again.id, answers(hiv="positive"),
                 determination=evaluate(protocol, answers(hiv="positive")))  # fmt: skip
    record_outcome(store, coordinator, again.id, "screen_failure")
    second = start_screening(store, coordinator, again.candidate_id, protocol)
    save_answers(store, coordinator, second.id, {"sex": "male", "consent_date": "2023-04-01"})
    plain = add_user(store, "plain", full_name="Plain Coordinator")
    for initials in ("MN", "OP", "QR", "ST"):  # started, nothing answered: the templates
        start_screening(
            store, plain, register_candidate(store, plain, initials=initials).id, protocol
        )
    _ = ineligible
    _odd_events(store)


AUDIT_ODD = [
    *ODD,
    "ctl\x01\x02\x7f\x0bend",
    '<tag a="1">&amp;</tag>',
    '双引号"，逗号,',
    "=cmd|' /C calc'!A0",
    "+08:00\n",  # a UTC offset is left as it is, this is not
    "+08:00\x00=1",
]


def _odd_events(store: Store) -> None:
    """Audit events with adversarial text in every field a bundle writes of them: the newest
    answer event of the first attempt's answers (odm.xml writes it inline), events of a
    candidate and of a signature, one not a screening's (AuditRecords leaves it out), one of an
    identifier (its values withheld as salted digests)."""
    from desktop_app.store import chain

    number = store.db.execute("SELECT screening_number FROM candidates ORDER BY seq").fetchone()[0]
    with store.transaction("odd events") as db:
        for n, text in enumerate(AUDIT_ODD):
            entity = ("screening", "candidate", "signature", "user")[n % 4]
            chain.append(
                db, store.stamp(), head=store.chain_head, user_id=None, username=text,
                action="answer_saved" if n % 4 == 0 else text, entity=entity,
                entity_id=f"{number}/1" if n % 4 == 0 else text,
                field=("sex", "consent_date", "hiv")[n % 3] if n % 4 == 0 else (text if n % 2 else None),
                old={"odd": text} if n % 3 else None, new=text, reason=text if n % 5 else None,
            )  # fmt: skip
        chain.append(db, store.stamp(), head=store.chain_head, user_id=None, username="x",
                     action="candidate_changed", entity="candidate", entity_id=number,
                     field="date_of_birth", old="1970-01-02", new="1971-02-03", reason=AUDIT_ODD[0])  # fmt: skip


def _raw_attempts(store: Store, rows: list[dict[str, Any]]) -> None:
    """Plain attempts written raw (as the benchmarks seed them), with text Eligo's own forms
    would refuse, so that the templates' regex meets it."""
    conn = store.db.conn
    conn.execute("BEGIN")
    seq = conn.execute("SELECT coalesce(max(seq), 0) FROM candidates").fetchone()[0]
    for n, row in enumerate(rows, start=seq + 1):
        cursor = conn.execute(
            "INSERT INTO candidates (screening_number, seq, initials, sex, date_of_birth, created_at, created_by) "
            "VALUES (?, ?, ?, ?, ?, 'x', 1)",
            [row["number"], n, row["initials"], row["sex"], row["born"]],
        )  # fmt: skip
        for attempt in range(1, row["attempts"] + 1):
            conn.execute(
                "INSERT INTO screenings (candidate_id, attempt, protocol_id, protocol_version, protocol_sha256, "
                "consent_date, screening_date, determination, failing, outcome, created_at, created_by, "
                "updated_at, coordinator_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'x', 1, 'x', ?)",
                [cursor.lastrowid, attempt, row["protocol"], "1.0", "x", row["consent"], row["screened"],
                 row["determination"], "E5" if row["determination"] == "ineligible" else "", row["outcome"],
                 row["coordinator"]],
            )  # fmt: skip
    conn.execute("COMMIT")


def _remove_raw(store: Store, first_seq: int) -> None:
    conn = store.db.conn
    conn.execute("BEGIN")
    conn.execute(
        "DELETE FROM screenings WHERE candidate_id IN (SELECT id FROM candidates WHERE seq > ?)",
        [first_seq],
    )
    conn.execute("DELETE FROM candidates WHERE seq > ?", [first_seq])
    conn.execute("COMMIT")


def _events(store: Store) -> int:
    return int(store.db.execute("SELECT count(*) FROM audit").fetchone()[0])


def _compare(store: Store, protocol: LoadedProtocol, language: Any = "en") -> dict[str, bytes]:
    _frozen(store)
    files, count, head = bundle_files(store, protocol, language=language)
    reference = bundle_files_reference(store, protocol, language=language)
    assert set(files) == set(reference)
    for name in reference:
        assert files[name] == reference[name], name
    assert count == len(json.loads(files["screenings.json"]))
    assert (
        head == store.db.execute("SELECT hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()[0]
    )
    return files


def test_plain_attempts_take_the_templates(
    full_store: Store, protocol: LoadedProtocol, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The attempts without nested data or text to escape are written from the templates, the
    others by the per-row code (the byte-for-byte tests pass either way)."""
    per_row: list[str] = []
    real = one_pass._Walk._per_row

    def counted(walk: Any, row: tuple[Any, ...]) -> Any:
        per_row.append(row[3])  # the initials
        return real(walk, row)

    monkeypatch.setattr(one_pass._Walk, "_per_row", counted)
    _compare(full_store, protocol)
    assert sorted(per_row) == ["AB", "CD", "EF", "GH", "IJ", "KL", "KL"]  # each with nested data


def test_plain_attempts_reach_the_writers_as_bare_tuples(
    full_store: Store, protocol: LoadedProtocol, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The walk hands the streaming writers each bare attempt with a plain number and initials
    as a Bare tuple (no dict, no check of theirs), the same document screenings.json holds; an
    attempt whose initials are not plain (Chinese) as its document; both from the templates."""
    handed: list[Any] = []
    real = one_pass.RecordsWriter.rows

    def seen(writer: Any, piece: Any) -> str:
        handed.extend(piece)
        return real(writer, piece)

    monkeypatch.setattr(one_pass.RecordsWriter, "rows", seen)
    store = full_store
    first = store.db.execute("SELECT max(seq) FROM candidates").fetchone()[0]
    plain = {"number": "P-1", "initials": "PQ", "attempts": 2, "sex": None, "born": None,
             "consent": "", "screened": "2023-03-08", "determination": "incomplete",
             "outcome": "declined", "protocol": "NCT0", "coordinator": None}  # fmt: skip
    _raw_attempts(store, [plain, {**plain, "number": "P-2", "initials": "张三"}])
    try:
        files = _compare(store, protocol)
    finally:
        _remove_raw(store, first)
    documents = {
        (d["screening_number"], d["attempt"]): d for d in json.loads(files["screenings.json"])
    }
    bare = [s for s in handed if isinstance(s, tuple)]
    assert [(b[0], b[1]) for b in bare if b[0].startswith("P-")] == [("P-1", 1), ("P-1", 2)]
    assert all(bare_document(b) == documents[b[0], b[1]] for b in bare)
    assert any(isinstance(s, dict) and s["initials"] == "张三" for s in handed)


@pytest.mark.parametrize(
    ("odd", "per_row"),
    [
        ({"number": "P-2", "initials": "O'K"}, ["O'K"]),  # needs escaping: the per-row code
        ({"number": "P+2", "initials": "RS"}, []),  # a "+" inside a value: checked alone, plain
    ],
)
def test_a_line_to_check_in_a_piece_leaves_the_others_on_the_templates(
    full_store: Store, protocol: LoadedProtocol, monkeypatch: pytest.MonkeyPatch,
    odd: dict[str, str], per_row: list[str],
) -> None:  # fmt: skip
    """A piece's template lines are checked together; when that check finds a line that may need
    escaping, each is checked alone, and only a line that does need it is written again by the
    per-row code (once, as every attempt with nested data): the files are the reference's."""
    rows: list[str] = []  # the initials of the attempts written by the per-row code
    checked_alone: list[str] = []
    real, alone = one_pass._Walk._per_row, one_pass._needs_escaping

    def counted(walk: Any, row: tuple[Any, ...]) -> Any:
        rows.append(row[3])
        return real(walk, row)

    def checked(line: str) -> bool:
        checked_alone.append(line)
        return alone(line)

    monkeypatch.setattr(one_pass._Walk, "_per_row", counted)
    monkeypatch.setattr(one_pass, "_needs_escaping", checked)
    store = full_store
    first = store.db.execute("SELECT max(seq) FROM candidates").fetchone()[0]
    plain = {"number": "P-1", "initials": "PQ", "attempts": 1, "sex": None, "born": None,
             "consent": "", "screened": "2023-03-08", "determination": "incomplete",
             "outcome": None, "protocol": "NCT0", "coordinator": None}  # fmt: skip
    _raw_attempts(store, [plain, {**plain, **odd}, {**plain, "number": "P-3"}])
    try:
        _compare(store, protocol)
        assert sorted(rows) == sorted(["AB", "CD", "EF", "GH", "IJ", "KL", "KL", *per_row])
        assert any(odd["number"] in line for line in checked_alone)  # the piece's lines, alone
    finally:
        _remove_raw(store, first)


LINE_TEXT = st.text(
    st.sampled_from([*"aZ09 -+,'\"\\<>&=@_./:", "\x00", "\x1f", "\x7f", "\t", "张", "\ud800"])
)


@settings(max_examples=500)
@given(st.lists(LINE_TEXT, min_size=1, max_size=4), st.integers(0, 3))
def test_the_pieces_check_finds_every_line_that_needs_escaping(
    values: list[str], place: int
) -> None:
    """Whatever the values, a piece's lines checked together are flagged whenever one of them,
    checked alone, is: the templates never write a line that needs escaping."""
    good = ",".join(["BENCH-000001", "1", "CK", *[""] * 4, "2022-11-24", "N", *[""] * 9])
    cells = good.split(",")
    cells[: len(values)] = values
    line = ",".join(cells)
    lines = [good, good, good]
    lines.insert(min(place, 3), line)
    if any(one_pass._needs_escaping(each) for each in lines):
        assert one_pass._lines_need_escaping(lines)
    assert not one_pass._lines_need_escaping([good] * 3)


@pytest.mark.parametrize("piece", [1, 2, 3, 1000])
@pytest.mark.parametrize("language", ["en", "zh-CN"])
def test_every_file_of_the_one_pass_is_the_reference_bytes(
    full_store: Store,
    protocol: LoadedProtocol,
    monkeypatch: pytest.MonkeyPatch,
    piece: int,
    language: str,
) -> None:
    """In pieces of 1, 2, 3 and 1,000 attempts and as many audit events."""
    monkeypatch.setattr(one_pass, "PIECE", piece)
    monkeypatch.setattr(audit_stream, "PIECE", piece)
    files = _compare(full_store, protocol, language)
    trail, odm = files["audit_trail.csv"].decode("utf-8"), files["odm.xml"].decode("utf-8")
    assert "ctl\x01\x02\x7f\x0bend" in trail
    assert "'=cmd|" in trail
    assert "withheld:sha256:" in trail
    assert "'+08:00\x00=1" in trail
    assert "'+08:00\n" in trail
    assert "双引号" in odm
    assert "&lt;tag" in odm
    # the newest event of an answer inline in its ItemData, and in AuditRecords
    assert odm.count("<ReasonForChange>cr&#13;here</ReasonForChange>") == 2
    assert len(files["audit_chain.jsonl"].splitlines()) == _events(full_store)
    records = json.loads(files["screenings.json"])
    assert any(r.get("kept_not_applicable") for r in records)
    assert any(s["invalidated"] for r in records for s in r["signatures"])
    assert any(r["outcome"] == "enrolled" for r in records)
    assert [r["attempt"] for r in records if r["initials"] == "KL"] == [1, 2]
    assert b"NOT_DONE" in files["odm.xml"] or b"not_done" in files["odm.xml"]
    assert b"'=2.1" in files["screening_log.csv"]  # defused in the per-row code
    # A monitor's opening of a source document: an AuditRecord and a line of the trail like any event.
    assert b" attachment_viewed " in files["odm.xml"]
    assert b",attachment_viewed," in files["audit_trail.csv"]


PLAIN = st.sampled_from(["AB", "Zhang", "张三", "A.B", "x/y", "", "2023-03-08", "a b", "NCT0-1+2"])
VALUE = st.one_of(PLAIN, PLAIN, PLAIN, st.sampled_from(ODD), st.text(max_size=6))
RAW = st.fixed_dictionaries({
    "number": VALUE.map(lambda v: v + "-" if v else v), "initials": VALUE, "attempts": st.integers(1, 3),
    "sex": st.sampled_from([None, "female", "male"]), "born": st.sampled_from([None, "1970-05-12"]),
    "consent": st.sampled_from(["", "2023-03-01"]), "screened": VALUE,
    "determination": st.sampled_from(["draft", "incomplete", "eligible", "ineligible"]),
    "outcome": st.sampled_from([None, "declined", "withdrawn"]), "protocol": VALUE,
    "coordinator": st.sampled_from([None, 1, 2, 4]),
})  # fmt: skip


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(RAW, min_size=1, max_size=6, unique_by=lambda r: r["number"]), st.integers(1, 4))
def test_plain_attempts_with_adversarial_text_are_the_reference_bytes(
    full_store: Store, protocol: LoadedProtocol, monkeypatch: pytest.MonkeyPatch,
    rows: list[dict[str, Any]], piece: int,
) -> None:  # fmt: skip
    store = full_store
    monkeypatch.setattr(one_pass, "PIECE", piece)
    numbers = {r[0] for r in store.db.execute("SELECT screening_number FROM candidates")}
    rows = [r for r in rows if r["number"] not in numbers]
    first = store.db.execute("SELECT max(seq) FROM candidates").fetchone()[0]
    _raw_attempts(store, rows)
    try:
        try:
            reference = bundle_files_reference(store, protocol)
        except (UnicodeEncodeError, ValueError):  # a lone surrogate, a date that is not one
            with pytest.raises((UnicodeEncodeError, ValueError)):
                bundle_files(store, protocol)
            return
        del reference
        _compare(store, protocol)
    finally:
        _remove_raw(store, first)


@settings(max_examples=300)
@given(st.text(max_size=8), st.text(max_size=12) | st.integers(), st.integers(1, 99))
def test_the_fast_uuid_is_uuid5(site: str, number: Any, attempt: int) -> None:
    try:
        expected = resource_uuid("ResearchSubject", site, number, attempt)
    except UnicodeEncodeError:
        with pytest.raises(UnicodeEncodeError):
            _uuid("ResearchSubject", site, number, attempt)
        return
    assert _uuid("ResearchSubject", site, number, attempt) == expected


@pytest.mark.parametrize("sha1", [fhir._sha1_hash, hashlib.sha1], ids=["cpython", "openssl"])
def test_bare_subjects_have_their_uuid5_with_either_sha1(
    sha1: Any, protocol: LoadedProtocol, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Bare path resumes each subject's hash from a copy of the hashed prefix; with CPython's
    SHA-1 or OpenSSL's (where CPython has none) its UUIDs are uuid.uuid5's and its text the
    documents' path's."""
    monkeypatch.setattr(fhir, "_sha1_hash", sha1)
    named = {"id": protocol.id, "version": protocol.version, "sha256": protocol.sha256}
    bare = [
        ("S-0001", 1, "AB", "draft", named, None),
        ("PUMCH 2/7", 12, "ZQ", "signed", named, "enrolled"),
    ]
    writer = FhirWriter(protocol, "PUMCH-01")
    text = writer.entries(bare)
    assert re.findall(r'"fullUrl":"urn:uuid:([0-9a-f-]{36})"', text) == [
        resource_uuid("ResearchSubject", "PUMCH-01", number, attempt)
        for number, attempt, *_ in bare
    ]
    assert text == writer.entries([bare_document(b) for b in bare])


def test_the_signed_bundle_holds_the_one_pass_files_and_reads_back(
    full_store: Store, protocol: LoadedProtocol, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Deflated on the worker, written by zipfile: the strict reader, zipfile and verify read it;
    the manifest's hashes and sizes are the files'; the chain verified once."""
    from desktop_app.store import get_account

    store = full_store
    monkeypatch.setattr(one_pass, "PIECE", 2)
    monkeypatch.setattr(one_pass, "SPILL", 100)  # the larger files through temporary files
    # The raw rows of the other tests are not the replay of the chain: not what this test is about.
    monkeypatch.setattr(bundle, "refuse_if_tampered", lambda *args, **kwargs: None)
    calls: list[int] = []
    real = bundle.verify_chain
    monkeypatch.setattr(bundle, "verify_chain", lambda db: calls.append(1) or real(db))
    monkeypatch.setattr(one_pass, "verify_chain", lambda db: calls.append(1) or real(db))
    _frozen(store)
    out = tmp_path / "b.zip"
    user = get_account(store, "coordinator")
    reference: dict[str, bytes] = {}
    add = one_pass.Packer.add

    def adding(packer: one_pass.Packer, name: str, data: str | bytes) -> None:
        if not reference:  # the reference of the store as the export reads it (before its record)
            reference.update(bundle_files_reference(store, protocol))
        add(packer, name, data)

    monkeypatch.setattr(one_pass.Packer, "add", adding)
    manifest = write_bundle(
        store, protocol, user, TEST_PASSWORD, out, {"screening_log.pdf": b"%PDF x"}
    )
    assert calls == [1], "the chain is verified once per export"
    reference["screening_log.pdf"] = b"%PDF x"
    with zipfile.ZipFile(out) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        assert names[:3] == ["manifest.json", "manifest.sig", "signer.pub"]
        assert names[3:] == sorted(reference)
        for name, data in reference.items():
            assert archive.read(name) == data, name
            assert manifest["files"][name]["size"] == len(data)
            import hashlib

            assert manifest["files"][name]["sha256"] == hashlib.sha256(data).hexdigest()
    with BundleReader(out) as reader:  # the strict reader: every structural check
        assert list(reader.members) == names
        for name, data in reference.items():
            assert reader.read(name, len(data)) == data, name
    assert verify_bundle(out).exit_code == 3, "valid; no trusted keys given"
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left
    assert manifest["audit_chain"]["events"] == len(reference["audit_chain.jsonl"].splitlines())


def test_a_cancelled_export_stops_the_worker_and_writes_nothing(
    full_store: Store, protocol: LoadedProtocol, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from desktop_app.export.bundle import ExportCancelledError
    from desktop_app.store import get_account

    monkeypatch.setattr(one_pass, "PIECE", 2)
    monkeypatch.setattr(bundle, "refuse_if_tampered", lambda *args, **kwargs: None)
    user = get_account(full_store, "coordinator")
    for at in (2, 5, 12, 20):
        out = tmp_path / f"cancelled-{at}.zip"

        def until(done: int, _total: int, at: int = at) -> bool:
            return done < at

        with pytest.raises(ExportCancelledError):
            write_bundle(full_store, protocol, user, TEST_PASSWORD, out, progress=until)
        assert not out.exists()
        assert list(tmp_path.iterdir()) == []
        assert not [t for t in threading.enumerate() if t.name == "eligo-bundle-packer"]


def test_the_cycle_collector_is_back_as_it_was_after_the_pass(
    full_store: Store, protocol: LoadedProtocol
) -> None:
    import gc

    assert gc.isenabled()
    bundle_files(full_store, protocol)
    assert gc.isenabled()
    gc.disable()
    try:
        bundle_files(full_store, protocol)
        assert not gc.isenabled()
    finally:
        gc.enable()

    def failing() -> None:
        raise ZeroDivisionError

    with pytest.raises(ZeroDivisionError):  # also when the pass fails
        bundle_files(full_store, protocol, step=failing)
    assert gc.isenabled()
