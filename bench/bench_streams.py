"""The streaming writers of records.csv and odm.xml (export/streams.py) per screening attempt,
against their reference builders in the same run (redcap_tables written by bundle._csv; odm_xml).

Bare attempts (no answers, signatures, codes or annotations: the bulk of bench_store's seed, here
with varied determinations, totals and outcomes) come from templates: target about 2 microseconds
each per writer. Full attempts (the protocol's example answers, two signatures, one invalidated)
take the reference's per-attempt code: printed, no target. 100,000 bare attempts go through each
writer in 20,000-attempt pieces, as the one-pass bundle feeds them; the references run on 20,000
(their cost per attempt does not depend on the count). Best of three runs each.

Also odm.xml's AuditRecords (OdmWriter.tail) per audit event, 100,000 answer_saved events (a real
store holds about 45 a screening; the seed none) against odm_xml writing the same events.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Callable
from typing import Any

from desktop_app.export.bundle import _csv
from desktop_app.export.odm import odm_xml
from desktop_app.export.redcap import other_medication_slots, redcap_tables
from desktop_app.export.streams import OdmWriter, RecordsWriter
from desktop_app.paths import resource
from desktop_app.rules import default_protocol

BARE, FULL, REFERENCE, PIECE = 100_000, 1_000, 20_000, 20_000
SITE = {"code": "BENCH", "name": "Benchmark BENCH"}
CREATED = "2026-12-03T08:00:00Z"


def bare_screenings(count: int) -> list[dict[str, Any]]:
    rng = random.Random(1)
    made = []
    for n in range(count):
        verdict = rng.choice(["incomplete", "eligible", "ineligible"])
        determination = {"determination": verdict, "failing": ["E5"] if verdict == "ineligible" else [],
                         "acr_eular": {"total": rng.randint(0, 30)}} if rng.random() < 0.5 else None  # fmt: skip
        outcome = rng.choice([None, None, None, "enrolled", "screen_failure"])
        detail = (
            {"randomization_number": f"R-{n:06d}", "date": "2024-03-04"}
            if outcome == "enrolled"
            else {}
        )
        made.append({"screening_number": f"BENCH-{n // 2:06d}", "attempt": 1 + n % 2,
                     "initials": "".join(rng.choice("ABCDEFGHJK") for _ in range(2)), "status": "incomplete",
                     "protocol": {"id": "NCT04660565", "version": "1.0", "sha256": "x"}, "answers": {},
                     "determination": determination, "outcome": outcome, "outcome_detail": detail,
                     "acknowledged_warnings": {}, "signatures": []})  # fmt: skip
    return made


def _signature(meaning: str, invalidated: bool) -> dict[str, Any]:
    payload = {"meaning": meaning, "signer": {"printed_name": "Bench User", "username": "bench.user"},
               "signed_at": "2024-03-04T05:06:07Z"}  # fmt: skip
    return {"payload": json.dumps(payload), "signature": "ab" * 32, "public_key": "cd" * 16, "fingerprint": "ef",
            "invalidated": {"at_utc": "2024-03-05T00:00:00Z", "by": "x", "by_name": "X", "reason": "changed"}
            if invalidated else None}  # fmt: skip


def full_screenings(count: int) -> list[dict[str, Any]]:
    documents = [json.loads(p.read_text(encoding="utf-8")) for p in sorted(resource("examples").glob("*.json"))]  # fmt: skip
    signatures = [_signature("Screening performed by", True), _signature("Screening performed by", False),
                  _signature("Eligibility confirmed by investigator", False)]  # fmt: skip
    return [{**bare, "screening_number": f"FULL-{n:06d}", "attempt": 1, "answers": documents[n % len(documents)],
             "signatures": signatures} for n, bare in enumerate(bare_screenings(count))]  # fmt: skip


def best(run: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def in_pieces(
    write: Callable[[list[dict[str, Any]]], str], screenings: list[dict[str, Any]]
) -> str:
    return "".join(write(screenings[i : i + PIECE]) for i in range(0, len(screenings), PIECE))


def main() -> None:
    from desktop_app.export.applicable import applicable_screenings

    protocol = default_protocol()
    bare = bare_screenings(BARE)
    full = applicable_screenings(protocol, full_screenings(FULL))
    slots = other_medication_slots(bare + full)

    def records(screenings: list[dict[str, Any]]) -> None:
        writer = RecordsWriter(protocol, slots)
        in_pieces(writer.rows, screenings)

    def odm(screenings: list[dict[str, Any]]) -> None:
        writer = OdmWriter(protocol, SITE, [], {"bench.user": "Bench User"}, CREATED)
        in_pieces(writer.subjects, screenings)

    for name, write, reference in (
        ("records.csv", records, lambda s: _csv(*redcap_tables(protocol, s)[1], bom=False)),
        ("odm.xml", odm, lambda s: odm_xml(protocol, SITE, s, [], {"bench.user": "Bench User"}, CREATED)),
    ):  # fmt: skip
        per_bare = best(lambda w=write: w(bare)) / BARE * 1e6  # type: ignore[misc]
        per_full = best(lambda w=write: w(full)) / FULL * 1e6  # type: ignore[misc]
        base = best(lambda r=reference: r(bare[:REFERENCE]), 1) / REFERENCE * 1e6  # type: ignore[misc]
        base_full = best(lambda r=reference: r(full), 1) / FULL * 1e6  # type: ignore[misc]
        print(f"{name}: bare attempt {per_bare:.2f} us (target about 2 us; reference {base:.1f} us, "
              f"{base / per_bare:.0f}x); full attempt {per_full:.0f} us (reference {base_full:.0f} us)")  # fmt: skip

    events = [{"seq": n, "entity": "screening", "action": "answer_saved", "entity_id": f"BENCH-{n // 45:06d}/1",
               "field": "sex", "username": "bench.user", "at_utc": "2024-01-02T03:04:05Z", "reason": None,
               "hash": f"{n:064x}"} for n in range(1, BARE + 1)]  # fmt: skip
    per_event = best(lambda: OdmWriter(protocol, SITE, events, {}, CREATED).tail()) / BARE * 1e6
    base = (
        best(lambda: odm_xml(protocol, SITE, [], events[:REFERENCE], {}, CREATED), 1)
        / REFERENCE
        * 1e6
    )
    print(
        f"odm.xml AuditRecords: {per_event:.2f} us an event (no target; reference {base:.1f} us, "
        f"{base / per_event:.0f}x)"
    )


if __name__ == "__main__":
    main()
