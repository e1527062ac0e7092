"""Offline verification of an export bundle: one line per check, then a verdict and its exit code.

Reads the bundle once through the strict reader (export.reader), then checks the manifest's
shape, canonical form and signature, the signer against the trust list when one is given (the
key and the site it is trusted for), every file's sha256 and size, the audit chain (every hash
recomputed, linked to the head in the signed manifest) and every stored screening signature on
its own. Trusts nothing on the site's machine: only the bundle's bytes and the sponsor's own
list of trusted keys.

Exit codes: 0 valid and signed by a trusted key; 1 invalid, or signed by a key not trusted (for
that site) in the given list; 2 unreadable; 3 valid, but no trust list was given, so the signer's
identity was not checked.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from desktop_app.export.bundle import (
    AUDIT_CHAIN,
    MANIFEST,
    SIGNATURE,
    SIGNATURE_INDEX,
    SIGNER,
    canonical,
)
from desktop_app.export.bundle_format import (
    FormatError,
    chain_problem,
    manifest_problems,
    signer_problems,
    strict_json,
)
from desktop_app.export.reader import BundleReader, RefusedBundleError, UnreadableBundleError
from desktop_app.store.keys import fingerprint, verify_signature
from desktop_app.store.models import site_in_words
from desktop_app.store.trusted_keys import parse_key_file

VALID, INVALID, UNREADABLE, SIGNER_UNCHECKED = 0, 1, 2, 3
_SIGNATURE_HEX = re.compile(rb"[0-9a-f]{128}")
# Sizes allowed before the manifest says any: a manifest lists a few dozen files.
_LIMITS = {MANIFEST: 1 << 20, SIGNATURE: 128, SIGNER: 4096}
# The members verify reads after hashing them (kept in memory, at most their declared sizes);
# every other member is only streamed through sha256, unless the caller asks to keep it.
KEPT = frozenset({SIGNATURE_INDEX, AUDIT_CHAIN})
REQUIRED = (AUDIT_CHAIN, SIGNATURE_INDEX, "screenings.json")
# Members this large are hashed side by side, this many at a time (each also inflated in a thread
# of its own, reader.digest): zlib and hashlib let go of the interpreter lock on large buffers.
_LARGE = 8 << 20
_SIDE_BY_SIDE = 2


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    unreadable: bool = False
    trust_list_given: bool = True
    # What the manifest states (site, exporter, time, counts): worth believing only when valid.
    stated: list[tuple[str, str]] = field(default_factory=list)
    # For consolidate: the checked manifest, signer and the members kept (when valid).
    manifest: dict[str, Any] = field(default_factory=dict)
    signer: dict[str, Any] = field(default_factory=dict)
    contents: dict[str, bytes] = field(default_factory=dict)

    def ok(self, text: str) -> None:
        self.lines.append(f"ok       {text}")

    def fail(self, text: str) -> None:
        self.lines.append(f"FAILED   {text}")
        self.failures.append(text)

    @property
    def exit_code(self) -> int:
        if self.unreadable:
            return UNREADABLE
        if self.failures:
            return INVALID
        return VALID if self.trust_list_given else SIGNER_UNCHECKED

    @property
    def untrusted_signer(self) -> bool:
        """Valid, but nobody said whose key may sign (exit 3)."""
        return self.exit_code == SIGNER_UNCHECKED

    @property
    def verdict(self) -> str:
        if self.unreadable:
            return "UNREADABLE: " + "; ".join(self.failures)
        if self.failures:
            return f"INVALID: {len(self.failures)} check(s) failed: " + "; ".join(self.failures)
        signer = f"{self.signer.get('printed_name')} (key {self.signer.get('fingerprint')})"
        site = self.manifest.get("site", {}).get("code")
        if not self.trust_list_given:
            return (f"VALID, SIGNER NOT CHECKED: the bundle is intact as signed by key "
                    f"{self.signer.get('fingerprint')}, but no trusted keys were given, so whose key "
                    "that is was not checked")  # fmt: skip
        return f"VALID: signed by {signer}, a key trusted for site {site}"


def load_trusted(path: Path) -> dict[str, str]:
    """Trusted public keys (hex) and the site code each is trusted for, from a file written by
    `export-key` (or a JSON list of them); a malformed file raises BadInputError naming what is
    wrong."""
    return {k["public_key"]: k["site"] for k in parse_key_file(path.read_bytes())}


def verify_bundle(
    path: Path, trusted: Mapping[str, str] | None = None, keep: frozenset[str] = frozenset()
) -> Report:
    """Check the bundle at `path`; `trusted` maps each trusted key (hex) to its site code. The
    members named in `keep` are in report.contents afterwards (when valid), read only once."""
    report = Report(trust_list_given=trusted is not None)
    try:
        with BundleReader(path) as reader:
            _verify(reader, report, trusted, KEPT | keep)
    except UnreadableBundleError as exc:
        report.unreadable = True
        report.fail(str(exc))
    except RefusedBundleError as exc:
        report.fail(str(exc))
    except OSError as exc:  # the file went away or a read failed mid-way
        report.unreadable = True
        report.fail(f"the file cannot be read: {exc.strerror or exc}")
    if report.failures:
        report.contents = {}
    return report


def _verify(
    reader: BundleReader, report: Report, trusted: Mapping[str, str] | None, keep: frozenset[str]
) -> None:
    missing = [name for name in (MANIFEST, SIGNATURE, SIGNER) if name not in reader.members]
    if missing:
        report.fail(", ".join(missing) + (" is" if len(missing) == 1 else " are") + " missing")
        return
    raw = {name: reader.read(name, limit) for name, limit in _LIMITS.items()}
    try:
        manifest = strict_json(raw[MANIFEST], "manifest.json")
        signer = strict_json(raw[SIGNER], "signer.pub")
    except FormatError as exc:
        report.fail(str(exc))
        return
    problems = manifest_problems(manifest) + signer_problems(signer)
    signature = (
        bytes.fromhex(raw[SIGNATURE].decode()) if _SIGNATURE_HEX.fullmatch(raw[SIGNATURE]) else b""
    )
    if not signature:
        problems.append("manifest.sig is not a 64-byte Ed25519 signature in lowercase hex")
    if not problems:
        # signer.pub is not signed: only its key is (by the signature verifying under it), so its
        # names must be the manifest's, and its bytes canonical, leaving nothing to alter.
        if {k: signer[k] for k in ("username", "printed_name")} != manifest["exported_by"]:
            problems.append("signer.pub names another person than the manifest's exported_by")
        if canonical(signer) != raw[SIGNER]:
            problems.append("signer.pub is not in canonical form (it was edited)")
    for shape_problem in problems[:10]:
        report.fail(shape_problem)
    if problems:
        return
    report.manifest, report.signer = manifest, signer
    report.stated = stated_by(manifest, signer)
    public = bytes.fromhex(signer["public_key"])
    _check_manifest_signature(report, manifest, raw[MANIFEST], public, signature, signer)
    _check_trust(report, trusted, public, manifest["site"]["code"], signer["fingerprint"])
    for name in REQUIRED:
        if name not in manifest["files"]:
            report.fail(f"the manifest lists no {name}")
    listed = manifest["files"]
    events, head = manifest["audit_chain"]["events"], manifest["audit_head"]
    with ThreadPoolExecutor(_SIDE_BY_SIDE, thread_name_prefix="eligo-verify") as pool:
        try:
            hashed = _hash_files(reader, listed, keep, pool)
            # The chain is recomputed (Python) while the large members are inflated and hashed
            # (C, which lets go of the interpreter lock): its lines still come after the files'.
            chain = _verified(hashed, listed, AUDIT_CHAIN)
            problem = None if chain is None else chain_problem(chain, events, head)
            _check_files(report, reader, listed, hashed)
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
    if chain is not None and AUDIT_CHAIN in report.contents:
        if problem:
            report.fail(problem)
        else:
            report.ok(f"audit chain: {events} events, every hash recomputed, head {head[:16]}… "
                      "as signed")  # fmt: skip
    if SIGNATURE_INDEX in report.contents:
        _check_screening_signatures(report, report.contents[SIGNATURE_INDEX])


def _check_trust(report: Report, trusted: Mapping[str, str] | None, public: bytes, site: str,
                 shown: str) -> None:  # fmt: skip
    if trusted is None:
        report.lines.append(f"note     no trusted keys were given: signer {shown} not checked")
    elif public.hex() not in trusted:
        report.fail(f"the signer's key {shown} is not in the trusted keys")
    elif trusted[public.hex()] != site:
        report.fail(f"the signer's key {shown} is trusted for site {trusted[public.hex()]}, "
                    f"and this bundle is from site {site}")  # fmt: skip
    else:
        report.ok(f"signer {shown} is trusted for site {site}")


def stated_by(manifest: dict[str, Any], signer: dict[str, Any]) -> list[tuple[str, str]]:
    """What a bundle's manifest says of itself, in words, for the monitor reading the report."""
    site = manifest.get("site") or {}
    protocol = manifest.get("protocol") or {}
    exporter = manifest.get("exported_by") or {}
    name = site_in_words(str(site.get("code", "?")), str(site.get("name", "")))
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
    try:
        is_canonical = canonical(manifest) == raw
    except ValueError:  # rfc8785 refuses what it cannot write (e.g. integers beyond 2**53)
        is_canonical = False
    if not is_canonical:
        report.fail("manifest.json is not in canonical form (it was edited)")
    if fingerprint(public) != signer["fingerprint"]:
        report.fail("signer.pub fingerprint does not match its public key")
    if verify_signature(public, signature, raw):
        report.ok(f"manifest signature by {signer['printed_name']} (key {signer['fingerprint']})")
    else:
        report.fail("manifest signature does not verify")


