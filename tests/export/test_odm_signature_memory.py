"""odm.xml's writer keeps, of each signature's payload, only what its Signatures section writes
(the whole payloads of 100,000 signed attempts would be held to the end of an export), and the
section is the same."""

from __future__ import annotations

from typing import Any

from desktop_app.export import odm
from desktop_app.export.streams import OdmWriter
from desktop_app.rules import LoadedProtocol

CREATED = "2026-12-03T08:00:00Z"


def _signed(number: str, payloads: list[dict[str, Any]]) -> dict[str, Any]:
    import json

    return {
        "screening_number": number, "attempt": 1, "initials": "AB", "status": "signed",
        "protocol": {"id": "P", "version": "1", "sha256": "x"}, "answers": {},
        "determination": None, "outcome": None, "outcome_detail": {}, "acknowledged_warnings": {},
        "signatures": [{"payload": json.dumps(p), "invalidated": False} for p in payloads],
    }  # fmt: skip


def test_the_writer_keeps_only_what_signatures_writes(protocol: LoadedProtocol) -> None:
    big = "x" * 5000  # a payload's signed content
    payloads: list[dict[str, Any]] = [
        {"meaning": "Screening performed by", "signed_at": "2026-01-01T00:00:00Z",
         "signer": {"username": "coordinator", "printed_name": "C"}, "content": big},
        {"meaning": "Eligibility confirmed by", "signed_at": "2026-01-02T00:00:00Z",
         "signer": {"printed_name": "no username"}, "content": big},
        {"content": big},
    ]  # fmt: skip
    screenings = [_signed(f"S-{i}", payloads) for i in range(3)]
    writer = OdmWriter(protocol, {"code": "S", "name": "Site"}, (), {}, CREATED)
    text = writer.head() + writer.subjects(screenings) + writer.tail()
    assert text.encode("utf-8") == odm.odm_xml(
        protocol, {"code": "S", "name": "Site"}, screenings, (), {}, CREATED
    )
    kept = writer._signatures
    assert len(kept) == 9
    assert all("content" not in p for p in kept)
    assert kept[0] == {"meaning": "Screening performed by", "signed_at": "2026-01-01T00:00:00Z",
                       "signer": {"username": "coordinator"}}  # fmt: skip
    assert kept[1]["signer"] == {"printed_name": "no username"}  # no username: as it was
    assert kept[2] == {}
