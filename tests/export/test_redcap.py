"""The REDCap project in every bundle: the Data Dictionary follows REDCap's documented rules, and
every value of records.csv is one of its field's choices or validates for its field's type, and
shows only where the field's branching logic shows the field.

REDCap's rules checked here, as REDCap documents them for the Data Dictionary upload and the Data
Import Tool: the 18 columns in their order; field names of lowercase letters, digits and
underscores starting with a letter (at most 26 characters is REDCap's advice, and this issue's
rule), unique; the record ID first, on the first instrument; instrument names of the same
characters, each instrument's fields together; the field types and text validation types REDCap
knows; choices written `code, label | code, label` with unique codes (for checkboxes the codes
become column names `field___code`); branching logic with [field] and [field(code)] references to
existing fields and codes. In records.csv: record_id, redcap_event_name, redcap_repeat_instrument
and redcap_repeat_instance, then one column per field (per choice for checkboxes, holding 0 or 1),
yesno as 1 or 0, dates YYYY-MM-DD for date_ymd.
No REDCap server was available here to import into."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from helpers import demo_site_bundle
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.export.applicable import applicable_screenings
from desktop_app.export.bundle import csv_value
from desktop_app.export.redcap import (
    DICTIONARY_COLUMNS,
    EVENT,
    RECORD_COLUMNS,
    _Names,
    redcap_tables,
)
from desktop_app.rules import LoadedProtocol

FIELD_TYPES = {"text", "notes", "dropdown", "radio", "checkbox", "yesno", "truefalse", "calc", "file",
               "slider", "descriptive", "sql"}  # fmt: skip
VALIDATIONS = {"date_ymd", "date_mdy", "date_dmy", "datetime_ymd", "datetime_seconds_ymd", "time", "integer",
               "number", "number_1dp", "number_2dp", "email", "phone", "zipcode", "alpha_only"}  # fmt: skip
NAME = re.compile(r"[a-z][a-z0-9_]*")
CODE = re.compile(r"[a-z0-9_]+")
COLUMN = {c: i for i, c in enumerate(DICTIONARY_COLUMNS)}


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    _data, out = demo_site_bundle(tmp_path_factory.mktemp("redcap"))
    with zipfile.ZipFile(out) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def read(data: bytes) -> list[list[str]]:
    assert not data.startswith(b"\xef\xbb\xbf")  # no byte-order mark for REDCap's importer
    return [[csv_value(c) for c in row] for row in csv.reader(io.StringIO(data.decode("utf-8")))]


@pytest.fixture(scope="module")
def dictionary(files: dict[str, bytes]) -> list[dict[str, str]]:
    header, *rows = read(files["redcap/data_dictionary.csv"])
    assert tuple(header) == DICTIONARY_COLUMNS
    return [dict(zip(header, row, strict=True)) for row in rows]


def choices(field: dict[str, str]) -> list[tuple[str, str]]:
    text = field["Choices, Calculations, OR Slider Labels"]
    return [tuple(part.split(", ", 1)) for part in text.split(" | ")] if text else []  # type: ignore[misc]


def test_the_data_dictionary_follows_redcaps_rules(
    dictionary: list[dict[str, str]], protocol: LoadedProtocol
) -> None:
    names = [f["Variable / Field Name"] for f in dictionary]
    assert names[0] == "record_id"
    assert len(names) == len(set(names))
    for field in dictionary:
        name, kind = field["Variable / Field Name"], field["Field Type"]
        assert NAME.fullmatch(name), name
        assert len(name) <= 26, name
        assert NAME.fullmatch(field["Form Name"]), field["Form Name"]
        assert kind in FIELD_TYPES, (name, kind)
        assert field["Field Label"], name
        assert field["Required Field?"] in ("", "y")
        assert field["Identifier?"] in ("", "y")
        validation = field["Text Validation Type OR Show Slider Number"]
        assert validation == "" or (kind == "text" and validation in VALIDATIONS), (
            name,
            validation,
        )
        if kind in ("radio", "dropdown", "checkbox"):
            codes = [code for code, _label in choices(field)]
            assert codes, name
            assert len(codes) == len(set(codes)), name
            assert all(CODE.fullmatch(c) for c in codes), (name, codes)
            assert all(label.strip() for _code, label in choices(field)), name
        else:
            assert field["Choices, Calculations, OR Slider Labels"] == "", name
    # One instrument per wizard step, in the wizard's order, each one's fields together; the outcome last.
    forms = [f["Form Name"] for f in dictionary]
    order = list(dict.fromkeys(forms))
    assert order == [s.id for s in protocol.protocol.steps] + ["outcome"]
    assert forms == sorted(forms, key=order.index)
    titles = [f["Section Header"] for f in dictionary if f["Section Header"]]
    assert titles == [s.title["en"] for s in protocol.protocol.steps] + ["Outcome"]
    # Checkbox columns never collide with another field's name.
    columns = [f"{f['Variable / Field Name']}___{c}" for f in dictionary if f["Field Type"] == "checkbox"
               for c, _ in choices(f)]  # fmt: skip
    assert not set(columns) & set(names)


def test_types_follow_the_questions(
    dictionary: list[dict[str, str]], protocol: LoadedProtocol
) -> None:
    by_question: dict[str, list[dict[str, str]]] = {}
    for field in dictionary:
        match = re.match(r"Eligo question (\w+)", field["Field Annotation"])
        if match:
            by_question.setdefault(match.group(1), []).append(field)
    p = protocol.protocol
    assert set(by_question) == {q.id for q in p.questions}  # every question has its field(s)
    for question in p.questions:
        kinds = [
            (f["Field Type"], f["Text Validation Type OR Show Slider Number"])
            for f in by_question[question.id]
        ]
        expected = {"date": [("text", "date_ymd")], "boolean": [("yesno", "")], "number": [("text", "number")],
                    "multi_choice": [("text", "integer"), ("checkbox", "")],
                    "number_or_indeterminate": [("yesno", ""), ("text", "number")]}.get(question.type)  # fmt: skip
        if expected is not None:
            assert kinds == expected, question.id
        elif question.type == "choice":
            assert kinds in ([("radio", "")], [("dropdown", "")]), question.id
            field = by_question[question.id][0]
            assert [label for _c, label in choices(field)] == [
                o.label["en"] for o in p.options(question.id)
            ]
        elif question.type == "date_per_agent":
            assert set(kinds) == {("text", "date_ymd")}
            assert len(kinds) == len(p.options(str(question.per_item_of)))


# ----------------------------------------------------------------------------- branching logic

_TOKEN = re.compile(
    r"\s*(?:(\[[a-z0-9_]+(?:\([a-z0-9_]+\))?\])|('[^']*')|(>=|<=|<>|=|>|<)|(and|or)\b|([()]))"
)


def _tokens(logic: str) -> list[str]:
    tokens, at = [], 0
    while at < len(logic.rstrip()):
        match = _TOKEN.match(logic, at)
        assert match, f"branching logic not understood at {logic[at:]!r}"
        tokens.append(next(g for g in match.groups() if g is not None))
        at = match.end()
    return tokens


def evaluate(logic: str, row: dict[str, str], fields: dict[str, dict[str, str]]) -> bool:
    """REDCap branching logic (the subset of its syntax this export writes) on one record row;
    every [field] and [field(code)] must name a field, and a code one of its choices."""
    tokens = _tokens(logic)

    def term(i: int) -> tuple[bool, int]:
        if tokens[i] == "(":
            value, i = disjunction(i + 1)
            assert tokens[i] == ")"
            return value, i + 1
        ref, op, literal = tokens[i], tokens[i + 1], tokens[i + 2].strip("'")
        name, _, code = ref.strip("[]").rstrip(")").partition("(")
        assert name in fields, f"{logic}: no field {name}"
        field = fields[name]
        if code:
            assert field["Field Type"] == "checkbox"
            assert code in dict(choices(field)), f"{logic}: {name} has no choice {code}"
            value = row[f"{name}___{code}"]
        else:
            value = row[name]
            if field["Field Type"] in ("radio", "dropdown"):
                assert literal in dict(choices(field)), f"{logic}: {name} has no choice {literal}"
            if field["Field Type"] == "yesno":
                assert literal in ("0", "1")
        if op == "=":
            return value == literal, i + 3
        assert op == ">="
        return value != "" and float(value) >= float(literal), i + 3

    def conjunction(i: int) -> tuple[bool, int]:
        value, i = term(i)
        while i < len(tokens) and tokens[i] == "and":
            right, i = term(i + 1)
            value = value and right
        return value, i

    def disjunction(i: int) -> tuple[bool, int]:
        value, i = conjunction(i)
        while i < len(tokens) and tokens[i] == "or":
            right, i = conjunction(i + 1)
            value = value or right
        return value, i

    value, end = disjunction(0)
    assert end == len(tokens), logic
    return value


def test_branching_logic_comes_from_the_protocols_applicability_rules(
    dictionary: list[dict[str, str]], protocol: LoadedProtocol
) -> None:
    p = protocol.protocol
    logic = {
        f["Variable / Field Name"]: f["Branching Logic (Show field only if...)"] for f in dictionary
    }
    fields = {f["Variable / Field Name"]: f for f in dictionary}
    assert logic["consent_date"] == "[consent_given] = '1'"
    assert logic["serum_igg4_unit"] == "[serum_igg4_measured] = '1'"
    assert logic["ppd_date"] == "([ppd] = 'negative' or [ppd] = 'positive')"
    assert logic["ld_rituximab"] == "[medications_given(rituximab)] = '1'"
    reproductive = next(s for s in p.steps if s.id == "reproductive")
    assert reproductive.applies_when is not None  # the step applies to women only
    for field in dictionary:
        if field["Form Name"] == "reproductive":
            assert logic[field["Variable / Field Name"]] == "[sex] = 'female'"
    for question in p.questions:  # every question that applies only sometimes has its logic
        if question.applies_when is not None:
            own = [
                f
                for f in dictionary
                if f["Field Annotation"].startswith(f"Eligo question {question.id}")
            ]
            assert own
            assert all(
                f"[{question.applies_when.question}" in logic[f["Variable / Field Name"]]
                for f in own
            )
    for text in logic.values():  # every logic parses and names existing fields and codes
        if text:
            evaluate(text, dict.fromkeys(_all_columns(dictionary), ""), fields)
    assert sum(bool(t) for t in logic.values()) > 40


def _all_columns(dictionary: list[dict[str, str]]) -> list[str]:
    columns = []
    for f in dictionary:
        if f["Field Type"] == "checkbox":
            columns += [f"{f['Variable / Field Name']}___{c}" for c, _ in choices(f)]
        else:
            columns.append(f["Variable / Field Name"])
    return columns


# ----------------------------------------------------------------------------- records


def _valid(value: str, field: dict[str, str]) -> bool:
    kind, validation = field["Field Type"], field["Text Validation Type OR Show Slider Number"]
    if kind in ("radio", "dropdown"):
        return value in dict(choices(field))
    if kind in ("yesno", "truefalse"):
        return value in ("0", "1")
    if validation == "date_ymd":
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return False
        date.fromisoformat(value)
        return True
    if validation == "integer":
        return re.fullmatch(r"[-+]?\d+", value) is not None and int(value) >= int(
            field["Text Validation Min"] or 0
        )
    if validation == "number":
        return re.fullmatch(r"[-+]?\d*\.?\d+", value) is not None and float(value) >= float(
            field["Text Validation Min"] or "-inf"
        )
    return kind in ("text", "notes") and validation == ""


def _codes(field: dict[str, str]) -> list[str]:
    """The REDCap missing-data codes the field's annotation says it may hold."""
    found = re.search(r"missing-data codes: ([A-Z, ]+)\)", field["Field Annotation"])
    return found.group(1).split(", ") if found else []


