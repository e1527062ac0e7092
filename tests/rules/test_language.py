"""Both languages from the same codes: every reason, ACR/EULAR word and warning in Chinese;
the protocol's every text in both languages; dates as each language writes them."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from english_words import english_runs

from desktop_app.paths import default_protocol_path
from desktop_app.rules import (
    InvalidProtocolError,
    LoadedProtocol,
    evaluate,
    messages,
    parse_protocol,
)
from desktop_app.rules.language import date_text, local, parse_language
from desktop_app.rules.result import CriterionResult

CASES = sorted((Path(__file__).parents[1] / "data" / "cases").glob("*.json"))
EXAMPLES = sorted((Path(__file__).parents[2] / "resources" / "examples").glob("*.json"))
DOCUMENT: dict[str, Any] = json.loads(default_protocol_path().read_text(encoding="utf-8"))


def test_every_reason_code_has_a_chinese_sentence() -> None:
    assert set(messages._ZH_TEMPLATES) == set(messages._TEMPLATES)


def _typed(answers: dict[str, Any]) -> list[str]:
    """Free text the user typed (notes, names of unlisted agents): data, not the sentence."""
    typed = [v for k, v in answers.items() if k.endswith("_note") and isinstance(v, str)]
    typed += [m.get("name", "") for m in answers.get("other_medications") or []]
    return typed


@pytest.mark.parametrize("path", CASES + EXAMPLES, ids=[p.stem for p in CASES + EXAMPLES])
def test_chinese_reasons_are_chinese_and_keep_codes_and_numbers(
    protocol: LoadedProtocol, path: Path
) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    answers = document.get("answers", document)
    result = evaluate(protocol, answers, today=date(2026, 1, 1))
    chinese = messages.in_language(result, "zh-CN", protocol.protocol)
    assert [c.reason for c in chinese.criteria] == [c.reason for c in result.criteria]
    assert [c.params for c in chinese.criteria] == [c.params for c in result.criteria]
    for en, zh in zip(result.criteria, chinese.criteria, strict=True):
        assert zh.text.startswith(f"{en.id}："), zh.text
        assert zh.text != en.text
        assert not english_runs(zh.text, _typed(answers)), (en.text, zh.text)
        for number in ("months", "days", "total", "threshold", "age"):
            if number in en.params and str(en.params[number]) in en.text:  # the same numbers
                assert str(en.params[number]) in zh.text, (number, zh.text)
    for w in chinese.warnings:
        assert not english_runs(w.text), w.text
    definitions = {d.id: d for d in protocol.protocol.acr_eular.domains}
    for score in result.acr_eular.domains:
        item, detail = messages.domain_in_words(definitions[score.domain], score, "zh-CN")
        assert not english_runs(f"{item} {detail}"), (item, detail)


def test_an_english_sentence_is_unchanged(protocol: LoadedProtocol) -> None:
    c = CriterionResult(id="E5", type="exclusion", verdict="absent", reason="no_agent_of_class",
                        params={"class": "biologic"}, text="E5: no such agent given")  # fmt: skip
    assert messages.criterion_text(c, "en", protocol.protocol) == "E5: no such agent given"
    assert messages.criterion_text(c, "zh-CN", protocol.protocol) == "E5：未使用此类药物"


def test_a_chinese_sentence_names_codes_in_chinese(protocol: LoadedProtocol) -> None:
    params = {"agents": [{"agent": "rituximab", "name": "Rituximab", "last_dose": "2022-11-02",
                          "months_before": 4, "days_before": 126}],
              "window_start": "2022-09-08", "months": 6}  # fmt: skip
    text = messages.sentence("E5", "agent_within_window", params, "zh-CN", protocol.protocol)
    assert (
        text == "E5：利妥昔单抗（rituximab）末次给药于2022年11月2日，即筛选前4个月；时间窗为6个月"
    )
    organs = messages.sentence("I3", "no_qualifying_organ", {"organs": ["pachymeninges"], "total": 25,
                                                              "threshold": 20}, "zh-CN", protocol.protocol)  # fmt: skip
    assert "硬脑膜" in organs


# -- dates: forms and tables 2023-03-08 in both languages; Chinese running text 2023年3月8日
@pytest.mark.parametrize(
    ("value", "language", "running", "shown"),
    [
        ("2023-03-08", "en", True, "2023-03-08"),
        ("2023-03-08", "zh-CN", False, "2023-03-08"),
        ("2023-03-08", "zh-CN", True, "2023年3月8日"),
        (date(2024, 12, 31), "zh-CN", True, "2024年12月31日"),
        (None, "zh-CN", True, "—"),
        ("not a date", "zh-CN", True, "not a date"),
    ],
)
def test_dates_follow_the_language(value: Any, language: Any, running: bool, shown: str) -> None:
    assert date_text(value, language, running=running) == shown


@pytest.mark.parametrize(
    ("tag", "language"),
    [("zh_CN.UTF-8", "zh-CN"), ("zh-CN", "zh-CN"), ("zh", "zh-CN"), ("zh_TW", "zh-CN"),
     ("en_US", "en"), ("de_DE", "en"), ("", "en"), (None, "en")],
)  # fmt: skip
def test_language_tags(tag: str | None, language: str) -> None:
    assert parse_language(tag) == language


# -- the protocol: every text in both languages, the Chinese declared a translation of the English
def _texts(node: Any, path: str = "$") -> list[tuple[str, dict[str, str]]]:
    if isinstance(node, dict):
        if "en" in node and all(isinstance(v, str) for v in node.values()):
            return [(path, node)]
        return [t for k, v in node.items() for t in _texts(v, f"{path}.{k}")]
    if isinstance(node, list):
        return [t for i, v in enumerate(node) for t in _texts(v, f"{path}[{i}]")]
    return []


def test_every_protocol_text_has_english_and_chinese(protocol: LoadedProtocol) -> None:
    texts = _texts(DOCUMENT)
    assert len(texts) > 200
    for path, text in texts:
        assert set(text) == {"en", "zh-CN"}, path
        assert text["zh-CN"].strip(), path
    translations = protocol.protocol.metadata.translations
    assert [(t.language, t.of) for t in translations] == [("zh-CN", "en")]
    assert "译文" in local(translations[0].note, "zh-CN")


def _change(change: Any) -> str:
    doc = copy.deepcopy(DOCUMENT)
    change(doc)
    return json.dumps(doc, ensure_ascii=False)


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (lambda d: d["criteria"][4]["registry_text"].pop("zh-CN"), "$.criteria[4].registry_text"),
        (lambda d: d["steps"][0]["title"].pop("zh-CN"), "$.steps[0].title"),
        (lambda d: d["medication_catalog"][0]["name"].pop("zh-CN"), "$.medication_catalog[0].name"),
        (lambda d: d["metadata"].pop("translations"), "$.metadata.translations"),
    ],
)
def test_protocol_check_refuses_one_language_without_the_other(change: Any, path: str) -> None:
    with pytest.raises(InvalidProtocolError) as info:
        parse_protocol(_change(change))
    assert any(p.field == path for p in info.value.problems), info.value


def test_an_english_only_protocol_is_still_a_protocol() -> None:
    def english_only(node: Any) -> None:
        if isinstance(node, dict):
            node.pop("zh-CN", None)
            node.pop("translations", None)
            for v in node.values():
                english_only(v)
        elif isinstance(node, list):
            for v in node:
                english_only(v)

    loaded = parse_protocol(_change(english_only))
    assert (
        local(loaded.protocol.criteria[0].label, "zh-CN") == "Adult, 18 years or older at consent"
    )
