"""Scenario files (tests/data/cases) and the newcomers' examples (resources/examples)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from desktop_app.paths import resource
from desktop_app.rules import (
    InvalidAnswersError,
    LoadedProtocol,
    Problem,
    evaluate,
    parse_answers_json,
)

CASES = sorted((Path(__file__).parents[1] / "data" / "cases").glob("*.json"))
# The newcomers' examples, and under input-checks/ one per refusal and warning of issue #17 (kept
# out of the DEMO data and the self-test's screenings, which take only the top folder).
EXAMPLES = sorted(resource("examples").rglob("*.json"))


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


# Each example is named for what it gives: "<determination>-[<failing criterion>-]...", with
# "-warning-<code>-" for a warning it raises, or "refused-<field>-..." for an input refused in
# words naming that field. Read as a coordinator's file is: bytes, through the one strict parse.
@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_evaluates_as_named(protocol: LoadedProtocol, path: Path) -> None:
    parts = path.stem.split("-")
    expected = parts[0]
    if expected == "refused":
        with pytest.raises(InvalidAnswersError) as info:
            evaluate(
                protocol, parse_answers_json(path.read_bytes(), protocol.protocol.option_codes)
            )
        assert parts[1] in [p.field for p in info.value.problems], info.value
        assert all(p.message for p in info.value.problems)
        return
    result = evaluate(
        protocol, parse_answers_json(path.read_bytes(), protocol.protocol.option_codes)
    )
    assert result.determination == expected
    if expected == "ineligible":
        assert result.failing == (parts[1],)
    warned = [parts[i + 1] for i, part in enumerate(parts[:-1]) if part == "warning"]
    assert set(warned) <= {w.code for w in result.warnings}, result.warnings


def test_examples_show_every_new_refusal_and_warning() -> None:
    # Issue #17: one example file per refusal and warning it added.
    names = [p.stem for p in EXAMPLES if p.parent.name == "input-checks"]
    for code in ("tb_imaging_contradicts_conclusion", "tb_conclusion_without_finding",
                 "pregnancy_answers_for_male", "prior_study_drug"):  # fmt: skip
        assert any(f"-warning-{code}-" in n for n in names), code
    for field in ("consent_given", "screening_date", "sex", "acr_igg4_igg_ratio", "serum_igg4_value",
                  "serum_igg4_uln", "gc_maintenance_dose_mg_per_day", "malignancy_date", "colour",
                  "medication_last_dose.rituximab", "other_medications[0].classification"):  # fmt: skip
        assert any(n.startswith(f"refused-{field}-") for n in names), field


# checked_answers is evaluate's parse and checks without the verdicts (what the wizard checks
# before it saves): it refuses exactly what evaluate refuses, with the same problems, and
# evaluate reads the answers it gives as it reads the document itself.
DOCUMENTS = [*(("case", p) for p in CASES), *(("example", p) for p in EXAMPLES)]


@pytest.mark.parametrize(("kind", "path"), DOCUMENTS, ids=[f"{k}-{p.stem}" for k, p in DOCUMENTS])
def test_checked_answers_refuse_and_read_as_evaluate_does(
    protocol: LoadedProtocol, kind: str, path: Path
) -> None:
    from desktop_app.rules import checked_answers
    from desktop_app.rules.parsing import load_json

    try:
        document = load_json(path.read_bytes())
    except InvalidAnswersError:
        return  # not JSON evaluate could be given (a duplicate key): refused before either
    if kind == "case":
        document = document["answers"]
    # A day before the screening date as "today": the screening date is then in the future.
    for today in (None, date(2023, 3, 7)):
        refused: tuple[Problem, ...] = ()
        try:
            expected = evaluate(protocol, document, today=today)
        except InvalidAnswersError as exc:
            refused = exc.problems
        if refused:
            with pytest.raises(InvalidAnswersError) as checked:
                checked_answers(protocol, document, today=today)
            assert checked.value.problems == refused
            continue
        answers = checked_answers(protocol, document, today=today)
        assert evaluate(protocol, answers).model_dump_json() == expected.model_dump_json()
