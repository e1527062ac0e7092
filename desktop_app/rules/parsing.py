"""The one strict parse of answers, for files, the command line, the store and the wizard alike.

JSON already says what a value is; nothing is guessed from it: a yes/no answer is only `true` or
`false` (never "yes", 1 or 1.0), a date only a "YYYY-MM-DD" string naming a real day (never a
number or a time stamp), a number only a finite JSON number (never text), a code only one of the
protocol's codes, matched exactly. A duplicate key or an unknown field is refused; a UTF-8
byte-order mark is not a problem. Every refusal names the field and says what is allowed.
"""

from __future__ import annotations

import json
import math
import types
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel, StringConstraints, ValidationError

from desktop_app.rules.answers import Answers
from desktop_app.rules.dates import TypedDateError, typed_date
from desktop_app.rules.errors import InvalidAnswersError, Problem, problems_from_pydantic
from desktop_app.rules.missing_data import CODE_KEY, code_of, is_code_value
from desktop_app.rules.protocol import MISSING_CODES

_BAD = object()  # a value refused; its problem is already listed


class _NonFinite:
    """NaN or Infinity in JSON text: kept until its field is known, then refused by name."""

    def __init__(self, text: str) -> None:
        self.text = text


class _DuplicateKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def parse_answers(
    document: Mapping[str, Any] | Answers,
    codes: Mapping[str, frozenset[str]] | None = None,
    missing: Mapping[str, frozenset[str]] | None = None,
) -> Answers:
    """Validate an answers document (parsed JSON); `codes`: the protocol's allowed codes per
    question, so that a near miss lists them; `missing`: the missing-data codes each question
    accepts (rules.missing_data); without it, any code of the vocabulary is taken as written and
    the protocol's parse (evaluate) decides."""
    if isinstance(document, Answers):
        return document
    if not isinstance(document, Mapping):
        raise InvalidAnswersError([Problem("(document)", "must be a JSON object")])
    problems: list[Problem] = []
    converted: dict[str, Any] = {}
    missing_data: dict[str, str] = {}
    fields = Answers.model_fields
    for key, value in document.items():
        if key not in fields:
            problems.append(Problem(str(key), _unknown_field(str(key), fields)))
            continue
        if value is None:
            continue  # not answered
        if is_code_value(value):
            code = _missing_code(str(key), value, missing, problems)
            if code is not None:
                missing_data[str(key)] = code
            continue
        result = _convert(value, fields[key].annotation, fields[key].metadata, str(key), problems,
                          codes or {}, key)  # fmt: skip
        if result is not _BAD:
            converted[key] = result
    if problems:
        raise InvalidAnswersError(problems)
    try:
        parsed = Answers.model_validate(converted)
    except ValidationError as exc:
        raise InvalidAnswersError(problems_from_pydantic(list(exc.errors()))) from None  # type: ignore[arg-type]
    return parsed.with_missing_data(missing_data) if missing_data else parsed


def parse_answer(
    question_id: str, value: Any, missing: Mapping[str, frozenset[str]] | None = None
) -> Any:
    """One answer checked on its own, as the store saves it: the JSON value back, or a problem."""
    if question_id not in Answers.model_fields:
        raise InvalidAnswersError(
            [Problem(question_id, "is not a question of the answers document")]
        )
    parse_answers({question_id: value}, missing=missing)
    return value


def _missing_code(question: str, value: Mapping[str, Any], missing: Mapping[str, frozenset[str]] | None,
                  problems: list[Problem]) -> str | None:  # fmt: skip
    """A missing-data code ({"missing_data": "pending"}) where the protocol allows it."""
    code = code_of(value)
    if code is None or code not in MISSING_CODES:
        shown = _described(value.get(CODE_KEY)) if set(value) == {CODE_KEY} else "an object"
        problems.append(Problem(question, f"{shown} is not a missing-data code: give "
                                          f"{{\"missing_data\": one of {_listed(list(MISSING_CODES))}}}"))  # fmt: skip
        return None
    if missing is not None:
        allowed = sorted(missing.get(question, frozenset()), key=MISSING_CODES.index)
        if code not in allowed:
            accepts = f"it accepts {_listed(allowed)}" if allowed else "it accepts none"
            problems.append(Problem(question, f"the missing-data code '{code}' is not allowed for this "
                                              f"question ({accepts}): give its value"))  # fmt: skip
            return None
    return code


