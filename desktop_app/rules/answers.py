"""The answers document: one optional field per question id; absent means not answered."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, StringConstraints

from desktop_app.rules.protocol import DrugClass

Code = Annotated[str, StringConstraints(min_length=1, max_length=64, pattern=r"^[a-z0-9_]+$")]
NonEmptyText = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)
]
Amount = Annotated[Decimal, Field(ge=0, allow_inf_nan=False, max_digits=12)]
Indeterminate = Literal["indeterminate"]
PosNeg = Literal["negative", "positive"]


class OtherMedication(BaseModel):
    """An agent typed in by hand; the coordinator must classify it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: NonEmptyText
    classification: DrugClass
    last_dose_date: date | None = None


class Answers(BaseModel):
    """Every question of the wizard. A missing (null) field is 'not answered', never 'no'."""

    model_config = ConfigDict(frozen=True, extra="forbid", title="Eligo answers document")

    # Candidate and consent
    date_of_birth: date | None = None
    sex: Literal["female", "male"] | None = None
    consent_given: bool | None = None
    consent_date: date | None = None
    consent_form_version: NonEmptyText | None = None
    screening_date: date | None = None

    # 2019 ACR/EULAR worksheet
    acr_entry: bool | None = None
    involved_organs: tuple[Code, ...] | None = None
    acr_exclusions: tuple[Code, ...] | None = None
    acr_histopathology: Code | None = None
    acr_immunostaining: Literal["performed", "not_performed"] | None = None
    acr_igg4_igg_ratio: (
        Annotated[Decimal, Field(ge=0, le=100, allow_inf_nan=False)] | Indeterminate | None
    ) = None
    acr_igg4_cells_per_hpf: Amount | Indeterminate | None = None
    serum_igg4_measured: bool | None = None
    serum_igg4_value: Amount | None = None
    serum_igg4_uln: Annotated[Decimal, Field(gt=0, allow_inf_nan=False, max_digits=12)] | None = (
        None
    )
    serum_igg4_unit: Literal["mg/dL", "mg/L", "g/L"] | None = None
    acr_gland_sets: tuple[Code, ...] | None = None
    acr_chest: Code | None = None
    acr_pancreas_biliary: Code | None = None
    acr_kidney: Code | None = None
    acr_retroperitoneum: Code | None = None

    # Disease activity and glucocorticoids
    disease_status: Literal["new_onset", "flare", "neither"] | None = None
    gc_plan: Literal["newly_initiated", "increased_from_maintenance", "none"] | None = None
    gc_maintenance_drug: Code | None = None
    gc_maintenance_dose_mg_per_day: Amount | None = None

    # Medication history
    medications_given: tuple[Code, ...] | None = None
    medication_last_dose: dict[Code, date] | None = None
    other_medications: tuple[OtherMedication, ...] | None = None

    # Medical history
    severe_organ_dysfunction: bool | None = None
    severe_organ_dysfunction_note: NonEmptyText | None = None
    severe_infection: bool | None = None
    severe_infection_note: NonEmptyText | None = None
    known_immunodeficiency: bool | None = None
    malignancy_history: bool | None = None
    malignancy_date: date | None = None

    # Reproductive status (women)
    pregnancy_test: Literal["negative", "positive", "not_required"] | None = None
    lactating: bool | None = None
    planning_pregnancy: bool | None = None

    # Infection screening
    hbsag: PosNeg | None = None
    hbv_dna: Literal["undetectable", "detectable", "not_tested"] | None = None
    anti_hbc: PosNeg | None = None
    hiv: PosNeg | None = None
    chest_imaging: Literal["normal", "old_tb", "active_tb", "other_abnormal"] | None = None
    chest_imaging_date: date | None = None
    ppd: Literal["negative", "positive", "not_done"] | None = None
    ppd_date: date | None = None
    tb_elispot: Literal["negative", "positive", "indeterminate", "not_done"] | None = None
    tb_elispot_date: date | None = None
    tb_conclusion: Literal["none", "latent", "active"] | None = None

    # Missing-data codes given in place of a value, per question (rules.missing_data): the
    # question's field stays None. Private: not a question of the document, set by the parse.
    _missing_data: dict[str, str] = PrivateAttr(default_factory=dict)

    @property
    def missing_data(self) -> Mapping[str, str]:
        """The missing-data code given for a question in place of its value, by question id."""
        return self._missing_data

    def with_missing_data(self, codes: Mapping[str, str]) -> Answers:
        """A copy carrying these codes (their questions' values cleared)."""
        copy = self.model_copy(update={q: None for q in codes if getattr(self, q) is not None})
        copy._missing_data = dict(codes)
        return copy

    def is_answered(self, question_id: str) -> bool:
        """A value or a missing-data code was given (entered; not necessarily known)."""
        return getattr(self, question_id) is not None or question_id in self._missing_data


def parse_answers(document: Mapping[str, Any] | Answers) -> Answers:
    """The strict parse (rules.parsing), for callers that import it from here."""
    from desktop_app.rules.parsing import parse_answers as strict

    return strict(document)
