"""Sentences for reason codes, in English and in Simplified Chinese from the same codes and
parameters: the one place where codes become text."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from desktop_app.rules.language import Language, date_text, local
from desktop_app.rules.protocol import (
    ChoiceDomain,
    Domain,
    GlandDomain,
    ImmunostainingDomain,
    Protocol,
)
from desktop_app.rules.result import CriterionResult, Determination, DomainScore, WarningResult

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


_CODE_WORDS = {"pending": "pending", "not_done": "not done", "unknown": "unknown",
               "not_applicable": "not applicable"}  # fmt: skip
_CODE_WORDS_ZH = {"pending": "结果待回报", "not_done": "未做", "unknown": "未知",
                  "not_applicable": "不适用"}  # fmt: skip


def _conditions(conditions: object) -> str:
    parts = []
    for c in conditions if isinstance(conditions, list) else []:
        if isinstance(c, dict):
            parts.append(f"{c['question']} is {' or '.join(str(v) for v in c['one_of'])}")
    return " and ".join(parts)


def _awaited(p: Params) -> str:
    """' (awaited: hbsag pending, hiv pending)' for the answers given a missing-data code."""
    given = p.get("awaited")
    if not isinstance(given, dict) or not given:
        return ""
    return (
        " (awaited: "
        + ", ".join(f"{q} {_CODE_WORDS.get(str(c), c)}" for q, c in given.items())
        + ")"
    )


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
    "serology_negative_dna_not_done": lambda p: (
        "HBsAg, anti-HBc and HIV negative; HBV-DNA not done (acceptable when HBsAg and anti-HBc "
        "are negative)"
    ),
    "not_done_needs_answer": lambda p: (
        f"{p['question']} was not done; that is acceptable only when "
        f"{_conditions(p['acceptable_when'])}: give its result"
        + (f" (open: {_join(p['open'])})" if p.get("open") else "")
    ),
    "active_tb": lambda p: "the investigator concluded active tuberculosis",
    "no_active_tb": lambda p: (
        f"no active tuberculosis (investigator's conclusion: {p['conclusion']})"
    ),
}


def sentence(
    criterion_id: str,
    code: str,
    params: Params,
    language: Language = "en",
    protocol: Protocol | None = None,
) -> str:
    """'E5: rituximab last given 2024-03-02, 4 months before screening; the window is 6 months',
    or in Chinese 'E5：利妥昔单抗（rituximab）末次给药日期为2024年3月2日……'. The protocol names the
    codes (organs, agents, answers) in Chinese; without it they stay codes."""
    separator = "：" if language == "zh-CN" else ": "
    return f"{criterion_id}{separator}{reason(code, params, language, protocol)}"


def reason(
    code: str, params: Params, language: Language = "en", protocol: Protocol | None = None
) -> str:
    """The reason alone, without its criterion id."""
    if language == "zh-CN":
        zh = _ZH_TEMPLATES.get(code)
        if zh is not None:
            return zh(params, _Names(protocol)) + _awaited_zh(params, _Names(protocol))
    template = _TEMPLATES.get(code)
    return (template(params) if template else code.replace("_", " ")) + _awaited(params)


def criterion_text(c: CriterionResult, language: Language, protocol: Protocol | None = None) -> str:
    """A criterion's reason sentence in `language` (the stored text is the English one)."""
    if language == "en":
        return c.text
    return sentence(c.id, c.reason, c.params, language, protocol)


def warning_text(w: WarningResult, language: Language, protocol: Protocol | None = None) -> str:
    """A warning in `language`, from the protocol's rule of the same code."""
    rule = next((r for r in protocol.warnings if r.code == w.code), None) if protocol else None
    return local(rule.text, language) if rule is not None else w.text


def in_language(result: Determination, language: Language, protocol: Protocol) -> Determination:
    """The same determination with every `text` in `language` (codes and parameters unchanged)."""
    if language == "en":
        return result
    criteria = tuple(
        c.model_copy(update={"text": criterion_text(c, language, protocol)})
        for c in result.criteria
    )
    warnings = tuple(
        w.model_copy(update={"text": warning_text(w, language, protocol)}) for w in result.warnings
    )
    return result.model_copy(update={"criteria": criteria, "warnings": warnings})


