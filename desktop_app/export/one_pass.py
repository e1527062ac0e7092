"""The bundle's files in one pass over the screenings (issue #21).

One query reads every screening attempt with its candidate and coordinator; their nested data
(answers, determinations, signatures, acknowledged warnings) is read set-wise beforehand
(store.signed_records.nested_data). The attempts are walked once, in pieces of about PIECE
attempts (never splitting a candidate's attempts), and each piece becomes a piece of every large
file at once: screening_log.csv, screenings.json, fhir_bundle.json (fhir.FhirWriter) and
signature_index.json here, redcap/records.csv and odm.xml by export/streams.py's RecordsWriter and
OdmWriter; the CONSORT counts are taken in the same walk.

An attempt without nested data (nothing answered, determined, signed or acknowledged, no outcome
detail) whose plain values need no escaping in any of the formats is written from a template (the
template lines of a piece checked at once; when that finds one that may need it, each is checked and
one that does is written again by the per-row code); any other attempt by the per-row code the
reference builders use. The
reference builders (bundle.bundle_files_reference: exported_log_rows, exported_screenings,
fhir_bundle, redcap_tables, odm_xml, consort_counts) stay, and the tests compare the files of
both byte for byte on adversarial text.

The audit trail is read after the walk from one cursor, in pieces of audit_stream.PIECE events,
each a piece of audit_trail.csv, audit_chain.jsonl and odm.xml's AuditRecords
(export/audit_stream.py); the walk reads of it only each piece's answers' newest events. No part
of the pass holds every audit event. The whole pass reads one snapshot of the store.

The pieces go to a Sink: Collected keeps the bytes; Packer compresses (deflate level 1), CRCs
and hashes (SHA-256) each piece on one worker thread while the next piece is built, so that the
Python that builds text and the C that compresses it run on two cores.
"""

from __future__ import annotations

import csv
import dataclasses
import gc
import hashlib
import io
import math
import queue
import re
import tempfile
import threading
import zlib
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any, Protocol

from desktop_app.export import audit_stream
from desktop_app.export.annotations import CSV_HEADER as ANNOTATIONS_HEADER
from desktop_app.export.annotations import JSON_MEMBER as ANNOTATIONS_JSON
from desktop_app.export.annotations import csv_rows as annotation_rows
from desktop_app.export.applicable import once_per_document, split
from desktop_app.export.fhir import FhirWriter
from desktop_app.export.readable import log_header, log_row
from desktop_app.export.redcap import DICTIONARY_COLUMNS, data_dictionary, other_medication_slots
from desktop_app.export.streams import OdmWriter, RecordsWriter
from desktop_app.export.templates import PLAIN_CHARACTERS, Bare, data_json
from desktop_app.rules import LoadedProtocol
from desktop_app.rules.dates import age_on
from desktop_app.rules.language import Language
from desktop_app.store import Store, get_site, list_users
from desktop_app.store.annotations import exported_annotations
from desktop_app.store.attachments import exported_attachments
from desktop_app.store.carried_annotations import bundled_annotations
from desktop_app.store.chain import ChainReport
from desktop_app.store.chain import verify as verify_chain
from desktop_app.store.reports import LOG_ANSWERS, consort_of, exported_log_row
from desktop_app.store.signed_records import (
    SCREENING_COLUMNS,
    NestedData,
    nested_data,
    read_snapshot,
    screening_document,
)

PIECE = 20_000  # attempts per piece (a candidate's attempts are never split)
# Deflate level: level 6 (zipfile's default) took 2.8 times the CPU for a bundle 14% smaller
# (100,000 screenings: 1.2 s against 0.4 s, 6.6 MB against 7.7 MB, of 139 MB).
LEVEL = 1

# The attempts in the order of every file, with what every file reads of them.
_QUERY = (
    f"SELECT {SCREENING_COLUMNS}, c.sex, c.date_of_birth, s.consent_date, s.screening_date, "
    "s.determination, s.failing, co.full_name "
    "FROM screenings s JOIN candidates c ON c.id = s.candidate_id "
    "LEFT JOIN users co ON co.id = s.coordinator_id ORDER BY c.seq, s.attempt"
)
# Plain values: none holds a character that CSV quotes or defuses, JSON escapes or XML escapes (a
# quote, an apostrophe, a backslash, '<&>', '=', '@' or a control character; commas are counted
# apart) and none starts with '+' or '-' (a formula start): they go into the templates as they
# are. (A lone surrogate is refused by the UTF-8 encoding of either path alike.) The log's line
# holds every value of free text: its characters are searched, not the values' shapes matched,
# and a piece's lines at once (_lines_need_escaping) before any alone (_needs_escaping).
_ESCAPED = re.compile(r"[\x00-\x1f\"\\<>&'=@\x7f]")
_ELIGIBLE = {"eligible": "Y", "ineligible": "N"}
_UNSEEN = object()
_LOG_COMMAS = 17  # between the log's 18 columns


