"""The signed bundle's audit parts in pieces (issue #21): audit_trail.csv, audit_chain.jsonl and
odm.xml's audit records, written by the one pass from one cursor over the audit trail, PIECE
events at a time, so that a store of millions of events (about 45 a screening) is never held
whole: at most one piece of rows and their text, however many events the store holds.

The same bytes as the reference builders over every row of store.signed_records.audit_rows
(bundle.csv_reference, bundle.chain_lines, odm.odm_xml; the tests compare them on adversarial
text): a CSV row and a chain line depend on their event alone, and OdmWriter writes AuditRecords
piece by piece. The only part of the trail the walk over the attempts needs is each answer's
newest answer_saved event (odm.xml's inline AuditRecord): read per piece of attempts, for those
attempts only (answer_events)."""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from desktop_app.export import bundle, odm
from desktop_app.export.streams import OdmWriter
from desktop_app.export.templates import Bare
from desktop_app.store import Store
from desktop_app.store.chain import ChainReport
from desktop_app.store.signed_records import AUDIT_COLUMNS, audit_pieces, latest_answer_events

PIECE = 20_000  # audit events per piece
# bundle._defused sends a row cell by cell through csv_cell when a cell may start a formula; every
# event's UTC offset ("+08:00") starts with "+", which csv_cell leaves as it is (bundle._INERT),
# so every event took that path (14 csv_cell calls an event). Here a cell that is a UTC offset
# does not count; a row with a NUL inside a cell (which would hide where a cell starts) takes the
# cell-by-cell path. Searched in the cells each after a NUL: a pattern that starts with a literal
# is searched 2.3 times as fast as one that starts with (?:^|\x00).
_MAY_BE_FORMULA = re.compile(
    r"\x00(?![+-]\d{2}:\d{2}(?:\x00|\Z))[" + re.escape("".join(bundle._FORMULA_START)) + "]"
).search
TRAIL, CHAIN = "audit_trail.csv", "audit_chain.jsonl"


def pieces(events: int) -> int:
    """The progress steps of the audit's pieces (at most one per piece)."""
    return math.ceil(events / PIECE)


def answer_events(
    store: Store, writer: OdmWriter, attempts: Sequence[dict[str, Any] | Bare], checked: ChainReport
) -> None:
    """Give `writer` the newest answer event of each answer of these attempts (a piece of the
    walk), before their subjects(): a Bare attempt has no answers."""
    keys = {
        f"{s['screening_number']!s}/{s['attempt']}" for s in attempts if not isinstance(s, tuple)
    }
    writer.answer_events(latest_answer_events(store, keys, odm.SCREENING_ENTITIES, checked.events))


def write_audit(
    store: Store,
    sink: Any,  # one_pass.Sink (one_pass imports this module)
    writer: OdmWriter,
    checked: ChainReport,
    step: Callable[[], None],
) -> str:
    """audit_trail.csv and audit_chain.jsonl whole, and odm.xml's audit records (between the
    writer's audit_start() and audit_end()), into `sink`, piece by piece: the events `checked`
    verified (1 to checked.events). Gives the head of the chain written; raises
    bundle.BundleNotWrittenError when the events read are not those checked. `step` is called
    pieces(checked.events) times."""
    sink.add(TRAIL, bundle._csv(AUDIT_COLUMNS, []))  # the byte-order mark and the header
    sink.add(CHAIN, b"")  # the file, even without events
    lines = bundle.chain_lines
    events, head, steps = 0, checked.head, 0
    for rows in audit_pieces(store, PIECE, checked.events):
        text = io.StringIO()
        csv.writer(text, lineterminator="\r\n").writerows(_defused(rows))
        sink.add(TRAIL, text.getvalue())
        sink.add(CHAIN, lines(rows))
        records = writer.audit_rows(rows)
        if records:
            sink.add("odm.xml", records)
        events += len(rows)
        head = rows[-1][-1]
        if steps < pieces(checked.events):
            steps += 1
            step()
    for _ in range(steps, pieces(checked.events)):
        step()
    if events != checked.events or head != checked.head:
        raise bundle.BundleNotWrittenError(
            f"no bundle was written: the audit events read ({events}, head {head[:12]}) are not "
            f"those whose chain was checked ({checked.events}, head {checked.head[:12]}); "
            "export again, and if it says so again run `db check`"
        )
    return head


def _defused(rows: list[list[Any]]) -> Iterator[list[Any]]:
    """The rows as bundle._defused gives them (csv_cell on each cell of a row that may hold a
    formula), an event's UTC offset not taken for one."""
    cell, search = bundle.csv_cell, _MAY_BE_FORMULA
    for row in rows:
        joined = "\x00" + "\x00".join(map(str, row))
        if search(joined) or joined.count("\x00") != len(row):
            yield [cell(value) for value in row]
        else:
            yield row
