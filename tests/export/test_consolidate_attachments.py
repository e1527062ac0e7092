"""The source documents on the binder summary, at the site and at the coordinating centre: the
summary lists each current attachment (and each removed one, with the day and the reason), and a
summary printed from the consolidated store, fed by the bundle's attachments.json, prints the same
lines; a bundle without attachments.json consolidates as before and prints no such section."""

from __future__ import annotations

import itertools
import json
import re
import unicodedata
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from bundle_tools import entries, members, raw_zip, resigned, write
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from helpers import TEST_PASSWORD, add_user, as_user, open_test_store, screened
from pypdf import PdfReader

from desktop_app.cli import main
from desktop_app.export.consolidate import read_verified
from desktop_app.export.consolidated_records import consolidated_record
from desktop_app.rules import LoadedProtocol
from desktop_app.store import create_site
from desktop_app.store.attachments import (
    add_attachment,
    listed_attachments,
    open_attachment,
    remove_attachment,
)
from desktop_app.store.consolidated import ConsolidatedStore

BEIJING = timezone(timedelta(hours=8))
PDF = b"%PDF-1.4\n% a scanned lab sheet\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 3000
MEMBER = "attachments.json"


def _pdf_text(path: Path) -> str:
    """The printout's words (ligatures unfolded), its print time masked."""
    text = " ".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
    text = " ".join(unicodedata.normalize("NFKC", text).split())
    return re.sub(r"(printed|打印于) \S+ \S+ \(UTC[+-]\d{2}:\d{2}\)", "printed …", text)


@pytest.fixture
def site_bundle(tmp_path: Path, protocol: LoadedProtocol) -> tuple[Path, Path, list[object]]:
    """A site whose clock is at +08:00, late in the evening UTC (so the local day is the next
    one): a lab sheet on an answer, replaced by a second version; a consent scan on the
    screening; a pathology report removed with a reason. Its bundle."""
    site = tmp_path / "site"
    ticks = itertools.count()
    start = datetime(2023, 3, 10, 7, 30, tzinfo=BEIJING)  # 2023-03-09 23:30 UTC
    with open_test_store(site, clock=lambda: start + timedelta(seconds=next(ticks))) as store:
        create_site(store, None, code="XIEHE", name="Site XIEHE", principal_investigator="Dr. X")
        coordinator = add_user(store, "coordinator", full_name="Coordinator Wang")
        sid = screened(store, coordinator, protocol, initials="XY")
        first = add_attachment(store, coordinator, sid, file_name="a.pdf", content=PDF,
                               kind="lab_sheet", title="Lab sheet, 2023-03-02",
                               question_id="serum_igg4_value")  # fmt: skip
        rescanned = add_attachment(store, coordinator, sid, file_name="b.pdf", content=PDF + b"%2\n",
                                   kind="lab_sheet", title="Lab sheet, 2023-03-02, rescanned",
                                   replaces=first.id)  # fmt: skip
        monitor = add_user(store, "monitor", roles=("monitor",), full_name="Monitor Li")
        open_attachment(store, monitor, rescanned.id)  # an access, in the chain the bundle carries
        add_attachment(store, coordinator, sid, file_name="c.png", content=PNG,
                       kind="signed_consent", title="Consent form v2.1")  # fmt: skip
        wrong = add_attachment(store, coordinator, sid, file_name="d.pdf", content=PDF + b"%3\n",
                               kind="pathology_report", title="Biopsy report")  # fmt: skip
        remove_attachment(store, coordinator, wrong.id, "another patient's report")
        at_site = listed_attachments(store, sid)
    password = tmp_path / "password.txt"
    password.write_text(TEST_PASSWORD + "\n", encoding="utf-8")
    bundle = tmp_path / "site.zip"
    assert main(["export", "--out", str(bundle), "--user", "coordinator", "--password-file", str(password),
                 "--data-dir", str(site), "--no-pdf"]) == 0  # fmt: skip
    return site, bundle, list(at_site)


def test_the_summary_lists_the_source_documents_and_the_centre_prints_the_same(
    tmp_path: Path, site_bundle: tuple[Path, Path, list[object]]
) -> None:
    site, bundle, at_site = site_bundle
    into = tmp_path / "centre"
    assert main(["consolidate", str(bundle), "--into", str(into)]) == 0
    with ConsolidatedStore(into, read_only=True) as centre:
        assert consolidated_record(centre, "XIEHE-0001").attachments == at_site
    for language in ("en", "zh-CN"):
        site_pdf, centre_pdf = (
            tmp_path / f"site-{language}.pdf",
            tmp_path / f"centre-{language}.pdf",
        )
        assert main(["print", "summary", "XIEHE-0001", "--out", str(site_pdf), "--data-dir", str(site),
                     *as_user("coordinator"), "--language", language]) == 0  # fmt: skip
        assert main(["print", "summary", "XIEHE-0001", "--out", str(centre_pdf), "--consolidated", str(into),
                     "--language", language]) == 0  # fmt: skip
        assert _pdf_text(centre_pdf) == _pdf_text(site_pdf), language
    text = _pdf_text(tmp_path / "site-en.pdf")
    sheet = at_site[1]
    groups = " ".join(sheet.sha256[i : i + 4] for i in range(0, 16, 4))  # type: ignore[attr-defined]
    # The current version, with its number; the local day at +08:00 (the UTC day is the 9th).
    assert (
        "Source documents attached Laboratory sheet “Lab sheet, 2023-03-02, rescanned (version 2)” "
        f"on Serum IgG4 value: PDF, 40 bytes, added 2023-03-10, SHA-256 {groups}"
    ) in text
    assert "Lab sheet, 2023-03-02”" not in text  # the replaced version is left out
    assert "Signed consent (scan) “Consent form v2.1”: PNG, 2.9 kB, added 2023-03-10" in text
    assert "Pathology report “Biopsy report”: PDF, 40 bytes, added 2023-03-10, SHA-256 " in text
    assert "— REMOVED on 2023-03-09 (UTC): another patient's report" in text
    assert "Coordinator Wang" not in text.split("Source documents attached")[1].split("Outcome")[0]
    # pypdf spaces Chinese text out, and NFKC makes its full-width punctuation ASCII.
    chinese = "".join(_pdf_text(tmp_path / "site-zh-CN.pdf").split())
    assert (
        "所附源文件实验室检查单“Labsheet,2023-03-02,rescanned(第2版)”,涉及血清IgG4检测值:PDF,40字节"
        in chinese
    )
    assert "已于2023-03-09(UTC)移除:anotherpatient'sreport" in chinese


