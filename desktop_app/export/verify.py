"""Offline verification of an export bundle: one line per check, then a verdict.

Checks the manifest signature, every file's sha256 and size, that no file is missing or extra,
and every stored screening signature on its own. Trusts nothing on the site's machine: only the
bundle's bytes and, optionally, the sponsor's own file of trusted public keys.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop_app.export.bundle import FORMAT, MANIFEST, SIGNATURE, SIGNER, canonical
from desktop_app.store.keys import fingerprint, verify_signature
from desktop_app.store.trusted_keys import parse_key_file

VALID, INVALID, UNREADABLE = 0, 1, 2


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    unreadable: bool = False
    untrusted_signer: bool = False
    # What the manifest states (site, exporter, time, counts): worth believing only when valid.
    stated: list[tuple[str, str]] = field(default_factory=list)

    def ok(self, text: str) -> None:
        self.lines.append(f"ok       {text}")

    def fail(self, text: str) -> None:
        self.lines.append(f"FAILED   {text}")
        self.failures.append(text)

    @property
    def exit_code(self) -> int:
        return UNREADABLE if self.unreadable else (INVALID if self.failures else VALID)

    @property
    def verdict(self) -> str:
        if self.unreadable:
            return "UNREADABLE: " + "; ".join(self.failures)
        if self.failures:
            return f"INVALID: {len(self.failures)} check(s) failed: " + "; ".join(self.failures)
        return "VALID; signer not in trusted keys" if self.untrusted_signer else "VALID"


def load_trusted(path: Path) -> set[str]:
    """Trusted public keys (hex) from a file written by `export-key` (or a JSON list of them);
    a malformed file raises BadInputError naming what is wrong."""
    return {k["public_key"] for k in parse_key_file(path.read_bytes())}


def verify_bundle(path: Path, trusted: set[str] | None = None) -> Report:
    report = Report()
    try:
        with zipfile.ZipFile(path) as archive:
            contents = {info.filename: archive.read(info) for info in archive.infolist()}
    except (OSError, zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ValueError) as exc:
        report.unreadable = True
        report.fail(f"the file is not a readable zip: {exc}")
        return report
    except Exception as exc:  # a corrupt member (zlib.error, CRC mismatch) is unreadable too
        report.unreadable = True
        report.fail(f"a file in the zip cannot be read: {exc}")
        return report
    for required in (MANIFEST, SIGNATURE, SIGNER):
        if required not in contents:
            report.fail(f"{required} is missing")
    if report.failures:
        return report
    try:
        manifest: dict[str, Any] = json.loads(contents[MANIFEST])
        signer: dict[str, Any] = json.loads(contents[SIGNER])
        public = bytes.fromhex(str(signer["public_key"]))
        signature = bytes.fromhex(contents[SIGNATURE].decode("ascii").strip())
    except (ValueError, KeyError, UnicodeDecodeError) as exc:
        report.fail(f"manifest, signature or signer key is malformed: {exc}")
        return report
    report.stated = stated_by(manifest, signer)
    _check_manifest_signature(report, manifest, contents[MANIFEST], public, signature, signer)
    if trusted is not None and public.hex() not in trusted:
        report.untrusted_signer = True
        report.lines.append(
            f"note     signer {signer.get('fingerprint')} is not in the trusted keys"
        )
    _check_files(report, manifest, contents)
    if "screenings.json" in contents and not any("screenings.json" in f for f in report.failures):
        _check_screening_signatures(report, contents["screenings.json"])
    return report


def stated_by(manifest: dict[str, Any], signer: dict[str, Any]) -> list[tuple[str, str]]:
    """What a bundle's manifest says of itself, in words, for the monitor reading the report."""
    site = manifest.get("site") or {}
    protocol = manifest.get("protocol") or {}
    exporter = manifest.get("exported_by") or {}
    name = f"{site.get('code', '?')} {site.get('name', '')}".strip()
    demo = (
        " [DEMO: sample data]" if site.get("demo") and "DEMO" not in str(site.get("name")) else ""
    )
    at = str(manifest.get("exported_at", "?"))
    at = f"{at[:10]} {at[11:19]} UTC" if len(at) >= 19 else at
    return [
        ("site", name + demo),
        ("exported by", f"{exporter.get('printed_name', '?')} ({exporter.get('username', '?')}), "
                        f"key {signer.get('fingerprint', '?')}"),
        ("exported at", f"{at} by the site's clock (local offset {manifest.get('utc_offset', '?')})"),
        ("screenings", str(manifest.get("screenings", "?"))),
        ("protocol", f"{protocol.get('id', '?')} version {protocol.get('version', '?')}, "
                     f"sha256 {str(protocol.get('sha256', '?'))[:16]}…"),
        ("made with", f"Eligo {manifest.get('app_version', '?')}, bundle format {manifest.get('format', '?')}"),
    ]  # fmt: skip


def _check_manifest_signature(report: Report, manifest: dict[str, Any], raw: bytes, public: bytes,
                              signature: bytes, signer: dict[str, Any]) -> None:  # fmt: skip
    if manifest.get("format") != FORMAT:
        report.fail(f"manifest format is {manifest.get('format')!r}, expected {FORMAT!r}")
    if canonical(manifest) != raw:
        report.fail("manifest.json is not in canonical form (it was edited)")
    if fingerprint(public) != signer.get("fingerprint"):
        report.fail("signer.pub fingerprint does not match its public key")
    if verify_signature(public, signature, raw):
        report.ok(
            f"manifest signature by {signer.get('printed_name')} (key {signer.get('fingerprint')})"
        )
    else:
        report.fail("manifest signature does not verify")


def _check_files(report: Report, manifest: dict[str, Any], contents: dict[str, bytes]) -> None:
    listed: dict[str, dict[str, Any]] = manifest.get("files", {})
    present = set(contents) - {MANIFEST, SIGNATURE, SIGNER}
    for name in sorted(set(listed) - present):
        report.fail(f"{name} is missing")
    for name in sorted(present - set(listed)):
        report.fail(f"{name} is not in the manifest (an extra file)")
    for name in sorted(set(listed) & present):
        data = contents[name]
        if len(data) != listed[name].get("size"):
            report.fail(
                f"{name}: size {len(data)} differs from the manifest's {listed[name].get('size')}"
            )
        elif hashlib.sha256(data).hexdigest() != listed[name].get("sha256"):
            report.fail(f"{name}: sha256 differs from the manifest")
        else:
            report.ok(f"{name}: sha256 and size match")


def _check_screening_signatures(report: Report, raw: bytes) -> None:
    try:
        screenings = json.loads(raw)
    except ValueError as exc:
        report.fail(f"screenings.json is not JSON: {exc}")
        return
    checked = 0
    for screening in screenings:
        for stored in screening.get("signatures", []):
            checked += 1
            label = f"{screening.get('screening_number')}/{screening.get('attempt')}"
            try:
                public = bytes.fromhex(stored["public_key"])
                good = verify_signature(
                    public, bytes.fromhex(stored["signature"]), stored["payload"].encode("utf-8")
                )
                payload = json.loads(stored["payload"])
            except (KeyError, ValueError, AttributeError):
                good, payload = False, {}
            if not good:
                report.fail(f"screening {label}: a stored signature does not verify")
            elif payload.get("content", {}).get("screening_number") != screening.get(
                "screening_number"
            ):
                report.fail(f"screening {label}: a stored signature belongs to another screening")
    report.ok(f"{checked} stored screening signature(s) checked")