Hashed = dict[str, "Future[tuple[str, bytes | None]]"]


def _hash_files(
    reader: BundleReader, listed: dict[str, dict[str, Any]], keep: frozenset[str],
    pool: ThreadPoolExecutor,
) -> Hashed:  # fmt: skip
    """The sha256 (and the bytes, for the members in `keep`) of every listed member whose size
    the zip and the manifest agree on, each read once and hashed while it is inflated: the large
    members side by side on `pool`'s threads (started first), the others meanwhile on this one.
    A member that cannot be read holds its exception, raised where its result is asked for."""
    names = sorted(
        name for name in set(listed) & set(reader.members) - {MANIFEST, SIGNATURE, SIGNER}
        if reader.members[name].size == listed[name]["size"]
    )  # fmt: skip
    hashed: Hashed = {}
    for name in sorted(names, key=lambda n: -listed[n]["size"]):
        if listed[name]["size"] >= _LARGE:
            hashed[name] = pool.submit(reader.digest, name, listed[name]["size"], keep=name in keep)
    for name in names:
        if name not in hashed:
            done: Future[tuple[str, bytes | None]] = Future()
            hashed[name] = done
            try:
                done.set_result(reader.digest(name, listed[name]["size"], keep=name in keep))
            except Exception as exc:  # raised by _check_files, in the members' order
                done.set_exception(exc)
    return hashed


