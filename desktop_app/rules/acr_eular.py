"""The 2019 ACR/EULAR IgG4-RD classification: entry, 23 exclusions, 8 weighted domains."""

from __future__ import annotations

from decimal import Decimal

from desktop_app.rules.answers import Answers
from desktop_app.rules.glucocorticoids import for_people
from desktop_app.rules.protocol import (
    INDETERMINATE,
    AcrEularInstrument,
    Band,
    ChoiceDomain,
    Domain,
    GlandDomain,
    ImmunostainingDomain,
    SerumIgG4Domain,
    _domain_max,
)
from desktop_app.rules.result import AcrEularResult, DomainScore


def _band(bands: tuple[Band, ...], value: Decimal | str) -> str:
    if not isinstance(value, Decimal):
        return INDETERMINATE
    for band in bands:
        if band.contains(value):
            return band.code
    raise ValueError(f"no band contains {value}")  # the protocol's bands leave a gap


def _unanswered(domain: Domain, missing: list[str]) -> DomainScore:
    return DomainScore(
        domain=domain.id, answered=False, item=None, points=0, missing=tuple(missing)
    )


def score_domain(domain: Domain, answers: Answers) -> DomainScore:
    """Points for one domain; only the single highest applicable item counts."""
    if isinstance(domain, ChoiceDomain):
        code = getattr(answers, domain.question)
        if code is None:
            return _unanswered(domain, [domain.question])
        item = next(i for i in domain.items if i.code == code)
        return DomainScore(domain=domain.id, answered=True, item=code, points=item.points)
    if isinstance(domain, GlandDomain):
        sets = getattr(answers, domain.question)
        if sets is None:
            return _unanswered(domain, [domain.question])
        count = len(set(sets))
        return DomainScore(
            domain=domain.id,
            answered=True,
            item=f"{count} set(s)",
            points=domain.points_for(count),
            detail={"sets": sorted(set(sets)), "count": count},
        )
    if isinstance(domain, ImmunostainingDomain):
        return _score_immunostaining(domain, answers)
    return _score_serum_igg4(domain, answers)


def _score_immunostaining(domain: ImmunostainingDomain, answers: Answers) -> DomainScore:
    performed = getattr(answers, domain.question)
    if performed is None:
        return _unanswered(domain, [domain.question])
    if performed == "not_performed":
        # Decision: staining not performed scores 0.
        return DomainScore(
            domain=domain.id,
            answered=True,
            item="not_performed",
            points=domain.not_performed_points,
        )
    ratio = getattr(answers, domain.ratio_question)
    cells = getattr(answers, domain.cells_question)
    missing = [
        q for q, v in ((domain.ratio_question, ratio), (domain.cells_question, cells)) if v is None
    ]
    if missing:
        return _unanswered(domain, missing)
    row = _band(domain.ratio_bands, ratio)
    col = _band(domain.cell_bands, cells)
    return DomainScore(
        domain=domain.id,
        answered=True,
        item=f"{row}/{col}",
        points=domain.grid[row][col],
        detail={
            "ratio_band": row,
            "cell_band": col,
            "ratio_percent": str(ratio),
            "cells_per_hpf": str(cells),
        },
    )


def igg4_ratio(domain: SerumIgG4Domain, value: Decimal, uln: Decimal, unit: str) -> Decimal:
    """value / ULN, both in the same laboratory unit, compared exactly in decimal."""
    factor = domain.unit_to_mg_per_dl[unit]
    return (value * factor) / (uln * factor)


def _score_serum_igg4(domain: SerumIgG4Domain, answers: Answers) -> DomainScore:
    measured = getattr(answers, domain.measured_question)
    if measured is None:
        return _unanswered(domain, [domain.measured_question])
    if not measured:
        return DomainScore(
            domain=domain.id, answered=True, item="not_checked", points=domain.not_measured_points
        )
    names = (domain.value_question, domain.uln_question, domain.unit_question)
    value, uln, unit = (getattr(answers, n) for n in names)
    missing = [n for n, v in zip(names, (value, uln, unit), strict=True) if v is None]
    if missing:
        return _unanswered(domain, missing)
    ratio = igg4_ratio(domain, value, uln, unit)
    band = next(b for b in domain.bands if b.contains(ratio))
    return DomainScore(
        domain=domain.id,
        answered=True,
        item=band.code,
        points=band.points,
        detail={
            "value": str(value),
            "uln": str(uln),
            "unit": unit,
            "ratio": for_people(ratio),
            "value_mg_per_dl": for_people(value * domain.unit_to_mg_per_dl[unit]),
        },
    )


def counted_exclusions(
    instrument: AcrEularInstrument, answers: Answers
) -> tuple[list[str], list[str]]:
    """Exclusion items that count, and conditional ones ticked but not counting for these organs."""
    ticked = set(answers.acr_exclusions or ())
    organs = set(answers.involved_organs or ())
    counted: list[str] = []
    not_counted: list[str] = []
    for item in instrument.exclusions:
        if item.id not in ticked:
            continue
        within = item.only_if_organs_within
        if within is None or (organs and organs <= set(within)):
            counted.append(item.id)
        else:
            not_counted.append(item.id)
    return counted, not_counted


def classify(instrument: AcrEularInstrument, answers: Answers) -> AcrEularResult:
    """Apply the three steps. `classified` is None while the answers cannot yet decide."""
    scores = tuple(score_domain(d, answers) for d in instrument.domains)
    total = sum(s.points for s in scores)
    reachable = total + sum(
        _domain_max(d) for d, s in zip(instrument.domains, scores, strict=True) if not s.answered
    )
    missing: list[str] = []
    if answers.acr_entry is None:
        missing.append("acr_entry")
    if answers.acr_exclusions is None:
        missing.append("acr_exclusions")
    conditional = any(
        e.only_if_organs_within
        for e in instrument.exclusions
        if e.id in (answers.acr_exclusions or ())
    )
    if conditional and answers.involved_organs is None:
        missing.append("involved_organs")
    for s in scores:
        missing.extend(s.missing)

    counted, not_counted = (
        ([], []) if answers.acr_exclusions is None else counted_exclusions(instrument, answers)
    )
    classified: bool | None
    if answers.acr_entry is False or counted or reachable < instrument.threshold:
        classified = False
    elif answers.acr_entry is None or "acr_exclusions" in missing or "involved_organs" in missing:
        classified = None
    elif total >= instrument.threshold:
        classified = True
    else:
        classified = None
    return AcrEularResult(
        entry=answers.acr_entry,
        exclusions_present=tuple(counted),
        exclusions_not_counted=tuple(not_counted),
        domains=scores,
        total=total,
        maximum_reachable=reachable,
        threshold=instrument.threshold,
        classified=classified,
        missing=tuple(missing),
    )
