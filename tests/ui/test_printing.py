"""Binder printouts: real text in the PDF, every criterion and signature, page numbers on every
page, rows never cut across pages, and one page rendered to PNG."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import pytest
from helpers import (
    ELIGIBLE,
    TEST_PASSWORD,
    add_user,
    answer_dialogs,
    answers,
    as_demo_admin,
    as_user,
    demo_site_bundle,
    open_test_store,
    screened,
)
from pypdf import PdfReader

from desktop_app.cli import main
from desktop_app.rules import LoadedProtocol, evaluate
from desktop_app.store import (
    Store,
    create_site,
    register_candidate,
    save_answers,
    start_screening,
)
from desktop_app.store.signatures import sign_screening


def pages_text(path: Path) -> list[str]:
    """The text of each page: ligatures (fi) unfolded, whitespace (pypdf gives tabs) folded to spaces."""
    return [" ".join(unicodedata.normalize("NFKC", page.extract_text() or "").split())
            for page in PdfReader(str(path)).pages]  # fmt: skip


@pytest.fixture
def signed_store(tmp_path: Path, protocol: LoadedProtocol) -> Path:
    data = tmp_path / "data"
    with open_test_store(data) as store:
        create_site(
            store,
            None,
            code="PUMCH",
            name="Peking Union Medical College Hospital",
            principal_investigator="Dr. Zhang",
        )
        coordinator = add_user(store, "coordinator", full_name="Li Na")
        investigator = add_user(
            store, "investigator", roles=("investigator",), full_name="Dr. Wang Wei"
        )
        for doc in (ELIGIBLE, answers(hiv="positive", known_immunodeficiency=True)):
            screening = start_screening(
                store,
                coordinator,
                register_candidate(store, coordinator, initials="AB").id,
                protocol,
            )
            save_answers(
                store, coordinator, screening.id, doc, determination=evaluate(protocol, doc)
            )
        sign_screening(store, coordinator, 1, TEST_PASSWORD)
        sign_screening(store, investigator, 1, TEST_PASSWORD)
    return data


def print_summary(data: Path, number: str, out: Path) -> int:
    """`eligo print summary NUMBER` by the coordinator, to `out`; its exit code."""
    return main(["print", "summary", number, "--out", str(out), "--data-dir", str(data),
                 *as_user("coordinator")])  # fmt: skip


def test_summary_pdf(
    signed_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "summary.pdf"
    assert print_summary(signed_store, "PUMCH-0001", out) == 0
    pages = pages_text(out)
    text = " ".join(" ".join(pages).split())
    for criterion in [*(f"I{i}" for i in range(1, 5)), *(f"E{i}" for i in range(1, 10))]:
        assert criterion in text
    assert "Belimumab Treatment for IgG4-related Disease" in text
    assert "NCT04660565" in text
    assert "Determination: ELIGIBLE" in text
    assert "Total (classified at ≥ 20)" in text
    assert "Screening performed by Li Na" in text
    assert "Eligibility confirmed by investigator Dr. Wang Wei" in text
    assert "UNSIGNED DRAFT" not in text
    assert "Signature: ____" in text
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page


def test_an_unsigned_ineligible_summary_says_so(signed_store: Path, tmp_path: Path) -> None:
    out = tmp_path / "summary2.pdf"
    assert print_summary(signed_store, "PUMCH-0002", out) == 0
    text = " ".join(" ".join(pages_text(out)).split())
    assert "UNSIGNED DRAFT" in text
    assert "Determination: INELIGIBLE" in text
    assert "E3: reported" in text
    assert "E8: HIV positive" in text


def test_a_300_row_log_paginates_without_cutting_a_row(
    tmp_path: Path, protocol: LoadedProtocol
) -> None:
    data = tmp_path / "data"
    with open_test_store(data) as store:
        create_site(store, None, code="BIG", name="Big site", principal_investigator="Dr. PI")
        user = add_user(store, "coordinator", full_name="Coordinator Zeta")
        result = evaluate(protocol, ELIGIBLE)
        for _ in range(300):
            screening = start_screening(
                store, user, register_candidate(store, user, initials="AB").id, protocol
            )
            save_answers(store, user, screening.id, ELIGIBLE, determination=result)
    out = tmp_path / "log.pdf"
    assert (
        main(["print", "log", "--out", str(out), "--data-dir", str(data), *as_user("coordinator")])
        == 0
    )
    pages = pages_text(out)
    assert len(pages) > 3
    for number, page in enumerate(pages, start=1):
        assert f"Page {number} of {len(pages)}" in page
    for i in range(1, 301):
        holding = [p for p in pages if f"BIG-{i:04d}" in p]
        assert len(holding) == 1, i  # each row on exactly one page
        row = holding[0].split(f"BIG-{i:04d}", 1)[1].split("BIG-", 1)[0]
        assert "2023-03-08" in row  # the rest of the row is on the same page
    assert "End of log." in pages[-1] or "End of log." in pages[-2]
    assert "Assessed for eligibility" in " ".join(pages[-2:])
    png = shutil.which("pdftoppm")
    if png is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    subprocess.run(
        [png, "-png", "-r", "50", "-f", "1", "-l", "1", str(out), str(tmp_path / "page")],
        check=True,
    )
    (rendered,) = tmp_path.glob("page-*.png")  # pdftoppm pads the number to the page count's width
    assert rendered.stat().st_size > 10_000


def test_demo_printouts_carry_the_watermark(tmp_path: Path) -> None:
    data = tmp_path / "demo"
    assert main(["demo", "--data-dir", str(data)]) == 0
    out = tmp_path / "demo-log.pdf"
    assert (
        main(
            [
                "print",
                "log",
                "--out",
                str(out),
                "--data-dir",
                str(data),
                "--page-size",
                "Letter",
                *as_demo_admin(),
            ]
        )
        == 0
    )
    pages = pages_text(out)
    assert all("DEMO" in p for p in pages)
    assert "CONSORT flow of the screening log" in pages[-1]  # the drawn flow diagram
    assert "Assessed for eligibility (n = 40)" in pages[-1]
    assert "Enrolled (n = 12)" in pages[-1]
    text = " ".join(pages)
    assert "DEMO-MRN" not in text  # no direct identifiers
    page = PdfReader(str(out)).pages[0]
    assert round(float(page.mediabox.width)) in (612, 792)  # Letter, portrait or landscape


def test_save_as_pdf_from_the_main_window_remembers_letter(
    qtbot: object,
    signed_store: Path,
    tmp_path: Path,
    protocol: LoadedProtocol,
    monkeypatch: pytest.MonkeyPatch,
) -> None:

    from desktop_app.ui.print_actions import page_size

    out = tmp_path / "from-window.pdf"
    answer_dialogs(monkeypatch, save=out)
    with open_test_store(signed_store) as store:
        window = coordinator_window(qtbot, store, protocol)
        window.letter_action.setChecked(True)
        assert page_size() == "Letter"
        window.log_view.table.selectRow(window.log_view.model.rowCount() - 1)
        window.pdf_summary_action.trigger()
        assert out.exists()
        text = " ".join(pages_text(out))
        assert "Screening PUMCH-000" in text
        assert round(float(PdfReader(str(out)).pages[0].mediabox.width)) == 612  # Letter
        window.letter_action.setChecked(False)
        assert page_size() == "A4"


def test_a_pdf_that_cannot_be_written_is_said_so_and_leaves_nothing_behind(
    qtbot: object,
    signed_store: Path,
    tmp_path: Path,
    protocol: LoadedProtocol,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Qt only warns when a PDF cannot be opened: the CLI said "2 page(s)" and the window "Saved"
    for files never written. Now a missing folder or a printout that cannot start is an error that
    names the file, and an older file of the same name is kept whole."""
    from PySide6.QtWidgets import QMessageBox

    from desktop_app.ui import print_actions
    from desktop_app.ui.printing import NotPrintedError

    missing = tmp_path / "no such folder" / "log.pdf"
    assert (
        main(
            [
                "print",
                "log",
                "--out",
                str(missing),
                "--data-dir",
                str(signed_store),
                *as_user("coordinator"),
            ]
        )
        == 2
    )
    assert f"the folder {missing.parent} does not exist" in capsys.readouterr().err
    assert not missing.parent.exists()

    kept = tmp_path / "log.pdf"
    kept.write_bytes(b"the older printout")
    folder = tmp_path / "a folder, not a file"
    folder.mkdir()
    real_writer = print_actions.pdf_writer
    monkeypatch.setattr(print_actions, "pdf_writer", lambda path, size: real_writer(folder, size))
    warnings: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text: warnings.append(text))
    answer_dialogs(monkeypatch, save=kept)
    with open_test_store(signed_store) as store:
        window = coordinator_window(qtbot, store, protocol)
        with pytest.raises(NotPrintedError, match="could not be opened for writing"):
            print_actions.Printout.of_store(store, protocol, None).save_pdf(kept)
        window.pdf_log_action.trigger()
    assert warnings == [
        f"{kept} was not saved: the printer or file could not be opened for writing"
    ]
    assert "Saved" not in window.statusBar().currentMessage()
    assert kept.read_bytes() == b"the older printout"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a folder, not a file", "data", "log.pdf"]


