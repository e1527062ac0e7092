"""Hypothesis properties of clinical data integrity (issue #17), one or more per principle, over
candidates drawn from the protocol's vocabularies and documents drawn from the answers schema."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from candidates import FIELD_STRATEGIES, PROTOCOL, SCREENING, P, candidates, plausible_uln
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from schema_strategy import from_schema

from desktop_app.paths import resource
from desktop_app.rules import InvalidAnswersError, evaluate, parse_answers_json
from desktop_app.rules.answers import Answers
from desktop_app.rules.applicability import applicable_questions
from desktop_app.rules.flow import applicable_steps
from desktop_app.rules.glucocorticoids import prednisone_equivalent
from desktop_app.rules.parsing import parse_answers
from desktop_app.rules.protocol import SerumIgG4Domain

CONTRADICTIONS = {"pregnancy_answers_for_male"}  # the one warning read from kept answers
ANSWERS_SCHEMA = json.loads(resource("protocols", "answers.schema.json").read_text("utf-8"))
DATED = ["consent_date", "screening_date", "malignancy_date", "chest_imaging_date", "ppd_date",
         "tb_elispot_date"]  # fmt: skip


def field_type(name: str) -> str:
    """'boolean', 'date', 'choice' or other, from the answers model (the vocabulary's source)."""
    text = str(Answers.model_fields[name].annotation)
    if "bool" in text:
        return "boolean"
    if "datetime.date" in text and "dict" not in text:
        return "date"
    return "choice" if "Literal" in text and "Decimal" not in text else "other"


def refusal(call: Callable[[], object]) -> dict[str, str]:
    """field -> message of each problem; the call must refuse its input."""
    with pytest.raises(InvalidAnswersError) as info:
        call()
    return {p.field: p.message for p in info.value.problems}


def outcome(doc: dict[str, Any]) -> Any:
    """What a determination says, without the warnings read from kept answers."""
    result = evaluate(PROTOCOL, doc)
    kept = tuple(w for w in result.warnings if w.code not in CONTRADICTIONS)
    return result.model_copy(update={"warnings": kept})


# ---------------------------------------------------------------- only what applies counts


@settings(max_examples=200, deadline=None)
@given(candidates(), st.data())
def test_answers_to_questions_that_do_not_apply_change_nothing(
    doc: dict[str, Any], data: st.DataObject
) -> None:
    applying = applicable_questions(P, parse_answers(doc))
    not_applying = [q for q in FIELD_STRATEGIES if q not in applying]
    assume(not_applying)
    without = {k: v for k, v in doc.items() if k not in not_applying}
    extra = {q: data.draw(FIELD_STRATEGIES[q], label=q) for q in not_applying}
    for date_question in ("consent_date", "ppd_date", "tb_elispot_date"):
        if date_question not in applying and data.draw(st.booleans()):
            extra[date_question] = (
                SCREENING - timedelta(days=data.draw(st.integers(0, 900)))
            ).isoformat()
    assert outcome({**without, **extra}) == outcome(without)


@settings(max_examples=200, deadline=None)
@given(candidates())
def test_missing_answers_are_only_questions_that_apply(doc: dict[str, Any]) -> None:
    parsed = parse_answers(doc)
    asked = {q for s in applicable_steps(P, parsed) for q in s.questions}
    result = evaluate(PROTOCOL, doc)
    for question in result.missing:
        base = question.split("[", 1)[0]
        assert question in asked or base in applicable_questions(P, parsed), question
    for c in result.criteria:
        assert set(c.missing) <= set(result.missing) or c.verdict != "unknown"


# ---------------------------------------------------------------- contradictions are flagged


@settings(max_examples=200, deadline=None)
@given(candidates(), st.sampled_from(["none", "latent"]))
def test_active_tb_on_imaging_against_another_conclusion_is_always_flagged(
    doc: dict[str, Any], conclusion: str
) -> None:
    codes = [w.code for w in evaluate(PROTOCOL, {**doc, "chest_imaging": "active_tb",
                                                 "tb_conclusion": conclusion}).warnings]  # fmt: skip
    assert "tb_imaging_contradicts_conclusion" in codes
    assert "tb_conclusion_without_finding" not in codes


@settings(max_examples=200, deadline=None)
@given(candidates(), st.sampled_from(["normal", "old_tb", "other_abnormal"]),
       st.sampled_from(["negative", "not_done"]), st.sampled_from(["negative", "indeterminate", "not_done"]))  # fmt: skip
def test_an_active_tb_conclusion_without_any_finding_is_always_flagged(
    doc: dict[str, Any], imaging: str, ppd: str, elispot: str
) -> None:
    result = evaluate(PROTOCOL, {**doc, "tb_conclusion": "active", "chest_imaging": imaging,
                                 "ppd": ppd, "tb_elispot": elispot})  # fmt: skip
    assert "tb_conclusion_without_finding" in [w.code for w in result.warnings]
    assert "E9" in result.failing  # a warning never changes the determination


@settings(max_examples=200, deadline=None)
@given(candidates())
def test_a_contradiction_warning_never_changes_the_determination(doc: dict[str, Any]) -> None:
    result = evaluate(PROTOCOL, doc)
    flagged = {"chest_imaging": "active_tb", "tb_conclusion": "none", "sex": "male",
               "pregnancy_test": "positive"}  # fmt: skip
    changed = evaluate(PROTOCOL, {**doc, **flagged})
    base = evaluate(PROTOCOL, {**doc, "chest_imaging": "normal", "tb_conclusion": "none",
                               "sex": "male", "pregnancy_test": "negative"})  # fmt: skip
    assert changed.determination == base.determination
    assert {"tb_imaging_contradicts_conclusion", "pregnancy_answers_for_male"} <= {
        w.code for w in changed.warnings}  # fmt: skip
    assert result.determination in ("eligible", "ineligible", "incomplete")


# ---------------------------------------------------------------- strict input, one parser

NOT_BOOLEANS = st.one_of(st.text(max_size=5), st.integers(-2, 2), st.floats(allow_nan=False),
                         st.sampled_from(["yes", "no", "on", "off", "1", "0", "true", "false"]))  # fmt: skip
NOT_DATES = st.one_of(st.integers(-(10**10), 10**10), st.booleans(),
                      st.datetimes().map(lambda d: d.isoformat()), st.dates().map(lambda d: d.strftime("%d/%m/%Y")),
                      st.dates().map(lambda d: d.strftime("%Y%m%d")))  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(candidates(), st.data())
def test_a_yes_no_answer_other_than_true_or_false_is_refused_by_name(
    doc: dict[str, Any], data: st.DataObject
) -> None:
    field = data.draw(
        st.sampled_from([f for f in Answers.model_fields if field_type(f) == "boolean"])
    )
    bad = data.draw(NOT_BOOLEANS)
    problems = refusal(lambda: parse_answers_json(json.dumps({**doc, field: bad})))
    assert "true or false" in problems[field]


@settings(max_examples=300, deadline=None)
@given(candidates(), st.sampled_from([*DATED, "date_of_birth"]), NOT_DATES)
def test_a_date_other_than_a_yyyy_mm_dd_text_is_refused_by_name(
    doc: dict[str, Any], field: str, bad: Any
) -> None:
    problems = refusal(lambda: parse_answers_json(json.dumps({**doc, field: bad})))
    assert "YYYY-MM-DD" in problems[field]


@settings(max_examples=300, deadline=None)
@given(candidates(), st.data())
def test_a_code_in_another_case_is_refused_with_the_code_it_missed(
    doc: dict[str, Any], data: st.DataObject
) -> None:
    choices = [f for f in doc if field_type(f) == "choice" and isinstance(doc[f], str)]
    assume(choices)
    field = data.draw(st.sampled_from(choices))
    changed = data.draw(
        st.sampled_from([doc[field].upper(), doc[field].title(), doc[field].replace("_", " ")])
    )
    assume(changed != doc[field])
    message = refusal(lambda: evaluate(PROTOCOL, {**doc, field: changed}))[field]
    assert f"did you mean '{doc[field]}'?" in message
    assert "Allowed:" in message


@settings(max_examples=200, deadline=None)
@given(candidates(), st.booleans())
def test_files_with_or_without_a_byte_order_mark_parse_as_the_document(
    doc: dict[str, Any], as_bytes: bool
) -> None:
    text = "\ufeff" + json.dumps(doc, ensure_ascii=False)
    given_text: str | bytes = text.encode("utf-8") if as_bytes else text
    assert parse_answers_json(given_text) == parse_answers(doc)


@settings(max_examples=200, deadline=None)
@given(candidates(), st.data())
def test_a_key_given_twice_is_always_refused_by_name(
    doc: dict[str, Any], data: st.DataObject
) -> None:
    assume(doc)
    key = data.draw(st.sampled_from(sorted(doc)))
    text = json.dumps(doc)
    text = text[:-1] + f", {json.dumps(key)}: {json.dumps(doc[key])}}}"  # the same key, again
    assert list(refusal(lambda: parse_answers_json(text))) == [key]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(from_schema(ANSWERS_SCHEMA))
def test_the_store_the_files_and_the_wizard_read_alike(doc: dict[str, Any]) -> None:
    # One parser: the whole document from JSON text, and each answer on its own (as the store
    # saves it), accept and refuse the same values.
    from desktop_app.rules.parsing import parse_answer

    try:
        parse_answers_json(json.dumps(doc))
        whole = True
    except InvalidAnswersError:
        whole = False
    each = True
    for key, value in doc.items():
        try:
            parse_answer(key, json.loads(json.dumps(value)))
        except InvalidAnswersError:
            each = False
    assert whole == each


# ---------------------------------------------------------------- impossible values refused


@settings(max_examples=300, deadline=None)
@given(candidates(), st.sampled_from(DATED), st.integers(1, 20000))
def test_no_event_is_dated_before_the_date_of_birth(
    doc: dict[str, Any], field: str, days: int
) -> None:
    born = date.fromisoformat(doc.get("date_of_birth", "1970-05-12"))
    doc = {**doc, "date_of_birth": born.isoformat(), "consent_given": True, "malignancy_history": True,
           "ppd": "negative", "tb_elispot": "negative", field: (born - timedelta(days=days)).isoformat()}  # fmt: skip
    named = refusal(lambda: evaluate(PROTOCOL, doc))
    # a consent before birth is said on the date of birth ("after the consent date")
    assert field in named or (field == "consent_date" and "date_of_birth" in named)


@settings(max_examples=300, deadline=None)
@given(candidates(), st.sampled_from(["mg/dL", "mg/L", "g/L"]), st.data())
def test_an_upper_limit_outside_its_units_range_is_refused(
    doc: dict[str, Any], unit: str, data: st.DataObject
) -> None:
    (domain,) = [d for d in P.acr_eular.domains if isinstance(d, SerumIgG4Domain)]
    span = domain.uln_plausible[unit]
    outside = data.draw(st.one_of(st.decimals(Decimal("0.001"), span.min, places=3).filter(lambda x: x < span.min),
                                  st.decimals(span.max, span.max * 100, places=3).filter(lambda x: x > span.max)))  # fmt: skip
    doc = {**doc, "serum_igg4_measured": True, "serum_igg4_unit": unit}
    problems = refusal(lambda: evaluate(PROTOCOL, {**doc, "serum_igg4_uln": outside}))
    assert "plausible upper limit" in problems["serum_igg4_uln"]
    inside = data.draw(plausible_uln(unit))
    evaluate(PROTOCOL, {**doc, "serum_igg4_uln": inside})  # within the range: scored, not refused


@settings(max_examples=200, deadline=None)
@given(candidates(), st.sampled_from([g.code for g in P.glucocorticoids]), st.data())
def test_a_dose_above_its_drugs_maximum_is_refused(
    doc: dict[str, Any], drug: str, data: st.DataObject
) -> None:
    most = P.glucocorticoid_max_daily_mg[drug]
    above = data.draw(st.decimals(most, most * 50, places=2).filter(lambda x: x > most))
    doc = {**doc, "gc_plan": "increased_from_maintenance", "gc_maintenance_drug": drug}
    problems = refusal(lambda: evaluate(PROTOCOL, {**doc, "gc_maintenance_dose_mg_per_day": above}))
    assert "gc_maintenance_dose_mg_per_day" in problems
    evaluate(PROTOCOL, {**doc, "gc_maintenance_dose_mg_per_day": most})  # the maximum itself: fine


# ---------------------------------------------------------------- the study drug under any name


def any_spelling(name: str) -> st.SearchStrategy[str]:
    """The name in any case, with spaces anywhere (and around it)."""
    return st.lists(st.sampled_from([str.lower, str.upper, lambda c: c]), min_size=len(name),
                    max_size=len(name)).flatmap(
        lambda cases: st.lists(st.sampled_from(["", "", " ", "  "]), min_size=len(name) + 1,
                               max_size=len(name) + 1).map(
            lambda gaps: gaps[0] + "".join(f(c) + g for f, c, g in zip(cases, name, gaps[1:], strict=True))))  # fmt: skip


STUDY_DRUG = P.agent(P.metadata.study_drug)
assert STUDY_DRUG is not None
STUDY_DRUG_NAMES = [
    STUDY_DRUG.code,
    *STUDY_DRUG.name.values(),
    *P.medication_aliases[STUDY_DRUG.code],
]


@settings(max_examples=300, deadline=None)
@given(
    candidates(), st.sampled_from(STUDY_DRUG_NAMES).flatmap(any_spelling), st.integers(200, 3000)
)
def test_the_study_drug_typed_under_any_name_raises_its_warning(
    doc: dict[str, Any], typed: str, days: int
) -> None:
    assume(typed.strip())
    assert P.agent_named(typed) == STUDY_DRUG
    last = (SCREENING - timedelta(days=days)).isoformat()
    typed_in = {**doc, "other_medications": [{"name": typed, "classification": "biologic",
                                              "last_dose_date": last}]}  # fmt: skip
    try:
        result = evaluate(PROTOCOL, typed_in)
    except InvalidAnswersError:
        assume(False)  # a candidate born after that last dose: refused, rightly
        return
    assert "prior_study_drug" in [w.code for w in result.warnings]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(P.medication_catalog), st.data())