def domain_in_words(
    domain: Domain, score: DomainScore, language: Language = "en"
) -> tuple[str, str]:
    """An ACR/EULAR domain's item chosen and its evidence, in words: labels from the protocol,
    never bare codes (the printed worksheet and the wizard's points lines)."""
    zh = language == "zh-CN"
    if not score.answered:
        return ("尚未回答" if zh else "not answered"), ""
    detail = score.detail
    if isinstance(domain, ChoiceDomain):
        return next(
            (local(i.label, language) for i in domain.items if i.code == score.item),
            str(score.item),
        ), ""
    if isinstance(domain, GlandDomain):
        names = {o.code: local(o.label, language) for o in domain.gland_sets}
        sets = [names.get(str(x), str(x)) for x in detail.get("sets", [])]  # type: ignore[union-attr]
        count = f"{detail['count']}组" if zh else f"{detail['count']} set(s)"
        return count, ("、" if zh else ", ").join(sets)
    if isinstance(domain, ImmunostainingDomain):
        if score.item == "not_performed":
            return ("未做" if zh else "Not performed"), ""
        row = next(
            local(b.label, language) for b in domain.ratio_bands if b.code == detail["ratio_band"]
        )
        col = next(
            local(b.label, language) for b in domain.cell_bands if b.code == detail["cell_band"]
        )
        if zh:
            return (f"{row}；{col}", f"IgG4+/IgG+比值{detail['ratio_percent']}%，IgG4+浆细胞"
                    f"{detail['cells_per_hpf']}个/HPF：评分表单元格 {row} × {col}")  # fmt: skip
        return (f"{row}; {col}", f"IgG4+/IgG+ ratio {detail['ratio_percent']}%, {detail['cells_per_hpf']} "
                f"IgG4+ cells/hpf: grid cell {row} × {col}")  # fmt: skip
    if score.item == "not_checked":
        return ("未检测" if zh else "Not measured"), ""
    band = next(local(b.label, language) for b in domain.bands if b.code == score.item)
    if zh:
        return band, (f"{detail['value']} {detail['unit']}，ULN {detail['uln']} {detail['unit']}："
                      f"IgG4/ULN比值{detail['ratio']}")  # fmt: skip
    return band, (f"{detail['value']} {detail['unit']} with ULN {detail['uln']} {detail['unit']}: "
                  f"IgG4/ULN ratio {detail['ratio']}")  # fmt: skip


# ----------------------------------------------------------------------------- 简体中文


class _Names:
    """Codes in parameters named in Chinese from the protocol's own texts (codes where the
    protocol is not at hand or has no such code)."""

    def __init__(self, protocol: Protocol | None) -> None:
        self.protocol = protocol

    def organs(self, codes: object) -> str:
        if self.protocol is None:
            return _join_zh(codes)
        labels = {o.code: local(o.label, "zh-CN") for o in self.protocol.acr_eular.organs}
        return _join_zh([labels.get(str(c), str(c)) for c in _as_list(codes)])

    def exclusions(self, ids: object) -> str:
        if self.protocol is None:
            return _join_zh(ids)
        labels = {x.id: local(x.label, "zh-CN") for x in self.protocol.acr_eular.exclusions}
        return _join_zh([labels.get(str(c), str(c)) for c in _as_list(ids)])

    def agent(self, code: object) -> str:
        agent = self.protocol.agent(str(code)) if self.protocol else None
        return local(agent.name, "zh-CN") if agent else str(code)

    def glucocorticoid(self, code: object) -> str:
        gc = self.protocol.glucocorticoid(str(code)) if self.protocol else None
        return local(gc.name, "zh-CN") if gc else str(code)

    def option(self, question_id: str, code: object) -> str:
        if self.protocol is not None:
            for o in self.protocol.options(question_id):
                if o.code == code:
                    return local(o.label, "zh-CN")
        return str(code)

    def questions(self, ids: object) -> str:
        return _join_zh([self.question(str(q)) for q in _as_list(ids)])

    def question(self, qid: str) -> str:
        """'medication_last_dose.rituximab' -> 利妥昔单抗（rituximab）末次给药日期."""
        if self.protocol is None:
            return qid
        base, _, item = qid.partition(".")
        base = base.split("[", 1)[0]
        try:
            text = local(self.protocol.question(base).text, "zh-CN")
        except KeyError:
            return qid
        if base == "medication_last_dose" and item:
            return f"{self.agent(item)}{text}"
        if base == "other_medications" and "[" in qid:
            number = qid.split("[", 1)[1].split("]", 1)[0]
            return f"列表外药物第{int(number) + 1}项的末次给药日期" if number.isdigit() else text
        return text


