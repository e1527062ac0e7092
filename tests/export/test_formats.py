"""The bundle's files for other systems: the CSV one value per column, FHIR with real UUIDs and
resolving references, ODM without JSON inside (validated against CDISC's ODM 1.3.2 schema)."""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
import xml.etree.ElementTree as ET
import zipfile
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import pytest
import xmlschema
from helpers import demo_site_bundle

from desktop_app.export.bundle import csv_value
from desktop_app.export.fhir import BY_DETERMINATION, SUBJECT_STATUS, fhir_bundle, subject_status
from desktop_app.export.odm import odm_xml
from desktop_app.rules import LoadedProtocol
from desktop_app.store.models import STATUSES
from desktop_app.store.reports import LOG_COLUMN_NOTES, LOG_COLUMNS, printed_from_columns

ROOT = Path(__file__).parents[2]
ODM_SCHEMA = ROOT / "tests" / "data" / "odm-1.3.2" / "cdisc-odm-1.3.2" / "ODM1-3-2.xsd"
NS = {"odm": "http://www.cdisc.org/ns/odm/v1.3"}
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    _data, out = demo_site_bundle(tmp_path_factory.mktemp("formats"))
    with zipfile.ZipFile(out) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


@pytest.fixture(scope="module")
def screenings(bundle: dict[str, bytes]) -> list[dict[str, Any]]:
    return list(json.loads(bundle["screenings.json"]))


def csv_rows(data: bytes) -> list[dict[str, str]]:
    return [
        {k: csv_value(v) for k, v in row.items()}
        for row in csv.DictReader(io.StringIO(data.decode("utf-8-sig")))
    ]


# ----------------------------------------------------------------------------- CSV


def test_the_log_csv_has_one_value_per_column_and_iso_dates(
    bundle: dict[str, bytes], screenings: list[dict[str, Any]]
) -> None:
    header = next(csv.reader(io.StringIO(bundle["screening_log.csv"].decode("utf-8-sig"))))
    assert tuple(header) == LOG_COLUMNS
    rows = csv_rows(bundle["screening_log.csv"])
    assert len(rows) == len(screenings) == 41
    dates = [c for c in LOG_COLUMNS if c.endswith(("_date", "_on"))]
    assert dates == ["consent_date", "screening_date", "randomization_date", "screening_performed_on",
                     "eligibility_confirmed_on"]  # fmt: skip
    for row in rows:
        for column in dates:
            assert row[column] == "" or ISO_DATE.fullmatch(row[column]), (column, row[column])
            if row[column]:
                date.fromisoformat(row[column])
        assert row["outcome"] in ("", "enrolled", "declined", "screen_failure", "withdrawn")
        assert row["eligible"] in ("", "Y", "N")
        # a signer's name and date come together, or neither
        for who, when in (("screening_performed_by", "screening_performed_on"),
                          ("eligibility_confirmed_by", "eligibility_confirmed_on")):  # fmt: skip
            assert bool(row[who]) == bool(row[when])
    by_key = {(s["screening_number"], str(s["attempt"])): s for s in screenings}
    for row in rows:
        s = by_key[(row["screening_number"], row["attempt"])]
        assert row["consent_date"] == s["answers"].get("consent_date", "")
        assert row["consent_form_version"] == s["answers"].get("consent_form_version", "")
        assert row["outcome"] == (s["outcome"] or "")
        assert row["randomization_number"] == s["outcome_detail"].get("randomization_number", "")
        assert row["randomization_date"] == s["outcome_detail"].get("date", "")
    enrolled = [r for r in rows if r["outcome"] == "enrolled"]
    assert enrolled
    assert all(r["randomization_number"] and r["randomization_date"] for r in enrolled)
    assert all(r["eligibility_confirmed_by"] for r in enrolled)  # enrolment needs a confirmation
    assert any(r["screening_performed_by"] for r in rows)


