"""Signed export bundles: a zip with a manifest of every file's sha256 and size, signed with
the exporting user's Ed25519 key over the manifest's RFC 8785 canonical JSON.

No direct identifier (name, medical record number, full date of birth) is written: the store's
report functions give initials and age at consent only.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import rfc8785

from desktop_app import __version__
from desktop_app.export.annotations import CSV_HEADER as ANNOTATIONS_HEADER
from desktop_app.export.annotations import JSON_MEMBER as ANNOTATIONS_JSON
from desktop_app.export.annotations import csv_rows as annotation_rows
from desktop_app.export.applicable import applicable_screenings
from desktop_app.export.fhir import fhir_json
from desktop_app.export.odm import odm_xml
from desktop_app.export.readable import log_header, log_row
from desktop_app.export.redcap import redcap_tables
from desktop_app.files import in_words, missing_folder, written_whole
from desktop_app.rules import LoadedProtocol
from desktop_app.rules.language import Language
from desktop_app.store import ReadOnlyStoreError, Store, User, get_site, list_users
from desktop_app.store import keys as store_keys
from desktop_app.store.accounts import active_key, reauthenticate
from desktop_app.store.annotations import exported_annotations
from desktop_app.store.attachments import exported_attachments
from desktop_app.store.carried_annotations import bundled_annotations
from desktop_app.store.chain import append as chain_append
from desktop_app.store.chain import canonical_array as canonical_array
from desktop_app.store.chain import verify as verify_chain
from desktop_app.store.check import refuse_if_tampered
from desktop_app.store.checkpoints import append_checkpoint
from desktop_app.store.reports import consort_counts, exported_log_rows
from desktop_app.store.roles import EXPORT_ROLES, require_role
from desktop_app.store.signed_records import audit_rows, exported_screenings


class BundleNotWrittenError(Exception):
    """The bundle file could not be written; the message names it and says why."""


class ExportCancelledError(BundleNotWrittenError):
    """The coordinator cancelled the export: no file was written (an older one is kept)."""

    def __init__(self) -> None:
        super().__init__("the export was cancelled: no file was written")


Progress = Callable[[int, int], bool]
"""Told (steps done, steps in all) between the export's steps; returning False cancels it
(ui.print_actions.PrintProgress is one: a dialog with Cancel once an export lasts a second)."""


class Steps:
    """Counts the export's steps for a Progress and raises ExportCancelledError when it says
    stop; `Steps(None)` counts for nobody."""

    def __init__(self, progress: Progress | None, total: int = 1) -> None:
        self.progress, self.total, self.done = progress, total, 0

    def __call__(self) -> None:
        self.done += 1
        self.total = max(self.total, self.done)
        if self.progress is not None and not self.progress(self.done, self.total):
            raise ExportCancelledError()


BUILT_FILES = 13  # the files bundle_files builds (for the progress's count of steps)
FORMAT = "eligo-bundle/2"
MANIFEST, SIGNATURE, SIGNER = "manifest.json", "manifest.sig", "signer.pub"
AUDIT_CHAIN = "audit_chain.jsonl"
SIGNATURE_INDEX = (
    "signature_index.json"  # every stored signature, so verify need not parse screenings.json
)
# What the manifest says of its own encodings, so that a reader needs no source code to check it
# (docs/verifying-a-bundle.md): every value here is fixed by the format.
SIGNATURE_SCHEME = {
    "algorithm": "Ed25519",
    "signed_file": MANIFEST,
    "signature_file": SIGNATURE,
    "signature_encoding": "hex",
    "public_key_file": SIGNER,
    "public_key_encoding": "hex",
}
CANONICALIZATION = "RFC 8785"
CHAIN_SCHEME = {
    "file": AUDIT_CHAIN,
    "line": "RFC 8785 JSON array: the event's 13 hashed fields, then its hash",
    "hash": "sha256 hex of the RFC 8785 JSON array of the 13 fields",
    "first_prev_hash": "0" * 64,
}


def canonical(document: Any) -> bytes:
    """RFC 8785 canonical JSON: the exact bytes that are hashed and signed."""
    return bytes(rfc8785.dumps(document))


def json_bytes(document: Any) -> bytes:
    """Deterministic JSON (sorted keys, no spaces, UTF-8) for the data files: their bytes are what
    the manifest hashes, so the C encoder serves; only the signed manifest needs RFC 8785."""
    return json.dumps(document, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode(
        "utf-8"
    )


# A spreadsheet runs a cell that starts with one of these as a formula (CSV injection, OWASP):
# such text, typed into a name, a reason or a note, is written with a leading apostrophe, which
# Excel and LibreOffice show as text; a leading apostrophe is doubled, so that csv_value undoes it.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "'")


_INERT = re.compile(r"[+-]?\d+(\.\d+)?|[+-]\d{2}:\d{2}")  # a number, a UTC offset: nothing to run


def csv_cell(value: Any) -> Any:
    """A value as written to the bundle's CSV files (text that a spreadsheet would run, defused)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START) and not _INERT.fullmatch(value):
        return "'" + value
    return value