def _conditions_zh(conditions: object, n: _Names) -> str:
    parts = []
    for c in conditions if isinstance(conditions, list) else []:
        if isinstance(c, dict):
            values = "或".join(n.option(str(c["question"]), v) for v in c["one_of"])
            parts.append(f"{n.question(str(c['question']))}为{values}")
    return "且".join(parts)


def _awaited_zh(p: Params, n: _Names) -> str:
    given = p.get("awaited")
    if not isinstance(given, dict) or not given:
        return ""
    return (
        "（待定："
        + "、".join(
            f"{n.question(str(q))}{_CODE_WORDS_ZH.get(str(c), str(c))}" for q, c in given.items()
        )
        + "）"
    )


def _as_list(values: object) -> list[object]:
    return list(values) if isinstance(values, list) else [values]


def _join_zh(values: object) -> str:
    return "、".join(str(v) for v in _as_list(values))


def _d(value: object) -> str:
    return date_text(str(value) if value is not None else None, "zh-CN", running=True)


def _window_zh(p: Params) -> str:
    return f"{p['months']}个月" if p.get("months") else f"{p['days']}天"


def _agents_within_zh(p: Params, n: _Names) -> str:
    parts = []
    for a in p["agents"] if isinstance(p["agents"], list) else []:
        if isinstance(a, dict):
            ago = f"{a['months_before']}个月" if p.get("months") else f"{a['days_before']}天"
            parts.append(
                f"{n.agent(a.get('agent', a['name']))}末次给药于{_d(a['last_dose'])}，即筛选前{ago}"
            )
    return "；".join(parts) + f"；时间窗为{_window_zh(p)}"


_STATUS_ZH = {"new_onset": "新发", "flare": "复发"}
_REPRODUCTIVE_ZH = {
    "pregnant": "妊娠",
    "lactating": "哺乳期",
    "planning_pregnancy": "6个月内有生育计划",
}
_SEROLOGY_ZH = {
    "HBsAg positive": "HBsAg阳性",
    "HBV-DNA detectable": "HBV-DNA可检出",
    "HIV positive": "HIV阳性",
}

