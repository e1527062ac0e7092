"""A monitor's query through open, answered, closed and reopened between three users who each sign
in to the same main window (through the sign-in dialog, from the lock screen), notes beside the
field, the review's list, the signer's warning, and the monitor's audit trail review."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from helpers import TEST_PASSWORD, add_user, screened
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.rules import LoadedProtocol
from desktop_app.store import Store, User, answers_of, authenticate, create_site
from desktop_app.store.annotations import audit_reviews_of, get_query, notes_of, queries_of
from desktop_app.ui import notes_ui
from desktop_app.ui.login_dialog import LoginDialog
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.query_dialog import QueryDialog
from desktop_app.ui.wizard import ScreeningWizard


@pytest.fixture
def sid(store: Store, protocol: LoadedProtocol) -> int:
    create_site(store, None, code="PUMCH", name="PUMCH", principal_investigator="PI")
    coordinator = add_user(store, "coordinator", full_name="Li Na")
    add_user(store, "investigator", roles=("investigator",), full_name="Dr. Wang")
    add_user(store, "monitor", roles=("monitor",), full_name="Chen Jie (CRA)")
    return screened(store, coordinator, protocol)


def sign_in_as(
    qtbot: QtBot, main: MainWindow, username: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lock the window and sign in as another user through the sign-in dialog."""

    def through_dialog(
        cls: Any, store: Store, parent: Any = None, username_: str = ""
    ) -> User | None:
        dialog = LoginDialog(store)
        qtbot.addWidget(dialog)
        dialog.username.setText(username)
        dialog.password.setText(TEST_PASSWORD)
        dialog._on_buttons_accepted()
        return dialog.user

    main._on_lock_action_triggered()
    monkeypatch.setattr(LoginDialog, "ask", classmethod(through_dialog))
    with qtbot.waitSignal(main.user_changed):
        main.lock_screen._on_other_clicked()
    assert main.user.username == username


def in_dialog(monkeypatch: pytest.MonkeyPatch, script: Callable[[Any], None]) -> list[Any]:
    """The next modal dialog the wizard's notes and queries open is run by `script`."""
    seen: list[Any] = []

    def run(dialog: Any) -> int:
        seen.append(dialog)
        script(dialog)
        return 0

    monkeypatch.setattr(notes_ui, "run_modal", run)
    return seen


def wizard_of(main: MainWindow, sid: int) -> ScreeningWizard:
    wizard = main.open_wizard(sid)
    wizard.go_to("infection")
    return wizard


