"""Consolidation at the coordinating centre: each site bundle is verified first (manifest
signature, every file, every stored screening signature, and the signer against the trusted keys
when there are any), and only then are its screenings merged into the consolidated store."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from desktop_app.export.bundle import SIGNER, csv_value
from desktop_app.export.readable import LOG_COLUMNS
from desktop_app.export.verify import verify_bundle
from desktop_app.store.consolidated import ConsolidatedStore, ImportResult, SiteBundle
from desktop_app.store.errors import StoreError


@dataclass(frozen=True)
class Refused:
    file_name: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file_name}: refused: {self.reason}"


def read_verified(path: Path, trusted: set[str] | None) -> SiteBundle | Refused:
    """The bundle's contents when it verifies (and, with trusted keys, its signer is trusted)."""
    report = verify_bundle(path, trusted)
    if report.failures:
        return Refused(path.name, "it does not verify: " + "; ".join(report.failures))
    if report.untrusted_signer:
        return Refused(path.name, "its signer is not in the trusted keys")
    raw = path.read_bytes()
    with zipfile.ZipFile(io.BytesIO(raw)) as archive:
        manifest = json.loads(archive.read("manifest.json"))
        signer = json.loads(archive.read(SIGNER))
        screenings = json.loads(archive.read("screenings.json"))
        log_text = archive.read("screening_log.csv").decode("utf-8-sig")
    # By column position, not by header: the headers are in the exporting user's language.
    cells = list(csv.reader(io.StringIO(log_text)))[1:]
    log_rows = {
        (row["screening_number"], int(row["attempt"])): row
        for row in (
            {k: csv_value(v) for k, v in zip(LOG_COLUMNS, line, strict=True)} for line in cells
        )
    }
    return SiteBundle(
        sha256=hashlib.sha256(raw).hexdigest(),
        file_name=path.name,
        manifest=manifest,
        signer_fingerprint=str(signer["fingerprint"]),
        signer_trusted=None if trusted is None else True,
        screenings=screenings,
        log_rows=log_rows,
    )


def import_site_bundle(
    store: ConsolidatedStore, path: Path, trusted: set[str] | None, imported_at: str
) -> ImportResult | Refused:
    """Verify one bundle and merge it; a refusal says why and changes nothing."""
    bundle = read_verified(path, trusted)
    if isinstance(bundle, Refused):
        return bundle
    try:
        return store.import_bundle(bundle, imported_at)
    except StoreError as exc:
        return Refused(path.name, str(exc))
