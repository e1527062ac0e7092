"""Only what applies is exported as data (issue #17): kept answers stay out of the REDCap records."""

from __future__ import annotations

from typing import Any

from helpers import answers

from desktop_app.export.applicable import applicable_screenings
from desktop_app.export.redcap import redcap_tables
from desktop_app.rules import LoadedProtocol


def _row(protocol: LoadedProtocol, doc: dict[str, Any]) -> dict[str, Any]:
    screening = {"screening_number": "S-1", "attempt": 1, "initials": "AB", "status": "eligible",
                 "answers": doc, "determination": None, "outcome": None, "outcome_detail": {},
                 "signatures": []}  # fmt: skip
    _dictionary, (header, rows) = redcap_tables(
        protocol, applicable_screenings(protocol, [screening])
    )
    return dict(zip(header, rows[0], strict=True))


def test_a_kept_answer_that_does_not_apply_is_not_a_redcap_value(protocol: LoadedProtocol) -> None:
    kept = answers(gc_plan="newly_initiated", gc_maintenance_drug="methylprednisolone",
                   gc_maintenance_dose_mg_per_day=40, malignancy_date="2020-01-01")  # fmt: skip
    row = _row(protocol, kept)
    assert row["gc_mainten_dose_mg_per_day"] == ""
    assert row["malignancy_date"] == ""
    applying = _row(
        protocol, {**kept, "gc_plan": "increased_from_maintenance", "malignancy_history": True}
    )
    assert applying["gc_mainten_dose_mg_per_day"] not in ("", None)
    assert applying["malignancy_date"] == "2020-01-01"
