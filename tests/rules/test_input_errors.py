"""Input errors name the field and the problem; they never produce a verdict (brief §3)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from helpers import answers

from desktop_app.rules import InvalidAnswersError, LoadedProtocol, evaluate

TODAY = date(2023, 3, 10)


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"screening_date": "2023-03-11"}, "screening_date", "in the future"),
        ({"consent_date": "2023-03-09"}, "consent_date", "after the screening date"),
        ({"date_of_birth": "2023-03-05"}, "date_of_birth", "after the consent date"),
        ({"malignancy_date": "2023-03-09", "malignancy_history": True}, "malignancy_date", "after the screening"),
        ({"medications_given": ["rituximab"], "medication_last_dose": {"rituximab": "2023-03-20"}},
         "medication_last_dose.rituximab", "in the future"),
        ({"gc_plan": "increased_from_maintenance", "gc_maintenance_drug": "prednisone",
          "gc_maintenance_dose_mg_per_day": -5}, "gc_maintenance_dose_mg_per_day", "must be at least 0"),
        ({"acr_immunostaining": "performed", "acr_igg4_igg_ratio": 50, "acr_igg4_cells_per_hpf": -1},
         "acr_igg4_cells_per_hpf", "must be at least 0"),
        ({"acr_igg4_igg_ratio": 120}, "acr_igg4_igg_ratio", "must be at most 100"),
        ({"serum_igg4_value": -1}, "serum_igg4_value", "must be at least 0"),
        ({"serum_igg4_uln": 0}, "serum_igg4_uln", "must be more than 0"),
        ({"serum_igg4_unit": "mmol/L"}, "serum_igg4_unit", "'mg/dL', 'mg/L' or 'g/L'"),
        ({"gc_plan": "increased_from_maintenance", "gc_maintenance_drug": "budesonide",
          "gc_maintenance_dose_mg_per_day": 5}, "gc_maintenance_drug", "unknown code 'budesonide'"),
        ({"medications_given": ["aspirin"]}, "medications_given", "unknown code 'aspirin'"),
        ({"other_medications": [{"name": "herbal X", "last_dose_date": "2023-01-01"}]},
         "other_medications[0].classification", "is required"),
        ({"acr_histopathology": "fibrosis"}, "acr_histopathology", "unknown code"),
        ({"involved_organs": ["heart"]}, "involved_organs", "unknown code 'heart'"),
        ({"sex": "unknown"}, "sex", "'female' or 'male'"),
        ({"consent_date": "2023-02-30"}, "consent_date", "'2023-02-30' is not a calendar date (no such day)"),
        ({"consent_date": "30/02/2023"}, "consent_date", "'30/02/2023' is not a date; type it as YYYY-MM-DD"),
        ({"serum_igg4_value": "1,5 g"}, "serum_igg4_value", "'1,5 g' is not a number"),
        ({"acr_igg4_cells_per_hpf": "many"}, "acr_igg4_cells_per_hpf", "'many' is not a number"),
        ({"consent_given": "maybe"}, "consent_given", "must be yes or no"),
        ({"consent_form_version": "   "}, "consent_form_version", "must not be empty"),
        ({"serum_igg4_value": 1234567890123}, "serum_igg4_value", "has too many digits (at most 12)"),
        ({"colour": "blue"}, "colour", "is not a known field"),
    ],
)  # fmt: skip
def test_input_error_names_the_field(
    protocol: LoadedProtocol, changes: dict[str, Any], field: str, words: str
) -> None:
    with pytest.raises(InvalidAnswersError) as info:
        evaluate(protocol, answers(**changes), today=TODAY)
    fields = [p.field for p in info.value.problems]
    assert field in fields, info.value
    assert words in str(info.value)


def test_problems_are_in_the_coordinators_words_not_the_validators(
    protocol: LoadedProtocol,
) -> None:
    # One problem per field: "abc" for a number-or-"indeterminate" answer is "not a number", not
    # also "should be 'indeterminate'"; pydantic's own phrasing never reaches the screen.
    doc = answers(acr_igg4_cells_per_hpf="abc", date_of_birth="1970-13-01", serum_igg4_uln="x")
    with pytest.raises(InvalidAnswersError) as info:
        evaluate(protocol, doc, today=TODAY)
    fields = [p.field for p in info.value.problems]
    assert sorted(fields) == ["acr_igg4_cells_per_hpf", "date_of_birth", "serum_igg4_uln"]
    for jargon in ("Input should", "valid decimal", "datetime", "literal", "Extra inputs"):
        assert jargon not in str(info.value)


def test_every_problem_is_reported_at_once(protocol: LoadedProtocol) -> None:
    doc = answers(
        consent_date="2023-03-09", date_of_birth="2023-03-09", screening_date="2023-03-08"
    )
    with pytest.raises(InvalidAnswersError) as info:
        evaluate(protocol, doc, today=TODAY)
    assert {"consent_date", "date_of_birth"} <= {p.field for p in info.value.problems}


def test_without_today_only_the_screening_date_is_the_reference(protocol: LoadedProtocol) -> None:
    # The rules never read the machine's clock: a screening date "in the future" is not checked.
    assert evaluate(protocol, answers(screening_date="2099-01-01")).determination == "eligible"
    with pytest.raises(InvalidAnswersError):
        evaluate(protocol, answers(screening_date="2099-01-01"), today=TODAY)
