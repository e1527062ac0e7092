"""Notes and queries in the bundle: ODM Annotations (Comment and Flags) that still validate against
the ODM 1.3.2 schema, annotations.csv, the FHIR bundle unchanged, no date of birth."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import xmlschema
from helpers import add_user, screened

from desktop_app.export.bundle import bundle_files, csv_value
from desktop_app.rules import LoadedProtocol
from desktop_app.store import Store, create_site
from desktop_app.store.annotations import answer_query, close_query, raise_query, save_note

ODM_SCHEMA = Path(__file__).parents[1] / "data" / "odm-1.3.2" / "cdisc-odm-1.3.2" / "ODM1-3-2.xsd"
NS = {"odm": "http://www.cdisc.org/ns/odm/v1.3"}


def test_notes_and_queries_are_odm_annotations_and_csv_rows_and_fhir_does_not_change(
    store: Store, protocol: LoadedProtocol
) -> None:
    create_site(store, None, code="PUMCH", name="PUMCH", principal_investigator="PI")
    coordinator = add_user(store, "coordinator")
    monitor = add_user(store, "monitor", roles=("monitor",))
    sid = screened(store, coordinator, protocol)
    before, _, _ = bundle_files(store, protocol)
    save_note(store, coordinator, sid, "ppd", "Read at 72 hours.")
    save_note(store, coordinator, sid, "ppd", "Read at 72 hours by the TB nurse.")
    save_note(store, coordinator, sid, "pregnancy_test", "Not asked: a man.")  # not answered
    query = raise_query(store, monitor, sid, "hiv", "Which assay?", suggested_value="negative")
    answer_query(store, coordinator, query.id, "Fourth-generation ELISA.")
    close_query(store, monitor, query.id, "Thank you.")
    raise_query(
        store, monitor, sid, "date_of_birth", "Check the year.", suggested_value="1971-05-12"
    )
    files, _, _ = bundle_files(store, protocol)

    assert files["fhir_bundle.json"] == before["fhir_bundle.json"]  # FHIR carries none of them
    data = files["odm.xml"]
    xmlschema.XMLSchema(str(ODM_SCHEMA)).validate(io.BytesIO(data))
    # The suggested date of birth is withheld (the salted 64-hex hashes may hold any digits).
    assert b"1971" not in re.sub(rb"[0-9a-f]{64}", b"", data)
    root = ET.fromstring(data)
    ppd = root.find(".//odm:ItemData[@ItemOID='IT.PPD']", NS)
    assert ppd is not None
    (note,) = ppd.findall("odm:Annotation", NS)
    comment = note.find("odm:Comment", NS)
    assert comment is not None
    assert comment.get("SponsorOrSite") == "Site"
    assert "version 2" in str(comment.text)
    assert str(comment.text).endswith("Read at 72 hours by the TB nurse.")
    assert [f.text for f in note.findall("odm:Flag/odm:FlagValue", NS)] == ["NOTE"]
    hiv = root.find(".//odm:ItemData[@ItemOID='IT.HIV']", NS)
    assert hiv is not None
    (annotation,) = hiv.findall("odm:Annotation", NS)
    flags = {
        (f.get("CodeListOID"), f.text) for f in annotation.findall("odm:Flag/odm:FlagValue", NS)
    }
    assert flags == {("CL.ANNOTATION_KIND", "QUERY"), ("CL.QUERY_STATE", "closed")}
    text = str(annotation.findtext("odm:Comment", namespaces=NS))
    assert "Raised by monitor" in text
    assert "Answered by coordinator" in text
    assert "Closed by monitor" in text
    # A question not answered (no ItemData): on the attempt, naming the question, before its forms.
    event = root.find(".//odm:StudyEventData", NS)
    assert event is not None
    on_event = event.findall("odm:Annotation", NS)
    # The date of birth is never exported, so its query sits there too, without the year.
    assert [str(a.findtext("odm:Comment", namespaces=NS)).split(":")[0] for a in on_event] == [
        "On pregnancy_test (not answered)", "On date_of_birth (not answered)"]  # fmt: skip
    for code_list in ("CL.ANNOTATION_KIND", "CL.QUERY_STATE"):
        assert root.find(f".//odm:CodeList[@OID='{code_list}']", NS) is not None

    rows = [{k: csv_value(v) for k, v in r.items()}
            for r in csv.DictReader(io.StringIO(files["annotations.csv"].decode("utf-8-sig")))]  # fmt: skip
    assert [(r["question_id"], r["kind"], r["step"], r["state"]) for r in rows] == [
        ("ppd", "note", "", ""), ("pregnancy_test", "note", "", ""),
        ("hiv", "query", "raised", "closed"), ("hiv", "query", "answered", "closed"),
        ("hiv", "query", "closed", "closed"), ("date_of_birth", "query", "raised", "open"),
    ]  # fmt: skip
    assert rows[0]["version"] == "2"
    assert rows[2]["suggested_value"] == "negative"
    assert "1971" not in files["annotations.csv"].decode()
