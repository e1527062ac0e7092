"""The screening log tab (search, status filter, the SQL-paged table) and the new-screening dialog."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QSettings, Qt, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
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
from desktop_app.ui.forms import ErrorLine, lay_out_dialog, readable, run_modal
from desktop_app.ui.log_columns import LogColumns
from desktop_app.ui.log_model import Column, LogModel, status_word


class ScreeningLogView(QWidget):
    def __init__(self, store: Store, user: User | None = None) -> None:
        super().__init__()
        self.store, self.user = store, user
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
        self.table.setObjectName("screeningLog")
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
        row = QHBoxLayout()
        # Alt+D (Alt+F is the File menu's); Ctrl+F as well.
        row.addWidget(QLabel(self.tr("Fin&d:")))
        row.itemAt(0).widget().setBuddy(self.search)  # type: ignore[union-attr]
        row.addWidget(self.search, 1)
        row.addWidget(self.status)
        find = QShortcut(QKeySequence.StandardKey.Find, self)
        find.activated.connect(self.search.setFocus)
        # A filter in force is said, with how to clear it: a log that shows fewer rows must say so.
        self.filter_note = QLabel()
        self.filter_note.setStyleSheet(
            f"QLabel {{ font-weight: bold; color: {readable('#8a4b00')}; }}"
        )
        self.clear_button = QPushButton(self.tr("&Clear filter"))
        self.clear_button.clicked.connect(self._on_clear_button_clicked)
        notice = QHBoxLayout()
        notice.addWidget(self.filter_note, 1)
        notice.addWidget(self.clear_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addLayout(notice)
        layout.addWidget(self.table, 1)
        self.settings = QSettings()
        state = self.settings.value("log/header")
        if state is not None:
            header.restoreState(state)  # the sort order; the widths follow the window's width
        self.columns = LogColumns(self.table, self.model)
        self._restore_filter()
        self.search.textChanged.connect(self._on_filter_changed)
        self.status.currentIndexChanged.connect(self._on_filter_changed)
        header.sectionResized.connect(self._on_header_changed)
        self._on_filter_changed()

    def _filter_key(self) -> str:
        """Where this user's search and filter for this store are remembered: never shared with
        another user of the workstation, nor carried into another store (a DEMO search filtering a
        real site's log)."""
        place = hashlib.sha256(str(Path(self.store.data_dir).resolve()).encode()).hexdigest()[:16]
        who = self.user.id if self.user is not None else "nobody"
        return f"log/filter/{place}/{who}"

    def _restore_filter(self) -> None:
        key = self._filter_key()
        self.search.blockSignals(True)
        self.status.blockSignals(True)
        self.search.setText(str(self.settings.value(f"{key}/search", "")))
        index = self.status.findData(self.settings.value(f"{key}/status"))
        self.status.setCurrentIndex(max(index, 0))
        self.search.blockSignals(False)
        self.status.blockSignals(False)

    def set_user(self, user: User) -> None:
        """Another user signed in at the lock: their own search and filter."""
        self.user = user
        self._restore_filter()
        self._on_filter_changed()

    @Slot()
    def _on_filter_changed(self) -> None:
        status = self.status.currentData()
        self.model.set_filter(status, self.search.text())
        key = self._filter_key()
        self.settings.setValue(f"{key}/search", self.search.text())
        self.settings.setValue(f"{key}/status", status)
        parts = []
        if self.search.text().strip():
            parts.append(self.tr("search “{0}”").format(self.search.text().strip()))
        if status is not None:
            parts.append(self.tr("status {0}").format(status_word(status)))
        self.filter_note.setText(self.tr("Filtered: only screenings matching {0} are shown.").format(
            self.tr(" and ").join(parts)) if parts else "")  # fmt: skip
        self.filter_note.setVisible(bool(parts))
        self.clear_button.setVisible(bool(parts))

    @Slot()
    def _on_clear_button_clicked(self) -> None:
        self.search.clear()
        self.status.setCurrentIndex(0)

    def select_screening(self, screening_id: int) -> None:
        """Select a screening's row (fetching further pages while it is not among the loaded
        rows), and make it current for the keyboard."""
        model = self.model
        while True:
            row = next(
                (i for i, r in enumerate(model.rows) if r.screening_id == screening_id), None
            )
            if row is not None or not model.canFetchMore():
                break
            model.fetchMore()
        if row is None:
            return  # filtered out: nothing to select
        self.table.selectRow(row)
        self.table.setCurrentIndex(model.index(row, 0))
        self.table.scrollTo(model.index(row, 0))

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
