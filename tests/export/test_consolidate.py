"""Consolidation at the coordinating centre: verified bundles only, keyed by site and screening,
idempotent, newer bundles update rows and keep history, and the trial-wide log prints."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from helpers import (
    ELIGIBLE,
    TEST_PASSWORD,
    add_user,
    answers,
    as_demo_admin,
    confirmed,
    demo_site_bundle,
    open_test_store,
    screened,
)
from hypothesis import given
from hypothesis import strategies as st
from pypdf import PdfReader

from desktop_app.cli import main
from desktop_app.export.bundle import csv_cell, csv_value
from desktop_app.rules import LoadedProtocol
from desktop_app.store import (
    create_site,
    get_account,
    save_answer,
)
from desktop_app.store.answers import record_outcome
from desktop_app.store.consolidated import ConsolidatedStore


def export(data: Path, out: Path, password_file: Path) -> Path:
    assert main(["export", "--out", str(out), "--user", "coordinator", "--password-file", str(password_file),
                 "--data-dir", str(data), "--no-pdf"]) == 0  # fmt: skip
    return out


def make_site(
    folder: Path, protocol: LoadedProtocol, code: str, docs: list[dict[str, object]]
) -> Path:
    """A real (not DEMO) site store with one screening per answers document."""
    with open_test_store(folder) as store:
        create_site(
            store, None, code=code, name=f"Site {code}", principal_investigator=f"Dr. {code}"
        )
        user = add_user(store, "coordinator", full_name=f"Coordinator {code}")
        for doc in docs:
            screened(store, user, protocol, doc, initials="XY")
    return folder


@pytest.fixture
def site_b(tmp_path: Path, protocol: LoadedProtocol) -> Path:
    """A site with three candidates: eligible, HIV positive, HBsAg positive."""
    return make_site(
        tmp_path / "site-b",
        protocol,
        "XIEHE",
        [ELIGIBLE, answers(hiv="positive"), answers(hbsag="positive")],
    )


@pytest.fixture
def password_file(tmp_path: Path) -> Path:
    path = tmp_path / "password.txt"
    path.write_text(TEST_PASSWORD + "\n", encoding="utf-8")
    return path


def test_consolidate_two_sites_then_a_newer_bundle(
    tmp_path: Path, site_b: Path, password_file: Path, protocol: LoadedProtocol,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    site_a = make_site(tmp_path / "site-a", protocol, "PUMCH",
                       [ELIGIBLE, answers(hiv="positive"), ELIGIBLE, answers(known_immunodeficiency=True)])  # fmt: skip
    with open_test_store(site_a, clock=lambda: datetime(2023, 3, 9, 9, 0).astimezone()) as store:
        confirmed(store, 1)  # on 2023-03-09: enrolment on or after it
        record_outcome(store, get_account(store, "coordinator"), 1, "enrolled", randomization_number="R-100",
                       enrolled_on=date(2023, 3, 20))  # fmt: skip
    bundle_a = export(site_a, tmp_path / "a1.zip", password_file)
    first_b = export(site_b, tmp_path / "b1.zip", password_file)
    into = tmp_path / "centre"
    capsys.readouterr()
    assert main(["consolidate", str(bundle_a), str(first_b), "--into", str(into)]) == 0
    out = capsys.readouterr().out
    assert "a1.zip: PUMCH: imported (4 new, 0 updated, 0 unchanged screening(s))" in out
    assert "b1.zip: XIEHE: imported (3 new, 0 updated, 0 unchanged screening(s))" in out
    assert "2 site(s), 7 candidate(s) assessed, 1 enrolled" in out

    # The same bundle again changes nothing.
    assert main(["consolidate", str(first_b), "--into", str(into)]) == 0
    assert "XIEHE: already imported, nothing changed" in capsys.readouterr().out

    # The site records an outcome and sends a newer bundle: that row is updated, history kept.
    with open_test_store(site_b) as store:
        confirmed(store, 1)
        record_outcome(store, get_account(store, "coordinator"), 1, "enrolled", randomization_number="R-001",
                       enrolled_on=date.today())  # fmt: skip
    second_b = export(site_b, tmp_path / "b2.zip", password_file)
    assert main(["consolidate", str(second_b), "--into", str(into)]) == 0
    assert "XIEHE: imported (0 new, 1 updated, 2 unchanged screening(s))" in capsys.readouterr().out
    with ConsolidatedStore(into, read_only=True) as centre:
        (enrolled,) = centre.log_rows("XIEHE-0001")
        assert enrolled.outcome.startswith("enrolled R-001")
        history = centre.history("XIEHE", "XIEHE-0001", 1)
        assert len(history) == 1
        assert history[0]["record"]["outcome"] is None
        assert history[0]["replaced_by_bundle_exported_at"] > history[0]["from_bundle_exported_at"]
        consort = centre.consort()
        assert (consort.assessed, consort.enrolled, consort.not_meeting_criteria) == (7, 2, 4)
        assert consort.by_criterion == {"E3": 1, "E8": 3}
        assert [s.code for s in centre.sites()] == ["PUMCH", "XIEHE"]
        assert [s.bundles for s in centre.sites()] == [1, 2]

    # The trial-wide log prints from the consolidated store.
    pdf = tmp_path / "trial-log.pdf"
    assert main(["print", "log", "--consolidated", str(into), "--out", str(pdf)]) == 0
    text = " ".join(
        " ".join(page.extract_text() or "" for page in PdfReader(str(pdf)).pages).split()
    )
    assert "PUMCH-0001" in text
    assert "XIEHE-0003" in text
    assert "2 site(s): PUMCH" in text
    assert "Assessed for eligibility (n = 7)" in text
    assert "DEMO" not in text  # real sites: no watermark


def test_demo_and_real_bundles_are_never_mixed(
    tmp_path: Path, site_b: Path, password_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "demo").mkdir()
    _, demo_bundle = demo_site_bundle(tmp_path / "demo")
    real = export(site_b, tmp_path / "b.zip", password_file)
    assert (
        main(["consolidate", str(real), str(demo_bundle), "--into", str(tmp_path / "real-centre")])
        == 1
    )
    assert (
        "demo-site.zip: refused: bundle: it holds DEMO sample data and this consolidated store holds real sites (XIEHE)"
        in (capsys.readouterr().out)
    )
    assert (
        main(["consolidate", str(demo_bundle), str(real), "--into", str(tmp_path / "demo-centre")])
        == 1
    )
    assert (
        "b.zip: refused: bundle: this consolidated store holds DEMO sample data (DEMO)"
        in capsys.readouterr().out
    )
    with ConsolidatedStore(tmp_path / "demo-centre", read_only=True) as centre:
        assert [s.code for s in centre.sites()] == ["DEMO"]


def test_a_bundle_that_does_not_verify_is_refused_with_the_reason(
    tmp_path: Path, site_b: Path, password_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = export(site_b, tmp_path / "b.zip", password_file)
    with zipfile.ZipFile(bundle) as archive:
        files = {i.filename: archive.read(i) for i in archive.infolist()}
    files["screening_log.csv"] = files["screening_log.csv"].replace(b"XIEHE-0002", b"XIEHE-0009")
    tampered = tmp_path / "tampered.zip"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    tampered.write_bytes(buffer.getvalue())
    into = tmp_path / "centre"
    assert main(["consolidate", str(tampered), "--into", str(into)]) == 1
    out = capsys.readouterr().out
    assert "tampered.zip: refused: it does not verify: screening_log.csv" in out
    with ConsolidatedStore(into, read_only=True) as centre:
        assert centre.log_rows() == []
        assert centre.sites() == []


def test_files_that_cannot_be_written_are_said_in_words_not_a_traceback(
    tmp_path: Path, site_b: Path, password_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = export(site_b, tmp_path / "b.zip", password_file)
    blocked = tmp_path / "a file"
    blocked.write_text("not a folder", encoding="utf-8")
    assert main(["consolidate", str(bundle), "--into", str(blocked / "centre")]) == 2
    assert capsys.readouterr().err.strip() == (
        f"the consolidated store cannot be made or opened in {blocked / 'centre'} (Not a directory)"
    )
    key = tmp_path / "no such folder" / "coordinator.pub"
    assert (
        main(
            [
                "export-key",
                "--user",
                "coordinator",
                "--out",
                str(key),
                "--data-dir",
                str(site_b),
                "--password-file",
                str(password_file),
            ]
        )
        == 2
    )
    assert capsys.readouterr().err.strip() == f"{key}: the folder {key.parent} does not exist"


def test_text_a_spreadsheet_would_run_is_defused_in_the_csv_and_restored_at_the_centre(
    tmp_path: Path, password_file: Path, protocol: LoadedProtocol
) -> None:
    """CSV injection: a name or a reason typed as a formula would run when the sponsor opens the
    CSV in Excel. Such cells get a leading apostrophe (shown as text); the centre reads them back."""
    formula = '=HYPERLINK("http://example.invalid","open")'
    site = tmp_path / "site"
    with open_test_store(site) as store:
        create_site(store, None, code="PUMCH", name="Site PUMCH", principal_investigator="Dr. P")
        user = add_user(store, "coordinator", full_name=formula)
        sid = screened(store, user, protocol, answers(hiv="positive"), initials="XY")
        confirmed(store, sid)  # locked: a change now needs a reason, which the audit trail carries
        save_answer(
            store, user, sid, "consent_form_version", "2.2", reason="@SUM(1+1) form corrected"
        )
    bundle = export(site, tmp_path / "site.zip", password_file)
    with zipfile.ZipFile(bundle) as archive:
        log = archive.read("screening_log.csv").decode("utf-8-sig")
        audit = archive.read("audit_trail.csv").decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(log + audit)) for cell in row]
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@")) and c != "+00:00"]
    assert "+00:00" in cells  # a UTC offset stays as it is: nothing in it runs
    assert "'" + formula in cells
    assert "'@SUM(1+1) form corrected" in cells
    into = tmp_path / "centre"
    assert main(["consolidate", str(bundle), "--into", str(into)]) == 0
    with ConsolidatedStore(into, read_only=True) as centre:
        assert [row.coordinator for row in centre.log_rows()] == [formula]


@given(st.text())
def test_a_csv_cell_gives_back_the_value_it_was_written_from(value: str) -> None:
    written = csv_cell(value)
    assert not written.startswith(("=", "@", "\t", "\r"))
    assert (
        not written.startswith(("+", "-"))
        or written.lstrip("+-").replace(":", "").replace(".", "").isdigit()
    )
    assert csv_value(written) == value


def test_with_trusted_keys_an_unknown_signer_is_refused(
    tmp_path: Path, site_b: Path, password_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bundle = export(site_b, tmp_path / "b.zip", password_file)
    with open_test_store(site_b) as store:
        other = add_user(store, "other", full_name="Someone Else")
    keys = tmp_path / "keys.json"
    assert (
        main(
            [
                "export-key",
                "--user",
                "other",
                "--out",
                str(keys),
                "--data-dir",
                str(site_b),
                "--password-file",
                str(password_file),
            ]
        )
        == 0
    )
    assert other.username == "other"
    into = tmp_path / "centre"
    assert main(["consolidate", str(bundle), "--into", str(into), "--trusted-keys", str(keys)]) == 1
    out = capsys.readouterr().out
    assert "b.zip: refused: it does not verify: the signer's key" in out
    assert "is not in the trusted keys" in out
    assert (
        main(
            [
                "export-key",
                "--user",
                "coordinator",
                "--out",
                str(keys),
                "--data-dir",
                str(site_b),
                "--password-file",
                str(password_file),
            ]
        )
        == 0
    )
    assert main(["consolidate", str(bundle), "--into", str(into), "--trusted-keys", str(keys)]) == 0


def test_an_older_bundle_after_a_newer_one_is_refused(
    tmp_path: Path, site_b: Path, password_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = export(site_b, tmp_path / "old.zip", password_file)
    new = export(site_b, tmp_path / "new.zip", password_file)
    into = tmp_path / "centre"
    assert main(["consolidate", str(new), "--into", str(into)]) == 0
    assert main(["consolidate", str(old), "--into", str(into)]) == 1
    assert "only a newer bundle updates a site" in capsys.readouterr().out
    with ConsolidatedStore(into, read_only=True) as centre:
        assert [s.bundles for s in centre.sites()] == [1]


def pdf_text(path: Path) -> str:
    import unicodedata

    text = " ".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
    return " ".join(unicodedata.normalize("NFKC", text).split())


def test_a_summary_printed_at_the_centre_matches_the_sites_own(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import re
    import sqlite3

    demo, bundle = demo_site_bundle(tmp_path)
    into = tmp_path / "centre"
    assert main(["consolidate", str(bundle), "--into", str(into)]) == 0

    def printed(*where: str, number: str) -> str:
        out = tmp_path / f"{number}-{len(where)}.pdf"
        assert main(["print", "summary", number, "--out", str(out), *where]) == 0
        # The footer's print time differs between two printouts; everything else must not.
        return re.sub(r"printed \S+ \S+ \(UTC[+-]\d{2}:\d{2}\)", "printed …", pdf_text(out))

    for number in (
        "DEMO-0001",
        "DEMO-0018",
        "DEMO-0021",
    ):  # signed twice; signature invalidated; ineligible
        site = printed("--data-dir", str(demo), *as_demo_admin(), number=number)
        centre = printed("--consolidated", str(into), number=number)
        assert centre == site, number
    signed = printed("--consolidated", str(into), number="DEMO-0001")
    assert "Eligibility confirmed by investigator Dr. Demo Investigator (DEMO)" in signed
    assert "UNSIGNED DRAFT" not in signed
    # The DEMO laboratory sheet, as the site listed it (the same text is compared above).
    assert re.search(
        r"Source\s+documents\s+attached\s+Laboratory\s+sheet\s+“DEMO\s+laboratory\s+sheet\s+\(serum\s+IgG4\)”"
        r"\s+on\s+Serum\s+IgG4\s+value:\s+PDF,\s+20.1\s+kB,\s+added\s+\d{4}-\d{2}-\d{2},\s+SHA-256"
        r"\s+[0-9a-f]{4}\s+[0-9a-f]{4}\s+[0-9a-f]{4}\s+[0-9a-f]{4}\s",
        signed,
    ), signed
    assert "SIGNATURE INVALIDATED" in printed("--consolidated", str(into), number="DEMO-0018")

    # A record changed after it was signed, with no invalidation recorded, prints as TAMPERED.
    db = sqlite3.connect(into / "consolidated.db")
    (text,) = db.execute(
        "SELECT record FROM screenings WHERE screening_number = 'DEMO-0001'"
    ).fetchone()
    record = json.loads(text)
    assert record["answers"]["consent_form_version"] == "2.1"
    record["answers"]["consent_form_version"] = "9.9"
    db.execute(
        "UPDATE screenings SET record = ? WHERE screening_number = 'DEMO-0001'",
        [json.dumps(record)],
    )
    db.commit()
    db.close()
    assert "TAMPERED" in printed("--consolidated", str(into), number="DEMO-0001")
    assert (
        main(
            [
                "print",
                "summary",
                "DEMO-9999",
                "--out",
                str(tmp_path / "x.pdf"),
                "--consolidated",
                str(into),
            ]
        )
        == 2
    )
    assert "no screening DEMO-9999 in the consolidated store" in capsys.readouterr().err
