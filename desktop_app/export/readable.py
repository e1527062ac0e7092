"""The bundle's human-readable files in the exporting user's language: the screening log CSV's
headers and texts. The data beside them (codes in screenings.json, ODM, FHIR) never changes with
the language; the manifest states which language the readable files are in."""

from __future__ import annotations

import json
from typing import Any

from desktop_app.rules import LoadedProtocol
from desktop_app.rules.language import Language
from desktop_app.rules.messages import sentence
from desktop_app.store.reports import PrintedLogRow

LOG_COLUMNS = ("screening_number", "attempt", "initials", "sex", "age_at_consent", "consent", "screening_date",
               "eligible", "reasons", "outcome", "coordinator", "investigator")  # fmt: skip
_HEADERS_ZH = {
    "screening_number": "筛选号", "attempt": "筛选次数", "initials": "姓名缩写", "sex": "性别",
    "age_at_consent": "签署知情同意时年龄", "consent": "知情同意（日期，版本号）", "screening_date": "筛选日期",
    "eligible": "是否合格", "reasons": "原因（标准编号）", "outcome": "筛选结局",
    "coordinator": "临床研究协调员（CRC）", "investigator": "研究者签字确认",
}  # fmt: skip
_SEX_ZH = {"female": "女", "male": "男"}
_ELIGIBLE_ZH = {"Y": "是", "N": "否"}
_OUTCOME_ZH = {
    "declined": "符合条件但拒绝参加",
    "screen_failure": "筛选失败",
    "withdrawn": "入组前退出",
}


def log_header(language: Language) -> tuple[str, ...]:
    return tuple(_HEADERS_ZH[c] for c in LOG_COLUMNS) if language == "zh-CN" else LOG_COLUMNS


def log_row(row: PrintedLogRow, protocol: LoadedProtocol, language: Language) -> list[Any]:
    values = {c: getattr(row, c) for c in LOG_COLUMNS}
    if language == "zh-CN":
        values["sex"] = _SEX_ZH.get(row.sex_code, row.sex)
        values["eligible"] = _ELIGIBLE_ZH.get(row.eligible, row.eligible)
        if row.failing_json:
            values["reasons"] = "；".join(
                sentence(c["id"], c["reason"], c["params"], language, protocol.protocol)
                for c in json.loads(row.failing_json)
            )
        if row.outcome_code == "enrolled":
            detail = json.loads(row.outcome_detail or "{}")
            number, day = detail.get("randomization_number", ""), detail.get("date", "")
            values["outcome"] = f"已入组 {number} {day}".strip()
        else:
            values["outcome"] = _OUTCOME_ZH.get(row.outcome_code, row.outcome)
    return [values[c] for c in LOG_COLUMNS]