def test_every_record_value_is_a_choice_or_validates_and_shows_where_its_logic_says(
    files: dict[str, bytes], dictionary: list[dict[str, str]]
) -> None:
    header, *rows = read(files["redcap/records.csv"])
    fields = {f["Variable / Field Name"]: f for f in dictionary}
    assert tuple(header[:4]) == RECORD_COLUMNS
    assert header[4:] == _all_columns(dictionary)[1:]  # record_id comes first, once
    screenings = json.loads(files["screenings.json"])
    assert len(rows) == len(screenings) == 41  # one row per attempt
    keys = [(r[0], r[3]) for r in rows]
    assert len(set(keys)) == len(keys)
    assert {(s["screening_number"], str(s["attempt"])) for s in screenings} == set(keys)
    assert len({r[0] for r in rows}) == len(
        {s["screening_number"] for s in screenings}
    )  # a record per candidate
    checked = 0
    assert sum(raw.count("PEND") for raw in rows) >= 6  # the DEMO's awaited HBsAg and HIV results
    for raw in rows:
        row = dict(zip(header, raw, strict=True))
        assert row["redcap_event_name"] == EVENT
        assert row["redcap_repeat_instrument"] == ""  # the whole event repeats
        assert int(row["redcap_repeat_instance"]) >= 1
        for column, value in row.items():
            if column in RECORD_COLUMNS or value == "":
                continue
            name, _, code = column.partition("___")
            field = fields[name]
            if code:
                assert value in ("0", "1"), (column, value)
                assert code in dict(choices(field))
            else:
                assert _valid(value, field) or value in _codes(field), (column, value)
            logic = field["Branching Logic (Show field only if...)"]
            assert not logic or evaluate(logic, row, fields), (
                row["record_id"],
                column,
                value,
                logic,
            )
            checked += 1
        assert row["date_of_birth"] == ""  # a direct identifier is never exported
    assert checked > 3000


