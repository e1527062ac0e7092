"""The window and the session: the idle lock signs the chain head, and a store that does not
match its audit chain shows TAMPERED in the log and the status bar."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from helpers import TEST_PASSWORD, add_user, open_test_store, raw_connect
from pytestqt.qtbot import QtBot

from desktop_app.rules import LoadedProtocol
from desktop_app.store import Store, create_site
from desktop_app.store.accounts import authenticate
from desktop_app.store.check import ReplayInBackground, screening_problems
from desktop_app.store.checkpoints import session_user
from desktop_app.store.demo import fill_demo
from desktop_app.ui.main_window import MainWindow


def test_the_idle_lock_signs_the_head_and_ends_the_session(
    qtbot: QtBot, store: Store, protocol: LoadedProtocol
) -> None:
    create_site(store, None, code="PUMCH", name="PUMCH", principal_investigator="PI")
    add_user(store, "coord", roles=("coordinator",))
    user = authenticate(store, "coord", TEST_PASSWORD)
    main = MainWindow(protocol, store, user, idle_ms=200)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitUntil(lambda: main.locked, timeout=3000)
    action, username, new = store.db.execute(
        "SELECT action, username, new_value FROM audit ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    assert (action, username) == ("checkpoint", "coord")
    assert '"occasion":"idle_lock"' in new
    assert session_user(store) is None  # the key left memory with the lock
    main.lock_screen.password.setText(TEST_PASSWORD)
    main.lock_screen._on_unlock_clicked()
    assert session_user(store) == user


@pytest.fixture(scope="module")
def tampered_demo(tmp_path_factory: pytest.TempPathFactory, protocol: LoadedProtocol) -> Path:
    folder = tmp_path_factory.mktemp("tampered") / "demo"
    with open_test_store(folder) as store:
        fill_demo(store, protocol)
    copy = folder.parent / "copy"
    shutil.copytree(folder, copy, ignore=shutil.ignore_patterns("eligo.lock"))
    conn = raw_connect(copy / "eligo.db")
    conn.execute("UPDATE screenings SET determination = 'eligible', failing = '' WHERE id = 19")
    conn.commit()
    conn.close()
    return copy


def test_the_window_marks_a_tampered_screening(
    qtbot: QtBot, protocol: LoadedProtocol, tampered_demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    from desktop_app.ui.log_model import Column

    said: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda parent, title, text: said.append(text))
    with open_test_store(tampered_demo, read_only=True) as store:
        user = authenticate(store, "demo.monitor", "demo-monitor-2019")
        main = MainWindow(protocol, store, user)
        qtbot.addWidget(main)
        main.show()
        running = ReplayInBackground(store)
        assert running.wait(60)
        assert running.report is not None
        main.show_replay(running.report)
        model = main.log_view.model
        rows = {
            model.data(model.index(r, Column.NUMBER)): model.data(model.index(r, Column.STATUS))
            for r in range(model.rowCount())
        }
        assert "TAMPERED" in rows["DEMO-0019"]
        assert "TAMPERED" not in rows["DEMO-0020"]
        assert main.tampered_label.text() == "TAMPERED"
        assert "screenings DEMO-0019/1 determination" in said[0]
        red = model.data(model.index(0, Column.STATUS), Qt.ItemDataRole.ForegroundRole)
        assert red is not None
        # The printouts read the same report (no second replay).
        assert screening_problems(store, "DEMO-0019", 1)
        main.close()
