"""Validation of answers against the protocol and the reference dates; never a verdict."""

from __future__ import annotations

from datetime import date

from desktop_app.rules.answers import Answers
from desktop_app.rules.errors import InvalidAnswersError, Problem
from desktop_app.rules.glucocorticoids import format_mg
from desktop_app.rules.protocol import Protocol, SerumIgG4Domain

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
    """Raise InvalidAnswersError listing every problem; return quietly when the answers are usable.

    `answers`: those that apply (rules.applicability); a kept answer that does not apply is
    not checked against the others, as it is not read."""
    problems: list[Problem] = []
    problems += _check_codes(protocol, answers)
    problems += _check_dates(answers, today)
    problems += _check_plausible(protocol, answers)
    problems += _check_typed_agents(protocol, answers)
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
    if born is not None:  # nothing happens to a person before they are born
        events = [("screening_date", answers.screening_date), *_dated_fields(answers)]
        for name, value in events:
            if value is not None and value < born and name not in ("date_of_birth", "consent_date"):
                problems.append(Problem(name, f"{value} is before the date of birth {born}"))
    return problems


def _check_plausible(protocol: Protocol, a: Answers) -> list[Problem]:
    """A laboratory limit plausible for its unit, a dose plausible for its drug (protocol ranges)."""
    problems: list[Problem] = []
    for domain in protocol.acr_eular.domains:
        if not isinstance(domain, SerumIgG4Domain):
            continue
        uln, unit = getattr(a, domain.uln_question), getattr(a, domain.unit_question)
        plausible = domain.uln_plausible.get(unit) if unit is not None else None
        if uln is None or plausible is None or plausible.contains(uln):
            continue
        other = [u for u, r in domain.uln_plausible.items() if u != unit and r.contains(uln)]
        hint = f"; {format_mg(uln)} {other[0]} would be: check the unit" if other else ""
        problems.append(Problem(domain.uln_question, (
            f"{format_mg(uln)} {unit} is not a plausible upper limit of normal for serum IgG4: a "
            f"laboratory reports {format_mg(plausible.min)} to {format_mg(plausible.max)} {unit}{hint}")))  # fmt: skip
    drug, dose = a.gc_maintenance_drug, a.gc_maintenance_dose_mg_per_day
    most = protocol.glucocorticoid_max_daily_mg.get(drug) if drug is not None else None
    if dose is not None and most is not None and dose > most:
        entry = protocol.glucocorticoid(drug or "")
        name = entry.name["en"] if entry else drug
        problems.append(Problem("gc_maintenance_dose_mg_per_day", (
            f"{format_mg(dose)} mg/day of {name} is not a plausible daily dose: the protocol's "
            f"maximum is {format_mg(most)} mg/day; check the dose and its unit")))  # fmt: skip
    return problems


def _check_typed_agents(protocol: Protocol, a: Answers) -> list[Problem]:
    """An agent typed by hand that is in the catalog under another name keeps the catalog's class."""
    problems: list[Problem] = []
    for i, other in enumerate(a.other_medications or ()):
        agent = protocol.agent_named(other.name)
        if agent is not None and agent.drug_class != other.classification:
            problems.append(Problem(f"other_medications[{i}].classification", (
                f"'{other.name}' is {agent.name['en']} in the protocol's catalog, classified "
                f"'{agent.drug_class}', not '{other.classification}': classify it as "
                f"'{agent.drug_class}' or pick it from the list")))  # fmt: skip
    return problems
