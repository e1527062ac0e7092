"""The main window's first paint: right after the sign-in, a light window shows the first page of
the log and the status counts, read by one raw query (store.first_page); the full main window (the
rules and the protocol, the store through sqlite-utils, its menus and actions) is built on the
event loop just after that paint and takes the light window's place, with its actions enabled.

Nothing here imports the rules, pydantic, sqlite-utils, printing or export (a subprocess test,
tests/ui/test_first_paint.py, holds it to that; bench/bench_start.py times it)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QSettings,
    Qt,
)
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.ui.forms import fit_to_screen
from desktop_app.ui.log_columns import LogColumns
from desktop_app.ui.log_model import Column, LogModel, status_word

if TYPE_CHECKING:
    from desktop_app.store.first_page import FirstPage


class FirstPageModel(LogModel):
    """The log's table model over the first page alone (no store yet): the same columns, words
    and colours as the full window's, no further pages."""

    def __init__(self, page: FirstPage) -> None:
        QAbstractTableModel.__init__(self)  # not LogModel's: that one reads the store
        self.rows = list(page.rows)
        self.tampered = set()
        self._more = False
        self._fetching = False

    def canFetchMore(self, parent: Any = None) -> bool:
        return False


def counts_text(counts: dict[str, int]) -> str:
    """The status bar's counts, in MainWindow's words."""
    shown = " · ".join(f"{status_word(status)} {n}" for status, n in counts.items() if n)
    return QCoreApplication.translate("MainWindow", "{0} screenings: {1}").format(
        sum(counts.values()), shown
    )


class FirstPaintWindow(QMainWindow):
    """What the main window looks like (menus, toolbar, tabs, the search row, the log, the status
    bar), every action disabled, until the full window is built and takes its place."""

    def __init__(self, page: FirstPage, site: dict[str, Any] | None) -> None:
        super().__init__()

        def main(text: str) -> str:
            return QCoreApplication.translate("MainWindow", text)

        name = str(site["name"]) if site else "Eligo"
        self.setWindowTitle(main("Eligo – {0}").format(name))
        for title in ("&Screening", "&File", "&Account", "&Help"):  # MainWindow's menus, not yet
            self.menuBar().addMenu(main(title)).setEnabled(False)
        toolbar = self.addToolBar(main("Screening"))
        for text in ("&New screening…", "&Continue the selected screening", "Record the &outcome…",
                     "&Audit trail of the selected screening…"):  # fmt: skip
            toolbar.addAction(main(text)).setEnabled(False)
        self.model = FirstPageModel(page)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.horizontalHeader().setSortIndicator(Column.DATE, Qt.SortOrder.DescendingOrder)
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        state = QSettings().value("log/header")
        if state is not None:
            self.table.horizontalHeader().restoreState(state)  # the sort order, as the log view
        self.columns = LogColumns(self.table, self.model)  # the widths, as the log view fits them
        search = QLineEdit()
        search.setPlaceholderText(
            QCoreApplication.translate("ScreeningLogView", "Search screening number or initials")
        )
        status = QComboBox()
        status.addItem(QCoreApplication.translate("ScreeningLogView", "All statuses"))
        row = QHBoxLayout()
        find = QLabel(QCoreApplication.translate("ScreeningLogView", "Fin&d:"))
        find.setBuddy(search)  # shows the mnemonic as the log view does
        row.addWidget(find)
        row.addWidget(search, 1)
        row.addWidget(status)
        for widget in (search, status):
            widget.setEnabled(False)
        log_tab = QWidget()
        layout = QVBoxLayout(log_tab)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        tabs = QTabWidget()
        tabs.addTab(log_tab, main("Screening &log"))
        tabs.addTab(QWidget(), main("&Protocol"))
        tabs.setTabEnabled(1, False)
        self.setCentralWidget(tabs)
        self.counts_label = QLabel(counts_text(page.counts))
        self.statusBar().addWidget(QLabel(str(site["code"]) if site else ""))
        self.statusBar().addWidget(self.counts_label, 1)
        self.loading = QLabel(self.tr("Loading…"))
        self.statusBar().addPermanentWidget(self.loading)
        geometry = QSettings().value("main/geometry")
        if geometry is None or not self.restoreGeometry(geometry):
            screen = self.screen().availableGeometry()
            fit_to_screen(self, max(960, screen.width() * 4 // 5), max(640, screen.height() * 4 // 5))  # fmt: skip

    def hand_over_to(self, window: QMainWindow) -> None:
        """The full main window takes this one's place on screen."""
        if not self.isMaximized() and not self.isFullScreen():
            window.setGeometry(self.geometry())
        window.show()
        self.hide()
        self.deleteLater()
