"""A read-only table that never scrolls sideways: its columns share the width it has, each keeping
the width of its contents when it can, the widest sharing what is left with their text wrapped,
and every row as tall as its wrapped text (at 150% scaling a 1024 x 600 screen leaves a dialog
about 650 pixels for the whole table)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QFont, QPainter, QPalette, QResizeEvent, QTextLayout, QTextOption
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


def shared_widths(natural: Sequence[int], room: int, least: int) -> list[int]:
    """Each column's width in `room`: its natural width when all fit; otherwise the columns
    narrower than an equal share keep their width and the others share what is left equally,
    never narrower than `least` (the table then scrolls, rather than a column becoming a sliver)."""
    widths = list(natural)
    if sum(widths) <= room:
        return widths
    wide = set(range(len(widths)))
    left = room
    while wide:
        share = left // len(wide)
        narrow = {i for i in wide if natural[i] <= share}
        if not narrow:
            break
        for i in narrow:
            left -= natural[i]
        wide -= narrow
    for i in wide:
        widths[i] = max(least, left // len(wide))
    return widths


def _wrapping() -> QTextOption:
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    option.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return option


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


Index = QModelIndex | QPersistentModelIndex


class WrappingDelegate(QStyledItemDelegate):
    """Qt's own item painting, but the text wraps inside a word too long for its column, where
    Qt's item views wrap only at spaces and cut the rest of the word."""

    MARGIN = 4  # each side of the text, as Qt's item views leave

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

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:
        natural = super().sizeHint(option, index)
        shown = QStyleOptionViewItem(option)
        self.initStyleOption(shown, index)
        width = shown.rect.width() - 2 * self.MARGIN  # the column's, when a row's height is asked
        if width <= 0 or not shown.text:
            return natural
        height = int(wrapped_height(shown.text, shown.font, width) + 0.999) + 4
        return QSize(natural.width(), max(natural.height(), height))


class FittedTable(QTableWidget):
    """Fill it, then call fit_columns(); it fits itself again whenever it is resized. A column
    named `secondary` (wide, and read less often) is hidden when the others need all the room:
    the caller shows the current row's value elsewhere (column_hidden tells it when)."""

    column_hidden = Signal(bool)

    def __init__(
        self, rows: int, columns: int, secondary: int | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(rows, columns, parent)
        self._natural: list[int] = []
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
        header.setStretchLastSection(True)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

    def fit_columns(self) -> None:
        """Measure the contents (a few hundred rows at most) and share the width among them."""
        characters = self.fontMetrics().averageCharWidth()
        self.resizeColumnsToContents()
        self._natural = [
            min(self.columnWidth(c), characters * WIDEST_CHARACTERS)
            for c in range(self.columnCount())
        ]
        self._share()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._share()

    def _share(self) -> None:
        if not self._natural:
            return
        # The room without the vertical scroll bar, whether it shows or not: the widths do not
        # change when it comes and goes (which would make the rows' heights change it again).
        room = self.maximumViewportSize().width() - self.verticalScrollBar().sizeHint().width()
        least = self.fontMetrics().averageCharWidth() * NARROWEST_CHARACTERS
        shown = list(range(len(self._natural)))
        # The secondary column goes when, with it, a column would be narrower than it needs and
        # than a readable width (its text wrapped every few words).
        readable = self.fontMetrics().averageCharWidth() * READABLE_CHARACTERS
        widths = shared_widths(self._natural, room, least)
        squeezed = any(w < min(n, readable) for w, n in zip(widths, self._natural, strict=True))
        if self.secondary is not None and squeezed:
            shown.remove(self.secondary)
        hidden = len(shown) < len(self._natural)
        if self.secondary is not None and self.isColumnHidden(self.secondary) != hidden:
            self.setColumnHidden(self.secondary, hidden)
            self.column_hidden.emit(hidden)
        widths = shared_widths([self._natural[c] for c in shown], room, least)
        for column, width in zip(shown, widths, strict=True):
            self.setColumnWidth(column, width)  # the last one shown stretches to the rest