def csv_value(cell: str) -> str:
    """The value a cell of the bundle's CSV files was written from (csv_cell undone)."""
    return cell[1:] if cell.startswith("'") else cell


def _csv(header: tuple[str, ...] | list[str], rows: list[list[Any]], *, bom: bool = True) -> bytes:
    """UTF-8 with a byte-order mark, so that Excel opens it with the right characters (without one
    for REDCap's files: a reader that does not strip it takes it into the first column's name).

    The same bytes as csv_reference (tests compare them on adversarial text), without a Python
    call per cell: a row is defused cell by cell only when one regex over its cells joined finds
    a cell that may start a formula (1.2 million csv_cell calls were 1.4 s at 100,000 screenings)."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(_defused(rows))
    return (b"\xef\xbb\xbf" if bom else b"") + text.getvalue().encode("utf-8")


# A cell csv_cell may change starts the row or follows a NUL in the row's cells joined by NUL
# (a NUL inside a cell followed by one of these only costs that row the cell-by-cell path).
_MAY_BE_FORMULA = re.compile("(?:^|\x00)[" + re.escape("".join(_FORMULA_START)) + "]")


def _defused(rows: list[list[Any]]) -> Iterator[list[Any]]:
    search = _MAY_BE_FORMULA.search
    for row in rows:
        if search("\x00".join(map(str, row))):
            yield [csv_cell(value) for value in row]
        else:
            yield row


def csv_reference(
    header: tuple[str, ...] | list[str], rows: list[list[Any]], *, bom: bool = True
) -> bytes:
    """The CSV files as written cell by cell: the reference _csv is checked against."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return (b"\xef\xbb\xbf" if bom else b"") + text.getvalue().encode("utf-8")


def chain_lines(audit: list[list[Any]]) -> bytes:
    """audit_chain.jsonl: one line per event, the RFC 8785 array of its hashed fields and hash."""
    return b"".join(canonical_array(row) + b"\n" for row in audit)


