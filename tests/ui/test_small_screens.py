"""The screening log and the status bar at every width (issues #18 and #16): names in full where
there is room, the signature note takes what is left, and a narrow window elides (with the whole
text in a tooltip) rather than scrolling sideways or cutting the status bar."""

from __future__ import annotations

from typing import Any

import pytest
from helpers import add_user, confirmed, screened
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop_app.rules import LoadedProtocol
from desktop_app.store import Store, create_site
from desktop_app.ui.log_model import Column
from desktop_app.ui.main_window import MainWindow

COORDINATOR = "Wilhelmina Longfellow-Hargreaves (coordinator)"
INVESTIGATOR = "Dr. Bartholomew Fitzgerald-Montgomery"


def shown_log(qtbot: QtBot, store: Store, protocol: LoadedProtocol, width: int) -> MainWindow:
    create_site(store, None, code="PUMCH", name="PUMCH", principal_investigator="PI")
    user = add_user(store, "coordinator", full_name=COORDINATOR)
    add_user(store, "investigator", roles=("investigator",), full_name=INVESTIGATOR)
    confirmed(store, screened(store, user, protocol), "investigator")
    window = MainWindow(protocol, store, user, idle_ms=600_000)
    qtbot.addWidget(window)
    window.resize(width, 600)
    window.show()
    qtbot.waitExposed(window)
    table = window.log_view.table
    qtbot.waitUntil(lambda: table.horizontalHeader().length() <= table.viewport().width())
    return window


def test_at_1366_the_names_are_whole_and_the_note_takes_what_is_left(
    qtbot: QtBot, store: Store, protocol: LoadedProtocol
) -> None:
    from desktop_app.ui.log_view import ScreeningLogView

    window = shown_log(qtbot, store, protocol, 660)
    log = ScreeningLogView(store, window.user)  # the log as a 1366 px wide window holds it
    qtbot.addWidget(log)
    log.resize(1340, 500)
    log.show()
    qtbot.waitExposed(log)
    table = log.table
    qtbot.waitUntil(lambda: table.viewport().width() > 1200)
    qtbot.waitUntil(lambda: abs(table.horizontalHeader().length() - table.viewport().width()) <= 2)
    metrics = table.fontMetrics()
    for column, name in ((Column.COORDINATOR, COORDINATOR), (Column.INVESTIGATOR, INVESTIGATOR)):
        assert table.columnWidth(column) >= metrics.horizontalAdvance(name), column
    others = sum(table.columnWidth(c) for c in Column if c != Column.NOTE)
    assert table.columnWidth(Column.NOTE) >= table.viewport().width() - others - 2
    assert not table.horizontalScrollBar().isVisible()


def test_a_narrow_log_elides_rather_than_scrolling_sideways(
    qtbot: QtBot, store: Store, protocol: LoadedProtocol
) -> None:
    window = shown_log(qtbot, store, protocol, 660)  # 1024 x 600 at 150%, less the frame
    table = window.log_view.table
    assert table.horizontalHeader().length() <= table.viewport().width()
    assert not table.horizontalScrollBar().isVisible()
    # The screening number and the date are never cut; what is elided has its tooltip.
    metrics = table.fontMetrics()
    number = window.log_view.model.index(0, Column.NUMBER)
    assert table.columnWidth(Column.NUMBER) >= metrics.horizontalAdvance(number.data())
    coordinator = window.log_view.model.index(0, Column.COORDINATOR)
    assert coordinator.data(Qt.ItemDataRole.ToolTipRole) == COORDINATOR
    assert (
        window.log_view.model.headerData(
            Column.NUMBER, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole
        )
        == "Screening number"
    )


def test_the_status_bar_counts_elide_on_a_narrow_window_and_say_it_all_in_the_tooltip(
    qtbot: QtBot, store: Store, protocol: LoadedProtocol
) -> None:
    window = shown_log(qtbot, store, protocol, 660)
    label = window.counts_label
    whole = label.text()
    assert whole.startswith("1 screenings: ")
    label.setText(whole + " · " + " · ".join(f"withdrawn {n}" for n in range(30)))  # a long day
    qtbot.waitUntil(lambda: label.shown_text().endswith("…"))
    assert label.toolTip() == label.text()
    bar = window.statusBar()
    assert bar.geometry().right() <= window.rect().right()
    assert label.geometry().right() <= bar.rect().right()
    assert window.minimumSizeHint().width() <= 660


def trail_at(qtbot: QtBot, store: Store, protocol: LoadedProtocol, width: int) -> Any:
    from desktop_app.ui.record_dialogs import AuditTrailDialog

    create_site(store, None, code="PUMCH", name="PUMCH", principal_investigator="PI")
    user = add_user(store, "coordinator", full_name=COORDINATOR)
    trail = AuditTrailDialog(store, screened(store, user, protocol), None, protocol)
    qtbot.addWidget(trail)
    trail.resize(width, 360)
    trail.show()
    qtbot.waitExposed(trail)
    return trail