def _needs_escaping(line: str) -> bool:
    """Whether a line of the log's template holds a value that a format escapes, quotes or
    defuses: a comma inside a value, a value starting with "+" or "-", or a character of
    _ESCAPED."""
    return (
        line.count(",") != _LOG_COMMAS
        or ",+" in line
        or ",-" in line
        or line.startswith(("+", "-"))
        or _ESCAPED.search(line) is not None
    )


# The UTF-8 bytes of _ESCAPED's characters and "+"; _lines_need_escaping drops every other byte.
_FLAGGED = bytes(range(0x20)) + b"\"\\<>&'=@\x7f+"
_UNFLAGGED = bytes(b for b in range(256) if b not in _FLAGGED)


def _lines_need_escaping(lines: list[str]) -> bool:
    """Whether a piece's template lines may need escaping: True when _needs_escaping finds one
    of them does, and also for a "+" anywhere (line by line then decides). Joined by the comma
    that separates their cells, each line after the first starts after a comma, as its values
    do, and holds one comma more than a line; the characters are searched as bytes (a regex
    over every character took a sixth of a bare attempt's export)."""
    joined = ",".join(lines)
    return (
        joined.count(",") != (_LOG_COMMAS + 1) * len(lines) - 1
        or ",-" in joined
        or joined.startswith("-")
        # A lone surrogate is kept for the file's UTF-8 encoding to refuse, as the reference's.
        or bool(joined.encode("utf-8", "surrogatepass").translate(None, _UNFLAGGED))
    )


# The files built after the walk and the audit's pieces, each a step of the progress
# (bundle.Steps), and the steps before it (the chain's check, the nested data).
AFTER_WALK = 5
BEFORE_WALK = 2


def pieces(screenings: int) -> int:
    """The progress steps of the walk over that many attempts (at most one per piece)."""
    return max(1, math.ceil(screenings / PIECE))


def step_count(screenings: int, events: int = 0) -> int:
    """Every step the pass takes over that many attempts and audit events."""
    return BEFORE_WALK + pieces(screenings) + audit_stream.pieces(events) + AFTER_WALK


class Sink(Protocol):
    def add(self, name: str, data: str | bytes) -> None:
        """The next piece of file `name` (text is written as UTF-8)."""


@dataclass(frozen=True)
class Written:
    screenings: int  # attempts in screenings.json
    head: str  # the exported audit chain's head
    events: int  # its events