def test_every_log_column_is_documented() -> None:
    assert set(LOG_COLUMN_NOTES) == set(LOG_COLUMNS)
    documented = re.findall(
        r"^\| `([a-z_]+)` \|", (ROOT / "docs" / "exports.md").read_text("utf-8"), re.M
    )
    assert [c for c in documented if c in LOG_COLUMNS] == list(LOG_COLUMNS)


def test_the_printed_log_joins_the_columns_and_older_bundles_still_print() -> None:
    new = {"initials": "AB", "consent_date": "2023-01-02", "consent_form_version": "2.1",
           "outcome": "enrolled", "randomization_number": "R-1", "randomization_date": "2023-01-09",
           "eligibility_confirmed_by": "Dr. X", "eligibility_confirmed_on": "2023-01-05"}  # fmt: skip
    row = printed_from_columns("S-1", 1, new)
    assert (row.consent, row.outcome, row.investigator) == (
        "2023-01-02 v2.1", "enrolled R-1 2023-01-09", "Dr. X 2023-01-05")  # fmt: skip
    # a consolidated store keeps rows of bundles written before the columns were split
    old = {"initials": "AB", "consent": "2023-01-02 v2.1", "outcome": "eligible but declined",
           "investigator": "Dr. X 2023-01-05"}  # fmt: skip
    row = printed_from_columns("S-1", 1, old)
    assert (row.consent, row.outcome, row.investigator) == (
        "2023-01-02 v2.1", "eligible but declined", "Dr. X 2023-01-05")  # fmt: skip


# ----------------------------------------------------------------------------- FHIR


def _references(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["reference"]] if isinstance(node.get("reference"), str) else []
        return found + [r for v in node.values() for r in _references(v)]
    if isinstance(node, list):
        return [r for v in node for r in _references(v)]
    return []


def _research_subject_status_codes() -> set[str]:
    """The R4 value set research-subject-status, as fhir.resources carries it from the spec."""
    from fhir.resources.R4B.researchsubject import ResearchSubject

    extra = ResearchSubject.model_fields["status"].json_schema_extra
    assert isinstance(extra, dict)
    codes = set(extra["enum_values"])
    assert len(codes) == 13
    return codes


def test_every_full_url_is_a_stable_uuid_and_every_reference_resolves(
    bundle: dict[str, bytes], screenings: list[dict[str, Any]], protocol: LoadedProtocol
) -> None:
    from fhir.resources.R4B.bundle import Bundle

    document = json.loads(bundle["fhir_bundle.json"])
    Bundle.model_validate(document)
    urls = [e["fullUrl"] for e in document["entry"]]
    assert len(urls) == len(set(urls)) == 43  # the study, the site, 41 attempts
    for entry in document["entry"]:
        assert entry["fullUrl"].startswith("urn:uuid:")
        value = uuid.UUID(entry["fullUrl"].removeprefix("urn:uuid:"))
        assert str(value) == entry["fullUrl"].removeprefix("urn:uuid:")  # canonical form
        assert value.version == 5
        assert entry["resource"]["id"] == str(value)
    references = _references(document)
    assert len(references) == 1 + 41  # the study's site, and each subject's study
    assert set(references) <= set(urls)  # each resolves to an entry of this Bundle
    # The same export again gives the same UUIDs; another site gives others.
    again = fhir_bundle(protocol, "DEMO", screenings)
    assert [e["fullUrl"] for e in again["entry"]] == urls
    other = fhir_bundle(protocol, "PUMCH", screenings)
    assert not {e["fullUrl"] for e in other["entry"]} & set(urls)


def test_every_subject_status_is_in_the_r4_value_set(bundle: dict[str, bytes]) -> None:
    codes = _research_subject_status_codes()
    document = json.loads(bundle["fhir_bundle.json"])
    statuses = [e["resource"]["status"] for e in document["entry"]
                if e["resource"]["resourceType"] == "ResearchSubject"]  # fmt: skip
    assert set(statuses) <= codes
    assert {
        "screening",
        "eligible",
        "ineligible",
        "on-study",
        "not-registered",
        "withdrawn",
    } <= set(statuses)
    # Every Eligo status maps into the value set, with each determination where it decides.
    assert set(SUBJECT_STATUS) == set(STATUSES)
    for status in STATUSES:
        for determination in (None, "eligible", "ineligible", "incomplete"):
            code = subject_status(
                {"status": status, "determination": {"determination": determination}}
            )
            assert code in codes, (status, determination)
    assert set(BY_DETERMINATION.values()) <= codes


