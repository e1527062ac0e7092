"""evaluate(protocol, answers): the single place that decides eligibility."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from desktop_app.rules.acr_eular import classify
from desktop_app.rules.answers import Answers, parse_answers
from desktop_app.rules.checks import check_answers
from desktop_app.rules.criteria import EVALUATORS, Context
from desktop_app.rules.glucocorticoids import format_mg, prednisone_equivalent
from desktop_app.rules.messages import sentence
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
    parsed = parse_answers(answers)
    check_answers(protocol, parsed, today)
    ctx = Context(protocol=protocol, answers=parsed, acr=classify(protocol.acr_eular, parsed))

    results = []
    for criterion in protocol.criteria:
        outcome = EVALUATORS[type(criterion)](criterion, ctx)
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
        warnings=_warnings(protocol, parsed),
        protocol=ProtocolRef(id=loaded.id, version=loaded.version, sha256=loaded.sha256),
        consent_date=parsed.consent_date,
        screening_date=parsed.screening_date,
    )


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
        prednisone_equivalent_mg_per_day=format_mg(equivalent),
        limit_mg_per_day=format_mg(limit),
        within_limit=equivalent <= limit,
    )


def _warnings(protocol: Protocol, a: Answers) -> tuple[WarningResult, ...]:
    meta = protocol.metadata
    found: list[WarningResult] = []
    for rule in protocol.warnings:
        params: dict[str, Any] | None = None
        if rule.kind == "isolated_anti_hbc" and a.hbsag == "negative" and a.anti_hbc == "positive":
            params = {}
        elif (
            rule.kind == "latent_tb"
            and "positive" in (a.ppd, a.tb_elispot)
            and a.tb_conclusion in ("latent", "none")
        ):
            params = {"ppd": a.ppd, "tb_elispot": a.tb_elispot, "conclusion": a.tb_conclusion}
        elif rule.kind == "prior_study_drug" and meta.study_drug in (a.medications_given or ()):
            last = (a.medication_last_dose or {}).get(meta.study_drug)
            params = {"agent": meta.study_drug, "last_dose": last.isoformat() if last else None}
        elif (
            rule.kind == "after_registered_end_date"
            and a.screening_date is not None
            and a.screening_date > meta.registered_end_date
        ):
            params = {
                "screening_date": a.screening_date.isoformat(),
                "registered_end_date": meta.registered_end_date.isoformat(),
            }
        if params is not None:
            found.append(WarningResult(code=rule.code, params=params, text=rule.text["en"]))
    return tuple(found)
