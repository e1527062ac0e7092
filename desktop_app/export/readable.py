"""The bundle's human-readable files in the exporting user's language: screening_log.csv's
headers and its reasons. Its values stay codes and ISO dates (sex, outcome, Y/N), the same in
every language, like the data files beside it (screenings.json, ODM, FHIR); the manifest states
the language the readable files are in."""

from __future__ import annotations

import json
import re
from typing import Any

from desktop_app.rules import LoadedProtocol
from desktop_app.rules.language import Language
from desktop_app.rules.messages import sentence
from desktop_app.store.reports import LOG_COLUMNS, ExportedLogRow

_HEADERS_ZH = {
    "screening_number": "筛选号", "attempt": "筛选次数", "initials": "姓名缩写", "sex": "性别",
    "age_at_consent": "签署知情同意时年龄", "consent_date": "知情同意书签署日期",
    "consent_form_version": "知情同意书版本号", "screening_date": "筛选日期", "eligible": "是否合格",
    "reasons": "原因", "outcome": "筛选结局", "randomization_number": "随机号", "randomization_date": "入组日期",
    "coordinator": "临床研究协调员（CRC）", "screening_performed_by": "筛选执行人",
    "screening_performed_on": "筛选执行人签名日期", "eligibility_confirmed_by": "入组资格确认研究者",
    "eligibility_confirmed_on": "研究者签名日期",
}  # fmt: skip
_KEY = re.compile(r".*\[(\w+)\]")


def log_header(language: Language) -> tuple[str, ...]:
    """The column names: the codes in English; in Chinese each name with its code in brackets
    ('筛选号 [screening_number]'), so that a program reads the same columns in both."""
    if language == "en":
        return LOG_COLUMNS
    return tuple(f"{_HEADERS_ZH.get(c, c)} [{c}]" for c in LOG_COLUMNS)


def column_key(header: str) -> str:
    """The column's code from a header in either language."""
    found = _KEY.fullmatch(header.strip())
    return found.group(1) if found else header.strip()


def log_row(row: ExportedLogRow, protocol: LoadedProtocol, language: Language) -> list[Any]:
    values = {c: getattr(row, c) for c in LOG_COLUMNS}
    if language != "en" and row.failing_json:
        values["reasons"] = "；".join(
            sentence(c["id"], c["reason"], c["params"], language, protocol.protocol)
            for c in json.loads(row.failing_json)
        )
    return [values[c] for c in LOG_COLUMNS]
