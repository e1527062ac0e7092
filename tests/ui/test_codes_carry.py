"""Missing-data codes beside the values, re-screening proposals marked until confirmed, and the
medication picker that filters as you type, driven through the wizard's widgets (keyboard)."""

from __future__ import annotations

from typing import Any

import pytest
from endurance import enter as answer
from helpers import ELIGIBLE, add_user, answers, screened
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from desktop_app.rules import LoadedProtocol
from desktop_app.store import (
    Store,
    User,
    answers_of,
    create_site,
    get_screening,
    register_candidate,
    start_screening,
)
from desktop_app.store.carry import carried_of, carry_forward
from desktop_app.ui.drug_picker import DrugPicker
from desktop_app.ui.wizard import ScreeningWizard, StepPage

PENDING = {"missing_data": "pending"}


@pytest.fixture
def coordinator(store: Store) -> User:
    create_site(store, None, code="PUMCH", name="PUMCH", principal_investigator="PI")
    return add_user(store, "coordinator")


def _wizard(
    qtbot: QtBot, store: Store, protocol: LoadedProtocol, user: User, sid: int
) -> ScreeningWizard:
    wizard = ScreeningWizard(store, protocol, user, sid)
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def _step(wizard: ScreeningWizard, step_id: str) -> StepPage:
    page = wizard.pages[step_id]
    assert isinstance(page, StepPage)
    return page


def _new(store: Store, protocol: LoadedProtocol, user: User) -> int:
    return int(
        start_screening(store, user, register_candidate(store, user, initials="AB").id, protocol).id
    )


# ---------------------------------------------------------------- missing-data codes


def test_a_code_is_ticked_from_the_keyboard_saved_shown_and_replaced_by_a_value(
    qtbot: QtBot, store: Store, protocol: LoadedProtocol, coordinator: User
) -> None:
    sid = _new(store, protocol, coordinator)
    wizard = _wizard(qtbot, store, protocol, coordinator, sid)
    for q, v in {k: v for k, v in ELIGIBLE.items() if k != "hbsag"}.items():
        answer(wizard, q, v)
    page = _step(wizard, "infection")
    wizard.go_to("infection")
    codes = page.codes["hbsag"]
    assert [b.text() for b in codes.boxes.values()] == ["Pending"]
    assert [b.text() for b in page.codes["hbv_dna"].boxes.values()] == ["Pending", "Not done"]
    assert "hiv" in page.codes  # only where the protocol allows
    assert "tb_conclusion" not in page.codes
    box = codes.boxes["pending"]
    assert box.focusPolicy() & Qt.FocusPolicy.TabFocus
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert answers_of(store, sid)["hbsag"] == PENDING
    assert get_screening(store, sid).determination == "incomplete"
    assert not page.is_open("hbsag")  # a code is an entry: the step moves on
    wizard.go_to("review")
    missing = wizard.review.missing.text()
    assert "HBsAg: Pending" in missing
    reasons = [wizard.review.table.item(r, 2).text() for r in range(wizard.review.table.rowCount())]
    assert any("HBsAg: Pending" in r for r in reasons), reasons
    # A value typed afterwards replaces the code.
    answer(wizard, "hbsag", "negative")
    assert answers_of(store, sid)["hbsag"] == "negative"
    assert codes.code() is None
    assert get_screening(store, sid).determination == "eligible"
    # Unticking a code clears the answer (not answered again).
    answer(wizard, "hiv", None)
    hiv = page.codes["hiv"].boxes["pending"]
    hiv.setChecked(True)
    assert answers_of(store, sid)["hiv"] == PENDING
    assert page.widgets["hiv"].value() is None
    hiv.setChecked(False)
    assert "hiv" not in answers_of(store, sid)


def test_not_done_must_be_answered_when_anti_hbc_is_positive(
    qtbot: QtBot, store: Store, protocol: LoadedProtocol, coordinator: User
) -> None:
    sid = screened(store, coordinator, protocol, answers(hbv_dna=None))
    wizard = _wizard(qtbot, store, protocol, coordinator, sid)
    _step(wizard, "infection").codes["hbv_dna"].boxes["not_done"].setChecked(True)
    assert answers_of(store, sid)["hbv_dna"] == {"missing_data": "not_done"}
    assert get_screening(store, sid).determination == "eligible"  # HBsAg and anti-HBc negative
    answer(wizard, "anti_hbc", "positive")
    assert get_screening(store, sid).determination == "incomplete"
    assert wizard.determination is not None
    assert wizard.determination.criterion("E8").reason == "not_done_needs_answer"