def test_a_summary_with_no_attachment_has_no_such_section(
    tmp_path: Path, protocol: LoadedProtocol
) -> None:
    site = tmp_path / "site"
    with open_test_store(site) as store:
        create_site(store, None, code="XIEHE", name="Site XIEHE", principal_investigator="Dr. X")
        coordinator = add_user(store, "coordinator")
        screened(store, coordinator, protocol)
    pdf = tmp_path / "s.pdf"
    assert main(["print", "summary", "XIEHE-0001", "--out", str(pdf), "--data-dir", str(site),
                 *as_user("coordinator")]) == 0  # fmt: skip
    assert "Source documents" not in _pdf_text(pdf)


def test_a_bundle_without_attachments_json_consolidates_and_prints_without_them(
    tmp_path: Path, site_bundle: tuple[Path, Path, list[object]]
) -> None:
    _, bundle, _ = site_bundle
    files = members(bundle)
    manifest = json.loads(files.pop("manifest.json"))
    del manifest["files"][MEMBER], files[MEMBER]
    old = write(tmp_path / "old.zip", raw_zip(entries(resigned(
        files, {"manifest.json": json.dumps(manifest).encode()}, Ed25519PrivateKey.generate()))))  # fmt: skip
    into = tmp_path / "centre"
    assert main(["consolidate", str(old), "--into", str(into)]) == 0
    with ConsolidatedStore(into, read_only=True) as centre:
        assert centre.annotations("XIEHE", "XIEHE-0001", 1) == {}
        assert consolidated_record(centre, "XIEHE-0001").attachments == []
    pdf = tmp_path / "old.pdf"
    assert main(["print", "summary", "XIEHE-0001", "--out", str(pdf), "--consolidated", str(into)]) == 0  # fmt: skip
    assert "Source documents" not in _pdf_text(pdf)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda a: a[0].update(kind="x_ray"), "attachment kind 'x_ray' or type"),
        (lambda a: a[0].update(size="big"), "attachment 'size' is not of the documented type"),
        (lambda a: a[0].update(sha256="00"), "attachment 'sha256' is not 64 hex digits"),
        (lambda a: a[0].update(screening_number="OTHER-0001"),
         "attachments.json names OTHER-0001/1, not a screening of screenings.json"),
    ],
)  # fmt: skip
def test_a_bundle_with_a_malformed_attachments_json_is_refused_whole(
    tmp_path: Path, site_bundle: tuple[Path, Path, list[object]], change: object, words: str
) -> None:
    _, bundle, _ = site_bundle
    files = members(bundle)
    listed = json.loads(files[MEMBER])
    change(listed)  # type: ignore[operator]
    forged = resigned(files, {MEMBER: json.dumps(listed).encode()}, Ed25519PrivateKey.generate())
    refused = read_verified(write(tmp_path / "forged.zip", raw_zip(entries(forged))), None)
    assert words in str(refused)


def test_an_opening_travels_in_the_chain_and_a_later_bundle_still_extends_it(
    tmp_path: Path, site_bundle: tuple[Path, Path, list[object]]
) -> None:
    site, bundle, at_site = site_bundle
    into = tmp_path / "centre"
    assert main(["consolidate", str(bundle), "--into", str(into)]) == 0
    from desktop_app.store.chain import _FIELDS  # the order of an event's values in the file

    chain = [dict(zip(_FIELDS, json.loads(line)[: len(_FIELDS)], strict=True))
             for line in members(bundle)["audit_chain.jsonl"].splitlines()]  # fmt: skip
    [opened] = [e for e in chain if e["action"] == "attachment_viewed"]
    assert (opened["username"], opened["entity_id"]) == ("monitor", "XIEHE-0001/1")
    assert json.loads(opened["new_value"])["sha256"] == at_site[1].sha256  # type: ignore[attr-defined]
    with open_test_store(site) as store:  # opened again at the site, then a newer bundle
        from desktop_app.store import get_account

        open_attachment(store, get_account(store, "coordinator"), at_site[0].id)  # type: ignore[attr-defined]
    password = tmp_path / "password.txt"
    later = tmp_path / "later.zip"
    assert main(["export", "--out", str(later), "--user", "coordinator", "--password-file", str(password),
                 "--data-dir", str(site), "--no-pdf"]) == 0  # fmt: skip
    assert main(["verify", str(later)]) in (0, 3)  # valid (no trusted keys given: signer unchecked)
    assert main(["consolidate", str(later), "--into", str(into)]) == 0
    with ConsolidatedStore(into, read_only=True) as centre:
        assert consolidated_record(centre, "XIEHE-0001").attachments == at_site
