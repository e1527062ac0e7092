"""Text templates for the bundle's streaming writers (export/streams.py, issue #21): a row or an
element of a given shape written once by the reference's own code over sentinel values, then cut
at the sentinels; the real values go in after one check proves the reference would write them
unchanged (plain: ASCII letters, digits and `_ .:/-`, not starting with `-`, which no format the
bundle writes escapes, quotes or defuses)."""

from __future__ import annotations

import inspect
import json
import re
import weakref
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any

# A plain value every format writes as it is (no CSV quoting, no XML escape, no formula start):
# ASCII letters, digits and " _.:/-", not starting with "-". Values are checked together, joined
# each after a separator that no plain value holds: one regex over the characters, then no value
# starting with "-" and exactly one separator per value.
SEPARATOR = "\x1f"
PLAIN_CHARACTERS = re.compile(f"[A-Za-z0-9 _.:/{SEPARATOR}-]*").fullmatch
BAD_START = SEPARATOR + "-"
# Sentinels the reference code writes unchanged (letters and digits): a digit one for an integer.
TEXT_SENTINEL = "Qz{}SentinelzQ"
_NUMBER_SENTINEL = 918273645000
_MAX_TEMPLATES = 4096  # shapes beyond this take the per-attempt code (a bound, never reached)

data_json: Callable[[Any], str] = json.JSONEncoder(
    sort_keys=True, ensure_ascii=False, separators=(",", ":")
).encode
"""One value as the bundle's data files write JSON (sorted keys, no spaces, text as it is; its
UTF-8 is bundle.json_bytes): json.dumps with these options, without building its encoder again
on every call (a quarter of a small value's time)."""

Bare = tuple[str, int, str, str, dict[str, str], "str | None"]
"""An attempt the one pass proved bare (no answers, determination, signatures, warnings or
outcome detail) with a screening number and initials that are plain (all_plain) and an integer
attempt: (screening number, attempt, initials, status, protocol, outcome). The streaming writers
take it in place of its document (bare_document), with no check and no dict of their own."""


def bare_document(bare: Bare) -> dict[str, Any]:
    """The document (as screenings.json holds it) of a Bare attempt."""
    number, attempt, initials, status, protocol, outcome = bare
    return {
        "screening_number": number, "attempt": attempt, "initials": initials, "status": status,
        "protocol": protocol, "answers": {}, "determination": None, "outcome": outcome,
        "outcome_detail": {}, "acknowledged_warnings": {}, "signatures": [],
    }  # fmt: skip


Template = list[str | None]
"""A text with a None for each value: a copy with the values in its odd places, joined, is the
text of an attempt."""
UNSEEN: Template = []


def all_plain(values: Sequence[str]) -> bool:
    """Whether every value is plain (see SEPARATOR)."""
    joined = SEPARATOR + SEPARATOR.join(values)
    return (
        PLAIN_CHARACTERS(joined) is not None
        and BAD_START not in joined
        and joined.count(SEPARATOR) == len(values)
    )


def make_template(text: str, marks: Sequence[str]) -> Template | None:
    """`text` cut at each mark; None unless each mark occurs exactly once, in order."""
    template: Template = []
    rest = text
    for mark in marks:
        before, found, rest = rest.partition(mark)
        if not found or any(m in before for m in marks):
            return None
        template += [before, None]
    if any(m in rest for m in marks):
        return None
    return [*template, rest]


class Marks:
    """Sentinel values for a template, and the text the reference writes for each."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def text(self) -> str:
        made = TEXT_SENTINEL.format(len(self.texts))
        self.texts.append(made)
        return made

    def number(self) -> int:
        made = _NUMBER_SENTINEL + len(self.texts)
        self.texts.append(str(made))
        return made


class Shapes:
    """Templates by shape (None: the shape has none), each made once by `make`: the reference's
    per-attempt code over a sentinel copy of the first attempt of that shape. `hits` counts the
    attempts written from a template (the tests check the fast path is taken)."""

    def __init__(self, make: Callable[[Mapping[str, Any]], Template | None]) -> None:
        self.templates: dict[Hashable, Template | None] = {}
        # `make` is a method of the writer that holds this Shapes: held weakly, so that no cycle
        # keeps the writer (an OdmWriter holds the whole ODM document) alive after the export
        # until the cycle collector happens to run.
        self.make: Callable[[], Callable[[Mapping[str, Any]], Template | None] | None] = (
            weakref.WeakMethod(make) if inspect.ismethod(make) else lambda: make
        )
        self.hits = 0

    def fill(
        self, shape: Hashable, values: Sequence[str], item: Any,
        document: Callable[[Any], Mapping[str, Any]] | None = None,
    ) -> Template | None:  # fmt: skip
        """This shape's template with `values` in its gaps, counted as a hit; None when the shape
        has none. The first attempt of a shape makes it, from `item` (or `document(item)`, the
        dict the reference code reads)."""
        template = self.templates.get(shape, UNSEEN)
        if template is UNSEEN:
            template = self.learn(shape, item if document is None else document(item))
        if template is None:
            return None
        filled = template.copy()
        filled[1::2] = values
        self.hits += 1
        return filled

    def learn(self, shape: Hashable, s: Mapping[str, Any]) -> Template | None:
        make = self.make()
        if make is None:  # never: only the writer's own methods use its Shapes
            raise ReferenceError("a Shapes outlived the writer whose templates it makes")
        try:
            template = make(s)
        except Exception:  # the per-attempt code raises it again, for the caller
            template = None
        if len(self.templates) < _MAX_TEMPLATES:
            self.templates[shape] = template
        return template
