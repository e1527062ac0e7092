"""The checked shapes of a bundle's parts: the chain's canonical lines are RFC 8785's bytes, and
every manifest field is required, typed, and alone."""

from __future__ import annotations

import json

import pytest
import rfc8785
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.export.bundle import canonical_array
from desktop_app.export.bundle_format import FormatError, manifest_problems, strict_json

TEXT = st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=30)  # no lone surrogates
VALUE = st.none() | TEXT | st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1)


@given(st.lists(VALUE, min_size=1, max_size=16))
def test_chain_lines_are_written_as_rfc8785_writes_them(row: list[object]) -> None:
    """Export writes and verify checks chain lines with the standard library's C encoder: for
    arrays of text, safe integers and nulls (every audit event), the bytes are RFC 8785's."""
    assert canonical_array(row) == rfc8785.dumps(row)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        (b"NaN", "manifest.json holds NaN, which is not JSON"),
        (b'{"a": -Infinity}', "holds -Infinity"),
        (b"[" * 100000 + b"]" * 100000, "is nested too deeply"),
        (b"1" * 5000, "is not valid JSON"),
        (b"\xff", "is not UTF-8 text"),
        (b"{", "is not valid JSON"),
    ],
)
def test_strict_json_says_what_is_wrong(raw: bytes, problem: str) -> None:
    with pytest.raises(FormatError, match=problem):
        strict_json(raw, "manifest.json")


def test_every_manifest_problem_is_named() -> None:
    assert manifest_problems([]) == ["manifest is not a JSON object"]
    assert "manifest has no 'audit_head'" in manifest_problems({})
    problems = manifest_problems({"format": "eligo-bundle/2", "screenings": True, "extra": 1,
                                  "site": {"code": "lower", "name": "x", "principal_investigator": "y",
                                           "demo": False}, "files": {"../x": {}}})  # fmt: skip
    assert "manifest: 'screenings' is not of the documented type or value" in problems
    assert "manifest has an unexpected key 'extra'" in problems
    assert "manifest: site: 'code' is not of the documented type or value" in problems
    assert "manifest: file name '../x' is not a plain file name" in problems
    assert json.dumps(problems)  # plain sentences