# ---------------------------------------------------------------- re-screening carries forward


def test_carried_answers_are_marked_until_confirmed_one_click_per_step(
    qtbot: QtBot, store: Store, protocol: LoadedProtocol, coordinator: User
) -> None:
    doc = answers(hiv="positive", malignancy_history=True, malignancy_date="2005-04-01")
    failed = get_screening(store, screened(store, coordinator, protocol, doc))
    second = start_screening(store, coordinator, failed.candidate_id, protocol)
    carry_forward(store, coordinator, second.id, protocol)
    wizard = _wizard(qtbot, store, protocol, coordinator, second.id)
    page = _step(wizard, "medical_history")
    wizard.go_to("medical_history")
    assert page.banner.isVisibleTo(page)
    assert "carried from attempt 1" in page.banner.label.text()
    note = page.carried["known_immunodeficiency"]
    assert note.isVisibleTo(page)
    assert note.label.text().startswith("From attempt 1: confirm")
    assert page.widgets["known_immunodeficiency"].value() is False  # the proposal is shown...
    assert page.is_open("known_immunodeficiency")  # ...but still open
    assert "known_immunodeficiency" not in answers_of(store, second.id)  # ...and not an answer
    # Time-bound answers are not offered: the infection step starts empty.
    infection = _step(wizard, "infection")
    assert not infection.banner.isVisibleTo(infection)
    assert infection.widgets["hiv"].value() is None
    # The identity is there already.
    assert answers_of(store, second.id)["sex"] == "male"
    # One confirm for a single field...
    note.button.click()
    assert answers_of(store, second.id)["known_immunodeficiency"] is False
    assert not note.isVisibleTo(page)
    # ...and one click for every other carried answer shown on the step.
    shown = page.shown_carried()
    assert set(shown) == {"severe_organ_dysfunction", "severe_infection", "malignancy_history"}
    assert "malignancy_date" in carried_of(store, second.id)  # asked only once the history is yes
    page.banner.button.click()
    assert all(q in answers_of(store, second.id) for q in shown)
    # The malignancy date is asked now: still a proposal, shown and marked, the banner for it.
    assert page.shown_carried() == ["malignancy_date"]
    assert page.banner.isVisibleTo(page)
    assert "1 answer(s)" in page.banner.label.text()
    page.banner.button.click()
    assert not set(carried_of(store, second.id)) & set(page.widgets)
    assert not page.banner.isVisibleTo(page)
    assert answers_of(store, second.id)["malignancy_date"] == "2005-04-01"
    actions = [
        r[0]
        for r in store.db.execute("SELECT action FROM audit WHERE action LIKE 'carried_answer_%'")
    ]
    assert actions.count("carried_answer_confirmed") == 5
    # The audit trail says it in words.
    from desktop_app.ui.record_dialogs import AuditTrailDialog

    trail = AuditTrailDialog(store, second.id, wizard, protocol)
    qtbot.addWidget(trail)
    rows = [
        [trail.table.item(r, c).text() for c in range(5)] for r in range(trail.table.rowCount())
    ]
    offered = [
        r for r in rows if r[2] == "Offered from the previous attempt: Any history of malignancy"
    ]
    assert offered
    assert offered[0][4] == "Yes"
    assert any(r[2] == "Carried answer confirmed: Known immunodeficiency disorder" for r in rows)
    assert any(r[2] == "Answer: Sex" and r[4] == "Male" for r in rows), rows


