"""A shorter clinic day in one process, in the suite: the work a whole day brings (answers,
screenings, printouts, signed exports) without a crash, and with memory that stays flat after
warm-up. bench/soak_day.py runs the whole day (2,000 answer changes, 50 screenings, 200 printouts,
20 exports)."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

from endurance import WHOLE_DAY, growth_after_warm_up
from helpers import add_user
from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop_app.rules import LoadedProtocol
from desktop_app.store import Store, create_site, register_candidate, start_screening
from desktop_app.store.log import status_counts
from desktop_app.ui.main_window import MainWindow


def test_a_short_clinic_day_keeps_memory_flat(
    qtbot: QtBot, store: Store, protocol: LoadedProtocol, tmp_path: Path
) -> None:
    create_site(store, None, code="PUMCH", name="PUMCH", principal_investigator="PI")
    coordinator = add_user(store, "coordinator")
    main = MainWindow(protocol, store, coordinator, idle_ms=600_000)
    qtbot.addWidget(main)
    main.show()
    day = WHOLE_DAY.part(0.2)  # 10 screenings, 400 answer changes, 40 printouts, 4 exports
    tally, warm, end = growth_after_warm_up(main, store, protocol, coordinator, tmp_path, day)
    assert (tally.screenings, tally.answer_changes, tally.printouts, tally.exports) == (
        12,
        480,
        48,
        5,
    )
    assert sum(status_counts(store).values()) == 12
    assert (tmp_path / "bundle.zip").stat().st_size > 0
    assert warm > 0
    print(f"peak RSS after warm-up {warm} KiB, at the end of the day {end} KiB")
    assert end <= warm * 1.2, f"peak memory grew from {warm} KiB to {end} KiB over the day"


def test_a_closed_wizard_is_freed_at_once(
    qtbot: QtBot, store: Store, protocol: LoadedProtocol
) -> None:
    """A closed wizard's Python side (its pages, widgets and results refer to each other) is
    freed once Qt has deleted it, not left for the cycle collector's rare full runs: over a day
    the closed wizards piled up (peak memory 29% up after warm-up in bench/soak_day.py)."""
    create_site(store, None, code="PUMCH", name="PUMCH", principal_investigator="PI")
    coordinator = add_user(store, "coordinator")
    main = MainWindow(protocol, store, coordinator, idle_ms=600_000)
    qtbot.addWidget(main)
    main.show()
    screening = start_screening(
        store, coordinator, register_candidate(store, coordinator, initials="AB").id, protocol
    )
    was = gc.isenabled()
    gc.disable()  # only the window's own collection may free it
    try:
        wizard = main.open_wizard(screening.id)
        gone = weakref.ref(wizard)
        wizard.close()
        del wizard
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        qtbot.waitUntil(lambda: gone() is None, timeout=2_000)
    finally:
        if was:
            gc.enable()
