"""Errors raised for invalid input: each problem names the field and what is wrong."""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop_app.rules.dates import TypedDateError, typed_date


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
    result: list[Problem] = []
    seen: set[str] = set()
    for err in sorted(errors, key=_literal_branch_last):
        loc = err.get("loc", ())
        parts: list[str] = []
        for part in loc if isinstance(loc, tuple) else ():
            if isinstance(part, int):
                parts.append(f"[{part}]")
            elif str(part) not in _UNION_BRANCHES | tags and not str(part).startswith("function-"):
                parts.append(("." if parts else "") + str(part))
        field = prefix + "".join(parts) if parts else (prefix.rstrip(".") or "(document)")
        if _literal_branch_last(err) and field in seen:
            continue  # "abc" for a number-or-indeterminate: "not a number" says it; not both branches
        seen.add(field)
        message = in_words(err)
        located = _LOCATED.match(message)
        if located:  # a cross-reference check that names its own JSON path
            field, message = located.group(1), located.group(2)
        message = message.removeprefix("Value error, ")
        result.append(Problem(field=field, message=message))
    return result


def _literal_branch_last(err: dict[str, object]) -> bool:
    """Sort key: a union's literal branch ("indeterminate") after its number branch."""
    loc = err.get("loc", ())
    return isinstance(loc, tuple) and any(str(part).startswith("literal[") for part in loc)


def in_words(err: dict[str, object]) -> str:
    """What is wrong, in the coordinator's words rather than the validator's."""
    kind = str(err.get("type", ""))
    ctx = err.get("ctx")
    ctx = ctx if isinstance(ctx, dict) else {}
    value = err.get("input")
    shown = f"'{value}'" if isinstance(value, str) else str(value)
    if kind.startswith("date_") or kind.startswith("datetime_"):
        try:
            typed_date(value.strip() if isinstance(value, str) else "")
        except TypedDateError as exc:
            if exc.no_such_day:
                return f"{shown} is not a calendar date (no such day)"
        return f"{shown} is not a date; type it as YYYY-MM-DD, for example 2023-03-08"
    if kind in ("decimal_parsing", "decimal_type", "float_parsing", "float_type", "int_parsing",
                "int_type"):  # fmt: skip
        return f"{shown} is not a number"
    if kind == "finite_number":
        return "must be a finite number"
    words = {
        "greater_than_equal": ("must be at least {0}", "ge"),
        "greater_than": ("must be more than {0}", "gt"),
        "less_than_equal": ("must be at most {0}", "le"),
        "less_than": ("must be less than {0}", "lt"),
        "decimal_max_digits": ("has too many digits (at most {0})", "max_digits"),
        "decimal_max_places": ("has too many decimal places (at most {0})", "decimal_places"),
        "string_too_long": ("is too long (at most {0} characters)", "max_length"),
        "literal_error": ("must be one of {0}", "expected"),
    }
    if kind in words:
        template, key = words[kind]
        return template.format(ctx.get(key, "?"))
    simple = {
        "string_too_short": "must not be empty",
        "bool_parsing": "must be yes or no",
        "bool_type": "must be yes or no",
        "string_pattern_mismatch": f"{shown} is not a known code",
        "extra_forbidden": "is not a known field",
        "missing": "is required",
    }
    if kind in simple:
        return simple[kind]
    return str(err.get("msg", "invalid"))


# Names pydantic puts into error locations for union members; they mean nothing to a user.
_UNION_BRANCHES = {"decimal", "literal['indeterminate']", "date", "str", "bool", "int", "float"}

_LOCATED = re.compile(r"^Value error, (\$[^\s:]*): (.*)$", re.DOTALL)