def _verified(hashed: Hashed, listed: dict[str, dict[str, Any]], name: str) -> bytes | None:
    """The kept bytes of member `name` when they hash as the manifest says (else None)."""
    future = hashed.get(name)
    if future is None or future.exception() is not None:
        return None
    digest, data = future.result()
    return data if digest == listed[name]["sha256"] else None


def _check_files(
    report: Report, reader: BundleReader, listed: dict[str, dict[str, Any]], hashed: Hashed
) -> None:
    """Every listed file's size and sha256 (hashed while inflated, by _hash_files); nothing read
    that the manifest does not list."""
    present = set(reader.members) - {MANIFEST, SIGNATURE, SIGNER}
    for name in sorted(present - set(listed)):
        report.fail(f"{name} is in the zip but not in the manifest (an extra file)")
    for name in sorted(set(listed) - present):
        report.fail(f"{name} is missing")
    for name in sorted(set(listed) & present):
        declared = listed[name]["size"]
        if reader.members[name].size != declared:
            report.fail(
                f"{name}: the zip says {reader.members[name].size} bytes, the manifest {declared}"
            )
            continue
        digest, data = hashed[name].result()
        if digest != listed[name]["sha256"]:
            report.fail(f"{name}: sha256 differs from the manifest")
            continue
        report.ok(f"{name}: sha256 and size match")
        if data is not None:
            report.contents[name] = data


def _check_screening_signatures(report: Report, raw: bytes) -> None:
    """Each stored signature (signature_index.json: every signature of screenings.json, a small
    file, so that verify need not parse the large one) verifies under its own key and names its
    screening. The shape is checked as it is read: a bundle re-signed by someone else may hold
    anything."""
    try:
        index = strict_json(raw, SIGNATURE_INDEX)
    except FormatError as exc:
        report.fail(str(exc))
        return
    if not isinstance(index, list) or not all(isinstance(entry, dict) for entry in index):
        report.fail(f"{SIGNATURE_INDEX} is not a list of signatures")
        return
    for entry in index:
        label = f"{str(entry.get('screening_number'))[:40]}/{str(entry.get('attempt'))[:10]}"
        try:
            good = verify_signature(
                bytes.fromhex(entry["public_key"]),
                bytes.fromhex(entry["signature"]),
                entry["payload"].encode("utf-8"),
            )
            names = json.loads(entry["payload"])["content"]["screening_number"]
        except (KeyError, ValueError, TypeError, AttributeError, RecursionError):
            good, names = False, None
        if not good:
            report.fail(f"screening {label}: a stored signature does not verify")
        elif names != entry.get("screening_number"):
            report.fail(f"screening {label}: a stored signature belongs to another screening")
    report.ok(f"{len(index)} stored screening signature(s) checked")
