"""Only what applies counts: answers to questions that do not apply under the other answers.

An answer whose question no longer applies (a maintenance dose after the plan changed to "newly
initiated", a pregnancy test after the sex changed to male) is kept as it was typed, but no
criterion, warning of evidence or printout reads it; it counts again when its question applies
again. Which questions apply is rules.flow's word, applied until nothing changes (a question can
depend on one that itself stopped applying).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from desktop_app.rules.answers import Answers
from desktop_app.rules.flow import holds
from desktop_app.rules.protocol import Protocol


def applicable_questions(protocol: Protocol, answers: Answers) -> frozenset[str]:
    """Ids of the questions that apply (their step and their own condition hold)."""
    current = answers
    while True:
        applying = frozenset(
            qid
            for step in protocol.steps
            if holds(step.applies_when, current)
            for qid in step.questions
            if holds(protocol.question(qid).applies_when, current)
        )
        narrowed = _only(current, applying)
        if narrowed == current:
            return applying
        current = narrowed


def applicable(
    protocol: Protocol, answers: Answers, applying: frozenset[str] | None = None
) -> Answers:
    """The answers the rules read: those whose question applies (`applying`, when the caller
    has them already: applicable_questions of the same answers)."""
    if applying is None:
        applying = applicable_questions(protocol, answers)
    return _only(answers, applying)


def kept_not_applicable(protocol: Protocol, answers: Answers) -> tuple[str, ...]:
    """Questions answered whose answer is kept but does not apply, in protocol order."""
    applying = applicable_questions(protocol, answers)
    return tuple(
        q.id for q in protocol.questions if q.id not in applying and answers.is_answered(q.id)
    )


def applicable_document(protocol: Protocol, document: Mapping[str, Any]) -> dict[str, Any]:
    """A stored answers document without the answers that do not apply (for printouts).

    A document the rules refuse is given back as it is: its problems are said elsewhere."""
    from desktop_app.rules.errors import InvalidAnswersError
    from desktop_app.rules.parsing import parse_answers

    try:
        parsed = parse_answers(document)
    except InvalidAnswersError:
        return dict(document)
    drop = set(kept_not_applicable(protocol, parsed))
    return {k: v for k, v in document.items() if k not in drop}


def _only(answers: Answers, applying: frozenset[str]) -> Answers:
    cleared = {
        name: None
        for name in Answers.model_fields
        if name not in applying and getattr(answers, name) is not None
    }
    codes = answers.missing_data
    if any(q not in applying for q in codes):
        kept = {q: c for q, c in codes.items() if q in applying}
        return answers.model_copy(update=cleared).with_missing_data(kept)
    return answers.model_copy(update=cleared) if cleared else answers
