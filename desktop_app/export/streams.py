"""The bundle's two slowest files written piece by piece for its one pass (issue #21): REDCap's
records.csv (RecordsWriter) and odm.xml (OdmWriter), each the exact text its reference builder
gives for the same screenings (redcap.redcap_tables written by bundle._csv; odm.odm_xml).

Most attempts of a large store are bare: no answers, signatures, missing-data codes, notes or
queries. A bare attempt's text comes from a template (export/templates.py) made once per shape,
all that changes the text but its plain values (the determination, the failing criteria, the
outcome, which values are there), by the reference's own per-attempt code; so do odm.xml's audit
events. Every other attempt or event, and one with any value that is not plain, takes the
reference's code."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from collections.abc import Hashable, Iterable, Mapping, Sequence
from typing import Any

from desktop_app.export import odm
from desktop_app.export.annotations import Annotations
from desktop_app.export.redcap import RecordRows
from desktop_app.export.templates import (
    BAD_START,
    PLAIN_CHARACTERS,
    SEPARATOR,
    TEXT_SENTINEL,
    Bare,
    Marks,
    Shapes,
    Template,
    all_plain,
    bare_document,
    make_template,
)
from desktop_app.rules import LoadedProtocol
from desktop_app.store.signed_records import AUDIT_COLUMNS

_MAX_INTEGER = 10**18  # below 28 digits, Decimal's normalize() leaves an integer whole


class RecordsWriter:
    """redcap/records.csv in pieces: `header + rows(piece 1) + rows(piece 2) + ...`, UTF-8
    encoded, is the file bundle._csv(*redcap_tables(...)[1], bom=False) writes for the same
    screenings (as export.applicable.applicable_screenings gives them), however they are split.
    `other_medication_slots` is redcap.other_medication_slots over all of them."""

    def __init__(self, protocol: LoadedProtocol, other_medication_slots: int) -> None:
        # Imported here: bundle imports this module (its one pass writes with these writers).
        from desktop_app.export.bundle import _defused

        self._defused = _defused
        self._rows = RecordRows(protocol, other_medication_slots)
        self.shapes = Shapes(self._template)
        # A Bare attempt's text (with initials) around its number, attempt and initials, by
        # outcome (its template's).
        self._bare_texts: dict[str | None, tuple[str, str, str, str]] = {}
        self.header: str = self._csv_text([self._rows.header], defuse=False)

    def rows(self, screenings: Sequence[Mapping[str, Any] | Bare]) -> str:
        """The CSV text of these screenings' records, each row ending in CR LF (a Bare attempt
        as its document)."""
        out: list[str | None] = []
        fill, reference = self.shapes.fill, self._reference
        plain: tuple[Hashable, list[str]] | None
        texts, hits = self._bare_texts, 0
        for s in screenings:
            if isinstance(s, tuple):  # Bare: its values proven plain by the one pass
                number, attempt, initials, _status, _protocol, outcome = s
                if initials and (around := texts.get(outcome)) is not None:
                    # the hot path: fill()'s copy of the template, in one step
                    out += (around[0], number, around[1], str(attempt), around[2], initials, around[3])  # fmt: skip
                    hits += 1
                    continue
                plain = (
                    ((True, (), outcome or None), [number, str(attempt), initials])
                    if initials
                    else ((False, (), outcome or None), [number, str(attempt)])
                )
                row = fill(plain[0], plain[1], s, bare_document)
                if row is None:
                    out.append(reference(bare_document(s)))
                else:
                    out += row
                    if initials and len(row) == 7:  # its text around the values, for the hot path
                        texts[outcome] = (str(row[0]), str(row[2]), str(row[4]), str(row[6]))
                continue
            plain = _bare_record(s)
            if plain is not None and (row := fill(plain[0], plain[1], s)) is not None:
                out += row
                continue
            out.append(reference(s))
        self.shapes.hits += hits
        return "".join(out)  # type: ignore[arg-type]  # every None was given a value

    def _csv_text(self, rows: list[list[Any]], *, defuse: bool = True) -> str:
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\r\n")
        # bundle._csv's defusing: csv_cell on each cell only of a row that may hold a formula
        # (an answered attempt's row has some 200 cells)
        writer.writerows(self._defused(rows) if defuse else rows)
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
        present = _detail_values(detail, values)
        if present is None:
            return None
        shape: Hashable = (bool(initials), made, outcome, *present)
    else:
        shape = (bool(initials), made, outcome)
    joined = SEPARATOR + SEPARATOR.join(values)  # all_plain(values), inline: it is the hot path
    if (
        PLAIN_CHARACTERS(joined) is None
        or BAD_START in joined
        or joined.count(SEPARATOR) != len(values)
    ):
        return None
    return shape, values


def _detail_values(detail: Mapping[str, Any], values: list[str]) -> tuple[bool, ...] | None:
    """Which of the outcome detail's values are there (each appended to `values`, in the order
    both files write them); None when one is not a string."""
    present = []
    for key in ("randomization_number", "date", "note"):
        value = detail.get(key)
        if value is not None:
            if type(value) is not str:
                return None
            values.append(value)
        present.append(value is not None)
    return tuple(present)


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
        if type(listed) is not list:
            return None
        for criterion in listed:
            if type(criterion) is not str:
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


# Where audit_rows reads an event's fields in a row of AUDIT_COLUMNS' values.
(_AT_SEQ, _AT_UTC, _AT_USERNAME, _AT_ACTION, _AT_ENTITY, _AT_ENTITY_ID, _AT_FIELD, _AT_REASON,
 _AT_HASH) = (AUDIT_COLUMNS.index(c) for c in ("seq", "at_utc", "username", "action", "entity",
                                               "entity_id", "field", "reason", "hash"))  # fmt: skip
# An answer's AuditRecord in OdmWriter._reference's text: StudyEventData (depth 3), FormData,
# ItemGroupData, ItemData, AuditRecord; a stand-in element's tag while the attempt is built.
_RECORD_DEPTH = 7
_RECORD_PAD = "\n" + "  " * _RECORD_DEPTH
_STAND_IN = "EligoAnswerRecordStandIn"


def _audit_dict(row: Sequence[Any]) -> dict[str, Any]:
    """An audit row of AUDIT_COLUMNS' values as the dict the reference's AuditRecord reads."""
    return dict(zip(AUDIT_COLUMNS, row, strict=True))


_NO_SPACE_CHARACTERS = re.compile(f"[A-Za-z0-9_.:/{SEPARATOR}-]*").fullmatch


def _plain_event(row: Mapping[str, Any]) -> tuple[Hashable, list[str]] | None:
    """(shape, values in the order AuditRecord writes them) of an audit event whose values are
    plain (see OdmWriter._audit_text); None for any other."""
    return _plain_fields(row["seq"], row["at_utc"], row["action"], row["entity_id"], row["field"],
                         row["hash"], row["username"], row.get("reason"))  # fmt: skip


def _plain_fields(
    seq: Any, at_utc: Any, action: Any, entity_id: Any, field: Any, digest: Any, username: Any,
    reason: Any,
) -> tuple[Hashable, list[str]] | None:  # fmt: skip
    """_plain_event of an event's fields (OdmWriter.audit_rows reads them from a row by
    position)."""
    if type(seq) is int:
        seq = str(seq)
    values = (
        [seq, at_utc, seq, action, entity_id, field, digest]
        if field
        else [seq, at_utc, seq, action, entity_id, digest]
    )
    try:  # join() takes text only: one check in C that every value is text (the store's are)
        joined = SEPARATOR + SEPARATOR.join(values)
    except TypeError:  # an integer is written as its text; any other value is not plain
        for at, value in enumerate(values):
            if type(value) is not str:
                if type(value) is not int:
                    return None
                values[at] = str(value)
        joined = SEPARATOR + SEPARATOR.join(values)
    username = username or ""
    if (
        type(username) is not str
        or _NO_SPACE_CHARACTERS(joined) is None
        or joined.count(SEPARATOR) != len(values)
        or "" in values
    ):
        return None
    if reason:
        if type(reason) is not str or not all_plain([reason]):
            return None
        values.insert(2, reason)
    return (username, bool(reason), bool(field)), values


class OdmWriter:
    """odm.xml in pieces: `head() + subjects(piece 1) + subjects(piece 2) + ... + tail()`,
    UTF-8 encoded, is what odm.odm_xml gives for the same arguments and all the screenings.

    The screenings come in the order of screenings.json, each candidate's attempts one after
    the other (odm_xml puts a candidate's attempts together in its one SubjectData; here an
    attempt of a candidate whose SubjectData is closed raises ValueError). A piece may end in
    the middle of a candidate's attempts: its SubjectData is closed by the piece that holds the
    next candidate, or by tail()."""

    def __init__(
        self, protocol: LoadedProtocol, site: Mapping[str, str],
        audit: Iterable[Mapping[str, Any]], users: Mapping[str, str], created_at: str,
        missing_codes: Mapping[str, str] | None = None, annotations: Annotations | None = None,
    ) -> None:  # fmt: skip
        self._doc = odm.document(
            protocol, site, audit, users, created_at, missing_codes, annotations
        )
        self.shapes = Shapes(self._template)
        self.audit_shapes = Shapes(self._audit_template)
        self.record_shapes = Shapes(self._record_template)  # answers' records, inline
        self._signatures: list[dict[str, Any]] = []
        self._kept = 0  # the signatures before this one hold only what Signatures writes
        self._open: str | None = None  # the candidate whose SubjectData is open
        self._closed: set[str] = set()
        # A Bare attempt's text before and after its attempt number, by outcome (its template's).
        self._bare_texts: dict[str | None, tuple[str, str]] = {}
        # The text around a SubjectData's attempts (from the reference, with a marker inside).
        clinical, number = ET.Element("ClinicalData"), TEXT_SENTINEL.format("S")
        opening, self._subject_close = self._around(
            odm.subject_data(clinical, number, self._doc.location), 2
        )
        template = make_template(opening, [number])
        self._subject_open = None if template is None else (str(template[0]), str(template[2]))
        self._records_around = self._around(ET.Element("AuditRecords"), 2)
        self._records_open = False

    def head(self) -> str:
        """The declaration, the study's metadata and AdminData, and ClinicalData's opening tag."""
        return odm.XML_DECLARATION + self._around(self._doc.root, 0, self._doc.clinical)[0]

    def subjects(self, screenings: Sequence[Mapping[str, Any] | Bare]) -> str:
        """The SubjectData of these attempts (see the class for where a piece may end; a Bare
        attempt as its document)."""
        out: list[str | None] = []
        fill = self.shapes.fill
        annotations, closed, opening = self._doc.annotations, self._closed, self._subject_open
        plain: tuple[Hashable, list[str]] | None
        close, texts, hits = self._subject_close, self._bare_texts, 0
        for s in screenings:
            if isinstance(s, tuple):  # Bare: its values proven plain by the one pass
                number, attempt = s[0], str(s[1])
                if number != self._open:
                    if opening is not None and self._open is not None and number not in closed:
                        # _subject(number, plain=True), inline: the hot path
                        closed.add(self._open)
                        self._open = number
                        out += (close, opening[0], number, opening[1])
                    else:
                        out.append(self._subject(number, plain=True))
                if annotations and f"{number}/{attempt}" in annotations:
                    out.append(self._reference(number, bare_document(s)))
                    continue
                around = texts.get(s[5])
                if around is not None:  # the hot path: fill()'s copy of the template, in one step
                    out += (around[0], attempt, around[1])
                    hits += 1
                    continue
                row = fill((None, None, False, s[5]), (attempt,), s, bare_document)
                if row is None:
                    out.append(self._reference(number, bare_document(s)))
                else:
                    out += row
                    if len(row) == 3:  # its text around the attempt, for the hot path
                        texts[s[5]] = (str(row[0]), str(row[2]))
                continue
            number = str(s["screening_number"])
            if number != self._open:
                out.append(self._subject(number))
            plain = self._bare(number, s)
            if plain is not None and (row := fill(plain[0], plain[1], s)) is not None:
                out += row
                continue
            out.append(self._reference(number, s))
        self.shapes.hits += hits
        return "".join(out)  # type: ignore[arg-type]  # every None was given a value

    def tail(self) -> str:
        """The last SubjectData's end, AuditRecords, Signatures, the closing tags: audit_start(),
        audit_records() of the audit rows given to the constructor, audit_end()."""
        return (
            self.audit_start() + self.audit_records(self._doc.screening_events) + self.audit_end()
        )

    # The one pass gives the writer no audit rows (it would hold every event of the store): the
    # newest answer events of each piece of attempts before its subjects() (answer_events), and
    # the audit trail in pieces after the last (audit_start, audit_records per piece, audit_end).

    def answer_events(self, latest: Mapping[tuple[str, str], Mapping[str, Any]]) -> None:
        """The newest answer_saved event of each answer of the attempts of the next subjects()
        call, keyed as odm.document's `latest` (by 'NUMBER/attempt' and question)."""
        self._doc.latest = dict(latest)

    def audit_start(self) -> str:
        """The last SubjectData's end; AuditRecords follow (audit_records, then audit_end)."""
        self._records_open = False
        return self._close()

    def audit_records(self, rows: Iterable[Mapping[str, Any]]) -> str:
        """The AuditRecord of each of these audit rows (dicts by audit column, in seq order) that
        is a screening's event, as odm.document chooses them; AuditRecords' opening tag before the
        first (the element is written empty when no event is a screening's)."""
        out: list[str] = []
        text = self._audit_text
        for row in rows:
            if row["entity"] in odm.SCREENING_ENTITIES:
                if not self._records_open:
                    out.append(self._records_around[0])
                    self._records_open = True
                out.append(text(row))
        return "".join(out)

    def audit_rows(self, rows: Iterable[Sequence[Any]]) -> str:
        """audit_records of rows of AUDIT_COLUMNS' values (as store.signed_records.audit_pieces
        gives them), without a dict of each: an event's text from its shape's template when it
        has one, read from the row by position; a dict only for any other."""
        out: list[str] = []
        text, entities, fill = self._audit_text, odm.SCREENING_ENTITIES, self.audit_shapes.fill
        for row in rows:
            if row[_AT_ENTITY] not in entities:
                continue
            if not self._records_open:
                out.append(self._records_around[0])
                self._records_open = True
            plain = _plain_fields(row[_AT_SEQ], row[_AT_UTC], row[_AT_ACTION], row[_AT_ENTITY_ID],
                                  row[_AT_FIELD], row[_AT_HASH], row[_AT_USERNAME], row[_AT_REASON])  # fmt: skip
            if plain is not None and (filled := fill(plain[0], plain[1], row, _audit_dict)):
                out += filled  # type: ignore[arg-type]  # every None was given a value
                continue
            out.append(text(_audit_dict(row)))
        return "".join(out)

    def audit_end(self) -> str:
        """AuditRecords' end, Signatures, the closing tags."""
        out: list[str] = []
        if self._records_open:
            out.append(self._records_around[1])
        else:
            odm._serialize(ET.Element("AuditRecords"), 2, out)
        clinical = ET.Element("ClinicalData")
        odm.signature_list(self._doc, clinical, self._signatures)
        odm._serialize(clinical[0], 2, out)
        _, after_clinical = self._around(self._doc.root, 0, self._doc.clinical)
        return "".join([*out, after_clinical, "\n"])

    def _audit_text(self, row: Mapping[str, Any]) -> str:
        """One AuditRecord of AuditRecords. From a template per username and the reason and
        field being there or not, when every value is plain without a space (the SourceID's
        double spaces are made single: the template knows where an empty field makes one) and
        the reason is plain."""
        plain = _plain_event(row)
        if (
            plain is not None
            and (text := self.audit_shapes.fill(plain[0], plain[1], row)) is not None
        ):
            return "".join(text)  # type: ignore[arg-type]  # every None was given a value
        out: list[str] = []
        odm._serialize(odm.audit_record(None, row, self._doc.location), 3, out)
        return "".join(out)

    def _audit_template(self, row: Mapping[str, Any]) -> Template | None:
        marks = Marks()
        seq, at_utc = marks.text(), marks.text()
        copy = {**row, "seq": seq, "at_utc": at_utc}
        if row.get("reason"):
            copy["reason"] = marks.text()
        marks.texts.append(seq)  # the seq again, in the SourceID
        copy.update(action=marks.text(), entity_id=marks.text())
        if row["field"]:
            copy["field"] = marks.text()
        copy["hash"] = marks.text()
        out: list[str] = []
        odm._serialize(odm.audit_record(None, copy, self._doc.location), 3, out)
        return make_template("".join(out), marks.texts)

    def _around(
        self, element: ET.Element, depth: int, inside: ET.Element | None = None
    ) -> tuple[str, str]:
        """The text of `element` before and after the children `inside` (itself by default)
        would have, as odm._serialize writes it: a marker child stands in for them."""
        parent = element if inside is None else inside
        marker = ET.SubElement(parent, "Marker")
        out: list[str] = []
        odm._serialize(element, depth, out)
        parent.remove(marker)
        cut = out.index("\n" + "  " * (depth + 1 + (inside is not None)) + "<Marker/>")
        return "".join(out[:cut]), "".join(out[cut + 1 :])

    def _close(self) -> str:
        if self._open is None:
            return ""
        self._closed.add(self._open)
        self._open = None
        return self._subject_close

    def _subject(self, number: str, *, plain: bool = False) -> str:
        """Close the open SubjectData, open the next candidate's (`plain`: its number is known
        to be plain, as a Bare attempt's is)."""
        if number in self._closed:
            raise ValueError(
                f"the attempts of candidate {number} are not together: odm.xml holds each "
                "candidate's attempts in one SubjectData"
            )
        closed = self._close()
        self._open = number
        if self._subject_open is not None and (plain or all_plain([number])):
            before, after = self._subject_open
            return closed + before + number + after
        subject = odm.subject_data(ET.Element("ClinicalData"), number, self._doc.location)
        return closed + self._around(subject, 2)[0]

    def _reference(self, number: str, s: Mapping[str, Any]) -> str:
        """The StudyEventData of attempt `s`, by odm.study_event, but for its answers' audit
        records: each is a stand-in element there (most of an answered attempt's elements would
        be theirs), its text written here as AuditRecords' are (_record_text). Of each signature's
        payload only what Signatures writes is kept for it (odm.signature_fields): the whole
        payloads of 100,000 signed attempts would be gigabytes held to the end of the export."""
        written = self._reference_text(number, s)
        self._signatures[self._kept :] = map(odm.signature_fields, self._signatures[self._kept :])
        self._kept = len(self._signatures)
        return written

    def _reference_text(self, number: str, s: Mapping[str, Any]) -> str:
        subject = ET.Element("SubjectData")
        records: list[Mapping[str, Any]] = []

        def stand_in(row: Mapping[str, Any], location: str) -> ET.Element:
            records.append(row)
            return ET.Element(f"{_STAND_IN}{len(records)}")

        signatures = len(self._signatures)
        odm.study_event(self._doc, subject, number, s, self._signatures, stand_in)
        out: list[str] = []
        odm._serialize(subject[0], 3, out)
        if not records:
            return "".join(out)
        # Each stand-in is one line of `out`, at the depth odm.study_event puts an answer's
        # record: its text there (should it be elsewhere, the attempt is made again as it was).
        texts = {
            f"{_RECORD_PAD}<{_STAND_IN}{at}/>": self._record_text(row)
            for at, row in enumerate(records, 1)
        }
        written = [texts.pop(line, line) for line in out]
        if texts:
            del self._signatures[signatures:]
            subject = ET.Element("SubjectData")
            odm.study_event(self._doc, subject, number, s, self._signatures)
            written = []
            odm._serialize(subject[0], 3, written)
        return "".join(written)

    def _record_text(self, row: Mapping[str, Any]) -> str:
        """An answer's AuditRecord (inside its ItemData), as odm._serialize writes
        odm._audit_record's element there: from a template when its values are plain (see
        _audit_text)."""
        plain = _plain_event(row)
        if (
            plain is not None
            and (text := self.record_shapes.fill(plain[0], plain[1][1:], row)) is not None
        ):
            return "".join(text)  # type: ignore[arg-type]  # every None was given a value
        out: list[str] = []
        odm._serialize(odm._audit_record(None, row, self._doc.location), _RECORD_DEPTH, out)
        return "".join(out)

    def _record_template(self, row: Mapping[str, Any]) -> Template | None:
        marks = Marks()
        copy = {**row, "at_utc": marks.text()}  # no ID: the seq is in the SourceID only
        if row.get("reason"):
            copy["reason"] = marks.text()
        copy.update(seq=marks.text(), action=marks.text(), entity_id=marks.text())
        if row["field"]:
            copy["field"] = marks.text()
        copy["hash"] = marks.text()
        out: list[str] = []
        odm._serialize(odm._audit_record(None, copy, self._doc.location), _RECORD_DEPTH, out)
        return make_template("".join(out), marks.texts)

    def _bare(self, number: str, s: Mapping[str, Any]) -> tuple[Hashable, list[str]] | None:
        """(shape, plain values in the order odm.xml writes them) of a bare attempt; None for
        any other. The shape holds all that odm.study_event reads but the values: the codes
        (determination, outcome, failing criteria) are in it as they are, the template made
        with them; the attempt, the total and the outcome's details are values."""
        if s["answers"] or s["signatures"] or s.get("missing_data"):
            return None
        attempt, checked = s["attempt"], True  # an integer's digits need no check
        if type(attempt) is not str:
            if type(attempt) is not int:
                return None
            attempt, checked = str(attempt), False
        if self._doc.annotations and f"{number}/{attempt}" in self._doc.annotations:
            return None
        values = [attempt]
        determination, outcome = s.get("determination"), s.get("outcome")
        verdict = failing = total = None
        if determination:
            if type(determination) is not dict:
                return None
            verdict, scores = determination.get("determination"), determination.get("acr_eular")
            listed = determination.get("failing", [])
            if type(listed) is not list or (verdict is not None and type(verdict) is not str):
                return None
            for criterion in listed:
                if type(criterion) is not str:
                    return None
            failing = tuple(listed)
            if scores:
                if type(scores) is not dict:
                    return None
                total = scores.get("total")
                if total is not None:
                    if type(total) is not int:
                        return None
                    values.append(str(total))
        if outcome is not None and type(outcome) is not str:
            return None
        shape: tuple[Any, ...] = (verdict, failing, total is not None, outcome)
        detail = s.get("outcome_detail")
        if detail:
            if type(detail) is not dict:
                return None
            present = _detail_values(detail, values)
            if present is None:
                return None
            checked = checked or any(present)
            shape += present
        if checked and not all_plain(values):
            return None
        return shape, values

    def _template(self, s: Mapping[str, Any]) -> Template | None:
        """The text of bare attempt `s` with a sentinel for each of its values (see _bare)."""
        marks = Marks()
        determination = dict(s.get("determination") or {})
        detail = dict(s.get("outcome_detail") or {})
        copy = {**s, "attempt": marks.text()}
        if (determination.get("acr_eular") or {}).get("total") is not None:
            determination["acr_eular"] = {**determination["acr_eular"], "total": marks.text()}
        for key in ("randomization_number", "date", "note"):
            if detail.get(key) is not None:
                detail[key] = marks.text()
        copy.update(determination=determination, outcome_detail=detail)
        return make_template(self._reference(TEXT_SENTINEL.format("N"), copy), marks.texts)
