"""The screening log query (SQL sorting, filtering, keyset paging) over the DEMO store."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from helpers import as_demo_admin, open_test_store

from desktop_app.rules import LoadedProtocol
from desktop_app.store import BadInputError, Store, get_site, list_users
from desktop_app.store.demo import fill_demo
from desktop_app.store.log import LogCursor, LogQuery, log_page, status_counts


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Store:
    data = tmp_path_factory.mktemp("demo")
    store = open_test_store(data)
    fill_demo(store, _protocol())
    yield store  # type: ignore[misc]
    store.close()


def _protocol() -> LoadedProtocol:
    from desktop_app.rules import default_protocol

    return default_protocol()


def all_pages(store: Store, query: LogQuery) -> list[int]:
    ids: list[int] = []
    cursor: LogCursor | None = None
    while True:
        page = log_page(store, query, cursor)
        ids += [r.screening_id for r in page.rows]
        if page.next is None:
            return ids
        cursor = page.next


def test_demo_is_marked_and_covers_every_determination_and_outcome(demo: Store) -> None:
    site = get_site(demo)
    assert site is not None
    assert site.is_demo
    assert "DEMO" in site.name
    assert all(u.is_demo and "DEMO" in u.full_name for u in list_users(demo))
    counts = status_counts(demo)
    assert sum(counts.values()) >= 40
    for status in (
        "draft",
        "incomplete",
        "eligible",
        "ineligible",
        "enrolled",
        "declined",
        "withdrawn",
    ):
        assert counts[status] > 0, status
    attempts = demo.db.execute("SELECT max(attempt) FROM screenings").fetchone()[0]
    assert attempts == 2  # a re-screen


def test_demo_fills_only_an_empty_store(demo: Store) -> None:
    with pytest.raises(BadInputError, match="only an empty store"):
        fill_demo(demo, _protocol())


@pytest.mark.parametrize(
    "sort", ["screening_date", "screening_number", "initials", "status", "failing"]
)
@pytest.mark.parametrize("descending", [True, False])
def test_keyset_pages_match_one_sorted_query(demo: Store, sort: str, descending: bool) -> None:
    paged = all_pages(demo, LogQuery(sort=sort, descending=descending, limit=7))  # type: ignore[arg-type]
    whole = [
        r.screening_id
        for r in log_page(demo, LogQuery(sort=sort, descending=descending, limit=1000)).rows
    ]
    assert paged == whole
    assert len(set(paged)) == len(paged) == sum(status_counts(demo).values())


def test_filter_by_status_and_search(demo: Store) -> None:
    enrolled = log_page(demo, LogQuery(status="enrolled", limit=1000)).rows
    assert enrolled
    assert {r.status for r in enrolled} == {"enrolled"}
    assert len(enrolled) == status_counts(demo)["enrolled"]
    one = log_page(demo, LogQuery(search="DEMO-0007", limit=1000)).rows
    assert [r.screening_number for r in one] == ["DEMO-0007"]
    dates = [r.screening_date for r in log_page(demo, LogQuery(limit=1000)).rows]
    assert dates == sorted(dates, reverse=True)


def test_log_rows_hold_no_direct_identifiers(demo: Store) -> None:
    row = log_page(demo, LogQuery(limit=1)).rows[0]
    assert set(row._asdict()) == {"screening_id", "screening_number", "attempt", "initials", "screening_date",
                                     "status", "failing", "coordinator", "investigator", "signature_note",
                                     "started_on", "answered"}  # fmt: skip


def test_demo_cli(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from desktop_app.cli import main

    assert main(["demo", "--data-dir", str(tmp_path)]) == 0
    assert "DEMO data: 41 screening attempts" in capsys.readouterr().out
    assert main(["demo", "--data-dir", str(tmp_path), *as_demo_admin()]) == 2
    assert "only an empty store" in capsys.readouterr().err


def test_demo_signatures_verify_and_one_was_invalidated(demo: Store) -> None:
    from desktop_app.store.signatures import signature_statuses, tampered_screenings

    ids = [r[0] for r in demo.db.execute("SELECT DISTINCT screening_id FROM signatures")]
    checks = [s.check for sid in ids for s in signature_statuses(demo, sid)]
    assert checks.count("invalidated") == 2  # the coordinator's and the investigator's
    assert set(checks) == {"valid", "invalidated"}
    assert tampered_screenings(demo) == []


def test_demo_accounts_sign_in_with_the_documented_passwords(demo: Store) -> None:
    from desktop_app.store import authenticate
    from desktop_app.store.demo import DEMO_ACCOUNTS

    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    for username, _, roles, password in DEMO_ACCOUNTS:
        assert f"`{username}`" in readme
        assert f"`{password}`" in readme
        user = authenticate(demo, username, password)
        assert user.is_demo
        assert list(user.roles) == roles


def test_the_log_shows_an_invalidated_signature(demo: Store) -> None:
    rows = log_page(demo, LogQuery(limit=1000)).rows
    notes = [r.signature_note for r in rows if r.signature_note]
    assert len(notes) == 1
    assert notes[0].startswith("signature invalidated on 20")
    assert notes[0].endswith(
        "by Demo Coordinator (DEMO): DEMO: consent form version corrected from the signed form"
    )


def test_demo_signatures_and_outcomes_are_dated_with_their_screening(demo: Store) -> None:
    """A real site's history: each signature on its screening's day or the next, enrolment on or
    after the investigator's confirmation, and the whole audit trail in time order."""
    from datetime import date

    from desktop_app.store.signatures import signature_statuses

    ids = [r[0] for r in demo.db.execute("SELECT DISTINCT screening_id FROM signatures")]
    assert ids
    for sid in ids:
        screened_on = date.fromisoformat(
            demo.db.execute("SELECT screening_date FROM screenings WHERE id = ?", [sid]).fetchone()[
                0
            ]
        )
        for status in signature_statuses(demo, sid):
            assert 0 <= (status.signed_on - screened_on).days <= 1, (sid, status.signed_at)
    from desktop_app.store.signatures import eligibility_confirmation

    for sid, outcome, detail, at in demo.db.execute(
        "SELECT s.id, s.outcome, s.outcome_detail, (SELECT max(a.at_utc) FROM audit a WHERE "
        "a.action = 'outcome_recorded' AND a.entity_id = c.screening_number || '/' || s.attempt) "
        "FROM screenings s JOIN candidates c ON c.id = s.candidate_id WHERE s.outcome IS NOT NULL"
    ).fetchall():
        assert at < "2024", at  # recorded in the site's history, not on the day the DEMO was made
        if outcome == "enrolled":
            confirmation = eligibility_confirmation(demo, sid)
            assert confirmation is not None
            assert json.loads(detail)["date"] >= confirmation.signed_on.isoformat()
    # (Sign-ins by the other tests on this module's store are today's.)
    times = [
        r[0]
        for r in demo.db.execute(
            "SELECT at_utc FROM audit WHERE action NOT LIKE 'login%' ORDER BY seq"
        )
    ]
    assert min(times) < "2021-03"
    assert max(times) < "2024"
    for number, at in demo.db.execute(
        "SELECT entity_id, group_concat(at_utc, '|') FROM (SELECT entity_id, at_utc FROM audit "
        "WHERE entity = 'screening' ORDER BY seq) GROUP BY entity_id"
    ):
        stamps = at.split("|")
        assert stamps == sorted(stamps), number  # each screening's own history in time order


def test_the_printed_log_shows_a_consent_version_once_prefixed(
    store: Store, site_and_user: tuple[Store, Any], protocol: LoadedProtocol
) -> None:
    from helpers import answers, screened

    from desktop_app.store.reports import log_rows

    _, user = site_and_user
    screened(store, user, protocol, answers(consent_form_version="v3.1"))
    screened(store, user, protocol, answers(consent_form_version="2.1"), initials="CD")
    assert [r.consent for r in log_rows(store)] == ["2023-03-01 v3.1", "2023-03-01 v2.1"]
