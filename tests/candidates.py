"""A candidate drawn from the protocol's own vocabularies, for Hypothesis: any answer may be open."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st

from desktop_app.rules import default_protocol
from desktop_app.rules.protocol import SerumIgG4Domain

PROTOCOL = default_protocol()
P = PROTOCOL.protocol
SCREENING = date(2023, 3, 8)


def codes(question: str) -> list[str]:
    return [o.code for o in P.options(question)]


def day_before_screening(max_days: int = 4000) -> st.SearchStrategy[str]:
    return st.integers(0, max_days).map(lambda d: (SCREENING - timedelta(days=d)).isoformat())


# A candidate drawn from the protocol's own vocabularies: any answer may be missing.
FIELD_STRATEGIES: dict[str, st.SearchStrategy[Any]] = {
    "date_of_birth": st.integers(18 * 365 - 400, 90 * 365).map(
        lambda d: (date(2023, 3, 1) - timedelta(days=d)).isoformat()
    ),
    "sex": st.sampled_from(["female", "male"]),
    "consent_given": st.booleans(),
    "consent_form_version": st.sampled_from(["1.0", "2.1"]),
    "acr_entry": st.booleans(),
    "involved_organs": st.lists(st.sampled_from(codes("involved_organs")), max_size=4, unique=True),
    "acr_exclusions": st.lists(st.sampled_from(codes("acr_exclusions")), max_size=2, unique=True),
    "acr_histopathology": st.sampled_from(codes("acr_histopathology")),
    "acr_immunostaining": st.sampled_from(["performed", "not_performed"]),
    "acr_igg4_igg_ratio": st.one_of(st.just("indeterminate"), st.integers(0, 100)),
    "acr_igg4_cells_per_hpf": st.one_of(st.just("indeterminate"), st.integers(0, 200)),
    "serum_igg4_measured": st.booleans(),
    "serum_igg4_value": st.decimals(0, 5000, places=2).map(float),
    "serum_igg4_unit": st.sampled_from(["mg/dL", "mg/L", "g/L"]),
    "acr_gland_sets": st.lists(st.sampled_from(codes("acr_gland_sets")), max_size=4, unique=True),
    "acr_chest": st.sampled_from(codes("acr_chest")),
    "acr_pancreas_biliary": st.sampled_from(codes("acr_pancreas_biliary")),
    "acr_kidney": st.sampled_from(codes("acr_kidney")),
    "acr_retroperitoneum": st.sampled_from(codes("acr_retroperitoneum")),
    "disease_status": st.sampled_from(["new_onset", "flare", "neither"]),
    "gc_plan": st.sampled_from(["newly_initiated", "increased_from_maintenance", "none"]),
    "gc_maintenance_drug": st.sampled_from(codes("gc_maintenance_drug")),
    "severe_organ_dysfunction": st.booleans(),
    "severe_infection": st.booleans(),
    "known_immunodeficiency": st.booleans(),
    "malignancy_history": st.booleans(),
    "malignancy_date": day_before_screening(),
    "pregnancy_test": st.sampled_from(["negative", "positive", "not_required"]),
    "lactating": st.booleans(),
    "planning_pregnancy": st.booleans(),
    "hbsag": st.sampled_from(["negative", "positive"]),
    "hbv_dna": st.sampled_from(["undetectable", "detectable", "not_tested"]),
    "anti_hbc": st.sampled_from(["negative", "positive"]),
    "hiv": st.sampled_from(["negative", "positive"]),
    "ppd": st.sampled_from(["negative", "positive", "not_done"]),
    "tb_elispot": st.sampled_from(["negative", "positive", "indeterminate", "not_done"]),
    "tb_conclusion": st.sampled_from(["none", "latent", "active"]),
}


def plausible_uln(unit: str) -> st.SearchStrategy[float]:
    """An upper limit of normal a real laboratory could report in this unit (protocol range)."""
    (domain,) = [d for d in P.acr_eular.domains if isinstance(d, SerumIgG4Domain)]
    span = domain.uln_plausible[unit]
    return st.decimals(span.min, span.max, places=3).map(float)


@st.composite
def candidates(draw: st.DrawFn) -> dict[str, Any]:
    doc: dict[str, Any] = {"consent_date": "2023-03-01", "screening_date": SCREENING.isoformat()}
    for name, strategy in FIELD_STRATEGIES.items():
        if draw(st.integers(0, 9)) > 0:  # about one answer in ten is left open
            doc[name] = draw(strategy)
    # Numbers plausible for their unit and drug (protocol ranges): others are refused, not evaluated.
    unit = doc.get("serum_igg4_unit", "mg/dL")
    if draw(st.integers(0, 9)) > 0:
        doc["serum_igg4_uln"] = draw(plausible_uln(unit))
    if draw(st.integers(0, 9)) > 0:
        drug = doc.get("gc_maintenance_drug", "prednisone")
        most = P.glucocorticoid_max_daily_mg[drug]
        doc["gc_maintenance_dose_mg_per_day"] = float(draw(st.decimals(0, most, places=2)))
    given_agents = draw(
        st.lists(st.sampled_from(codes("medications_given")), max_size=3, unique=True)
    )
    doc["medications_given"] = given_agents
    doc["medication_last_dose"] = {
        a: draw(day_before_screening(400)) for a in given_agents if draw(st.booleans())
    }
    return doc
