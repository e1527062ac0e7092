"""The start: the sign-in window is the first window and the (encrypted) store is opened only by
the password that unwraps a key slot; a new folder goes through the first-start setup."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from helpers import TEST_KEY, TEST_PASSWORD, add_user, open_test_store, raw_connect
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop_app.app import _open_and_sign_in
from desktop_app.store import create_site
from desktop_app.store.location import DB_NAME
from desktop_app.ui.login_dialog import LoginDialog


def when_dialog(kind: type, act: Any, seen: list[Any]) -> None:
    """Act on the modal dialog of this kind once it is up (dialogs run their own event loop)."""

    def poll() -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, kind) and act(widget):
            return
        QTimer.singleShot(20, poll)

    QTimer.singleShot(0, lambda: (seen.append("started"), poll()))


def test_the_sign_in_window_comes_first_and_the_store_opens_only_after_it(
    qtbot: object, tmp_path: Path
) -> None:
    folder = tmp_path / "data"
    with open_test_store(folder) as store:
        create_site(
            store,
            None,
            code="PUMCH",
            name="Peking Union Medical College Hospital",
            principal_investigator="PI",
        )
        add_user(store, "coordinator", full_name="Li Na")
    states: list[Any] = []

    def sign_in(dialog: LoginDialog) -> bool:
        # Nothing has opened the database: SQLite makes its WAL on the first open.
        states.append((dialog.store, dialog.sign_in_button.isEnabled(), dialog.heading.text(),
                       (folder / f"{DB_NAME}-wal").exists()))  # fmt: skip
        dialog.username.setText("coordinator")
        dialog.password.setText("a wrong password")
        dialog.sign_in_button.click()
        states.append(dialog.error.text())
        dialog.password.setText(TEST_PASSWORD)
        dialog.sign_in_button.click()
        return True

    when_dialog(LoginDialog, sign_in, [])
    result = _open_and_sign_in(folder, demo=False)
    assert result is not None
    store, user = result
    try:
        assert user.username == "coordinator"
        assert states[0] == (None, True, "Peking Union Medical College Hospital", False)
        assert states[1] == "Wrong username or password."
        assert store.keyring is not None
    finally:
        store.close()


def test_a_new_folder_starts_with_the_first_start_setup(qtbot: object, tmp_path: Path) -> None:
    from desktop_app.ui.setup_dialog import SetupDialog

    folder = tmp_path / "new"
    seen: list[str] = []

    def cancel(dialog: SetupDialog) -> bool:
        seen.append(type(dialog).__name__)
        dialog.reject()
        return True

    when_dialog(SetupDialog, cancel, [])
    assert _open_and_sign_in(folder, demo=False) is None  # cancelled: nobody signed in
    assert seen == ["SetupDialog"]
    assert not (folder / DB_NAME).exists()  # nothing is written before the setup is complete


def test_the_first_start_shows_the_recovery_key_once_then_signs_in_without_asking_again(
    qtbot: object, tmp_path: Path, monkeypatch: Any
) -> None:
    """The administrator typed the password twice in the setup: they are signed in with it, not
    sent to the sign-in window to type it a third time."""
    from desktop_app.ui.setup_dialog import RecoveryKeyDialog, SetupDialog, recovery_sheet

    folder = tmp_path / "new"
    shown: list[str] = []
    monkeypatch.setattr(RecoveryKeyDialog, "show_once",
                        classmethod(lambda cls, code, site, parent=None: shown.append(code)))  # fmt: skip

    def fill(dialog: SetupDialog) -> bool:
        for field, value in ((dialog.site_code, "PUMCH"), (dialog.site_name, "PUMCH Hospital"),
                             (dialog.investigator, "Dr. Zhang"), (dialog.username, "li.admin"),
                             (dialog.full_name, "Li Admin"), (dialog.password, TEST_PASSWORD),
                             (dialog.confirm, TEST_PASSWORD)):  # fmt: skip
            field.setText(value)
        dialog._on_buttons_accepted()
        return True

    asked: list[str] = []

    def sign_in(dialog: LoginDialog) -> bool:
        asked.append(dialog.username.text())
        dialog.password.setText(TEST_PASSWORD)
        dialog.sign_in_button.click()
        return True

    when_dialog(SetupDialog, fill, [])
    when_dialog(LoginDialog, sign_in, [])
    result = _open_and_sign_in(folder, demo=False)
    assert result is not None
    store, user = result
    try:
        assert asked == []  # the sign-in window never came up
        assert user.username == "li.admin"
        assert store.keyring is not None
        actions = [row[0] for row in store.db.execute("SELECT action FROM audit ORDER BY seq")]
        assert "login_succeeded" in actions  # signed in like any sign-in, audited
    finally:
        store.close()
    assert len(shown) == 1
    assert shown[0] in recovery_sheet(shown[0], "PUMCH Hospital").toPlainText()


def test_a_sign_in_that_cannot_be_recorded_says_so_in_words(
    qtbot: object, store: Any, monkeypatch: Any
) -> None:
    from desktop_app.store import StoreWriteError

    add_user(store, "coordinator")

    def full_disk(*args: object) -> None:
        raise StoreWriteError("The sign-in", "database or disk is full")

    monkeypatch.setattr("desktop_app.store.authenticate", full_disk)
    dialog = LoginDialog(store, username="coordinator")
    dialog.password.setText(TEST_PASSWORD)
    dialog.sign_in_button.click()
    assert dialog.user is None
    assert dialog.error.text().startswith("The sign-in could not be recorded: ")
    assert "disk is full" in dialog.error.text()


def test_an_unexpected_error_is_logged_and_reported_without_a_traceback(
    qtbot: object, tmp_path: Path, monkeypatch: Any
) -> None:
    import logging
    import sys

    from PySide6.QtWidgets import QMessageBox

    from desktop_app import app

    log_file = tmp_path / "eligo.log"
    handler = logging.FileHandler(log_file, encoding="utf-8")
    logging.getLogger().addHandler(handler)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda *args: shown.append(args[2]))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back after the test
    app._install_excepthook(log_file)
    try:
        raise RuntimeError("a fault nobody foresaw, quoting DEMO-MRN-12345")
    except RuntimeError:
        sys.excepthook(*sys.exc_info())
    finally:
        logging.getLogger().removeHandler(handler)
        handler.close()
    assert len(shown) == 1
    assert "Every answer saved before it is kept" in shown[0]
    assert str(log_file) in shown[0]
    assert "Traceback" not in shown[0]
    assert "RuntimeError" not in shown[0]
    logged = log_file.read_text(encoding="utf-8")
    assert "Traceback" in logged
    assert "builtins.RuntimeError" in logged
    assert "DEMO-MRN-12345" not in logged  # a message may quote an identifier: never logged
    assert "a fault nobody foresaw" not in logged


def test_a_log_folder_that_cannot_be_made_falls_back_and_eligo_still_starts(
    tmp_path: Path, monkeypatch: Any
) -> None:
    """A locked-down workstation profile: the per-user log folder cannot be created. The log
    goes to the temporary folder instead (and is named there), rather than Eligo failing to start."""
    import logging
    import tempfile

    from desktop_app import app

    blocked = tmp_path / "a file"
    blocked.write_text("not a folder", encoding="utf-8")
    monkeypatch.setattr(app.platformdirs, "user_log_dir", lambda *a, **k: str(blocked / "logs"))
    monkeypatch.setattr(tempfile, "gettempdir", lambda: str(tmp_path / "temp"))
    monkeypatch.setattr(app, "_chosen_log", None)
    before = list(logging.getLogger().handlers)
    try:
        path = app._log_to_file()
        assert path == tmp_path / "temp" / "Eligo" / "eligo.log"
        assert app._log_path() == path
        logging.getLogger("eligo.test").error("written to the fallback")
    finally:
        for handler in set(logging.getLogger().handlers) - set(before):
            logging.getLogger().removeHandler(handler)
            handler.close()
    assert "written to the fallback" in path.read_text(encoding="utf-8")


def test_a_store_held_by_another_eligo_opens_read_only_without_offering_writes(
    qtbot: object, tmp_path: Path, monkeypatch: Any
) -> None:
    """Read-only used to promise exports, which then wrote the bundle and failed to record it
    ("Not exported" with the file on disk); writing actions are now not offered at all."""
    from PySide6.QtWidgets import QMessageBox

    from desktop_app import app
    from desktop_app.export.bundle import write_bundle
    from desktop_app.rules import default_protocol
    from desktop_app.store import ReadOnlyStoreError
    from desktop_app.ui.main_window import MainWindow

    data = tmp_path / "data"
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question",
        lambda parent, title, text, *rest: asked.append(text) or QMessageBox.StandardButton.Yes,
    )  # fmt: skip
    with open_test_store(data) as writer:  # the other Eligo
        create_site(writer, None, code="PUMCH", name="PUMCH", principal_investigator="PI")
        coordinator = add_user(writer, "coordinator")
        store = app._open_store_interactively(data, TEST_KEY, demo=False)
        assert store is not None
        with store:
            assert store.read_only
            assert (
                "Open read-only? You can look and print; changes and exports are made in"
                in asked[0]
            )
            window = MainWindow(default_protocol(), store, coordinator, idle_ms=600_000)
            qtbot.addWidget(window)  # type: ignore[attr-defined]
            assert not window.export_action.isEnabled()
            assert not window.new_action.isEnabled()
            assert window.continue_action.isEnabled()  # looking is fine
            out = tmp_path / "bundle.zip"
            try:
                write_bundle(store, default_protocol(), coordinator, TEST_PASSWORD, out)
            except ReadOnlyStoreError:
                pass
            else:
                raise AssertionError("a read-only window exported")
            assert not out.exists()
            window.close()


def test_damage_found_behind_the_window_is_offered_a_restore_at_the_next_start(
    qtbot: object, tmp_path: Path, monkeypatch: Any
) -> None:
    """The window opens at once and checks behind it; when that check fails, the next start
    checks first and offers the newest good backup, in the window's words (a coordinator on an
    installed program has no 'python -m' to type)."""

    from PySide6.QtWidgets import QMessageBox

    from desktop_app import app
    from desktop_app.store.backup import backup

    data = tmp_path / "data"
    with open_test_store(data) as store:
        create_site(store, None, code="PUMCH", name="PUMCH", principal_investigator="PI")
        add_user(store, "coordinator")
        good = backup(store, reason="manual")
    conn = raw_connect(data / DB_NAME)
    conn.executescript(
        "DROP TRIGGER audit_no_update; UPDATE audit SET username = 'mallory' WHERE seq = 1;"
    )
    conn.close()
    with open_test_store(data, check_in_background=True) as store:  # as the application opens it
        qtbot.waitUntil(lambda: store.check_status()[0])  # type: ignore[attr-defined]
        assert store.check_status()[1] is not None
    asked: list[str] = []
    monkeypatch.setattr(
        QMessageBox, "question",
        lambda parent, title, text, *rest: asked.append(text) or QMessageBox.StandardButton.Yes,
    )  # fmt: skip
    store = app._open_store_interactively(data, TEST_KEY, demo=False)
    assert store is not None
    with store:
        assert asked == [
            f"The database {data / DB_NAME} failed its check: audit event 1 was altered (hash "
            f"mismatch).\n\nRestore the newest good backup, {good.name}, now? The damaged file is "
            "kept aside."
        ]
        assert "python -m" not in asked[0]
        assert good.name in asked[0]
        assert store.check_status() == (True, None)  # the restored data checks whole


def test_the_days_first_backup_holds_a_head_signed_at_sign_in(
    qtbot: object, tmp_path: Path
) -> None:
    # Issue #14: every backup holds a signed head. The day's first backup used to be taken when the
    # store opened, before anyone was signed in, so nothing signed its head.
    import json

    from desktop_app.app import _finish_sign_in, _unlock

    folder = tmp_path / "data"
    with open_test_store(folder) as store:
        add_user(store, "coordinator")
    signed = _finish_sign_in(_unlock(folder, "coordinator", TEST_PASSWORD), demo=False)
    assert signed is not None
    store, _ = signed
    try:
        store.wait_until_checked()
        (copy,) = (folder / "backups").glob("*.db")
    finally:
        store.close()
    conn = raw_connect(copy)
    action, username, new = conn.execute(
        "SELECT action, username, new_value FROM audit ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    conn.close()
    assert (action, username) == ("checkpoint", "coordinator")
    assert json.loads(new)["occasion"] == "backup"
