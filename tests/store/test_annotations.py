"""Notes on answers, monitors' queries and audit trail reviews: roles, states, history kept, every
step an audit event, and the replay of the chain catching any direct edit of their tables."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import FixedClock
from helpers import add_user, as_user, confirmed, open_test_store, raw_connect, screened

from desktop_app.cli import main
from desktop_app.rules import LoadedProtocol
from desktop_app.store import (
    BadInputError,
    PermissionDeniedError,
    Store,
    User,
    answers_of,
    create_site,
    get_screening,
)
from desktop_app.store.annotations import (
    OPEN_QUERY_SCREENINGS_SQL,
    answer_query,
    audit_reviews_of,
    close_query,
    exported_annotations,
    get_query,
    notes_of,
    open_query_count,
    open_query_screenings,
    raise_query,
    record_audit_review,
    reopen_query,
    save_note,
)
from desktop_app.store.check import replay_report
from desktop_app.store.location import DB_NAME

Team = tuple[User, User, User]


@pytest.fixture
def team(store: Store) -> Team:
    create_site(store, None, code="PUMCH", name="PUMCH", principal_investigator="PI")
    return (add_user(store, "coordinator"), add_user(store, "investigator", roles=("investigator",)),
            add_user(store, "monitor", roles=("monitor",)))  # fmt: skip


def events(store: Store, *actions: str) -> list[tuple[str, str, str | None, str | None]]:
    marks = ", ".join("?" for _ in actions)
    return store.db.execute(
        f"SELECT action, username, field, reason FROM audit WHERE action IN ({marks}) ORDER BY seq",
        list(actions),
    ).fetchall()


def test_a_note_keeps_every_version_and_each_is_an_audit_event(
    store: Store, protocol: LoadedProtocol, team: Team
) -> None:
    coordinator, investigator, _ = team
    sid = screened(store, coordinator, protocol)
    save_note(store, coordinator, sid, "hbv_dna", "  Sample sent to the central lab.  ")
    note = save_note(
        store, investigator, sid, "hbv_dna", "Result from the central lab, 2023-03-05."
    )
    assert note.text == "Result from the central lab, 2023-03-05."
    assert [(v.version, v.username, v.text) for v in note.versions] == [
        (1, "coordinator", "Sample sent to the central lab."),
        (2, "investigator", "Result from the central lab, 2023-03-05."),
    ]
    assert list(notes_of(store, sid)) == ["hbv_dna"]
    assert events(store, "note_saved") == [
        ("note_saved", "coordinator", "hbv_dna", None),
        ("note_saved", "investigator", "hbv_dna", None),
    ]
    # Never deleted, never overwritten, even by SQL through Eligo's own connection.
    for statement in ("DELETE FROM answer_notes", "UPDATE answer_notes SET text = 'x'"):
        with pytest.raises(Exception, match="never"):
            store.db.execute(statement)


def test_bad_notes_are_refused_naming_the_field_and_change_nothing(
    store: Store, protocol: LoadedProtocol, team: Team
) -> None:
    coordinator, _, monitor = team
    sid = screened(store, coordinator, protocol)
    with pytest.raises(BadInputError, match="note: is empty"):
        save_note(store, coordinator, sid, "hbv_dna", "   ")
    with pytest.raises(BadInputError, match="no_such_question: is not a question"):
        save_note(store, coordinator, sid, "no_such_question", "text")
    with pytest.raises(PermissionDeniedError, match="write notes"):
        save_note(store, monitor, sid, "hbv_dna", "A monitor raises queries instead.")
    save_note(store, coordinator, sid, "hbv_dna", "first")
    with pytest.raises(BadInputError, match="unchanged"):
        save_note(store, coordinator, sid, "hbv_dna", "first")
    assert len(notes_of(store, sid)["hbv_dna"].versions) == 1
    assert len(events(store, "note_saved")) == 1


def test_after_signing_a_note_is_added_freely_but_edited_only_with_a_reason(
    store: Store, protocol: LoadedProtocol, team: Team
) -> None:
    coordinator, _, _ = team
    sid = screened(store, coordinator, protocol)
    save_note(store, coordinator, sid, "ppd", "Read at 72 hours.")
    confirmed(store, sid)
    save_note(store, coordinator, sid, "hiv", "Rapid test, confirmed by the lab.")  # a new note
    with pytest.raises(BadInputError, match=r"reason: .* has been signed"):
        save_note(store, coordinator, sid, "ppd", "Read at 48 hours.")
    note = save_note(store, coordinator, sid, "ppd", "Read at 48 hours.", reason="typing mistake")
    assert [v.reason for v in note.versions] == [None, "typing mistake"]
    assert get_screening(store, sid).sign_state == "locked"  # a note is not the signed record


def test_a_query_goes_open_answered_closed_reopened_with_each_role_doing_its_part(
    store: Store, protocol: LoadedProtocol, team: Team
) -> None:
    coordinator, investigator, monitor = team
    sid = screened(store, coordinator, protocol)
    with pytest.raises(PermissionDeniedError, match="raise queries"):
        raise_query(store, coordinator, sid, "ppd_date", "Date?")
    query = raise_query(store, monitor, sid, "ppd_date", "The source says 2023-03-03.",
                        suggested_value="2023-03-03")  # fmt: skip
    assert (query.state, query.suggested_value, query.raised.username) == (
        "open",
        "2023-03-03",
        "monitor",
    )
    assert open_query_count(store, sid) == 1
    assert open_query_screenings(store) == {sid: 1}
    with pytest.raises(PermissionDeniedError, match="answer queries"):
        answer_query(store, monitor, query.id, "Answering my own query")
    with pytest.raises(PermissionDeniedError, match="close queries"):
        close_query(store, coordinator, query.id)
    with pytest.raises(BadInputError, match="only an answered or closed query is reopened"):
        reopen_query(store, monitor, query.id, "Not yet")
    answered = answer_query(store, coordinator, query.id, "Checked the source: the form is right.")
    assert answered.state == "answered"
    assert open_query_screenings(store) == {}
    with pytest.raises(BadInputError, match="only an open query is answered"):
        answer_query(store, investigator, query.id, "Again")
    closed = close_query(store, monitor, query.id, "Agreed.")
    assert closed.state == "closed"
    with pytest.raises(BadInputError, match="already closed"):
        close_query(store, monitor, query.id)
    reopened = reopen_query(store, monitor, query.id, "The lab sheet says otherwise.")
    assert reopened.state == "open"
    assert [(s.action, s.username) for s in reopened.steps] == [
        ("raised", "monitor"), ("answered", "coordinator"), ("closed", "monitor"),
        ("reopened", "monitor"),
    ]  # fmt: skip
    assert [e[0] for e in events(store, "query_raised", "query_answered", "query_closed",
                                 "query_reopened")] == [
        "query_raised", "query_answered", "query_closed", "query_reopened"]  # fmt: skip
    assert open_query_screenings(store) == {sid: 1}
    in_sql = store.db.execute(OPEN_QUERY_SCREENINGS_SQL).fetchall()
    assert in_sql == [(sid,)]


def test_answering_with_a_changed_value_saves_the_answer_with_its_own_event_and_reason(
    store: Store, protocol: LoadedProtocol, team: Team
) -> None:
    coordinator, investigator, monitor = team
    sid = screened(store, coordinator, protocol)
    confirmed(store, sid)
    query = raise_query(store, monitor, sid, "ppd_date", "Source says 2023-03-03.")
    with pytest.raises(BadInputError, match="reason: a reason for changing the answer is required"):
        answer_query(store, coordinator, query.id, "Corrected.", new_value="2023-03-03")
    with pytest.raises(BadInputError, match="ppd_date"):
        answer_query(store, coordinator, query.id, "Corrected.", new_value="2023-02-30", reason="x")
    assert answers_of(store, sid)["ppd_date"] == "2023-03-02"
    assert get_query(store, query.id).state == "open"
    answered = answer_query(store, coordinator, query.id, "Corrected from the source.",
                            new_value="2023-03-03", reason="transcription error")  # fmt: skip
    assert answers_of(store, sid)["ppd_date"] == "2023-03-03"
    assert answered.state == "answered"
    assert answered.steps[-1].changed_value == '"2023-03-03"'
    assert answered.steps[-1].reason == "transcription error"
    assert events(store, "answer_saved", "query_answered")[-2:] == [
        ("answer_saved", "coordinator", "ppd_date", "transcription error"),
        ("query_answered", "coordinator", "ppd_date", "transcription error"),
    ]
    # The answer changed after the investigator's signature: the signature no longer holds.
    assert get_screening(store, sid).sign_state == "invalidated"
    # The same value as stored is a reply without a change.
    second = raise_query(store, monitor, sid, "hiv", "Confirm negative?")
    plain = answer_query(store, investigator, second.id, "Confirmed.", new_value="negative")
    assert plain.steps[-1].changed_value is None
    assert replay_report(store.db).ok


def test_audit_trail_reviews_are_monitors_records_with_a_range_that_makes_sense(
    store: Store, protocol: LoadedProtocol, team: Team
) -> None:
    coordinator, _, monitor = team
    sid = screened(store, coordinator, protocol)
    today = store.clock().date()
    with pytest.raises(PermissionDeniedError, match="audit trail reviews"):
        record_audit_review(store, coordinator, sid, date(2023, 3, 1), today)
    with pytest.raises(BadInputError, match="from: 2023-03-08 is after 2023-03-01"):
        record_audit_review(store, monitor, sid, date(2023, 3, 8), date(2023, 3, 1))
    with pytest.raises(BadInputError, match=r"to: .* is after today"):
        record_audit_review(store, monitor, sid, date(2023, 3, 1), date(2099, 1, 1))
    review = record_audit_review(
        store, monitor, sid, date(2023, 3, 1), today, "All entries attributable."
    )
    assert (review.from_date, review.to_date, review.username) == (
        date(2023, 3, 1),
        today,
        "monitor",
    )
    assert audit_reviews_of(store, sid) == [review]
    assert events(store, "audit_trail_reviewed") == [
        ("audit_trail_reviewed", "monitor", None, None)
    ]


def test_exported_annotations_carry_no_date_of_birth(
    store: Store, protocol: LoadedProtocol, team: Team
) -> None:
    coordinator, _, monitor = team
    sid = screened(store, coordinator, protocol)
    save_note(store, coordinator, sid, "ppd", "Read at 72 hours.")
    query = raise_query(
        store, monitor, sid, "date_of_birth", "Check the year.", suggested_value="1971-05-12"
    )
    answer_query(
        store, coordinator, query.id, "Corrected.", new_value="1971-05-12", reason="ID card"
    )
    exported = exported_annotations(store)
    (key,) = exported
    assert exported[key]["notes"][0]["text"] == "Read at 72 hours."
    assert "1971" not in repr(exported)


# ---------------------------------------------------------------- db check


def _store_with_annotations(folder: Path, protocol: LoadedProtocol) -> None:
    with open_test_store(folder, clock=FixedClock()) as store:
        create_site(store, None, code="PUMCH", name="PUMCH", principal_investigator="PI")
        coordinator = add_user(store, "coordinator")
        monitor = add_user(store, "monitor", roles=("monitor",))
        sid = screened(store, coordinator, protocol)
        save_note(store, coordinator, sid, "ppd", "Read at 72 hours.")
        query = raise_query(store, monitor, sid, "ppd_date", "Source says 2023-03-03.")
        answer_query(
            store, coordinator, query.id, "Corrected.", new_value="2023-03-03", reason="source"
        )
        record_audit_review(store, monitor, sid, date(2023, 3, 1), date(2023, 3, 8))
        assert replay_report(store.db).ok, replay_report(store.db).lines()


EDITS = {
    "note text": ("DROP TRIGGER answer_notes_no_update; UPDATE answer_notes SET text = 'Read at 48 hours.'",
                  "answer_notes 1 text"),
    "note removed": ("DROP TRIGGER answer_notes_no_delete; DELETE FROM answer_notes", "answer_notes 1 row"),
    "query state": ("UPDATE queries SET state = 'closed'", "queries 1 state"),
    "query text": ("UPDATE queries SET text = 'Nothing to see'", "queries 1 text"),
    "query added": ("INSERT INTO queries (screening_id, question_id, text, state, raised_at, utc_offset, "
                    "raised_by) VALUES (1, 'hiv', 'x', 'open', '2023-03-08T01:00:00.000000Z', '+08:00', 3)",
                    "queries 2 row"),
    "step reason": ("DROP TRIGGER query_steps_no_update; UPDATE query_steps SET reason = 'other'",
                    "query_steps 1 reason"),
    "review range": ("DROP TRIGGER audit_reviews_no_update; UPDATE audit_reviews SET from_date = '2023-01-01'",
                     "audit_reviews 1 from"),
}  # fmt: skip


@pytest.mark.parametrize("name", list(EDITS))
def test_a_direct_edit_of_notes_queries_or_reviews_is_tampered(
    tmp_path: Path, protocol: LoadedProtocol, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "data"
    _store_with_annotations(folder, protocol)
    assert main(["db", "check", "--data-dir", str(folder), *as_user("admin")]) == 0
    capsys.readouterr()
    statement, named = EDITS[name]
    conn = raw_connect(folder / DB_NAME)
    conn.executescript(statement)
    conn.close()
    assert main(["db", "check", "--data-dir", str(folder), *as_user("admin")]) == 1
    out = capsys.readouterr().out
    assert named in out, out
    assert "TAMPERED screening" in out, out