def signature_index(screenings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """signature_index.json: each stored signature with the screening it is stored with, in the
    order of screenings.json (verify checks these; consolidate checks screenings.json holds the
    same)."""
    return [{"screening_number": s["screening_number"], "attempt": s["attempt"],
             **{k: g[k] for k in ("payload", "signature", "public_key")}}
            for s in screenings for g in s["signatures"]]  # fmt: skip


def bundle_files(
    store: Store,
    protocol: LoadedProtocol,
    extra: dict[str, bytes] | None = None,
    language: Language = "en",
    step: Callable[[], None] = lambda: None,
) -> tuple[dict[str, bytes], int, str]:
    """Every file of a bundle but the manifest, its signature and the signer's key; the number
    of screenings in screenings.json (counted here, not by parsing the file again); and the head
    of the exported audit chain. The screening log CSV's headers and reasons are in `language`;
    every other file is language-neutral. `step` is called between the steps (it may cancel)."""
    rows = exported_log_rows(store)
    step()
    audit_header, audit = audit_rows(store)
    step()
    chain_report = verify_chain(store.db)
    step()
    head = audit[-1][-1] if audit else chain_report.head
    if not chain_report.ok or head != chain_report.head:
        raise BundleNotWrittenError(
            f"no bundle was written: the store's audit chain does not verify ({chain_report.problem}); "
            "run `db check` and restore the newest good backup"
        )
    screenings = applicable_screenings(protocol, exported_screenings(store))
    step()
    site = get_site(store)
    users = {u.username: u.full_name for u in list_users(store)}
    dictionary, records = redcap_tables(protocol, screenings)
    notes_and_queries = exported_annotations(store)
    step()
    # Each file built in its turn, with a step between (a progress dialog may cancel there).
    builders: dict[str, Callable[[], bytes]] = {
        "screening_log.csv": lambda: _csv(
            log_header(language), [log_row(r, protocol, language) for r in rows]
        ),
        "screenings.json": lambda: json_bytes(screenings),
        # One template per attempt (fhir_json); fhir_bundle is its reference, compared in the tests.
        "fhir_bundle.json": lambda: fhir_json(protocol, site.code if site else "", screenings),
        "audit_trail.csv": lambda: _csv(audit_header, audit),
        AUDIT_CHAIN: lambda: chain_lines(audit),
        SIGNATURE_INDEX: lambda: json_bytes(signature_index(screenings)),
        "consort.json": lambda: json_bytes(dataclasses.asdict(consort_counts(store))),
        # Each attachment's kind, title and SHA-256, never its content (store/attachments.py).
        "attachments.json": lambda: json_bytes(exported_attachments(store)),
        "redcap/data_dictionary.csv": lambda: _csv(*dictionary, bom=False),
        "redcap/records.csv": lambda: _csv(*records, bom=False),
        "odm.xml": lambda: odm_xml(
            protocol,
            {"code": site.code, "name": site.name} if site else {},
            screenings,
            [dict(zip(audit_header, row, strict=True)) for row in audit],
            users,
            store.stamp().at_utc,
            annotations=notes_and_queries,
        ),
        "annotations.csv": lambda: _csv(ANNOTATIONS_HEADER, annotation_rows(notes_and_queries)),
        # Every note version, query step and audit trail review, with printed names: the centre prints them.
        ANNOTATIONS_JSON: lambda: json_bytes(bundled_annotations(store)),
    }
    files: dict[str, bytes] = {}
    for name, build in builders.items():
        files[name] = build()
        step()
    files.update(extra or {})
    return files, len(screenings), head


def write_bundle(
    store: Store, protocol: LoadedProtocol, user: User, password: str, out: Path,
    extra: dict[str, bytes] | None = None, language: Language = "en",
    progress: Progress | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Write the signed bundle; the password opens the user's private key (and is checked).
    Raises, before any work, ReadOnlyStoreError in a read-only window and BundleNotWrittenError
    when the folder does not exist; ExportCancelledError when `progress` said stop, with no file
    written and nothing recorded."""
    require_role(user, *EXPORT_ROLES, action="export the signed bundle")
    if store.read_only:  # every export is recorded in the store, which this window cannot write
        raise ReadOnlyStoreError()
    if (problem := missing_folder(out)) is not None:
        raise BundleNotWrittenError(f"{out} was not written: {problem}")
    reauthenticate(store, user, password)
    checked = verify_chain(store.db)
    refuse_if_tampered(store, "The export", checked)
    key = active_key(store, user.id)
    private = store_keys.unseal(key.sealed, password)
    # The steps: 5 gathering the rows, one per file built, one per zip member (3 more than files).
    step = Steps(progress, 5 + BUILT_FILES + 3 + BUILT_FILES + len(extra or {}))
    files, screening_count, head = bundle_files(store, protocol, extra, language, step)
    site = get_site(store)
    now = store.clock()
    manifest = {
        "format": FORMAT,
        "canonicalization": CANONICALIZATION,
        "signature": SIGNATURE_SCHEME,
        "audit_chain": {**CHAIN_SCHEME, "events": len(files[AUDIT_CHAIN].splitlines())},
        "site": {
            "code": site.code,
            "name": site.name,
            "principal_investigator": site.principal_investigator,
            "demo": site.is_demo,
        }
        if site
        else None,
        "exported_by": {"username": user.username, "printed_name": user.full_name},
        "exported_at": store.stamp().at_utc,
        "utc_offset": store.stamp().utc_offset,
        "app_version": __version__,
        # The exporting user's language: that of screening_log.csv's headers and texts and of
        # screening_log.pdf; the data files hold codes, the same in every language.
        "language": language,
        "protocol": {"id": protocol.id, "version": protocol.version, "sha256": protocol.sha256},
        "screenings": screening_count,
        "audit_head": head,
        "files": {
            name: {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            for name, data in sorted(files.items())
        },
    }
    manifest_bytes = canonical(manifest)
    signer = {"public_key": key.public_key.hex(), "fingerprint": key.fingerprint, "username": user.username,
              "printed_name": user.full_name}  # fmt: skip
    members = [(MANIFEST, manifest_bytes), (SIGNATURE, private.sign(manifest_bytes).hex().encode()),
               (SIGNER, canonical(signer)), *sorted(files.items())]  # fmt: skip
    _write_zip(out, members, now.timetuple()[:6], step)
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    with store.transaction("The export record") as db:
        cursor = db.conn.execute(
            "INSERT INTO exports (created_at, user_id, file_name, sha256, screenings) VALUES (?, ?, ?, ?, ?)",
            [store.stamp().at_utc, user.id, out.name, digest, manifest["screenings"]],
        )  # fmt: skip
        # Recorded in the chain (the replay gives the exports table) with the head the bundle
        # carries, and the new head signed: the sponsor's copy of this head anchors the chain.
        chain_append(db, store.stamp(), head=store.chain_head, user_id=user.id, username=user.username,
                     action="bundle_exported", entity="export", entity_id=cursor.lastrowid,
                     new={"file_name": out.name, "sha256": digest, "screenings": manifest["screenings"],
                          "audit_head": {"seq": checked.events, "hash": head}})  # fmt: skip
        append_checkpoint(store, user, private, key.fingerprint, "export")
    return manifest


def _write_zip(
    out: Path, members: list[tuple[str, bytes]], date_time: tuple[int, ...],
    step: Callable[[], None] = lambda: None,
) -> None:  # fmt: skip
    """Written whole or not at all (files.written_whole): a full disk, a pulled USB stick or a
    cancel (`step` raising) leaves no partial bundle and keeps an older file of that name."""
    try:
        with (
            written_whole(out) as partial,
            zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive,
        ):
            for name, data in members:
                info = zipfile.ZipInfo(name, date_time=date_time)  # type: ignore[arg-type]
                archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
                step()
    except OSError as exc:
        raise BundleNotWrittenError(f"{out} was not written: {in_words(exc)}") from exc


def exported_at(manifest: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(str(manifest["exported_at"]).replace("Z", "+00:00"))
