"""Pydantic models of a protocol file: metadata, steps, questions, criteria, instrument, catalogs."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date
from decimal import Decimal
from functools import cached_property
from typing import Annotated, Literal, get_args, get_origin

import rfc8785
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

LANGUAGE_TAGS = ("en", "zh-CN")


def _require_english(value: dict[str, str]) -> dict[str, str]:
    if "en" not in value or not value["en"].strip():
        raise ValueError("an English text ('en') is required")
    unknown = sorted(set(value) - set(LANGUAGE_TAGS))
    if unknown:
        raise ValueError(f"unknown language tag(s) {unknown}; allowed: {list(LANGUAGE_TAGS)}")
    return value


LocalizedText = Annotated[dict[str, str], AfterValidator(_require_english)]
"""A text stored per language tag; English is always present."""


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Translation(Frozen):
    """A language the protocol's texts are translated into, from the registered reference."""

    language: Literal["zh-CN"]
    of: Literal["en"] = "en"
    note: LocalizedText


class Metadata(Frozen):
    protocol_id: str
    registry: str
    registry_id: str
    title: LocalizedText
    sponsor: str
    phase: str
    design: LocalizedText
    protocol_version: str
    registered_end_date: date
    min_age_years: int = Field(ge=0)
    max_age_years: int | None = Field(default=None, ge=0)
    study_drug: str
    sources: tuple[str, ...]
    translations: tuple[Translation, ...] = ()
    """Every language beside English, declared: its texts (the Chinese registry_text included)
    are translations of the English, which stays the reference."""


class Condition(Frozen):
    """A question or step applies only when another answer is one of the listed values."""

    question: str
    one_of: tuple[str | bool, ...] = Field(min_length=1)


class Option(Frozen):
    code: str
    label: LocalizedText


QuestionType = Literal[
    "date",
    "boolean",
    "choice",
    "multi_choice",
    "text",
    "number",
    "number_or_indeterminate",
    "date_per_agent",
    "other_medications",
]


MissingCode = Literal["pending", "not_done", "unknown", "not_applicable"]
"""Missing-data codes: what may stand in place of a value, where a question's entry allows it."""
MISSING_CODES: tuple[MissingCode, ...] = get_args(MissingCode)


class MissingDataCode(Frozen):
    """One missing-data code of the protocol's vocabulary, with its label in every language."""

    code: MissingCode
    label: LocalizedText
    meaning: LocalizedText


class Question(Frozen):
    id: str
    type: QuestionType
    text: LocalizedText
    help: LocalizedText | None = None
    unit: str | None = None
    options: tuple[Option, ...] = ()
    options_from: str | None = None
    applies_when: Condition | None = None
    per_item_of: str | None = None
    required: bool = True
    missing_codes: tuple[MissingCode, ...] = ()
    """The missing-data codes this question accepts in place of a value."""
    time_bound: bool = False
    """True for an answer valid only at the time it was taken (a laboratory result, imaging, a
    test's date, a pregnancy test, consent): a re-screening never carries it forward."""


class Step(Frozen):
    id: str
    title: LocalizedText
    questions: tuple[str, ...]
    applies_when: Condition | None = None


# ----------------------------------------------------------------------------- criteria


class NotDoneRule(Frozen):
    """What 'not done' means for one question of a criterion: acceptable (the criterion is
    decided without it) when every condition holds; otherwise the question must be answered."""

    question: str
    acceptable_when: tuple[Condition, ...] = Field(min_length=1)
    same_as_values: tuple[str, ...] = ()
    """Values of the question that mean 'not done' too (kept from earlier protocol versions)."""


class _CriterionBase(Frozen):
    id: str = Field(pattern=r"^[IE][0-9]+$")
    type: Literal["inclusion", "exclusion"]
    label: LocalizedText
    registry_text: LocalizedText
    source: str
    not_done: tuple[NotDoneRule, ...] = ()


class AgeCriterion(_CriterionBase):
    kind: Literal["age_at_consent"]


class ConsentCriterion(_CriterionBase):
    kind: Literal["informed_consent"]


class AcrEularCriterion(_CriterionBase):
    kind: Literal["acr_eular_classification"]
    qualifying_organs: tuple[str, ...] = Field(min_length=1)