def test_re_screening_from_the_log_offers_the_previous_answers(
    qtbot: QtBot,
    store: Store,
    protocol: LoadedProtocol,
    coordinator: User,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from desktop_app.ui.main_window import MainWindow

    screened(store, coordinator, protocol, answers(hiv="positive"))
    main = MainWindow(protocol, store, coordinator, idle_ms=600_000)
    qtbot.addWidget(main)
    opened: list[int] = []
    monkeypatch.setattr(main, "open_wizard", lambda sid: opened.append(sid))
    asked: list[str] = []

    def question(parent: Any, title: str, text: str) -> QMessageBox.StandardButton:
        asked.append(title)
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", question)
    main.log_view.table.selectRow(0)
    main._on_rescreen_action_triggered()
    assert asked[1] == "Start from attempt 1?"
    assert len(opened) == 1
    assert answers_of(store, opened[0]) == {
        "date_of_birth": ELIGIBLE["date_of_birth"],
        "sex": "male",
    }
    assert "disease_status" in carried_of(store, opened[0])


# ---------------------------------------------------------------- finding a drug


def test_the_drug_picker_filters_by_generic_brand_and_chinese_names_by_keyboard(
    qtbot: QtBot, store: Store, protocol: LoadedProtocol, coordinator: User
) -> None:
    sid = _new(store, protocol, coordinator)
    wizard = _wizard(qtbot, store, protocol, coordinator, sid)
    wizard.go_to("medications")
    picker = _step(wizard, "medications").widgets["medications_given"]
    assert isinstance(picker, DrugPicker)

    def shown() -> list[str]:
        return [c for c, b in picker.boxes.items() if b.parentWidget().isVisibleTo(picker)]

    picker.filter.setFocus()
    qtbot.keyClicks(picker.filter, "benlysta")  # a brand name, any case
    assert shown() == ["belimumab"]
    assert "as Benlysta" in picker.hint.text()
    qtbot.keyClick(picker.filter, Qt.Key.Key_Return)
    assert answers_of(store, sid)["medications_given"] == ["belimumab"]
    assert wizard.current_step == "medications"  # Enter ticked; it did not press Next
    # A Chinese brand name, as an input method commits it, replaces the selected text (QTest
    # cannot type outside Latin-1 as key events).
    picker.filter.insert("美罗华")
    assert shown() == ["rituximab"]
    qtbot.keyClick(picker.filter, Qt.Key.Key_Enter)
    assert answers_of(store, sid)["medications_given"] == ["rituximab", "belimumab"]
    picker.filter.selectAll()
    qtbot.keyClicks(picker.filter, "mab")  # many generic names: arrows choose among them
    many = shown()
    assert len(many) > 5
    assert picker.current == many[0]
    qtbot.keyClick(picker.filter, Qt.Key.Key_Down)
    qtbot.keyClick(picker.filter, Qt.Key.Key_Down)
    assert picker.current == many[2]
    qtbot.keyClick(picker.filter, Qt.Key.Key_Up)
    assert picker.current == many[1]
    qtbot.keyClick(picker.filter, Qt.Key.Key_Return)
    assert many[1] in answers_of(store, sid)["medications_given"]
    qtbot.keyClick(picker.filter, Qt.Key.Key_Escape)
    assert picker.filter.text() == ""
    assert len(shown()) == len(picker.boxes)  # everything back
    qtbot.keyClicks(picker.filter, "no such drug")
    assert shown() == []
    assert "No agent of the list has this name" in picker.hint.text()
    qtbot.keyClick(picker.filter, Qt.Key.Key_Return)  # nothing chosen: nothing ticked
    assert len(answers_of(store, sid)["medications_given"]) == 3


def test_the_binder_summary_shows_the_codes_never_a_blank(
    qtbot: QtBot, store: Store, protocol: LoadedProtocol, coordinator: User
) -> None:
    from desktop_app.store.reports import screening_record
    from desktop_app.ui.printing import summary_html

    doc = answers(hbsag=PENDING, hbv_dna={"missing_data": "not_done"}, anti_hbc="positive")
    sid = screened(store, coordinator, protocol, doc)
    html = summary_html(protocol, screening_record(store, sid))
    assert "Answers given a missing-data code" in html
    assert "<td>HBsAg</td><td>Pending</td>" in html
    assert "<td>HBV-DNA</td><td>Not done</td>" in html
    assert "awaited: hbsag pending" in html  # E8's reason names what is awaited
    assert "hbv_dna was not done; that is acceptable only when" in html