def test_the_status_table_in_the_docs_is_the_mapping() -> None:
    text = (ROOT / "docs" / "exports.md").read_text("utf-8")
    table = dict(re.findall(r"^\| (\w+) \| [^|]+ \| (.+) \|$", text, re.M))
    assert set(table) == set(STATUSES)
    for status, cell in table.items():
        documented = re.findall(r"`([a-z-]+)`", cell)
        if SUBJECT_STATUS[status] == "by determination":
            assert documented == [
                BY_DETERMINATION[d] for d in ("eligible", "ineligible", "incomplete")
            ]
        else:
            assert documented == [SUBJECT_STATUS[status]]


# ----------------------------------------------------------------------------- ODM


def _schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(ODM_SCHEMA))


def _fits(value: str, data_type: str) -> bool:
    if data_type == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            return False
        return bool(ISO_DATE.fullmatch(value))
    if data_type == "integer":
        return re.fullmatch(r"-?\d+", value) is not None
    if data_type == "float":
        try:
            return Decimal(value).is_finite() and "e" not in value.lower()
        except InvalidOperation:
            return False
    if data_type == "boolean":
        return value in ("true", "false")
    return data_type == "text"


def test_the_odm_file_validates_and_holds_one_value_per_item(
    bundle: dict[str, bytes], screenings: list[dict[str, Any]]
) -> None:
    data = bundle["odm.xml"]
    _schema().validate(io.BytesIO(data))  # raises, naming the element, when not valid
    root = ET.fromstring(data)
    # What the reachable schema copies differ in (see tests/data/odm-1.3.2/README.md) is unused.
    assert root.find(".//odm:KeySet", NS) is None
    assert root.get("ID") is None
    assert root.get("Id") is None
    mdv = root.find("odm:Study/odm:MetaDataVersion", NS)
    assert mdv is not None
    items = {i.get("OID"): i for i in mdv.findall("odm:ItemDef", NS)}
    code_lists = {c.get("OID"): {i.get("CodedValue") for i in c.findall("odm:CodeListItem", NS)}
                  for c in mdv.findall("odm:CodeList", NS)}  # fmt: skip
    groups = {g.get("OID"): g for g in mdv.findall("odm:ItemGroupDef", NS)}
    forms = {f.get("OID"): {r.get("ItemGroupOID") for r in f.findall("odm:ItemGroupRef", NS)}
             for f in mdv.findall("odm:FormDef", NS)}  # fmt: skip
    values = nulls = 0
    for form in root.iter(f"{{{NS['odm']}}}FormData"):
        repeats: dict[str, list[str]] = {}
        for group in form.findall("odm:ItemGroupData", NS):
            oid = str(group.get("ItemGroupOID"))
            assert oid in forms[form.get("FormOID")], (form.get("FormOID"), oid)
            allowed = {r.get("ItemOID") for r in groups[oid].findall("odm:ItemRef", NS)}
            if groups[oid].get("Repeating") == "Yes":
                repeats.setdefault(oid, []).append(str(group.get("ItemGroupRepeatKey")))
            for item in group.findall("odm:ItemData", NS):
                item_oid = item.get("ItemOID")
                assert item_oid in allowed, (oid, item_oid)
                if item.get("IsNull") == "Yes":  # a missing-data code (the DEMO's pending results)
                    assert item.get("Value") is None, item_oid
                    flag = item.find("odm:Annotation/odm:Flag/odm:FlagValue", NS)
                    assert flag is not None, item_oid
                    assert flag.text in code_lists[flag.get("CodeListOID")], (item_oid, flag.text)
                    nulls += 1
                    continue
                value = str(item.get("Value"))
                values += 1
                assert not value.startswith(("[", "{")), (item_oid, value)  # no JSON inside
                definition = items[item_oid]
                assert _fits(value, str(definition.get("DataType"))), (item_oid, value)
                ref = definition.find("odm:CodeListRef", NS)
                if ref is not None:
                    assert value in code_lists[ref.get("CodeListOID")], (item_oid, value)
        for oid, keys in repeats.items():
            assert keys == [str(n) for n in range(1, len(keys) + 1)], oid
    assert values > 1500
    assert nulls >= 6  # the DEMO's three attempts awaiting HBsAg and HIV results