def write_files(
    store: Store,
    protocol: LoadedProtocol,
    sink: Sink,
    language: Language = "en",
    step: Callable[[], None] = lambda: None,
    chain: ChainReport | None = None,
) -> Written:
    """Every file of a bundle but the manifest, its signature and the signer's key, piece by
    piece into `sink`; `chain` the store's chain report when the caller has just made it (the
    chain is verified once per export), in the read snapshot the caller holds around both
    (store.signed_records.read_snapshot; without one, the audit events written are still those
    checked, 1 to chain.events). `step` is called step_count() times (it may cancel).

    Every read of the pass is in one read snapshot: the audit events written are the ones the
    check verified and the screenings are of the same moment, whatever another connection
    commits meanwhile."""
    with _no_cycle_collection(), read_snapshot(store):
        return _write_files(store, protocol, sink, language, step, chain)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The pass makes millions of short-lived dicts, lists and strings and hardly a cycle;
    the cycle collector, run every 700 allocations and, as they pile up, over every object alive,
    took a fifth of its time (100,000 screenings). Off for the pass, back as it was after."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _write_files(
    store: Store, protocol: LoadedProtocol, sink: Sink, language: Language,
    step: Callable[[], None], chain: ChainReport | None,
) -> Written:  # fmt: skip
    from desktop_app.export import bundle  # which imports this module

    report = chain if chain is not None else verify_chain(store.db)
    step()
    if not report.ok:
        raise bundle.BundleNotWrittenError(
            f"no bundle was written: the store's audit chain does not verify ({report.problem}); "
            "run `db check` and restore the newest good backup"
        )
    total = store.db.execute("SELECT count(*) FROM screenings").fetchone()[0]
    nested = nested_data(store)
    answered: dict[int, dict[str, str]] = {}
    for sid, question, value in store.db.execute(
        f"SELECT screening_id, question_id, value FROM answers WHERE question_id IN "
        f"({', '.join('?' * len(LOG_ANSWERS))})",
        list(LOG_ANSWERS),
    ):
        answered.setdefault(sid, {})[question] = value
    site = get_site(store)
    notes_and_queries = exported_annotations(store)
    step()

    _csv, json_bytes = bundle._csv, bundle.json_bytes
    applicable = once_per_document(protocol.protocol)
    # records.csv's columns: as many other-medication slots as any attempt's applicable answers
    # list (only attempts with answers can list any).
    slots = other_medication_slots({"answers": applicable(a)} for a in nested.answers.values())
    records = RecordsWriter(protocol, slots)
    fhir = FhirWriter(protocol, site.code if site else "")
    odm = OdmWriter(
        protocol,
        {"code": site.code, "name": site.name} if site else {},
        (),  # no audit rows: given per piece (export/audit_stream.py)
        {u.username: u.full_name for u in list_users(store)},
        store.stamp().at_utc,
        annotations=notes_and_queries,
    )
    walk = _Walk(store, protocol, language, nested, answered, applicable, fhir, sink)
    sink.add("screening_log.csv", _csv(log_header(language), []))
    sink.add("redcap/records.csv", records.header)
    sink.add("odm.xml", odm.head())
    sink.add("screenings.json", "[")
    sink.add("fhir_bundle.json", fhir.head)
    sink.add("signature_index.json", "[")
    steps = 0
    for piece, signed in walk.pieces():
        sink.add("redcap/records.csv", records.rows(piece))
        audit_stream.answer_events(store, odm, piece, report)
        sink.add("odm.xml", odm.subjects(piece))
        if signed:
            sink.add("signature_index.json", walk.separated(
                ",".join(data_json(entry) for entry in bundle.signature_index(signed)), "signature_index.json"
            ))  # fmt: skip
        if steps < pieces(total):
            steps += 1
            step()
    for _ in range(steps, pieces(total)):
        step()  # fewer pieces than attempts/PIECE (whole candidates): the progress still ends
    sink.add("screenings.json", "]")
    sink.add("fhir_bundle.json", fhir.tail)
    sink.add("signature_index.json", "]")
    sink.add("odm.xml", odm.audit_start())
    head = audit_stream.write_audit(store, sink, odm, report, step)
    sink.add("odm.xml", odm.audit_end())
    dictionary = (
        DICTIONARY_COLUMNS,
        [f.row() for f in data_dictionary(protocol.protocol, slots).fields],
    )
    after: dict[str, Callable[[], bytes]] = {
        "consort.json": lambda: json_bytes(dataclasses.asdict(consort_of(walk.latest))),
        # Each attachment's kind, title and SHA-256, never its content (store/attachments.py).
        "attachments.json": lambda: json_bytes(exported_attachments(store)),
        "redcap/data_dictionary.csv": lambda: _csv(*dictionary, bom=False),
        "annotations.csv": lambda: _csv(ANNOTATIONS_HEADER, annotation_rows(notes_and_queries)),
        # Every note version, query step and audit trail review, with printed names (the centre
        # prints them; store/carried_annotations.py).
        ANNOTATIONS_JSON: lambda: json_bytes(bundled_annotations(store)),
    }
    assert len(after) == AFTER_WALK
    for name, build in after.items():
        sink.add(name, build())
        step()
    return Written(walk.count, head, report.events)


