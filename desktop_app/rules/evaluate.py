"""evaluate(protocol, answers): the single place that decides eligibility."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from desktop_app.rules.acr_eular import classify
from desktop_app.rules.answers import Answers
from desktop_app.rules.applicability import applicable, applicable_questions
from desktop_app.rules.checks import check_answers
from desktop_app.rules.criteria import (
    EVALUATORS,
    Context,
    Outcome,
    accepted_not_done,
    not_done_outcome,
)
from desktop_app.rules.glucocorticoids import for_people, format_mg, prednisone_equivalent
from desktop_app.rules.messages import sentence
from desktop_app.rules.missing_data import NOT_YET_KNOWN
from desktop_app.rules.parsing import parse_answers
from desktop_app.rules.protocol import GlucocorticoidCriterion, LoadedProtocol, Protocol
from desktop_app.rules.result import (
    CriterionResult,
    Determination,
    GlucocorticoidConversion,
    Overall,
    ProtocolRef,
    WarningResult,
)


def evaluate(
    loaded: LoadedProtocol, answers: Answers | Mapping[str, Any], today: date | None = None
) -> Determination:
    """Evaluate every criterion; raise InvalidAnswersError for input errors, never return a guess.

    `today`, when given, is the explicit reference for "in the future"; without it, dates are
    checked against the screening date only (the rules never read the machine's clock).
    """
    protocol = loaded.protocol
    given, applying, parsed = _checked(loaded, answers, today)
    ctx = Context(protocol=protocol, answers=parsed, acr=classify(protocol.acr_eular, parsed),
                  not_done_accepted=accepted_not_done(protocol, parsed))  # fmt: skip

    results = []
    for criterion in protocol.criteria:
        outcome = EVALUATORS[type(criterion)](criterion, ctx)
        outcome = _with_codes(not_done_outcome(criterion, outcome, parsed), parsed)
        outcome = _asked_only(outcome, applying)
        results.append(
            CriterionResult(
                id=criterion.id,
                type=criterion.type,
                verdict=outcome.verdict,
                reason=outcome.reason,
                params=outcome.params,
                text=sentence(criterion.id, outcome.reason, outcome.params),
                missing=outcome.missing,
            )
        )
    failing = tuple(r.id for r in results if r.fails)
    unknown = tuple(r.id for r in results if r.verdict == "unknown")
    missing: list[str] = []
    for r in results:
        if r.verdict == "unknown":
            missing.extend(q for q in r.missing if q not in missing)
    overall: Overall = "ineligible" if failing else ("incomplete" if unknown else "eligible")
    return Determination(
        determination=overall,
        criteria=tuple(results),
        failing=failing,
        unknown=unknown,
        missing=tuple(missing),
        acr_eular=ctx.acr,
        glucocorticoid=_conversion(protocol, parsed),
        warnings=_warnings(protocol, parsed, given),
        protocol=ProtocolRef(id=loaded.id, version=loaded.version, sha256=loaded.sha256),
        consent_date=parsed.consent_date,
        screening_date=parsed.screening_date,
    )


def checked_answers(
    loaded: LoadedProtocol, answers: Answers | Mapping[str, Any], today: date | None = None
) -> Answers:
    """The answers parsed and checked against each other exactly as `evaluate` takes them, without
    the verdicts: what the wizard checks before saving an answer whose determination the store
    computes. Raise InvalidAnswersError where `evaluate` would. The answers returned are every
    answer given (kept ones that do not apply too), as rules.flow reads them; `evaluate` takes
    them as they are, without parsing them again."""
    return _checked(loaded, answers, today)[0]


def _checked(
    loaded: LoadedProtocol, answers: Answers | Mapping[str, Any], today: date | None
) -> tuple[Answers, frozenset[str], Answers]:
    """(every answer given, the questions that apply, the answers that apply), checked."""
    protocol = loaded.protocol
    given = parse_answers(answers, protocol.option_codes, protocol.missing_codes)
    # Only what applies counts: an answer kept for a question that no longer applies is neither
    # checked against the others, nor read by a criterion, nor evidence (rules.applicability).
    applying = applicable_questions(protocol, given)
    parsed = applicable(protocol, given, applying)
    check_answers(protocol, parsed, today)
    return given, applying, parsed


def _with_codes(outcome: Outcome, a: Answers) -> Outcome:
    """An unknown verdict names the missing answers that were given a code (what is awaited)."""
    if outcome.verdict != "unknown":
        return outcome
    given = {
        q: a.missing_data[q] for q in outcome.missing if a.missing_data.get(q) in NOT_YET_KNOWN
    }
    if not given:
        return outcome
    return Outcome(outcome.verdict, outcome.reason, {**outcome.params, "awaited": given},
                   outcome.missing)  # fmt: skip


def _asked_only(outcome: Outcome, applying: frozenset[str]) -> Outcome:
    """Missing answers name only questions that apply (never a consent date without consent)."""
    asked = tuple(q for q in outcome.missing if q.split(".", 1)[0].split("[", 1)[0] in applying)
    if asked == outcome.missing:
        return outcome
    params = (
        {**outcome.params, "questions": list(asked)}
        if "questions" in outcome.params
        else outcome.params
    )
    if isinstance(params.get("awaited"), dict):
        kept = {q: c for q, c in params["awaited"].items() if q in asked}
        params = {**params, "awaited": kept} if kept else {
            k: v for k, v in params.items() if k != "awaited"}  # fmt: skip
    return Outcome(outcome.verdict, outcome.reason, params, asked)


def _conversion(protocol: Protocol, a: Answers) -> GlucocorticoidConversion | None:
    if a.gc_maintenance_drug is None or a.gc_maintenance_dose_mg_per_day is None:
        return None
    criterion = next(c for c in protocol.criteria if isinstance(c, GlucocorticoidCriterion))
    equivalent = prednisone_equivalent(
        protocol, a.gc_maintenance_drug, a.gc_maintenance_dose_mg_per_day
    )
    limit = criterion.max_maintenance_prednisone_mg_per_day
    return GlucocorticoidConversion(
        drug=a.gc_maintenance_drug,
        dose_mg_per_day=format_mg(a.gc_maintenance_dose_mg_per_day),
        prednisone_equivalent_mg_per_day=for_people(equivalent),
        limit_mg_per_day=format_mg(limit),
        within_limit=equivalent <= limit,
    )


def _warnings(protocol: Protocol, a: Answers, kept: Answers) -> tuple[WarningResult, ...]:
    """`a`: the answers that apply; `kept`: every answer given (a contradiction may lie in one
    that is kept but does not apply: a positive pregnancy test for a man)."""
    found: list[WarningResult] = []
    for rule in protocol.warnings:
        params = _warning_params(protocol, rule.kind, a, kept)
        if params is not None:
            found.append(WarningResult(code=rule.code, params=params, text=rule.text["en"]))
    return tuple(found)


def _prior_study_drug(protocol: Protocol, a: Answers) -> dict[str, Any] | None:
    """The study drug, picked from the list or typed by hand under any of its names."""
    drug = protocol.metadata.study_drug
    if drug in (a.medications_given or ()):
        last = (a.medication_last_dose or {}).get(drug)
        return {"agent": drug, "last_dose": last.isoformat() if last else None}
    for other in a.other_medications or ():
        agent = protocol.agent_named(other.name)
        if agent is not None and agent.code == drug:
            last = other.last_dose_date
            return {"agent": drug, "last_dose": last.isoformat() if last else None,
                    "entered_as": other.name}  # fmt: skip
    return None


def _warning_params(
    protocol: Protocol, kind: str, a: Answers, kept: Answers
) -> dict[str, Any] | None:
    """The parameters of a warning that applies to these answers; None when it does not."""
    end = protocol.metadata.registered_end_date
    if kind == "isolated_anti_hbc":
        return {} if a.hbsag == "negative" and a.anti_hbc == "positive" else None
    if kind == "latent_tb":
        latent = "positive" in (a.ppd, a.tb_elispot) and a.tb_conclusion in ("latent", "none")
        return (
            {"ppd": a.ppd, "tb_elispot": a.tb_elispot, "conclusion": a.tb_conclusion}
            if latent
            else None
        )
    if kind == "prior_study_drug":
        return _prior_study_drug(protocol, a)
    if kind == "after_registered_end_date":
        late = a.screening_date is not None and a.screening_date > end
        return (
            {"screening_date": str(a.screening_date), "registered_end_date": end.isoformat()}
            if late
            else None
        )
    return _contradiction(kind, a, kept)


def _contradiction(kind: str, a: Answers, kept: Answers) -> dict[str, Any] | None:
    """A test result against the investigator's conclusion or another answer: both named."""
    if kind == "tb_imaging_contradicts_conclusion":
        clash = a.chest_imaging == "active_tb" and a.tb_conclusion in ("latent", "none")
        return (
            {"chest_imaging": a.chest_imaging, "tb_conclusion": a.tb_conclusion} if clash else None
        )
    if kind == "tb_conclusion_without_finding":
        clash = (a.tb_conclusion == "active" and a.chest_imaging not in (None, "active_tb")
                 and a.ppd not in (None, "positive") and a.tb_elispot not in (None, "positive"))  # fmt: skip
        return {"tb_conclusion": a.tb_conclusion, "chest_imaging": a.chest_imaging, "ppd": a.ppd,
                "tb_elispot": a.tb_elispot} if clash else None  # fmt: skip
    if kind == "pregnancy_answers_for_male":
        clash = kept.sex == "male" and (kept.pregnancy_test == "positive" or kept.lactating is True)
        return {"sex": kept.sex, "pregnancy_test": kept.pregnancy_test,
                "lactating": kept.lactating} if clash else None  # fmt: skip
    return None
