"""Notes and queries on the binder summary: each note under the criterion it concerns, the
monitors' queries and audit trail reviews at the end, after the signatures."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from helpers import add_user, as_user, open_test_store, screened
from test_printing import pages_text

from desktop_app.cli import main
from desktop_app.rules import LoadedProtocol
from desktop_app.store import create_site
from desktop_app.store.annotations import (
    answer_query,
    raise_query,
    record_audit_review,
    save_note,
)


def test_notes_print_under_their_criterion_and_queries_on_the_last_page(
    tmp_path: Path, protocol: LoadedProtocol
) -> None:
    data = tmp_path / "data"
    with open_test_store(data) as store:
        create_site(store, None, code="PUMCH", name="PUMCH", principal_investigator="Dr. Zhang")
        coordinator = add_user(store, "coordinator", full_name="Li Na")
        monitor = add_user(store, "monitor", roles=("monitor",), full_name="Chen Jie")
        sid = screened(store, coordinator, protocol)
        save_note(store, coordinator, sid, "hiv", "Fourth-generation assay.")
        save_note(store, coordinator, sid, "ppd_date", "Read by the TB nurse.")
        save_note(
            store, coordinator, sid, "sex", "As on the identity card."
        )  # no criterion reads it
        query = raise_query(store, monitor, sid, "tb_elispot_date", "The lab sheet says 2023-03-03.",
                            suggested_value="2023-03-03")  # fmt: skip
        answer_query(store, coordinator, query.id, "Corrected.", new_value="2023-03-03",
                     reason="transcription error")  # fmt: skip
        today = store.clock().date()
        record_audit_review(store, monitor, sid, date(2023, 3, 1), today, "All attributable.")
    out = tmp_path / "summary.pdf"
    assert main(["print", "summary", "PUMCH-0001", "--out", str(out), "--data-dir", str(data),
                 *as_user("coordinator")]) == 0  # fmt: skip
    pages = pages_text(out)
    text = " ".join(pages)
    e8, e9 = text.index("E8 "), text.index("E9 ")
    hiv_note = text.index("Note on HIV")
    assert e8 < hiv_note < e9, text[e8 : e9 + 200]
    assert e9 < text.index("Read by the TB nurse.") < text.index("Determination:")  # under E9
    assert "As on the identity card." in text
    last = pages[-1]
    assert "Monitor queries" in last
    assert "Raised by Chen Jie" in last
    assert "The lab sheet says 2023-03-03." in last
    assert "(reason: transcription error)" in last
    assert "Audit trail reviews" in last
    assert "reviewed by Chen Jie" in last
    assert "Monitor queries" not in " ".join(pages[:-1])
    assert "Criteria" not in last


def _summary_end(tmp_path: Path, protocol: LoadedProtocol) -> str:
    """The queries and reviews of a screening as the summary prints them."""
    from desktop_app.store.annotations import audit_reviews_of, queries_of
    from desktop_app.ui.print_annotations import last_page_html

    with open_test_store(tmp_path / "data") as store:
        create_site(store, None, code="PUMCH", name="PUMCH", principal_investigator="Dr. Zhang")
        coordinator = add_user(store, "coordinator", full_name="Li Na")
        monitor = add_user(store, "monitor", roles=("monitor",), full_name="Chen Jie")
        sid = screened(store, coordinator, protocol)
        query = raise_query(store, monitor, sid, "hiv", "Which assay? " * 12)
        answer_query(store, coordinator, query.id, "Fourth generation. " * 10)
        raise_query(store, monitor, sid, "ppd_date", "Read at 72 hours?")
        record_audit_review(store, monitor, sid, date(2023, 3, 1), store.clock().date(), "Fine.")
        return last_page_html(protocol, queries_of(store, sid), audit_reviews_of(store, sid))


# The queries follow the signatures: a new page only when they do not fit, and a heading (the
# section's or a query's) never alone at the foot of a page, whatever the length of what precedes.


def test_the_queries_follow_the_signatures_and_no_heading_is_left_at_the_foot_of_a_page(
    qtbot: object, tmp_path: Path, protocol: LoadedProtocol
) -> None:
    from PySide6.QtCore import QSizeF
    from PySide6.QtGui import QTextDocument

    from desktop_app.ui.printing import _CSS, keep_together

    end, height = _summary_end(tmp_path, protocol), 600.0

    # Every query's heading and the first line of its first step, by page (not the first alone:
    # without keep_together a later query's heading is left at a page's foot, twice here).
    queries: list[tuple[int, int]] = []

    def laid_out(fillers: int, kept: bool) -> dict[str, int]:
        queries.clear()
        document = QTextDocument()
        document.setPageSize(QSizeF(450, height))
        document.setHtml(f"<html><head><style>{_CSS}</style></head><body>"
                         + "<p>Filler line of the criteria.</p>" * fillers
                         + "<p>Signature: ____</p>" + end + "</body></html>")  # fmt: skip
        if kept:
            keep_together(document, height)
        layout, pages, block = document.documentLayout(), {}, document.begin()
        while block.isValid():
            top = layout.blockBoundingRect(block).top()
            key = block.text().split(" ")[0] if block.text() else ""
            pages.setdefault(key, int(top // height))
            if block.blockFormat().headingLevel() == 3 and key == "Query":
                step = block.next()  # the first line of the query's first step: where it prints
                line = (
                    layout.blockBoundingRect(step).top() + step.layout().lineAt(0).rect().bottom()
                )
                pages.setdefault("first step", int(line // height))
                queries.append((int(top // height), int(line // height)))
            block = block.next()
        return pages

    broke = followed = 0
    for fillers in range(0, 60):
        pages = laid_out(fillers, kept=True)
        assert pages["Monitor"] == pages["Query"] == pages["first step"], fillers
        assert len(queries) > 1, fillers
        assert all(heading == step for heading, step in queries), fillers
        loose = laid_out(fillers, kept=False)
        fits = loose["Signature:"] == loose["Monitor"] == loose["Query"] == loose["first step"]
        if fits:  # no page break where everything fitted
            assert pages["Monitor"] == pages["Signature:"], fillers
            followed += 1
        else:
            broke += pages["Monitor"] > pages["Signature:"]
    assert followed  # both cases were laid out
    assert broke


@pytest.mark.parametrize(
    ("language", "signatures", "queries"),
    [
        ("en", "Investigator (wet ink)", "Monitor queries"),
        ("zh-CN", "研究者（手写签名）", "监查员质疑"),
    ],
)
def test_the_demo_summary_prints_its_queries_after_the_signatures(
    tmp_path: Path, language: str, signatures: str, queries: str
) -> None:
    data, out = tmp_path / "demo", tmp_path / "summary.pdf"
    assert main(["demo", "--data-dir", str(data)]) == 0
    password = tmp_path / "password"
    password.write_text("demo-coordinator-2019", encoding="utf-8")
    assert main(["print", "summary", "DEMO-0001", "--out", str(out), "--data-dir", str(data),
                 "--user", "demo.coordinator", "--password-file", str(password),
                 "--language", language]) == 0  # fmt: skip
    pages = pages_text(out)
    at = next(i for i, page in enumerate(pages) if queries in page)
    # Its own query and every step of it on that page; a page of its own only when the
    # signatures' page has no room (in Chinese the criteria take more of the first page).
    assert "DEMO: confirmed against the source" in pages[at]
    if language == "en":
        assert signatures in pages[at]
        assert len(pages) == 2  # was 3: the queries on a page of their own