def test_every_catalog_agent_is_found_under_each_of_its_names(
    agent: Any, data: st.DataObject
) -> None:
    names = [agent.code, *agent.name.values(), *P.medication_aliases.get(agent.code, ())]
    typed = data.draw(st.sampled_from(names).flatmap(any_spelling))
    assume(typed.strip())
    assert P.agent_named(typed) == agent


# ---------------------------------------------------------------- judgements carry their note


@settings(max_examples=200, deadline=None)
@given(candidates(), st.sampled_from([("E1", "severe_organ_dysfunction"), ("E2", "severe_infection")]),
       st.one_of(st.none(), st.text(min_size=1, max_size=20).filter(str.strip)))  # fmt: skip
def test_a_judgement_present_counts_only_with_its_note(
    doc: dict[str, Any], judgement: tuple[str, str], note: str | None
) -> None:
    criterion, question = judgement
    result = evaluate(PROTOCOL, {**doc, question: True, f"{question}_note": note})
    verdict = result.criterion(criterion)
    if note is None:
        assert verdict.verdict == "unknown"
        assert f"{question}_note" in result.missing
        assert result.determination != "eligible"
    else:
        assert verdict.verdict == "present"
        assert result.determination == "ineligible"


# ---------------------------------------------------------------- numbers for people are rounded


