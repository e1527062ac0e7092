"""Searching the log from the matching candidates (through the trigram index for three characters
or more, a scan of the candidates for one or two) finds exactly what the walk in display order
finds, page by page, and it is used only when few candidates match."""

from __future__ import annotations

import pytest
from helpers import add_user

from desktop_app.rules import LoadedProtocol
from desktop_app.store import Store, create_site, log, register_candidate, start_screening
from desktop_app.store.log import LogCursor, LogQuery, few_matches, log_sql, matching_candidates


@pytest.fixture
def searchable(store: Store, protocol: LoadedProtocol) -> Store:
    create_site(store, None, code="PUMCH", name="PUMCH", principal_investigator="PI")
    user = add_user(store, "coordinator")
    for i in range(120):
        candidate = register_candidate(store, user, initials=("AB", "ABC", "XYZ", "MN")[i % 4])
        start_screening(store, user, candidate.id, protocol)
    return store


def pages(store: Store, query: LogQuery, *, from_matches: bool) -> list[int]:
    ids: list[int] = []
    after: LogCursor | None = None
    matches = None
    if from_matches:  # every matching candidate, however many
        sql, params = matching_candidates(store, query.search)
        matches = [r[0] for r in store.db.execute(sql, params)]
    while True:
        sql, params = log_sql(query, after, matches=matches)
        rows = store.db.execute(sql, params).fetchall()
        ids += [r[0] for r in rows]
        if len(rows) < query.limit:
            return ids
        after = LogCursor(str(rows[-1][10]), rows[-1][0])


@pytest.mark.parametrize(
    "text",
    ["PUMCH-0042", "pumch-004", "0100", "ABC", "XYZ", "H-01", "NOPE", 'A"B', "A*B",
     "A", "x", "AB", "ab", "01", "h-", "Z9", "%", "_", "a_", "*", "[", "?", "A*", "0",
     "H_0", "H%0", "%%%", "_0", "A\\B", "\\"],
)  # fmt: skip
@pytest.mark.parametrize("sort", ["screening_date", "screening_number", "initials", "status"])
def test_the_index_finds_what_the_scan_finds(searchable: Store, text: str, sort: str) -> None:
    query = LogQuery(search=text, sort=sort, limit=7)  # type: ignore[arg-type]
    assert pages(searchable, query, from_matches=True) == pages(
        searchable, query, from_matches=False
    )


def plan(store: Store, text: str) -> str:
    sql, params = matching_candidates(store, text)
    return " ".join(str(r) for r in store.db.execute("EXPLAIN QUERY PLAN " + sql, params))


def test_the_matches_drive_the_page_only_when_few_candidates_match(
    searchable: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(log, "FEW_MATCHES", 50)  # 120 candidates: AB 30, ABC 30, XYZ 30, MN 30
    assert few_matches(searchable, "PUMCH-0042") == [42]
    assert few_matches(searchable, "NOPE") == []
    assert len(few_matches(searchable, "XY") or []) == 30  # short texts: the candidates too
    assert few_matches(searchable, "Q") == []  # one character that matches nothing: no log walk
    assert few_matches(searchable, "AB") is None  # 60 candidates: the walk in display order
    assert few_matches(searchable, "PUMCH") is None
    assert few_matches(searchable, "") is None
    assert "candidates_search" in plan(searchable, "PUMCH-0042")  # the trigram index
    assert "candidates_search" not in plan(searchable, "Q")  # too short for trigrams
    assert "candidates_by_initials" in plan(searchable, "ab")  # the initials through their index


def test_new_and_renumbered_candidates_are_found(
    searchable: Store, protocol: LoadedProtocol
) -> None:
    user = add_user(searchable, "second")
    candidate = register_candidate(searchable, user, initials="QQ")
    query = LogQuery(search=candidate.screening_number)
    assert len(pages(searchable, query, from_matches=True)) == 0  # no screening yet
    start_screening(searchable, user, candidate.id, protocol)
    assert len(pages(searchable, query, from_matches=True)) == 1


def test_percent_and_underscore_are_characters_not_wildcards(searchable: Store) -> None:
    """A search reads "%" and "_" as the characters they are, at any length and on every path
    (the trigram index, the candidates' scan, the walk in display order): none of the numbers
    (PUMCH-0001...) holds one, so none is found; "H-0" finds them all."""
    for text in ("%", "_", "_0", "H_0", "H%0", "%%%", "M_"):
        assert few_matches(searchable, text) == [], text
        query = LogQuery(search=text, limit=200)
        assert pages(searchable, query, from_matches=False) == [], text
    assert len(pages(searchable, LogQuery(search="H-0", limit=200), from_matches=False)) == 120
