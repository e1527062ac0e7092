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
import re
import zipfile
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import rfc8785

from desktop_app import __version__
from desktop_app.export.annotations import CSV_HEADER as ANNOTATIONS_HEADER
from desktop_app.export.annotations import JSON_MEMBER as ANNOTATIONS_JSON
from desktop_app.export.annotations import csv_rows as annotation_rows
from desktop_app.export.applicable import applicable_screenings
from desktop_app.export.fhir import fhir_bundle
from desktop_app.export.odm import odm_xml
from desktop_app.export.readable import log_header, log_row
from desktop_app.export.redcap import redcap_tables
from desktop_app.export.templates import data_json
from desktop_app.files import in_words, missing_folder, written_whole
from desktop_app.rules import LoadedProtocol
from desktop_app.rules.language import Language
from desktop_app.store import ReadOnlyStoreError, Store, User, get_site, list_users
from desktop_app.store.accounts import reauthenticated_key
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
from desktop_app.store.signed_records import audit_rows, exported_screenings, read_snapshot

if TYPE_CHECKING:
    from desktop_app.export.one_pass import Packed  # one_pass imports this module


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
    return data_json(document).encode("utf-8")


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
    """Every file of a bundle but the manifest, its signature and the signer's key, as the one
    pass writes them (export/one_pass.py); the number of screenings in screenings.json (counted
    in the pass, not by parsing the file again); and the head of the exported audit chain. The
    screening log CSV's headers and reasons are in `language`; every other file is
    language-neutral. `step` is called between the steps (it may cancel)."""
    from desktop_app.export import one_pass

    sink = one_pass.Collected()
    written = one_pass.write_files(store, protocol, sink, language, step)
    return {**sink.files(), **(extra or {})}, written.screenings, written.head


def bundle_files_reference(
    store: Store, protocol: LoadedProtocol, language: Language = "en"
) -> dict[str, bytes]:
    """The same files from the whole-file builders, each over every screening: the reference
    the one pass is checked against (the tests compare the two byte for byte)."""
    rows = exported_log_rows(store)
    audit_header, audit = audit_rows(store)
    screenings = applicable_screenings(protocol, exported_screenings(store))
    site = get_site(store)
    users = {u.username: u.full_name for u in list_users(store)}
    dictionary, records = redcap_tables(protocol, screenings)
    notes_and_queries = exported_annotations(store)
    return {
        "screening_log.csv": csv_reference(
            log_header(language), [log_row(r, protocol, language) for r in rows]
        ),
        "screenings.json": json_bytes(screenings),
        "fhir_bundle.json": json_bytes(
            fhir_bundle(protocol, site.code if site else "", screenings)
        ),
        "audit_trail.csv": csv_reference(audit_header, audit),
        AUDIT_CHAIN: chain_lines(audit),
        SIGNATURE_INDEX: json_bytes(signature_index(screenings)),
        "consort.json": json_bytes(dataclasses.asdict(consort_counts(store))),
        "attachments.json": json_bytes(exported_attachments(store)),
        "redcap/data_dictionary.csv": csv_reference(*dictionary, bom=False),
        "redcap/records.csv": csv_reference(*records, bom=False),
        "odm.xml": odm_xml(
            protocol,
            {"code": site.code, "name": site.name} if site else {},
            screenings,
            [dict(zip(audit_header, row, strict=True)) for row in audit],
            users,
            store.stamp().at_utc,
            annotations=notes_and_queries,
        ),
        "annotations.csv": csv_reference(ANNOTATIONS_HEADER, annotation_rows(notes_and_queries)),
        # Every note version, query step and audit trail review, with printed names: the centre prints them.
        ANNOTATIONS_JSON: json_bytes(bundled_annotations(store)),
    }


