"""Notes and queries on the binder summary: each note under the criterion it concerns, the
monitors' queries and audit trail reviews on the last page."""

from __future__ import annotations

from datetime import date
from pathlib import Path

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
