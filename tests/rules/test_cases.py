"""Scenario files (tests/data/cases) and the newcomers' examples (resources/examples)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from desktop_app.paths import resource
from desktop_app.rules import LoadedProtocol, evaluate

CASES = sorted((Path(__file__).parents[1] / "data" / "cases").glob("*.json"))
EXAMPLES = sorted(resource("examples").glob("*.json"))


def test_there_are_at_least_30_cases() -> None:
    assert len(CASES) >= 30


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case(protocol: LoadedProtocol, path: Path) -> None:
    case: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    expected = case["expected"]
    result = evaluate(protocol, case["answers"])
    assert result.determination == expected["determination"], [c.text for c in result.criteria]
    assert list(result.failing) == expected["failing"]
    assert [w.code for w in result.warnings] == expected["warnings"]
    if "acr_total" in expected:
        assert result.acr_eular.total == expected["acr_total"]
    if "missing" in expected:
        assert list(result.missing) == expected["missing"]


def test_examples_cover_every_criterion() -> None:
    names = {p.stem for p in EXAMPLES}
    assert any(n.startswith("eligible-") for n in names)
    assert any(n.startswith("incomplete-") for n in names)
    for criterion in [*(f"I{i}" for i in range(1, 5)), *(f"E{i}" for i in range(1, 10))]:
        assert any(n.startswith(f"ineligible-{criterion}-") for n in names), criterion


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_evaluates_as_named(protocol: LoadedProtocol, path: Path) -> None:
    expected = path.stem.split("-")[0]
    result = evaluate(protocol, json.loads(path.read_text(encoding="utf-8")))
    assert result.determination == expected
    if expected == "ineligible":
        assert result.failing == (path.stem.split("-")[1],)
