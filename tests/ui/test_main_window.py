"""The main window shows the loaded protocol (until the wizard replaces it)."""

from __future__ import annotations

from helpers import add_user
from pytestqt.qtbot import QtBot

from desktop_app.rules import LoadedProtocol
from desktop_app.store import Store
from desktop_app.ui.main_window import MainWindow


def test_main_window_shows_the_protocol(
    qtbot: QtBot, protocol: LoadedProtocol, store: Store
) -> None:
    window = MainWindow(protocol, store, add_user(store, "coordinator"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.title_label.text() == "Belimumab Treatment for IgG4-related Disease"
    assert "NCT04660565" in window.registry_label.text()
    assert window.version_label.text() == "1.0"
    assert window.sha_label.text() == protocol.sha256
    assert window.criteria_tree.topLevelItemCount() == 13
    assert window.criteria_tree.topLevelItem(12).text(0).startswith("E9")
    assert "NCT04660565" in window.windowTitle()
    assert "0 screenings" in window.counts_label.text()
    assert "SQLite" in window.store_label.text()
