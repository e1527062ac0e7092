"""What a new coordinator met on a shared clinic workstation: the first start, the DEMO sign-in,
an empty store, the log's remembered filter, the idle lock setting, Help, About and the keyboard
of the main window."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from helpers import add_user, answers, open_test_store, screened
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from desktop_app.rules import LoadedProtocol
from desktop_app.store import Store, create_site
from desktop_app.ui.main_window import MainWindow


def window_of(qtbot: QtBot, store: Store, protocol: LoadedProtocol, user: Any) -> MainWindow:
    window = MainWindow(protocol, store, user, idle_ms=600_000)
    qtbot.addWidget(window)
    return window


@pytest.fixture
def site(store: Store) -> Store:
    create_site(store, None, code="PUMCH", name="Peking Union Medical College Hospital",
                principal_investigator="Dr. Zhang")  # fmt: skip
    return store


def test_about_names_the_demo_site_once(
    qtbot: QtBot, tmp_path: Path, protocol: LoadedProtocol
) -> None:
    from desktop_app.store.demo import fill_demo
    from desktop_app.ui.record_dialogs import AboutDialog

    with open_test_store(tmp_path / "demo") as demo:
        fill_demo(demo, protocol, screenings=4)
        about = AboutDialog(demo, protocol)
        qtbot.addWidget(about)
        shown = [label.text() for label in about.findChildren(QLabel)]
        assert "DEMO site - sample data, not real patients" in shown
        assert not any(text.startswith("DEMO DEMO") for text in shown)


def test_an_empty_store_says_what_to_do_first(
    qtbot: QtBot, site: Store, protocol: LoadedProtocol, monkeypatch: pytest.MonkeyPatch
) -> None:
    admin = add_user(site, "admin", roles=("administrator",))
    window = window_of(qtbot, site, protocol, admin)
    assert not window.first_run.isHidden()
    assert "creates an account" in window.first_run.text.text()
    assert not window.first_run.accounts_button.isHidden()
    assert window.first_run.new_button.isHidden()  # an administrator does not screen
    coordinator = add_user(site, "coordinator")
    other = window_of(qtbot, site, protocol, coordinator)
    assert not other.first_run.new_button.isHidden()
    opened: list[int] = []
    monkeypatch.setattr(MainWindow, "open_wizard", lambda self, sid: opened.append(sid))
    from desktop_app.ui.log_view import NewScreeningDialog

    sid = screened(site, coordinator, protocol)
    monkeypatch.setattr(NewScreeningDialog, "ask", classmethod(lambda cls, *a: sid))
    other.first_run.new_button.click()
    assert opened == [sid]
    assert other.first_run.isHidden()  # a screening exists now


def test_the_log_filter_is_remembered_per_user_and_store_and_said_when_active(
    qtbot: QtBot, site: Store, protocol: LoadedProtocol, tmp_path: Path
) -> None:
    first = add_user(site, "coordinator")
    second = add_user(site, "second")
    screened(site, first, protocol, initials="AB")
    screened(site, first, protocol, initials="CD")
    window = window_of(qtbot, site, protocol, first)
    log = window.log_view
    assert log.filter_note.isHidden()
    log.search.setText("AB")
    assert log.model.rowCount() == 1
    assert not log.filter_note.isHidden()
    assert "search “AB”" in log.filter_note.text()
    assert not log.clear_button.isHidden()
    again = window_of(qtbot, site, protocol, first)  # the same user, later: remembered
    assert again.log_view.search.text() == "AB"
    assert not again.log_view.filter_note.isHidden()
    theirs = window_of(qtbot, site, protocol, second)  # the next user: their own, empty
    assert theirs.log_view.search.text() == ""
    assert theirs.log_view.model.rowCount() == 2
    window.log_view.set_user(second)  # another user signs in at the lock
    assert window.log_view.search.text() == ""
    with open_test_store(tmp_path / "other") as other:  # another store, the same account name
        create_site(other, None, code="XY", name="XY", principal_investigator="Y")
        elsewhere = window_of(qtbot, other, protocol, add_user(other, "coordinator"))
        assert elsewhere.log_view.search.text() == ""
        elsewhere.close()
    again.log_view.clear_button.click()
    assert again.log_view.search.text() == ""
    assert again.log_view.filter_note.isHidden()


def test_the_idle_lock_setting_holds_at_once_and_is_confirmed(
    qtbot: QtBot, site: Store, protocol: LoadedProtocol, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop_app.ui import accounts_dialog

    admin = add_user(site, "admin", roles=("administrator",))
    window = window_of(qtbot, site, protocol, admin)
    made: list[Any] = []

    def run(dialog: Any) -> int:
        made.append(dialog)
        dialog.idle.setValue(1)
        assert dialog.idle.text() == "1 minute"
        dialog._on_idle_clicked()
        return 0

    monkeypatch.setattr("desktop_app.ui.main_window.run_modal", run)
    window._on_accounts_action_triggered()
    assert window.idle.timer.interval() == 60_000  # in force now, not after a restart
    assert made[0].idle_saved.text() == "Saved: Eligo now locks after 1 minute without input."
    made[0].idle.setValue(5)
    assert made[0].idle.text() == "5 minutes"
    assert accounts_dialog.idle_minutes(site) == 1


def test_help_has_the_user_guide_in_each_language_and_the_shortcuts(
    qtbot: QtBot, site: Store, protocol: LoadedProtocol
) -> None:
    from PySide6.QtCore import QLocale

    from desktop_app.ui.help_dialogs import ShortcutsDialog, UserGuideDialog

    window = window_of(qtbot, site, protocol, add_user(site, "coordinator"))
    english = UserGuideDialog(window, QLocale("en_US"))
    chinese = UserGuideDialog(window, QLocale("zh_CN"))
    for dialog in (english, chinese):
        qtbot.addWidget(dialog)
    assert "Record screen failure" in english.browser.toPlainText()
    assert "记录筛选失败" in chinese.browser.toPlainText()
    assert english.path.name == "user-guide.en.html"
    assert chinese.path.name == "user-guide.zh_CN.html"
    shortcuts = ShortcutsDialog(window.findChildren(QAction), window)
    qtbot.addWidget(shortcuts)
    rows = {shortcuts.table.item(r, 1).text(): shortcuts.table.item(r, 0).text()
            for r in range(shortcuts.table.rowCount())}  # fmt: skip
    assert rows["New screening"] == "Ctrl+N"
    assert rows["Continue the selected screening"] == "Ctrl+O"
    assert rows["Lock now"] == "Ctrl+L"
    assert "Wizard: answer yes or no to the focused question" in rows
    titles = [a.text() for a in window.menuBar().actions()]
    help_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Help")
    assert [a.text() for a in help_menu.actions()] == [
        "&User guide",
        "&Keyboard shortcuts",
        "&About Eligo",
    ]
    assert "&Help" in titles


def test_no_two_controls_of_the_main_window_share_an_alt_key(
    qtbot: QtBot, site: Store, protocol: LoadedProtocol
) -> None:
    """Alt+F opens the File menu (Find is Alt+D): menus, tabs and the log's controls."""
    window = window_of(qtbot, site, protocol, add_user(site, "coordinator"))
    window.show()
    texts = [a.text() for a in window.menuBar().actions()]
    texts += [window.tabs.tabText(i) for i in range(window.tabs.count())]
    texts += [w.text() for w in window.log_view.findChildren(QLabel) if w.buddy() is not None]
    texts += [window.log_view.clear_button.text()]
    keys = [m.group(1).lower() for t in texts if (m := re.search(r"&([^&\s])", t))]
    assert len(keys) == len(set(keys)), texts
    assert "f" in keys  # the File menu


