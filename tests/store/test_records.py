"""Site, candidates, attempts, answers, determinations and outcomes through the store API."""

from __future__ import annotations

from datetime import date

import pytest
from helpers import ELIGIBLE, answers, confirmed

from desktop_app.rules import LoadedProtocol, evaluate
from desktop_app.store import (
    BadInputError,
    Store,
    User,
    answers_of,
    attempts_of,
    find_screening,
    get_screening,
    latest_determination,
    record_outcome,
    register_candidate,
    save_answer,
    save_answers,
    start_screening,
)
from desktop_app.store.log import status_counts
from desktop_app.store.records import candidate_with_identifier, rescreen_problem


def new_screening(store: Store, user: User, protocol: LoadedProtocol, initials: str = "AB") -> int:
    candidate = register_candidate(
        store, user, initials=initials, sex="male", date_of_birth="1970-05-12"
    )
    return start_screening(store, user, candidate.id, protocol).id


def audit_count(store: Store) -> int:
    return int(store.db.execute("SELECT count(*) FROM audit").fetchone()[0])


def test_screening_numbers_per_site(site_and_user: tuple[Store, User]) -> None:
    store, user = site_and_user
    numbers = [
        register_candidate(store, user, initials=i).screening_number for i in ("AB", "CD", "EFG")
    ]
    assert numbers == ["PUMCH-0001", "PUMCH-0002", "PUMCH-0003"]


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"initials": "A"}, "initials"),
        ({"initials": "A1"}, "initials"),
        ({"initials": "AB", "sex": "x"}, "sex"),
    ],
)
def test_bad_candidate_input_names_the_field_and_changes_nothing(
    site_and_user: tuple[Store, User], kwargs: dict[str, str], field: str
) -> None:
    store, user = site_and_user
    before = audit_count(store)
    with pytest.raises(BadInputError) as info:
        register_candidate(store, user, **kwargs)
    assert info.value.field == field
    assert audit_count(store) == before


def test_a_person_is_registered_once_by_medical_record_number(
    site_and_user: tuple[Store, User],
) -> None:
    """Registering the same person again would count them twice as assessed (CONSORT)."""
    store, user = site_and_user
    first = register_candidate(store, user, initials="AB",
                               local_identifiers={"medical_record_number": "MRN-0042"})  # fmt: skip
    events = audit_count(store)
    with pytest.raises(
        BadInputError, match="medical record number: already registered as PUMCH-0001: re-screen"
    ):
        register_candidate(
            store, user, initials="AB", local_identifiers={"medical_record_number": " MRN-0042 "}
        )
    assert audit_count(store) == events  # nothing changed
    assert candidate_with_identifier(store, "medical_record_number", "MRN-0042") == first
    other = register_candidate(store, user, initials="CD",
                               local_identifiers={"medical_record_number": "MRN-0043"})  # fmt: skip
    assert other.screening_number == "PUMCH-0002"
    blank = register_candidate(
        store, user, initials="EF", local_identifiers={"medical_record_number": "  "}
    )
    assert blank.local_identifiers == {}  # nothing typed is no identifier


def test_rescreening_adds_attempts_under_the_protocol(
    site_and_user: tuple[Store, User], protocol: LoadedProtocol
) -> None:
    store, user = site_and_user
    candidate = register_candidate(store, user, initials="AB")
    first = start_screening(store, user, candidate.id, protocol)
    with pytest.raises(BadInputError, match="attempt 1 of PUMCH-0001 is still open: continue it"):
        start_screening(store, user, candidate.id, protocol)
    failing = answers(hiv="positive")
    save_answers(store, user, first.id, failing, determination=evaluate(protocol, failing))
    assert rescreen_problem(store, candidate.id) is None  # a screen failure may be screened again
    second = start_screening(store, user, candidate.id, protocol)
    assert [a.attempt for a in attempts_of(store, candidate.id)] == [1, 2]
    assert (second.protocol_id, second.protocol_version, second.protocol_sha256) == (
        "NCT04660565", "1.0", protocol.sha256,
    )  # fmt: skip
    assert find_screening(store, "PUMCH-0001").id == second.id
    assert find_screening(store, "PUMCH-0001", attempt=1).id == first.id
    assert first.status == "draft"
    save_answers(store, user, second.id, ELIGIBLE, determination=evaluate(protocol, ELIGIBLE))
    confirmed(store, second.id)
    record_outcome(store, user, second.id, "enrolled", randomization_number="R-001",
                   enrolled_on=date(2023, 3, 20))  # fmt: skip
    with pytest.raises(BadInputError, match="PUMCH-0001 was enrolled \\(attempt 2\\): an enrolled"):
        start_screening(store, user, candidate.id, protocol)


def test_an_answer_is_saved_with_its_audit_event(
    site_and_user: tuple[Store, User], protocol: LoadedProtocol
) -> None:
    store, user = site_and_user
    sid = new_screening(store, user, protocol)
    save_answer(store, user, sid, "hbsag", "negative")
    save_answer(store, user, sid, "hbsag", "positive")
    save_answer(store, user, sid, "hbsag", "positive")  # unchanged: no new event
    save_answer(store, user, sid, "hbsag", None)
    rows = store.db.execute(
        "SELECT username, field, old_value, new_value FROM audit WHERE action = 'answer_saved' ORDER BY seq"
    ).fetchall()
    assert rows == [
        ("coordinator", "hbsag", None, '"negative"'),
        ("coordinator", "hbsag", '"negative"', '"positive"'),
        ("coordinator", "hbsag", '"positive"', None),
    ]
    assert answers_of(store, sid) == {}


