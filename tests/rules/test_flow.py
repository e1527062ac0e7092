"""rules.flow: which steps and questions apply, and what comes next (the wizard only asks)."""

from __future__ import annotations

import pytest
from helpers import ELIGIBLE, answers

from desktop_app.rules import LoadedProtocol, parse_answers
from desktop_app.rules.flow import (
    applicable_steps,
    next_step,
    previous_step,
    resume_step,
    step_of_question,
)

ALL_STEPS = ["candidate", "acr_eular", "disease_activity", "medications", "medical_history",
             "reproductive", "infection", "review", "sign"]  # fmt: skip


def step_ids(protocol: LoadedProtocol, doc: dict[str, object]) -> list[str]:
    return [s.id for s in applicable_steps(protocol.protocol, parse_answers(doc))]


def test_reproductive_step_is_skipped_for_men(protocol: LoadedProtocol) -> None:
    assert step_ids(protocol, answers(sex="male")) == [s for s in ALL_STEPS if s != "reproductive"]
    assert step_ids(protocol, answers(sex="female")) == ALL_STEPS


def test_next_and_previous_skip_what_does_not_apply(protocol: LoadedProtocol) -> None:
    men, women = parse_answers(answers(sex="male")), parse_answers(answers(sex="female"))
    assert next_step(protocol.protocol, men, "medical_history") == "infection"
    assert next_step(protocol.protocol, women, "medical_history") == "reproductive"
    assert previous_step(protocol.protocol, men, "infection") == "medical_history"
    assert next_step(protocol.protocol, men, "sign") is None
    assert previous_step(protocol.protocol, men, "candidate") is None


def test_next_step_when_current_stopped_applying(protocol: LoadedProtocol) -> None:
    # On the reproductive step, sex is corrected to male: go on to the step after it.
    men = parse_answers(answers(sex="male"))
    assert next_step(protocol.protocol, men, "reproductive") == "infection"


def test_last_dose_dates_are_asked_only_for_agents_given(protocol: LoadedProtocol) -> None:
    doc = answers(
        medications_given=["rituximab", "methotrexate"],
        medication_last_dose={"rituximab": "2022-01-01"},
    )
    state = next(
        s for s in applicable_steps(protocol.protocol, parse_answers(doc)) if s.id == "medications"
    )
    assert state.questions == (
        "medications_given",
        "medication_last_dose.rituximab",
        "medication_last_dose.methotrexate",
        "other_medications",
    )
    assert state.missing == ("medication_last_dose.methotrexate",)
    none_given = next(
        s
        for s in applicable_steps(protocol.protocol, parse_answers(ELIGIBLE))
        if s.id == "medications"
    )
    assert none_given.questions == ("medications_given", "other_medications")


@pytest.mark.parametrize(
    ("changes", "asked", "not_asked"),
    [
        (
            {"gc_plan": "newly_initiated"},
            [],
            ["gc_maintenance_drug", "gc_maintenance_dose_mg_per_day"],
        ),
        ({"gc_plan": "increased_from_maintenance"}, ["gc_maintenance_drug"], []),
        ({"acr_immunostaining": "not_performed"}, [], ["acr_igg4_igg_ratio"]),
        ({"acr_immunostaining": "performed"}, ["acr_igg4_igg_ratio", "acr_igg4_cells_per_hpf"], []),
        (
            {"serum_igg4_measured": False},
            [],
            ["serum_igg4_value", "serum_igg4_uln", "serum_igg4_unit"],
        ),
        ({"malignancy_history": True}, ["malignancy_date"], []),
        ({"severe_infection": True}, ["severe_infection_note"], []),
        ({"ppd": "not_done"}, [], ["ppd_date"]),
    ],
)
def test_conditional_questions(
    protocol: LoadedProtocol, changes: dict[str, object], asked: list[str], not_asked: list[str]
) -> None:
    states = applicable_steps(protocol.protocol, parse_answers(answers(**changes)))
    questions = {q for s in states for q in s.questions}
    assert set(asked) <= questions
    assert not set(not_asked) & questions


def test_resume_at_first_step_with_a_missing_answer(protocol: LoadedProtocol) -> None:
    assert resume_step(protocol.protocol, parse_answers({})) == "candidate"
    assert resume_step(protocol.protocol, parse_answers(answers(hbsag=None))) == "infection"
    assert resume_step(protocol.protocol, parse_answers(ELIGIBLE)) == "review"


def test_resume_where_the_coordinator_was(protocol: LoadedProtocol) -> None:
    # A gap left in an earlier step does not pull the coordinator back from where they were.
    p = protocol.protocol
    gap = parse_answers(answers(consent_form_version=None, hbsag=None, severe_infection=None))
    assert resume_step(p, gap) == "candidate"  # no last answer known: the first open step
    assert resume_step(p, gap, last_question="severe_organ_dysfunction") == "medical_history"
    # The step of the last answer is complete: the next step after it with an open answer.
    assert resume_step(p, gap, last_question="gc_plan") == "medical_history"
    # Past the last open step: round to the first open one.
    assert resume_step(p, gap, last_question="tb_conclusion") == "infection"
    assert (
        resume_step(p, parse_answers(answers(consent_form_version=None)), "tb_conclusion")
        == "candidate"
    )
    # A question that is not (or no longer) asked changes nothing.
    assert resume_step(p, gap, last_question="no_such_question") == "candidate"
    assert resume_step(p, parse_answers(ELIGIBLE), last_question="hiv") == "review"


def test_step_of_question(protocol: LoadedProtocol) -> None:
    assert step_of_question(protocol.protocol, "medication_last_dose.rituximab") == "medications"
    assert (
        step_of_question(protocol.protocol, "other_medications[0].last_dose_date") == "medications"
    )
    assert step_of_question(protocol.protocol, "tb_conclusion") == "infection"


def test_every_missing_answer_of_an_evaluation_has_a_step(protocol: LoadedProtocol) -> None:
    from desktop_app.rules import evaluate

    for question in evaluate(protocol, {}).missing:
        assert step_of_question(protocol.protocol, question) in ALL_STEPS