def test_values_match_the_screenings(files: dict[str, bytes]) -> None:
    header, *rows = read(files["redcap/records.csv"])
    screenings = {
        (s["screening_number"], str(s["attempt"])): s for s in json.loads(files["screenings.json"])
    }
    seen = {"checkbox": 0, "last_dose": 0, "enrolled": 0}
    for raw in rows:
        row = dict(zip(header, raw, strict=True))
        s: dict[str, Any] = screenings[(row["record_id"], row["redcap_repeat_instance"])]
        answers = s["answers"]
        organs = answers.get("involved_organs")
        if organs is not None:
            ticked = [c.removeprefix("involved_organs___") for c, v in row.items()
                      if c.startswith("involved_organs___") and v == "1"]  # fmt: skip
            assert sorted(ticked) == sorted(organs)
            assert row["involved_organs_count"] == str(len(organs))
            seen["checkbox"] += 1
        for agent, day in (answers.get("medication_last_dose") or {}).items():
            assert row[f"ld_{agent}"] == day
            assert row[f"medications_given___{agent}"] == "1"
            seen["last_dose"] += 1
        if s["outcome"] == "enrolled":
            assert row["randomization_number"] == s["outcome_detail"]["randomization_number"]
            assert row["randomization_date"] == s["outcome_detail"]["date"]
            seen["enrolled"] += 1
        assert (
            row["consent_given"] == {True: "1", False: "0", None: ""}[answers.get("consent_given")]
        )
    assert all(seen.values()), seen


