"""One evaluator per criterion kind: answers in, verdict with a reason code and parameters out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from desktop_app.rules import protocol as p
from desktop_app.rules.answers import Answers
from desktop_app.rules.dates import (
    age_on,
    days_before,
    months_before,
    whole_months_between,
    years_before,
)
from desktop_app.rules.glucocorticoids import for_people, format_mg, prednisone_equivalent
from desktop_app.rules.protocol import drug_name_key
from desktop_app.rules.result import AcrEularResult, AgentWindow, Verdict

Params = dict[str, Any]  # validated as JSON when the CriterionResult is built


@dataclass(frozen=True)
class Outcome:
    verdict: Verdict
    reason: str
    params: Params = field(default_factory=dict)
    missing: tuple[str, ...] = ()


@dataclass(frozen=True)
class Context:
    """What every evaluator may read: the protocol, the answers and the ACR/EULAR result."""

    protocol: p.Protocol
    answers: Answers
    acr: AcrEularResult
    not_done_accepted: frozenset[str] = frozenset()
    """Questions answered 'not done' where the criterion's protocol rule accepts it."""


def _unknown(*questions: str) -> Outcome:
    return Outcome("unknown", "not_answered", {"questions": list(questions)}, tuple(questions))


def _missing(answers: Answers, *questions: str) -> tuple[str, ...]:
    return tuple(q for q in questions if getattr(answers, q) is None)


# ---------------------------------------------------------------- "not done", as the protocol says


def _is_not_done(a: Answers, rule: p.NotDoneRule) -> bool:
    return a.missing_data.get(rule.question) == "not_done" or (
        getattr(a, rule.question) in rule.same_as_values
    )


def _conditions_hold(a: Answers, rule: p.NotDoneRule) -> bool:
    return all(getattr(a, c.question) in c.one_of for c in rule.acceptable_when)


def accepted_not_done(protocol: p.Protocol, a: Answers) -> frozenset[str]:
    """Questions answered 'not done' whose criterion's rule accepts it with these answers."""
    return frozenset(
        rule.question
        for c in protocol.criteria
        for rule in c.not_done
        if _is_not_done(a, rule) and _conditions_hold(a, rule)
    )


def not_done_outcome(criterion: p.Criterion, outcome: Outcome, a: Answers) -> Outcome:
    """A 'not done' the criterion's rule does not accept (its conditions do not hold, or are still
    open): the criterion stays unknown until the question is answered, unless it already fails."""
    if outcome.verdict in ("not_met", "present"):
        return outcome
    for rule in criterion.not_done:
        if not _is_not_done(a, rule) or _conditions_hold(a, rule):
            continue
        still_open = [c.question for c in rule.acceptable_when if getattr(a, c.question) is None]
        params: Params = {
            "question": rule.question,
            "acceptable_when": [
                {"question": c.question, "one_of": list(c.one_of)} for c in rule.acceptable_when
            ],
            "open": still_open,
        }
        return Outcome("unknown", "not_done_needs_answer", params, (rule.question, *still_open))
    return outcome


# ---------------------------------------------------------------- inclusions


def age_at_consent(c: p.AgeCriterion, ctx: Context) -> Outcome:
    a, meta = ctx.answers, ctx.protocol.metadata
    if a.consent_given is False:  # no consent date applies: there is no age at consent
        return Outcome("unknown", "no_consent_no_age")
    if a.date_of_birth is None or a.consent_date is None:
        return _unknown(*_missing(a, "date_of_birth", "consent_date"))
    age = age_on(a.date_of_birth, a.consent_date)
    params: Params = {
        "age": age,
        "consent_date": a.consent_date.isoformat(),
        "min_age": meta.min_age_years,
    }
    if age < meta.min_age_years:
        return Outcome("not_met", "age_below_minimum", params)
    if meta.max_age_years is not None and age > meta.max_age_years:
        return Outcome("not_met", "age_above_maximum", {**params, "max_age": meta.max_age_years})
    return Outcome("met", "age_in_range", params)


def informed_consent(c: p.ConsentCriterion, ctx: Context) -> Outcome:
    a = ctx.answers
    if a.consent_given is False:
        return Outcome("not_met", "consent_not_given")
    if a.consent_given is None or a.consent_date is None or a.consent_form_version is None:
        return _unknown(*_missing(a, "consent_given", "consent_date", "consent_form_version"))
    return Outcome(
        "met",
        "consent_documented",
        {"consent_date": a.consent_date.isoformat(), "version": a.consent_form_version},
    )