def test_multi_selects_and_last_doses_are_repeating_item_groups(
    bundle: dict[str, bytes], screenings: list[dict[str, Any]]
) -> None:
    root = ET.fromstring(bundle["odm.xml"])
    checked = {"involved_organs": 0, "medication_last_dose": 0, "empty": 0}
    for s in screenings:
        event = root.find(f"odm:ClinicalData/odm:SubjectData[@SubjectKey='{s['screening_number']}']"
                          f"/odm:StudyEventData[@StudyEventRepeatKey='{s['attempt']}']", NS)  # fmt: skip
        assert event is not None
        organs = s["answers"].get("involved_organs")
        if organs is not None:
            count = event.find(".//odm:ItemData[@ItemOID='IT.INVOLVED_ORGANS_COUNT']", NS)
            assert count is not None
            assert count.get("Value") == str(len(organs))
            found = [i.get("Value") for i in event.findall(
                ".//odm:ItemGroupData[@ItemGroupOID='IG.INVOLVED_ORGANS']/odm:ItemData", NS)]  # fmt: skip
            assert found == organs
            checked["involved_organs"] += 1
        doses = s["answers"].get("medication_last_dose") or {}
        groups = event.findall(".//odm:ItemGroupData[@ItemGroupOID='IG.MEDICATION_LAST_DOSE']", NS)
        assert {g.find("odm:ItemData[@ItemOID='IT.MEDICATION_LAST_DOSE_AGENT']", NS).get("Value"):
                g.find("odm:ItemData[@ItemOID='IT.MEDICATION_LAST_DOSE_DATE']", NS).get("Value")
                for g in groups} == doses  # fmt: skip
        checked["medication_last_dose"] += bool(doses)
        if s["answers"].get("acr_exclusions") == []:  # answered: none of them
            count = event.find(".//odm:ItemData[@ItemOID='IT.ACR_EXCLUSIONS_COUNT']", NS)
            assert count is not None
            assert count.get("Value") == "0"
            checked["empty"] += 1
    assert all(checked.values()), checked
    # The outcome's details are items of their own, no longer one JSON object.
    enrolled = next(s for s in screenings if s["outcome"] == "enrolled")
    event = root.find(f"odm:ClinicalData/odm:SubjectData[@SubjectKey='{enrolled['screening_number']}']"
                      f"/odm:StudyEventData[@StudyEventRepeatKey='{enrolled['attempt']}']", NS)  # fmt: skip
    assert event is not None
    number = event.find(".//odm:ItemData[@ItemOID='IT.RANDOMIZATION_NUMBER']", NS)
    assert number is not None
    assert number.get("Value") == enrolled["outcome_detail"]["randomization_number"]


