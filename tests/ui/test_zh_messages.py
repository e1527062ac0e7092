"""Issue #16: in Chinese, what the checks below the screens say (the strict parser of answers,
the store's checks of what was typed, its failures to write) is said in Chinese on screen, with
what was typed and the codes kept as they are. Every typed question of the wizard is given input
that is not an answer; every message shown must hold no run of three or more English words."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from english_words import english_runs
from helpers import add_user
from pytestqt.qtbot import QtBot

from desktop_app.report_words import message_in
from desktop_app.rules import LoadedProtocol
from desktop_app.store import Store, create_site, register_candidate, start_screening
from desktop_app.ui import language
from desktop_app.ui.wizard import ScreeningWizard, StepPage

# What a coordinator may type in a text field that is not an answer, and what a file may hold.
TYPED = ["abc", "7.5.1", "2023-02-30", "2023/03/08", "nan", "1e999", "12 mg"]


@pytest.fixture
def chinese() -> Iterator[None]:
    language.apply("zh-CN")
    try:
        yield
    finally:
        language.apply("en")


def test_what_was_typed_wrong_is_said_in_chinese_under_every_field(
    qtbot: QtBot, store: Store, protocol: LoadedProtocol, chinese: None
) -> None:
    create_site(store, None, code="PUMCH", name="PUMCH", principal_investigator="PI")
    user = add_user(store, "coordinator")
    screening = start_screening(store, user, register_candidate(store, user, initials="AB").id, protocol)  # fmt: skip
    wizard = ScreeningWizard(store, protocol, user, screening.id)
    qtbot.addWidget(wizard)
    shown = 0
    english = []
    for page in wizard.pages.values():
        if not isinstance(page, StepPage):
            continue
        for question_id in page.widgets:
            for typed in TYPED:
                wizard.on_answer_changed(question_id, typed)
                error = page.field_errors[question_id]
                if error.text():
                    shown += 1
                    runs = english_runs(error.text().replace(typed, " "))
                    if runs:
                        english.append((question_id, typed, error.text(), runs))
                error.clear_error()
    assert shown > 50
    assert english == []


# The parser's and the store's messages as they reach a screen, each said in Chinese.
@pytest.mark.parametrize(
    "message",
    [
        "'abc' is not a date; type it as YYYY-MM-DD, for example 2023-03-08 (nothing else: no time of day)",
        "'2023-02-30' is not a calendar date (no such day)",
        "'7.5.1' is not a number; give a number such as 7.5 (in a file: without quotes)",
        "'abc' is not a number; allowed: a number or 'indeterminate'",
        "the text 'abc' is not allowed; must be one of 'female' or 'male'",
        "must be yes or no (true or false), not the text 'abc'",
        "must be a list [ ... ], not the text 'abc'",
        "must be an object { ... }, not the number 3",
        "'Female' is not allowed: codes are matched exactly; did you mean 'female'? Allowed: one of 'female' or 'male'",
        "unknown code 'kidny'; codes are matched exactly: did you mean 'kidney'?; allowed: 'kidney' or 'lung'",
        "is not a known field; did you mean 'sex'?",
        "initials: 2 to 4 letters A-Z",
        "site code: 2 to 12 capital letters or digits, such as PUMCH",
        "medical record number: already registered as PUMCH-0001: re-screen that candidate rather than registering them again",
        "enrollment date: is before the investigator's confirmation of eligibility on 2026-12-02: enrol on or after that day",
        "outcome: an investigator has not yet confirmed this candidate's eligibility with a signature: enrol after that",
        "The answer could not be saved (database or disk is full). The previous state is kept.",
        "This Eligo window is read-only: another Eligo holds the data for writing.",
        "Wrong password.",
        "The Eligo data in /data/eligo is open for writing by process 4242 on ward-pc. Close that Eligo "
        "first, or open this one read-only.",
        "There is no Eligo store in /data/eligo yet.",
        "Eligo cannot write to /media/cd (read-only file system). It can be opened read-only; nothing was changed.",
        "The database /data/eligo/eligo.db failed its check: page 4 is damaged. The newest good backup is "
        "/data/eligo/backups/b.db; restore it with 'eligo db restore /data/eligo/backups/b.db'.",
    ],
)  # fmt: skip
def test_the_checks_messages_are_said_in_chinese(message: str) -> None:
    said = message_in("zh-CN", message)
    assert said != message
    assert english_runs(said) == [], said
    for kept in ("abc", "2023-02-30", "7.5.1", "PUMCH-0001", "2026-12-02", "'female'", "kidney"):
        if kept in message:
            assert kept in said  # what was typed, dates and codes as they are


def test_what_was_typed_is_not_touched_by_the_values_described() -> None:
    """What the user typed that happens to read like a description stays as it was typed."""
    assert message_in("zh-CN", "'a list' is not a date; type it as YYYY-MM-DD, for example "
                      "2023-03-08 (nothing else: no time of day)").startswith("“a list”不是日期")  # fmt: skip


def test_the_signed_in_label_names_the_role_in_chinese(
    qtbot: QtBot, store: Store, protocol: LoadedProtocol, chinese: None
) -> None:
    from desktop_app.ui.main_window import MainWindow

    create_site(store, None, code="PUMCH", name="PUMCH", principal_investigator="PI")
    user = add_user(store, "investigator", roles=("investigator",), full_name="Dr. Li")
    window = MainWindow(protocol, store, user, idle_ms=600_000)
    qtbot.addWidget(window)
    assert window.user_label.text() == "已登录：Dr. Li（研究者）"