class _Walk:
    """The one walk over the attempts: each piece's documents (as screenings.json holds them,
    answers split by applicability) for the files built from documents, and its text of
    screening_log.csv and screenings.json written on the way."""

    def __init__(
        self, store: Store, protocol: LoadedProtocol, language: Language, nested: NestedData,
        answered: dict[int, dict[str, str]], applicable: Callable[[Mapping[str, Any]], dict[str, Any]],
        fhir: FhirWriter, sink: Sink,
    ) -> None:  # fmt: skip
        self.store, self.protocol, self.language = store, protocol, language
        self.nested, self.answered, self.fhir, self.sink = nested, answered, fhir, sink
        self.applicable = applicable
        self.count = 0
        self.latest: list[tuple[str | None, str, str | None]] = []  # for the CONSORT counts
        self._signed: list[dict[str, Any]] = []  # the current piece's attempts with signatures
        self._started: set[str] = set()
        self._with_nested = nested.ids | set(answered)
        # Each protocol's part of the documents (shared: read, never changed), whether its values
        # are plain, and its JSON when they are; a store holds one or a few.
        self._protocols: dict[tuple[str, str, str], tuple[dict[str, str], bool, str]] = {}
        # The per-row code's line of screening_log.csv, written by the csv module here first.
        self._line = io.StringIO()
        self._line_writer = csv.writer(self._line, lineterminator="\r\n")

    def separated(self, text: str, name: str) -> str:
        """`text` with the comma that separates it from the file's previous piece."""
        if name in self._started:
            return "," + text
        self._started.add(name)
        return text

    def pieces(self) -> Iterator[tuple[list[dict[str, Any] | Bare], list[dict[str, Any]]]]:
        """Each piece's attempts (a bare one whose number and initials are plain as a Bare
        tuple, which the writers take without a check or a dict of their own, any other as its
        document) and, in their order, those with signatures."""
        for rows in self._rows():
            yield self._flush(*self._build(rows))

    def _rows(self) -> Iterator[list[tuple[Any, ...]]]:
        """The attempts' rows in pieces of about PIECE, never splitting a candidate's attempts;
        each candidate's latest attempt counted for CONSORT on the way."""
        rows: list[tuple[Any, ...]] = []
        candidate = last = None
        latest = self.latest
        for row in self.store.db.execute(_QUERY):
            if row[1] != candidate:  # a candidate's first attempt (the numbers are unique)
                if last is not None:
                    latest.append((last[14], last[15], last[8]))
                if len(rows) >= PIECE:
                    yield rows
                    rows = []
                candidate = row[1]
            last = row
            rows.append(row)
        if last is not None:
            latest.append((last[14], last[15], last[8]))
        if rows:
            yield rows

    def _build(
        self, rows: list[tuple[Any, ...]]
    ) -> tuple[list[dict[str, Any] | Bare], list[str], list[str]]:
        """One piece's attempts, its lines of screening_log.csv and its documents, an entry of
        each for each row; an attempt without nested data from the templates when its values
        need no escaping in any of the formats. The template lines are checked together once the
        piece is built (a check of each line was a third of the walk); when that finds one that
        may need escaping, each is checked, and one that does is written again by the per-row
        code in its place."""
        with_nested = self._with_nested
        plain = PLAIN_CHARACTERS
        piece: list[dict[str, Any] | Bare] = []
        log: list[str] = []
        documents: list[str] = []
        templated: list[str] = []  # the lines from the template, and where each is
        at: list[int] = []
        protocols = self._protocols
        seen: tuple[Any, ...] = (_UNSEEN, _UNSEEN, _UNSEEN)  # the row before's protocol
        named: tuple[dict[str, str], bool, str] = ({}, False, "")  # set by the first row
        for row in rows:
            (sid, number, attempt, initials, status, protocol_id, protocol_version, protocol_sha256,
             outcome, detail, sex, born, consent, screened, determination, _failing,
             coordinator) = row  # fmt: skip
            if protocol_sha256 != seen[2] or protocol_id != seen[0] or protocol_version != seen[1]:
                seen = (protocol_id, protocol_version, protocol_sha256)  # mostly the row before's
                found = protocols.get(seen)
                if found is None:
                    named_protocol = {
                        "id": protocol_id,
                        "version": protocol_version,
                        "sha256": protocol_sha256,
                    }
                    plain_protocol = all(
                        isinstance(v, str) and not _ESCAPED.search(v) for v in seen
                    )
                    found = protocols[seen] = (
                        named_protocol, plain_protocol,
                        data_json(named_protocol) if plain_protocol else "",
                    )  # fmt: skip
                named = found
            if named[1] and sid not in with_nested and detail == "{}" and type(attempt) is int:
                # Nothing nested: the templates, when the plain values need no escaping in any of
                # the formats (the same bytes as the per-row code below, which the tests check).
                # The log's line holds every value of free text (status, determination, sex and
                # outcome are the schema's codes): checked with the piece's other lines after the
                # loop (_lines_need_escaping), and alone when that finds any (_needs_escaping).
                age = (
                    str(age_on(date.fromisoformat(born), date.fromisoformat(consent)))
                    if born and consent
                    else ""
                )
                line = (
                    f"{number},{attempt},{initials},{sex or ''},{age},{consent},,{screened},"
                    f"{_ELIGIBLE.get(determination, '')},,{outcome or ''},,,{coordinator or ''},,,,"
                )
                at.append(len(log))
                templated.append(line)
                log.append(line + "\r\n")
                said = "null" if outcome is None else f'"{outcome}"'
                documents.append(
                    f'{{"acknowledged_warnings":{{}},"answers":{{}},"attempt":{attempt},'
                    f'"determination":null,"initials":"{initials}","outcome":{said},'
                    f'"outcome_detail":{{}},"protocol":{named[2]},"screening_number":'
                    f'"{number}","signatures":[],"status":"{status}"}}'
                )
                # Bare for the writers when number and initials are plain (templates.all_plain):
                # the line's checks leave only the characters to check (neither starts with "-",
                # neither holds the separator, a control character).
                if type(number) is str and type(initials) is str and plain(number + initials):
                    piece.append((number, attempt, initials, status, named[0], outcome))
                    continue
                piece.append({
                    "screening_number": number, "attempt": attempt, "initials": initials,
                    "status": status, "protocol": named[0],
                    "answers": {}, "determination": None, "outcome": outcome, "outcome_detail": {},
                    "acknowledged_warnings": {}, "signatures": [],
                })  # fmt: skip
                continue
            entry, text, document = self._per_row(row)
            piece.append(entry)
            log.append(text)
            documents.append(document)
        if templated and _lines_need_escaping(templated):
            for line, i in zip(templated, at, strict=True):
                if _needs_escaping(line):  # the per-row code's entries in the template's place
                    piece[i], log[i], documents[i] = self._per_row(rows[i])
        return piece, log, documents

    def _per_row(self, row: tuple[Any, ...]) -> tuple[dict[str, Any], str, str]:
        """An attempt with nested data or text to escape, by the reference builders' row code:
        its entry of the piece (its document), its line of the log and its document's JSON."""
        from desktop_app.export.bundle import _defused

        (sid, number, attempt, initials, status, protocol_id, protocol_version, protocol_sha256,
         outcome, detail, sex, born, consent, screened, determination, _failing,
         coordinator) = row  # fmt: skip
        nested = self.nested
        document = split(
            screening_document(nested, sid, number, attempt, initials, status, protocol_id,
                               protocol_version, protocol_sha256, outcome, detail),
            self.applicable,
        )  # fmt: skip
        typed = self.answered.get(sid, {})
        exported = exported_log_row(
            self.store, sid in nested.signatures, sid, number, attempt, initials, sex, born, consent,
            screened, determination, outcome, detail, coordinator, typed.get("consent_form_version"),
            typed.get("sex"), typed.get("date_of_birth"),
            nested.determinations.get(sid) if determination == "ineligible" else None,
        )  # fmt: skip
        self._line_writer.writerows(_defused([log_row(exported, self.protocol, self.language)]))
        line = self._line.getvalue()
        self._line.seek(0)
        self._line.truncate()
        if document["signatures"]:
            self._signed.append(document)
        return document, line, data_json(document)

    def _flush(
        self, piece: list[dict[str, Any] | Bare], log: list[str], documents: list[str]
    ) -> tuple[list[dict[str, Any] | Bare], list[dict[str, Any]]]:
        self.count += len(piece)
        self.sink.add("screening_log.csv", "".join(log))
        self.sink.add("fhir_bundle.json", self.fhir.entries(piece))
        self.sink.add("screenings.json", self.separated(",".join(documents), "screenings.json"))
        signed, self._signed = self._signed, []
        return piece, signed


