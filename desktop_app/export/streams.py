"""The bundle's slowest files written piece by piece (issue #21): REDCap's records.csv
(RecordsWriter), the exact text of its reference builder (redcap.redcap_tables written by
bundle._csv) over the same screenings.

Most attempts of a large store are bare: no answers, no signatures, no missing-data codes, no
notes or queries, a plain determination and outcome. Each bare attempt's text comes from a
template made once per shape (what changes the text other than its plain values: the
determination, the failing criteria, which values are there) by running the reference's own
per-attempt code on a copy whose values are sentinels; the real values go in for the sentinels,
each first proved plain by one regex (ASCII letters, digits and `_ .:/+-`, not starting with
anything a spreadsheet runs), so that no format would escape, quote or defuse it. Every other
attempt, and any value that is not plain, takes the reference's per-attempt code."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any

from desktop_app.export.redcap import RecordRows
from desktop_app.rules import LoadedProtocol

# A value every format writes as it is: no CSV quoting, no XML escape, no formula start.
_PLAIN = "(?:[A-Za-z0-9_][A-Za-z0-9 _.:/+-]*)?"
_SEPARATOR = "\x1f"  # never in a plain value: n values joined by it hold exactly n - 1
_ALL_PLAIN: dict[int, Callable[[str], re.Match[str] | None]] = {}
# Sentinels the reference code writes unchanged (letters and digits): a digit one for an integer.
_TEXT_SENTINEL = "Qz{}SentinelzQ"
_NUMBER_SENTINEL = 918273645000
_MAX_INTEGER = 10**18  # below 28 digits, Decimal's normalize() leaves an integer whole
_MAX_TEMPLATES = 4096  # shapes beyond this take the per-attempt code (a bound, never reached)

Template = list[str | None]
"""A text with a None for each value: a copy with the values in its odd places, joined, is the
text of an attempt."""
_UNSEEN: Template = []


def all_plain(values: Sequence[str]) -> bool:
    """Whether every value is plain, by one regex over them all (compiled once per count)."""
    match = _ALL_PLAIN.get(len(values))
    if match is None:
        pattern = _PLAIN + f"(?:{_SEPARATOR}{_PLAIN}){{{len(values) - 1}}}" if values else ""
        match = _ALL_PLAIN[len(values)] = re.compile(pattern).fullmatch
    return match(_SEPARATOR.join(values)) is not None


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
        made = _TEXT_SENTINEL.format(len(self.texts))
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
        self.make = make
        self.hits = 0

    def learn(self, shape: Hashable, s: Mapping[str, Any]) -> Template | None:
        try:
            template = self.make(s)
        except Exception:  # the per-attempt code raises it again, for the caller
            template = None
        if len(self.templates) < _MAX_TEMPLATES:
            self.templates[shape] = template
        return template


class RecordsWriter:
    """redcap/records.csv in pieces: `header + rows(piece 1) + rows(piece 2) + ...`, UTF-8
    encoded, is the file bundle._csv(*redcap_tables(...)[1], bom=False) writes for the same
    screenings (as export.applicable.applicable_screenings gives them), however they are split.
    `other_medication_slots` is redcap.other_medication_slots over all of them."""

    def __init__(self, protocol: LoadedProtocol, other_medication_slots: int) -> None:
        # Imported here: bundle imports this module (its one pass writes with these writers).
        from desktop_app.export.bundle import csv_cell

        self._csv_cell = csv_cell
        self._rows = RecordRows(protocol, other_medication_slots)
        self.shapes = Shapes(self._template)
        self.header: str = self._csv_text([self._rows.header], defuse=False)

    def rows(self, screenings: Sequence[Mapping[str, Any]]) -> str:
        """The CSV text of these screenings' records, each row ending in CR LF."""
        out: list[str | None] = []
        shapes = self.shapes
        templates, reference, hits = shapes.templates, self._reference, 0
        for s in screenings:
            plain = _bare_record(s)
            if plain is not None:
                template = templates.get(plain[0], _UNSEEN)
                if template is _UNSEEN:
                    template = shapes.learn(plain[0], s)
                if template is not None:
                    row = template.copy()
                    row[1::2] = plain[1]
                    out += row
                    hits += 1
                    continue
            out.append(reference(s))
        shapes.hits += hits
        return "".join(out)  # type: ignore[arg-type]  # every None was given a value

    def _csv_text(self, rows: list[list[Any]], *, defuse: bool = True) -> str:
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\r\n")
        cell = self._csv_cell
        writer.writerows([[cell(v) for v in row] for row in rows] if defuse else rows)
        return text.getvalue()

    def _reference(self, s: Mapping[str, Any]) -> str:
        return self._csv_text([self._rows.row(s)])

    def _template(self, s: Mapping[str, Any]) -> Template | None:
        copy, marks = _record_sentinel(s)
        return make_template(self._reference(copy), marks.texts)


