"""Hypothesis strategies from the published JSON Schema (the keywords our schemas use).

hypothesis-jsonschema would be the library for this, but its last release (0.23.1, 2024)
fails with current Hypothesis ('many' object has no attribute 'more'), so the few keywords
pydantic emits for the answers document are translated here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import strategies as st

DATES = st.dates(date(1900, 1, 1), date(2100, 12, 31)).map(date.isoformat)


def from_schema(
    schema: dict[str, Any], defs: dict[str, Any] | None = None
) -> st.SearchStrategy[Any]:
    defs = defs if defs is not None else schema.get("$defs", {})
    if "$ref" in schema:
        return from_schema(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    if "anyOf" in schema:
        return st.one_of([from_schema(s, defs) for s in schema["anyOf"]])
    if "const" in schema:
        return st.just(schema["const"])
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kind = schema.get("type")
    if kind == "null":
        return st.none()
    if kind == "boolean":
        return st.booleans()
    if kind in ("number", "integer"):
        low = schema.get("minimum", schema.get("exclusiveMinimum"))
        high = schema.get("maximum")
        numbers = st.integers(-(10**6), 10**6) if kind == "integer" else st.floats(-1e6, 1e6)
        return numbers.filter(
            lambda x: (
                (low is None or x >= low)
                and ("exclusiveMinimum" not in schema or x > schema["exclusiveMinimum"])
                and (high is None or x <= high)
            )
        )
    if kind == "string":
        if schema.get("format") == "date":
            return DATES
        if "pattern" in schema:
            return st.from_regex(schema["pattern"], fullmatch=True).filter(
                lambda s: schema.get("minLength", 0) <= len(s) <= schema.get("maxLength", 10**9)
            )
        return st.text(
            min_size=schema.get("minLength", 0), max_size=min(schema.get("maxLength", 30), 30)
        )
    if kind == "array":
        return st.lists(from_schema(schema.get("items", {}), defs), max_size=4)
    if kind == "object":
        return _object(schema, defs)
    return st.nothing()


def _object(schema: dict[str, Any], defs: dict[str, Any]) -> st.SearchStrategy[Any]:
    if "properties" in schema:
        props = schema["properties"]
        required = set(schema.get("required", ()))
        return st.fixed_dictionaries(
            {k: from_schema(v, defs) for k, v in props.items() if k in required},
            optional={k: from_schema(v, defs) for k, v in props.items() if k not in required},
        )
    (pattern, values), *_ = schema.get("patternProperties", {".*": {}}).items()
    return st.dictionaries(st.from_regex(pattern, fullmatch=True).filter(lambda s: 0 < len(s) <= 64),
                           from_schema(values, defs), max_size=3)  # fmt: skip
