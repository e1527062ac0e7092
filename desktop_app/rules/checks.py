"""Validation of answers against the protocol and the reference dates; never a verdict."""

from __future__ import annotations

from datetime import date

from desktop_app.rules.answers import Answers
from desktop_app.rules.errors import InvalidAnswersError, Problem
from desktop_app.rules.protocol import Protocol

# Dates that describe the past of the candidate: none may lie after the screening date.
_PAST_DATES = (
    "date_of_birth",
    "consent_date",
    "malignancy_date",
    "chest_imaging_date",
    "ppd_date",
    "tb_elispot_date",
)


def check_answers(protocol: Protocol, answers: Answers, today: date | None = None) -> None:
    """Raise InvalidAnswersError listing every problem; return quietly when the answers are usable."""
    problems: list[Problem] = []
    problems += _check_codes(protocol, answers)
    problems += _check_dates(answers, today)
    if problems:
        raise InvalidAnswersError(problems)


def _check_codes(protocol: Protocol, answers: Answers) -> list[Problem]:
    problems: list[Problem] = []
    for question_id, allowed in protocol.option_codes.items():
        value = getattr(answers, question_id)
        if value is None:
            continue
        for code in (value,) if isinstance(value, str) else value:
            if code not in allowed:
                problems.append(
                    Problem(
                        question_id, f"unknown code {code!r}; expected one of {sorted(allowed)}"
                    )
                )
    given = set(answers.medications_given or ())
    for agent in sorted((answers.medication_last_dose or {}).keys()):
        if protocol.agent(agent) is None:
            problems.append(
                Problem(f"medication_last_dose.{agent}", "unknown agent; not in the catalog")
            )
        elif agent not in given:
            problems.append(
                Problem(
                    f"medication_last_dose.{agent}",
                    "a last dose is given for an agent not marked as given",
                )
            )
    return problems


def _dated_fields(answers: Answers) -> list[tuple[str, date]]:
    fields = [(name, getattr(answers, name)) for name in _PAST_DATES]
    fields += [
        (f"medication_last_dose.{a}", d)
        for a, d in sorted((answers.medication_last_dose or {}).items())
    ]
    fields += [
        (f"other_medications[{i}].last_dose_date", m.last_dose_date)
        for i, m in enumerate(answers.other_medications or ())
    ]
    return [(name, value) for name, value in fields if value is not None]


def _check_dates(answers: Answers, today: date | None) -> list[Problem]:
    problems: list[Problem] = []
    screening = answers.screening_date
    if today is not None:
        for name, value in [("screening_date", screening), *_dated_fields(answers)]:
            if value is not None and value > today:
                problems.append(Problem(name, f"{value} is in the future (today is {today})"))
    if screening is not None:
        for name, value in _dated_fields(answers):
            if value > screening and name != "consent_date":
                problems.append(Problem(name, f"{value} is after the screening date {screening}"))
        if answers.consent_date is not None and answers.consent_date > screening:
            problems.append(
                Problem(
                    "consent_date",
                    f"consent date {answers.consent_date} is after the screening date {screening}",
                )
            )
    born, consent = answers.date_of_birth, answers.consent_date
    if born is not None and consent is not None and born > consent:
        problems.append(
            Problem("date_of_birth", f"date of birth {born} is after the consent date {consent}")
        )
    return problems