@pytest.mark.parametrize(
    ("question", "value", "field"),
    [
        ("hbsag", "maybe", "hbsag"),
        ("shoe_size", 42, "shoe_size"),
        ("gc_maintenance_dose_mg_per_day", -1, "gc_maintenance_dose_mg_per_day"),
        ("consent_date", "2023-02-30", "consent_date"),
    ],
)
def test_a_bad_answer_names_the_field_and_changes_nothing(
    site_and_user: tuple[Store, User],
    protocol: LoadedProtocol,
    question: str,
    value: object,
    field: str,
) -> None:
    store, user = site_and_user
    sid = new_screening(store, user, protocol)
    save_answer(store, user, sid, "hbsag", "negative")
    before = audit_count(store)
    with pytest.raises(BadInputError) as info:
        save_answer(store, user, sid, question, value)
    assert info.value.field == field
    assert answers_of(store, sid) == {"hbsag": "negative"}
    assert audit_count(store) == before


def test_answers_and_determination_in_one_save(
    site_and_user: tuple[Store, User], protocol: LoadedProtocol
) -> None:
    store, user = site_and_user
    sid = new_screening(store, user, protocol)
    doc = answers(hiv="positive")
    save_answers(store, user, sid, doc, determination=evaluate(protocol, doc))
    screening = get_screening(store, sid)
    assert (screening.status, screening.failing) == ("ineligible", ("E8",))
    assert screening.screening_date == date(2023, 3, 8)
    assert answers_of(store, sid) == doc
    snapshot = latest_determination(store, sid)
    assert snapshot is not None
    assert snapshot.failing == ("E8",)
    assert snapshot.protocol.sha256 == protocol.sha256
    # The change of determination is itself an audit event.
    change = store.db.execute(
        "SELECT new_value FROM audit WHERE action = 'determination_changed'"
    ).fetchone()
    assert change == ('{"determination":"ineligible","failing":["E8"]}',)


def test_a_save_that_changes_nothing_writes_no_determination(
    site_and_user: tuple[Store, User], protocol: LoadedProtocol
) -> None:
    # A wizard re-sending a value it shows (a draft's step visited, a code box set to what it
    # was) must leave the store as the chain gives it: before this, such a save wrote an
    # "incomplete" determination no event accounted for, and db check and every export then
    # refused the store as TAMPERED.
    from helpers import key_of

    from desktop_app.store import check

    store, user = site_and_user
    sid = new_screening(store, user, protocol)
    before = (
        get_screening(store, sid).status,
        audit_count(store),
        latest_determination(store, sid),
    )
    save_answers(store, user, sid, {"hiv": None, "sex": answers_of(store, sid).get("sex")})
    assert (
        get_screening(store, sid).status,
        audit_count(store),
        latest_determination(store, sid),
    ) == before
    report = check.check(store.data_dir, key_of(store.data_dir))
    assert report.ok, report.lines()


def test_a_signed_screening_needs_a_reason_for_change(
    site_and_user: tuple[Store, User], protocol: LoadedProtocol
) -> None:
    store, user = site_and_user
    sid = new_screening(store, user, protocol)
    store.db.execute(
        "UPDATE screenings SET sign_state = 'signed' WHERE id = ?", [sid]
    )  # as after signing
    with pytest.raises(BadInputError, match="reason"):
        save_answer(store, user, sid, "hiv", "negative")
    save_answer(store, user, sid, "hiv", "negative", reason="lab report corrected")
    reason = store.db.execute("SELECT reason FROM audit WHERE field = 'hiv'").fetchone()
    assert reason == ("lab report corrected",)


def test_outcomes(site_and_user: tuple[Store, User], protocol: LoadedProtocol) -> None:
    store, user = site_and_user
    eligible = new_screening(store, user, protocol, "AB")
    save_answers(store, user, eligible, ELIGIBLE, determination=evaluate(protocol, ELIGIBLE))
    with pytest.raises(BadInputError, match="investigator has not yet confirmed"):  # GCP
        record_outcome(store, user, eligible, "enrolled", randomization_number="R-001",
                       enrolled_on=date(2023, 3, 10))  # fmt: skip
    assert get_screening(store, eligible).status == "eligible"  # nothing recorded
    confirmed(store, eligible)
    with pytest.raises(BadInputError, match="randomization number"):
        record_outcome(store, user, eligible, "enrolled", enrolled_on=date(2023, 3, 10))
    with pytest.raises(BadInputError, match="before the screening date"):
        record_outcome(
            store,
            user,
            eligible,
            "enrolled",
            randomization_number="R-001",
            enrolled_on=date(2023, 3, 1),
        )
    with pytest.raises(BadInputError, match="ineligible"):
        record_outcome(store, user, eligible, "screen_failure")
    enrolled = record_outcome(store, user, eligible, "enrolled", randomization_number="R-001",
                              enrolled_on=date(2023, 3, 10))  # fmt: skip
    assert enrolled.status == "enrolled"
    assert enrolled.outcome_detail == {"randomization_number": "R-001", "date": "2023-03-10"}
    draft = new_screening(store, user, protocol, "CD")
    with pytest.raises(BadInputError, match="eligible"):
        record_outcome(store, user, draft, "declined")
    assert record_outcome(store, user, draft, "withdrawn", note="moved away").status == "withdrawn"
    assert status_counts(store)["enrolled"] == 1