class GlucocorticoidCriterion(_CriterionBase):
    kind: Literal["glucocorticoid_requirement"]
    max_maintenance_prednisone_mg_per_day: Decimal = Field(gt=0)


class JudgementCriterion(_CriterionBase):
    kind: Literal["investigator_judgement"]
    question: str
    note_question: str


class YesNoCriterion(_CriterionBase):
    kind: Literal["yes_no"]
    question: str


class MalignancyCriterion(_CriterionBase):
    kind: Literal["malignancy_window"]
    years: int = Field(gt=0)


class Window(Frozen):
    """A look-back window: calendar months (clamped to month end) or whole days."""

    months: int | None = Field(default=None, gt=0)
    days: int | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _exactly_one(self) -> Window:
        if (self.months is None) == (self.days is None):
            raise ValueError("give exactly one of 'months' or 'days'")
        return self


DrugClass = Literal["biologic", "non_biologic_dmard", "glucocorticoid", "nsaid", "other"]


class MedicationCriterion(_CriterionBase):
    kind: Literal["medication_window"]
    drug_class: DrugClass
    window: Window


class ReproductiveCriterion(_CriterionBase):
    kind: Literal["reproductive"]


class ViralSerologyCriterion(_CriterionBase):
    kind: Literal["viral_serology"]


class TuberculosisCriterion(_CriterionBase):
    kind: Literal["tuberculosis"]


Criterion = Annotated[
    AgeCriterion
    | ConsentCriterion
    | AcrEularCriterion
    | GlucocorticoidCriterion
    | JudgementCriterion
    | YesNoCriterion
    | MalignancyCriterion
    | MedicationCriterion
    | ReproductiveCriterion
    | ViralSerologyCriterion
    | TuberculosisCriterion,
    Field(discriminator="kind"),
]

# ----------------------------------------------------------------------------- ACR/EULAR


class Band(Frozen):
    """A numeric interval with explicit inclusivity at each end (open where a bound is absent)."""

    code: str
    label: LocalizedText
    lower: Decimal | None = None
    lower_inclusive: bool = False
    upper: Decimal | None = None
    upper_inclusive: bool = False

    def contains(self, x: Decimal) -> bool:
        if self.lower is not None and (
            x < self.lower or (x == self.lower and not self.lower_inclusive)
        ):
            return False
        return not (
            self.upper is not None
            and (x > self.upper or (x == self.upper and not self.upper_inclusive))
        )


class PointsBand(Band):
    points: int = Field(ge=0)


class ExclusionItem(Frozen):
    id: str
    group: Literal["clinical", "serological", "radiological", "pathological", "known_diagnosis"]
    label: LocalizedText
    only_if_organs_within: tuple[str, ...] | None = None


class DomainItem(Frozen):
    code: str
    points: int = Field(ge=0)
    label: LocalizedText


class ChoiceDomain(Frozen):
    id: str
    kind: Literal["choice"]
    label: LocalizedText
    question: str
    items: tuple[DomainItem, ...] = Field(min_length=1)

    @property
    def questions(self) -> tuple[str, ...]:
        """The answers the domain is scored from, in the order they are asked."""
        return (self.question,)


class GlandDomain(Frozen):
    id: str
    kind: Literal["gland_sets"]
    label: LocalizedText
    question: str
    gland_sets: tuple[Option, ...] = Field(min_length=1)
    points_by_count: tuple[int, ...] = Field(min_length=1)

    def points_for(self, count: int) -> int:
        return self.points_by_count[min(count, len(self.points_by_count) - 1)]

    @property
    def questions(self) -> tuple[str, ...]:
        return (self.question,)


INDETERMINATE = "indeterminate"


class ImmunostainingDomain(Frozen):
    id: str
    kind: Literal["immunostaining"]
    label: LocalizedText
    question: str
    ratio_question: str
    cells_question: str
    not_performed_points: int = Field(ge=0)
    ratio_bands: tuple[Band, ...] = Field(min_length=1)
    cell_bands: tuple[Band, ...] = Field(min_length=1)
    grid: dict[str, dict[str, int]]

    @property
    def questions(self) -> tuple[str, ...]:
        return (self.question, self.ratio_question, self.cells_question)

    @model_validator(mode="after")
    def _grid_is_complete(self) -> ImmunostainingDomain:
        rows = {b.code for b in self.ratio_bands} | {INDETERMINATE}
        cols = {b.code for b in self.cell_bands} | {INDETERMINATE}
        if set(self.grid) != rows:
            raise ValueError(f"grid rows must be exactly {sorted(rows)}")
        for row, cells in self.grid.items():
            if set(cells) != cols:
                raise ValueError(f"grid row {row!r} must have exactly the columns {sorted(cols)}")
        return self


