"""Work queues: each a saved filter of the log, counted and paged in SQL."""

from __future__ import annotations

from datetime import date

import pytest
from helpers import TEST_PASSWORD, answers, confirmed, screened

from desktop_app.rules import LoadedProtocol
from desktop_app.store import Store, User, get_screening, record_outcome, start_screening
from desktop_app.store.check import replay_report
from desktop_app.store.queues import (
    QUEUES,
    QueueCursor,
    count_sql,
    queue_counts,
    queue_page,
    queue_sql,
)
from desktop_app.store.signatures import sign_screening

RITUXIMAB = answers(
    medications_given=["rituximab"], medication_last_dose={"rituximab": "2022-11-02"}
)
MALIGNANCY_AND_MTX = answers(
    medications_given=["methotrexate"], medication_last_dose={"methotrexate": "2023-03-01"},
    malignancy_history=True, malignancy_date="2013-04-01",
)  # fmt: skip
PREGNANT = answers(
    sex="female", pregnancy_test="positive", lactating=False, planning_pregnancy=False
)
RITUXIMAB_AND_HIV = answers(
    medications_given=["rituximab"],
    medication_last_dose={"rituximab": "2022-11-02"},
    hiv="positive",
)


PENDING = answers(hiv={"missing_data": "pending"}, hbv_dna={"missing_data": "pending"})
# Pending results, and an answer not given at all: waiting on more than results.
PENDING_AND_OPEN = answers(hiv={"missing_data": "pending"}, tb_conclusion=None)


@pytest.fixture
def site(site_and_user: tuple[Store, User], protocol: LoadedProtocol) -> dict[str, int]:
    """One screening of each kind; their ids by name."""
    store, user = site_and_user
    ids = {
        "eligible": screened(store, user, protocol, initials="AA"),
        "signed": screened(store, user, protocol, initials="BB"),
        "confirmed": screened(store, user, protocol, initials="CC"),
        "enrolled": screened(store, user, protocol, initials="DD"),
        "rituximab": screened(store, user, protocol, RITUXIMAB, initials="EE"),
        "windows": screened(store, user, protocol, MALIGNANCY_AND_MTX, initials="FF"),
        "pregnant": screened(store, user, protocol, PREGNANT, initials="GG"),
        "hiv": screened(store, user, protocol, RITUXIMAB_AND_HIV, initials="HH"),
        "rescreened": screened(store, user, protocol, RITUXIMAB, initials="II"),
        "failed": screened(store, user, protocol, RITUXIMAB, initials="JJ"),
        "pending": screened(store, user, protocol, PENDING, initials="KK"),
        "pending and open": screened(store, user, protocol, PENDING_AND_OPEN, initials="LL"),
    }
    sign_screening(store, user, ids["signed"], TEST_PASSWORD)
    confirmed(store, ids["confirmed"])
    confirmed(store, ids["enrolled"])
    record_outcome(store, user, ids["enrolled"], "enrolled", randomization_number="R-001",
                   enrolled_on=date(2023, 3, 9))  # fmt: skip
    record_outcome(store, user, ids["failed"], "screen_failure")
    for name in ("rescreened",):
        record_outcome(store, user, ids[name], "screen_failure")
        ids["second attempt"] = start_screening(
            store, user, get_screening(store, ids[name]).candidate_id, protocol
        ).id
    return ids


def _members(store: Store, queue: str) -> list[int]:
    return [r.screening_id for r in queue_page(store, queue).rows]  # type: ignore[arg-type]


def test_each_queue_holds_what_its_name_says(
    site_and_user: tuple[Store, User], site: dict[str, int]
) -> None:
    store, _ = site_and_user
    names = {v: k for k, v in site.items()}
    assert [names[i] for i in _members(store, "awaiting_confirmation")] == ["signed"]
    assert sorted(names[i] for i in _members(store, "eligible_no_outcome")) == [
        "confirmed",
        "eligible",
        "signed",
    ]
    # Only windows failing, not screened again (a screen failure recorded still counts).
    assert sorted(names[i] for i in _members(store, "washout")) == [
        "failed",
        "rituximab",
        "windows",
    ]
    assert queue_counts(store) == {
        "awaiting_confirmation": 1,
        "results_pending": 1,
        "eligible_no_outcome": 3,
        "open_queries": 0,
        "washout": 3,
    }


def test_the_washout_queue_shows_when_the_windows_are_over(
    site_and_user: tuple[Store, User], site: dict[str, int]
) -> None:
    """The date the rules give, written with the determination; the soonest first."""
    store, _ = site_and_user
    rows = queue_page(store, "washout").rows
    ends = {r.screening_id: r.detail for r in rows}
    assert ends[site["rituximab"]] == "2023-05-03"  # 6 months after 2022-11-02, the day after
    assert ends[site["windows"]] == "2023-05-25"  # methotrexate's 84 days end after E4's 10 years
    assert [r.detail for r in rows] == sorted(r.detail for r in rows)
    stored = dict(store.db.execute("SELECT id, window_over_on FROM screenings").fetchall())
    assert stored[site["hiv"]] == stored[site["eligible"]] == ""  # time alone does not help them


