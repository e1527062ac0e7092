"""The protocol file: validation with JSON paths, all-or-nothing loading, identity, schemas."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from desktop_app.paths import default_protocol_path, resource
from desktop_app.rules import (
    InvalidProtocolError,
    LoadedProtocol,
    default_protocol,
    evaluate,
    parse_protocol,
)
from desktop_app.rules.missing_data import answers_json_schema
from desktop_app.rules.protocol import Protocol

DOCUMENT: dict[str, Any] = json.loads(default_protocol_path().read_text(encoding="utf-8"))


def broken(change: Callable[[dict[str, Any]], None]) -> str:
    doc = copy.deepcopy(DOCUMENT)
    change(doc)
    return json.dumps(doc)


def test_bundled_protocol_holds_the_whole_trial(protocol: LoadedProtocol) -> None:
    p = protocol.protocol
    meta = p.metadata
    assert (meta.registry_id, meta.min_age_years, meta.max_age_years) == ("NCT04660565", 18, None)
    assert meta.registered_end_date.isoformat() == "2023-12-01"
    assert meta.sponsor == "Peking Union Medical College Hospital"
    assert [c.id for c in p.criteria] == [
        *(f"I{i}" for i in range(1, 5)),
        *(f"E{i}" for i in range(1, 10)),
    ]
    assert len(p.acr_eular.domains) == 8
    assert len(p.acr_eular.organs) == 11
    assert len(p.glucocorticoids) == 9
    biologics = {a.code for a in p.medication_catalog if a.drug_class == "biologic"}
    dmards = {a.code for a in p.medication_catalog if a.drug_class == "non_biologic_dmard"}
    assert (len(biologics), len(dmards)) == (22, 14)
    assert {
        "tofacitinib",
        "baricitinib",
        "upadacitinib",
    } <= dmards  # Decision: JAK inhibitors under E6
    assert {w.code for w in p.warnings} == {
        "isolated_anti_hbc", "latent_tb", "prior_study_drug", "after_registered_end_date",
        # contradictions between answers (issue #17), each with its own code
        "tb_imaging_contradicts_conclusion", "tb_conclusion_without_finding",
        "pregnancy_answers_for_male",
    }  # fmt: skip


def test_registry_wording_is_quoted(protocol: LoadedProtocol) -> None:
    record = Path(__file__).parents[3] / "shared" / "seed" / "trial-record.txt"
    if not record.exists():
        pytest.skip("shared/seed is not beside this checkout")
    text = " ".join(record.read_text(encoding="utf-8").split())
    for criterion in protocol.protocol.criteria:
        assert " ".join(criterion.registry_text["en"].split()) in text, criterion.id


@pytest.mark.parametrize(
    ("change", "path", "words"),
    [
        (lambda d: d["metadata"].pop("protocol_version"), "$.metadata.protocol_version", "is required"),
        (lambda d: d["criteria"][0].update(label={"fr": "x"}), "$.criteria[0].label", "English"),
        (lambda d: d["criteria"][4].update(kind="nope"), "$.criteria[4]", "does not match"),
        (lambda d: d["criteria"][8]["window"].update(days=84), "$.criteria[8].window", "exactly one"),
        (lambda d: d["acr_eular"]["domains"][1]["grid"]["r_le_40"].pop("c_lt_10"), "$.acr_eular.domains[1]", "grid"),
        (lambda d: d["acr_eular"].update(maximum=100), "$.acr_eular", "add up to 101"),
        (lambda d: d["questions"].append({"id": "shoe_size", "type": "number", "text": {"en": "x"}}), "$.questions[50].id",
         "not a field of the answers"),
        (lambda d: d["questions"][1]["options"].append({"code": "other", "label": {"en": "Other"}}), "$.questions[1].options",
         "not valid answers"),
        (lambda d: d["metadata"].update(study_drug="aspirin"), "$.metadata.study_drug", "not in the catalog"),
        (lambda d: d.update(surprise=True), "$.surprise", "is not a known field"),
    ],
)  # fmt: skip
def test_broken_protocol_names_the_json_path(
    change: Callable[[dict[str, Any]], None], path: str, words: str
) -> None:
    with pytest.raises(InvalidProtocolError) as info:
        parse_protocol(broken(change))
    assert any(p.field == path and words in p.message for p in info.value.problems), info.value


def test_every_problem_is_listed() -> None:
    def two(d: dict[str, Any]) -> None:
        d["metadata"].pop("sponsor")
        d["glucocorticoids"][0]["equivalent_mg"] = -5

    with pytest.raises(InvalidProtocolError) as info:
        parse_protocol(broken(two))
    assert {p.field for p in info.value.problems} >= {
        "$.metadata.sponsor",
        "$.glucocorticoids[0].equivalent_mg",
    }


def test_not_json() -> None:
    with pytest.raises(InvalidProtocolError, match="not valid JSON"):
        parse_protocol("{")


def test_models_are_frozen(protocol: LoadedProtocol) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        protocol.protocol.metadata.min_age_years = 16  # type: ignore[misc]


def test_sha256_is_over_canonical_json_not_formatting() -> None:
    original = parse_protocol(json.dumps(DOCUMENT))
    reformatted = parse_protocol(json.dumps(DOCUMENT, indent=7, sort_keys=True))
    assert original.sha256 == reformatted.sha256
    changed = parse_protocol(broken(lambda d: d["metadata"].update(protocol_version="1.1")))
    assert changed.sha256 != original.sha256


@pytest.mark.parametrize(
    ("name", "made"),
    [
        ("answers.schema.json", lambda: answers_json_schema(default_protocol().protocol)),
        ("protocol.schema.json", Protocol.model_json_schema),
    ],
)
def test_published_schemas_are_current(name: str, made: Callable[[], dict[str, Any]]) -> None:
    published = json.loads(resource("protocols", name).read_text(encoding="utf-8"))
    assert published == made(), f"regenerate with: python -m desktop_app schema ... > {name}"


def test_the_answers_schema_says_where_a_missing_data_code_may_stand() -> None:
    from jsonschema import Draft202012Validator

    schema = json.loads(resource("protocols", "answers.schema.json").read_text(encoding="utf-8"))
    valid = Draft202012Validator(schema).is_valid
    assert valid({"hbv_dna": {"missing_data": "not_done"}})
    assert valid({"hbv_dna": {"missing_data": "pending"}})
    assert not valid({"hbsag": {"missing_data": "not_done"}})  # HBsAg accepts 'pending' only
    assert not valid({"sex": {"missing_data": "pending"}})  # no code for the sex
    assert not valid({"hbsag": {"missing_data": "pending", "note": "x"}})
    evaluate(default_protocol(), {"hbv_dna": {"missing_data": "not_done"}})  # and the rules agree
