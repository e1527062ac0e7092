"""Missing-data codes (pending, not done, unknown, not applicable): the protocol declares which
each question accepts, the strict parse accepts a code only there, and the rules read pending and
unknown as not yet known and 'not done' as the criterion's protocol entry states."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest
from helpers import ELIGIBLE, answers

from desktop_app.paths import default_protocol_path
from desktop_app.rules import (
    InvalidAnswersError,
    InvalidProtocolError,
    LoadedProtocol,
    evaluate,
    parse_protocol,
)
from desktop_app.rules.messages import criterion_text
from desktop_app.rules.missing_data import Awaited, awaited, code_of, coded, waiting_only_on
from desktop_app.rules.parsing import parse_answers, parse_answers_json

DOCUMENT: dict[str, Any] = json.loads(default_protocol_path().read_text(encoding="utf-8"))
PENDING = {"missing_data": "pending"}
NOT_DONE = {"missing_data": "not_done"}


def _question(doc: dict[str, Any], qid: str) -> dict[str, Any]:
    return next(q for q in doc["questions"] if q["id"] == qid)


def _broken(change: Callable[[dict[str, Any]], None]) -> str:
    doc = copy.deepcopy(DOCUMENT)
    change(doc)
    return json.dumps(doc)


# ---------------------------------------------------------------- the protocol declares them


def test_the_protocol_declares_each_code_with_both_languages(protocol: LoadedProtocol) -> None:
    p = protocol.protocol
    assert [m.code for m in p.missing_data_codes] == [
        "pending",
        "not_done",
        "unknown",
        "not_applicable",
    ]
    for m in p.missing_data_codes:
        assert m.label["en"].strip()
        assert m.label["zh-CN"].strip()
        assert m.meaning["en"].strip()
        assert m.meaning["zh-CN"].strip()
    assert p.missing_codes["hbv_dna"] == {"pending", "not_done"}
    assert p.missing_codes["hbsag"] == {"pending"}
    assert "sex" not in p.missing_codes
    assert "date_of_birth" not in p.missing_codes
    # HBV-DNA's old "not tested" value is no longer offered: the "not done" code says it.
    assert "not_tested" not in {o.code for o in p.options("hbv_dna")}


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: _question(d, "hbsag").update(missing_codes=["awaited"]), "missing_codes"),
        (lambda d: _question(d, "hiv").update(missing_codes=["pending", "pending"]), "duplicate"),
        (lambda d: d["missing_data_codes"].pop(2), "not declared in $.missing_data_codes"),
        (lambda d: _question(d, "sex").update(missing_codes=["unknown"]), "decides whether a step applies"),
        (lambda d: _question(d, "hiv").update(missing_codes=["not_applicable"]), "not required"),
        (lambda d: _question(d, "hiv").update(missing_codes=["not_done"]), "no criterion's not_done rule"),
        (lambda d: _question(d, "medication_last_dose").update(missing_codes=["unknown"]), "per-item"),
        (lambda d: _question(d, "hbv_dna").update(missing_codes=["pending"]), "does not accept 'not_done'"),
        (lambda d: d["missing_data_codes"][0]["label"].pop("zh-CN"), "but not zh-CN"),
        (lambda d: _question(d, "ppd_date").pop("time_bound"), "must be time-bound too"),
    ],
)  # fmt: skip
def test_protocol_check_refuses_bad_codes(
    change: Callable[[dict[str, Any]], None], words: str
) -> None:
    with pytest.raises(InvalidProtocolError) as info:
        parse_protocol(_broken(change))
    assert words in str(info.value), info.value


def test_time_bound_questions_are_declared_in_the_protocol(protocol: LoadedProtocol) -> None:
    bound = protocol.protocol.time_bound_questions
    # Laboratory results, imaging, dates of tests, the pregnancy test and consent: never copied.
    assert {"hbsag", "hbv_dna", "hiv", "serum_igg4_value", "chest_imaging", "chest_imaging_date",
            "ppd_date", "pregnancy_test", "consent_given", "consent_date", "screening_date"} <= bound  # fmt: skip
    assert not {"date_of_birth", "sex", "medications_given", "malignancy_history"} & bound


# ---------------------------------------------------------------- the strict parse


def test_a_code_is_accepted_only_where_the_protocol_allows_it(protocol: LoadedProtocol) -> None:
    p = protocol.protocol
    parsed = parse_answers(answers(hbsag=PENDING), p.option_codes, p.missing_codes)
    assert parsed.hbsag is None
    assert parsed.missing_data == {"hbsag": "pending"}
    assert parsed.is_answered("hbsag")
    with pytest.raises(InvalidAnswersError) as info:
        parse_answers(answers(hiv=NOT_DONE), p.option_codes, p.missing_codes)
    assert info.value.problems[0].field == "hiv"
    assert (
        "'not_done' is not allowed for this question (it accepts 'pending')"
        in info.value.problems[0].message
    )
    with pytest.raises(InvalidAnswersError) as info:
        parse_answers(answers(sex={"missing_data": "unknown"}), p.option_codes, p.missing_codes)
    assert "(it accepts none): give its value" in info.value.problems[0].message
    with pytest.raises(InvalidAnswersError) as info:
        parse_answers_json(json.dumps(answers(hbsag={"missing_data": "later"})))
    assert "the text 'later' is not a missing-data code" in info.value.problems[0].message
    with pytest.raises(InvalidAnswersError) as info:  # evaluate parses with the protocol's codes
        evaluate(protocol, answers(hiv=NOT_DONE))
    assert info.value.problems[0].field == "hiv"


def test_code_values() -> None:
    assert code_of(coded("pending")) == "pending"
    assert code_of({"missing_data": "pending", "x": 1}) is None
    assert code_of("pending") is None
    with pytest.raises(ValueError, match="unknown missing-data code"):
        coded("later")


# ---------------------------------------------------------------- pending and unknown: not yet known


def test_pending_results_leave_the_determination_incomplete_listing_what_is_awaited(
    protocol: LoadedProtocol,
) -> None:
    doc = answers(hbsag=PENDING, hiv=PENDING)
    result = evaluate(protocol, doc)
    assert result.determination == "incomplete"
    e8 = result.criterion("E8")
    assert (e8.verdict, e8.missing) == ("unknown", ("hbsag", "hiv"))
    assert e8.params["awaited"] == {"hbsag": "pending", "hiv": "pending"}
    assert "awaited: hbsag pending, hiv pending" in e8.text
    zh = criterion_text(e8, "zh-CN", protocol.protocol)
    assert "结果待回报" in zh
    assert "HIV" in zh
    parsed = parse_answers(doc, missing=protocol.protocol.missing_codes)
    assert awaited(result, parsed) == (Awaited("hbsag", "pending"), Awaited("hiv", "pending"))
    assert waiting_only_on(result, parsed) == ("hbsag", "hiv")


def test_waiting_only_on_pending_needs_every_missing_answer_pending(
    protocol: LoadedProtocol,
) -> None:
    doc = answers(hbsag=PENDING, tb_conclusion=None)
    result = evaluate(protocol, doc)
    parsed = parse_answers(doc, missing=protocol.protocol.missing_codes)
    assert result.determination == "incomplete"
    assert awaited(result, parsed) == (Awaited("hbsag", "pending"),)
    assert waiting_only_on(result, parsed) == ()  # tb_conclusion is simply not answered
    unknown = answers(malignancy_history=True, malignancy_date={"missing_data": "unknown"})
    result = evaluate(protocol, unknown)
    parsed = parse_answers(unknown, missing=protocol.protocol.missing_codes)
    assert result.criterion("E4").verdict == "unknown"
    assert awaited(result, parsed) == (Awaited("malignancy_date", "unknown"),)
    assert waiting_only_on(result, parsed) == ()  # unknown is not a pending result
    assert waiting_only_on(result, parsed, frozenset({"pending", "unknown"})) == (
        "malignancy_date",
    )
    eligible = evaluate(protocol, ELIGIBLE)
    assert awaited(eligible, parse_answers(ELIGIBLE)) == ()


def test_a_pending_answer_never_hides_a_failing_criterion(protocol: LoadedProtocol) -> None:
    result = evaluate(protocol, answers(hbsag=PENDING, hiv="positive"))
    assert result.determination == "ineligible"
    assert result.criterion("E8").verdict == "present"


def test_a_code_on_a_question_that_does_not_apply_is_not_read(protocol: LoadedProtocol) -> None:
    # Pregnancy test pending, kept from before the sex was corrected to male.
    result = evaluate(protocol, answers(sex="male", pregnancy_test=PENDING))
    assert result.determination == "eligible"


# ---------------------------------------------------------------- not done: as the criterion states


# Rule E8 (protocol not_done rule): HBV-DNA not done is acceptable when HBsAg and anti-HBc are
# negative, and must be answered otherwise.
@pytest.mark.parametrize(
    ("changes", "verdict", "reason", "missing"),
    [
        ({"hbv_dna": NOT_DONE}, "absent", "serology_negative_dna_not_done", ()),
        ({"hbv_dna": NOT_DONE, "anti_hbc": "positive"}, "unknown", "not_done_needs_answer", ("hbv_dna",)),
        ({"hbv_dna": NOT_DONE, "anti_hbc": None}, "unknown", "not_done_needs_answer", ("hbv_dna", "anti_hbc")),
        ({"hbv_dna": NOT_DONE, "anti_hbc": PENDING}, "unknown", "not_done_needs_answer", ("hbv_dna", "anti_hbc")),
        ({"hbv_dna": NOT_DONE, "hbsag": "positive"}, "present", "serology_positive", ()),
        ({"hbv_dna": NOT_DONE, "anti_hbc": "positive", "hiv": "positive"}, "present", "serology_positive", ()),
        # The value "not_tested" of earlier documents means the same as the code.
        ({"hbv_dna": "not_tested"}, "absent", "serology_negative_dna_not_done", ()),
        ({"hbv_dna": "not_tested", "anti_hbc": "positive"}, "unknown", "not_done_needs_answer", ("hbv_dna",)),
        ({"hbv_dna": PENDING}, "unknown", "not_answered", ("hbv_dna",)),
    ],
)  # fmt: skip
def test_e8_hbv_dna_not_done(
    protocol: LoadedProtocol,
    changes: dict[str, Any],
    verdict: str,
    reason: str,
    missing: tuple[str, ...],
) -> None:
    e8 = evaluate(protocol, answers(**changes)).criterion("E8")
    assert (e8.verdict, e8.reason, e8.missing) == (verdict, reason, missing)


def test_not_done_that_must_be_answered_says_so_in_both_languages(protocol: LoadedProtocol) -> None:
    e8 = evaluate(protocol, answers(hbv_dna=NOT_DONE, anti_hbc="positive")).criterion("E8")
    assert e8.text == (
        "E8: hbv_dna was not done; that is acceptable only when hbsag is negative and anti_hbc is "
        "negative: give its result"
    )
    zh = criterion_text(e8, "zh-CN", protocol.protocol)
    assert "HBV-DNA未做" in zh
    assert "乙型肝炎核心抗体（抗-HBc）为阴性" in zh


def test_not_applicable_on_an_optional_question(protocol: LoadedProtocol) -> None:
    result = evaluate(protocol, answers(other_medications={"missing_data": "not_applicable"}))
    assert result.determination == "eligible"


def test_code_problems_in_chinese() -> None:
    from desktop_app.report_words import message_in

    said = message_in("zh-CN", "the missing-data code 'not_done' is not allowed for this question "
                               "(it accepts 'pending'): give its value")  # fmt: skip
    assert said == "此问题不接受缺失数据代码“not_done”（可接受：'pending'）：请填写其值"
    said = message_in("zh-CN", "the missing-data code 'unknown' is not allowed for this question "
                               "(it accepts none): give its value")  # fmt: skip
    assert said == "此问题不接受缺失数据代码“unknown”（不接受任何缺失数据代码）：请填写其值"
