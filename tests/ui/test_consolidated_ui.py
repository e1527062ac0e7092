"""The coordinating centre's dialog: import a site bundle, see sites, the trial-wide log and the
counts, search, save the log as PDF; a bundle that fails verification is refused in words."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from helpers import answer_dialogs, demo_site_bundle, open_test_store
from pypdf import PdfReader

from desktop_app.rules import LoadedProtocol
from desktop_app.store import get_account


@pytest.fixture(scope="module")
def demo_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return demo_site_bundle(tmp_path_factory.mktemp("site"))  # type: ignore[no-any-return]


def test_import_view_search_and_save(
    qtbot: object, tmp_path: Path, demo_site: tuple[Path, Path], protocol: LoadedProtocol,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip

    from desktop_app.ui.consolidated_dialog import ConsolidatedDialog

    data, bundle = demo_site
    broken = tmp_path / "broken.zip"
    broken.write_bytes(bundle.read_bytes()[:-200])
    with open_test_store(data) as store:
        coordinator_view = ConsolidatedDialog(store, protocol, get_account(store, "demo.coordinator"),
                                              folder=tmp_path / "centre")  # fmt: skip
        qtbot.addWidget(coordinator_view)  # type: ignore[attr-defined]
        assert not coordinator_view.import_button.isEnabled()  # coordinators only look

        dialog = ConsolidatedDialog(store, protocol, get_account(store, "demo.monitor"))
        qtbot.addWidget(dialog)  # type: ignore[attr-defined]
        assert dialog.counts.text().startswith("Choose the folder of the consolidated store first")
        assert not dialog.import_button.isEnabled()
        blocked = tmp_path / "a file"
        blocked.write_text("not a folder", encoding="utf-8")
        dialog.choose_folder(blocked / "centre")  # was the unexpected-error dialog
        dialog.import_files([bundle])
        assert "cannot be made or opened in" in dialog.messages.toPlainText()
        dialog.messages.clear()
        dialog.choose_folder(tmp_path / "centre")
        assert dialog.counts.text() == "No bundle imported yet."
        dialog.import_files([broken, bundle])
        log = dialog.messages.toPlainText()
        assert "broken.zip: refused:" in log
        assert "demo-site.zip: DEMO: imported (41 new, 0 updated, 0 unchanged screening(s))" in log
        assert dialog.sites.rowCount() == 1
        # a DEMO site is marked so, once: its name already says it
        assert dialog.sites.item(0, 1).text() == "DEMO site - sample data, not real patients"
        assert "not checked" in dialog.sites.item(0, 4).text()  # this copy trusts no key yet
        assert dialog.model.rowCount() == 41
        assert dialog.counts.text().startswith("Across 1 site(s): assessed 40;")
        dialog.search.setText("DEMO-0003")
        qtbot.waitUntil(lambda: dialog.model.rowCount() == 1, timeout=2000)  # type: ignore[attr-defined]
        assert dialog.model.index(0, 0).data() == "DEMO-0003"

        dialog.import_files([bundle])
        assert (
            dialog.messages.toPlainText()
            .rstrip()
            .endswith("DEMO: already imported, nothing changed")
        )

        dialog.search.setText("")
        qtbot.waitUntil(lambda: dialog.model.rowCount() == 41, timeout=2000)  # type: ignore[attr-defined]
        dialog.log.setCurrentIndex(dialog.model.index(0, 0))  # DEMO-0001, signed twice
        summary = tmp_path / "summary.pdf"
        answer_dialogs(monkeypatch, save=summary)
        dialog._summary(pdf=True)
        # Every page: the signatures and wet-ink lines are one block, which may start page 2.
        text = " ".join(
            unicodedata.normalize(
                "NFKC", " ".join(p.extract_text() or "" for p in PdfReader(str(summary)).pages)
            ).split()
        )
        assert "Screening DEMO-0001 (attempt 1)" in text
        assert "Eligibility confirmed by investigator" in text

        out = tmp_path / "trial.pdf"
        answer_dialogs(monkeypatch, save=out)
        dialog._on_save_clicked()
        pages = PdfReader(str(out)).pages
        last = unicodedata.normalize("NFKC", pages[-1].extract_text() or "")  # the "fl" ligature
        assert "CONSORT flow" in " ".join(last.split())


def test_the_trial_wide_log_is_fetched_a_page_at_a_time(
    qtbot: object,
    qtmodeltester: Any,
    tmp_path: Path,
    demo_site: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from desktop_app.export.consolidate import import_site_bundle
    from desktop_app.store.consolidated import ConsolidatedStore
    from desktop_app.ui.consolidated_dialog import TrialLogModel

    _, bundle = demo_site
    with ConsolidatedStore(tmp_path / "centre") as centre:
        import_site_bundle(
            centre, bundle, None, datetime.now(UTC).isoformat()
        )  # the centre's clock
    monkeypatch.setattr(TrialLogModel, "PAGE", 10)
    model = TrialLogModel()
    model.reload(tmp_path / "centre", "")
    assert model.rowCount() == 10
    assert model.canFetchMore()
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == 41
    assert [r.screening_number for r in model.rows[:3]] == ["DEMO-0001", "DEMO-0002", "DEMO-0003"]
    assert len(set(zip(model.sites, (r.screening_number for r in model.rows), (r.attempt for r in model.rows),
                       strict=True))) == 41  # fmt: skip
    qtmodeltester.check(model)
    model.reload(tmp_path / "centre", "0040")  # the candidate screened twice
    assert [(r.screening_number, r.attempt) for r in model.rows] == [
        ("DEMO-0040", 1),
        ("DEMO-0040", 2),
    ]
    assert model.index(1, 0).data() == "DEMO-0040/2"