def test_other_medications_and_odd_codes_fit_redcap(protocol: LoadedProtocol) -> None:
    """A unit like mg/dL becomes a valid REDCap code, and every medicine typed in by hand gets its
    slot: the slots grow with the longest list, nothing is dropped."""
    meds = [
        {"name": f"=Herb {n}", "classification": "other", "last_dose_date": "2023-01-0" + str(n)}
        for n in range(1, 8)
    ]
    screening = {"screening_number": "S-1", "attempt": 1, "initials": "AB", "status": "incomplete",
                 "answers": {"serum_igg4_measured": True, "serum_igg4_unit": "mg/dL", "other_medications": meds,
                             "acr_igg4_igg_ratio": "indeterminate", "acr_immunostaining": "performed"},
                 "determination": None, "outcome": None, "outcome_detail": {}, "signatures": []}  # fmt: skip
    (_dh, drows), (header, rows) = redcap_tables(
        protocol, applicable_screenings(protocol, [screening])
    )
    row = dict(zip(header, rows[0], strict=True))
    assert row["serum_igg4_unit"] == "mg_dl"
    assert row["other_med_count"] == "7"
    assert [row[f"other_med_{n}_name"] for n in range(1, 8)] == [m["name"] for m in meds]
    assert row["other_med_7_class"] == "other"
    assert (row["acr_igg4_igg_ratio_ind"], row["acr_igg4_igg_ratio"]) == (1, "")
    unit = next(r for r in drows if r[0] == "serum_igg4_unit")
    assert (
        unit[COLUMN["Choices, Calculations, OR Slider Labels"]]
        == "mg_dl, mg/dL | mg_l, mg/L | g_l, g/L"
    )


