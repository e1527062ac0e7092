"""Missing-data codes: 'pending', 'not done', 'unknown' and 'not applicable' in place of a value.

In an answers document (a file, the store, the wizard) a code is written in place of the
question's value as the object {"missing_data": "<code>"}; the parse (rules.parsing) accepts it
only where the protocol's question lists that code, and keeps it beside the answers
(Answers.missing_data) with the question's value left empty. The rules then read:

- pending and unknown: not yet known. A criterion that needs the answer stays unknown and the
  determination incomplete, its missing answers listed with their code (what is awaited);
- not done: what the criterion's protocol entry states (Protocol criterion `not_done` rules:
  acceptable when its conditions hold, to be answered otherwise);
- not applicable: only on a question that is not required; nothing is read from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from desktop_app.rules.answers import Answers
from desktop_app.rules.protocol import MISSING_CODES, Protocol
from desktop_app.rules.result import Determination

CODE_KEY = "missing_data"
NOT_YET_KNOWN = frozenset({"pending", "unknown"})


def code_of(value: Any) -> str | None:
    """The missing-data code an answer value stands for ({"missing_data": "pending"}), or None
    for a value (anything else)."""
    if isinstance(value, Mapping) and set(value) == {CODE_KEY}:
        code = value[CODE_KEY]
        return code if isinstance(code, str) else None
    return None


def is_code_value(value: Any) -> bool:
    """True for a value written as a missing-data code object (valid code or not)."""
    return isinstance(value, Mapping) and CODE_KEY in value


def coded(code: str) -> dict[str, str]:
    """The answer value that stands for a code."""
    if code not in MISSING_CODES:
        raise ValueError(f"unknown missing-data code {code!r}; allowed: {', '.join(MISSING_CODES)}")
    return {CODE_KEY: code}


@dataclass(frozen=True)
class Awaited:
    """An answer the determination waits for, and the code it was given ('pending', 'unknown')."""

    question: str
    code: str


def awaited(determination: Determination, answers: Answers) -> tuple[Awaited, ...]:
    """The answers an incomplete determination lacks that were coded pending or unknown, in the
    order the determination lists them."""
    if determination.determination != "incomplete":
        return ()
    codes = answers.missing_data
    return tuple(
        Awaited(q, codes[q]) for q in determination.missing if codes.get(q) in NOT_YET_KNOWN
    )


def waiting_only_on(
    determination: Determination, answers: Answers, codes: frozenset[str] = frozenset({"pending"})
) -> tuple[str, ...]:
    """For the "Results pending" queue: the questions an incomplete determination waits for when
    every answer it lacks was given one of these codes (pending results only, by default); ()
    when it is not incomplete, or lacks anything else too."""
    if determination.determination != "incomplete" or not determination.missing:
        return ()
    given = answers.missing_data
    if all(given.get(q) in codes for q in determination.missing):
        return determination.missing
    return ()


def answers_json_schema(protocol: Protocol) -> dict[str, Any]:
    """The published answers schema (resources/protocols/answers.schema.json): the answers model's
    JSON Schema, where each question that accepts missing-data codes in `protocol` also accepts
    {"missing_data": "<code>"} with one of its codes (the parse refuses any other)."""
    schema = Answers.model_json_schema()
    labels = {m.code: m.label["en"] for m in protocol.missing_data_codes}
    for question, codes in sorted(protocol.missing_codes.items()):
        allowed = [c for c in MISSING_CODES if c in codes]
        coded_value = {
            "additionalProperties": False,
            "description": "A missing-data code in place of the value: "
            + "; ".join(f"{c} ({labels.get(c, c)})" for c in allowed),
            "properties": {CODE_KEY: {"enum": allowed, "type": "string"}},
            "required": [CODE_KEY],
            "type": "object",
        }
        field = schema["properties"][question]
        alternatives = field.pop("anyOf", None) or [
            {k: field.pop(k) for k in list(field) if k not in ("default", "title", "description")}
        ]
        field["anyOf"] = [*alternatives, coded_value]
    return schema