def test_a_pdf_cut_short_is_not_taken_for_a_complete_one(
    signed_store: Path, tmp_path: Path
) -> None:
    from desktop_app.ui.print_actions import _complete_pdf

    out = tmp_path / "log.pdf"
    assert (
        main(
            [
                "print",
                "log",
                "--out",
                str(out),
                "--data-dir",
                str(signed_store),
                *as_user("coordinator"),
            ]
        )
        == 0
    )
    assert _complete_pdf(out)
    out.write_bytes(out.read_bytes()[:-200])  # what a full disk leaves
    assert not _complete_pdf(out)


def test_export_and_verify_from_the_main_window(
    qtbot: object,
    signed_store: Path,
    tmp_path: Path,
    protocol: LoadedProtocol,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QMessageBox

    from desktop_app.ui.export_dialogs import ExportDialog, VerifyDialog

    out = tmp_path / "bundle.zip"

    def fill_in(dialog: ExportDialog) -> int:  # what the coordinator types, then Export
        dialog.path.setText(str(out))
        dialog.password.setText(TEST_PASSWORD)
        dialog._on_buttons_accepted()
        return dialog.result()

    shown: list[str] = []
    monkeypatch.setattr(ExportDialog, "exec", fill_in)
    monkeypatch.setattr(QMessageBox, "information", lambda parent, title, text: shown.append(text))
    answer_dialogs(monkeypatch, open_=out)
    monkeypatch.setattr(VerifyDialog, "exec", lambda self: 0)
    with open_test_store(signed_store) as store:
        window = coordinator_window(qtbot, store, protocol)
        window.export_action.trigger()
        assert len(shown) == 1
        summary = f"Exported 2 screening attempt(s) to {out}, signed."
        assert shown[0].startswith(f"{summary}\n\nSigned by Li Na with key ")
        assert window.statusBar().currentMessage() == summary
        report = VerifyDialog.ask(window, store)
        assert report is not None
        assert report.exit_code == 3  # this copy trusts no key yet: valid, the signer unchecked
        assert report.verdict.startswith("VALID, SIGNER NOT CHECKED: ")
        assert any("screening_log.pdf" in line for line in report.lines)

        # the next export offers the site's dated name in the folder used last time
        dialog = exporting(qtbot, store, protocol, window.user)
        assert re.fullmatch(rf"{re.escape(str(tmp_path))}/PUMCH-screening-log-\d{{4}}-\d{{2}}-\d{{2}}\.zip",
                            dialog.path.text())  # fmt: skip
        dialog.show()  # the password is what is left to type
        qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.password)  # type: ignore[attr-defined]