def _bare_record(s: Mapping[str, Any]) -> tuple[Hashable, list[str]] | None:
    """(shape, plain values in the order records.csv writes them) of a bare attempt; None for
    any other. The shape holds all that redcap.RecordRows.row reads but the values."""
    if s["answers"] or s.get("signatures"):
        return None
    number, attempt, initials = s["screening_number"], s["attempt"], s.get("initials")
    if type(number) is not str:
        if type(number) is not int:
            return None
        number = str(number)
    if type(attempt) is not str:
        if type(attempt) is not int:
            return None
        attempt = str(attempt)
    values = [number, attempt]
    if initials:
        if type(initials) is not str:
            return None
        values.append(initials)
    determination = s.get("determination") or {}
    if determination:
        made = _bare_determination(determination, values)
        if made is None:
            return None
    else:
        made = ()
    outcome = s.get("outcome") or None
    detail = s.get("outcome_detail") or {}
    if (outcome is not None and type(outcome) is not str) or type(detail) is not dict:
        return None
    if detail:
        present = []
        for key in ("randomization_number", "date", "note"):
            value = detail.get(key)
            if value is not None:
                if type(value) is not str:
                    return None
                values.append(value)
            present.append(value is not None)
        shape: Hashable = (bool(initials), made, outcome, *present)
    else:
        shape = (bool(initials), made, outcome)
    return (shape, values) if all_plain(values) else None


def _bare_determination(determination: Any, values: list[str]) -> Hashable | None:
    """The shape of a determination records.csv writes from its code, failing criteria and
    total (the total appended to `values`); None when it is not that plain."""
    if type(determination) is not dict:
        return None
    verdict = determination.get("determination")
    if verdict is not None and type(verdict) is not str:
        return None
    failing: tuple[str, ...] | None = None
    if verdict == "ineligible":
        listed = determination.get("failing")
        if type(listed) is not list or not all(type(c) is str for c in listed):
            return None
        failing = tuple(listed)
    scores = determination.get("acr_eular") or {}
    if type(scores) is not dict:
        return None
    total = scores.get("total")
    if total is not None:
        if type(total) is not int or not 0 <= total < _MAX_INTEGER:
            return None
        values.append(str(total))
    return verdict, failing, total is not None


def _record_sentinel(s: Mapping[str, Any]) -> tuple[dict[str, Any], Marks]:
    """A copy of bare attempt `s` with a sentinel for each of its values (those _bare_record
    gives, in its order; the total a number, as records.csv writes it through Decimal)."""
    marks = Marks()
    copy = {**s, "screening_number": marks.text(), "attempt": marks.text()}
    if s.get("initials"):
        copy["initials"] = marks.text()
    determination = s.get("determination") or {}
    scores = (determination.get("acr_eular") or {}) if determination else {}
    if scores.get("total") is not None:
        copy["determination"] = {**determination, "acr_eular": {**scores, "total": marks.number()}}
    detail = dict(s.get("outcome_detail") or {})
    for key in ("randomization_number", "date", "note"):
        if detail.get(key) is not None:
            detail[key] = marks.text()
    copy["outcome_detail"] = detail
    return copy, marks