@settings(max_examples=400, deadline=None)
@given(st.sampled_from([g.code for g in P.glucocorticoids]), st.data())
def test_a_prednisone_equivalent_is_shown_rounded_and_decided_exactly(
    drug: str, data: st.DataObject
) -> None:
    dose = data.draw(st.decimals(0, P.glucocorticoid_max_daily_mg[drug], places=3))
    doc = {**json.loads(json.dumps({k: v for k, v in FIXED.items()})), "gc_maintenance_drug": drug,
           "gc_maintenance_dose_mg_per_day": dose}  # fmt: skip
    result = evaluate(PROTOCOL, doc)
    assert result.glucocorticoid is not None
    shown = result.glucocorticoid.prednisone_equivalent_mg_per_day
    exact = prednisone_equivalent(P, drug, dose)
    decimals = shown.partition(".")[2]
    assert len(decimals) <= 2
    assert not decimals.endswith("0")
    assert abs(Decimal(shown) - exact) <= Decimal("0.005")
    assert result.glucocorticoid.within_limit == (exact <= 10)
    assert (result.criterion("I4").verdict == "met") == (exact <= 10)


@settings(max_examples=300, deadline=None)
@given(candidates(), st.sampled_from(["mg/dL", "mg/L", "g/L"]), st.data())
def test_an_igg4_multiple_is_shown_rounded(
    doc: dict[str, Any], unit: str, data: st.DataObject
) -> None:
    uln = data.draw(plausible_uln(unit))
    value = data.draw(st.decimals(0, Decimal(str(uln)) * 20, places=3))
    result = evaluate(PROTOCOL, {**doc, "serum_igg4_measured": True, "serum_igg4_unit": unit,
                                 "serum_igg4_uln": uln, "serum_igg4_value": value})  # fmt: skip
    score = next(d for d in result.acr_eular.domains if d.domain == "serum_igg4")
    ratio = str(score.detail["ratio"])
    assert len(ratio.partition(".")[2]) <= 2
    assert not ratio.partition(".")[2].endswith("0")


FIXED: dict[str, Any] = {"consent_date": "2023-03-01", "screening_date": SCREENING.isoformat(),
                         "gc_plan": "increased_from_maintenance", "disease_status": "flare"}  # fmt: skip
