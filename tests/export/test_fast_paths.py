"""The export's fast paths write exactly the bytes of the reference builders they stand in for
(issue #21), on adversarial text: quotes, commas, formula starts (= + - @ and a leading tab, CR
or apostrophe), <&>, tabs, newlines, NULs, non-ASCII and Chinese."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.export.bundle import _csv, csv_reference

PIECES = st.sampled_from(['"', ",", "=", "+", "-", "@", "'", "\t", "\r", "\n", "\x00", "<", "&", ">",
                          "é", "筛选失败", "😀", "1", "-1", "+08:00", "=SUM(A1)", " ", "\\"])  # fmt: skip
TEXT = st.text(max_size=12) | st.lists(PIECES, max_size=5).map("".join)
CELL = (
    TEXT
    | st.none()
    | st.integers(min_value=-(10**6), max_value=10**6)
    | st.booleans()
    | st.floats(allow_nan=False, allow_infinity=False)
)


@settings(max_examples=400)
@given(
    st.lists(TEXT, min_size=1, max_size=4),
    st.lists(st.lists(CELL, max_size=6), max_size=8),
    st.booleans(),
)
def test_the_csv_writer_writes_the_reference_bytes(
    header: list[str], rows: list[list[Any]], bom: bool
) -> None:
    assert _csv(header, rows, bom=bom) == csv_reference(header, rows, bom=bom)


def test_a_formula_after_a_nul_inside_a_cell_is_still_the_reference() -> None:
    rows: list[list[Any]] = [["a\x00=1", "=2"], ["ok", "x\x00@"], ["-1", -1], ["'q", None]]
    assert _csv(["h"], rows) == csv_reference(["h"], rows)
    assert b"'=2" in _csv(["h"], rows)
    assert b"''q" in _csv(["h"], rows)


def _records_reference(protocol: Any, screenings: list[dict[str, Any]]) -> list[list[Any]]:
    """records.csv's rows as redcap_tables wrote them before its fast path: every field's value
    and cells computed anew for every attempt."""
    from desktop_app.export import redcap
    from desktop_app.rules.applicability import applicable_document
    from desktop_app.rules.missing_data import code_of

    most = max((len(s["answers"].get("other_medications") or []) for s in screenings), default=0)
    dictionary = redcap.data_dictionary(
        protocol.protocol, max(redcap.MIN_OTHER_MEDICATION_SLOTS, most)
    )
    rows = []
    for screening in screenings:
        applying = applicable_document(protocol.protocol, screening["answers"])
        coded = {q: code_of(v) for q, v in applying.items() if code_of(v) is not None}
        answers = {q: v for q, v in applying.items() if q not in coded}
        s = {**screening, "answers": answers, redcap.SIGNED: redcap.valid_signatures(screening)}
        row: list[Any] = [s["screening_number"], redcap.EVENT, "", s["attempt"]]
        for made in dictionary.fields[1:]:
            code = coded.get(made.question) if made.question else None
            row += (
                [redcap.REDCAP_MISSING_CODES[code]] if code else redcap._cell(made, made.value(s))
            )
        rows.append(row)
    return rows


def test_redcap_records_are_the_reference_rows_with_documents_shared_and_adversarial_text(
    protocol: Any,
) -> None:
    """Attempts with the same answers share one applicability pass (applicable_screenings, the
    bundle's one split); attempts with different ones
    never do; the rows are the reference's."""
    import json

    from desktop_app.export.applicable import applicable_screenings
    from desktop_app.export.redcap import REDCAP_MISSING_CODES, redcap_tables
    from desktop_app.paths import resource

    documents = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(resource("examples").glob("*.json"))]  # fmt: skip
    odd = dict(documents[0], other_medications=[
        {"name": '=cmd|" /C calc"!A0', "classification": "other", "last_dose_date": "2023-01-02"},
        {"name": "中药, <&> \t\n'quoted'", "classification": "other", "last_dose_date": None},
    ])  # fmt: skip
    code = next(iter(REDCAP_MISSING_CODES))
    coded = {
        k: ({"missing_data": code} if k in ("hiv", "hepatitis_b") else v)
        for k, v in documents[0].items()
    }
    screenings = []
    for n, answers in enumerate([*documents, *documents, odd, {}, {}, odd, coded, coded]):
        screenings.append({
            "screening_number": f"S-{n:03d}", "attempt": 1 + n % 2, "initials": "@B", "status": "incomplete",
            "answers": answers, "determination": None, "outcome": None, "outcome_detail": {}, "signatures": [],
        })  # fmt: skip
    _dictionary, (_header, rows) = redcap_tables(
        protocol, applicable_screenings(protocol, screenings)
    )
    assert rows == _records_reference(protocol, screenings)


SCREENING = st.fixed_dictionaries({
    # a number that is not text never comes from a store; the writer takes the reference's entry
    "screening_number": TEXT | st.integers(), "attempt": st.integers(min_value=1, max_value=99),
    "initials": TEXT | st.none() | st.integers(),
    "status": st.sampled_from(["draft", "incomplete", "eligible", "ineligible", "signed", "locked",
                               "enrolled", "declined", "withdrawn"]),
    "determination": st.none() | st.fixed_dictionaries({
        "determination": st.sampled_from(["eligible", "ineligible", "incomplete"])}),
})  # fmt: skip


@settings(max_examples=200)
@given(TEXT, st.lists(SCREENING, max_size=6))
def test_the_fhir_bundle_in_one_pass_is_the_reference_bytes(
    protocol: Any, site_code: str, screenings: list[dict[str, Any]]
) -> None:
    from desktop_app.export.bundle import json_bytes
    from desktop_app.export.fhir import fhir_bundle, fhir_json

    try:
        expected = json_bytes(fhir_bundle(protocol, site_code, screenings))
    except UnicodeEncodeError:  # a lone surrogate: refused alike
        expected = None
    try:
        got = fhir_json(protocol, site_code, screenings)
    except UnicodeEncodeError:
        got = None
    assert got == expected
