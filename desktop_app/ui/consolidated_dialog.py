"""The coordinating centre's view: import site bundles into the consolidated store (each verified
first, against this copy's trusted keys when it has any), see every site and the trial-wide log
with CONSORT counts across sites, and print or save that log."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSettings,
    Qt,
    QTimer,
)
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.export.consolidate import Refused, import_site_bundle
from desktop_app.rules import LoadedProtocol
from desktop_app.store import Store, StoreError, User
from desktop_app.store.consolidated import ConsolidatedStore
from desktop_app.store.reports import PrintedLogRow
from desktop_app.store.trusted_keys import trusted_public_keys
from desktop_app.ui.forms import (
    documents_folder,
    fit_to_screen,
    remember_folder,
    remembered_folder,
)
from desktop_app.ui.log_model import attempt_label
from desktop_app.ui.print_actions import Printout

_SETTING = "consolidated/folder"


class TrialLogModel(QAbstractTableModel):
    """The trial-wide log (read-only), fetched from the consolidated store a page at a time as the
    view scrolls, never all at once."""

    COLUMNS = ("screening_number", "initials", "consent", "screening_date", "eligible", "reasons",
               "outcome", "coordinator", "investigator")  # fmt: skip
    PAGE = 200

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[PrintedLogRow] = []
        self.sites: list[str] = []
        self.folder: Path | None = None
        self.search = ""
        self.complete = True
        self.headers = (self.tr("Screening"), self.tr("Initials"), self.tr("Consent"), self.tr("Screening date"),
                        self.tr("Eligible"), self.tr("Reasons"), self.tr("Outcome"), self.tr("Coordinator"),
                        self.tr("Investigator sign-off"))  # fmt: skip

    def reload(self, folder: Path | None, search: str) -> None:
        """Start again from the first page (read inside the reset, so that views and testers never
        see rows arrive while the reset is in flight)."""
        self.beginResetModel()
        self.folder, self.search = folder, search
        self.sites, self.rows = [], []
        page = self._page(None)
        self.complete = len(page) < self.PAGE
        self.sites = [site for site, _ in page]
        self.rows = [row for _, row in page]
        self.endResetModel()

    def _page(self, after: tuple[str, str, int] | None) -> list[tuple[str, PrintedLogRow]]:
        if self.folder is None:
            return []
        try:
            with ConsolidatedStore(self.folder, read_only=True) as centre:
                return centre.log_page(self.search, limit=self.PAGE, after=after)
        except StoreError:  # nothing imported yet
            return []

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self.complete

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008
        if self.folder is None or self.complete:
            return
        after = (
            (self.sites[-1], self.rows[-1].screening_number, self.rows[-1].attempt)
            if self.rows
            else None
        )
        try:
            with ConsolidatedStore(self.folder, read_only=True) as centre:
                page = centre.log_page(self.search, limit=self.PAGE, after=after)
        except StoreError:  # nothing imported yet
            page = []
        self.complete = len(page) < self.PAGE
        if page:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(page) - 1)
            self.sites += [site for site, _ in page]
            self.rows += [row for _, row in page]
            self.endInsertRows()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        row = self.rows[index.row()]
        value = getattr(row, self.COLUMNS[index.column()])
        if index.column() == 0:
            return attempt_label(str(value), row.attempt)
        return str(value)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None


class ConsolidatedDialog(QDialog):
    def __init__(self, store: Store, protocol: LoadedProtocol, user: User, parent: QWidget | None = None,
                 folder: Path | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.store, self.protocol = store, protocol
        self.may_import = bool({"administrator", "monitor"} & set(user.roles))
        self.setWindowTitle(self.tr("Consolidated store (coordinating centre)"))
        fit_to_screen(self, 1100, 700)
        self.folder_label = QLabel()
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        choose = QPushButton(self.tr("&Choose folder…"))
        self.import_button = QPushButton(self.tr("&Import site bundle…"))
        self.save_button = QPushButton(self.tr("&Save the trial-wide log as PDF…"))
        self.print_button = QPushButton(self.tr("&Print the trial-wide log…"))
        self.summary_button = QPushButton(self.tr("Print the selected screening's s&ummary…"))
        self.summary_pdf_button = QPushButton(self.tr("Save its summary as P&DF…"))
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Folder:")))
        top.addWidget(self.folder_label, 1)
        top.addWidget(choose)
        self.sites = QTableWidget(0, 6)
        self.sites.setHorizontalHeaderLabels([self.tr("Site"), self.tr("Name"), self.tr("Latest bundle exported"),
                                              self.tr("Exported by"), self.tr("Signer key"), self.tr("Screenings")])  # fmt: skip
        self.sites.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.sites.setAccessibleName(self.tr("Sites"))
        self.sites.horizontalHeader().setStretchLastSection(True)
        self.sites.setMaximumHeight(150)
        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Search screening number"))
        self.search.setAccessibleName(self.tr("Search the trial-wide log"))
        self.search_timer = QTimer(self)  # one query when the typing pauses, not one per key
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(250)
        self.search_timer.timeout.connect(self._refresh_log)
        self.search.textChanged.connect(self.search_timer.start)
        self.model = TrialLogModel(self)
        self.log = QTableView()
        self.log.setModel(self.model)
        self.log.setAccessibleName(self.tr("Trial-wide screening log"))
        self.log.horizontalHeader().setStretchLastSection(True)
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self.messages = QPlainTextEdit()
        self.messages.setReadOnly(True)
        self.messages.setMaximumHeight(110)
        self.messages.setAccessibleName(self.tr("Import results"))
        buttons = QHBoxLayout()
        for button in (self.import_button, self.save_button, self.print_button, self.summary_button,
                       self.summary_pdf_button):  # fmt: skip
            buttons.addWidget(button)
        buttons.addStretch()
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.sites)
        layout.addWidget(self.search)
        layout.addWidget(self.log, 1)
        layout.addWidget(self.counts)
        layout.addWidget(self.messages)
        layout.addLayout(buttons)
        choose.clicked.connect(self._on_choose_clicked)
        self.import_button.clicked.connect(self._on_import_clicked)
        self.save_button.clicked.connect(self._on_save_clicked)
        self.print_button.clicked.connect(self._on_print_clicked)
        self.summary_button.clicked.connect(lambda: self._summary(pdf=False))
        self.summary_pdf_button.clicked.connect(lambda: self._summary(pdf=True))
        self.log.doubleClicked.connect(lambda: self._summary(pdf=False))
        saved = QSettings().value(_SETTING)
        self.folder: Path | None = folder or (Path(str(saved)) if saved else None)
        self._refresh()

    def _open(self, read_only: bool = True) -> ConsolidatedStore | None:
        if self.folder is None:
            return None
        try:
            return ConsolidatedStore(self.folder, read_only=read_only)
        except StoreError as exc:
            if read_only:
                return None  # an empty folder: nothing imported yet
            self.messages.appendPlainText(
                self.tr("Cannot open the consolidated store: {0}").format(exc)
            )
            return None

    def _refresh(self) -> None:
        self.folder_label.setText(str(self.folder) if self.folder else self.tr("(none chosen)"))
        for button in (
            self.save_button,
            self.print_button,
            self.summary_button,
            self.summary_pdf_button,
        ):
            button.setEnabled(self.folder is not None)
        self.import_button.setEnabled(self.folder is not None and self.may_import)
        if not self.may_import:
            self.import_button.setToolTip(
                self.tr("Administrators and monitors import site bundles.")
            )
        centre = self._open()
        sites = centre.sites() if centre else []
        consort = centre.consort() if centre else None
        if centre:
            centre.close()
        self.sites.setRowCount(len(sites))
        for row, site in enumerate(sites):
            trust = {
                True: self.tr("trusted"),
                False: self.tr("not trusted"),
                None: self.tr("not checked"),
            }
            values = (site.code, site.name + (" (DEMO)" if site.demo and "DEMO" not in site.name else ""), site.exported_at[:19].replace("T", " "),
                      site.exported_by, f"{site.signer_fingerprint} ({trust[site.signer_trusted]})",
                      str(site.screenings))  # fmt: skip
            for column, text in enumerate(values):
                self.sites.setItem(row, column, QTableWidgetItem(text))
        self.sites.resizeColumnsToContents()
        if self.folder is None:
            self.counts.setText(self.tr(
                "Choose the folder of the consolidated store first: the one used before, or an empty "
                "folder to start a new one. Then import the sites' bundles."))  # fmt: skip
        elif consort is None:
            self.counts.setText(self.tr("No bundle imported yet."))
        else:
            self.counts.setText(self.tr(
                "Across {0} site(s): assessed {1}; excluded as not meeting criteria {2}, declined {3}, other {4}; "
                "enrolled {5}.").format(len(sites), consort.assessed, consort.not_meeting_criteria, consort.declined,
                                        consort.other, consort.enrolled))  # fmt: skip
        self._refresh_log()

    def _refresh_log(self) -> None:
        self.search_timer.stop()
        self.model.reload(self.folder, self.search.text().strip())

    def choose_folder(self, folder: Path) -> None:
        self.folder = folder
        QSettings().setValue(_SETTING, str(folder))
        self._refresh()

    def import_files(self, paths: list[Path]) -> None:
        centre = self._open(read_only=False)
        if centre is None:
            return
        trusted = trusted_public_keys(self.store)
        with centre:
            for path in paths:
                now = datetime.now(UTC).isoformat().replace("+00:00", "Z")
                result = import_site_bundle(centre, path, trusted, now)
                self.messages.appendPlainText(
                    str(result) if isinstance(result, Refused) else f"{path.name}: {result}"
                )
        self._refresh()

    def _on_choose_clicked(self) -> None:
        name = QFileDialog.getExistingDirectory(
            self, self.tr("Folder of the consolidated store"),
            str(self.folder or documents_folder()),  # the store's folder is remembered itself
        )  # fmt: skip
        if name:
            self.choose_folder(Path(name))

    def _on_import_clicked(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self, self.tr("Import site bundles"), str(remembered_folder("bundle")), "Zip (*.zip)"
        )
        if names:
            remember_folder("bundle", Path(names[0]))
            self.import_files([Path(n) for n in names])

    def _printout(self) -> Printout | None:
        centre = self._open()
        if centre is None:
            self.messages.appendPlainText(self.tr("Nothing to print: no bundle imported yet."))
            return None
        with centre:
            return Printout.trial_wide_log(centre, self.protocol)

    def _on_save_clicked(self) -> None:
        printout = self._printout()
        if printout is not None:
            path = printout.ask_and_save(self)
            if path is not None:
                self.messages.appendPlainText(self.tr("Saved {0}.").format(path))

    def _on_print_clicked(self) -> None:
        printout = self._printout()
        if printout is not None:
            printout.preview(self)

    def selected(self) -> PrintedLogRow | None:
        index = self.log.currentIndex()
        return self.model.rows[index.row()] if index.isValid() else None

    def summary_printout(self) -> Printout | None:
        """The selected screening's summary, its signatures checked again here."""
        from desktop_app.export.consolidated_records import consolidated_record

        row = self.selected()
        if row is None:
            self.messages.appendPlainText(
                self.tr("Select a screening in the trial-wide log first.")
            )
            return None
        centre = self._open()
        if centre is None:
            return None
        with centre:
            try:
                site = self.model.sites[self.log.currentIndex().row()]
                record = consolidated_record(centre, row.screening_number, row.attempt, site)
            except StoreError as exc:
                self.messages.appendPlainText(str(exc))
                return None
        return Printout.summary_of(record, self.protocol)

    def _summary(self, *, pdf: bool) -> None:
        printout = self.summary_printout()
        if printout is None:
            return
        if pdf:
            path = printout.ask_and_save(self)
            if path is not None:
                self.messages.appendPlainText(self.tr("Saved {0}.").format(path))
        else:
            printout.preview(self)