def write_bundle(
    store: Store, protocol: LoadedProtocol, user: User, password: str, out: Path,
    extra: dict[str, bytes] | None = None, language: Language = "en",
    progress: Progress | None = None,
) -> dict[str, Any]:  # fmt: skip
    """Write the signed bundle; the password opens the user's private key (and is checked).
    Raises, before any work, ReadOnlyStoreError in a read-only window and BundleNotWrittenError
    when the folder does not exist; ExportCancelledError when `progress` said stop, with no file
    written and nothing recorded.

    The files are written in one pass (export/one_pass.py), compressed and hashed on a worker
    thread as they are built; the audit chain is verified once, here."""
    from desktop_app.export import one_pass

    require_role(user, *EXPORT_ROLES, action="export the signed bundle")
    if store.read_only:  # every export is recorded in the store, which this window cannot write
        raise ReadOnlyStoreError()
    if (problem := missing_folder(out)) is not None:
        raise BundleNotWrittenError(f"{out} was not written: {problem}")
    # The signing key, opened by the password's check (no derivation of its own).
    key, private = reauthenticated_key(store, user, password)[1]
    # The chain's check and the pass read one snapshot: the events written are those checked.
    with read_snapshot(store):
        checked = verify_chain(store.db)
        refuse_if_tampered(store, "The export", checked)
        # The steps: the pass's (its pieces among them), then one per zip member.
        count = store.db.execute("SELECT count(*) FROM screenings").fetchone()[0]
        steps = one_pass.step_count(count, checked.events) + 3 + BUILT_FILES + len(extra or {})
        step = Steps(progress, steps)
        # Compressed files beyond a few MB wait for the zip in temporary files beside it.
        packer = one_pass.Packer(spill=out.parent)
        try:
            written = one_pass.write_files(store, protocol, packer, language, step, checked)
            for name, data in (extra or {}).items():
                packer.add(name, data)
            files = packer.finish()
        except OSError as exc:  # a full disk, a pulled USB stick
            packer.abandon()
            raise BundleNotWrittenError(f"{out} was not written: {in_words(exc)}") from exc
        except BaseException:
            packer.abandon()
            raise
    site = get_site(store)
    now = store.clock()
    manifest = {
        "format": FORMAT,
        "canonicalization": CANONICALIZATION,
        "signature": SIGNATURE_SCHEME,
        "audit_chain": {**CHAIN_SCHEME, "events": written.events},
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
        "screenings": written.screenings,
        "audit_head": written.head,
        "files": {
            name: {"sha256": packed.sha256, "size": packed.size}
            for name, packed in sorted(files.items())
        },
    }
    manifest_bytes = canonical(manifest)
    signer = {"public_key": key.public_key.hex(), "fingerprint": key.fingerprint, "username": user.username,
              "printed_name": user.full_name}  # fmt: skip
    members: list[tuple[str, bytes | Packed]] = [
        (MANIFEST, manifest_bytes), (SIGNATURE, private.sign(manifest_bytes).hex().encode()),
        (SIGNER, canonical(signer)), *sorted(files.items())]  # fmt: skip
    try:
        digest = _write_zip(out, members, now.timetuple()[:6], step)
    finally:
        for packed in files.values():
            packed.close()
    head = written.head
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


class _BundleZip(zipfile.ZipFile):
    """zipfile's writer, given members already deflated (one_pass.Packer deflates them on its
    thread while the files are built). zipfile has no public call for data deflated elsewhere:
    write_packed does what ZipFile.open(name, "w") does on a seekable file, with the same
    ZipInfo, the local header made by ZipInfo.FileHeader and the central directory and end
    record written by ZipFile.close, and only leaves out the compressor (the data is the
    worker's raw deflate stream, its CRC-32 and sizes counted there)."""

    def write_packed(self, info: zipfile.ZipInfo, packed: Packed) -> None:
        if self.fp is None:
            raise ValueError("the zip is closed")
        if info.filename in self.NameToInfo:
            raise ValueError(f"two members named {info.filename}")
        if max(packed.size, packed.compressed_size) > zipfile.ZIP64_LIMIT:
            raise zipfile.LargeZipFile("a member would need Zip64, which the bundle never uses")
        info.compress_type = zipfile.ZIP_DEFLATED
        info.flag_bits = 0x00  # no data descriptor: the sizes and CRC are known beforehand
        info.external_attr = 0o600 << 16  # as zipfile writes a member: ?rw-------
        info.CRC, info.file_size, info.compress_size = (
            packed.crc,
            packed.size,
            packed.compressed_size,
        )
        self.fp.seek(self.start_dir)
        info.header_offset = self.fp.tell()
        self.fp.write(info.FileHeader(False))
        for chunk in packed.data():
            self.fp.write(chunk)
        self.start_dir = self.fp.tell()
        self.filelist.append(info)
        self.NameToInfo[info.filename] = info
        self._didModify = True  # ZipFile.close writes the central directory


def _write_zip(
    out: Path, members: list[tuple[str, bytes | Packed]], date_time: tuple[int, ...],
    step: Callable[[], None] = lambda: None,
) -> str:  # fmt: skip
    """Written whole or not at all (files.written_whole): a full disk, a pulled USB stick or a
    cancel (`step` raising) leaves no partial bundle and keeps an older file of that name.
    Deflate level 1; gives the zip's SHA-256."""
    try:
        with written_whole(out) as partial:
            with _BundleZip(partial, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
                for name, data in members:
                    info = zipfile.ZipInfo(name, date_time=date_time)  # type: ignore[arg-type]
                    if isinstance(data, bytes):
                        archive.writestr(info, data, zipfile.ZIP_DEFLATED, compresslevel=1)
                    else:
                        archive.write_packed(info, data)
                    step()
            with partial.open("rb") as written:
                return hashlib.file_digest(written, "sha256").hexdigest()
    except OSError as exc:
        raise BundleNotWrittenError(f"{out} was not written: {in_words(exc)}") from exc


def exported_at(manifest: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(str(manifest["exported_at"]).replace("Z", "+00:00"))
