"""The work queues tab: each queue with its count, and the selected queue's screenings.

Queues are saved filters of the log computed in SQL (store/queues.py). The tab is refreshed
whenever the log is (after a wizard closes, a new screening, an outcome), after every answer a
wizard saves, and whenever it is shown. An investigator's main window opens on it, with
"Awaiting investigator confirmation" selected.
"""

from __future__ import annotations

from enum import IntEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.rules import LoadedProtocol
from desktop_app.store import Store, User
from desktop_app.store.queues import (
    QUEUES,
    QueueCursor,
    QueueId,
    QueueRow,
    queue_counts,
    queue_page,
)
from desktop_app.ui.forms import QT_TRANSLATE_NOOP
from desktop_app.ui.language import tx
from desktop_app.ui.log_model import attempt_label, status_word

if TYPE_CHECKING:
    from desktop_app.ui.main_window import MainWindow

QUEUE_NAMES: dict[str, str] = {
    "awaiting_confirmation": QT_TRANSLATE_NOOP("QueuePanel", "Awaiting investigator confirmation"),
    "results_pending": QT_TRANSLATE_NOOP("QueuePanel", "Results pending"),
    "eligible_no_outcome": QT_TRANSLATE_NOOP("QueuePanel", "Eligible, outcome not recorded"),
    "open_queries": QT_TRANSLATE_NOOP("QueuePanel", "Open queries"),
    "washout": QT_TRANSLATE_NOOP("QueuePanel", "Washout ends soon"),
}
QUEUE_HINTS: dict[str, str] = {
    "awaiting_confirmation": QT_TRANSLATE_NOOP(
        "QueuePanel", "Signed by the coordinator; the investigator's confirmation of eligibility is awaited."),
    "results_pending": QT_TRANSLATE_NOOP(
        "QueuePanel", "Incomplete only because results are pending: the determination waits for them alone."),
    "eligible_no_outcome": QT_TRANSLATE_NOOP(
        "QueuePanel", "Eligible; enrolled, declined or withdrawn is not recorded yet."),
    "open_queries": QT_TRANSLATE_NOOP(
        "QueuePanel", "A monitor's query awaits an answer (open the screening: the query is beside its field)."),
    "washout": QT_TRANSLATE_NOOP(
        "QueuePanel", "Excluded only by a medication window (E5, E6) or the malignancy window (E4), and "
        "not screened again: from the date shown the windows are over (the soonest first)."),
}  # fmt: skip


class Column(IntEnum):
    NUMBER = 0
    INITIALS = 1
    DATE = 2
    STATUS = 3
    FAILING = 4
    DETAIL = 5


_HEADERS = (
    QT_TRANSLATE_NOOP("QueueModel", "Screening"),
    QT_TRANSLATE_NOOP("QueueModel", "Initials"),
    QT_TRANSLATE_NOOP("QueueModel", "Screened on"),
    QT_TRANSLATE_NOOP("QueueModel", "Status"),
    QT_TRANSLATE_NOOP("QueueModel", "Failing"),
)
# The heading of each queue's own column (queues without one hide it).
DETAIL_HEADERS: dict[str, str] = {
    "results_pending": QT_TRANSLATE_NOOP("QueueModel", "Awaited results"),
    "open_queries": QT_TRANSLATE_NOOP("QueueModel", "Open queries"),
    "washout": QT_TRANSLATE_NOOP("QueueModel", "Windows over on"),
}


def question_words(protocol: LoadedProtocol, question_id: str) -> str:
    try:
        return tx(protocol.protocol.question(question_id).text)
    except KeyError:
        return question_id


class QueueModel(QAbstractTableModel):
    """One queue's screenings, a page at a time (more are fetched as the view scrolls)."""

    PAGE = 200

    def __init__(self, store: Store, protocol: LoadedProtocol | None = None) -> None:
        super().__init__()
        self.store, self.protocol = store, protocol
        self.queue: QueueId = QUEUES[0].id
        self.rows: list[QueueRow] = []
        self._next: QueueCursor | None = None

    def show_queue(self, queue: QueueId) -> None:
        self.queue = queue
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        page = queue_page(self.store, self.queue, None, self.PAGE)
        self.rows, self._next = list(page.rows), page.next
        self.endResetModel()

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._next is not None

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008
        if self._next is None:
            return
        page = queue_page(self.store, self.queue, self._next, self.PAGE)
        self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(page.rows) - 1)
        self.rows += page.rows
        self._next = page.next
        self.endInsertRows()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        if section == Column.DETAIL:
            return self.tr(DETAIL_HEADERS.get(self.queue, ""))
        return self.tr(_HEADERS[section]) if 0 <= section < len(_HEADERS) else None

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role != Qt.ItemDataRole.DisplayRole
            or not index.isValid()
            or index.row() >= len(self.rows)
        ):
            return None
        r = self.rows[index.row()]
        column = Column(index.column())
        if column == Column.NUMBER:
            return attempt_label(r.screening_number, r.attempt)
        if column == Column.INITIALS:
            return r.initials
        if column == Column.DATE:
            return r.screening_date
        if column == Column.STATUS:
            return status_word(r.status)
        if column == Column.FAILING:
            return r.failing.replace(",", ", ")
        if self.queue == "results_pending" and self.protocol is not None:  # question ids, in words
            return "; ".join(
                question_words(self.protocol, q) for q in str(r.detail or "").split(",") if q
            )
        return str(r.detail)

    def screening_id(self, row: int) -> int | None:
        return self.rows[row].screening_id if 0 <= row < len(self.rows) else None