_ZH_TEMPLATES: dict[str, Callable[[Params, _Names], str]] = {
    "not_answered": lambda p, n: f"尚未回答（{n.questions(p['questions'])}）",
    "age_in_range": lambda p, n: (
        f"签署知情同意时（{_d(p['consent_date'])}）年龄为{p['age']}岁；最低年龄要求为{p['min_age']}岁"
    ),
    "age_below_minimum": lambda p, n: (
        f"签署知情同意时（{_d(p['consent_date'])}）年龄为{p['age']}岁，未达到最低年龄{p['min_age']}岁"
    ),
    "age_above_maximum": lambda p, n: (
        f"签署知情同意时年龄为{p['age']}岁，超过最高年龄{p['max_age']}岁"
    ),
    "consent_not_given": lambda p, n: "未签署书面知情同意书",
    "consent_documented": lambda p, n: (
        f"已于{_d(p['consent_date'])}签署书面知情同意书，知情同意书版本号{p['version']}"
    ),
    "acr_entry_not_met": lambda p, n: "不符合ACR/EULAR入围标准",
    "acr_exclusion_present": lambda p, n: f"存在ACR/EULAR排除条目：{n.exclusions(p['items'])}",
    "acr_below_threshold": lambda p, n: (
        f"ACR/EULAR总分{p['total']}分，无法达到{p['threshold']}分（计入尚未填写的项目最多{p['reachable']}分）"
    ),
    "no_qualifying_organ": lambda p, n: (
        f"符合分类标准，但受累器官（{n.organs(p['organs'])}）均不属于本试验所列的十个器官"
    ),
    "acr_incomplete": lambda p, n: f"ACR/EULAR评分表尚未填完；目前{p['total']}分",
    "acr_classified": lambda p, n: (
        f"符合ACR/EULAR分类标准，总分{p['total']}分（阈值{p['threshold']}分）；"
        f"本试验所列受累器官：{n.organs(p['organs'])}"
    ),
    "no_new_onset_or_flare": lambda p, n: "既非新发也非复发",
    "no_glucocorticoid_plan": lambda p, n: "签署知情同意时未启用也未加量糖皮质激素",
    "gc_newly_initiated": lambda p, n: (
        f"{_STATUS_ZH.get(str(p['status']), str(p['status']))}，新启用糖皮质激素"
    ),
    "gc_increased_from_low_maintenance": lambda p, n: (
        f"由维持剂量{n.glucocorticoid(p['drug'])} {p['dose']} mg/d（相当于泼尼松{p['prednisone_equivalent']} mg/d）"
        f"加量，未超过{p['limit']} mg/d的上限"
    ),
    "gc_maintenance_above_limit": lambda p, n: (
        f"维持剂量{n.glucocorticoid(p['drug'])} {p['dose']} mg/d，相当于泼尼松{p['prednisone_equivalent']} mg/d，"
        f"超过{p['limit']} mg/d的上限"
    ),
    "judged_present": lambda p, n: f"研究者判断存在：{p['note'] or '（未填写说明）'}",
    "judged_absent": lambda p, n: "研究者判断不存在",
    "note_missing": lambda p, n: (
        f"研究者判断存在，但缺少研究者的说明（{n.questions(p['questions'])}）"
    ),
    "no_consent_no_age": lambda p, n: "无签署知情同意时的年龄：未签署书面知情同意书",
    "reported_yes": lambda p, n: "已报告存在",
    "reported_no": lambda p, n: "未报告",
    "no_malignancy_history": lambda p, n: "无恶性肿瘤病史",
    "malignancy_within_window": lambda p, n: (
        f"恶性肿瘤日期为{_d(p['date'])}，在{_d(p['boundary'])}当日或之后（筛选前{p['years']}年内）"
    ),
    "malignancy_before_window": lambda p, n: (
        f"恶性肿瘤日期为{_d(p['date'])}，早于{_d(p['boundary'])}（筛选前{p['years']}年）"
    ),
    "no_agent_of_class": lambda p, n: "未使用此类药物",
    "agent_within_window": _agents_within_zh,
    "last_dose_not_given": lambda p, n: f"缺少末次给药日期（{n.questions(p['questions'])}）",
    "agents_before_window": lambda p, n: (
        f"{_join_zh([n.agent(a) for a in _as_list(p['agents'])])}末次给药早于{_d(p['window_start'])}；"
        f"时间窗为{_window_zh(p)}"
    ),
    "not_applicable_male": lambda p, n: "不适用（男性）",
    "reproductive_present": lambda p, n: _join_zh(
        [_REPRODUCTIVE_ZH.get(str(f), str(f)) for f in _as_list(p["findings"])]
    ),
    "reproductive_absent": lambda p, n: "未妊娠，非哺乳期，无生育计划",
    "serology_positive": lambda p, n: _join_zh(
        [_SEROLOGY_ZH.get(str(f), str(f)) for f in _as_list(p["findings"])]
    ),
    "serology_negative": lambda p, n: "HBsAg和HIV阴性，HBV-DNA未检出",
    "serology_negative_dna_not_done": lambda p, n: (
        "HBsAg、抗-HBc和HIV阴性；HBV-DNA未做（HBsAg和抗-HBc均为阴性时可接受）"
    ),
    "not_done_needs_answer": lambda p, n: (
        f"{n.question(str(p['question']))}未做；仅当{_conditions_zh(p['acceptable_when'], n)}时可接受，"
        "请填写其结果" + (f"（尚未填写：{n.questions(p['open'])}）" if p.get("open") else "")
    ),
    "active_tb": lambda p, n: "研究者结论为活动性结核病",
    "no_active_tb": lambda p, n: (
        f"无活动性结核病（研究者结论：{n.option('tb_conclusion', p['conclusion'])}）"
    ),
}