def test_the_verify_dialog_leads_with_the_verdict_and_what_the_bundle_states(
    qtbot: object, tmp_path: Path, protocol: LoadedProtocol
) -> None:
    from desktop_app.export.verify import verify_bundle
    from desktop_app.ui.export_dialogs import STATED, VerifyDialog

    data, bundle = demo_site_bundle(tmp_path)
    with open_test_store(data, read_only=True) as store:
        key = store.db.execute("SELECT public_key FROM user_keys k JOIN users u ON u.id = k.user_id "
                               "WHERE u.username = 'demo.coordinator'").fetchone()[0]  # fmt: skip
    report = verify_bundle(bundle, {key: "DEMO"})
    dialog = VerifyDialog(report, bundle)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    # The four outcomes of `verify` (exit 0, 3, 1, 2), each in words, a symbol and a colour.
    assert dialog.verdict.text() == "✔ Valid, signed by a trusted key"
    assert dialog.detail.text().startswith("VALID: signed by Demo Coordinator (DEMO) (key ")
    assert [label for label, _ in report.stated] == list(STATED)  # every statement has its label
    stated = dict(report.stated)
    assert stated["site"] == "DEMO site - sample data, not real patients"  # not "DEMO DEMO site"
    assert stated["exported by"].startswith("Demo Coordinator (DEMO) (demo.coordinator), key ")
    assert stated["screenings"] == "41"
    dialog.save_report(tmp_path / "report.txt")
    saved = (tmp_path / "report.txt").read_text(encoding="utf-8")
    assert saved.startswith(f"Verification of {bundle}\n")
    assert "stated   screenings: 41" in saved
    assert "stated   site: DEMO site - sample data, not real patients\n" in saved
    assert saved.rstrip().splitlines()[-1].startswith("VALID: signed by Demo Coordinator")
    assert dialog.message.text() == f"Saved {tmp_path / 'report.txt'}"

    dialog = VerifyDialog(verify_bundle(bundle), bundle)  # no trust list
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    assert dialog.verdict.text().startswith("⚠ Valid, but the signer was not checked")
    assert dialog.detail.text().startswith("VALID, SIGNER NOT CHECKED: ")

    dialog = VerifyDialog(verify_bundle(bundle, {"00" * 32: "DEMO"}), bundle)  # another key
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    assert dialog.verdict.text() == "✖ Invalid: do not use this bundle"
    assert "is not in the trusted keys" in dialog.detail.text()

    unreadable = tmp_path / "unreadable.zip"
    unreadable.write_bytes(bundle.read_bytes()[:1000])
    dialog = VerifyDialog(verify_bundle(unreadable, {key: "DEMO"}), unreadable)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    assert dialog.verdict.text() == "✖ Unreadable: not a bundle that can be checked"
    assert dialog.detail.text().startswith("UNREADABLE: ")

    tampered = tmp_path / "tampered.zip"
    with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(tampered, "w") as target:
        for info in source.infolist():
            data_bytes = source.read(info)
            if info.filename == "screening_log.csv":
                data_bytes = data_bytes.replace(b"DEMO-0001", b"DEMO-0101")
            target.writestr(info, data_bytes)
    dialog = VerifyDialog(verify_bundle(tampered, {key: "DEMO"}), tampered)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    assert dialog.verdict.text() == "✖ Invalid: do not use this bundle"
    assert dialog.detail.text() == (
        "INVALID: 1 check(s) failed: screening_log.csv: sha256 differs from the manifest"
    )


