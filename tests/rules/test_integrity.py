"""Clinical data integrity (issue #17): every example the issue lists, and more per principle.

Only what applies counts; contradictions are flagged; one strict parse; impossible values are
refused; the study drug under any name; judgements carry their note; numbers for people rounded.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from helpers import answers

from desktop_app.rules import InvalidAnswersError, LoadedProtocol, evaluate, parse_answers_json
from desktop_app.rules.applicability import applicable_document, kept_not_applicable
from desktop_app.rules.parsing import parse_answers

TODAY = date(2023, 3, 10)


def refused(protocol: LoadedProtocol, doc: Any) -> dict[str, str]:
    """field -> message of every problem (the document must be refused)."""

    def run() -> None:
        parsed = doc
        if isinstance(doc, str | bytes):
            parsed = parse_answers_json(doc, protocol.protocol.option_codes)
        evaluate(protocol, parsed, today=TODAY)

    with pytest.raises(InvalidAnswersError) as info:
        run()
    return {p.field: p.message for p in info.value.problems}


def warning_codes(protocol: LoadedProtocol, **changes: Any) -> list[str]:
    return [w.code for w in evaluate(protocol, answers(**changes)).warnings]


# ------------------------------------------------------------ the examples, one by one


# Rule: a maintenance dose kept after the plan changed to "newly initiated" is no evidence.
def test_newly_initiated_with_a_kept_maintenance_dose_shows_no_failed_conversion(
    protocol: LoadedProtocol,
) -> None:
    doc = answers(gc_plan="newly_initiated", gc_maintenance_drug="methylprednisolone",
                  gc_maintenance_dose_mg_per_day=40)  # fmt: skip
    result = evaluate(protocol, doc)
    assert result.determination == "eligible"
    assert result.glucocorticoid is None
    assert "prednisone 50" not in result.model_dump_json()
    assert "methylprednisolone" not in result.model_dump_json()
    assert kept_not_applicable(protocol.protocol, parse_answers(doc)) == (
        "gc_maintenance_drug", "gc_maintenance_dose_mg_per_day")  # fmt: skip


# Rule: chest imaging read as active TB against the conclusion "none" is a warning.
def test_active_tb_on_imaging_with_conclusion_none_is_flagged(protocol: LoadedProtocol) -> None:
    result = evaluate(protocol, answers(chest_imaging="active_tb", tb_conclusion="none"))
    assert result.determination == "eligible"
    (warning,) = [w for w in result.warnings if w.code == "tb_imaging_contradicts_conclusion"]
    assert warning.params == {"chest_imaging": "active_tb", "tb_conclusion": "none"}
    assert "Chest imaging reads active TB" in warning.text
    assert "conclusion" in warning.text


@pytest.mark.parametrize("value", ["yes", "on", "1", 1, 1.0, 0, "true", "True", "no"])
def test_a_yes_no_answer_is_only_true_or_false(protocol: LoadedProtocol, value: Any) -> None:
    problems = refused(protocol, json.dumps(answers(consent_given=value)))
    assert "true or false" in problems["consent_given"]
    assert list(problems) == ["consent_given"]


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (0, "not the number 0"),
        (1678233600, "not the number 1678233600"),
        ("2023-03-08T00:00:00", "no time of day"),
        ("20230308", "is not a date"),
        ("2023-W10-3", "is not a date"),
        ("2023-02-29", "no such day"),
        (True, "not true"),
    ],
)
def test_a_date_is_only_a_yyyy_mm_dd_text_of_a_real_day(
    protocol: LoadedProtocol, value: Any, words: str
) -> None:
    problems = refused(protocol, json.dumps(answers(screening_date=value)))
    assert words in problems["screening_date"]
    assert "YYYY-MM-DD" in problems["screening_date"] or "no such day" in words


def test_a_key_given_twice_is_refused_not_the_last_one_kept(protocol: LoadedProtocol) -> None:
    text = json.dumps(answers()).replace('"sex": "male"', '"sex": "male", "sex": "female"')
    assert "more than once" in refused(protocol, text)["sex"]
    nested = json.dumps(answers(medications_given=["rituximab"],
                                medication_last_dose={"rituximab": "2020-01-01"}))  # fmt: skip
    nested = nested.replace('{"rituximab": "2020-01-01"}',
                            '{"rituximab": "2020-01-01", "rituximab": "2023-01-01"}')  # fmt: skip
    assert "rituximab" in refused(protocol, nested)


def test_a_utf8_byte_order_mark_is_accepted(protocol: LoadedProtocol) -> None:
    plain = json.dumps(answers())
    for text in ("\ufeff" + plain, b"\xef\xbb\xbf" + plain.encode()):
        assert evaluate(protocol, parse_answers_json(text)) == evaluate(protocol, answers())
    assert "(document)" in refused(protocol, "\ufeff\ufeff" + plain)  # one mark, not any text
    assert "UTF-8" in refused(protocol, plain.encode("utf-16"))["(document)"]


# Rule: every dated event on or after the date of birth (1970-05-12 in the base candidate).
@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"medications_given": ["rituximab"], "medication_last_dose": {"rituximab": "1970-05-11"}},
         "medication_last_dose.rituximab"),
        ({"other_medications": [{"name": "herbal X", "classification": "other",
                                 "last_dose_date": "1960-01-01"}]}, "other_medications[0].last_dose_date"),
        ({"malignancy_history": True, "malignancy_date": "1969-01-01"}, "malignancy_date"),
        ({"chest_imaging_date": "1970-05-11"}, "chest_imaging_date"),
        ({"ppd_date": "1950-01-01"}, "ppd_date"),
        ({"tb_elispot_date": "1950-01-01"}, "tb_elispot_date"),
        ({"date_of_birth": "2023-03-05"}, "date_of_birth"),  # after consent: named on the birth date
    ],
)  # fmt: skip
def test_nothing_is_dated_before_the_date_of_birth(
    protocol: LoadedProtocol, changes: dict[str, Any], field: str
) -> None:
    problems = refused(protocol, answers(**changes))
    assert field in problems
    assert "date of birth" in problems[field] or "after the consent date" in problems[field]


def test_a_last_dose_on_the_birthday_is_possible(protocol: LoadedProtocol) -> None:
    doc = answers(medications_given=["rituximab"], medication_last_dose={"rituximab": "1970-05-12"})
    assert evaluate(protocol, doc).determination == "eligible"


@pytest.mark.parametrize("field", ["chest_imaging_date", "ppd_date", "tb_elispot_date"])
def test_tests_are_no_later_than_the_screening_date(protocol: LoadedProtocol, field: str) -> None:
    assert "after the screening date" in refused(protocol, answers(**{field: "2023-03-09"}))[field]
    assert evaluate(protocol, answers(**{field: "2023-03-08"})).determination == "eligible"


# Rule: a laboratory's upper limit of normal must be plausible for its unit (protocol ranges).
def test_a_g_per_l_limit_typed_as_mg_per_dl_is_refused_not_scored(
    protocol: LoadedProtocol,
) -> None:
    doc = answers(serum_igg4_value=405, serum_igg4_uln=1.35, serum_igg4_unit="mg/dL")
    message = refused(protocol, doc)["serum_igg4_uln"]
    assert "1.35 mg/dL is not a plausible upper limit of normal" in message
    assert "1.35 g/L would be: check the unit" in message


@pytest.mark.parametrize(
    ("uln", "unit"),
    [(201, "mg/dL"), (135, "mg/dL"), (86, "mg/dL"), (121, "mg/dL"), (1.35, "g/L"), (2.01, "g/L"),
     (1350, "mg/L"), (2010, "mg/L")],
)  # fmt: skip
def test_every_real_laboratory_limit_is_accepted(
    protocol: LoadedProtocol, uln: float, unit: str
) -> None:
    limit = Decimal(str(uln))
    doc = answers(serum_igg4_value=limit * 3, serum_igg4_uln=limit, serum_igg4_unit=unit)
    result = evaluate(protocol, doc)
    assert next(d for d in result.acr_eular.domains if d.domain == "serum_igg4").points == 6


@pytest.mark.parametrize(
    ("drug", "dose", "ok"),
    [("methylprednisolone", 40, True), ("methylprednisolone", 80, True),
     ("methylprednisolone", 400, False), ("prednisone", 100, True), ("prednisone", 100.5, False),
     ("dexamethasone", 15, True), ("dexamethasone", 75, False), ("hydrocortisone", 400, True)],
)  # fmt: skip
def test_a_dose_must_be_plausible_for_its_drug(
    protocol: LoadedProtocol, drug: str, dose: float, ok: bool
) -> None:
    doc = answers(gc_plan="increased_from_maintenance", gc_maintenance_drug=drug,
                  gc_maintenance_dose_mg_per_day=dose)  # fmt: skip
    if ok:
        evaluate(protocol, doc)
    else:
        message = refused(protocol, doc)["gc_maintenance_dose_mg_per_day"]
        assert "not a plausible daily dose" in message
        assert "maximum" in message


# Rule: the study drug under any name, typed by hand too, raises the prior-study-drug warning.
@pytest.mark.parametrize(
    "name", ["Belimumab", "belimumab", "BELIMUMAB", " Beli mumab ", "Benlysta", "benlysta",
             "贝利尤单抗", "倍力腾", "Benlysta (belimumab)", "belimumab (贝利尤单抗)"],
)  # fmt: skip
def test_the_study_drug_typed_by_hand_is_recognised(protocol: LoadedProtocol, name: str) -> None:
    doc = answers(other_medications=[
        {"name": "hydroxychloroquine sulfate 200", "classification": "other"},
        {"name": name, "classification": "biologic", "last_dose_date": "2021-01-01"}])  # fmt: skip
    result = evaluate(protocol, doc)
    (warning,) = [w for w in result.warnings if w.code == "prior_study_drug"]
    assert warning.params["entered_as"] == name.strip()
    assert warning.params["last_dose"] == "2021-01-01"
    assert result.determination == "eligible"  # 26 months ago: outside E5's window


def test_the_study_drug_from_the_list_still_warns(protocol: LoadedProtocol) -> None:
    doc = answers(medications_given=["belimumab"], medication_last_dose={"belimumab": "2021-01-01"})
    assert "prior_study_drug" in [w.code for w in evaluate(protocol, doc).warnings]


@pytest.mark.parametrize(
    ("typed", "code"),
    [("MabThera", "rituximab"), ("利妥昔单抗", "rituximab"), ("ACTEMRA", "tocilizumab"),
     ("托珠单抗", "tocilizumab"), ("Humira", "adalimumab"), ("mtx", "methotrexate"),
     ("甲氨蝶呤", "methotrexate"), ("CellCept", "mycophenolate"), ("Xeljanz", "tofacitinib"),
     ("certolizumab-pegol", "certolizumab_pegol"), ("\uff28\uff55\uff4d\uff49\uff52\uff41", "adalimumab")],  # full-width: Humira
)  # fmt: skip
def test_every_catalog_agent_is_recognised_by_brand_and_chinese_name(
    protocol: LoadedProtocol, typed: str, code: str
) -> None:
    agent = protocol.protocol.agent_named(typed)
    assert agent is not None
    assert agent.code == code


def test_a_catalog_agent_typed_by_hand_keeps_its_class(protocol: LoadedProtocol) -> None:
    doc = answers(other_medications=[{"name": "MabThera", "classification": "other",
                                      "last_dose_date": "2022-12-01"}])  # fmt: skip
    message = refused(protocol, doc)["other_medications[0].classification"]
    assert "Rituximab" in message
    assert "'biologic'" in message
    ok = answers(other_medications=[{"name": "MabThera", "classification": "biologic",
                                     "last_dose_date": "2022-12-01"}])  # fmt: skip
    result = evaluate(protocol, ok)
    assert result.failing == ("E5",)
    assert "MabThera (Rituximab) last given 2022-12-01" in result.criterion("E5").text


def test_an_unknown_agent_name_is_the_coordinators_to_classify(protocol: LoadedProtocol) -> None:
    assert protocol.protocol.agent_named("investigational anti-CD19") is None
    assert protocol.protocol.agent_named("") is None


# Rule: numbers for people are rounded; comparisons are exact.
def test_a_prednisone_equivalent_is_shown_rounded_and_compared_exactly(
    protocol: LoadedProtocol,
) -> None:
    doc = answers(gc_plan="increased_from_maintenance", gc_maintenance_drug="dexamethasone",
                  gc_maintenance_dose_mg_per_day=1.51)  # fmt: skip
    result = evaluate(protocol, doc)
    assert result.glucocorticoid is not None
    assert result.glucocorticoid.prednisone_equivalent_mg_per_day == "10.07"
    assert result.glucocorticoid.within_limit is False  # 10.0666... > 10, exactly
    assert result.criterion("I4").verdict == "not_met"
    assert "prednisone 10.07 mg/day, above the 10 mg/day limit" in result.criterion("I4").text
    assert "10.0666" not in result.model_dump_json()


def test_an_igg4_multiple_is_shown_rounded(protocol: LoadedProtocol) -> None:
    doc = answers(serum_igg4_value=4, serum_igg4_uln=1.35, serum_igg4_unit="g/L")
    detail = next(d for d in evaluate(protocol, doc).acr_eular.domains if d.domain == "serum_igg4")
    assert detail.detail["ratio"] == "2.96"  # 2.962962...
    exact = answers(serum_igg4_value=2.7, serum_igg4_uln=1.35, serum_igg4_unit="g/L")
    detail = next(
        d for d in evaluate(protocol, exact).acr_eular.domains if d.domain == "serum_igg4"
    )
    assert detail.detail["ratio"] == "2"  # not "2.00"
    assert detail.detail["value_mg_per_dl"] == "270"


# Rule: a judgement needs its note.
def test_severe_organ_dysfunction_without_a_note_lists_the_note_as_missing(
    protocol: LoadedProtocol,
) -> None:
    result = evaluate(protocol, answers(severe_organ_dysfunction=True))
    assert result.determination == "incomplete"
    assert result.missing == ("severe_organ_dysfunction_note",)
    assert "note is missing" in result.criterion("E1").text


# Rule: missing lists name only questions that apply.
def test_consent_not_given_does_not_ask_for_the_consent_date(protocol: LoadedProtocol) -> None:
    result = evaluate(protocol, answers(consent_given=False, consent_date=None,
                                        consent_form_version=None))  # fmt: skip
    assert result.determination == "ineligible"
    assert "consent_date" not in result.missing
    assert all("consent_date" not in c.missing for c in result.criteria)
    assert result.criterion("I1").reason == "no_consent_no_age"
    kept = evaluate(protocol, answers(consent_given=False))  # the date and version kept
    assert kept.consent_date is None
    assert "2023-03-01" not in " ".join(c.text for c in kept.criteria)


def test_a_printout_document_keeps_only_what_applies(protocol: LoadedProtocol) -> None:
    doc = answers(consent_given=False, malignancy_date="2019-01-01")
    shown = applicable_document(protocol.protocol, doc)
    assert "consent_date" not in shown
    assert "malignancy_date" not in shown
    assert shown["consent_given"] is False


# Rule: a codes near miss is refused with the allowed codes.
@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"acr_immunostaining": "performed", "acr_igg4_igg_ratio": "Indeterminate",
          "acr_igg4_cells_per_hpf": 20}, "acr_igg4_igg_ratio", "did you mean 'indeterminate'?"),
        ({"sex": "Female"}, "sex", "did you mean 'female'? Allowed: one of 'female' or 'male'"),
        ({"tb_conclusion": "Active"}, "tb_conclusion", "'none', 'latent' or 'active'"),
        ({"ppd": "not done"}, "ppd", "did you mean 'not_done'?"),
        ({"involved_organs": ["Pancreas"]}, "involved_organs", "did you mean 'pancreas'?"),
        ({"medications_given": ["Rituximab"]}, "medications_given", "did you mean 'rituximab'?"),
        ({"medications_given": ["rituximab"], "medication_last_dose": {"Rituximab": "2022-01-01"}},
         "medication_last_dose.Rituximab", "did you mean 'rituximab'?"),
        ({"acr_histopathology": "Storiform_Fibrosis"}, "acr_histopathology", "'storiform_fibrosis'"),
        ({"other_medications": [{"name": "x", "classification": "Biologic"}]},
         "other_medications[0].classification", "did you mean 'biologic'?"),
    ],
)  # fmt: skip
def test_a_code_near_miss_lists_the_allowed_codes(
    protocol: LoadedProtocol, changes: dict[str, Any], field: str, words: str
) -> None:
    assert words in refused(protocol, answers(**changes))[field]


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"serum_igg4_value": "8.0"}, "serum_igg4_value", "'8.0' is not a number"),
        ({"serum_igg4_value": True}, "serum_igg4_value", "must be a number, not true"),
        ({"serum_igg4_value": float("inf")}, "serum_igg4_value", "must be a finite number"),
        ({"consent_form_version": 2.1}, "consent_form_version", "must be text"),
        ({"involved_organs": "pancreas"}, "involved_organs", "must be a list"),
        ({"medication_last_dose": ["rituximab"]}, "medication_last_dose", "must be an object"),
        ({"other_medications": [{"name": "x", "classification": "other", "dose": 5}]},
         "other_medications[0].dose", "is not a known field"),
        ({"Sex": "male"}, "Sex", "did you mean 'sex'?"),
    ],
)  # fmt: skip
def test_every_refusal_names_the_field_and_what_is_allowed(
    protocol: LoadedProtocol, changes: dict[str, Any], field: str, words: str
) -> None:
    assert words in refused(protocol, answers(**changes))[field]


def test_json_non_finite_numbers_are_refused_by_field(protocol: LoadedProtocol) -> None:
    text = json.dumps(answers()).replace('"serum_igg4_value": 8.0', '"serum_igg4_value": Infinity')
    assert refused(protocol, text) == {"serum_igg4_value": "must be a finite number, not Infinity"}


def test_json_numbers_are_exact(protocol: LoadedProtocol) -> None:
    parsed = parse_answers_json('{"serum_igg4_uln": 1.35, "serum_igg4_value": 0.1}')
    assert parsed.serum_igg4_uln == Decimal("1.35")
    assert parsed.serum_igg4_value == Decimal("0.1")


# Rule: a contradiction applicability cannot resolve is refused in words, naming the field.
def test_a_last_dose_for_an_agent_not_given_is_refused(protocol: LoadedProtocol) -> None:
    doc = answers(
        medications_given=["methotrexate"], medication_last_dose={"rituximab": "2022-01-01"}
    )
    message = refused(protocol, doc)["medication_last_dose.rituximab"]
    assert "not marked as given" in message


# Rule: contradictions are warnings with their own codes, both directions for TB.
@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"chest_imaging": "active_tb", "tb_conclusion": "none"}, "tb_imaging_contradicts_conclusion"),
        ({"chest_imaging": "active_tb", "tb_conclusion": "latent"}, "tb_imaging_contradicts_conclusion"),
        ({"tb_conclusion": "active"}, "tb_conclusion_without_finding"),
        ({"tb_conclusion": "active", "chest_imaging": "old_tb", "tb_elispot": "not_done"},
         "tb_conclusion_without_finding"),
        ({"pregnancy_test": "positive"}, "pregnancy_answers_for_male"),
        ({"lactating": True}, "pregnancy_answers_for_male"),
    ],
)  # fmt: skip
def test_a_contradiction_is_a_warning_of_its_own(
    protocol: LoadedProtocol, changes: dict[str, Any], code: str
) -> None:
    assert code in warning_codes(protocol, **changes)


@pytest.mark.parametrize(
    "changes",
    [
        {"chest_imaging": "active_tb", "tb_conclusion": "active"},
        {"tb_conclusion": "active", "ppd": "positive"},
        {"tb_conclusion": "active", "tb_elispot": "positive"},
        {"tb_conclusion": "active", "tb_elispot": None},  # a test still open: not yet a contradiction
        {"sex": "female", "pregnancy_test": "positive", "lactating": False, "planning_pregnancy": False},
        {"pregnancy_test": "negative", "lactating": False},
    ],
)  # fmt: skip
def test_consistent_answers_raise_no_contradiction(
    protocol: LoadedProtocol, changes: dict[str, Any]
) -> None:
    contradictions = {"tb_imaging_contradicts_conclusion", "tb_conclusion_without_finding",
                      "pregnancy_answers_for_male"}  # fmt: skip
    assert not contradictions & set(warning_codes(protocol, **changes))


def test_a_woman_with_a_positive_test_is_excluded_and_a_man_warned(
    protocol: LoadedProtocol,
) -> None:
    woman = evaluate(protocol, answers(sex="female", pregnancy_test="positive", lactating=False,
                                       planning_pregnancy=False))  # fmt: skip
    assert woman.failing == ("E7",)
    man = evaluate(protocol, answers(sex="male", pregnancy_test="positive"))
    assert man.determination == "eligible"  # the kept answer is no evidence...
    (warning,) = [w for w in man.warnings if w.code == "pregnancy_answers_for_male"]
    assert warning.params["sex"] == "male"
    assert warning.params["pregnancy_test"] == "positive"