class PlausibleRange(Frozen):
    """The values a real measurement can take, both ends included."""

    min: Decimal = Field(gt=0)
    max: Decimal = Field(gt=0)

    @model_validator(mode="after")
    def _ordered(self) -> PlausibleRange:
        if self.min > self.max:
            raise ValueError("min must not be above max")
        return self

    def contains(self, x: Decimal) -> bool:
        return self.min <= x <= self.max


class SerumIgG4Domain(Frozen):
    id: str
    kind: Literal["serum_igg4"]
    label: LocalizedText
    measured_question: str
    value_question: str
    uln_question: str
    unit_question: str
    not_measured_points: int = Field(ge=0)
    unit_to_mg_per_dl: dict[str, Decimal]
    bands: tuple[PointsBand, ...] = Field(min_length=1)
    uln_plausible: dict[str, PlausibleRange] = Field(
        default_factory=dict,
        description="per unit, the upper limits of normal a real laboratory reports; others are refused",
    )

    @model_validator(mode="after")
    def _ranges_in_known_units(self) -> SerumIgG4Domain:
        unknown = sorted(set(self.uln_plausible) - set(self.unit_to_mg_per_dl))
        if unknown:
            raise ValueError(f"uln_plausible: unknown unit(s) {unknown}")
        return self

    @property
    def questions(self) -> tuple[str, ...]:
        return (self.measured_question, self.value_question, self.uln_question, self.unit_question)


Domain = Annotated[
    ChoiceDomain | GlandDomain | ImmunostainingDomain | SerumIgG4Domain,
    Field(discriminator="kind"),
]