def test_a_query_through_open_answered_closed_reopened_between_three_signed_in_users(
    qtbot: QtBot, store: Store, protocol: LoadedProtocol, sid: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    main = MainWindow(
        protocol, store, authenticate(store, "monitor", TEST_PASSWORD), idle_ms=600_000
    )
    qtbot.addWidget(main)
    main.show()

    # The monitor raises a query on the PPD date, suggesting the date on the source document.
    wizard = wizard_of(main, sid)
    bar = wizard.annotations.bars["ppd_date"]
    assert bar.query_button.isVisible()
    assert not bar.note_button.isVisible()

    def raise_(dialog: QueryDialog) -> None:
        assert dialog.is_monitor
        assert not dialog.answer_button.isVisible()
        dialog.text.setPlainText("The lab sheet says the PPD was read on 2023-03-03.")
        dialog.suggested.setText("2023-03-03")
        qtbot.mouseClick(dialog.raise_button, Qt.MouseButton.LeftButton)
        assert "raised by Chen Jie (CRA)" in dialog.history.toPlainText()

    in_dialog(monkeypatch, raise_)
    qtbot.mouseClick(bar.query_button, Qt.MouseButton.LeftButton)
    (query,) = queries_of(store, sid)
    assert query.state == "open"
    assert bar.query_button.text() == "⚑ 1"
    assert "Open queries: 1" in bar.query_button.toolTip()
    assert "Open query on" in wizard.annotations.review_label.text()

    # The coordinator signs in, sees the open query beside the field and answers it, correcting
    # the date with a reason; the answer is saved as any answer is.
    sign_in_as(qtbot, main, "coordinator", monkeypatch)
    wizard = wizard_of(main, sid)
    bar = wizard.annotations.bars["ppd_date"]
    assert bar.query_button.isVisible()
    assert bar.query_button.text() == "⚑ 1"
    assert "Open queries: 1" in bar.query_button.toolTip()

    def answer(dialog: QueryDialog) -> None:
        assert not dialog.raise_button.isVisible()
        assert dialog.answer_button.isEnabled()
        assert dialog.selected_query_id() == query.id
        dialog.text.setPlainText("Corrected from the lab sheet.")
        dialog.change.edit.setText("2023-03-03")
        qtbot.mouseClick(dialog.answer_button, Qt.MouseButton.LeftButton)
        assert "reason" in dialog.error.text()  # a changed answer needs its reason
        dialog.reason.setText("transcription error")
        qtbot.mouseClick(dialog.answer_button, Qt.MouseButton.LeftButton)
        assert not dialog.error.isVisible()
        assert "Answer changed to: 2023-03-03" in dialog.history.toPlainText()

    in_dialog(monkeypatch, answer)
    qtbot.mouseClick(bar.query_button, Qt.MouseButton.LeftButton)
    assert get_query(store, query.id).state == "answered"
    assert answers_of(store, sid)["ppd_date"] == "2023-03-03"
    assert wizard.pages["infection"].widgets["ppd_date"].value() == "2023-03-03"
    assert bar.query_button.text() == "⚑ (1)"
    assert "Queries (1), none open" in bar.query_button.toolTip()

    # The coordinator adds a note beside the field.
    def note(dialog: notes_ui.NoteDialog) -> None:
        dialog.text.setPlainText("Original lab sheet filed in the binder.")
        dialog._on_buttons_accepted()

    in_dialog(monkeypatch, note)
    qtbot.mouseClick(bar.note_button, Qt.MouseButton.LeftButton)
    assert notes_of(store, sid)["ppd_date"].text == "Original lab sheet filed in the binder."
    assert "Original lab sheet filed" in bar.note_label.text()
    assert bar.note_label.isVisible()

    # The monitor closes the query, then reopens it.
    sign_in_as(qtbot, main, "monitor", monkeypatch)
    wizard = wizard_of(main, sid)
    bar = wizard.annotations.bars["ppd_date"]

    def close_then_reopen(dialog: QueryDialog) -> None:
        assert dialog.selected_query_id() == query.id
        assert dialog.close_button.isEnabled()
        assert dialog.reopen_button.isEnabled()
        qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
        assert get_query(store, query.id).state == "closed"
        assert not dialog.close_button.isEnabled()
        qtbot.mouseClick(dialog.reopen_button, Qt.MouseButton.LeftButton)
        assert "comment: is empty" in dialog.error.text()  # a reopened query says why
        dialog.text.setPlainText("Please also correct the TB ELISpot date.")
        qtbot.mouseClick(dialog.reopen_button, Qt.MouseButton.LeftButton)

    in_dialog(monkeypatch, close_then_reopen)
    qtbot.mouseClick(bar.query_button, Qt.MouseButton.LeftButton)
    assert get_query(store, query.id).state == "open"

    # The investigator signs in: warned of the open query when signing, not stopped.
    sign_in_as(qtbot, main, "investigator", monkeypatch)
    from desktop_app.ui.sign_dialog import SignDialog

    dialog = SignDialog(store, main.user, sid)
    qtbot.addWidget(dialog)
    assert "still open: 1" in dialog.open_queries.text()
    assert not dialog.open_queries.isHidden()
    dialog.password.setText(TEST_PASSWORD)
    dialog._on_buttons_accepted()
    assert dialog.signature_id is not None
    assert [s.action for s in get_query(store, query.id).steps] == [
        "raised",
        "answered",
        "closed",
        "reopened",
    ]


def test_a_note_edited_after_signing_asks_for_its_reason(
    qtbot: QtBot, store: Store, protocol: LoadedProtocol, sid: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from helpers import confirmed

    coordinator = authenticate(store, "coordinator", TEST_PASSWORD)
    wizard = ScreeningWizard(store, protocol, coordinator, sid)
    qtbot.addWidget(wizard)

    def first(dialog: notes_ui.NoteDialog) -> None:
        assert dialog.reason.isHidden()
        dialog.text.setPlainText("Rapid test.")
        dialog._on_buttons_accepted()

    in_dialog(monkeypatch, first)
    wizard.annotations.edit_note("hiv")
    confirmed(store, sid, "investigator")

    def edit(dialog: notes_ui.NoteDialog) -> None:
        assert not dialog.reason.isHidden()
        dialog.text.setPlainText("Rapid test, confirmed by the laboratory.")
        dialog._on_buttons_accepted()
        assert "reason" in dialog.error.text()
        dialog.reason.setText("laboratory confirmation arrived")
        dialog._on_buttons_accepted()

    in_dialog(monkeypatch, edit)
    wizard.annotations.edit_note("hiv")
    assert [v.text for v in notes_of(store, sid)["hiv"].versions] == [
        "Rapid test.", "Rapid test, confirmed by the laboratory."]  # fmt: skip
    assert audit_reviews_of(store, sid) == []


def test_a_monitor_records_that_the_audit_trail_was_reviewed(
    qtbot: QtBot, store: Store, protocol: LoadedProtocol, sid: int
) -> None:
    from desktop_app.ui.audit_review_dialog import AuditReviewDialog
    from desktop_app.ui.record_dialogs import AuditTrailDialog

    coordinator = authenticate(store, "coordinator", TEST_PASSWORD)
    main = MainWindow(protocol, store, coordinator, idle_ms=600_000)
    qtbot.addWidget(main)
    assert not main.review_action.isEnabled()  # monitors only
    monitor = authenticate(store, "monitor", TEST_PASSWORD)
    main = MainWindow(protocol, store, monitor, idle_ms=600_000)
    qtbot.addWidget(main)
    assert main.review_action.isEnabled()
    dialog = AuditReviewDialog(store, monitor, sid)
    qtbot.addWidget(dialog)
    assert dialog.to_date.text() == "2023-03-08"  # the store's today
    dialog.from_date.setText("2023-02-30")
    dialog._on_buttons_accepted()
    assert "From: 2023-02-30 is not a calendar date" in dialog.error.text()
    dialog.from_date.setText("2023-03-09")
    dialog._on_buttons_accepted()
    assert "2023-03-09 is after 2023-03-08" in dialog.error.text()
    assert audit_reviews_of(store, sid) == []
    dialog.from_date.setText("2023-03-01")
    dialog.comment.setText("Every change attributable and explained.")
    dialog._on_buttons_accepted()
    (review,) = audit_reviews_of(store, sid)
    assert (review.from_date.isoformat(), review.to_date.isoformat()) == (
        "2023-03-01",
        "2023-03-08",
    )
    trail = AuditTrailDialog(store, sid, None, protocol)
    qtbot.addWidget(trail)
    whats = [trail.table.item(r, 2).text() for r in range(trail.table.rowCount())]
    assert "Audit trail reviewed: 2023-03-01 to 2023-03-08" in whats


def test_the_keyboard_opens_the_note_and_the_queries_of_the_focused_question(
    qtbot: QtBot, store: Store, protocol: LoadedProtocol, sid: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtTest import QTest

    coordinator = authenticate(store, "coordinator", TEST_PASSWORD)
    wizard = ScreeningWizard(store, protocol, coordinator, sid)
    qtbot.addWidget(wizard)
    wizard.show()
    wizard.go_to("infection")
    field = wizard.pages["infection"].widgets["hiv"]
    field.combo.setFocus()
    qtbot.waitUntil(field.combo.hasFocus)
    seen = in_dialog(monkeypatch, lambda dialog: None)
    QTest.keyClick(
        field.combo,
        Qt.Key.Key_N,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    QTest.keyClick(
        field.combo,
        Qt.Key.Key_Q,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert [(type(d).__name__, d.question_id) for d in seen] == [
        ("NoteDialog", "hiv"),
        ("QueryDialog", "hiv"),
    ]
