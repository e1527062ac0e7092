"""Notes, queries and audit trail reviews at the coordinating centre: a bundle's annotations.json
brings each screening's, as the same models the site's store gives, into the consolidated store;
a bundle written before annotations.json existed still consolidates and prints, with none."""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
import unicodedata
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from bundle_tools import entries, members, raw_zip, resigned, write
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from helpers import (
    TEST_PASSWORD,
    add_user,
    as_demo_admin,
    demo_site_bundle,
    open_test_store,
    screened,
)
from pypdf import PdfReader
from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from desktop_app.cli import main
from desktop_app.export.annotations import JSON_MEMBER
from desktop_app.export.consolidate import read_verified
from desktop_app.export.consolidated_records import consolidated_record
from desktop_app.rules import LoadedProtocol
from desktop_app.store import consolidated, create_site
from desktop_app.store.annotations import (
    answer_query,
    audit_reviews_of,
    close_query,
    notes_of,
    queries_of,
    raise_query,
    record_audit_review,
    reopen_query,
    save_note,
)
from desktop_app.store.consolidated import ConsolidatedStore

BEIJING = timezone(timedelta(hours=8))


def _pdf_text(path: Path) -> str:
    """The printout's words (ligatures unfolded), its print time masked: two printouts differ there."""
    text = " ".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
    text = " ".join(unicodedata.normalize("NFKC", text).split())
    return re.sub(r"printed \S+ \S+ \(UTC[+-]\d{2}:\d{2}\)", "printed …", text)


def _centre_view(model: Any) -> Any:
    """A site's model as the centre holds it: no screening id of the site's store, and a date of
    birth suggested or changed through a query withheld (it never leaves the site)."""
    if isinstance(model, dict):
        return {key: _centre_view(value) for key, value in model.items()}
    if isinstance(model, list):
        return [_centre_view(value) for value in model]
    model = dataclasses.replace(model, screening_id=0)
    if getattr(model, "question_id", None) == "date_of_birth" and hasattr(model, "steps"):
        model = dataclasses.replace(model, suggested_value=None, steps=tuple(
            dataclasses.replace(s, changed_value=None) for s in model.steps))  # fmt: skip
    return model


def test_every_note_version_query_step_and_review_reaches_the_centre_as_the_sites_models(
    tmp_path: Path, protocol: LoadedProtocol
) -> None:
    site = tmp_path / "site"
    ticks = itertools.count()
    start = datetime(2023, 3, 9, 9, 0, tzinfo=BEIJING)
    with open_test_store(site, clock=lambda: start + timedelta(seconds=next(ticks))) as store:
        create_site(store, None, code="XIEHE", name="Site XIEHE", principal_investigator="Dr. X")
        coordinator = add_user(store, "coordinator", full_name="Coordinator Wang")
        monitor = add_user(store, "monitor", roles=("monitor",), full_name="Monitor Li")
        first = screened(store, coordinator, protocol, initials="XY")
        second = screened(store, coordinator, protocol, initials="ZW")
        save_note(store, coordinator, first, "serum_igg4_value", "Read from the lab sheet.")
        save_note(
            store, coordinator, first, "serum_igg4_value", "Read from the lab sheet, =1.2 x ULN."
        )
        save_note(store, coordinator, first, "pregnancy_test", "Not asked: a man.")  # not answered
        query = raise_query(
            store, monitor, first, "hiv", "Which assay?", suggested_value="negative"
        )
        answer_query(store, coordinator, query.id, "Fourth generation.", new_value="negative",
                     reason="Result re-read")  # fmt: skip
        close_query(store, monitor, query.id, "Thank you.")
        reopen_query(store, monitor, query.id, "One more look, please.")
        raise_query(
            store, monitor, first, "date_of_birth", "Check the year.", suggested_value="1971-05-12"
        )
        raise_query(store, monitor, second, "consent_date", "Dated a day later?")
        record_audit_review(
            store, monitor, first, date(2023, 3, 1), date(2023, 3, 9), "No finding."
        )
        record_audit_review(store, monitor, first, date(2023, 3, 9), date(2023, 3, 9))
        at_site = {sid: (notes_of(store, sid), queries_of(store, sid), audit_reviews_of(store, sid))
                   for sid in (first, second)}  # fmt: skip
    assert len(at_site[first][0]["serum_igg4_value"].versions) == 2
    password = tmp_path / "password.txt"
    password.write_text(TEST_PASSWORD + "\n", encoding="utf-8")
    bundle = tmp_path / "site.zip"
    assert main(["export", "--out", str(bundle), "--user", "coordinator", "--password-file", str(password),
                 "--data-dir", str(site), "--no-pdf"]) == 0  # fmt: skip
    carried = members(bundle)[JSON_MEMBER]
    numbers = [(e["screening_number"], e["attempt"]) for e in json.loads(carried)]
    assert numbers == [("XIEHE-0001", 1), ("XIEHE-0002", 1)]
    assert b"1971" not in carried  # a date of birth stays at the site
    into = tmp_path / "centre"
    assert main(["consolidate", str(bundle), "--into", str(into)]) == 0
    with ConsolidatedStore(into, read_only=True) as centre:
        for sid, number in ((first, "XIEHE-0001"), (second, "XIEHE-0002")):
            record = consolidated_record(centre, number)
            at_centre = [record.notes, record.queries, record.audit_reviews]
            assert at_centre == _centre_view(list(at_site[sid])), number
    # Printed, the note's version and the +08:00 of the site's clock show at the centre too.
    pdf = tmp_path / "centre.pdf"
    assert main(["print", "summary", "XIEHE-0001", "--out", str(pdf), "--consolidated", str(into)]) == 0  # fmt: skip
    text = _pdf_text(pdf)
    assert "version 2, by Coordinator Wang, 2023-03-09" in text
    assert "(UTC+08:00)" in text
    assert "Reopened by Monitor Li" in text
    assert "2023-03-01 to 2023-03-09, reviewed by Monitor Li" in text