# ---------------------------------------------------------------- sinks


class Collected:
    """A Sink that keeps every file's bytes (bundle_files, and the tests)."""

    def __init__(self) -> None:
        self.parts: dict[str, list[bytes]] = {}

    def add(self, name: str, data: str | bytes) -> None:
        self.parts.setdefault(name, []).append(
            data.encode("utf-8") if isinstance(data, str) else data
        )

    def files(self) -> dict[str, bytes]:
        return {name: b"".join(parts) for name, parts in self.parts.items()}


# Compressed data of a file beyond this many bytes goes to a temporary file in the bundle's folder
# (Packer's `spill`), so that the pass's memory does not grow with the bundle: at 45 audit
# events a screening the compressed audit parts alone are about 190 bytes an event (850 MB for
# a coordinating centre's 4.5 million events).
SPILL = 4 * 1024 * 1024
# Pieces waiting for the worker: beyond these the pass waits, so that a worker slower than the
# pass (another program on the other core) does not let the pieces pile up in memory.
QUEUED = 8


@dataclass
class Packed:
    """One file compressed as a zip member stores it (raw deflate), with what its local header
    and the manifest say of it; the compressed data in `chunks`, or in `spilled` (a temporary
    file) when the Packer was given a folder for it. close() lets go of the file."""

    name: str
    chunks: list[bytes] = field(default_factory=list)
    crc: int = 0
    size: int = 0
    compressed_size: int = 0
    sha256: str = ""
    spilled: IO[bytes] | None = None

    def data(self) -> Iterator[bytes]:
        """The compressed data, a block at a time."""
        if self.spilled is None:
            yield from self.chunks
            return
        self.spilled.seek(0)
        while block := self.spilled.read(1024 * 1024):
            yield block

    def close(self) -> None:
        if self.spilled is not None:
            self.spilled.close()


