"""The shape of a bundle's manifest, signer key and audit chain, checked before anything in them
is used: every key present, none extra, each of its type, so that no input reaches the code that
reads them as anything but what they must be (a manifest of `[]`, `null`, NaN, deep nesting or
a 5,000-digit number is refused with a sentence, never a traceback)."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from desktop_app.export.bundle import (
    CANONICALIZATION,
    CHAIN_SCHEME,
    FORMAT,
    SIGNATURE_SCHEME,
    canonical_array,
)
from desktop_app.export.reader import plain_name

_HEX64 = re.compile(r"[0-9a-f]{64}")
_SITE_CODE = re.compile(r"[A-Z0-9]{2,12}")
_STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z")
_OFFSET = re.compile(r"[+-]\d{2}:\d{2}")
_FINGERPRINT = re.compile(r"[0-9A-F]{4}( [0-9A-F]{4}){3}")
MAX_SIZE = 1 << 40  # a declared file size beyond this is no bundle of Eligo's
MAX_SAFE = (1 << 53) - 1  # the largest integer RFC 8785 writes exactly


class FormatError(ValueError):
    """A part of the bundle is not of the documented shape; the message says which and how."""


def _no_constant(name: str) -> Any:
    raise FormatError(f"holds {name}, which is not JSON")


def strict_json(raw: bytes, what: str) -> Any:
    """The JSON document `raw` (UTF-8, no NaN or Infinity), or FormatError naming `what`."""
    try:
        return json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except FormatError as exc:
        raise FormatError(f"{what} {exc}") from None
    except UnicodeDecodeError:
        raise FormatError(f"{what} is not UTF-8 text") from None
    except RecursionError:
        raise FormatError(f"{what} is nested too deeply") from None
    except ValueError as exc:  # JSONDecodeError, and integers too long to convert
        raise FormatError(f"{what} is not valid JSON ({str(exc)[:120]})") from None


def _text(value: Any) -> bool:
    return isinstance(value, str) and len(value) <= 1000


def _count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= MAX_SAFE


Check = Callable[[Any], bool]


def _object(value: Any, what: str, shape: dict[str, Check]) -> Iterator[str]:
    if not isinstance(value, dict):
        yield f"{what} is not a JSON object"
        return
    for key in sorted(set(shape) - set(value)):
        yield f"{what} has no {key!r}"
    for key in sorted(set(value) - set(shape), key=str)[:5]:
        yield f"{what} has an unexpected key {str(key)[:40]!r}"
    for key in sorted(set(shape) & set(value)):
        if not shape[key](value[key]):
            yield f"{what}: {key!r} is not of the documented type or value"


def _files(value: Any) -> Iterator[str]:
    if not isinstance(value, dict) or not value:
        yield "manifest: 'files' is not a non-empty object"
        return
    for name, entry in value.items():
        if not plain_name(name):
            yield f"manifest: file name {name[:60]!r} is not a plain file name"
            return
        yield from _object(entry, f"manifest: files[{name!r}]", {
            "sha256": lambda v: isinstance(v, str) and _HEX64.fullmatch(v) is not None,
            "size": lambda v: _count(v) and v <= MAX_SIZE,
        })  # fmt: skip


def _match(pattern: re.Pattern[str]) -> Check:
    return lambda v: isinstance(v, str) and pattern.fullmatch(v) is not None


_SITE: dict[str, Check] = {"code": _match(_SITE_CODE), "name": _text,
                           "principal_investigator": _text, "demo": lambda v: isinstance(v, bool)}  # fmt: skip
_PERSON: dict[str, Check] = {"username": _text, "printed_name": _text}
_PROTOCOL: dict[str, Check] = {"id": _text, "version": _text, "sha256": _match(_HEX64)}


def _equal(fixed: object) -> Check:
    return lambda v: v == fixed


_CHAIN: dict[str, Check] = {
    **{key: _equal(fixed) for key, fixed in CHAIN_SCHEME.items()},
    "events": _count,
}
MANIFEST_SHAPE: dict[str, Check] = {
    "format": _equal(FORMAT),
    "canonicalization": _equal(CANONICALIZATION),
    "signature": _equal(SIGNATURE_SCHEME),
    "audit_chain": lambda v: not list(_object(v, "", _CHAIN)),
    "site": lambda v: not list(_object(v, "", _SITE)),
    "exported_by": lambda v: not list(_object(v, "", _PERSON)),
    "exported_at": _match(_STAMP),
    "utc_offset": _match(_OFFSET),
    "app_version": _text,
    "protocol": lambda v: not list(_object(v, "", _PROTOCOL)),
    "screenings": _count,
    "audit_head": _match(_HEX64),
    "files": lambda v: not list(_files(v)),
}
SIGNER_SHAPE: dict[str, Check] = {
    "public_key": _match(_HEX64),
    "fingerprint": _match(_FINGERPRINT),
    "username": _text,
    "printed_name": _text,
}


LANGUAGES = ("en", "zh-CN")
"""The manifest's optional "language": that of the bundle's human-readable files (the screening
log CSV's headers and reasons, the PDF); the data files hold codes, the same in every language."""


def manifest_problems(manifest: Any) -> list[str]:
    """Every way the manifest departs from the documented shape (docs/verifying-a-bundle.md)."""
    if isinstance(manifest, dict) and "language" in manifest:
        language = manifest["language"]
        manifest = {k: v for k, v in manifest.items() if k != "language"}
        if language not in LANGUAGES:
            return [f"manifest: 'language' is not one of {', '.join(LANGUAGES)}"]
    problems = list(_object(manifest, "manifest", MANIFEST_SHAPE))
    if (
        isinstance(manifest, dict)
        and manifest.get("format") != FORMAT
        and isinstance(manifest.get("format"), str)
    ):
        return [f"the bundle's format is {manifest['format'][:40]!r}; this version of Eligo reads "
                f"{FORMAT!r} (export the bundle again with this version)"]  # fmt: skip
    if isinstance(manifest, dict):  # say which part of a nested value is wrong
        for key, shape in (("site", _SITE), ("exported_by", _PERSON), ("protocol", _PROTOCOL),
                           ("audit_chain", _CHAIN)):  # fmt: skip
            if key in manifest and isinstance(manifest[key], dict):
                problems += list(_object(manifest[key], f"manifest: {key}", shape))
        if "files" in manifest:
            problems += list(_files(manifest["files"]))
    return problems


def signer_problems(signer: Any) -> list[str]:
    return list(_object(signer, "signer.pub", SIGNER_SHAPE))


# ---------------------------------------------------------------- the exported audit chain

_EVENT_TYPES = ("seq", "text", "text", "user", "text", "text", "text", "text", "opt", "opt", "opt",
                "opt", "hash")  # fmt: skip
_TAIL = len(',""]') + 64  # the hash at the end of a line


def _typed(value: Any, kind: str) -> bool:
    if kind == "seq":
        return _count(value)
    if kind == "user":
        return value is None or _count(value)
    if kind == "hash":
        return isinstance(value, str) and _HEX64.fullmatch(value) is not None
    return isinstance(value, str) or (kind == "opt" and value is None)


def chain_problem(data: bytes, events: int, head: str) -> str | None:
    """None when audit_chain.jsonl is a whole chain: each line the canonical array of an event's
    13 hashed fields and its hash, sequence numbers from 1, each linked to the one before, every
    hash recomputed, `events` lines, the last hash `head`. Else the first problem, in words."""
    previous = CHAIN_SCHEME["first_prev_hash"]
    lines = data.split(b"\n")
    if lines[-1] != b"":
        return "audit_chain.jsonl does not end with a line break"
    lines.pop()
    if len(lines) != events:
        return f"audit_chain.jsonl holds {len(lines)} events, the manifest says {events}"
    for number, line in enumerate(lines, start=1):
        try:
            row = strict_json(line, f"line {number}")
        except FormatError as exc:
            return f"audit_chain.jsonl: {exc}"
        if not isinstance(row, list) or len(row) != len(_EVENT_TYPES) + 1:
            return f"audit_chain.jsonl: line {number} is not an array of 14 values"
        if not all(_typed(v, k) for v, k in zip(row, (*_EVENT_TYPES, "hash"), strict=True)):
            return f"audit_chain.jsonl: line {number} has a value of the wrong type"
        try:
            canonical = canonical_array(row)
        except UnicodeEncodeError:
            return f"audit_chain.jsonl: line {number} holds text that is not Unicode"
        if canonical != line:
            return f"audit_chain.jsonl: line {number} is not in canonical form"
        if row[0] != number:
            return f"audit_chain.jsonl: line {number} carries event {row[0]} (events missing or reordered)"
        if row[12] != previous:
            return f"audit_chain.jsonl: event {number} does not follow event {number - 1}"
        if hashlib.sha256(line[:-_TAIL] + b"]").hexdigest() != row[13]:
            return f"audit_chain.jsonl: event {number} was altered (its hash does not recompute)"
        previous = row[13]
    if previous != head:
        return (
            f"audit_chain.jsonl ends at {previous[:16]}…, the manifest's audit head is {head[:16]}…"
        )
    return None
