"""The screening log's column widths, fitted to the table's width (issue #18, #16): each column
gets the width of its header and of its values (the coordinator's and the investigator's names in
full), the signature note takes what is left, and when the table is too narrow for all of that
(a 1024 x 600 screen at 150%) the note, then the names and the failing criteria, give way first,
elided with their whole text in the tooltip. The log never scrolls sideways while its columns
can shrink to their least widths; the screening number and the date never shrink below their
values.

Widths are worked out from the font and from the names in the rows loaded (a page), never by
measuring every row (ResizeToContents over 100,000 rows)."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Slot
from PySide6.QtWidgets import QHeaderView, QTableView

from desktop_app.store.log_query import STATUSES
from desktop_app.ui.log_model import Column, LogModel, status_word

# The order in which columns give way when the table is narrow, a group at a time, the columns of
# a group in proportion: the note; the headers wider than their values (the screening number, the
# date: elided down to their values, never below); the failing criteria and initials; the names.
GIVE_WAY = ((Column.NOTE,), (Column.NUMBER, Column.DATE), (Column.FAILING, Column.INITIALS),
            (Column.COORDINATOR, Column.INVESTIGATOR), (Column.STATUS,))  # fmt: skip


class LogColumns(QObject):
    """Keeps the log's column widths fitted to its viewport's width."""

    def __init__(self, table: QTableView, model: LogModel) -> None:
        super().__init__(table)
        self.table, self.model = table, model
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(self._chars(3))
        # A header narrower than its title shows how it begins, elided ("Screening num…"), not
        # its middle; the whole title is in its tooltip.
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.viewport().installEventFilter(self)
        model.modelReset.connect(self.fit)
        model.rowsInserted.connect(self.fit)
        header.sectionResized.connect(self._on_header_section_resized)
        self._width = -1

    def _chars(self, count: int) -> int:
        return self.table.fontMetrics().averageCharWidth() * count

    def _text(self, text: str) -> int:
        return self.table.fontMetrics().horizontalAdvance(text) + self._chars(2)  # cell margins

    def _widest(self, texts: Iterable[str], default: int) -> int:
        """The width of the widest of these texts with the cell's margins (`default` for none):
        measured as one text of a line each, in one call (a page's 200 screening numbers one
        by one took a quarter of a search's time)."""
        lines = "\n".join(texts)
        if not lines:
            return default
        return self.table.fontMetrics().size(0, lines).width() + self._chars(2)

    def wanted(self) -> dict[Column, tuple[int, int]]:
        """Each column's (wanted, least) width."""
        header = self.table.horizontalHeader()
        arrow = self._chars(4)  # the sort arrow and the section's margins
        rows = self.model.rows
        names = {
            Column.COORDINATOR: {r.coordinator for r in rows if r.coordinator},
            Column.INVESTIGATOR: {r.investigator for r in rows if r.investigator},
        }
        values = {
            Column.NUMBER: self._widest(
                (LogModel.shown(r, Column.NUMBER) for r in rows), self._text("XXXX-0000")
            ),
            Column.INITIALS: self._text("WWWW"),
            Column.DATE: self._text("2026-12-31"),
            Column.STATUS: max(self._text(f"✔ {status_word(s)}") for s in STATUSES),
            Column.FAILING: self._text("I1, I2, E1, E4"),
            Column.NOTE: self._chars(30),
        }
        for column, shown in names.items():
            values[column] = self._widest(shown, self._chars(16))
        least = {
            Column.NUMBER: values[Column.NUMBER],
            Column.DATE: values[Column.DATE],
            Column.STATUS: self._text("✔ " + "W" * 5),
            Column.FAILING: self._text("I1, E4"),
        }
        sizes: dict[Column, tuple[int, int]] = {}
        for column in Column:
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            want = max(header.fontMetrics().horizontalAdvance(title) + arrow, values[column])
            sizes[column] = (want, min(want, least.get(column, self._chars(7))))
        return sizes

    def fit(self) -> None:
        """Fit the columns to the viewport's width now."""
        room = self.table.viewport().width() - 1
        if room <= 0:
            return
        sizes = self.wanted()
        widths = {column: want for column, (want, _) in sizes.items()}
        excess = sum(widths.values()) - room
        if excess < 0:
            widths[Column.NOTE] -= excess  # the note takes what is left
        for group in GIVE_WAY:
            if excess <= 0:
                break
            slack = {column: widths[column] - sizes[column][1] for column in group}
            total = sum(slack.values())
            if total <= 0:
                continue
            given = min(excess, total)
            for column in group:
                widths[column] -= -(-given * slack[column] // total)  # rounded up: no pixel over
            excess -= given
        header = self.table.horizontalHeader()
        blocked = header.blockSignals(True)  # not saved as the user's own widths
        try:
            for column, width in widths.items():
                self.table.setColumnWidth(column, width)
        finally:
            header.blockSignals(blocked)
        # Fitted, the log has nothing to scroll sideways (a bar left by a narrower moment, or by
        # the vertical bar coming and going, would take a row's height for nothing); a column the
        # user widens by hand, or a window too narrow for the least widths, brings it back.
        self.table.setHorizontalScrollBarPolicy(
            Qt.ScrollBarPolicy.ScrollBarAlwaysOff
            if excess <= 0
            else Qt.ScrollBarPolicy.ScrollBarAsNeeded
        )
        header.viewport().update()

    @Slot()
    def _on_header_section_resized(self) -> None:
        """The user resized a column by hand: the log may scroll sideways again."""
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and watched is self.table.viewport():
            width = self.table.viewport().width()
            if width != self._width:
                self._width = width
                # After the resize: the vertical scroll bar may come or go with it.
                QTimer.singleShot(0, self, self.fit)
        return False