def acr_eular_classification(c: p.AcrEularCriterion, ctx: Context) -> Outcome:
    acr, organs = ctx.acr, ctx.answers.involved_organs
    params: Params = {"total": acr.total, "threshold": acr.threshold}
    if acr.entry is False:
        return Outcome("not_met", "acr_entry_not_met", params)
    if acr.exclusions_present:
        return Outcome(
            "not_met", "acr_exclusion_present", {**params, "items": list(acr.exclusions_present)}
        )
    if acr.classified is False:
        return Outcome(
            "not_met", "acr_below_threshold", {**params, "reachable": acr.maximum_reachable}
        )
    qualifying = sorted(set(organs or ()) & set(c.qualifying_organs))
    if organs is not None and not qualifying:
        return Outcome("not_met", "no_qualifying_organ", {**params, "organs": sorted(organs)})
    if acr.classified is None or organs is None:
        # Only open answers that could still change the verdict are listed as blocking.
        missing = acr.missing if acr.classified is None else ()
        if organs is None and "involved_organs" not in missing:
            missing += ("involved_organs",)
        return Outcome("unknown", "acr_incomplete", params, missing)
    # Classified and cannot be undone: points only rise as open domains are answered.
    return Outcome("met", "acr_classified", {**params, "organs": qualifying})


def glucocorticoid_requirement(c: p.GlucocorticoidCriterion, ctx: Context) -> Outcome:
    a = ctx.answers
    if a.disease_status == "neither":
        return Outcome("not_met", "no_new_onset_or_flare")
    if a.gc_plan == "none":
        return Outcome("not_met", "no_glucocorticoid_plan")
    missing = _missing(a, "disease_status", "gc_plan")
    if a.gc_plan == "increased_from_maintenance":
        missing += _missing(a, "gc_maintenance_drug", "gc_maintenance_dose_mg_per_day")
    if missing:
        return _unknown(*missing)
    params: Params = {"status": a.disease_status, "plan": a.gc_plan}
    if a.gc_plan == "newly_initiated":
        return Outcome("met", "gc_newly_initiated", params)
    if a.gc_maintenance_drug is None or a.gc_maintenance_dose_mg_per_day is None:
        # Narrows the types only: the missing-answer check above already guarantees both.
        return _unknown("gc_maintenance_drug", "gc_maintenance_dose_mg_per_day")
    equivalent = prednisone_equivalent(
        ctx.protocol, a.gc_maintenance_drug, a.gc_maintenance_dose_mg_per_day
    )
    limit = c.max_maintenance_prednisone_mg_per_day
    params |= {
        "drug": a.gc_maintenance_drug,
        "dose": format_mg(a.gc_maintenance_dose_mg_per_day),
        "prednisone_equivalent": for_people(equivalent),
        "limit": format_mg(limit),
    }
    if equivalent <= limit:
        return Outcome("met", "gc_increased_from_low_maintenance", params)
    return Outcome("not_met", "gc_maintenance_above_limit", params)


# ---------------------------------------------------------------- exclusions


def investigator_judgement(c: p.JudgementCriterion, ctx: Context) -> Outcome:
    value = getattr(ctx.answers, c.question)
    if value is None:
        return _unknown(c.question)
    if value:
        note = getattr(ctx.answers, c.note_question)
        if not note:  # the judgement is not complete without the investigator's reasons
            return Outcome("unknown", "note_missing", {"questions": [c.note_question]},
                           (c.note_question,))  # fmt: skip
        return Outcome("present", "judged_present", {"note": note})
    return Outcome("absent", "judged_absent")


def yes_no(c: p.YesNoCriterion, ctx: Context) -> Outcome:
    value = getattr(ctx.answers, c.question)
    if value is None:
        return _unknown(c.question)
    return Outcome("present", "reported_yes") if value else Outcome("absent", "reported_no")


def malignancy_window(c: p.MalignancyCriterion, ctx: Context) -> Outcome:
    a = ctx.answers
    if a.malignancy_history is None:
        return _unknown("malignancy_history")
    if a.malignancy_history is False:
        return Outcome("absent", "no_malignancy_history")
    if a.malignancy_date is None or a.screening_date is None:
        return _unknown(*_missing(a, "malignancy_date", "screening_date"))
    boundary = years_before(a.screening_date, c.years)
    params: Params = {
        "date": a.malignancy_date.isoformat(),
        "boundary": boundary.isoformat(),
        "years": c.years,
    }
    if a.malignancy_date >= boundary:
        return Outcome("present", "malignancy_within_window", params)
    return Outcome("absent", "malignancy_before_window", params)


def _window_start(window: p.Window, screening: date) -> date:
    if window.months is not None:
        return months_before(screening, window.months)
    return days_before(screening, window.days or 0)


def _doses(
    c: p.MedicationCriterion, a: Answers, proto: p.Protocol
) -> list[tuple[str, str, date | None, str]]:
    """(agent, label, last dose, question id) of every agent given in this criterion's class."""
    doses: list[tuple[str, str, date | None, str]] = []
    last = a.medication_last_dose or {}
    for code in a.medications_given or ():
        agent = proto.agent(code)
        if agent is not None and agent.drug_class == c.drug_class:
            doses.append((code, agent.name["en"], last.get(code), f"medication_last_dose.{code}"))
    for i, other in enumerate(a.other_medications or ()):
        if other.classification == c.drug_class:
            # A catalog agent typed by another name says which it is: "MabThera (Rituximab)".
            known = proto.agent_named(other.name)
            label = other.name
            if known is not None and drug_name_key(known.name["en"]) != drug_name_key(other.name):
                label = f"{other.name} ({known.name['en']})"
            question = f"other_medications[{i}].last_dose_date"
            doses.append((other.name, label, other.last_dose_date, question))
    return doses


