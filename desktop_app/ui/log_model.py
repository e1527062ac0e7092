"""The screening log as a table model: sorting, filtering and keyset paging all happen in SQL.

Rows arrive a page at a time through canFetchMore/fetchMore, so 100,000 screenings never load
at once; no per-row Python work beyond the rows on screen.
"""

from __future__ import annotations

import re
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from desktop_app.store.log_query import LogCursor, LogQuery, LogRow, SortKey, Status
from desktop_app.ui.forms import QT_TRANSLATE_NOOP, readable

if TYPE_CHECKING:
    from desktop_app.store import Store

# The store's modules (sqlite-utils, pydantic) are imported when a page is first read: the first
# paint at start (ui.first_paint) shows its page through this model's columns before they load.

Index = QModelIndex | QPersistentModelIndex


class Column(IntEnum):
    NUMBER = 0
    INITIALS = 1
    DATE = 2
    STATUS = 3
    FAILING = 4
    COORDINATOR = 5
    INVESTIGATOR = 6
    NOTE = 7


# The columns a narrow log elides (ui/log_columns.py): their whole text is in the tooltip.
ELIDED = (Column.INITIALS, Column.DATE, Column.STATUS, Column.FAILING, Column.COORDINATOR,
          Column.INVESTIGATOR)  # fmt: skip

# Marked for the translation (context LogModel) and translated where they are shown.
HEADERS = {
    Column.NUMBER: QT_TRANSLATE_NOOP("LogModel", "Screening number"),
    Column.INITIALS: QT_TRANSLATE_NOOP("LogModel", "Initials"),
    Column.DATE: QT_TRANSLATE_NOOP("LogModel", "Screening date"),
    Column.STATUS: QT_TRANSLATE_NOOP("LogModel", "Status"),
    Column.FAILING: QT_TRANSLATE_NOOP("LogModel", "Failing criteria"),
    Column.COORDINATOR: QT_TRANSLATE_NOOP("LogModel", "Coordinator"),
    Column.INVESTIGATOR: QT_TRANSLATE_NOOP("LogModel", "Investigator sign-off"),
    Column.NOTE: QT_TRANSLATE_NOOP("LogModel", "Signature note"),
}
STATUS_WORDS = {
    "draft": QT_TRANSLATE_NOOP("LogModel", "draft"),
    "incomplete": QT_TRANSLATE_NOOP("LogModel", "incomplete"),
    "eligible": QT_TRANSLATE_NOOP("LogModel", "eligible"),
    "ineligible": QT_TRANSLATE_NOOP("LogModel", "ineligible"),
    "signed": QT_TRANSLATE_NOOP("LogModel", "signed"),
    "locked": QT_TRANSLATE_NOOP("LogModel", "locked"),
    "enrolled": QT_TRANSLATE_NOOP("LogModel", "enrolled"),
    "declined": QT_TRANSLATE_NOOP("LogModel", "declined"),
    "withdrawn": QT_TRANSLATE_NOOP("LogModel", "withdrawn"),
}


def status_word(status: str) -> str:
    """A status in the user's language (the store keeps the English code)."""
    return QCoreApplication.translate("LogModel", STATUS_WORDS.get(status, status))


SORTABLE: dict[Column, SortKey] = {
    Column.NUMBER: "screening_number", Column.INITIALS: "initials", Column.DATE: "screening_date",
    Column.STATUS: "status", Column.FAILING: "failing",
}  # fmt: skip
# Status by symbol and word as well as colour.
STATUS_LOOK: dict[str, tuple[str, str]] = {
    "draft": ("✎", "#616161"), "incomplete": ("…", "#8d6e63"), "eligible": ("✔", "#2e7d32"),
    "ineligible": ("✖", "#c62828"), "signed": ("✍", "#1565c0"), "locked": ("▣", "#283593"),
    "enrolled": ("★", "#00695c"), "declined": ("–", "#6d4c41"), "withdrawn": ("↩", "#6d4c41"),
}  # fmt: skip


_COLUMNS = tuple(Column)
# The row's field a column shows as it is.
_FIELDS = {
    Column.INITIALS: "initials", Column.DATE: "screening_date", Column.FAILING: "failing",
    Column.COORDINATOR: "coordinator", Column.INVESTIGATOR: "investigator",
}  # fmt: skip
_SERVED = frozenset(
    int(role)
    for role in (
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.UserRole,
    )
)


def attempt_label(number: str, attempt: int | str) -> str:
    """A screening attempt as every list and printout names it: the screening number for the
    first attempt, the number and the attempt after a slash for a re-screening ("DEMO-0040/2")."""
    return number if int(attempt) <= 1 else f"{number}/{attempt}"


