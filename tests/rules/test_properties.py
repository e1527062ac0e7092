"""Hypothesis properties of evaluation (STYLE.md: sqlite-utils' test_hypothesis habit)."""

from __future__ import annotations

import json
import random
from typing import Any

from candidates import PROTOCOL, P, candidates, codes
from helpers import ELIGIBLE, answers
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schema_strategy import from_schema

from desktop_app.paths import resource
from desktop_app.rules import Determination, InvalidAnswersError, evaluate
from desktop_app.rules.acr_eular import score_domain
from desktop_app.rules.answers import Answers
from desktop_app.rules.protocol import ChoiceDomain, GlandDomain


@settings(max_examples=300, deadline=None)
@given(candidates())
def test_a_present_exclusion_never_yields_eligible(doc: dict[str, Any]) -> None:
    result = evaluate(PROTOCOL, doc)
    if any(c.verdict == "present" for c in result.criteria):
        assert result.determination == "ineligible"
    if result.determination == "eligible":
        assert all(c.verdict in ("met", "absent") for c in result.criteria)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(["E1", "E2", "E3", "E4", "E5", "E6", "E7", "E8", "E9"]), candidates())
def test_adding_an_exclusion_to_an_eligible_candidate(
    exclusion: str, noise: dict[str, Any]
) -> None:
    make_present: dict[str, dict[str, Any]] = {
        "E1": {"severe_organ_dysfunction": True, "severe_organ_dysfunction_note": "eGFR 12"},
        "E2": {"severe_infection": True, "severe_infection_note": "sepsis"},
        "E3": {"known_immunodeficiency": True},
        "E4": {"malignancy_history": True, "malignancy_date": "2020-01-01"},
        "E5": {
            "medications_given": ["tocilizumab"],
            "medication_last_dose": {"tocilizumab": "2023-01-01"},
        },
        "E6": {
            "medications_given": ["leflunomide"],
            "medication_last_dose": {"leflunomide": "2023-01-01"},
        },
        "E7": {"sex": "female", "lactating": True},
        "E8": {"hbv_dna": "detectable"},
        "E9": {"tb_conclusion": "active"},
    }
    doc = {**noise, **make_present[exclusion]}
    result = evaluate(PROTOCOL, doc)
    assert result.determination == "ineligible"
    assert exclusion in result.failing


@settings(max_examples=200, deadline=None)
@given(candidates(), st.randoms(use_true_random=False))
def test_the_order_of_keys_never_matters(doc: dict[str, Any], rnd: random.Random) -> None:
    items = list(doc.items())
    rnd.shuffle(items)
    shuffled = json.loads(json.dumps(dict(items)))
    assert evaluate(PROTOCOL, shuffled) == evaluate(PROTOCOL, doc)


@settings(max_examples=300, deadline=None)
@given(candidates(), st.data())
def test_raising_one_domain_never_lowers_the_total(
    doc: dict[str, Any], data: st.DataObject
) -> None:
    before = evaluate(PROTOCOL, doc).acr_eular.total
    domain = data.draw(
        st.sampled_from(
            [d for d in P.acr_eular.domains if isinstance(d, ChoiceDomain | GlandDomain)]
        )
    )
    current = score_domain(domain, Answers.model_validate(doc)).points
    if isinstance(domain, ChoiceDomain):
        higher = [i.code for i in domain.items if i.points >= current]
        raised: Any = data.draw(st.sampled_from(higher))
    else:
        raised = sorted(
            {*doc.get(domain.question, []), data.draw(st.sampled_from(codes(domain.question)))}
        )
    after = evaluate(PROTOCOL, {**doc, domain.question: raised}).acr_eular.total
    assert after >= before


@settings(max_examples=200, deadline=None)
@given(candidates(), st.integers(0, 2))
def test_raising_serum_igg4_or_staining_never_lowers_the_total(
    doc: dict[str, Any], bump: int
) -> None:
    doc = {**doc, "serum_igg4_measured": True, "serum_igg4_uln": 135, "serum_igg4_unit": "mg/dL",
           "acr_immunostaining": "performed", "acr_igg4_igg_ratio": 50, "acr_igg4_cells_per_hpf": 20}  # fmt: skip
    value = {0: 100, 1: 300, 2: 700}[bump]
    before = evaluate(PROTOCOL, {**doc, "serum_igg4_value": value}).acr_eular.total
    higher = evaluate(PROTOCOL, {**doc, "serum_igg4_value": value * 3}).acr_eular.total
    stained = evaluate(PROTOCOL, {**doc, "serum_igg4_value": value, "acr_igg4_igg_ratio": 80,
                                  "acr_igg4_cells_per_hpf": 60}).acr_eular.total  # fmt: skip
    assert higher >= before
    assert stained >= before


ANSWERS_SCHEMA = json.loads(
    resource("protocols", "answers.schema.json").read_text(encoding="utf-8")
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(from_schema(ANSWERS_SCHEMA))
def test_every_schema_valid_document_evaluates_or_is_rejected_cleanly(doc: dict[str, Any]) -> None:
    # A document the schema accepts either evaluates or raises InvalidAnswersError naming fields
    # (cross-field date rules and the protocol's codes are beyond what JSON Schema can say);
    # never any other exception.
    try:
        result = evaluate(PROTOCOL, doc)
    except InvalidAnswersError as exc:
        problems = exc.problems
    else:
        assert isinstance(result, Determination)
        return
    assert problems
    assert all(p.field and p.message for p in problems)


@settings(max_examples=300, deadline=None)
@given(candidates())
def test_every_protocol_vocabulary_document_evaluates(doc: dict[str, Any]) -> None:
    result = evaluate(PROTOCOL, doc)
    assert result.determination in ("eligible", "ineligible", "incomplete")
    assert (result.determination == "incomplete") == (not result.failing and bool(result.unknown))


def test_the_base_candidate_is_a_fixed_point() -> None:
    assert evaluate(PROTOCOL, answers()) == evaluate(PROTOCOL, ELIGIBLE)


@settings(max_examples=300, deadline=None)
@given(candidates())
def test_each_agents_window_result_agrees_with_its_exclusion(doc: dict[str, Any]) -> None:
    # The wizard shows medication_windows on each agent's row; E5/E6 decide with the same dates.
    from desktop_app.rules import medication_windows
    from desktop_app.rules.answers import parse_answers

    try:
        result = evaluate(PROTOCOL, doc)
    except InvalidAnswersError:
        return
    windows = medication_windows(P, parse_answers(doc))
    for criterion in ("E5", "E6"):
        mine = [w for w in windows if w.criterion == criterion]
        verdict = result.criterion(criterion).verdict
        assert (verdict == "present") == any(w.inside for w in mine), (criterion, verdict, mine)
        if verdict == "absent" and mine:
            assert all(w.inside is False for w in mine)
