"""Issue #17: an answer whose question no longer applies is never exported as evidence.

screenings.json keeps it apart (the signature covers everything typed, so a reader can still check
it), and the ODM, REDCap and FHIR files never carry it."""

from __future__ import annotations

import json
from xml.etree import ElementTree

from helpers import ELIGIBLE, confirmed, screened

from desktop_app.export.applicable import KEPT
from desktop_app.export.bundle import bundle_files
from desktop_app.export.consolidated_records import _status
from desktop_app.rules import LoadedProtocol
from desktop_app.store import Store, User

# The plan is "newly initiated": a maintenance dose typed before the plan changed is kept in the
# store, but no criterion reads it (rules §glucocorticoids) and no export shows it.
KEPT_ANSWERS = {"gc_maintenance_drug": "methylprednisolone", "gc_maintenance_dose_mg_per_day": 37.5}


def test_answers_that_no_longer_apply_are_kept_apart_and_never_evidence(
    site_and_user: tuple[Store, User], protocol: LoadedProtocol
) -> None:
    store, coordinator = site_and_user
    assert ELIGIBLE["gc_plan"] == "newly_initiated"
    screening_id = screened(store, coordinator, protocol, {**ELIGIBLE, **KEPT_ANSWERS})
    plain = screened(store, coordinator, protocol, initials="CD")
    confirmed(store, screening_id)

    files, _, _ = bundle_files(store, protocol)
    records = json.loads(files["screenings.json"])
    assert len(records) == 2
    with_kept = next(r for r in records if KEPT in r)
    assert with_kept[KEPT] == KEPT_ANSWERS
    assert not set(KEPT_ANSWERS) & set(with_kept["answers"])
    assert with_kept["answers"]["gc_plan"] == "newly_initiated"
    assert sum(KEPT in r for r in records) == 1, "a screening without kept answers has no such key"
    assert plain  # the second candidate exported as it was

    # The investigator's signature covers everything typed, and still checks out on the export.
    (stored,) = with_kept["signatures"]
    assert _status(0, stored, with_kept).check == "valid"
    forged = {**with_kept, KEPT: {**KEPT_ANSWERS, "gc_maintenance_dose_mg_per_day": 5}}
    assert _status(0, stored, forged).check == "tampered"

    odm = ElementTree.fromstring(files["odm.xml"])
    items = [e for e in odm.iter() if e.tag.endswith("}ItemData")]
    assert items, "the ODM carries clinical data"
    assert any("GC_PLAN" in e.get("ItemOID", "").upper() for e in items)
    assert not [e.get("ItemOID") for e in items if "MAINTENANCE" in e.get("ItemOID", "").upper()]
    for name in ("redcap/records.csv", "fhir_bundle.json"):
        text = files[name].decode("utf-8-sig").lower()
        assert "methylprednisolone" not in text, name
        assert "37.5" not in text, name