class _Packing:
    def __init__(self, name: str, spill: Path | None) -> None:
        self.packed = Packed(name)
        self.hash = hashlib.sha256()
        self.compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15)  # as zipfile deflates
        self._write: Callable[[bytes], object] = self.packed.chunks.append
        if spill is not None:
            # In memory up to SPILL bytes, then a file (unlinked at once where the system can).
            spilled: IO[bytes] = tempfile.SpooledTemporaryFile(SPILL, "w+b", dir=str(spill))  # noqa: SIM115
            self.packed.spilled, self._write = spilled, spilled.write

    def add(self, data: bytes) -> None:
        packed = self.packed
        packed.crc = zlib.crc32(data, packed.crc)
        packed.size += len(data)
        self.hash.update(data)
        compressed = self.compressor.compress(data)
        if compressed:
            packed.compressed_size += len(compressed)
            self._write(compressed)

    def close(self) -> Packed:
        packed = self.packed
        last = self.compressor.flush()
        packed.compressed_size += len(last)
        self._write(last)
        packed.sha256 = self.hash.hexdigest()
        return packed


class Packer:
    """A Sink that compresses, CRCs and hashes each piece on one worker thread as it comes
    (zlib and hashlib let go of the interpreter lock while they work on a piece). `finish()`
    gives every file Packed; `abandon()` stops the thread (a cancelled export). With `spill`, a
    folder, a file's compressed data beyond SPILL bytes is kept in a temporary file there (the
    caller closes each Packed once it is written), not in memory."""

    def __init__(self, spill: Path | None = None) -> None:
        self._queue: queue.Queue[tuple[str, str | bytes] | None] = queue.Queue(QUEUED)
        self._packing: dict[str, _Packing] = {}
        self._spill = spill
        self._error: BaseException | None = None
        self._abandoned = False
        self._thread = threading.Thread(target=self._run, name="eligo-bundle-packer", daemon=True)
        self._thread.start()

    def add(self, name: str, data: str | bytes) -> None:
        self._queue.put((name, data))

    def _run(self) -> None:
        try:
            while (item := self._queue.get()) is not None:
                if self._abandoned or self._error is not None:
                    continue
                name, data = item
                packing = self._packing.get(name)
                if packing is None:
                    packing = self._packing[name] = _Packing(name, self._spill)
                packing.add(data.encode("utf-8") if isinstance(data, str) else data)
        except BaseException as exc:  # given to the exporting thread by finish()
            self._error = exc
            while self._queue.get() is not None:
                pass

    def finish(self) -> dict[str, Packed]:
        self._queue.put(None)
        self._thread.join()
        if self._error is not None:
            self._close()
            raise self._error
        return {name: packing.close() for name, packing in self._packing.items()}

    def _close(self) -> None:
        for packing in self._packing.values():
            packing.packed.close()

    def abandon(self) -> None:
        self._abandoned = True
        self._queue.put(None)
        self._thread.join()
        self._close()