class AcrEularInstrument(Frozen):
    reference: str
    threshold: int = Field(gt=0)
    maximum: int = Field(gt=0)
    organs: tuple[Option, ...] = Field(min_length=1)
    exclusions: tuple[ExclusionItem, ...] = Field(min_length=1)
    domains: tuple[Domain, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> AcrEularInstrument:
        organ_codes = {o.code for o in self.organs}
        for item in self.exclusions:
            unknown = set(item.only_if_organs_within or ()) - organ_codes
            if unknown:
                raise ValueError(f"exclusion {item.id!r} names unknown organs {sorted(unknown)}")
        best = sum(_domain_max(d) for d in self.domains)
        if best != self.maximum:
            raise ValueError(f"maximum is {self.maximum} but the domains add up to {best}")
        return self

    def domain(self, domain_id: str) -> Domain:
        for d in self.domains:
            if d.id == domain_id:
                return d
        raise KeyError(domain_id)


def _domain_max(domain: Domain) -> int:
    if isinstance(domain, ChoiceDomain):
        return max(i.points for i in domain.items)
    if isinstance(domain, GlandDomain):
        return max(domain.points_by_count)
    if isinstance(domain, ImmunostainingDomain):
        return max(max(row.values()) for row in domain.grid.values())
    return max(b.points for b in domain.bands)


# ----------------------------------------------------------------------------- catalogs


class Glucocorticoid(Frozen):
    code: str
    name: LocalizedText
    equivalent_mg: Decimal = Field(gt=0, description="dose equal to prednisone 5 mg")
    note: LocalizedText | None = None


class Agent(Frozen):
    code: str
    name: LocalizedText
    drug_class: DrugClass


WarningKind = Literal[
    "isolated_anti_hbc",
    "latent_tb",
    "prior_study_drug",
    "after_registered_end_date",
    "tb_imaging_contradicts_conclusion",
    "tb_conclusion_without_finding",
    "pregnancy_answers_for_male",
]


class WarningRule(Frozen):
    code: str
    kind: WarningKind
    text: LocalizedText


# ----------------------------------------------------------------------------- protocol


class Protocol(Frozen):
    format: Literal["eligo-protocol/1"]
    metadata: Metadata
    steps: tuple[Step, ...] = Field(min_length=1)
    questions: tuple[Question, ...] = Field(min_length=1)
    option_sets: dict[str, tuple[Option, ...]] = Field(default_factory=dict)
    criteria: tuple[Criterion, ...] = Field(min_length=1)
    acr_eular: AcrEularInstrument
    glucocorticoids: tuple[Glucocorticoid, ...] = Field(min_length=1)
    medication_catalog: tuple[Agent, ...] = Field(min_length=1)
    medication_aliases: dict[str, tuple[str, ...]] = Field(
        default_factory=dict,
        description="per catalog agent, other names it is recognised by (brand, Chinese, abbreviations)",
    )
    glucocorticoid_max_daily_mg: dict[str, Decimal] = Field(
        default_factory=dict,
        description="per glucocorticoid, the highest plausible daily dose; a larger one is refused",
    )
    warnings: tuple[WarningRule, ...] = ()
    missing_data_codes: tuple[MissingDataCode, ...] = ()
    identity_questions: tuple[str, ...] = ()
    """The candidate's identity (date of birth, sex): a re-screening starts with them."""

    @model_validator(mode="after")
    def _cross_references(self) -> Protocol:
        from desktop_app.rules.answers import Answers  # the question vocabulary

        _unique("criterion id", [c.id for c in self.criteria])
        _unique("question id", [q.id for q in self.questions])
        _unique("step id", [s.id for s in self.steps])
        _unique("agent code", [a.code for a in self.medication_catalog])
        _unique("glucocorticoid code", [g.code for g in self.glucocorticoids])
        known = set(Answers.model_fields)
        question_ids = {q.id for q in self.questions}
        for i, q in enumerate(self.questions):
            if q.id not in known:
                raise ValueError(
                    f"$.questions[{i}].id: {q.id!r} is not a field of the answers document"
                )
            for ref in (q.applies_when.question if q.applies_when else None, q.per_item_of):
                if ref is not None and ref not in question_ids:
                    raise ValueError(f"$.questions[{i}]: refers to unknown question {ref!r}")
        placed = [qid for s in self.steps for qid in s.questions]
        _unique("question placed in a step", placed)
        if set(placed) != question_ids:
            missing = sorted(question_ids ^ set(placed))
            raise ValueError(f"every question must sit in exactly one step: {missing}")
        for i, q in enumerate(self.questions):
            _check_options(self, q, Answers.model_fields[q.id].annotation, f"$.questions[{i}]")
        catalog = {a.code for a in self.medication_catalog}
        if self.metadata.study_drug not in catalog:
            raise ValueError(
                f"$.metadata.study_drug: {self.metadata.study_drug!r} is not in the catalog"
            )
        for code in self.medication_aliases:
            if code not in catalog:
                raise ValueError(f"$.medication_aliases.{code}: not an agent of the catalog")
        for code, mg in self.glucocorticoid_max_daily_mg.items():
            if self.glucocorticoid(code) is None or mg <= 0:
                raise ValueError(
                    f"$.glucocorticoid_max_daily_mg.{code}: must be a glucocorticoid's maximum > 0"
                )
        self._agents_by_name  # noqa: B018 - names shared by two agents are refused here
        organs = {o.code for o in self.acr_eular.organs}
        for i, c in enumerate(self.criteria):
            if isinstance(c, AcrEularCriterion) and not set(c.qualifying_organs) <= organs:
                raise ValueError(f"$.criteria[{i}].qualifying_organs: must be ACR/EULAR organs")
        _check_missing_codes(self)
        _check_time_bound(self)
        return self

    # -- lookups used by evaluation and the UI (built once: the model is frozen)
    @cached_property
    def _criteria_by_id(self) -> dict[str, Criterion]:
        return {c.id: c for c in self.criteria}

    @cached_property
    def _questions_by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    @cached_property
    def _agents_by_code(self) -> dict[str, Agent]:
        return {a.code: a for a in self.medication_catalog}

    @cached_property
    def _agents_by_name(self) -> dict[str, Agent]:
        found: dict[str, Agent] = {}
        for agent in self.medication_catalog:
            names = [agent.code, *agent.name.values(), *self.medication_aliases.get(agent.code, ())]
            for name in names:
                key = drug_name_key(name)
                if found.setdefault(key, agent) is not agent:
                    raise ValueError(
                        f"$.medication_aliases: {name!r} names both {found[key].code!r} and {agent.code!r}"
                    )
        return found

    def agent_named(self, text: str) -> Agent | None:
        """The catalog agent a typed name stands for: its code, generic, brand or Chinese name, in
        any case and spacing ('BENLYSTA', 'Benlysta (belimumab)', '贝利尤单抗'); None if none."""
        whole = self._agents_by_name.get(drug_name_key(text))
        if whole is not None:
            return whole
        for piece in _NAME_PIECES.split(text):
            agent = self._agents_by_name.get(drug_name_key(piece)) if piece.strip() else None
            if agent is not None:
                return agent
        return None

    @cached_property
    def _glucocorticoids_by_code(self) -> dict[str, Glucocorticoid]:
        return {g.code: g for g in self.glucocorticoids}

    @cached_property
    def _options_by_question(self) -> dict[str, tuple[Option, ...]]:
        return {q.id: self._resolve_options(q) for q in self.questions}

    @cached_property
    def option_codes(self) -> dict[str, frozenset[str]]:
        """Allowed codes per question whose options come from the protocol's vocabularies (for a
        per-item question, such as a last dose per agent, the codes of its keys)."""
        codes = {
            q.id: frozenset(o.code for o in self._options_by_question[q.id])
            for q in self.questions
            if q.options_from is not None
        }
        for q in self.questions:
            if q.per_item_of is not None and q.per_item_of in codes:
                codes[q.id] = codes[q.per_item_of]
        return codes

    @cached_property
    def missing_codes(self) -> dict[str, frozenset[str]]:
        """The missing-data codes each question accepts (questions without any are absent)."""
        return {q.id: frozenset(q.missing_codes) for q in self.questions if q.missing_codes}

    @cached_property
    def time_bound_questions(self) -> frozenset[str]:
        """Questions whose answers a re-screening never carries forward."""
        return frozenset(q.id for q in self.questions if q.time_bound)

    def missing_code_label(self, code: str) -> LocalizedText | None:
        """The label of a missing-data code in every language, None for an unknown code."""
        return next((m.label for m in self.missing_data_codes if m.code == code), None)

    def criterion(self, criterion_id: str) -> Criterion:
        return self._criteria_by_id[criterion_id]

    def question(self, question_id: str) -> Question:
        return self._questions_by_id[question_id]

    def agent(self, code: str) -> Agent | None:
        return self._agents_by_code.get(code)

    def glucocorticoid(self, code: str) -> Glucocorticoid | None:
        return self._glucocorticoids_by_code.get(code)

    def options(self, question_id: str) -> tuple[Option, ...]:
        """The answer options of a choice question, resolving `options_from` references."""
        return self._options_by_question[question_id]

    def _resolve_options(self, q: Question) -> tuple[Option, ...]:
        source = q.options_from
        if source is None:
            return q.options
        if source == "acr_organs":
            return self.acr_eular.organs
        if source == "acr_exclusions":
            return tuple(Option(code=e.id, label=e.label) for e in self.acr_eular.exclusions)
        if source == "glucocorticoids":
            return tuple(Option(code=g.code, label=g.name) for g in self.glucocorticoids)
        if source == "medication_catalog":
            return tuple(Option(code=a.code, label=a.name) for a in self.medication_catalog)
        if source.startswith("domain:"):
            domain = self.acr_eular.domain(source.removeprefix("domain:"))
            if isinstance(domain, ChoiceDomain):
                return tuple(Option(code=i.code, label=i.label) for i in domain.items)
            if isinstance(domain, GlandDomain):
                return domain.gland_sets
        if source in self.option_sets:
            return self.option_sets[source]
        raise KeyError(f"question {q.id!r}: unknown options_from {source!r}")


# Where a typed name splits into names: brackets, slashes, commas (ASCII and full-width).
_NAME_PIECES = re.compile("[()/,;\uff08\uff09\uff0c\uff1b]")


def drug_name_key(text: str) -> str:
    """A name as compared: compatibility-normalised, case-folded, without spaces or hyphens."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(c for c in folded if not c.isspace() and c not in "-_·.")


def _check_missing_codes(protocol: Protocol) -> None:
    """Missing-data codes: declared once with their labels, used only where they can mean
    something, and 'not done' only where a criterion says what it means."""
    _unique("missing-data code", [m.code for m in protocol.missing_data_codes])
    declared = {m.code for m in protocol.missing_data_codes}
    steering = {s.applies_when.question for s in protocol.steps if s.applies_when is not None}
    covered: dict[str, str] = {}
    for i, c in enumerate(protocol.criteria):
        for j, rule in enumerate(c.not_done):
            path = f"$.criteria[{i}].not_done[{j}]"
            if rule.question not in protocol._questions_by_id:
                raise ValueError(f"{path}.question: unknown question {rule.question!r}")
            if "not_done" not in protocol.question(rule.question).missing_codes:
                raise ValueError(f"{path}: question {rule.question!r} does not accept 'not_done'")
            for condition in rule.acceptable_when:
                if condition.question not in protocol._questions_by_id:
                    raise ValueError(
                        f"{path}.acceptable_when: unknown question {condition.question!r}"
                    )
            covered[rule.question] = c.id
    for i, q in enumerate(protocol.questions):
        path = f"$.questions[{i}].missing_codes"
        _unique(f"missing-data code of {q.id!r}", list(q.missing_codes))
        unknown = sorted(set(q.missing_codes) - declared)
        if unknown:
            raise ValueError(f"{path}: {unknown} not declared in $.missing_data_codes")
        if q.missing_codes and q.id in steering:
            raise ValueError(f"{path}: {q.id!r} decides whether a step applies; it takes no code")
        if q.missing_codes and q.per_item_of is not None:
            raise ValueError(f"{path}: a per-item question ({q.id!r}) takes no code")
        if "not_applicable" in q.missing_codes and q.required:
            raise ValueError(f"{path}: 'not_applicable' only on a question that is not required "
                             f"({q.id!r} is required)")  # fmt: skip
        if "not_done" in q.missing_codes and q.id not in covered:
            raise ValueError(f"{path}: 'not_done' on {q.id!r}, but no criterion's not_done rule says "
                             "what it means")  # fmt: skip


def _check_time_bound(protocol: Protocol) -> None:
    """A question asked only because of a time-bound answer (a test's date after its result) is
    time-bound too: a re-screening must not carry the one without the other. Identity questions
    exist and are not time-bound."""
    for i, qid in enumerate(protocol.identity_questions):
        if qid not in protocol._questions_by_id:
            raise ValueError(f"$.identity_questions[{i}]: unknown question {qid!r}")
        if protocol.question(qid).time_bound:
            raise ValueError(f"$.identity_questions[{i}]: {qid!r} is time-bound; identity is not")
    for i, q in enumerate(protocol.questions):
        parent = q.per_item_of or (q.applies_when.question if q.applies_when else None)
        if parent is not None and protocol.question(parent).time_bound and not q.time_bound:
            raise ValueError(
                f"$.questions[{i}].time_bound: {q.id!r} depends on the time-bound {parent!r}, "
                "so it must be time-bound too"
            )


def _check_options(protocol: Protocol, question: Question, annotation: object, path: str) -> None:
    """Options must resolve, and must be answers the answers document can hold."""
    try:
        codes = {o.code for o in protocol._resolve_options(question)}
    except KeyError as exc:
        raise ValueError(f"{path}.options_from: {exc}") from None
    allowed = {a for a in _literal_values(annotation) if isinstance(a, str)}
    if allowed and not codes <= allowed:
        raise ValueError(f"{path}.options: {sorted(codes - allowed)} are not valid answers")


def _literal_values(annotation: object) -> set[object]:
    """Every Literal value inside an annotation such as `Literal['a', 'b'] | None`."""
    if get_origin(annotation) is Literal:
        return set(get_args(annotation))
    values: set[object] = set()
    for arg in get_args(annotation):
        values |= _literal_values(arg)
    return values


def _unique(what: str, values: list[str]) -> None:
    seen: set[str] = set()
    for v in values:
        if v in seen:
            raise ValueError(f"duplicate {what} {v!r}")
        seen.add(v)


class LoadedProtocol(Frozen):
    """A validated protocol together with its identity: version and canonical sha256."""

    protocol: Protocol
    sha256: str

    @property
    def id(self) -> str:
        return self.protocol.metadata.protocol_id

    @property
    def version(self) -> str:
        return self.protocol.metadata.protocol_version


def canonical_sha256(document: object) -> str:  # object: any parsed JSON value
    """sha256 over the RFC 8785 canonical JSON of a parsed JSON document."""
    return hashlib.sha256(rfc8785.dumps(document)).hexdigest()  # type: ignore[arg-type]