def medication_windows(proto: p.Protocol, a: Answers) -> tuple[AgentWindow, ...]:
    """Each agent given against its class's window: the same dates the exclusions decide with."""
    result = []
    for c in proto.criteria:
        if not isinstance(c, p.MedicationCriterion):
            continue
        start = _window_start(c.window, a.screening_date) if a.screening_date else None
        for _, label, when, question in _doses(c, a, proto):
            inside = None if when is None or start is None else when >= start
            result.append(AgentWindow(question=question, name=label, criterion=c.id, last_dose=when,
                                      window_start=start, months=c.window.months, days=c.window.days,
                                      inside=inside))  # fmt: skip
    return tuple(result)


def medication_window(c: p.MedicationCriterion, ctx: Context) -> Outcome:
    a, proto = ctx.answers, ctx.protocol
    if a.medications_given is None:
        return _unknown("medications_given")
    doses = _doses(c, a, proto)
    if not doses:
        return Outcome("absent", "no_agent_of_class", {"class": c.drug_class})
    if a.screening_date is None:
        return _unknown("screening_date")
    start = _window_start(c.window, a.screening_date)
    window: Params = {"months": c.window.months} if c.window.months else {"days": c.window.days}
    inside = [d for d in doses if d[2] is not None and d[2] >= start]
    if inside:
        agents = [
            {
                "agent": code,
                "name": label,
                "last_dose": when.isoformat(),
                "months_before": whole_months_between(when, a.screening_date),
                "days_before": (a.screening_date - when).days,
            }
            for code, label, when, _ in inside
            if when is not None
        ]
        return Outcome(
            "present",
            "agent_within_window",
            {"agents": agents, "window_start": start.isoformat(), **window},
        )
    undated = tuple(q for _, _, when, q in doses if when is None)
    if undated:
        return Outcome("unknown", "last_dose_not_given", {"questions": list(undated)}, undated)
    return Outcome(
        "absent",
        "agents_before_window",
        {
            "agents": [d[0] for d in doses],
            "last_doses": [
                {"name": label, "last_dose": when.isoformat()}
                for _, label, when, _ in doses
                if when is not None
            ],
            "window_start": start.isoformat(),
            **window,
        },
    )


def reproductive(c: p.ReproductiveCriterion, ctx: Context) -> Outcome:
    a = ctx.answers
    if a.sex is None:
        return _unknown("sex")
    if a.sex == "male":
        return Outcome("absent", "not_applicable_male")
    found = [
        name
        for name, yes in (
            ("pregnant", a.pregnancy_test == "positive"),
            ("lactating", a.lactating is True),
            ("planning_pregnancy", a.planning_pregnancy is True),
        )
        if yes
    ]
    if found:
        return Outcome("present", "reproductive_present", {"findings": found})
    missing = _missing(a, "pregnancy_test", "lactating", "planning_pregnancy")
    if missing:
        return _unknown(*missing)
    return Outcome("absent", "reproductive_absent", {"pregnancy_test": a.pregnancy_test})


def viral_serology(c: p.ViralSerologyCriterion, ctx: Context) -> Outcome:
    a = ctx.answers
    found = [
        name
        for name, yes in (
            ("HBsAg positive", a.hbsag == "positive"),
            ("HBV-DNA detectable", a.hbv_dna == "detectable"),
            ("HIV positive", a.hiv == "positive"),
        )
        if yes
    ]
    if found:
        return Outcome("present", "serology_positive", {"findings": found})
    dna_not_done = "hbv_dna" in ctx.not_done_accepted
    missing = tuple(
        q for q in _missing(a, "hbsag", "hbv_dna", "hiv") if q not in ctx.not_done_accepted
    )
    if missing:
        return _unknown(*missing)
    if dna_not_done:
        return Outcome("absent", "serology_negative_dna_not_done", {"hbv_dna": "not_done"})
    return Outcome("absent", "serology_negative", {"hbv_dna": a.hbv_dna})


def tuberculosis(c: p.TuberculosisCriterion, ctx: Context) -> Outcome:
    a = ctx.answers
    if a.tb_conclusion is None:
        return _unknown("tb_conclusion")
    params: Params = {
        "conclusion": a.tb_conclusion,
        "chest_imaging": a.chest_imaging,
        "ppd": a.ppd,
        "tb_elispot": a.tb_elispot,
    }
    if a.tb_conclusion == "active":
        return Outcome("present", "active_tb", params)
    return Outcome("absent", "no_active_tb", params)


EVALUATORS: dict[type[object], Callable[..., Outcome]] = {
    p.AgeCriterion: age_at_consent,
    p.ConsentCriterion: informed_consent,
    p.AcrEularCriterion: acr_eular_classification,
    p.GlucocorticoidCriterion: glucocorticoid_requirement,
    p.JudgementCriterion: investigator_judgement,
    p.YesNoCriterion: yes_no,
    p.MalignancyCriterion: malignancy_window,
    p.MedicationCriterion: medication_window,
    p.ReproductiveCriterion: reproductive,
    p.ViralSerologyCriterion: viral_serology,
    p.TuberculosisCriterion: tuberculosis,
}
