"""The streaming writers of the two slowest files (export/streams.py, issue #21) write, over any
split of the screenings into pieces, exactly the bytes of their reference builders: records.csv
as redcap_tables and bundle._csv give it, odm.xml as odm_xml does. Bare attempts (no answers,
signatures, codes or annotations) come from templates, checked here to be taken; the rest, and
any value a format would escape, quote or defuse, from the reference's per-attempt code."""

from __future__ import annotations

import gc
import itertools
import json
import weakref
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.export import odm
from desktop_app.export.applicable import applicable_screenings
from desktop_app.export.bundle import _csv
from desktop_app.export.odm import odm_xml
from desktop_app.export.redcap import other_medication_slots, redcap_tables
from desktop_app.export.streams import OdmWriter, RecordsWriter
from desktop_app.rules import LoadedProtocol

PIECES = st.sampled_from(['"', ",", "=", "+", "-", "@", "'", "\t", "\r", "\n", "<", "&", ">", "é",
                          "筛选失败", "😀", "1", "-1", "+08:00", "=SUM(A1)", " ", "\\", "%s", "%",
                          "{0}", "Qz0SentinelzQ", "918273645002", "x" * 300])  # fmt: skip
ADVERSARIAL = st.lists(PIECES, max_size=5).map("".join) | st.text(max_size=10)
PLAIN = st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9 _.:/+-]{0,12}", fullmatch=True)
TEXT = PLAIN | PLAIN | ADVERSARIAL
CRITERIA = ["I1", "I2", "I3", "I4", "E1", "E2", "E3", "E4", "E5", "E6", "E7", "E8", "E9"]


@cache
def _example_answers() -> list[dict[str, Any]]:
    from desktop_app.paths import resource

    folder = Path(resource("examples"))
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))]


def _coded(answers: dict[str, Any]) -> dict[str, Any]:
    """Some of the answers given the missing-data codes their questions accept."""
    return {**answers, "hbsag": {"missing_data": "pending"}, "hbv_dna": {"missing_data": "not_done"},
            "other_medications": {"missing_data": "not_applicable"}}  # fmt: skip


@st.composite
def answers(draw: st.DrawFn) -> dict[str, Any]:
    document = dict(draw(st.sampled_from(_example_answers())))
    if draw(st.booleans()):
        document["other_medications"] = draw(st.lists(st.fixed_dictionaries({
            "name": TEXT, "classification": st.sampled_from(["other", "biologic", "glucocorticoid"]),
            "last_dose_date": st.none() | st.just("2023-01-02")}), max_size=7))  # fmt: skip
    if draw(st.booleans()):
        document["consent_form_version"] = draw(TEXT)
    return _coded(document) if draw(st.booleans()) else document


def _signature(meaning: str, name: str, at: str, invalidated: bool) -> dict[str, Any]:
    payload = {"meaning": meaning, "signer": {"printed_name": name, "username": "u." + name[:3]},
               "signed_at": at}  # fmt: skip
    return {"payload": json.dumps(payload, ensure_ascii=False), "signature": "ab", "public_key": "cd",
            "fingerprint": "ef", "invalidated": {"at_utc": at, "by": "x", "by_name": "X", "reason": name}
            if invalidated else None}  # fmt: skip


SIGNATURE = st.builds(
    _signature,
    st.sampled_from(["Screening performed by", "Eligibility confirmed by investigator", "Other"]),
    TEXT,
    st.sampled_from(["2024-05-06T07:08:09Z", "2024-05-06"]) | TEXT,
    st.booleans(),
)
TOTAL = (
    st.none()
    | st.integers(0, 40)
    | st.integers(-(10**30), 10**30)
    | st.booleans()
    | st.sampled_from([10**27 + 1, 10**28 + 7, 123456789012345678901234567891, -3, 10**18])
)
SCORES = st.none() | st.fixed_dictionaries({}, optional={"total": TOTAL})
DETERMINATION = (
    st.none()
    | st.just({})
    | st.fixed_dictionaries(
        {"determination": st.sampled_from(["eligible", "ineligible", "incomplete"]),
         "failing": st.sampled_from([[], ["E5"], ["E1", "E5"]])
         | st.lists(st.sampled_from(CRITERIA), max_size=3, unique=True)},
        optional={"acr_eular": SCORES},
    )
)  # fmt: skip
DETAIL = st.fixed_dictionaries({}, optional={
    "randomization_number": TEXT | st.none(), "date": st.just("2024-01-02") | TEXT, "note": TEXT})  # fmt: skip


