"""A read-only table that never scrolls sideways: its columns share the width it has, each keeping
the width of its contents when it can, the widest sharing what is left with their text wrapped,
and every row as tall as its wrapped text (at 150% scaling a 1024 x 600 screen leaves a dialog
about 650 pixels for the whole table)."""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QFont,
    QFontMetricsF,
    QGuiApplication,
    QPainter,
    QPalette,
    QResizeEvent,
    QShowEvent,
    QTextLayout,
    QTextOption,
)
from PySide6.QtWidgets import (
    QApplication,
    QHeaderView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableWidget,
    QWidget,
)

WIDEST_CHARACTERS = 48  # a column wider than this wraps even when there is room for it
NARROWEST_CHARACTERS = 7
READABLE_CHARACTERS = 22
MEASURES_KEPT = 10_000  # measurements remembered: texts' widths, a delegate's row heights
# What the wrapping keeps whole when it can: a run of Latin letters and digits (Chinese breaks
# anywhere, and so does a word at a hyphen or a space).
_UNBROKEN = re.compile(r"[A-Za-z0-9]+")


@dataclass(frozen=True)
class Least:
    """How narrow a column may become when the columns share the room: `characters` average
    characters; never narrower than its widest unbreakable word if `words` (while the room
    lets every column keep its least: then the word breaks inside); its natural width if
    `whole` (a short column read at a glance, never wrapped). `covers`: texts the column may
    show, measured with those it shows (a column of a few fixed words keeps one width while its
    cells change: the others do not move, and its rows are not all sized again)."""

    characters: int = NARROWEST_CHARACTERS
    words: bool = False
    whole: bool = False
    covers: tuple[str, ...] = ()


def shared_widths(natural: Sequence[int], room: int, least: int | Sequence[int]) -> list[int]:
    """Each column's width in `room`: its natural width when all fit; otherwise the columns
    narrower than an equal share keep their width and the others share what is left equally,
    none narrower than its least (`least`: one for every column, or each column's own, as its
    widest unbreakable word): a column held at its least leaves the others less to share. When
    the leasts alone are wider than the room, the table scrolls rather than a column becoming
    a sliver. A column narrower than its least keeps its natural width."""
    floors = [least] * len(natural) if isinstance(least, int) else list(least)
    lows = [min(n, f) for n, f in zip(natural, floors, strict=True)]
    if sum(natural) <= room:
        return list(natural)

    def at(level: int) -> list[int]:  # every column as near this width as its bounds let it
        return [max(low, min(n, level)) for low, n in zip(lows, natural, strict=True)]

    # The widest equal share that fits: the total grows with the share, so halve the interval.
    fits, over = 0, max(natural)
    while over - fits > 1:
        middle = (fits + over) // 2
        fits, over = (middle, over) if sum(at(middle)) <= room else (fits, middle)
    return at(fits)


@functools.cache
def _wrapping() -> QTextOption:
    """Made once: every cell painted and measured uses it."""
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    option.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return option


def _screen_dpi() -> float:
    """The logical DPI that font metrics without a paint device measure at (the primary
    screen's): part of what a measurement is remembered by, with the font and the text."""
    screen = QGuiApplication.primaryScreen()
    return screen.logicalDotsPerInch() if screen is not None else 0.0


def wrapped_height(text: str, font: QFont, width: float) -> float:
    """The height of `text` wrapped at `width`: at spaces, and inside a word longer than the
    width (a hash, a code), as the cells are painted."""
    layout = QTextLayout(text, font)
    layout.setTextOption(_wrapping())
    layout.beginLayout()
    height = 0.0
    while (line := layout.createLine()).isValid():
        line.setLineWidth(width)
        height += line.height()
    layout.endLayout()
    return height


_widths: dict[tuple[str, str, float], tuple[int, int]] = {}  # text_widths', remembered