def load_json(text: str | bytes) -> Any:
    """JSON text to values: numbers as exact decimals, a duplicate key or invalid text refused."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InvalidAnswersError(
                [Problem("(document)", f"is not UTF-8 text (byte {exc.start} cannot be read)")]
            ) from None
    text = text.removeprefix("\ufeff")  # Windows Notepad's byte-order mark
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_float=Decimal,
                          parse_constant=_NonFinite)  # fmt: skip
    except _DuplicateKeyError as exc:
        raise InvalidAnswersError(
            [Problem(exc.key, "appears more than once in the document; give each field once")]
        ) from None
    except json.JSONDecodeError as exc:
        raise InvalidAnswersError(
            [
                Problem(
                    "(document)",
                    f"is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
                )
            ]
        ) from None


def parse_answers_json(
    text: str | bytes,
    codes: Mapping[str, frozenset[str]] | None = None,
    missing: Mapping[str, frozenset[str]] | None = None,
) -> Answers:
    """Validate an answers document given as JSON text."""
    return parse_answers(_object(load_json(text)), codes, missing)


def _object(value: Any) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InvalidAnswersError([Problem("(document)", "must be a JSON object { ... }")])
    return value


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKeyError(key)
        result[key] = value
    return result


def _unknown_field(key: str, fields: Mapping[str, Any]) -> str:
    near = [f for f in fields if _loose(f) == _loose(key)]
    hint = f"; did you mean '{near[0]}'?" if near else ""
    return f"is not a known field{hint}"


# ---------------------------------------------------------------------------- value by type


def _convert(value: Any, annotation: Any, metadata: list[Any], path: str, problems: list[Problem],
             codes: Mapping[str, frozenset[str]], question: str) -> Any:  # fmt: skip
    """`value` as the annotation's type, strictly; _BAD (with a problem listed) otherwise."""
    origin = get_origin(annotation)
    if origin is Annotated:
        base, *more = get_args(annotation)
        return _convert(value, base, [*metadata, *more], path, problems, codes, question)
    if origin in (Union, types.UnionType):
        members = [a for a in get_args(annotation) if a is not type(None)]
        literals = [v for a in members if get_origin(a) is Literal for v in get_args(a)]
        others = [a for a in members if get_origin(a) is not Literal]
        if (
            literals and others and isinstance(value, str)
        ):  # a number, or a word such as "indeterminate"
            return _literal(value, literals, path, problems, alternative="a number")
        if others:
            return _convert(value, others[0], metadata, path, problems, codes, question)
        return _literal(value, literals, path, problems)
    if origin is Literal:
        return _literal(value, list(get_args(annotation)), path, problems)
    if annotation is bool:
        return _boolean(value, path, problems)
    if annotation is date:
        return _date(value, path, problems)
    if annotation is Decimal:
        return _number(value, path, problems)
    if annotation is str:
        return _text(value, metadata, path, problems, codes.get(question), question)
    if origin is tuple:
        return _list(value, get_args(annotation)[0], path, problems, codes, question)
    if origin is dict:
        return _mapping(value, get_args(annotation)[1], path, problems, codes)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _model(value, annotation, path, problems, codes)
    return value  # pragma: no cover - every answers field has one of the types above


def _boolean(value: Any, path: str, problems: list[Problem]) -> Any:
    if isinstance(value, bool):
        return value
    problems.append(Problem(path, f"must be yes or no (true or false), not {_described(value)}"))
    return _BAD


def _date(value: Any, path: str, problems: list[Problem]) -> Any:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str):
        problems.append(Problem(path, f"must be a date written as text \"YYYY-MM-DD\" (for example "
                                      f"\"2023-03-08\"), not {_described(value)}"))  # fmt: skip
        return _BAD
    try:
        return typed_date(value)
    except TypedDateError as exc:
        if exc.no_such_day:
            problems.append(Problem(path, f"'{value}' is not a calendar date (no such day)"))
        else:
            problems.append(Problem(path, f"'{value}' is not a date; type it as YYYY-MM-DD, for "
                                          "example 2023-03-08 (nothing else: no time of day)"))  # fmt: skip
    return _BAD


def _number(value: Any, path: str, problems: list[Problem]) -> Any:
    if isinstance(value, _NonFinite) or (isinstance(value, float | Decimal) and not _finite(value)):
        shown = value.text if isinstance(value, _NonFinite) else str(value)
        problems.append(Problem(path, f"must be a finite number, not {shown}"))
        return _BAD
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        if isinstance(value, str):
            problems.append(Problem(path, f"'{value}' is not a number; give a number such as 7.5 "
                                          "(in a file: without quotes)"))  # fmt: skip
        else:
            problems.append(Problem(path, f"must be a number, not {_described(value)}"))
        return _BAD
    return Decimal(repr(value)) if isinstance(value, float) else Decimal(value)


def _finite(value: float | Decimal) -> bool:
    return value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)