class QueuePanel(QWidget):
    screening_activated = Signal(int)  # Enter or a double-click on a screening of a queue

    def __init__(self, store: Store, user: User, protocol: LoadedProtocol | None = None) -> None:
        super().__init__()
        self.store, self.user = store, user
        self.list = QListWidget()
        self.list.setAccessibleName(self.tr("Work queues"))
        for queue in QUEUES:
            item = QListWidgetItem()
            item.setData(Qt.ItemDataRole.UserRole, queue.id)
            item.setToolTip(self.tr(QUEUE_HINTS.get(queue.id, "")))
            self.list.addItem(item)
        self.list.setMaximumWidth(self.list.fontMetrics().averageCharWidth() * 44)
        label = QLabel(self.tr("Queues (↑ ↓ to choose, Tab to its screenings, Enter to open one):"))
        label.setWordWrap(True)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.model = QueueModel(store, protocol)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(self.tr("Screenings in the queue"))
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        # Widths from the font (room for the header and a typical value), never measured over rows.
        chars = self.table.fontMetrics().averageCharWidth()
        header = self.table.horizontalHeader()
        for column, count in ((Column.NUMBER, 14), (Column.INITIALS, 6), (Column.DATE, 11),
                              (Column.STATUS, 12), (Column.FAILING, 10)):  # fmt: skip
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            self.table.setColumnWidth(
                column, max(header.fontMetrics().horizontalAdvance(title) + 3 * chars, (count + 2) * chars)
            )  # fmt: skip
        left = QVBoxLayout()
        left.addWidget(label)
        left.addWidget(self.list, 1)
        right = QVBoxLayout()
        right.addWidget(self.hint)
        right.addWidget(self.table, 1)
        layout = QHBoxLayout(self)
        layout.addLayout(left)
        layout.addLayout(right, 1)
        self.list.currentItemChanged.connect(self._on_list_current_item_changed)
        self.table.activated.connect(self._on_table_activated)
        self.list.setCurrentRow(0)  # "Awaiting investigator confirmation"
        self.stale = True  # read when first shown, not while the main window is built

    def current_queue(self) -> QueueId:
        item = self.list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else QUEUES[0].id

    @Slot()
    def refresh(self) -> None:
        """Counts and the selected queue's first page, read again now if the tab is visible, else
        when it is next shown."""
        if not self.isVisible():
            self.stale = True
            return
        self.stale = False
        counts = queue_counts(self.store)
        for row in range(self.list.count()):
            item = self.list.item(row)
            queue = item.data(Qt.ItemDataRole.UserRole)
            item.setText(self.tr("{0} ({1})").format(self.tr(QUEUE_NAMES[queue]), counts[queue]))
        queue = self.current_queue()
        self.hint.setText(self.tr(QUEUE_HINTS.get(queue, "")))
        self.model.show_queue(queue)
        self.table.setColumnHidden(Column.DETAIL, queue not in DETAIL_HEADERS)

    def counts_text(self) -> list[str]:
        return [self.list.item(row).text() for row in range(self.list.count())]

    def set_user(self, user: User) -> None:
        self.user = user
        self.list.setCurrentRow(0)
        self.refresh()

    @Slot()
    def _on_list_current_item_changed(self) -> None:
        queue = self.current_queue()
        if not self.isVisible():
            self.stale = True
            return
        self.hint.setText(self.tr(QUEUE_HINTS.get(queue, "")))
        self.model.show_queue(queue)
        self.table.setColumnHidden(Column.DETAIL, queue not in DETAIL_HEADERS)

    @Slot(QModelIndex)
    def _on_table_activated(self, index: QModelIndex) -> None:
        screening_id = self.model.screening_id(index.row())
        if screening_id is not None:
            self.screening_activated.emit(screening_id)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self.stale:
            self.refresh()


def install_queues(window: MainWindow) -> QueuePanel:
    """Add the queues tab to the main window, after the log, and keep it current: it refreshes
    whenever the log is reloaded, and Enter on a screening opens it as the log does. An
    investigator starts on it."""
    panel = QueuePanel(window.store, window.user, window.protocol)
    index = window.tabs.insertTab(
        1, panel, QCoreApplication.translate("QueuePanel", "Work &queues")
    )
    window.log_view.model.modelReset.connect(panel.refresh)
    panel.screening_activated.connect(lambda sid: _open(window, panel, sid))
    window.user_changed.connect(panel.set_user)
    # Alt+Q (the tab's mnemonic) or Ctrl+Tab brings the queue list itself under the keyboard.
    window.tabs.currentChanged.connect(
        lambda i: panel.list.setFocus() if window.tabs.widget(i) is panel else None
    )
    window.user_changed.connect(lambda user: _start_on_queues(window, user, index))
    _start_on_queues(window, window.user, index)
    return panel


def _open(window: MainWindow, panel: QueuePanel, screening_id: int) -> None:
    """Open the screening as the log does; from the Open queries queue, on the field of its
    oldest open query, where the query and its answer box are."""
    wizard = window.open_wizard(screening_id)
    if panel.current_queue() == "open_queries":
        from desktop_app.store.annotations import queries_of

        open_ = [q for q in queries_of(window.store, screening_id) if q.state == "open"]
        if open_:
            wizard.show_question(open_[0].question_id)


def _start_on_queues(window: MainWindow, user: User, index: int) -> None:
    if "investigator" in user.roles:
        window.tabs.setCurrentIndex(index)