def test_the_export_dialog_says_what_is_wrong_and_stays_open(
    qtbot: object,
    signed_store: Path,
    tmp_path: Path,
    protocol: LoadedProtocol,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from PySide6.QtWidgets import QDialog, QMessageBox

    with open_test_store(signed_store) as store:
        coordinator = coordinator_window(qtbot, store, protocol).user

        dialog = exporting(
            qtbot, store, protocol, coordinator, tmp_path / "a.zip", "wrong password"
        )
        assert dialog.error.text() == "Not exported: Wrong password."
        assert dialog.result() != QDialog.DialogCode.Accepted
        assert dialog.password.text() == ""
        assert not (tmp_path / "a.zip").exists()

        missing = tmp_path / "no such folder" / "a.zip"
        dialog = exporting(qtbot, store, protocol, coordinator, missing, TEST_PASSWORD)
        assert dialog.error.text() == (
            f"Not exported: {missing} was not written: the folder {missing.parent} does not exist"
        )
        assert not missing.parent.exists()  # no folder made from a typing mistake

        dialog = exporting(qtbot, store, protocol, coordinator, tmp_path / "named", TEST_PASSWORD)
        assert dialog.result() == QDialog.DialogCode.Accepted
        assert dialog.written == tmp_path / "named.zip"
        assert (tmp_path / "named.zip").exists()

        older = tmp_path / "older.zip"
        older.write_bytes(b"last month's export")
        monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.No)
        dialog = exporting(qtbot, store, protocol, coordinator, older, TEST_PASSWORD)
        assert dialog.result() != QDialog.DialogCode.Accepted
        assert older.read_bytes() == b"last month's export"
        monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
        dialog = exporting(qtbot, store, protocol, coordinator, older, TEST_PASSWORD)
        assert dialog.result() == QDialog.DialogCode.Accepted
        assert older.read_bytes().startswith(b"PK")
        assert not [p.name for p in tmp_path.iterdir() if "partial" in p.name]