@st.composite
def screening(draw: st.DrawFn, number: str, attempt: int) -> dict[str, Any]:
    """Two in three bare (no answers, no signatures), most of them plain and of a few shapes."""
    bare = draw(st.integers(0, 2)) > 0
    plain = bare and draw(st.booleans())
    return {
        "screening_number": number, "attempt": attempt,
        "initials": draw(st.sampled_from([None, "", "AB", "CD"]) if plain else st.none() | TEXT),
        "status": "incomplete",
        "answers": {} if bare else draw(st.just({}) | answers()),
        "determination": draw(DETERMINATION),
        "outcome": draw(st.sampled_from([None, "", "enrolled", "declined", "screen_failure", "withdrawn"])),
        "outcome_detail": draw(st.just({}) | st.just({"date": "2024-01-02"}) if plain else DETAIL),
        "signatures": [] if bare else draw(st.lists(SIGNATURE, max_size=3)),
        # a code kept beside the answers (odm.xml writes it; records.csv reads only the answers')
        **({"missing_data": {"hbsag": "pending"}} if draw(st.integers(0, 5)) == 0 else {}),
    }  # fmt: skip


@st.composite
def screenings(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Candidates (distinct numbers, a number or a text) each with attempts 1, 2, ... adjacent."""
    numbers = draw(st.lists(TEXT | st.integers(0, 10**6), max_size=8, unique_by=str))
    made = []
    for number in numbers:
        for attempt in range(1, draw(st.integers(1, 3)) + 1):
            made.append(draw(screening(number, attempt)))
    return made


@st.composite
def bare_screenings(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Bare attempts of few shapes (so that many share a template) with plain values and some
    not: what the templates must get right, value by value and failing list by failing list."""
    made = []
    for n in range(draw(st.integers(0, 30))):
        verdict = draw(st.sampled_from(["eligible", "ineligible", "incomplete", None]))
        determination = None if verdict is None else {
            "determination": verdict, "failing": draw(st.sampled_from([[], ["E5"], ["E1", "E5"]])),
            "acr_eular": {"total": draw(st.sampled_from([None, 3, 12, 10**28 + 7]))}}  # fmt: skip
        outcome = draw(st.sampled_from([None, "enrolled"]))
        made.append({
            "screening_number": draw(PLAIN | st.just(f"N-{n}") | TEXT), "attempt": draw(st.integers(1, 3)),
            "initials": draw(st.sampled_from(["AB", None]) | PLAIN), "status": "incomplete",
            "answers": {}, "determination": determination, "outcome": outcome,
            "outcome_detail": {"randomization_number": draw(PLAIN | TEXT), "date": "2024-01-02"}
            if outcome else {}, "signatures": [],
        })  # fmt: skip
    return made


def pieces(draw: st.DrawFn, items: list[Any]) -> list[list[Any]]:
    cuts = sorted(draw(st.lists(st.integers(0, len(items)), max_size=4)))
    bounds = [0, *cuts, len(items)]
    return [items[a:b] for a, b in itertools.pairwise(bounds)]


def _outcome(build: Any) -> Any:
    """What building gives: the bytes, or the kind of error (the same for writer and reference)."""
    try:
        return build()
    except (KeyError, ValueError, TypeError, UnicodeEncodeError) as error:
        return type(error)


# records.csv ----------------------------------------------------------------------------------


def _records_reference(protocol: LoadedProtocol, made: list[dict[str, Any]]) -> bytes:
    return _csv(*redcap_tables(protocol, made)[1], bom=False)


def _records_written(
    protocol: LoadedProtocol, split: list[list[dict[str, Any]]], made: list[dict[str, Any]]
) -> bytes:
    writer = RecordsWriter(protocol, other_medication_slots(made))
    return (writer.header + "".join(writer.rows(piece) for piece in split)).encode("utf-8")


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_records_csv_in_pieces_is_the_reference_bytes(protocol: LoadedProtocol, data: Any) -> None:
    made = applicable_screenings(protocol, data.draw(screenings()))
    split = pieces(data.draw, made)
    assert _outcome(lambda: _records_written(protocol, split, made)) == _outcome(
        lambda: _records_reference(protocol, made)
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_bare_records_in_pieces_are_the_reference_bytes(
    protocol: LoadedProtocol, data: Any
) -> None:
    made = data.draw(bare_screenings())
    split = pieces(data.draw, made)
    assert _records_written(protocol, split, made) == _records_reference(protocol, made)


def _bare(number: int, **extra: Any) -> dict[str, Any]:
    return {"screening_number": f"BENCH-{number:06d}", "attempt": 1, "initials": "AB", "status": "x",
            "answers": {}, "determination": None, "outcome": None, "outcome_detail": {},
            "signatures": [], **extra}  # fmt: skip


def _bare_mix(count: int) -> list[dict[str, Any]]:
    made = []
    for n in range(count):
        verdict = ("eligible", "ineligible", "incomplete")[n % 3]
        determination = {"determination": verdict, "failing": ["E5"] if verdict == "ineligible" else [],
                         "acr_eular": {"total": n % 25}}  # fmt: skip
        made.append(_bare(n, determination=determination if n % 4 else None,
                          outcome="enrolled" if n % 7 == 0 else None,
                          outcome_detail={"randomization_number": f"R-{n}", "date": "2024-02-03"}
                          if n % 7 == 0 else {}))  # fmt: skip
    return made


def test_bare_records_come_from_templates(protocol: LoadedProtocol) -> None:
    """Bare attempts take the template path (a few shapes, every attempt a hit) and still give
    the reference's bytes; one value a spreadsheet would run takes the reference's code."""
    made = _bare_mix(300)
    made[17] = {**made[17], "initials": "=1+1"}  # defused by the reference: not from a template
    writer = RecordsWriter(protocol, other_medication_slots(made))
    text = writer.header + writer.rows(made[:100]) + writer.rows(made[100:])
    assert text.encode("utf-8") == _records_reference(protocol, made)
    assert writer.shapes.hits == len(made) - 1
    assert 1 < len(writer.shapes.templates) <= 20
    assert all(template is not None for template in writer.shapes.templates.values())
    assert "'=1+1" in text


def test_an_unknown_code_raises_as_the_reference_does(protocol: LoadedProtocol) -> None:
    made = [_bare(1, outcome="bogus")]
    writer = RecordsWriter(protocol, other_medication_slots(made))
    with pytest.raises(KeyError):
        _records_reference(protocol, made)
    with pytest.raises(KeyError):
        writer.rows(made)
    assert writer.shapes.templates == {(True, (), "bogus"): None}


def test_the_header_has_the_slots_of_the_most_other_medications(protocol: LoadedProtocol) -> None:
    made = [_bare(1, answers={"other_medications": [{"name": "a", "classification": "other"}] * 9})]
    writer = RecordsWriter(protocol, other_medication_slots(made))
    first_line = _records_reference(protocol, made).split(b"\r\n")[0] + b"\r\n"
    assert writer.header.encode("utf-8") == first_line
    assert "other_med_9_name" in writer.header
    assert "other_med_10_name" not in writer.header


# odm.xml --------------------------------------------------------------------------------------

NOTE = st.fixed_dictionaries({
    "question_id": st.sampled_from(["sex", "hbsag", "consent_date", "other_medications.name"]),
    "version": st.integers(1, 3), "by": TEXT, "at_utc": st.just("2024-01-02T03:04:05Z"), "text": TEXT,
    "reason": st.none() | TEXT})  # fmt: skip
QUERY = st.fixed_dictionaries({
    "id": st.integers(1, 9), "state": st.sampled_from(["open", "answered", "closed"]),
    "question_id": st.sampled_from(["sex", "hiv"]), "suggested_value": st.none() | TEXT,
    "steps": st.lists(st.fixed_dictionaries({
        "action": st.sampled_from(["raised", "answered"]), "by": TEXT, "at_utc": st.just("2024-01-02T03:04:05Z"),
        "text": TEXT}), min_size=1, max_size=2)})  # fmt: skip


@st.composite
def odm_arguments(
    draw: st.DrawFn, made: list[dict[str, Any]]
) -> tuple[dict[str, str], list[dict[str, Any]], dict[str, str], dict[str, str] | None, Any]:
    """Site, audit rows, users, missing-data codes and annotations for these screenings."""
    keys = [f"{s['screening_number']}/{s['attempt']}" for s in made] or ["none/1"]
    audit = []
    for seq in range(1, draw(st.integers(0, 6)) + 1):
        audit.append({"seq": seq, "entity": draw(st.sampled_from(["screening", "candidate", "signature", "user"])),
                      "action": draw(st.sampled_from(["answer_saved", "signed", "screening_started", ""])),
                      "entity_id": draw(st.sampled_from(keys)), "field": draw(st.sampled_from(["sex", "hbsag", None])),
                      "username": draw(st.sampled_from(["", "u.x"]) | TEXT), "at_utc": "2024-01-02T03:04:05Z",
                      "reason": draw(st.none() | TEXT), "hash": "ab" * 32})  # fmt: skip
    annotations = {
        key: {
            "notes": draw(st.lists(NOTE, max_size=2)),
            "queries": draw(st.lists(QUERY, max_size=1)),
        }
        for key in draw(st.lists(st.sampled_from(keys), max_size=3, unique=True))
    }
    codes = draw(st.none() | st.just({"pending": "Pending", "not_done": "Not done", "unknown": "Unknown",
                                      "not_applicable": "N/A <&>"}))  # fmt: skip
    site = {"code": draw(PLAIN | TEXT), "name": draw(TEXT)}
    return site, audit, {"u.x": draw(TEXT), "": "nobody"}, codes, annotations


def _odm_written(
    protocol: LoadedProtocol, split: list[list[dict[str, Any]]], arguments: tuple[Any, ...]
) -> bytes:
    site, audit, users, codes, annotations = arguments
    writer = OdmWriter(protocol, site, audit, users, CREATED, codes, annotations)
    text = writer.head() + "".join(writer.subjects(piece) for piece in split) + writer.tail()
    return text.encode("utf-8")


def _odm_reference(
    protocol: LoadedProtocol, made: list[dict[str, Any]], arguments: tuple[Any, ...]
) -> bytes:
    site, audit, users, codes, annotations = arguments
    return odm_xml(protocol, site, made, audit, users, CREATED, codes, annotations)


CREATED = "2026-12-03T08:00:00Z"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_odm_in_pieces_is_the_reference_bytes(protocol: LoadedProtocol, data: Any) -> None:
    made = applicable_screenings(protocol, data.draw(screenings()))
    arguments = data.draw(odm_arguments(made))
    split = pieces(data.draw, made)
    assert _outcome(lambda: _odm_written(protocol, split, arguments)) == _outcome(
        lambda: _odm_reference(protocol, made, arguments)
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_bare_odm_in_pieces_is_the_reference_bytes(protocol: LoadedProtocol, data: Any) -> None:
    made = [s for s in data.draw(bare_screenings()) if s["attempt"] == 1]  # one attempt a candidate
    made = list({str(s["screening_number"]): s for s in made}.values())
    arguments = data.draw(odm_arguments(made))
    split = pieces(data.draw, made)
    assert _odm_written(protocol, split, arguments) == _odm_reference(protocol, made, arguments)


def _odm_streamed(
    protocol: LoadedProtocol, split: list[list[dict[str, Any]]], arguments: tuple[Any, ...],
    audit_split: list[list[dict[str, Any]]],
) -> bytes:  # fmt: skip
    """As the one pass writes it: no audit rows to the writer; before each piece's subjects, the
    newest answer events of that piece's attempts only; after the last, the audit rows in
    pieces."""
    site, audit, users, codes, annotations = arguments
    writer = OdmWriter(protocol, site, (), users, CREATED, codes, annotations)
    latest = odm.document(protocol, site, audit, users, CREATED, codes, annotations).latest
    out = [writer.head()]
    for piece in split:
        keys = {f"{s['screening_number']!s}/{s['attempt']}" for s in piece}
        writer.answer_events({k: v for k, v in latest.items() if k[0] in keys})
        out.append(writer.subjects(piece))
    out.append(writer.audit_start())
    out += [writer.audit_records(rows) for rows in audit_split]
    out.append(writer.audit_end())
    return "".join(out).encode("utf-8")


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_odm_with_its_audit_in_pieces_is_the_reference_bytes(
    protocol: LoadedProtocol, data: Any
) -> None:
    made = applicable_screenings(protocol, data.draw(screenings()))
    arguments = data.draw(odm_arguments(made))
    split, audit_split = pieces(data.draw, made), pieces(data.draw, arguments[1])
    assert _outcome(lambda: _odm_streamed(protocol, split, arguments, audit_split)) == _outcome(
        lambda: _odm_reference(protocol, made, arguments)
    )


def test_bare_attempts_come_from_templates_in_odm(protocol: LoadedProtocol) -> None:
    """Two attempts a candidate, cut into pieces between a candidate's attempts: every bare one
    from a template; one annotated and one with a value XML escapes from the reference's code."""
    made = [
        {**s, "screening_number": f"C-{n // 2}", "attempt": 1 + n % 2}
        for n, s in enumerate(_bare_mix(300))
    ]
    made[41] = {**made[41], "outcome_detail": {"note": "<&>"}}
    annotations = {
        "C-5/2": {
            "notes": [{"question_id": "sex", "version": 1, "by": "u", "at_utc": "t", "text": "n"}]
        }
    }
    writer = OdmWriter(
        protocol, {"code": "S", "name": "Site"}, [], {}, CREATED, annotations=annotations
    )
    text = writer.head() + writer.subjects(made[:101]) + writer.subjects(made[101:]) + writer.tail()
    assert text.encode("utf-8") == odm_xml(protocol, {"code": "S", "name": "Site"}, made, [], {}, CREATED,
                                           annotations=annotations)  # fmt: skip
    assert writer.shapes.hits == len(made) - 2
    assert 1 < len(writer.shapes.templates) <= 30
    assert all(template is not None for template in writer.shapes.templates.values())
    assert "&lt;&amp;&gt;" in text


def test_no_screenings_is_the_head_and_the_tail(protocol: LoadedProtocol) -> None:
    audit = [{"seq": 1, "entity": "screening", "action": "signed", "entity_id": "A/1", "field": None,
              "username": "u", "at_utc": "t", "reason": None, "hash": "h"}]  # fmt: skip
    writer = OdmWriter(protocol, {}, audit, {"u": "U"}, CREATED)
    assert (writer.head() + writer.subjects([]) + writer.tail()).encode("utf-8") == odm_xml(
        protocol, {}, [], audit, {"u": "U"}, CREATED
    )


def test_a_candidates_attempts_apart_are_refused(protocol: LoadedProtocol) -> None:
    """odm_xml gathers a candidate's attempts in one SubjectData; the writer, which cannot go back,
    refuses attempts of a candidate it has closed."""
    writer = OdmWriter(protocol, {}, [], {}, CREATED)
    writer.subjects([_bare(1), _bare(2)])
    with pytest.raises(ValueError, match="BENCH-000001 are not together"):
        writer.subjects([{**_bare(1), "attempt": 2}])


def test_audit_records_come_from_templates(protocol: LoadedProtocol) -> None:
    """Events of plain values (a reason with spaces; no field, an empty one or one) from
    templates; a value with a space, or one XML escapes, from the reference's code."""
    audit = [{"seq": n, "entity": ("screening", "candidate", "signature")[n % 3],
              "action": ("answer_saved", "signed")[n % 2], "entity_id": f"A-{n % 7}/1" if n % 4 else n,
              "field": ("sex", None, "")[n % 3], "username": ("u.a", "u.b", "")[n % 3],
              "at_utc": f"2024-01-02T03:04:{n % 60:02d}Z", "reason": "typo corrected" if n % 5 == 0 else None,
              "hash": f"{n:064x}"} for n in range(1, 301)]  # fmt: skip
    audit[10]["entity_id"] = "A 1"  # a space: the SourceID's spaces are the reference's business
    audit[20]["reason"] = "<&>"
    audit.append({**audit[0], "seq": 301, "entity": "user"})  # not a screening's: left out
    writer = OdmWriter(protocol, {"code": "S"}, audit, {"u.a": "A"}, CREATED)
    text = writer.head() + writer.subjects([_bare(1)]) + writer.tail()
    assert text.encode("utf-8") == odm_xml(
        protocol, {"code": "S"}, [_bare(1)], audit, {"u.a": "A"}, CREATED
    )
    assert writer.audit_shapes.hits == 300 - 2
    assert "AR.301" not in text
    for size in (1, 2, 3, 1000):  # the audit in pieces of that many events
        split = [audit[at : at + size] for at in range(0, len(audit), size)]
        arguments = ({"code": "S"}, audit, {"u.a": "A"}, None, None)
        assert _odm_streamed(protocol, [[_bare(1)]], arguments, split) == odm_xml(
            protocol, {"code": "S"}, [_bare(1)], audit, {"u.a": "A"}, CREATED
        )


def test_no_screening_events_is_an_empty_audit_records(protocol: LoadedProtocol) -> None:
    """Events only of other entities, in pieces: AuditRecords written empty, as the reference."""
    audit = [{"seq": n, "entity": "user", "action": "signed_in", "entity_id": "u", "field": None,
              "username": "u", "at_utc": "t", "reason": None, "hash": "h"} for n in (1, 2, 3)]  # fmt: skip
    arguments = ({}, audit, {"u": "U"}, None, None)
    written = _odm_streamed(protocol, [[_bare(1)]], arguments, [audit[:1], [], audit[1:]])
    assert written == odm_xml(protocol, {}, [_bare(1)], audit, {"u": "U"}, CREATED)
    assert b"<AuditRecords/>" in written


def test_the_writers_are_freed_without_the_cycle_collector(protocol: LoadedProtocol) -> None:
    """A writer and its templates hold no cycle: once the export drops a writer it is gone (an
    OdmWriter holds the whole ODM document), not kept until the cycle collector happens to run."""
    made = _bare_mix(50)
    was = gc.isenabled()
    gc.disable()
    try:
        records = RecordsWriter(protocol, other_medication_slots(made))
        odm = OdmWriter(protocol, {"code": "S", "name": "Site"}, [], {}, CREATED)
        records.rows(made)
        odm.head()
        odm.subjects(made)
        odm.tail()
        assert records.shapes.hits  # the templates were made and used
        assert odm.shapes.hits
        gone = [weakref.ref(records), weakref.ref(odm)]
        del records, odm
        assert [ref() for ref in gone] == [None, None]
    finally:
        if was:
            gc.enable()