def test_a_changed_washout_date_is_found_by_the_replay(
    site_and_user: tuple[Store, User], site: dict[str, int]
) -> None:
    store, _ = site_and_user
    assert replay_report(store.db).ok
    store.db.execute(
        "UPDATE screenings SET window_over_on = '2023-04-01' WHERE id = ?", [site["rituximab"]]
    )
    lines = [d.line() for d in replay_report(store.db).divergences]
    assert lines == [
        'screenings PUMCH-0005/1 window_over_on: stored "2023-04-01", the chain and the rules give "2023-05-03"'
    ]


def test_the_washout_count_leaves_out_candidates_screened_again(
    site_and_user: tuple[Store, User], site: dict[str, int], protocol: LoadedProtocol
) -> None:
    """Counted as a difference (all such screenings less those screened again), it must agree with
    the queue's own condition in every case."""
    store, user = site_and_user
    by_condition = lambda: store.db.execute(  # noqa: E731
        "SELECT count(*) FROM screenings WHERE "
        + next(q.condition for q in QUEUES if q.id == "washout")
    ).fetchone()[0]
    assert queue_counts(store)["washout"] == by_condition() == 3
    start_screening(store, user, get_screening(store, site["failed"]).candidate_id, protocol)
    assert queue_counts(store)["washout"] == by_condition() == 2


def test_queues_follow_every_change(
    site_and_user: tuple[Store, User], site: dict[str, int], protocol: LoadedProtocol
) -> None:
    store, user = site_and_user
    confirmed(store, site["signed"])
    assert queue_counts(store)["awaiting_confirmation"] == 0
    record_outcome(store, user, site["eligible"], "declined")
    assert queue_counts(store)["eligible_no_outcome"] == 2


def test_results_pending_holds_what_the_rules_say_waits_only_on_pending_results(
    site_and_user: tuple[Store, User], site: dict[str, int], protocol: LoadedProtocol
) -> None:
    """The queue's SQL and rules.missing_data.waiting_only_on (codes19's results_pending) agree."""
    from desktop_app.rules import evaluate
    from desktop_app.store import save_answers
    from desktop_app.store.missing_data import results_pending

    store, user = site_and_user
    rows = {r.screening_id: r.detail for r in queue_page(store, "results_pending").rows}
    assert rows == {site["pending"]: "hbv_dna,hiv"}  # with which, in the determination's order
    by_rules = results_pending(store)
    assert {k: ",".join(v) for k, v in by_rules.items()} == rows
    # The open answer given: now waiting only on the pending result, in the queue too.
    doc = dict(PENDING_AND_OPEN, tb_conclusion="none")
    save_answers(
        store,
        user,
        site["pending and open"],
        {"tb_conclusion": "none"},
        determination=evaluate(protocol, doc),
    )
    assert queue_counts(store)["results_pending"] == 2 == len(results_pending(store))
    # A pending result arrives: the screening leaves the queue.
    done = dict(PENDING, hiv="negative", hbv_dna="undetectable")
    save_answers(store, user, site["pending"], {"hiv": "negative", "hbv_dna": "undetectable"},
                 determination=evaluate(protocol, done))  # fmt: skip
    assert [r.screening_id for r in queue_page(store, "results_pending").rows] == [
        site["pending and open"]
    ]
    assert set(results_pending(store)) == {site["pending and open"]}


def test_the_open_queries_queue_counts_screenings_and_shows_how_many_queries(
    site_and_user: tuple[Store, User], site: dict[str, int]
) -> None:
    from helpers import add_user

    from desktop_app.store.annotations import answer_query, close_query, raise_query

    store, user = site_and_user
    monitor = add_user(store, "monitor", roles=("monitor",))
    first = raise_query(
        store, monitor, site["eligible"], "consent_form_version", "Version 2.1 or 2.2?"
    )
    raise_query(store, monitor, site["eligible"], "hiv", "Date of the HIV test?")
    other = raise_query(store, monitor, site["windows"], "malignancy_date", "Source document?")
    assert queue_counts(store)["open_queries"] == 2
    rows = {r.screening_id: r.detail for r in queue_page(store, "open_queries").rows}
    assert rows == {site["eligible"]: 2, site["windows"]: 1}
    answer_query(store, user, other.id, "Pathology report of 2013-04-01 attached")
    close_query(store, monitor, first.id)
    assert (
        queue_counts(store)["open_queries"] == 1
    )  # an answered query awaits the monitor, not the site
    assert {r.screening_id: r.detail for r in queue_page(store, "open_queries").rows} == {
        site["eligible"]: 1
    }