def exporting(
    qtbot: object, store: Store, protocol: LoadedProtocol, user: Any,
    path: Path | None = None, password: str | None = None,
) -> Any:  # fmt: skip
    """The export dialog; with a path and a password, typed in and Export pressed."""
    from desktop_app.ui.export_dialogs import ExportDialog

    dialog = ExportDialog(store, protocol, user)
    qtbot.addWidget(dialog)  # type: ignore[attr-defined]
    if path is not None and password is not None:
        dialog.path.setText(str(path))
        dialog.password.setText(password)
        dialog._on_buttons_accepted()
    return dialog


def test_trusted_keys_imported_in_the_app_decide_the_verdict(
    qtbot: object,
    signed_store: Path,
    tmp_path: Path,
    protocol: LoadedProtocol,
    monkeypatch: pytest.MonkeyPatch,
) -> None:

    from desktop_app.store import get_account
    from desktop_app.store.trusted_keys import trusted_keys
    from desktop_app.ui.export_dialogs import TrustedKeysDialog, VerifyDialog, export_public_key

    bundle, key_file = tmp_path / "bundle.zip", tmp_path / "investigator.pub.json"
    monkeypatch.setattr(VerifyDialog, "exec", lambda self: 0)
    answer_dialogs(monkeypatch, text=TEST_PASSWORD)
    with open_test_store(signed_store) as store:
        window = coordinator_window(qtbot, store, protocol)
        investigator = get_account(store, "investigator")
        monitor = add_user(store, "monitor", roles=("monitor",), full_name="Mona Monitor")
        answer_dialogs(monkeypatch, save=key_file)
        assert export_public_key(store, investigator, window).startswith("Public key ")
        exporting(
            qtbot, store, protocol, window.user, bundle, TEST_PASSWORD
        )  # the coordinator signs
        answer_dialogs(monkeypatch, open_=bundle)

        coordinator_view = TrustedKeysDialog(store, window.user, window)  # coordinators only look
        qtbot.addWidget(coordinator_view)  # type: ignore[attr-defined]
        assert not coordinator_view.import_button.isEnabled()

        dialog = TrustedKeysDialog(store, monitor, window)
        qtbot.addWidget(dialog)  # type: ignore[attr-defined]
        bad = tmp_path / "bad.json"
        bad.write_text('{"public_key": "abcd"}', encoding="utf-8")
        dialog.import_file(bad)
        assert (
            dialog.message.text()
            == "Not imported: public key file: the public key is not a 32-byte Ed25519 key"
        )
        assert dialog.table.rowCount() == 0
        dialog.import_file(key_file)
        assert dialog.message.text().startswith("Trusted: Dr. Wang Wei (")
        assert dialog.table.rowCount() == 1

        report = VerifyDialog.ask(window, store)
        assert report is not None
        assert (
            report.exit_code == 1
        )  # the coordinator signed it, and only the investigator is trusted
        assert "is not in the trusted keys" in report.verdict

        coordinator_key = tmp_path / "coordinator.pub.json"
        answer_dialogs(monkeypatch, save=coordinator_key)
        export_public_key(store, window.user, window)
        dialog.import_file(coordinator_key)
        report = VerifyDialog.ask(window, store)
        assert report is not None
        assert report.exit_code == 0
        assert report.verdict.endswith("a key trusted for site PUMCH")

        dialog.table.selectRow(1)
        dialog._on_remove_clicked()
        assert [k.printed_name for k in trusted_keys(store)] == ["Dr. Wang Wei"]
        report = VerifyDialog.ask(window, store)
        assert report is not None
        assert report.exit_code == 1
        actions = [
            r[0]
            for r in store.db.execute(
                "SELECT action FROM audit WHERE entity = 'trusted_key' ORDER BY seq"
            )
        ]
        assert actions == ["trusted_key_imported", "trusted_key_imported", "trusted_key_removed"]


