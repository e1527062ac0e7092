"""A long table painted row by row onto pages: every row measured once, the rows split into pages
by height, each page painted on its own with the column headings repeated. Printing then grows
with the rows: a QTextDocument holding a whole 100,000-row log lays it out and paints each page
in time that grows with the document (5x the rows took 11x the time)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPaintDevice, QPainter, QPen

FONT_FAMILIES = ["DejaVu Sans", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC"]
_WRAP = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop) | int(Qt.TextFlag.TextWordWrap)


@dataclass(frozen=True)
class LongTable:
    """Column headings, their relative widths and the rows' cell texts."""

    headings: tuple[str, ...]
    widths: tuple[float, ...]
    rows: Sequence[tuple[str, ...]]


def print_font(points: float, *, bold: bool = False) -> QFont:
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPointSizeF(points)
    font.setBold(bold)
    return font


class TablePainter:
    """Measures and paints a LongTable across `width` device pixels of a paint device."""

    def __init__(self, table: LongTable, device: QPaintDevice, width: float) -> None:
        self.table = table
        self.font = print_font(8.5)
        self.heading_font = print_font(8.5, bold=True)
        self._metrics = QFontMetricsF(self.font, device)
        self.pad = device.logicalDpiX() * 0.03  # about 0.75 mm around each cell's text
        total = sum(table.widths)
        self.columns: list[tuple[float, float]] = []  # (left, width) of each column
        left = 0.0
        for share in table.widths:
            self.columns.append((left, width * share / total))
            left += width * share / total
        self.width = width
        self._heading_metrics = QFontMetricsF(self.heading_font, device)
        self.heading_height = self._height(table.headings, self._heading_metrics)
        self.heights = [self._height(row, self._metrics) for row in table.rows]

    def _height(self, cells: Sequence[str], metrics: QFontMetricsF) -> float:
        line = metrics.lineSpacing()
        tallest = line
        for (_, width), text in zip(self.columns, cells, strict=True):
            room = width - 2 * self.pad
            # Most cells fit on one line: measured by their advance, without a text layout.
            if "\n" in text or metrics.horizontalAdvance(text) > room:
                tallest = max(
                    tallest, metrics.boundingRect(QRectF(0, 0, room, 1e9), _WRAP, text).height()
                )
        return tallest + 2 * self.pad

    def pages(self, first_room: float, page_room: float) -> list[range]:
        """The rows on each page: the first page has `first_room` device pixels below what comes
        before the table, the others `page_room`; each page repeats the headings. A row taller
        than a page gets a page of its own (clipped) rather than stopping the printout."""
        pages: list[range] = []
        start, used, room = 0, self.heading_height, first_room
        for index, height in enumerate(self.heights):
            if used + height > room and index > start:
                pages.append(range(start, index))
                start, used, room = index, self.heading_height, page_room
            elif used + height > room and not pages and room < page_room:
                # Not even one row fits below the heading of the first page: start on the next.
                pages.append(range(start, start))
                used, room = self.heading_height, page_room
            used += height
        pages.append(range(start, len(self.heights)))
        return pages

    def paint(self, painter: QPainter, rows: range, top: float) -> float:
        """Paint the headings and these rows from `top`; returns the y below the last row."""
        painter.save()
        rule = QPen(QColor("#999999"))
        rule.setWidthF(max(1.0, self.pad / 3))
        painter.fillRect(QRectF(0, top, self.width, self.heading_height), QColor("#e8e8e8"))
        painter.setPen(QColor("#000000"))
        painter.setFont(self.heading_font)
        self._cells(painter, self.table.headings, top, self.heading_height, self._heading_metrics)
        y = top + self.heading_height
        painter.setFont(self.font)
        for index in rows:
            height = self.heights[index]
            painter.setPen(QColor("#000000"))
            self._cells(painter, self.table.rows[index], y, height, self._metrics)
            y += height
            painter.setPen(rule)
            painter.drawLine(QPointF(0, y), QPointF(self.width, y))
        painter.restore()
        return y

    def _cells(
        self, painter: QPainter, cells: Sequence[str], top: float, height: float,
        metrics: QFontMetricsF,
    ) -> None:  # fmt: skip
        ascent = metrics.ascent()
        for (left, width), text in zip(self.columns, cells, strict=True):
            if not text:
                continue
            room = width - 2 * self.pad
            if "\n" not in text and metrics.horizontalAdvance(text) <= room:
                painter.drawText(QPointF(left + self.pad, top + self.pad + ascent), text)
            else:
                area = QRectF(left + self.pad, top + self.pad, room, height - 2 * self.pad)
                painter.drawText(area, _WRAP, text)