def test_paging_walks_the_whole_queue_once(
    site_and_user: tuple[Store, User], site: dict[str, int]
) -> None:
    store, _ = site_and_user
    seen: list[int] = []
    cursor: QueueCursor | None = None
    while True:
        page = queue_page(store, "washout", cursor, limit=1)
        seen += [r.screening_id for r in page.rows]
        if page.next is None:
            break
        cursor = page.next
    assert sorted(seen) == sorted(_members(store, "washout"))
    assert len(seen) == len(set(seen)) == 3


@pytest.mark.parametrize("queue", [q.id for q in QUEUES])
def test_every_queue_is_served_by_an_index(site_and_user: tuple[Store, User], queue: str) -> None:
    """No queue reads a whole table (screenings, answers, queries) to count or to page: every
    table is searched or walked through an index."""
    store, _ = site_and_user
    sql, params = queue_sql(queue)  # type: ignore[arg-type]
    for statement, values in ((sql, params), (count_sql(queue), [])):  # type: ignore[arg-type]
        steps = [str(r[3]) for r in store.db.execute(f"EXPLAIN QUERY PLAN {statement}", values)]
        assert any(s.startswith(("SCAN ", "SEARCH ")) and " USING " in s for s in steps), steps
        full_scans = [
            s
            for s in steps
            if s.startswith("SCAN ")
            and "USING" not in s
            and s != "SCAN CONSTANT ROW"
            and "VIRTUAL TABLE" not in s  # json_each over one determination's list
        ]
        assert not full_scans, steps  # a whole table read without an index
        if (
            queue != "open_queries"
        ):  # driven by the queries' index: the few screenings with one are sorted
            assert "USE TEMP B-TREE FOR ORDER BY" not in steps, steps


def test_migration_0011_dates_the_screenings_made_before_it(
    site_and_user: tuple[Store, User], site: dict[str, int]
) -> None:
    """A store from before 0011 has no washout dates: the migration computes them from each
    screening's latest determination, as the rules give them."""
    from desktop_app.store.schema import _backfill_window_over_on

    store, _ = site_and_user
    before = dict(store.db.execute("SELECT id, window_over_on FROM screenings").fetchall())
    store.db.execute("UPDATE screenings SET window_over_on = ''")
    _backfill_window_over_on(store.db)
    assert dict(store.db.execute("SELECT id, window_over_on FROM screenings").fetchall()) == before
    assert before[site["rituximab"]] == "2023-05-03"


def test_a_changed_awaiting_column_is_found_by_the_replay(
    site_and_user: tuple[Store, User], site: dict[str, int]
) -> None:
    """`screenings.awaiting` is computed again by the replay: an edit that puts a screening in the
    "Results pending" queue, or takes it out, is named by `db check`."""
    store, _ = site_and_user
    assert replay_report(store.db).ok
    store.db.execute("UPDATE screenings SET awaiting = 'hiv' WHERE id = ?", [site["pending"]])
    store.db.execute(
        "UPDATE screenings SET awaiting = 'hiv' WHERE id = ?", [site["pending and open"]]
    )
    lines = sorted(d.line() for d in replay_report(store.db).divergences)
    assert lines == [
        'screenings PUMCH-0011/1 awaiting: stored "hiv", the chain and the rules give "hbv_dna,hiv"',
        'screenings PUMCH-0012/1 awaiting: stored "hiv", the chain and the rules give ""',
    ]


def test_migration_0012_fills_what_the_screenings_made_before_it_await(
    site_and_user: tuple[Store, User], site: dict[str, int]
) -> None:
    """A store from before 0012 has no `awaiting`: the migration computes it from each screening's
    latest determination and coded answers, as results_pending does."""
    from desktop_app.store.missing_data import results_pending
    from desktop_app.store.schema import _backfill_awaiting

    store, _ = site_and_user
    before = dict(store.db.execute("SELECT id, awaiting FROM screenings").fetchall())
    assert {k: v for k, v in before.items() if v} == {
        k: ",".join(v) for k, v in results_pending(store).items()
    } == {site["pending"]: "hbv_dna,hiv"}  # fmt: skip
    store.db.execute("UPDATE screenings SET awaiting = ''")
    _backfill_awaiting(store.db)
    assert dict(store.db.execute("SELECT id, awaiting FROM screenings").fetchall()) == before


def test_the_results_pending_queue_reads_its_partial_index(
    site_and_user: tuple[Store, User],
) -> None:
    """No determination is read (nor parsed) per row: the queue walks screenings_awaiting."""
    store, _ = site_and_user
    sql, params = queue_sql("results_pending")
    for statement, values in ((sql, params), (count_sql("results_pending"), [])):
        plan = " | ".join(
            str(r[3]) for r in store.db.execute(f"EXPLAIN QUERY PLAN {statement}", values)
        )
        assert "screenings_awaiting" in plan, plan
        assert "determinations" not in statement
        assert "json_each" not in statement
