"""Wizard flow: which steps and questions apply to the answers so far, and what comes next.

Pure functions over the protocol's steps; the Qt wizard only asks these, it never decides.
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop_app.rules.answers import Answers
from desktop_app.rules.protocol import Condition, Protocol, Question, Step


@dataclass(frozen=True)
class StepState:
    id: str
    questions: tuple[str, ...]
    missing: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return not self.missing


def holds(condition: Condition | None, answers: Answers) -> bool:
    """A condition holds when its question is answered with one of the listed values."""
    if condition is None:
        return True
    value = getattr(answers, condition.question)
    return value is not None and value in condition.one_of


def expand(question: Question, answers: Answers) -> tuple[str, ...]:
    """Question ids actually asked: one last-dose date per agent given, for example."""
    if not holds(question.applies_when, answers):
        return ()
    if question.per_item_of is not None:
        items = getattr(answers, question.per_item_of) or ()
        return tuple(f"{question.id}.{item}" for item in items)
    return (question.id,)


def is_answered(question_id: str, answers: Answers) -> bool:
    if "." in question_id:
        field, key = question_id.split(".", 1)
        return key in (getattr(answers, field) or {})
    return answers.is_answered(question_id)


def step_state(protocol: Protocol, step: Step, answers: Answers) -> StepState:
    asked: list[str] = []
    missing: list[str] = []
    for qid in step.questions:
        question = protocol.question(qid)
        for asked_id in expand(question, answers):
            asked.append(asked_id)
            if question.required and not is_answered(asked_id, answers):
                missing.append(asked_id)
    return StepState(step.id, tuple(asked), tuple(missing))


def applicable_steps(protocol: Protocol, answers: Answers) -> tuple[StepState, ...]:
    """The steps that apply, in protocol order (the reproductive step only for women)."""
    return tuple(
        step_state(protocol, s, answers) for s in protocol.steps if holds(s.applies_when, answers)
    )


def next_step(protocol: Protocol, answers: Answers, current: str) -> str | None:
    """The applicable step after `current`, or None after the last one."""
    ids = [s.id for s in applicable_steps(protocol, answers)]
    if current not in ids:
        # The current step stopped applying (an answer changed): continue from its place.
        order = [s.id for s in protocol.steps]
        after = order[order.index(current) + 1 :]
        return next((s for s in after if s in ids), None)
    index = ids.index(current)
    return ids[index + 1] if index + 1 < len(ids) else None


def previous_step(protocol: Protocol, answers: Answers, current: str) -> str | None:
    ids = [s.id for s in applicable_steps(protocol, answers)]
    if current not in ids:
        return None
    index = ids.index(current)
    return ids[index - 1] if index > 0 else None


def resume_step(protocol: Protocol, answers: Answers, last_question: str | None = None) -> str:
    """Where a coordinator continues a draft: where they were, that is the step of the answer saved
    last while it still has a missing answer, else the next step after it that has one; without
    a last answer (or when it no longer applies), the first step with a missing answer. With
    nothing missing, the review."""
    states = applicable_steps(protocol, answers)
    ids = [s.id for s in states]
    start = 0
    if last_question is not None:
        try:
            step = step_of_question(protocol, last_question)
        except KeyError:
            step = None
        if step in ids:
            start = ids.index(step)
    for state in states[start:] + states[:start]:
        if state.missing:
            return state.id
    return next((s.id for s in states if s.id == "review"), states[-1].id)


def step_of_question(protocol: Protocol, question_id: str) -> str:
    """The step that asks a question id (expanded ids such as 'medication_last_dose.x' too)."""
    base = question_id.split(".", 1)[0].split("[", 1)[0]
    for s in protocol.steps:
        if base in s.questions:
            return s.id
    raise KeyError(question_id)