class LogModel(QAbstractTableModel):
    PAGE = 200

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self.query = LogQuery(limit=self.PAGE)
        self.rows: list[LogRow] = []
        self._next: LogCursor | None = None
        self._more = True
        self._fetching = False
        # Screenings (NUMBER/attempt) whose record is not the replay of the audit chain.
        self.tampered: set[str] = set()
        self.reload()

    def set_tampered(self, keys: set[str]) -> None:
        self.tampered = set(keys)
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(Column) - 1))

    def is_tampered(self, row: LogRow) -> bool:
        return f"{row.screening_number}/{row.attempt}" in self.tampered

    # -- what the view shows
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,  # whole, where a narrow log elides it
        ):
            return self.tr(HEADERS[Column(section)])
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # A view asks every cell it paints for seven roles; this model serves two of them there
        # (the rest, the decoration, font, alignment, background and check state, are Qt's
        # defaults): answered before any other work, which took a third of a search's time.
        if role not in _SERVED or not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        column = _COLUMNS[index.column()]
        tampered = self.tampered and self.is_tampered(row)
        if role == Qt.ItemDataRole.DisplayRole:
            if tampered and column == Column.STATUS:
                return "⚠ " + self.tr("TAMPERED")
            return self._text(row, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == Column.STATUS:
            return QBrush(QColor(readable("#b00020" if tampered else STATUS_LOOK[row.status][1])))
        if role == Qt.ItemDataRole.ToolTipRole and tampered:
            return self.tr("This record is not what its audit trail records: run db check.")
        if role == Qt.ItemDataRole.UserRole:
            return row.screening_id
        if role == Qt.ItemDataRole.ToolTipRole and column == Column.NOTE:
            return note_words(row.signature_note)
        if role == Qt.ItemDataRole.ToolTipRole and column in ELIDED:
            return self._text(row, column) or None  # whole, where a narrow log elides it
        return None

    @staticmethod
    def shown(row: LogRow, column: Column) -> str:
        """A cell's text as the log shows it."""
        return LogModel._text(row, column)

    @staticmethod
    def _text(row: LogRow, column: Column) -> str:
        if column == Column.NUMBER:
            return attempt_label(row.screening_number, row.attempt)
        if column == Column.STATUS:
            text = f"{STATUS_LOOK[row.status][0]} {status_word(row.status)}"
            if row.status == "incomplete" and not row.answered:
                return QCoreApplication.translate("LogModel", "{0} (no answers)").format(text)
            return text
        if column == Column.DATE and not row.screening_date:
            # An attempt without a screening date says when it was started, never a blank cell.
            return QCoreApplication.translate("LogModel", "— started {0}").format(row.started_on)
        if column == Column.NOTE:
            return note_words(row.signature_note) or ""
        return getattr(row, _FIELDS[column]) or ""

    # -- paging, sorting, filtering: all in SQL
    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more and not self._fetching

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._more or self._fetching:
            return
        # Views (and the model tester) may ask for more while rows are being inserted.
        self._fetching = True
        try:
            from desktop_app.store.log import log_page

            page = log_page(self.store, self.query, self._next)
            self._next = page.next
            self._more = page.next is not None
            if page.rows:
                first = len(self.rows)
                self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
                self.rows.extend(page.rows)
                self.endInsertRows()
        finally:
            self._fetching = False

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = SORTABLE.get(Column(column))
        if key is None:
            return
        self._requery(LogQuery(sort=key, descending=order == Qt.SortOrder.DescendingOrder,
                               status=self.query.status, search=self.query.search, limit=self.PAGE))  # fmt: skip

    def set_filter(self, status: Status | None, search: str) -> None:
        self._requery(LogQuery(sort=self.query.sort, descending=self.query.descending, status=status,
                               search=search, limit=self.PAGE))  # fmt: skip

    def _requery(self, query: LogQuery) -> None:
        """Run a new query only when it differs: every reload is a round trip to the store."""
        if query != self.query:
            self.query = query
            self.reload()

    def reload(self) -> None:
        """Start again from the first page (inside the reset: no insert right after it)."""
        from desktop_app.store.log import log_page

        self.beginResetModel()
        page = log_page(self.store, self.query, None)
        self.rows = list(page.rows)
        self._next = page.next
        self._more = page.next is not None
        self.endResetModel()

    def screening_id(self, row: int) -> int | None:
        return self.rows[row].screening_id if 0 <= row < len(self.rows) else None


_INVALIDATED = re.compile(r"signature invalidated on (.+?) by (.+?): (.*)", re.DOTALL)


def note_words(note: str | None) -> str | None:
    """The store's signature note (English, from SQL) in the user's language; the reason stays
    as its author typed it."""
    found = _INVALIDATED.fullmatch(note or "")
    if found is None:
        return note
    return QCoreApplication.translate(
        "LogModel", "signature invalidated on {0} by {1}: {2}"
    ).format(*found.groups())
