"""A screening summary at the coordinating centre: the record a site's verified bundle carried,
with each stored signature checked again here (its key, the screening it names, and whether the
content it covers still matches the record), and the notes, queries and audit trail reviews the
bundle carried (annotations.json), with the attachments it listed (attachments.json), so the
printout shows the same manifestations, banners, notes, queries and source documents as the site's
own."""

from __future__ import annotations

import json
from typing import Any

from desktop_app.export.applicable import everything_typed
from desktop_app.rules import Determination
from desktop_app.store.attachments import carried_attachment
from desktop_app.store.carried_annotations import NONE_CARRIED, carried
from desktop_app.store.clock import local_text
from desktop_app.store.consolidated import ConsolidatedStore
from desktop_app.store.keys import verify_signature
from desktop_app.store.models import Screening, Site
from desktop_app.store.reports import ScreeningRecord
from desktop_app.store.signatures import Check, SignatureStatus
from desktop_app.store.signed_records import IDENTIFYING_ANSWERS


def consolidated_record(
    centre: ConsolidatedStore,
    screening_number: str,
    attempt: int | None = None,
    site_code: str | None = None,
) -> ScreeningRecord:
    site, record = centre.record(screening_number, attempt, site_code)
    determination = record.get("determination")
    # Their shape was checked when the bundle was imported.
    annotations = centre.annotations(site.code, record["screening_number"], int(record["attempt"]))
    notes, queries, reviews = carried(annotations) if annotations else NONE_CARRIED
    attachments = [carried_attachment(a) for a in annotations.get("attachments", [])]
    return ScreeningRecord(
        site=Site.model_validate(
            {
                "code": site.code,
                "name": site.name,
                "principal_investigator": site.principal_investigator,
                "is_demo": site.demo,
                "created_at": "",
            }
        ),
        screening=_screening(record),
        answers=dict(record.get("answers") or {}),
        determination=None
        if determination is None
        else Determination.model_validate(determination),
        acknowledged=dict(record.get("acknowledged_warnings") or {}),
        signatures=[
            _status(index, stored, record)
            for index, stored in enumerate(record.get("signatures") or [])
        ],
        notes=notes,
        queries=queries,
        audit_reviews=reviews,
        attachments=attachments,
    )


def _screening(record: dict[str, Any]) -> Screening:
    determination = record.get("determination") or {}
    protocol = record.get("protocol") or {}
    answers = record.get("answers") or {}
    return Screening.model_validate(dict(
        id=0, candidate_id=0, screening_number=record["screening_number"], initials=record.get("initials", ""),
        attempt=int(record["attempt"]), protocol_id=protocol.get("id", ""),
        protocol_version=protocol.get("version", ""), protocol_sha256=protocol.get("sha256", ""),
        consent_date=answers.get("consent_date"), screening_date=answers.get("screening_date"),
        determination=determination.get("determination", "draft"),
        failing=tuple(determination.get("failing", [])),
        sign_state="unsigned", outcome=record.get("outcome"), outcome_detail=record.get("outcome_detail") or {},
        status=record.get("status", "draft"), created_at="", updated_at="",
    ))  # fmt: skip


def _covers_the_record(content: dict[str, Any], record: dict[str, Any]) -> bool:
    """Whether the signed content is the record as exported (the date of birth, signed only as a
    salted digest and never exported, is left out of the comparison)."""
    signed_answers = {
        k: v for k, v in (content.get("answers") or {}).items() if k not in IDENTIFYING_ANSWERS
    }
    return (
        signed_answers == everything_typed(record)
        and content.get("determination") == record.get("determination")
        and content.get("protocol") == record.get("protocol")
        and content.get("acknowledged_warnings", {}) == (record.get("acknowledged_warnings") or {})
    )


def _when(invalidated: dict[str, Any]) -> str:
    """As the site's own printout says it: local time with its zone (UTC where the bundle does not
    carry the offset)."""
    return local_text(
        str(invalidated.get("at_utc")), str(invalidated.get("utc_offset") or "+00:00")
    )


def _status(index: int, stored: dict[str, Any], record: dict[str, Any]) -> SignatureStatus:
    try:
        payload = json.loads(stored["payload"])
        authentic = verify_signature(
            bytes.fromhex(stored["public_key"]),
            bytes.fromhex(stored["signature"]),
            stored["payload"].encode("utf-8"),
        ) and payload.get("key_fingerprint") == stored.get("fingerprint")
    except (KeyError, ValueError, TypeError):
        payload, authentic = {}, False
    content = payload.get("content") or {}
    invalidated = stored.get("invalidated")
    check: Check
    if not authentic or content.get("screening_number") != record.get("screening_number"):
        check, detail = "tampered", "TAMPERED: the stored signature does not verify"
    elif invalidated:
        check, detail = "invalidated", (f"signature invalidated on {_when(invalidated)} by "
                                        f"{invalidated.get('by_name') or invalidated.get('by')}: "
                                        f"{invalidated.get('reason')}")  # fmt: skip
    elif not _covers_the_record(content, record):
        check, detail = "tampered", "TAMPERED: the record no longer matches its signature"
    else:
        check, detail = "valid", ""
    signer = payload.get("signer") or {}
    return SignatureStatus(index, str(payload.get("meaning")), str(signer.get("printed_name")),
                           str(payload.get("signed_at")), str(payload.get("utc_offset")),
                           str(stored.get("fingerprint")), check, detail)  # fmt: skip