def test_closing_a_wizard_selects_its_screening_in_the_log(
    qtbot: QtBot, site: Store, protocol: LoadedProtocol
) -> None:
    user = add_user(site, "coordinator")
    for initials in ("AA", "BB", "CC"):
        screened(site, user, protocol, initials=initials)
    window = window_of(qtbot, site, protocol, user)
    assert window.log_view.selected_screening_id() is None
    wizard = window.open_wizard(2)
    wizard.later_button.click()
    assert window.log_view.selected_screening_id() == 2
    assert window.log_view.table.currentIndex().row() == window.log_view.model.rows.index(
        next(r for r in window.log_view.model.rows if r.screening_id == 2)
    )


def test_clicking_failing_criteria_sorts_by_them(
    qtbot: QtBot, site: Store, protocol: LoadedProtocol
) -> None:
    from desktop_app.ui.log_model import Column

    user = add_user(site, "coordinator")
    screened(site, user, protocol, answers(hiv="positive"), initials="AA")
    screened(site, user, protocol, initials="BB")
    screened(site, user, protocol, answers(date_of_birth="2010-01-01"), initials="CC")
    window = window_of(qtbot, site, protocol, user)
    table = window.log_view.table
    table.sortByColumn(Column.FAILING, Qt.SortOrder.AscendingOrder)
    assert [r.failing for r in window.log_view.model.rows] == ["", "E8", "I1"]
    table.sortByColumn(Column.FAILING, Qt.SortOrder.DescendingOrder)
    assert [r.failing for r in window.log_view.model.rows] == ["I1", "E8", ""]