def coordinator_window(qtbot: object, store: Store, protocol: LoadedProtocol) -> Any:
    """The main window as the signed store's coordinator sees it."""
    from desktop_app.store import get_account
    from desktop_app.ui.main_window import MainWindow

    window = MainWindow(protocol, store, get_account(store, "coordinator"), idle_ms=600_000)
    qtbot.addWidget(window)  # type: ignore[attr-defined]
    return window


def embedded_fonts(path: Path) -> dict[str, bool]:
    """Each font of the PDF by its base name, and whether its glyphs are embedded in the file."""
    fonts: dict[str, bool] = {}
    for page in PdfReader(str(path)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            described = descendants[0].get_object() if descendants else font
            descriptor = described.get("/FontDescriptor")
            embedded = bool(descriptor) and any(
                key in descriptor.get_object() for key in ("/FontFile", "/FontFile2", "/FontFile3")
            )
            fonts[str(font["/BaseFont"])] = embedded or font.get("/Subtype") == "/Type3"
    return fonts


def test_chinese_names_print_as_real_text_with_an_embedded_font(
    tmp_path: Path, protocol: LoadedProtocol
) -> None:
    data = tmp_path / "data"
    with open_test_store(data) as store:
        create_site(store, None, code="PUMCH", name="北京协和医院", principal_investigator="张文")
        coordinator = add_user(store, "coordinator", full_name="李娜")
        investigator = add_user(store, "investigator", roles=("investigator",), full_name="王伟")
        screened(store, coordinator, protocol, initials="LN")
        sign_screening(store, coordinator, 1, TEST_PASSWORD)
        sign_screening(store, investigator, 1, TEST_PASSWORD)
    summary, log = tmp_path / "summary.pdf", tmp_path / "log.pdf"
    main(
        [
            "print",
            "summary",
            "PUMCH-0001",
            "--out",
            str(summary),
            "--data-dir",
            str(data),
            *as_user("coordinator"),
        ]
    )
    main(["print", "log", "--out", str(log), "--data-dir", str(data), *as_user("coordinator")])
    text = " ".join(pages_text(summary))
    assert "Site: 北京协和医院" in text
    assert "Principal investigator: 张文" in text
    assert "Eligibility confirmed by investigator 王伟" in text
    assert "李娜" in " ".join(pages_text(log))
    fonts = embedded_fonts(summary)
    assert any("WenQuanYi" in name or "CJK" in name or "Droid" in name for name in fonts), fonts
    assert all(fonts.values()), fonts


def test_a_screening_made_under_another_protocol_version_says_so(
    tmp_path: Path, protocol: LoadedProtocol
) -> None:
    from desktop_app.store.reports import screening_record
    from desktop_app.ui.printing import summary_html

    data = tmp_path / "data"
    with open_test_store(data) as store:
        create_site(store, None, code="PUMCH", name="PUMCH", principal_investigator="PI")
        user = add_user(store, "coordinator")
        record = screening_record(store, screened(store, user, protocol))
    assert "determined under protocol" not in summary_html(protocol, record)
    older = record.screening.model_copy(
        update={"protocol_version": "0.9", "protocol_sha256": "ab" * 32}
    )
    html = summary_html(protocol, dataclasses.replace(record, screening=older))
    assert (
        "this screening was determined under protocol NCT04660565 version 0.9 (sha256 abababababab)"
        in html
    )


def dark_pixels(pdf: Path, tmp_path: Path, name: str) -> int:
    """How many near-black pixels page 1 of a PDF holds, rendered at 40 dpi."""
    from PySide6.QtGui import QImage

    png = shutil.which("pdftoppm")
    if png is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    subprocess.run([png, "-png", "-r", "40", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                    str(tmp_path / name)], check=True)  # fmt: skip
    image = QImage(str(tmp_path / f"{name}.png"))
    return sum(
        1
        for y in range(0, image.height(), 2)
        for x in range(0, image.width(), 2)
        if image.pixelColor(x, y).lightnessF() < 0.35
    )


def test_a_dark_screen_palette_never_reaches_the_paper(
    qapp: Any, signed_store: Path, tmp_path: Path, protocol: LoadedProtocol
) -> None:
    """Under a dark system palette (light text) the summary prints black on white, as it does under
    a light one: printing uses its own palette, never the screen's."""
    from PySide6.QtGui import QColor, QPalette

    from desktop_app.ui.print_actions import Printout

    with open_test_store(signed_store) as store:
        printout = Printout.of_store(store, protocol, 1)
    light = qapp.palette()
    printout.save_pdf(tmp_path / "light.pdf")
    dark = QPalette(light)
    for role, colour in ((QPalette.ColorRole.Text, "#e6e6e6"), (QPalette.ColorRole.WindowText, "#e6e6e6"),
                         (QPalette.ColorRole.Base, "#1e1e1e"), (QPalette.ColorRole.Window, "#2b2b2b")):  # fmt: skip
        dark.setColor(role, QColor(colour))
    qapp.setPalette(dark)
    try:
        printout.save_pdf(tmp_path / "dark.pdf")
    finally:
        qapp.setPalette(light)
    on_light = dark_pixels(tmp_path / "light.pdf", tmp_path, "light")
    assert on_light > 500  # the text is there
    assert dark_pixels(tmp_path / "dark.pdf", tmp_path, "dark") >= on_light * 0.98


def test_a_short_table_and_its_heading_move_to_the_next_page_whole(qapp: Any) -> None:
    from PySide6.QtCore import QSizeF
    from PySide6.QtGui import QTextDocument

    from desktop_app.ui.printing import keep_together

    rows = "".join(f"<tr><td>row {i}</td><td>{i}</td></tr>" for i in range(12))
    html = (
        "".join(f"<p>filler {i}</p>" for i in range(30))
        + f"<h2>CONSORT counts</h2><table>{rows}</table>"
    )
    document = QTextDocument()
    document.setPageSize(QSizeF(400, 800))
    document.setHtml(html)
    page = 800.0
    layout = document.documentLayout()
    (table,) = document.rootFrame().childFrames()

    def pages_of_table() -> set[int]:
        box = layout.frameBoundingRect(table)
        return {int(box.top() // page), int((box.bottom() - 1) // page)}

    for filler in range(30, 80):  # find a filler length that splits the table (the font decides)
        document.setHtml("".join(f"<p>filler {i}</p>" for i in range(filler))
                         + f"<h2>CONSORT counts</h2><table>{rows}</table>")  # fmt: skip
        (table,) = document.rootFrame().childFrames()
        if len(pages_of_table()) == 2:
            break
    assert len(pages_of_table()) == 2  # split before
    keep_together(document, page)
    assert len(pages_of_table()) == 1
    heading = document.findBlock(table.firstPosition() - 1)
    assert heading.text() == "CONSORT counts"
    assert int(layout.blockBoundingRect(heading).top() // page) == pages_of_table().pop()


def test_the_summary_keeps_signatures_and_wet_ink_together_and_shows_the_outcome(
    signed_store: Path, tmp_path: Path, protocol: LoadedProtocol
) -> None:
    from datetime import date

    from helpers import confirmed  # noqa: F401 - the store is signed by both already

    from desktop_app.store import authenticate, record_outcome

    with open_test_store(signed_store) as store:
        coordinator = authenticate(store, "coordinator", TEST_PASSWORD)
        record_outcome(store, coordinator, 1, "enrolled", randomization_number="R-042",
                       enrolled_on=date.today())  # fmt: skip
    out = tmp_path / "summary.pdf"
    assert print_summary(signed_store, "PUMCH-0001", out) == 0
    pages = pages_text(out)
    text = " ".join(pages)
    assert "Enrolled: randomization number R-042" in text
    wet = next(p for p in pages if "Signature: ____" in p)
    assert "Electronic signatures" in wet
    assert "Screening performed by Li Na" in wet
    # Signature times as a person reads them: local date and time with the zone, not raw UTC.
    assert re.search(r"Li Na, \d{4}-\d\d-\d\d \d\d:\d\d \(UTC[+-]\d\d:\d\d\)", text)
    assert "Z (UTC" not in text


def test_a_long_printout_can_be_cancelled_and_leaves_nothing_behind(
    qtbot: Any, tmp_path: Path, protocol: LoadedProtocol
) -> None:
    from PySide6.QtWidgets import QWidget

    from desktop_app.ui.print_actions import Printout, PrintProgress
    from desktop_app.ui.printing import PrintCancelledError

    data = tmp_path / "data"
    with open_test_store(data) as store:
        create_site(store, None, code="BIG", name="Big site", principal_investigator="Dr. PI")
        user = add_user(store, "coordinator")
        for _ in range(120):
            screened(store, user, protocol)
        printout = Printout.of_store(store, protocol, None)
    told: list[tuple[int, int]] = []

    def cancel_on_the_third_page(done: int, total: int) -> bool:
        told.append((done, total))
        return done < 2

    out = tmp_path / "log.pdf"
    with pytest.raises(PrintCancelledError):
        printout.save_pdf(out, "A4", progress=cancel_on_the_third_page)
    assert told == [(0, told[0][1]), (1, told[0][1]), (2, told[0][1])]
    assert told[0][1] > 3
    assert list(tmp_path.glob("log*")) == []  # neither the file nor a partial one

    parent = QWidget()
    qtbot.addWidget(parent)
    with PrintProgress(parent, "Saving log.pdf…") as progress:
        assert progress(0, 5)
        progress.dialog.cancel()  # what the Cancel button does
        assert not progress(1, 5)


@pytest.mark.parametrize("cancel_in", ["pdf", "bundle"])
def test_a_cancelled_export_writes_nothing_records_nothing_and_says_so(
    qtbot: object,
    signed_store: Path,
    tmp_path: Path,
    protocol: LoadedProtocol,
    monkeypatch: pytest.MonkeyPatch,
    cancel_in: str,
) -> None:
    """An export over a second shows the printout's progress dialog (PrintProgress) with Cancel,
    through the printed log's pages and then the bundle's files; Cancel, in either, leaves no
    file (an older one of that name is kept), records no export, and says so in the dialog."""
    from PySide6.QtWidgets import QDialog, QMessageBox

    from desktop_app.ui.print_actions import PrintProgress

    calls: list[tuple[str, int, int, str]] = []
    real_call = PrintProgress.__call__

    def pressing_cancel(self: PrintProgress, done: int, total: int) -> bool:
        phase = "bundle" if getattr(self.label, "__name__", "") == "_bundle_step" else "pdf"
        calls.append((phase, done, total, self.label(done, total)))
        if phase == cancel_in:
            self.dialog.cancel()  # what the Cancel button does
        return real_call(self, done, total)

    monkeypatch.setattr(PrintProgress, "__call__", pressing_cancel)
    monkeypatch.setattr(QMessageBox, "question", lambda *a: QMessageBox.StandardButton.Yes)
    folder = tmp_path / "exports"
    folder.mkdir()
    older = folder / "site.zip"
    older.write_bytes(b"last month's export")
    with open_test_store(signed_store) as store:
        coordinator = coordinator_window(qtbot, store, protocol).user
        recorded = store.db.execute("SELECT count(*) FROM exports").fetchone()[0]
        dialog = exporting(qtbot, store, protocol, coordinator, older, TEST_PASSWORD)
        assert dialog.error.text() == "Not exported: the export was cancelled; no file was written."
        assert dialog.result() != QDialog.DialogCode.Accepted
        assert older.read_bytes() == b"last month's export"
        assert [p.name for p in folder.iterdir()] == ["site.zip"]  # no partial file beside it
        assert store.db.execute("SELECT count(*) FROM exports").fetchone()[0] == recorded
    assert calls[0][0] == "pdf"
    assert calls[0][3] == f"The printed log: page 1 of {calls[0][2]}…"
    assert calls[-1][0] == cancel_in  # the first call in that phase cancelled it
    if cancel_in == "bundle":
        assert calls[-1][3] == f"The bundle's files: step 1 of {calls[-1][2]}…"


def test_an_export_counts_its_steps_to_the_end(
    tmp_path: Path, signed_store: Path, protocol: LoadedProtocol
) -> None:
    """The bundle's progress goes step by step from 1 to its total, never beyond."""
    from desktop_app.export.bundle import write_bundle
    from desktop_app.store import get_account

    seen: list[tuple[int, int]] = []
    with open_test_store(signed_store) as store:
        user = get_account(store, "coordinator")
        write_bundle(store, protocol, user, TEST_PASSWORD, tmp_path / "b.zip",
                     {"screening_log.pdf": b"%PDF"}, progress=lambda d, t: seen.append((d, t)) or True)  # fmt: skip
    total = seen[0][1]
    assert seen == [(done, total) for done in range(1, total + 1)]
