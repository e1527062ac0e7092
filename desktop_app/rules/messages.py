"""English sentences for reason codes: the one place where codes become text."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from desktop_app.rules.protocol import ChoiceDomain, Domain, GlandDomain, ImmunostainingDomain
from desktop_app.rules.result import DomainScore

Params = Mapping[str, Any]


def _join(values: object) -> str:
    return ", ".join(str(v) for v in values) if isinstance(values, list) else str(values)


def _words(values: object) -> str:
    """Codes joined as words: 'bile_ducts, pancreas' -> 'bile ducts, pancreas'."""
    return _join(values).replace("_", " ")


def _window(p: Params) -> str:
    return f"{p['months']} months" if p.get("months") else f"{p['days']} days"


def _agents_within(p: Params) -> str:
    parts = []
    for a in p["agents"] if isinstance(p["agents"], list) else []:
        if isinstance(a, dict):
            ago = f"{a['months_before']} months" if p.get("months") else f"{a['days_before']} days"
            parts.append(f"{a['name']} last given {a['last_dose']}, {ago} before screening")
    return "; ".join(parts) + f"; the window is {_window(p)}"


def _agents_before(p: Params) -> str:
    """'leflunomide last given 2026-08-01, before the window from 2026-09-02; ...': the dates
    entered, where the determination carries them."""
    doses = p.get("last_doses")
    if isinstance(doses, list) and doses:
        given = "; ".join(
            f"{d['name']} last given {d['last_dose']}" for d in doses if isinstance(d, dict)
        )
        return f"{given}: before the window from {p['window_start']}; the window is {_window(p)}"
    return f"{_join(p['agents'])} last given before {p['window_start']}; the window is {_window(p)}"


_TEMPLATES: dict[str, Callable[[Params], str]] = {
    "not_answered": lambda p: f"not yet answered ({_join(p['questions'])})",
    "age_in_range": lambda p: (
        f"{p['age']} years old at consent on {p['consent_date']}; the minimum is {p['min_age']}"
    ),
    "age_below_minimum": lambda p: (
        f"{p['age']} years old at consent on {p['consent_date']}; the minimum is {p['min_age']}"
    ),
    "age_above_maximum": lambda p: (
        f"{p['age']} years old at consent; the maximum is {p['max_age']}"
    ),
    "consent_not_given": lambda p: "written informed consent was not given",
    "consent_documented": lambda p: (
        f"written consent given on {p['consent_date']}, form version {p['version']}"
    ),
    "acr_entry_not_met": lambda p: "the ACR/EULAR entry criterion is not met",
    "acr_exclusion_present": lambda p: f"ACR/EULAR exclusion item(s) present: {_words(p['items'])}",
    "acr_below_threshold": lambda p: (
        f"ACR/EULAR total {p['total']} cannot reach {p['threshold']} (at most {p['reachable']} with what is open)"
    ),
    "no_qualifying_organ": lambda p: (
        f"classified, but none of the involved organs ({_words(p['organs'])}) is one of the trial's ten"
    ),
    "acr_incomplete": lambda p: f"ACR/EULAR worksheet incomplete; {p['total']} points so far",
    "acr_classified": lambda p: (
        f"ACR/EULAR classified with {p['total']} points (threshold {p['threshold']}); "
        f"trial organ(s): {_words(p['organs'])}"
    ),
    "no_new_onset_or_flare": lambda p: "neither new onset nor flare",
    "no_glucocorticoid_plan": lambda p: "no glucocorticoid is started or increased at consent",
    "gc_newly_initiated": lambda p: (
        f"{p['status'].replace('_', ' ')} with glucocorticoids newly initiated"
    ),
    "gc_increased_from_low_maintenance": lambda p: (
        f"increased from {p['drug']} {p['dose']} mg/day = prednisone {p['prednisone_equivalent']} mg/day, "
        f"within the {p['limit']} mg/day limit"
    ),
    "gc_maintenance_above_limit": lambda p: (
        f"maintenance {p['drug']} {p['dose']} mg/day = prednisone {p['prednisone_equivalent']} mg/day, "
        f"above the {p['limit']} mg/day limit"
    ),
    "judged_present": lambda p: (
        f"judged present by the investigator: {p['note'] or '(note missing)'}"
    ),
    "judged_absent": lambda p: "judged absent by the investigator",
    "note_missing": lambda p: (
        f"judged present, but the investigator's note is missing ({_join(p['questions'])})"
    ),
    "no_consent_no_age": lambda p: "no age at consent: written informed consent was not given",
    "reported_yes": lambda p: "reported",
    "reported_no": lambda p: "answered no",
    "no_malignancy_history": lambda p: "no history of malignancy",
    "malignancy_within_window": lambda p: (
        f"malignancy dated {p['date']}, on or after {p['boundary']} ({p['years']} years before screening)"
    ),
    "malignancy_before_window": lambda p: (
        f"malignancy dated {p['date']}, before {p['boundary']} ({p['years']} years before screening)"
    ),
    "no_agent_of_class": lambda p: "no such agent given",
    "agent_within_window": _agents_within,
    "last_dose_not_given": lambda p: f"last dose date missing ({_join(p['questions'])})",
    "agents_before_window": lambda p: _agents_before(p),
    "not_applicable_male": lambda p: "not applicable (male)",
    "reproductive_present": lambda p: f"{_words(p['findings'])}",
    "reproductive_absent": lambda p: "not pregnant, not lactating, not planning pregnancy",
    "serology_positive": lambda p: f"{_join(p['findings'])}",
    "serology_negative": lambda p: "HBsAg and HIV negative, HBV-DNA not detectable",
    "active_tb": lambda p: "the investigator concluded active tuberculosis",
    "no_active_tb": lambda p: (
        f"no active tuberculosis (investigator's conclusion: {p['conclusion']})"
    ),
}


def sentence(criterion_id: str, code: str, params: Params) -> str:
    """'E5: rituximab last given 2024-03-02, 4 months before screening; the window is 6 months'."""
    template = _TEMPLATES.get(code)
    body = template(params) if template else code.replace("_", " ")
    return f"{criterion_id}: {body}"


def domain_in_words(domain: Domain, score: DomainScore) -> tuple[str, str]:
    """An ACR/EULAR domain's item chosen and its evidence, in words: labels from the protocol,
    never bare codes (the printed worksheet and the wizard's points lines)."""
    if not score.answered:
        return "not answered", ""
    detail = score.detail
    if isinstance(domain, ChoiceDomain):
        return next(
            (i.label["en"] for i in domain.items if i.code == score.item), str(score.item)
        ), ""
    if isinstance(domain, GlandDomain):
        names = {o.code: o.label["en"] for o in domain.gland_sets}
        sets = [names.get(str(x), str(x)) for x in detail.get("sets", [])]  # type: ignore[union-attr]
        return f"{detail['count']} set(s)", ", ".join(sets)
    if isinstance(domain, ImmunostainingDomain):
        if score.item == "not_performed":
            return "Not performed", ""
        row = next(b.label["en"] for b in domain.ratio_bands if b.code == detail["ratio_band"])
        col = next(b.label["en"] for b in domain.cell_bands if b.code == detail["cell_band"])
        return (f"{row}; {col}", f"IgG4+/IgG+ ratio {detail['ratio_percent']}%, {detail['cells_per_hpf']} "
                f"IgG4+ cells/hpf: grid cell {row} × {col}")  # fmt: skip
    if score.item == "not_checked":
        return "Not measured", ""
    band = next(b.label["en"] for b in domain.bands if b.code == score.item)
    return band, (f"{detail['value']} {detail['unit']} with ULN {detail['uln']} {detail['unit']}: "
                  f"IgG4/ULN ratio {detail['ratio']}")  # fmt: skip