def text_widths(text: str, font: QFont) -> tuple[int, int]:
    """The cell widths that show the text's longest line unwrapped and its longest unbreakable
    word whole (a run of Latin letters and digits; 0 without one), as WrappingDelegate paints
    them: measured once per text, font and screen DPI (the wizard's review fits its columns after
    every answer that changes a text; measuring every cell through Qt's size hints doubled the
    live update's time)."""
    key = (text, font.key(), _screen_dpi())
    found = _widths.get(key)
    if found is None:
        metrics = QFontMetricsF(font)
        line = max((metrics.horizontalAdvance(t) for t in text.splitlines()), default=0.0)
        word = max((metrics.horizontalAdvance(w) for w in _UNBROKEN.findall(text)), default=0.0)
        if len(_widths) > MEASURES_KEPT:
            _widths.clear()
        found = _widths[key] = (
            WrappingDelegate.cell_width(line),
            WrappingDelegate.cell_width(word) if word else 0,
        )
    return found


Index = QModelIndex | QPersistentModelIndex


class WrappingDelegate(QStyledItemDelegate):
    """Qt's own item painting, but the text wraps inside a word too long for its column, where
    Qt's item views wrap only at spaces and cut the rest of the word."""

    MARGIN = 4  # each side of the text, as Qt's item views leave

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # sizeHint's row heights by text, font, width and screen DPI.
        self._heights: dict[tuple[str, str, int, float], int] = {}

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        shown = QStyleOptionViewItem(option)
        self.initStyleOption(shown, index)
        text, shown.text = shown.text, ""
        style = shown.widget.style() if shown.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, shown, painter, shown.widget)
        selected = bool(shown.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        painter.setPen(shown.palette.color(role))
        painter.setFont(shown.font)
        box = QRectF(shown.rect).adjusted(self.MARGIN, 2, -self.MARGIN, -2)
        painter.drawText(box, text, _wrapping())
        painter.restore()

    @classmethod
    def cell_width(cls, advance: float) -> int:
        """The column width that shows a line of this advance unwrapped: the text's margins, the
        grid line and a pixel for rounding."""
        return math.ceil(advance) + 2 * cls.MARGIN + 2

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        natural = super().sizeHint(option, index)
        shown = QStyleOptionViewItem(option)
        self.initStyleOption(shown, index)
        if not shown.text:
            return natural
        width = shown.rect.width() - 2 * self.MARGIN  # the column's, when a row's height is asked
        # Measured once per text, font and width: a table whose widths change sizes every row
        # again (the review's, after an answer that changes a verdict's width).
        # Wide enough for the margins painted here, wider than Qt's own: a column at its natural
        # width shows its text unwrapped ("✔ 不存在" wrapped its last character).
        natural.setWidth(max(natural.width(), text_widths(shown.text, shown.font)[0]))
        if width <= 0:
            return natural
        key = (shown.text, shown.font.key(), width, _screen_dpi())
        height = self._heights.get(key)
        if height is None:
            if len(self._heights) > MEASURES_KEPT:
                self._heights.clear()
            height = self._heights[key] = (
                int(wrapped_height(shown.text, shown.font, width) + 0.999) + 4
            )
        return QSize(natural.width(), max(natural.height(), height))


class FittedTable(QTableWidget):
    """Fill it, then call fit_columns() (again after a text changed); it fits itself again
    whenever it is resized, and sizes its rows to their wrapped text whenever a width changes.
    `least` says how narrow a column may become (by default NARROWEST_CHARACTERS). A column named
    `secondary` (wide, and read less often) is hidden when the others need all the room: the
    caller shows the current row's value elsewhere (column_hidden tells it when)."""

    column_hidden = Signal(bool)

    def __init__(
        self,
        rows: int,
        columns: int,
        secondary: int | None = None,
        parent: QWidget | None = None,
        least: Mapping[int, Least] | None = None,
    ) -> None:
        super().__init__(rows, columns, parent)
        self._natural: list[int] = []
        self._words: list[int] = []  # each column's widest unbreakable word, where it counts
        self._least = [(least or {}).get(c, Least()) for c in range(columns)]
        self._sharing = False
        self.secondary = secondary
        self.setWordWrap(True)
        self.setItemDelegate(WrappingDelegate(self))
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.setVerticalScrollMode(QTableWidget.ScrollMode.ScrollPerPixel)  # tall rows: smoothly
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)  # a heading cut ends in "…"
        header.setStretchLastSection(True)
        # The rows are sized here, not by Qt's ResizeToContents, which measures every row again
        # whenever any cell changes: a caller updating cells in place sizes only their rows.
        self._rows_later = QTimer(self)
        self._rows_later.setSingleShot(True)
        self._rows_later.timeout.connect(self.resizeRowsToContents)
        header.sectionResized.connect(self._on_header_section_resized)

    def fit_columns(self) -> bool:
        """Measure the contents (a few hundred rows at most) and share the width among them.
        Whether a width changed (every row is then sized again; otherwise none is)."""
        widest = self.fontMetrics().averageCharWidth() * WIDEST_CHARACTERS
        header = self.horizontalHeader()
        self._natural, self._words = [], []
        for column in range(self.columnCount()):
            heading = 0 if header.isHidden() else header.sectionSizeHint(column)
            texts = [
                item.text() for row in range(self.rowCount()) if (item := self.item(row, column))
            ] + list(self._least[column].covers)
            measured = [text_widths(text, self.font()) for text in texts] or [(0, 0)]
            lines, words = zip(*measured, strict=True)
            word = max(words) if self._least[column].words else 0
            self._words.append(word)
            # A word wider than `widest` is kept whole too.
            self._natural.append(max(min(max(max(lines), heading), widest), word))
        return self._share()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._share()

    def showEvent(self, event: QShowEvent) -> None:
        # Filled while hidden (the wizard opened straight at its review), the rows were sized at
        # a width it no longer has: sized again once it is laid out.
        super().showEvent(event)
        self._rows_later.start()

    @Slot()
    def _on_header_section_resized(self) -> None:
        if not self._sharing:  # a person's drag, or the last column stretched: once, after it
            self._rows_later.start()

    def _leasts(self, shown: list[int], room: int) -> list[int]:
        """The least width of each shown column: its characters, or its natural width if it is
        kept whole, and then as much of its widest unbreakable word as the room lets the columns
        keep whole (the words share the room left over as columns share the table's; where
        there is none, a word breaks inside rather than the table scrolling)."""
        characters = self.fontMetrics().averageCharWidth()
        floors = [
            min(self._natural[c], characters * self._least[c].characters)
            if not self._least[c].whole
            else self._natural[c]
            for c in shown
        ]
        words = [max(0, self._words[c] - floor) for c, floor in zip(shown, floors, strict=True)]
        spare = max(0, room - sum(floors))
        return [f + w for f, w in zip(floors, shared_widths(words, spare, 0), strict=True)]

    def _share(self) -> bool:
        if not self._natural:
            return False
        # The room without the vertical scroll bar, whether it shows or not: the widths do not
        # change when it comes and goes (which would make the rows' heights change it again).
        room = self.maximumViewportSize().width() - self.verticalScrollBar().sizeHint().width()
        shown = list(range(len(self._natural)))
        # The secondary column goes when, with it, a column would be narrower than it needs and
        # than a readable width (its text wrapped every few words).
        readable = self.fontMetrics().averageCharWidth() * READABLE_CHARACTERS
        widths = shared_widths(self._natural, room, self._leasts(shown, room))
        squeezed = any(w < min(n, readable) for w, n in zip(widths, self._natural, strict=True))
        if self.secondary is not None and squeezed:
            shown.remove(self.secondary)
        hidden = len(shown) < len(self._natural)
        if self.secondary is not None and self.isColumnHidden(self.secondary) != hidden:
            self.setColumnHidden(self.secondary, hidden)
            self.column_hidden.emit(hidden)
        widths = shared_widths([self._natural[c] for c in shown], room, self._leasts(shown, room))
        before = [self.columnWidth(c) for c in range(self.columnCount())]
        self._sharing = True
        try:
            for column, width in zip(shown, widths, strict=True):
                self.setColumnWidth(column, width)  # the last one shown stretches to the rest
        finally:
            self._sharing = False
        if before == [self.columnWidth(c) for c in range(self.columnCount())]:
            return False
        self._rows_later.stop()
        self.resizeRowsToContents()  # the wrapped text needs more or fewer lines
        return True