def test_a_bundle_with_a_malformed_annotations_json_is_refused_whole(tmp_path: Path) -> None:
    _, bundle = demo_site_bundle(tmp_path)
    files = members(bundle)
    carried = json.loads(files[JSON_MEMBER])
    carried[0]["queries"][0]["steps"][0]["action"] = "deleted"
    forged = resigned(
        files, {JSON_MEMBER: json.dumps(carried).encode()}, Ed25519PrivateKey.generate()
    )
    refused = read_verified(write(tmp_path / "forged.zip", raw_zip(entries(forged))), None)
    assert "'action' is 'deleted', not one of raised, answered, closed, reopened" in str(refused)
    carried = json.loads(files[JSON_MEMBER])
    carried[0]["screening_number"] = "OTHER-0001"
    forged = resigned(
        files, {JSON_MEMBER: json.dumps(carried).encode()}, Ed25519PrivateKey.generate()
    )
    refused = read_verified(write(tmp_path / "forged.zip", raw_zip(entries(forged))), None)
    assert "annotations.json names OTHER-0001/1, not once a screening of screenings.json" in str(
        refused
    )


def test_a_bundle_from_before_annotations_json_consolidates_and_prints_into_an_older_centre(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    demo, bundle = demo_site_bundle(tmp_path)
    # The same bundle as Eligo wrote it before annotations.json existed, an hour earlier (its
    # attachments.json without the clock's offset and the removal reasons).
    files = members(bundle)
    manifest = json.loads(files.pop("manifest.json"))
    del manifest["files"][JSON_MEMBER], files[JSON_MEMBER]
    listed = json.loads(files["attachments.json"])
    for entry in listed:
        del entry["utc_offset"], entry["removal_reason"]
    earlier = datetime.fromisoformat(manifest["exported_at"].replace("Z", "+00:00")) - timedelta(
        hours=1
    )
    manifest["exported_at"] = earlier.strftime("%Y-%m-%dT%H:%M:%SZ")
    old = write(tmp_path / "old.zip", raw_zip(entries(resigned(
        files, {"manifest.json": json.dumps(manifest).encode(), "attachments.json": json.dumps(listed).encode()},
        Ed25519PrivateKey.generate()))))  # fmt: skip
    # A centre's store made by that Eligo too: its first two migrations only.
    into = tmp_path / "centre"
    into.mkdir()
    older = Migrations("eligo-consolidated")
    older(name="0001_consolidated")(consolidated._m0001)
    older(name="0002_chain_extension")(consolidated._m0002)
    db = Database(into / consolidated.FILE_NAME)
    older.apply(db)
    db.close()

    assert main(["consolidate", str(old), "--into", str(into)]) == 0
    assert "DEMO: imported (41 new, 0 updated, 0 unchanged screening(s))" in capsys.readouterr().out
    with ConsolidatedStore(into, read_only=True) as centre:
        assert centre.annotations("DEMO", "DEMO-0002", 1) == {}
        record = consolidated_record(centre, "DEMO-0001")
        assert (record.notes, record.queries, record.audit_reviews) == ({}, [], [])
        (sheet,) = record.attachments
        assert (sheet.kind, sheet.utc_offset, sheet.removal_reason) == ("lab_sheet", None, None)
    pdf = tmp_path / "old.pdf"
    assert (
        main(["print", "summary", "DEMO-0001", "--out", str(pdf), "--consolidated", str(into)]) == 0
    )
    printed = _pdf_text(pdf)
    assert "Eligibility confirmed by investigator Dr. Demo Investigator (DEMO)" in printed
    assert "Note on" not in printed
    assert "Monitor queries" not in printed
    # The day the laboratory sheet was added, in UTC, said so: that bundle has no clock offset.
    assert re.search(
        r"Serum IgG4 value: PDF, 20.1 kB, added \d{4}-\d{2}-\d{2} \(UTC\), SHA-256", printed
    )

    # The site's next bundle carries them: the two screenings with notes and queries are updated
    # (their earlier rows kept, with none), and the centre prints what the site prints.
    capsys.readouterr()
    assert main(["consolidate", str(bundle), "--into", str(into)]) == 0
    assert "DEMO: imported (0 new, 2 updated, 39 unchanged screening(s))" in capsys.readouterr().out
    with ConsolidatedStore(into, read_only=True) as centre:
        (earlier_row,) = centre.history("DEMO", "DEMO-0001", 1)
        assert earlier_row["annotations"]["notes"] == []
        assert "utc_offset" not in earlier_row["annotations"]["attachments"][0]
        assert centre.annotations("DEMO", "DEMO-0001", 1)["notes"]
    for number in ("DEMO-0001", "DEMO-0002"):
        site_pdf, centre_pdf = tmp_path / f"{number}-site.pdf", tmp_path / f"{number}-centre.pdf"
        assert main(["print", "summary", number, "--out", str(site_pdf), "--data-dir", str(demo),
                     *as_demo_admin()]) == 0  # fmt: skip
        assert (
            main(
                ["print", "summary", number, "--out", str(centre_pdf), "--consolidated", str(into)]
            )
            == 0
        )
        assert _pdf_text(centre_pdf) == _pdf_text(site_pdf), number
    assert "Monitor queries" in _pdf_text(tmp_path / "DEMO-0002-centre.pdf")