def _one_screening(answers: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {"screening_number": "S-0001", "attempt": 1, "initials": "AB", "status": "incomplete",
            "answers": answers, "determination": None, "outcome": None, "outcome_detail": {},
            "signatures": [], **extra}  # fmt: skip


def test_a_missing_data_code_is_an_isnull_item_flagged_with_the_code(
    protocol: LoadedProtocol,
) -> None:
    """A missing-data code is written as ODM provides: IsNull="Yes" and the code as an
    Annotation's FlagValue from CL.MISSING_DATA (here a code list given explicitly)."""
    screening = _one_screening(
        {"sex": "female", "medications_given": ["rituximab"],
         "medication_last_dose": {"rituximab": "2023-01-05"}, "serum_igg4_uln": 1.35e-5},
        missing_data={"hbv_dna": "NOT_DONE", "involved_organs": "UNKNOWN"},
    )  # fmt: skip
    codes = {"NOT_DONE": "Not done", "UNKNOWN": "Unknown"}
    data = odm_xml(protocol, {"code": "S", "name": "Site S"}, [screening], [], {}, "2026-01-01T00:00:00Z",
                   missing_codes=codes)  # fmt: skip
    _schema().validate(io.BytesIO(data))
    root = ET.fromstring(data)
    for item_oid, code in (("IT.HBV_DNA", "NOT_DONE"), ("IT.INVOLVED_ORGANS_COUNT", "UNKNOWN")):
        item = root.find(f".//odm:ItemData[@ItemOID='{item_oid}']", NS)
        assert item is not None
        assert (item.get("IsNull"), item.get("Value")) == ("Yes", None)
        flag = item.find("odm:Annotation/odm:Flag/odm:FlagValue", NS)
        assert flag is not None
        assert (flag.text, flag.get("CodeListOID")) == (code, "CL.MISSING_DATA")
    listed = root.findall(".//odm:CodeList[@OID='CL.MISSING_DATA']/odm:CodeListItem", NS)
    assert {i.get("CodedValue") for i in listed} == set(codes)
    uln = root.find(".//odm:ItemData[@ItemOID='IT.SERUM_IGG4_ULN']", NS)
    assert uln is not None
    assert uln.get("Value") == "0.0000135"  # a decimal, never an exponent
    # By default the code list is the protocol's codes; a code not among them is refused.
    with pytest.raises(ValueError, match="'UNKNOWN' is not a defined missing-data code"):
        odm_xml(protocol, {"code": "S"}, [screening], [], {}, "2026-01-01T00:00:00Z")


def test_answers_given_a_code_in_the_wizard_are_isnull_items_with_the_protocols_codes(
    protocol: LoadedProtocol,
) -> None:
    """An answer stored as {"missing_data": code} (rules.missing_data): never a blank, never JSON
    text in a Value; the ODM still validates against the ODM 1.3.2 schema."""
    answers = {"sex": "male", "hbsag": {"missing_data": "pending"}, "hbv_dna": {"missing_data": "not_done"},
               "malignancy_history": True, "malignancy_date": {"missing_data": "unknown"},
               "other_medications": {"missing_data": "not_applicable"}}  # fmt: skip
    data = odm_xml(protocol, {"code": "S", "name": "Site S"}, [_one_screening(answers)], [], {},
                   "2026-01-01T00:00:00Z")  # fmt: skip
    _schema().validate(io.BytesIO(data))
    root = ET.fromstring(data)
    listed = root.findall(".//odm:CodeList[@OID='CL.MISSING_DATA']/odm:CodeListItem", NS)
    assert [i.get("CodedValue") for i in listed] == [
        "pending",
        "not_done",
        "unknown",
        "not_applicable",
    ]
    for item_oid, code in (("IT.HBSAG", "pending"), ("IT.HBV_DNA", "not_done"),
                           ("IT.MALIGNANCY_DATE", "unknown"), ("IT.OTHER_MEDICATIONS_COUNT", "not_applicable")):  # fmt: skip
        item = root.find(f".//odm:ItemData[@ItemOID='{item_oid}']", NS)
        assert item is not None, item_oid
        assert (item.get("IsNull"), item.get("Value")) == ("Yes", None)
        flag = item.find("odm:Annotation/odm:Flag/odm:FlagValue", NS)
        assert flag is not None
        assert flag.text == code
    assert b"{&quot;missing_data" not in data  # no JSON object leaks into a value
    assert b'{"missing_data' not in data
    sex = root.find(".//odm:ItemData[@ItemOID='IT.SEX']", NS)
    assert sex is not None
    assert sex.get("Value") == "male"