def test_an_attempt_without_answers_is_shown_for_what_it_is(
    qtbot: QtBot, site: Store, protocol: LoadedProtocol
) -> None:
    """An abandoned attempt whose only answer was taken back: not a blank, dateless 'incomplete'
    line, but when it was started and that it holds no answer, on screen and on paper."""
    from desktop_app.rules import evaluate
    from desktop_app.store import register_candidate, save_answer, start_screening
    from desktop_app.store.reports import log_rows
    from desktop_app.ui.log_model import Column

    user = add_user(site, "coordinator")
    screened(site, user, protocol, initials="AA")
    attempt = start_screening(
        site, user, register_candidate(site, user, initials="BB").id, protocol
    )
    save_answer(
        site, user, attempt.id, "sex", "male", determination=evaluate(protocol, {"sex": "male"})
    )
    save_answer(site, user, attempt.id, "sex", None, determination=evaluate(protocol, {}))
    window = window_of(qtbot, site, protocol, user)
    model = window.log_view.model
    row = next(i for i, r in enumerate(model.rows) if r.screening_id == attempt.id)
    assert model.index(row, Column.DATE).data() == "— started 2023-03-08"
    assert model.index(row, Column.STATUS).data().endswith("incomplete (no answers)")
    printed = next(r for r in log_rows(site) if r.initials == "BB")
    assert printed.screening_date == "not dated: started 2023-03-08, no answers"


def test_the_sign_in_window_of_a_demo_store_shows_the_demo_passwords_and_a_real_one_never(
    qtbot: QtBot, site: Store, tmp_path: Path, protocol: LoadedProtocol
) -> None:
    from desktop_app.store.demo import DEMO_ACCOUNTS, fill_demo
    from desktop_app.ui.login_dialog import LoginDialog

    passwords = [password for *_, password in DEMO_ACCOUNTS]

    def shown(dialog: LoginDialog) -> str:
        qtbot.addWidget(dialog)
        if dialog.demo_note.isHidden():
            return ""
        # A table of the accounts, its passwords selectable (to copy into the fields).
        assert dialog.demo_note.textFormat() == Qt.TextFormat.RichText
        flags = dialog.demo_note.textInteractionFlags()
        assert flags & Qt.TextInteractionFlag.TextSelectableByMouse
        return dialog.demo_note.text()

    with open_test_store(tmp_path / "demo") as demo:
        fill_demo(demo, protocol, screenings=2)
        note = shown(LoginDialog(demo))  # at the lock screen, the store open
    assert all(password in note for password in passwords)
    assert all(username in note for username, *_ in DEMO_ACCOUNTS)
    assert "README" not in note
    before_open = shown(LoginDialog(None, opener=lambda *_: None, site={"name": "DEMO site", "is_demo": True}))  # fmt: skip
    assert all(password in before_open for password in passwords)
    real = LoginDialog(site)
    real_before_open = LoginDialog(None, opener=lambda *_: None, site={"name": "PUMCH", "is_demo": False})  # fmt: skip
    for dialog in (real, real_before_open):
        assert shown(dialog) == ""
        texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
        assert not any(password in texts for password in passwords)