def _text(value: Any, metadata: list[Any], path: str, problems: list[Problem],
          allowed: frozenset[str] | None, question: str) -> Any:  # fmt: skip
    """Free text, or a code (a pattern-constrained string): a code problem names the question."""
    if not isinstance(value, str):
        problems.append(Problem(path, f"must be text, not {_described(value)}"))
        return _BAD
    is_code = any(isinstance(m, StringConstraints) and m.pattern for m in metadata)
    if is_code and allowed is not None and value not in allowed:
        near = [c for c in sorted(allowed) if _loose(c) == _loose(value)]
        hint = f"; codes are matched exactly: did you mean '{near[0]}'?" if near else ""
        problems.append(
            Problem(question, f"unknown code '{value}'{hint}; allowed: {_listed(sorted(allowed))}")
        )
        return _BAD
    if is_code and allowed is None and not _is_code(value):
        hint = f"; did you mean '{_loose(value)}'?" if _is_code(_loose(value)) else ""
        problems.append(Problem(question, f"'{value}' is not a known code: codes are lower case letters, "
                                      f"digits and _{hint}"))  # fmt: skip
        return _BAD
    return value


def _literal(value: Any, allowed: list[Any], path: str, problems: list[Problem],
             alternative: str | None = None) -> Any:  # fmt: skip
    if isinstance(value, str) and value in allowed:
        return value
    words = _listed(allowed)
    what = f"{alternative} or {words}" if alternative else f"one of {words}"
    near = [a for a in allowed if isinstance(value, str) and _loose(a) == _loose(value)]
    if near:
        problems.append(Problem(path, f"'{value}' is not allowed: codes are matched exactly; did you mean "
                                      f"'{near[0]}'? Allowed: {what}"))  # fmt: skip
    elif alternative and isinstance(value, str):
        problems.append(Problem(path, f"'{value}' is not a number; allowed: {what}"))
    else:
        problems.append(Problem(path, f"{_described(value)} is not allowed; must be {what}"))
    return _BAD


def _list(value: Any, item: Any, path: str, problems: list[Problem],
          codes: Mapping[str, frozenset[str]], question: str) -> Any:  # fmt: skip
    if not isinstance(value, list | tuple):
        problems.append(Problem(path, f"must be a list [ ... ], not {_described(value)}"))
        return _BAD
    items = [
        _convert(v, item, [], f"{path}[{i}]", problems, codes, question)
        for i, v in enumerate(value)
    ]
    return _BAD if any(v is _BAD for v in items) else items


def _mapping(value: Any, item: Any, path: str, problems: list[Problem],
             codes: Mapping[str, frozenset[str]]) -> Any:  # fmt: skip
    if not isinstance(value, Mapping):
        problems.append(Problem(path, f"must be an object {{ ... }}, not {_described(value)}"))
        return _BAD
    allowed = codes.get(path)  # the keys are codes too (the agents of medication_last_dose)
    for key in value:
        if allowed is not None and key not in allowed:
            near = [c for c in sorted(allowed) if _loose(c) == _loose(str(key))]
            hint = f"; codes are matched exactly: did you mean '{near[0]}'?" if near else ""
            problems.append(Problem(f"{path}.{key}", f"unknown code '{key}'{hint}"))
    result = {
        k: _convert(v, item, [], f"{path}.{k}", problems, codes, path) for k, v in value.items()
    }
    bad = any(v is _BAD for v in result.values()) or (
        allowed is not None and not set(value) <= allowed
    )
    return _BAD if bad else result


def _model(value: Any, model: type[BaseModel], path: str, problems: list[Problem],
           codes: Mapping[str, frozenset[str]]) -> Any:  # fmt: skip
    if not isinstance(value, Mapping):
        problems.append(Problem(path, f"must be an object {{ ... }}, not {_described(value)}"))
        return _BAD
    fields = model.model_fields
    result: dict[str, Any] = {}
    for key, item in value.items():
        if key not in fields:
            problems.append(
                Problem(f"{path}.{key}", f"is not a known field; allowed: {', '.join(fields)}")
            )
        elif item is not None:
            result[key] = _convert(item, fields[key].annotation, fields[key].metadata, f"{path}.{key}",
                                   problems, codes, f"{path}.{key}")  # fmt: skip
    return _BAD if any(v is _BAD for v in result.values()) else result


# ---------------------------------------------------------------------------- words


def _described(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"the text '{value}'"
    if isinstance(value, _NonFinite):
        return value.text
    if isinstance(value, int | float | Decimal):
        return f"the number {value}"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return "null" if value is None else type(value).__name__


def _listed(values: list[Any]) -> str:
    shown = [f"'{v}'" if isinstance(v, str) else str(v) for v in values]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " or " + shown[-1]


def _loose(text: str) -> str:
    """A near miss: the same code but for case, spaces or hyphens ('Indeterminate', 'not done')."""
    return "_".join(text.strip().casefold().replace("-", " ").split())


def _is_code(text: str) -> bool:
    return bool(text) and all(
        c.isascii() and (c.islower() or c.isdigit() or c == "_") for c in text
    )