def test_missing_data_codes_are_the_fields_values_as_redcap_stores_them(
    protocol: LoadedProtocol,
) -> None:
    """A code is the literal value of the question's (first) field, one of the project's Missing
    Data Codes (docs/exports.md); the dictionary's annotation names the codes a field accepts."""
    from desktop_app.export.redcap import REDCAP_MISSING_CODES

    screening = {"screening_number": "S-1", "attempt": 1, "initials": "AB", "status": "incomplete",
                 "answers": {"sex": "female", "hbsag": {"missing_data": "pending"},
                             "hbv_dna": {"missing_data": "not_done"},
                             "acr_immunostaining": "performed", "acr_igg4_igg_ratio": {"missing_data": "pending"},
                             "other_medications": {"missing_data": "not_applicable"}},
                 "determination": None, "outcome": None, "outcome_detail": {}, "signatures": []}  # fmt: skip
    (_dh, drows), (header, rows) = redcap_tables(
        protocol, applicable_screenings(protocol, [screening])
    )
    row = dict(zip(header, rows[0], strict=True))
    assert (row["hbsag"], row["hbv_dna"], row["other_med_count"]) == ("PEND", "ND", "NA")
    assert (row["acr_igg4_igg_ratio_ind"], row["acr_igg4_igg_ratio"]) == ("PEND", "")
    assert row["sex"] == "female"
    assert not any("missing_data" in str(v) for v in row.values())
    annotation = {r[0]: r[COLUMN["Field Annotation"]] for r in drows}
    assert annotation["hbv_dna"].endswith("(missing-data codes: PEND, ND)")
    assert "missing-data codes" not in annotation["sex"]
    docs = (Path(__file__).parents[2] / "docs" / "exports.md").read_text("utf-8")
    for code in REDCAP_MISSING_CODES.values():
        assert f"{code}, " in docs


@given(st.lists(st.text(min_size=0, max_size=60), max_size=30))
def test_any_names_become_valid_unique_redcap_names(wanted: list[str]) -> None:
    names = _Names()
    made = [names(w) for w in wanted]
    assert len(set(made)) == len(made)
    assert all(NAME.fullmatch(n) and len(n) <= 26 for n in made)


def test_the_readme_says_no_server_was_available_and_how_to_import() -> None:
    root = Path(__file__).parents[2]
    text = " ".join((root / "README.md").read_text("utf-8").split())
    assert "No REDCap server was available" in text
    docs = (root / "docs" / "exports.md").read_text("utf-8")
    for step in (
        "data_dictionary.csv",
        "Repeat entire event",
        "screening_arm_1",
        "records.csv",
        "YYYY-MM-DD",
    ):
        assert step in docs
