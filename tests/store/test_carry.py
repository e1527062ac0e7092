"""Re-screening carries forward: identity copied, other answers that are not time-bound offered
as proposals that count for nothing until confirmed; every copy and confirm audited and replayed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from helpers import ELIGIBLE, TEST_PASSWORD, add_user, answers, key_of, raw_connect

from desktop_app.rules import LoadedProtocol, evaluate
from desktop_app.store import (
    BadInputError,
    Store,
    User,
    answers_of,
    get_screening,
    register_candidate,
    save_answers,
    start_screening,
)
from desktop_app.store import check as store_check
from desktop_app.store.carry import carried_of, carry_forward, confirm_carried
from desktop_app.store.location import DB_NAME
from desktop_app.store.signatures import sign_screening

FAILED = answers(hiv="positive", medications_given=["methotrexate"],
                 medication_last_dose={"methotrexate": "2022-01-10"})  # fmt: skip


def _rescreened(store: Store, user: User, protocol: LoadedProtocol) -> tuple[int, int]:
    """A screen failure (HIV positive), then a second attempt started from it."""
    candidate = register_candidate(store, user, initials="AB")
    first = start_screening(store, user, candidate.id, protocol)
    save_answers(store, user, first.id, FAILED, determination=evaluate(protocol, FAILED))
    second = start_screening(store, user, candidate.id, protocol)
    return first.id, second.id


def _events(store: Store, action: str) -> list[tuple[str, str | None, str | None]]:
    return [
        (r[0], r[1], r[2])
        for r in store.db.execute(
            "SELECT field, new_value, reason FROM audit WHERE action = ? ORDER BY seq", [action]
        )
    ]


def test_identity_is_copied_and_only_answers_that_are_not_time_bound_are_offered(
    site_and_user: tuple[Store, User], protocol: LoadedProtocol
) -> None:
    store, user = site_and_user
    _, second = _rescreened(store, user, protocol)
    carried = carry_forward(store, user, second, protocol)
    assert carried.from_attempt == 1
    assert carried.identity == ("date_of_birth", "sex")
    assert answers_of(store, second) == {"date_of_birth": "1970-05-12", "sex": "male"}
    proposals = carried_of(store, second)
    assert set(proposals) == set(carried.offered)
    bound = protocol.protocol.time_bound_questions
    assert not set(proposals) & bound
    # never copied: laboratory results, imaging, test dates, the pregnancy test, consent
    for q in ("hiv", "hbsag", "chest_imaging", "chest_imaging_date", "consent_date", "consent_given",
              "screening_date", "serum_igg4_value", "tb_conclusion"):  # fmt: skip
        assert q not in proposals
    assert proposals["medications_given"].value == ["methotrexate"]
    assert proposals["medication_last_dose"].value == {"methotrexate": "2022-01-10"}
    assert {p.from_attempt for p in proposals.values()} == {1}
    # Audited: the identity as answers saved with where they come from, each proposal an event.
    assert [(f, r) for f, _, r in _events(store, "answer_saved")][-2:] == [
        ("date_of_birth", "identity from attempt 1"), ("sex", "identity from attempt 1"),
    ]  # fmt: skip
    offered = _events(store, "answer_carried")
    assert [f for f, _, _ in offered] == sorted(proposals)
    assert json.loads(str(offered[0][1]))["from_attempt"] == 1


def test_unconfirmed_proposals_count_for_nothing_until_confirmed(
    site_and_user: tuple[Store, User], protocol: LoadedProtocol
) -> None:
    store, user = site_and_user
    _, second = _rescreened(store, user, protocol)
    carry_forward(store, user, second, protocol)
    proposals = carried_of(store, second)
    # The time-bound answers are entered again (new laboratory results, a new consent).
    fresh = {q: v for q, v in ELIGIBLE.items() if q in protocol.protocol.time_bound_questions}
    save_answers(store, user, second, fresh)
    screening = get_screening(store, second)
    assert screening.determination == "incomplete"  # the proposals are not answers
    missing = evaluate(protocol, answers_of(store, second)).missing
    assert {"disease_status", "medications_given", "known_immunodeficiency"} <= set(missing)
    assert {"disease_status", "medications_given", "known_immunodeficiency"} <= set(proposals)
    investigator = add_user(store, "investigator", roles=("investigator",), full_name="Dr. Pi")
    with pytest.raises(BadInputError):
        sign_screening(store, investigator, second, TEST_PASSWORD)
    # One click per step confirms all of a step's proposals: here every one.
    confirmed = confirm_carried(store, user, second, list(proposals))
    assert set(confirmed) == set(proposals)
    assert carried_of(store, second) == {}
    # Confirmed, they are answers: with the new results the candidate is eligible this time.
    assert answers_of(store, second)["medications_given"] == ["methotrexate"]
    assert get_screening(store, second).determination == "eligible"
    assert [f for f, _, _ in _events(store, "carried_answer_confirmed")] == sorted(proposals)
    saved = [r for f, _, r in _events(store, "answer_saved") if f == "medications_given"]
    assert saved[-1] == "confirmed, carried from attempt 1"
    with pytest.raises(BadInputError, match="has no carried answer waiting"):
        confirm_carried(store, user, second, ["hiv"])


def test_typing_another_answer_replaces_the_proposal(
    site_and_user: tuple[Store, User], protocol: LoadedProtocol
) -> None:
    store, user = site_and_user
    _, second = _rescreened(store, user, protocol)
    carry_forward(store, user, second, protocol)
    save_answers(store, user, second, {"medications_given": []})
    assert "medications_given" not in carried_of(store, second)
    assert [f for f, _, _ in _events(store, "carried_answer_replaced")] == ["medications_given"]
    assert _events(store, "carried_answer_confirmed") == []


def test_a_first_attempt_has_nothing_to_carry(
    site_and_user: tuple[Store, User], protocol: LoadedProtocol
) -> None:
    store, user = site_and_user
    first = start_screening(
        store, user, register_candidate(store, user, initials="CD").id, protocol
    )
    carried = carry_forward(store, user, first.id, protocol)
    assert (carried.from_attempt, carried.identity, carried.offered) == (None, (), ())


def test_a_direct_edit_of_a_proposal_is_reported_by_db_check(
    site_and_user: tuple[Store, User], protocol: LoadedProtocol, tmp_path: Path
) -> None:
    store, user = site_and_user
    _, second = _rescreened(store, user, protocol)
    carry_forward(store, user, second, protocol)
    data = store.data_dir
    store.close()
    clean = store_check.check(data, key_of(data))
    assert clean.replayed is not None
    assert clean.replayed.affected() == {}
    conn = raw_connect(data / DB_NAME)
    conn.execute(
        "UPDATE carried_answers SET value = '[\"rituximab\"]' WHERE question_id = 'medications_given'"
    )
    conn.commit()
    conn.close()
    report = store_check.check(data, key_of(data))
    assert report.replayed is not None
    lines = report.replayed.affected()["PUMCH-0001/2"]
    assert any("carried_answers" in line and "medications_given" in line for line in lines), lines


# ---------------------------------------------------------------- missing-data codes in the store


def test_a_code_is_saved_only_where_the_protocol_allows_it(
    site_and_user: tuple[Store, User], protocol: LoadedProtocol
) -> None:
    from desktop_app.store.missing_data import results_pending

    store, user = site_and_user
    first = start_screening(
        store, user, register_candidate(store, user, initials="AB").id, protocol
    )
    with pytest.raises(BadInputError) as info:
        save_answers(store, user, first.id, {"hiv": {"missing_data": "not_done"}})
    assert info.value.field == "hiv"
    assert "'not_done' is not allowed for this question (it accepts 'pending')" in str(info.value)
    assert answers_of(store, first.id) == {}
    doc = answers(hbsag={"missing_data": "pending"}, hiv={"missing_data": "pending"})
    save_answers(store, user, first.id, doc)
    assert answers_of(store, first.id)["hbsag"] == {"missing_data": "pending"}
    assert get_screening(store, first.id).determination == "incomplete"
    other = start_screening(
        store, user, register_candidate(store, user, initials="CD").id, protocol
    )
    save_answers(
        store, user, other.id, answers(hbsag={"missing_data": "pending"}, tb_conclusion=None)
    )
    # The "Results pending" queue: only the first waits for nothing but pending results.
    assert results_pending(store) == {first.id: ("hbsag", "hiv")}
    save_answers(store, user, first.id, {"hbsag": "negative", "hiv": "negative"})
    assert results_pending(store) == {}
    assert get_screening(store, first.id).determination == "eligible"


def test_the_results_pending_sql_finds_what_the_function_finds(
    site_and_user: tuple[Store, User], protocol: LoadedProtocol
) -> None:
    from desktop_app.store.missing_data import (
        RESULTS_PENDING_CONDITION,
        RESULTS_PENDING_DETAIL,
        results_pending,
    )

    store, user = site_and_user
    docs = [
        answers(hbsag={"missing_data": "pending"}, hiv={"missing_data": "pending"}),  # waits
        answers(hbsag={"missing_data": "pending"}, tb_conclusion=None),  # also unanswered
        answers(hbsag={"missing_data": "pending"}, hiv="positive"),  # ineligible anyway
        answers(malignancy_history=True, malignancy_date={"missing_data": "unknown"}),  # unknown
        answers(),  # eligible
    ]
    for n, doc in enumerate(docs):
        screening = start_screening(
            store, user, register_candidate(store, user, initials=f"A{chr(66 + n)}").id, protocol
        )
        save_answers(store, user, screening.id, doc)
    rows = store.db.execute(
        f"SELECT id, {RESULTS_PENDING_DETAIL} FROM screenings WHERE {RESULTS_PENDING_CONDITION} "
        "ORDER BY id"
    ).fetchall()
    expected = results_pending(store)
    assert [r[0] for r in rows] == list(expected) == [1]
    assert rows[0][1] == "hbsag, hiv"
    # and the column written with every determination, which the queue reads, says the same
    stored = store.db.execute("SELECT id, awaiting FROM screenings WHERE awaiting <> ''").fetchall()
    assert stored == [(1, "hbsag,hiv")]
