"""Consolidation at the coordinating centre: each site bundle is verified first (manifest
signature, every file, every stored screening signature, and the signer against the trusted keys
when there are any), and only then are its screenings merged into the consolidated store."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from desktop_app.export.annotations import JSON_MEMBER as ANNOTATIONS_JSON
from desktop_app.export.bundle import (
    AUDIT_CHAIN,
    SIGNATURE_INDEX,
    csv_value,
    exported_at,
    signature_index,
)
from desktop_app.export.bundle_format import strict_json
from desktop_app.export.readable import column_key
from desktop_app.export.verify import verify_bundle
from desktop_app.store.attachments import carried_attachment
from desktop_app.store.carried_annotations import carried
from desktop_app.store.consolidated import ConsolidatedStore, ImportResult, SiteBundle
from desktop_app.store.errors import StoreError

# Written by bundle.py from store/attachments.py exported_attachments.
ATTACHMENTS_JSON = "attachments.json"

# A bundle dated further than this after the centre's clock is refused: it would block every
# later genuine bundle of its site (only a newer bundle updates a site).
FUTURE_TOLERANCE = timedelta(days=1)


@dataclass(frozen=True)
class Refused:
    file_name: str
    reason: str
    unreadable: bool = False

    def __str__(self) -> str:
        return f"{self.file_name}: refused: {self.reason}"


def read_verified(path: Path, trusted: Mapping[str, str] | None) -> SiteBundle | Refused:
    """The bundle's contents when it verifies (and, with trusted keys, its signer is trusted for
    the site it names), read once through the strict reader."""
    report = verify_bundle(
        path, trusted,
        keep=frozenset({"screenings.json", "screening_log.csv", ANNOTATIONS_JSON, ATTACHMENTS_JSON}),
    )  # fmt: skip
    if report.failures:
        return Refused(
            path.name, "it does not verify: " + "; ".join(report.failures), report.unreadable
        )
    log_text = report.contents["screening_log.csv"].decode("utf-8-sig", errors="replace")
    try:
        screenings = json.loads(report.contents["screenings.json"])
        # Read by column code: the headers are in the exporting user's language ("筛选号 [screening_number]").
        log_rows = {
            (row["screening_number"], int(row["attempt"])): row
            for row in (
                {column_key(k): csv_value(v) for k, v in line.items()}
                for line in csv.DictReader(io.StringIO(log_text))
            )
        }
        if not all(isinstance(s, dict) and isinstance(s.get("screening_number"), str)
                   and isinstance(s.get("attempt"), int) and isinstance(s.get("status"), str)
                   for s in screenings):  # fmt: skip
            raise ValueError("a screening has no number, attempt or status")
        if signature_index(screenings) != json.loads(report.contents[SIGNATURE_INDEX]):
            raise ValueError(f"its stored signatures differ from the signed {SIGNATURE_INDEX}")
        annotations = _annotations(report.contents.get(ANNOTATIONS_JSON), screenings)
        _add_attachments(annotations, report.contents.get(ATTACHMENTS_JSON), screenings)
    except (ValueError, KeyError, TypeError, AttributeError, csv.Error) as exc:
        return Refused(path.name, f"its screenings cannot be read ({exc})")
    return SiteBundle(
        sha256=file_sha256(path),
        file_name=path.name,
        manifest=report.manifest,
        signer_fingerprint=str(report.signer["fingerprint"]),
        signer_trusted=None if trusted is None else True,
        screenings=screenings,
        log_rows=log_rows,
        audit_chain=report.contents[AUDIT_CHAIN],
        annotations=annotations,
    )


def _annotations(raw: bytes | None, screenings: list[dict[str, Any]]) -> dict[tuple[str, int], str]:
    """annotations.json by (number, attempt), each entry checked to be of the documented shape and
    to name a screening of screenings.json, as the text the consolidated store keeps; nothing
    from a bundle written before the file existed (its screenings print with no notes)."""
    if raw is None:
        return {}
    held = {(s["screening_number"], s["attempt"]) for s in screenings}
    found: dict[tuple[str, int], str] = {}
    for entry in strict_json(raw, ANNOTATIONS_JSON):
        key = (entry["screening_number"], entry["attempt"])
        if key not in held or key in found:
            raise ValueError(f"{ANNOTATIONS_JSON} names {str(key[0])[:40]}/{str(key[1])[:10]}, not once a "
                             "screening of screenings.json")  # fmt: skip
        carried(entry)
        kept = {k: entry[k] for k in ("notes", "queries", "audit_reviews")}
        found[key] = json.dumps(kept, sort_keys=True, ensure_ascii=False)
    return found


_ATTACHMENT_KEYS = ("id", "kind", "title", "media_type", "size", "sha256", "question", "replaces",
                    "added_at", "utc_offset", "removed_at", "removal_reason")  # fmt: skip


def _add_attachments(
    annotations: dict[tuple[str, int], str], raw: bytes | None, screenings: list[dict[str, Any]]
) -> None:
    """attachments.json's versions of each screening, added to its annotations entry under
    "attachments" (so they are kept, compared and sent to history with its notes); each checked to
    be of the documented shape and to name a screening of screenings.json. A screening with no
    attachment keeps its entry as it was (so an older centre's rows do not change for nothing);
    nothing from a bundle without the file."""
    if raw is None:
        return
    held = {(s["screening_number"], s["attempt"]) for s in screenings}
    listed: dict[tuple[str, int], list[dict[str, Any]]] = {}
    for entry in strict_json(raw, ATTACHMENTS_JSON):
        key = (entry["screening_number"], entry["attempt"])
        if key not in held:
            raise ValueError(f"{ATTACHMENTS_JSON} names {str(key[0])[:40]}/{str(key[1])[:10]}, not a "
                             "screening of screenings.json")  # fmt: skip
        carried_attachment(entry)
        listed.setdefault(key, []).append({k: entry[k] for k in _ATTACHMENT_KEYS if k in entry})
    empty: dict[str, Any] = {"notes": [], "queries": [], "audit_reviews": []}
    for key, versions in listed.items():
        kept = json.loads(annotations[key]) if key in annotations else dict(empty)
        kept["attachments"] = versions
        annotations[key] = json.dumps(kept, sort_keys=True, ensure_ascii=False)


def file_sha256(path: Path) -> str:
    sha = hashlib.sha256()
    with path.open("rb") as file:
        while piece := file.read(1 << 20):
            sha.update(piece)
    return sha.hexdigest()


def import_site_bundle(
    store: ConsolidatedStore, path: Path, trusted: Mapping[str, str] | None, imported_at: str
) -> ImportResult | Refused:
    """Verify one bundle and merge it; a refusal says why and changes nothing. `imported_at` is
    the centre's clock (UTC, ISO 8601)."""
    bundle = read_verified(path, trusted)
    if isinstance(bundle, Refused):
        return bundle
    now = datetime.fromisoformat(imported_at.replace("Z", "+00:00"))
    dated = exported_at(bundle.manifest)
    if dated > now + FUTURE_TOLERANCE:
        return Refused(path.name, f"it is dated {bundle.manifest['exported_at']}, more than a day after this "
                                  f"computer's clock ({imported_at}): the site's clock is wrong or the date "
                                  "forged, and it would block every later bundle of its site")  # fmt: skip
    try:
        return store.import_bundle(bundle, imported_at)
    except StoreError as exc:
        return Refused(path.name, str(exc))
