"""Searching the log through the trigram index finds exactly what the scan finds, page by page,
and it is used only when few candidates match."""

from __future__ import annotations

import pytest
from helpers import add_user

from desktop_app.rules import LoadedProtocol
from desktop_app.store import Store, create_site, register_candidate, start_screening
from desktop_app.store.log import LogCursor, LogQuery, few_matches, log_sql


@pytest.fixture
def searchable(store: Store, protocol: LoadedProtocol) -> Store:
    create_site(store, None, code="PUMCH", name="PUMCH", principal_investigator="PI")
    user = add_user(store, "coordinator")
    for i in range(120):
        candidate = register_candidate(store, user, initials=("AB", "ABC", "XYZ", "MN")[i % 4])
        start_screening(store, user, candidate.id, protocol)
    return store


def pages(store: Store, query: LogQuery, *, use_search_index: bool) -> list[int]:
    ids: list[int] = []
    after: LogCursor | None = None
    while True:
        sql, params = log_sql(query, after, use_search_index=use_search_index)
        rows = store.db.execute(sql, params).fetchall()
        ids += [r[0] for r in rows]
        if len(rows) < query.limit:
            return ids
        after = LogCursor(str(rows[-1][10]), rows[-1][0])


@pytest.mark.parametrize(
    "text", ["PUMCH-0042", "pumch-004", "0100", "ABC", "XYZ", "H-01", "NOPE", 'A"B', "A*B"]
)
@pytest.mark.parametrize("sort", ["screening_date", "screening_number", "initials", "status"])
def test_the_index_finds_what_the_scan_finds(searchable: Store, text: str, sort: str) -> None:
    query = LogQuery(search=text, sort=sort, limit=7)  # type: ignore[arg-type]
    assert pages(searchable, query, use_search_index=True) == pages(
        searchable, query, use_search_index=False
    )


def test_the_index_is_used_only_for_rare_texts_of_three_characters_or_more(
    searchable: Store,
) -> None:
    assert few_matches(searchable, "PUMCH-0042")
    assert few_matches(searchable, "NOPE")
    assert not few_matches(searchable, "AB")  # too short for trigrams: scanned
    sql, _ = log_sql(LogQuery(search="PUMCH-0042"), None, use_search_index=True)
    plan = " ".join(
        str(r) for r in searchable.db.execute("EXPLAIN QUERY PLAN " + sql, ["x"] * sql.count("?"))
    )
    assert "candidates_search" in plan  # the matching candidates drive the query


def test_new_and_renumbered_candidates_are_found(
    searchable: Store, protocol: LoadedProtocol
) -> None:
    user = add_user(searchable, "second")
    candidate = register_candidate(searchable, user, initials="QQ")
    query = LogQuery(search=candidate.screening_number)
    assert len(pages(searchable, query, use_search_index=True)) == 0  # no screening yet
    start_screening(searchable, user, candidate.id, protocol)
    assert len(pages(searchable, query, use_search_index=True)) == 1
