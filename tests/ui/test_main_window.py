"""The main window shows the loaded protocol (until the wizard replaces it)."""

from __future__ import annotations

from typing import Any

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
    assert "SQLite" in window.store_label.toolTip()


def test_status_colours_stay_readable_under_a_dark_palette(qapp: Any) -> None:
    from PySide6.QtGui import QColor, QPalette

    from desktop_app.ui.forms import readable, tinted

    light = qapp.palette()
    assert readable("#00695c") == "#00695c"  # the light palette keeps the designed colour
    dark = QPalette(light)
    dark.setColor(QPalette.ColorRole.Base, QColor("#1e1e1e"))
    qapp.setPalette(dark)
    try:
        for colour in ("#616161", "#8d6e63", "#2e7d32", "#c62828", "#1565c0", "#00695c", "#6d4c41"):
            shown = QColor(readable(colour))
            assert shown.lightnessF() >= 0.7, colour  # light text on the dark base
            assert (
                abs(shown.hslHueF() - QColor(colour).hslHueF()) < 0.02
                or QColor(colour).hslSaturationF() < 0.05
            )
        assert QColor(tinted("#e8f5e9")).lightnessF() < 0.3  # the panel background turns dark too
    finally:
        qapp.setPalette(light)


def test_windows_open_within_the_screen(
    qtbot: QtBot, protocol: LoadedProtocol, store: Store
) -> None:
    # The offscreen screen is 800 x 800: smaller than the main window's 960 x 640 minimum and the
    # wizard's 1200 x 760, like a 1366 x 768 laptop at 150% scaling.
    from desktop_app.store import register_candidate, start_screening
    from desktop_app.ui.wizard import ScreeningWizard

    user = coordinator_at_site(store)
    window = MainWindow(protocol, store, user)
    qtbot.addWidget(window)
    screen = window.screen().availableGeometry()
    assert window.width() <= screen.width()
    assert window.height() <= screen.height()
    from desktop_app.ui.screen_fit import room

    # Most of the screen on a first start: all of it that the window's frame leaves.
    assert window.width() >= min(960, room(window).width())
    screening = start_screening(
        store, user, register_candidate(store, user, initials="AB").id, protocol
    )
    wizard = ScreeningWizard(store, protocol, user, screening.id)
    qtbot.addWidget(wizard)
    assert wizard.width() <= screen.width()
    assert wizard.height() <= screen.height()


def test_the_new_screening_dialog_registers_and_refuses_a_person_already_registered(
    qtbot: QtBot, store: Store, protocol: LoadedProtocol
) -> None:
    from desktop_app.store import get_screening
    from desktop_app.ui.log_view import NewScreeningDialog

    user = coordinator_at_site(store)
    dialog = NewScreeningDialog(store, protocol, user)
    qtbot.addWidget(dialog)
    dialog.initials.setText("ab")
    dialog.mrn.setText("MRN-0042")
    dialog._on_buttons_accepted()
    assert dialog.screening_id is not None
    assert get_screening(store, dialog.screening_id).screening_number == "PUMCH-0001"
    again = NewScreeningDialog(store, protocol, user)
    qtbot.addWidget(again)
    again.initials.setText("AB")
    again.mrn.setText("MRN-0042")
    again._on_buttons_accepted()
    assert again.screening_id is None
    assert again.error.text() == (
        "Not saved: medical record number: already registered as PUMCH-0001: re-screen that "
        "candidate rather than registering them again"
    )


def coordinator_at_site(store: Store) -> Any:
    """A site set up and a coordinator of it."""
    from desktop_app.store import create_site

    create_site(store, None, code="PUMCH", name="PUMCH", principal_investigator="PI")
    return add_user(store, "coordinator")