# The audit trail: every event read without scrolling sideways (a monitor reads each one), long
# values wrapped whole (never cut), the stored codes under the table when there is no room for them.


def test_a_narrow_audit_trail_wraps_and_shows_the_codes_of_the_chosen_event_below(
    qtbot: QtBot, store: Store, protocol: LoadedProtocol
) -> None:
    from desktop_app.ui.record_dialogs import DETAILS

    trail = trail_at(qtbot, store, protocol, 660)  # 1024 x 600 at 150%, less the frame
    table = trail.table
    assert table.horizontalHeader().length() <= table.viewport().width()
    assert not table.horizontalScrollBar().isVisible()
    assert table.isColumnHidden(DETAILS)
    assert trail.details.isVisible()
    table.setCurrentCell(2, 0)
    assert (
        trail.details.toPlainText() == f"Details (codes as stored): {table.item(2, DETAILS).text()}"
    )
    # A value too long for its column (the protocol's SHA-256) wraps onto more lines: its row is
    # taller than one line, and no column is narrower than a few characters.
    started = next(
        r for r in range(table.rowCount()) if table.item(r, 2).text() == "Screening started"
    )
    assert table.rowHeight(started) > 3 * table.fontMetrics().lineSpacing()
    assert (
        min(table.columnWidth(c) for c in range(DETAILS))
        >= 6 * table.fontMetrics().averageCharWidth()
    )


def test_a_wide_audit_trail_shows_every_column(
    qtbot: QtBot, store: Store, protocol: LoadedProtocol
) -> None:
    from desktop_app.ui.record_dialogs import DETAILS

    trail = trail_at(qtbot, store, protocol, 1340)
    table = trail.table
    assert not table.isColumnHidden(DETAILS)
    assert not trail.details.isVisible()
    assert table.horizontalHeader().length() <= table.viewport().width()
    assert not table.horizontalScrollBar().isVisible()


@pytest.mark.parametrize(
    ("natural", "room", "expected"),
    [
        ([50, 100, 300], 1000, [50, 100, 300]),  # all fit: as they are
        ([50, 100, 300, 300], 450, [50, 100, 150, 150]),  # the narrow keep theirs, the wide share
        ([50, 400, 400], 300, [50, 125, 125]),
        ([200, 200, 200], 90, [40, 40, 40]),  # never below the least: it scrolls instead
    ],
)
def test_columns_share_the_room_the_narrow_ones_keeping_their_width(
    natural: list[int], room: int, expected: list[int]
) -> None:
    from desktop_app.ui.fitted_table import shared_widths

    assert shared_widths(natural, room, 40) == expected


@pytest.mark.parametrize(
    ("natural", "room", "least", "expected"),
    [
        # The wizard's review at 796 px: the criterion held at its longest word, the verdict
        # whole, the reason the rest
        ([288, 82, 288], 310, [133, 82, 72], [133, 82, 95]),
        ([300, 300], 200, [150, 40], [150, 50]),  # held at its least: the other takes the rest
        ([300, 300], 100, [80, 60], [80, 60]),  # the leasts alone overflow: it scrolls
        ([30, 300], 100, [40, 40], [30, 70]),  # narrower than its least: its natural width
        ([50, 100, 300, 300], 450, [0, 0, 0, 0], [50, 100, 150, 150]),  # as with one least
    ],
)
def test_a_column_is_never_narrower_than_its_own_least(
    natural: list[int], room: int, least: list[int], expected: list[int]
) -> None:
    from desktop_app.ui.fitted_table import shared_widths

    assert shared_widths(natural, room, least) == expected


def test_a_table_measures_each_text_once_per_width(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The review fits its columns and sizes its rows after every answer that changes a text;
    measuring every cell again (Qt's size hints, each wrapped text laid out) made the wizard's
    live update miss its frame. Texts and their wrapped heights are measured once."""
    from PySide6.QtWidgets import QTableWidgetItem

    from desktop_app.ui import fitted_table

    fitted_table._widths.clear()  # measured by this test alone (the cache is the process's)
    table = fitted_table.FittedTable(3, 2)
    qtbot.addWidget(table)
    for row in range(3):
        for column in range(2):
            table.setItem(row, column, QTableWidgetItem(f"row {row} column {column} " * 6))
    table.resize(400, 300)
    table.show()
    qtbot.waitExposed(table)
    table.fit_columns()
    table.resizeRowsToContents()
    laid_out: list[str] = []
    wrapped_height = fitted_table.wrapped_height

    def counted(text: str, *args: Any) -> float:
        laid_out.append(text)
        return wrapped_height(text, *args)

    monkeypatch.setattr(fitted_table, "wrapped_height", counted)
    measured = len(fitted_table._widths)
    assert table.fit_columns() is False  # nothing changed: nothing measured, no width changed
    table.resizeRowsToContents()
    assert laid_out == []
    assert len(fitted_table._widths) == measured
    table.item(1, 1).setText("one new text")
    table.fit_columns()
    table.resizeRowToContents(1)
    assert len(fitted_table._widths) == measured + 1
    assert laid_out == ["one new text"]
