"""Truth tables for I1-I4 and E1-E9 at every boundary of brief §3-§5, and the warnings."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from helpers import ELIGIBLE, answers

from desktop_app.rules import LoadedProtocol, evaluate


def verdict(protocol: LoadedProtocol, criterion: str, **changes: Any) -> str:
    return evaluate(protocol, answers(**changes)).criterion(criterion).verdict


def test_base_candidate_is_eligible(protocol: LoadedProtocol) -> None:
    result = evaluate(protocol, ELIGIBLE)
    assert result.determination == "eligible"
    assert result.failing == ()
    assert result.missing == ()
    assert result.warnings == ()
    assert [c.verdict for c in result.criteria] == ["met"] * 4 + ["absent"] * 9


# Rule I1: age in completed years at the consent date >= 18; no maximum (Decision).
@pytest.mark.parametrize(
    ("born", "consent", "expected"),
    [
        ("2005-03-01", "2023-03-01", "met"),  # 18th birthday on the consent date
        ("2005-03-02", "2023-03-01", "not_met"),
        ("2004-02-29", "2022-02-28", "met"),  # leap-day birthday reached on 28 February
        ("2004-02-29", "2022-02-27", "not_met"),
        ("1925-01-01", "2023-03-01", "met"),  # 98 years: no maximum age
    ],
)
def test_i1_age_at_consent(
    protocol: LoadedProtocol, born: str, consent: str, expected: str
) -> None:
    assert verdict(protocol, "I1", date_of_birth=born, consent_date=consent) == expected


def test_i1_age_is_measured_at_consent_not_screening(protocol: LoadedProtocol) -> None:
    # 17 at consent, 18 by the screening date: still not met.
    doc = dict(date_of_birth="2005-03-05", consent_date="2023-03-01", screening_date="2023-03-08")
    result = evaluate(protocol, answers(**doc)).criterion("I1")
    assert result.verdict == "not_met"
    assert result.params["age"] == 17


# Rule I2: consent given, dated and its form version recorded.
@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, "met"),
        ({"consent_given": False}, "not_met"),
        ({"consent_form_version": None}, "unknown"),
        ({"consent_given": None}, "unknown"),
    ],
)
def test_i2_consent(protocol: LoadedProtocol, changes: dict[str, Any], expected: str) -> None:
    assert verdict(protocol, "I2", **changes) == expected


# Rule I3: classified and at least one of the ten trial organs; pachymeninges alone does not qualify.
@pytest.mark.parametrize(
    ("organs", "expected"),
    [
        (["pancreas"], "met"),
        (["pachymeninges"], "not_met"),
        (["pachymeninges", "aorta"], "met"),
        (["thyroid"], "met"),
    ],
)
def test_i3_trial_organs(protocol: LoadedProtocol, organs: list[str], expected: str) -> None:
    assert verdict(protocol, "I3", involved_organs=organs) == expected


# Rule I4: new onset or flare, and GC newly initiated or increased from a maintenance dose whose
# prednisone equivalent is <= 10 mg/day. Each glucocorticoid at the boundary and just above it.
GC_AT_10_MG = {
    "prednisone": ("10", "10.5"),
    "prednisolone": ("10", "10.5"),
    "methylprednisolone": ("8", "8.5"),
    "triamcinolone": ("8", "8.5"),
    "hydrocortisone": ("40", "41"),
    "cortisone": ("50", "51"),
    "dexamethasone": ("1.5", "1.6"),
    "betamethasone": ("1.5", "1.6"),
    "deflazacort": ("12", "12.5"),
}


@pytest.mark.parametrize("drug", GC_AT_10_MG)
def test_i4_each_glucocorticoid_at_the_10_mg_boundary(protocol: LoadedProtocol, drug: str) -> None:
    at, above = GC_AT_10_MG[drug]
    plan = {"gc_plan": "increased_from_maintenance", "gc_maintenance_drug": drug}
    on_boundary = evaluate(protocol, answers(**plan, gc_maintenance_dose_mg_per_day=Decimal(at)))
    assert on_boundary.criterion("I4").verdict == "met"
    assert on_boundary.glucocorticoid is not None
    assert on_boundary.glucocorticoid.prednisone_equivalent_mg_per_day == "10"
    assert (
        verdict(protocol, "I4", **plan, gc_maintenance_dose_mg_per_day=Decimal(above)) == "not_met"
    )


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"disease_status": "flare"}, "met"),
        ({"disease_status": "neither"}, "not_met"),
        ({"gc_plan": "none"}, "not_met"),
        ({"gc_plan": "increased_from_maintenance"}, "unknown"),  # drug and dose still missing
        ({"disease_status": None}, "unknown"),
    ],
)
def test_i4_status_and_plan(
    protocol: LoadedProtocol, changes: dict[str, Any], expected: str
) -> None:
    assert verdict(protocol, "I4", **changes) == expected


def test_i4_conversion_is_reported(protocol: LoadedProtocol) -> None:
    doc = answers(gc_plan="increased_from_maintenance", gc_maintenance_drug="methylprednisolone",
                  gc_maintenance_dose_mg_per_day=4)  # fmt: skip
    result = evaluate(protocol, doc)
    assert result.glucocorticoid is not None
    assert result.glucocorticoid.prednisone_equivalent_mg_per_day == "5"
    assert "methylprednisolone 4 mg/day = prednisone 5 mg/day" in result.criterion("I4").text


# Rule E1/E2: the investigator's judgement; E3: a yes/no answer.
@pytest.mark.parametrize(
    ("criterion", "question"), [("E1", "severe_organ_dysfunction"), ("E2", "severe_infection")]
)
def test_e1_e2_investigator_judgement(
    protocol: LoadedProtocol, criterion: str, question: str
) -> None:
    note = {f"{question}_note": "documented by the investigator"}
    assert verdict(protocol, criterion, **{question: True}, **note) == "present"
    assert verdict(protocol, criterion, **{question: False}) == "absent"
    assert verdict(protocol, criterion, **{question: None}) == "unknown"
    # A judgement without its note is incomplete, and the note is what is missing.
    result = evaluate(protocol, answers(**{question: True}))
    without_note = result.criterion(criterion)
    assert without_note.verdict == "unknown"
    assert without_note.reason == "note_missing"
    assert without_note.missing == (f"{question}_note",)
    assert result.determination == "incomplete"
    assert result.missing == (f"{question}_note",)


def test_e3_immunodeficiency(protocol: LoadedProtocol) -> None:
    assert verdict(protocol, "E3", known_immunodeficiency=True) == "present"
    assert verdict(protocol, "E3", known_immunodeficiency=None) == "unknown"


# Rule E4: a malignancy dated on or after the same calendar day 10 years before screening.
@pytest.mark.parametrize(
    ("screening", "diagnosed", "expected"),
    [
        ("2023-03-08", "2013-03-08", "present"),  # exactly 10 years: inside (conservative)
        ("2023-03-08", "2013-03-07", "absent"),
        ("2024-02-29", "2014-02-28", "present"),  # clamped: 2014 has no 29 February
        ("2024-02-29", "2014-02-27", "absent"),
    ],
)
def test_e4_malignancy_ten_years(
    protocol: LoadedProtocol, screening: str, diagnosed: str, expected: str
) -> None:
    doc = dict(screening_date=screening, malignancy_history=True, malignancy_date=diagnosed)
    assert verdict(protocol, "E4", **doc, consent_date=screening) == expected


def test_e4_history_without_date_is_unknown(protocol: LoadedProtocol) -> None:
    result = evaluate(protocol, answers(malignancy_history=True))
    assert result.criterion("E4").verdict == "unknown"
    assert result.missing == ("malignancy_date",)


# Rule E5: a biologic last given on or after the same day 6 months before screening.
@pytest.mark.parametrize(
    ("screening", "last_dose", "expected"),
    [
        ("2023-03-08", "2022-09-08", "present"),  # exactly 6 months
        ("2023-03-08", "2022-09-07", "absent"),  # a day earlier
        ("2024-08-31", "2024-02-29", "present"),  # clamped month end (brief's example)
        ("2024-08-31", "2024-02-28", "absent"),
        ("2023-03-08", "2023-03-08", "present"),
    ],
)
def test_e5_biologic_six_months(
    protocol: LoadedProtocol, screening: str, last_dose: str, expected: str
) -> None:
    doc = dict(screening_date=screening, consent_date=screening, medications_given=["rituximab"],
               medication_last_dose={"rituximab": last_dose}, chest_imaging_date=screening,
               ppd_date=screening, tb_elispot_date=screening)  # fmt: skip
    assert verdict(protocol, "E5", **doc) == expected
    from desktop_app.rules import medication_windows, parse_answers

    (window,) = medication_windows(protocol.protocol, parse_answers(answers(**doc)))
    assert (window.criterion, window.name, window.months) == ("E5", "Rituximab", 6)
    assert window.inside is (expected == "present")


def test_e5_reason_names_agent_date_and_window(protocol: LoadedProtocol) -> None:
    doc = answers(screening_date="2024-07-08", consent_date="2024-07-01", medications_given=["rituximab"],
                  medication_last_dose={"rituximab": "2024-03-02"})  # fmt: skip
    text = evaluate(protocol, doc).criterion("E5").text
    assert (
        text
        == "E5: Rituximab last given 2024-03-02, 4 months before screening; the window is 6 months"
    )


# Rule E6: a non-biologic DMARD or immunosuppressant within 84 days; JAK inhibitors count (Decision).
@pytest.mark.parametrize(
    ("agent", "days_before", "expected"),
    [
        ("methotrexate", 84, "present"),
        ("methotrexate", 85, "absent"),
        ("tofacitinib", 84, "present"),
        ("baricitinib", 10, "present"),
        ("upadacitinib", 85, "absent"),
        ("hydroxychloroquine", 1, "present"),
    ],
)
def test_e6_dmard_84_days(
    protocol: LoadedProtocol, agent: str, days_before: int, expected: str
) -> None:
    from datetime import date, timedelta

    last = (date(2023, 3, 8) - timedelta(days=days_before)).isoformat()
    doc = dict(medications_given=[agent], medication_last_dose={agent: last})
    assert verdict(protocol, "E6", **doc) == expected


def test_biologics_and_dmards_do_not_cross(protocol: LoadedProtocol) -> None:
    biologic = answers(
        medications_given=["abatacept"], medication_last_dose={"abatacept": "2023-03-01"}
    )
    result = evaluate(protocol, biologic)
    assert result.criterion("E5").verdict == "present"
    assert result.criterion("E6").verdict == "absent"


@pytest.mark.parametrize("classification", ["glucocorticoid", "nsaid"])
def test_glucocorticoids_and_nsaids_trigger_neither(
    protocol: LoadedProtocol, classification: str
) -> None:
    other = [
        {"name": "some agent", "classification": classification, "last_dose_date": "2023-03-07"}
    ]
    result = evaluate(protocol, answers(other_medications=other))
    assert result.determination == "eligible"


def test_unlisted_agent_classified_as_biologic_counts(protocol: LoadedProtocol) -> None:
    other = [
        {
            "name": "investigational mAb",
            "classification": "biologic",
            "last_dose_date": "2023-01-01",
        }
    ]
    assert verdict(protocol, "E5", other_medications=other) == "present"
    undated = [{"name": "investigational mAb", "classification": "biologic"}]
    result = evaluate(protocol, answers(other_medications=undated))
    assert result.criterion("E5").verdict == "unknown"
    assert result.missing == ("other_medications[0].last_dose_date",)


def test_agent_given_without_last_dose_is_unknown(protocol: LoadedProtocol) -> None:
    result = evaluate(protocol, answers(medications_given=["azathioprine"]))
    assert result.criterion("E6").verdict == "unknown"
    assert result.missing == ("medication_last_dose.azathioprine",)


# Rule E7: pregnant, lactating or planning pregnancy; not applicable (absent) for men.
@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"sex": "male"}, "absent"),
        ({"sex": "female", "pregnancy_test": "negative", "lactating": False, "planning_pregnancy": False}, "absent"),
        ({"sex": "female", "pregnancy_test": "not_required", "lactating": False, "planning_pregnancy": False},
         "absent"),
        ({"sex": "female", "pregnancy_test": "positive"}, "present"),
        ({"sex": "female", "pregnancy_test": "negative", "lactating": True}, "present"),
        ({"sex": "female", "planning_pregnancy": True}, "present"),
        ({"sex": "female", "pregnancy_test": "negative"}, "unknown"),
        ({"sex": None}, "unknown"),
    ],
)  # fmt: skip
def test_e7_reproductive(protocol: LoadedProtocol, changes: dict[str, Any], expected: str) -> None:
    assert verdict(protocol, "E7", **changes) == expected


# Rule E8: HBsAg positive, HBV-DNA detectable or HIV positive.
@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"hbsag": "positive"}, "present"),
        ({"hbv_dna": "detectable"}, "present"),
        ({"hiv": "positive"}, "present"),
        ({"hbv_dna": "not_tested"}, "absent"),
        ({"anti_hbc": "positive"}, "absent"),  # isolated anti-HBc: a warning, not an exclusion
        ({"hiv": None}, "unknown"),
    ],
)
def test_e8_serology(protocol: LoadedProtocol, changes: dict[str, Any], expected: str) -> None:
    assert verdict(protocol, "E8", **changes) == expected


# Rule E9: present when the investigator concludes active tuberculosis.
@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"tb_conclusion": "active", "chest_imaging": "active_tb"}, "present"),
        ({"tb_conclusion": "latent", "tb_elispot": "positive"}, "absent"),
        ({"tb_conclusion": "none"}, "absent"),
        ({"tb_conclusion": None}, "unknown"),
    ],
)
def test_e9_tuberculosis(protocol: LoadedProtocol, changes: dict[str, Any], expected: str) -> None:
    assert verdict(protocol, "E9", **changes) == expected


# Rule: ineligible lists every failing criterion; incomplete lists every blocking answer.
def test_every_failing_criterion_is_listed(protocol: LoadedProtocol) -> None:
    doc = answers(
        date_of_birth="2010-01-01", hiv="positive", known_immunodeficiency=True, tb_conclusion=None
    )
    result = evaluate(protocol, doc)
    assert result.determination == "ineligible"
    assert result.failing == ("I1", "E3", "E8")
    assert result.unknown == ("E9",)


def test_incomplete_lists_missing_answers(protocol: LoadedProtocol) -> None:
    result = evaluate(protocol, answers(hbsag=None, acr_kidney=None, sex=None))
    assert result.determination == "incomplete"
    # I3 already has 43 points and no exclusion: the open kidney domain cannot change it, so it
    # does not block the verdict, but the worksheet still shows it as open.
    assert set(result.missing) == {"hbsag", "sex"}
    assert set(result.unknown) == {"E7", "E8"}
    assert result.criterion("I3").verdict == "met"
    assert result.acr_eular.missing == ("acr_kidney",)


# Warnings never change the determination.
@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"anti_hbc": "positive"}, "isolated_anti_hbc"),
        ({"ppd": "positive", "tb_conclusion": "latent"}, "latent_tb"),
        ({"tb_elispot": "positive", "tb_conclusion": "none"}, "latent_tb"),
        ({"medications_given": ["belimumab"], "medication_last_dose": {"belimumab": "2019-01-01"}},
         "prior_study_drug"),
        ({"screening_date": "2023-12-02", "consent_date": "2023-12-02"}, "after_registered_end_date"),
    ],
)  # fmt: skip
def test_warnings(protocol: LoadedProtocol, changes: dict[str, Any], code: str) -> None:
    result = evaluate(protocol, answers(**changes))
    assert [w.code for w in result.warnings] == [code]
    assert result.determination == "eligible"


def test_screening_on_registered_end_date_has_no_warning(protocol: LoadedProtocol) -> None:
    result = evaluate(protocol, answers(screening_date="2023-12-01", consent_date="2023-12-01"))
    assert result.warnings == ()


def test_active_tb_with_positive_test_is_no_latent_warning(protocol: LoadedProtocol) -> None:
    result = evaluate(protocol, answers(tb_elispot="positive", tb_conclusion="active"))
    assert result.warnings == ()
    assert result.failing == ("E9",)


def test_result_carries_protocol_identity(protocol: LoadedProtocol) -> None:
    ref = evaluate(protocol, ELIGIBLE).protocol
    assert (ref.id, ref.version, ref.sha256) == ("NCT04660565", "1.0", protocol.sha256)
    assert len(ref.sha256) == 64


def test_result_is_immutable(protocol: LoadedProtocol) -> None:
    from pydantic import ValidationError

    result = evaluate(protocol, ELIGIBLE)
    with pytest.raises(ValidationError):
        result.determination = "ineligible"  # type: ignore[misc]


# Reasons in words: the date entered, and an explicit "no" said as one (never "not reported").
def test_e6_before_its_window_names_the_date_entered(protocol: LoadedProtocol) -> None:
    doc = answers(
        medications_given=["leflunomide"], medication_last_dose={"leflunomide": "2022-11-01"}
    )
    text = evaluate(protocol, doc).criterion("E6").text
    assert "leflunomide last given 2022-11-01" in text.lower()
    assert "before the window from 2022-12-14" in text


def test_an_explicit_no_for_e3_is_said_as_an_answer(protocol: LoadedProtocol) -> None:
    text = evaluate(protocol, answers(known_immunodeficiency=False)).criterion("E3").text
    assert text == "E3: answered no"
