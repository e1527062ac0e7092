"""The writers' Bare hot paths (export/streams.py) against the reference builders: the one pass
hands RecordsWriter.rows, OdmWriter.subjects and FhirWriter.entries a Bare tuple for each plain
bare attempt; here Bare tuples and dicts mixed, candidates with several attempts, empty
initials, outcome "" and None, annotated attempts, every split into pieces."""

from __future__ import annotations

import itertools
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.export.bundle import _csv
from desktop_app.export.fhir import fhir_bundle, fhir_json
from desktop_app.export.odm import odm_xml
from desktop_app.export.redcap import other_medication_slots, redcap_tables
from desktop_app.export.streams import OdmWriter, RecordsWriter
from desktop_app.export.templates import bare_document
from desktop_app.rules import LoadedProtocol

CREATED = "2026-12-03T08:00:00Z"
PROTOCOL = {"id": "NCT0", "version": "1", "sha256": "ab"}
NUMBERS = ["S-1", "S-2", "S-3", "S-4", "S-5", "S-6"]


@st.composite
def attempts(draw: st.DrawFn) -> list[Any]:
    made: list[Any] = []
    for number in draw(st.lists(st.sampled_from(NUMBERS), unique=True, max_size=6)):
        for attempt in range(1, draw(st.integers(1, 3)) + 1):
            bare = (
                number,
                attempt,
                draw(st.sampled_from(["AB", "", "CD"])),
                draw(st.sampled_from(["draft", "incomplete", "signed", "enrolled", "withdrawn"])),
                PROTOCOL,
                draw(st.sampled_from([None, "", "enrolled", "declined"])),
            )
            made.append(bare if draw(st.integers(0, 3)) else bare_document(bare))
    return made


def _pieces(draw: st.DrawFn, items: list[Any]) -> list[list[Any]]:
    cuts = sorted(draw(st.lists(st.integers(0, len(items)), max_size=4)))
    return [items[a:b] for a, b in itertools.pairwise([0, *cuts, len(items)])]


def _documents(made: list[Any]) -> list[dict[str, Any]]:
    return [bare_document(s) if isinstance(s, tuple) else s for s in made]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_bare_tuples_in_records_and_odm_are_the_reference_bytes(
    protocol: LoadedProtocol, data: Any
) -> None:
    made = data.draw(attempts())
    documents = _documents(made)
    split = _pieces(data.draw, made)
    records = RecordsWriter(protocol, other_medication_slots(documents))
    written = records.header + "".join(records.rows(piece) for piece in split)
    assert written.encode("utf-8") == _csv(*redcap_tables(protocol, documents)[1], bom=False)
    keys = [f"{s['screening_number']}/{s['attempt']}" for s in documents] or ["none/1"]
    annotations = {
        key: {"notes": [{"question_id": "sex", "version": 1, "by": "x", "at_utc": CREATED,
                         "text": "n", "reason": None}], "queries": []}
        for key in data.draw(st.lists(st.sampled_from(keys), max_size=2, unique=True))
    }  # fmt: skip
    site = {"code": "S", "name": "Site"}
    odm = OdmWriter(protocol, site, [], {}, CREATED, None, annotations)
    text = odm.head() + "".join(odm.subjects(piece) for piece in split) + odm.tail()
    assert text.encode("utf-8") == odm_xml(
        protocol, site, documents, [], {}, CREATED, None, annotations
    )


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_bare_tuples_in_fhir_are_the_reference_bytes(protocol: LoadedProtocol, data: Any) -> None:
    made = data.draw(attempts())
    documents = _documents(made)
    reference = json.dumps(  # json.dumps itself, as the bundle's data files were first written
        fhir_bundle(protocol, "S", documents),
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")
    assert fhir_json(protocol, "S", made) == reference  # type: ignore[arg-type]
