"""The screening log tab (search, status filter, the SQL-paged table) and the new-screening dialog."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop_app.rules import LoadedProtocol
from desktop_app.store import (
    Store,
    StoreError,
    User,
    register_candidate,
    start_screening,
)
from desktop_app.store.models import STATUSES
from desktop_app.ui.forms import ErrorLine, lay_out_dialog, run_modal
from desktop_app.ui.log_model import Column, LogModel, status_word


class ScreeningLogView(QWidget):
    def __init__(self, store: Store) -> None:
        super().__init__()
        self.model = LogModel(store)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search screening number or initials"))
        self.search.setAccessibleName(self.tr("Search"))
        self.status = QComboBox()
        self.status.setAccessibleName(self.tr("Status filter"))
        self.status.addItem(self.tr("All statuses"), None)
        for status in STATUSES:
            self.status.addItem(status_word(status), status)
        self.table = QTableView()
        self.table.setModel(self.model)
        # The indicator first: enabling sorting sorts by it, which is the model's own order.
        self.table.horizontalHeader().setSortIndicator(Column.DATE, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(
            QHeaderView.ResizeMode.Interactive
        )  # never auto-size over all rows
        # First widths from the font, not in pixels (they hold at 125% and 150%): room for the
        # header with its sort arrow and for a typical value, never measured over the rows.
        chars = self.table.fontMetrics().averageCharWidth()
        typical = {Column.NUMBER: 14, Column.INITIALS: 6, Column.DATE: 11, Column.STATUS: 13,
                   Column.FAILING: 12, Column.COORDINATOR: 20, Column.INVESTIGATOR: 20, Column.NOTE: 40}  # fmt: skip
        for column, count in typical.items():
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            self.table.setColumnWidth(
                column, max(header.fontMetrics().horizontalAdvance(title) + 4 * chars, (count + 2) * chars)
            )  # fmt: skip
        header.setStretchLastSection(True)
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("&Find:")))
        row.itemAt(0).widget().setBuddy(self.search)  # type: ignore[union-attr]
        row.addWidget(self.search, 1)
        row.addWidget(self.status)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        self.settings = QSettings()
        self.search.setText(str(self.settings.value("log/search", "")))
        index = self.status.findData(self.settings.value("log/status"))
        self.status.setCurrentIndex(max(index, 0))
        state = self.settings.value("log/header")
        if state is not None:
            header.restoreState(state)
        self.search.textChanged.connect(self._on_filter_changed)
        self.status.currentIndexChanged.connect(self._on_filter_changed)
        header.sectionResized.connect(self._on_header_changed)
        self._on_filter_changed()

    @Slot()
    def _on_filter_changed(self) -> None:
        status = self.status.currentData()
        self.model.set_filter(status, self.search.text())
        self.settings.setValue("log/search", self.search.text())
        self.settings.setValue("log/status", status)

    @Slot()
    def _on_header_changed(self) -> None:
        self.settings.setValue("log/header", self.table.horizontalHeader().saveState())

    def selected_screening_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.screening_id(rows[0].row()) if rows else None


class NewScreeningDialog(QDialog):
    """Registers a candidate (initials and local identifiers stay on this machine) and starts a screening."""

    def __init__(
        self, store: Store, protocol: LoadedProtocol, user: User, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.store, self.protocol, self.user = store, protocol, user
        self.screening_id: int | None = None
        self.setWindowTitle(self.tr("New screening"))
        self.initials = QLineEdit()
        self.initials.setMaxLength(4)
        self.mrn = QLineEdit()
        self.error = ErrorLine()
        form = QFormLayout()
        form.addRow(self.tr("Candidate &initials:"), self.initials)
        form.addRow(self.tr("&Medical record number (kept on this machine only):"), self.mrn)
        lay_out_dialog(self, form, error=self.error, on_accepted=self._on_buttons_accepted)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        identifiers = (
            {"medical_record_number": self.mrn.text().strip()} if self.mrn.text().strip() else {}
        )
        try:
            candidate = register_candidate(self.store, self.user, initials=self.initials.text(),
                                           local_identifiers=identifiers)  # fmt: skip
            self.screening_id = start_screening(
                self.store, self.user, candidate.id, self.protocol
            ).id
        except StoreError as exc:  # bad input, no permission, a full disk: said in words
            self.error.show_error(str(exc))
            return
        self.accept()

    @classmethod
    def ask(
        cls, store: Store, protocol: LoadedProtocol, user: User, parent: QWidget | None = None
    ) -> int | None:
        dialog = cls(store, protocol, user, parent)
        return dialog.screening_id if run_modal(dialog) == QDialog.DialogCode.Accepted else None
