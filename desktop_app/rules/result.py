"""The immutable result of an evaluation: verdicts with reason codes, scores, warnings."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, JsonValue

Verdict = Literal["met", "not_met", "unknown", "present", "absent"]
Overall = Literal["eligible", "ineligible", "incomplete"]
Params = dict[str, JsonValue]
"""Reason parameters as stored in a result (validated to be JSON)."""


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class CriterionResult(_Frozen):
    id: str
    type: Literal["inclusion", "exclusion"]
    verdict: Verdict
    reason: str
    params: Params
    text: str
    missing: tuple[str, ...] = ()

    @property
    def fails(self) -> bool:
        return self.verdict in ("not_met", "present")


class DomainScore(_Frozen):
    domain: str
    answered: bool
    item: str | None
    points: int
    detail: Params = {}
    missing: tuple[str, ...] = ()


class AcrEularResult(_Frozen):
    entry: bool | None
    exclusions_present: tuple[str, ...]
    exclusions_not_counted: tuple[str, ...]
    domains: tuple[DomainScore, ...]
    total: int
    maximum_reachable: int
    threshold: int
    classified: bool | None
    missing: tuple[str, ...]


class GlucocorticoidConversion(_Frozen):
    drug: str
    dose_mg_per_day: str
    prednisone_equivalent_mg_per_day: str
    limit_mg_per_day: str
    within_limit: bool


class WarningResult(_Frozen):
    code: str
    params: Params
    text: str


class ProtocolRef(_Frozen):
    id: str
    version: str
    sha256: str


class AgentWindow(_Frozen):
    """One agent given, against its class's look-back window (the wizard shows it on the agent's row)."""

    question: str  # "medication_last_dose.rituximab" or "other_medications[0].last_dose_date"
    name: str
    criterion: str  # the exclusion whose window applies (E5, E6)
    last_dose: date | None
    window_start: date | None  # None until the screening date is known
    months: int | None
    days: int | None
    inside: bool | None  # None: the last dose or the screening date is still open


class Determination(_Frozen):
    determination: Overall
    criteria: tuple[CriterionResult, ...]
    failing: tuple[str, ...]
    unknown: tuple[str, ...]
    missing: tuple[str, ...]
    acr_eular: AcrEularResult
    glucocorticoid: GlucocorticoidConversion | None
    warnings: tuple[WarningResult, ...]
    protocol: ProtocolRef
    consent_date: date | None
    screening_date: date | None

    def criterion(self, criterion_id: str) -> CriterionResult:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)
