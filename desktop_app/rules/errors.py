"""Errors raised for invalid input: each problem names the field and what is wrong."""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input document, at a dotted field path."""

    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class InputError(ValueError):
    """Base class for input that cannot be evaluated; never a verdict."""

    def __init__(self, what: str, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"{what}:\n{lines}")


class InvalidAnswersError(InputError):
    """The answers document is malformed or contradicts itself (dates, doses, codes)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("The answers cannot be evaluated", problems)


class InvalidProtocolError(InputError):
    """A protocol file failed validation; nothing of it was loaded."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("The protocol file is invalid", problems)


def problems_from_pydantic(
    errors: list[dict[str, object]], prefix: str = "", tags: frozenset[str] = frozenset()
) -> list[Problem]:
    """Turn pydantic's error list into problems with JSON-path-like field names.

    `tags` are discriminator values pydantic puts into locations; they are not JSON keys.
    """
    result = []
    for err in errors:
        loc = err.get("loc", ())
        parts: list[str] = []
        for part in loc if isinstance(loc, tuple) else ():
            if isinstance(part, int):
                parts.append(f"[{part}]")
            elif str(part) not in _UNION_BRANCHES | tags and not str(part).startswith("function-"):
                parts.append(("." if parts else "") + str(part))
        field = prefix + "".join(parts) if parts else (prefix.rstrip(".") or "(document)")
        message = str(err.get("msg", "invalid"))
        located = _LOCATED.match(message)
        if located:  # a cross-reference check that names its own JSON path
            field, message = located.group(1), located.group(2)
        result.append(Problem(field=field, message=message))
    return result


# Names pydantic puts into error locations for union members; they mean nothing to a user.
_UNION_BRANCHES = {"decimal", "literal['indeterminate']", "date", "str", "bool", "int", "float"}

_LOCATED = re.compile(r"^Value error, (\$[^\s:]*): (.*)$", re.DOTALL)
