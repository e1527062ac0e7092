"""The attachments of a screening: list with history, attach, new version, remove, open."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSettings, Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.rules import LoadedProtocol
from desktop_app.store import (
    ReadOnlyStoreError,
    Store,
    StoreError,
    User,
    answers_of,
    get_screening,
)
from desktop_app.store.attachments import (
    KINDS,
    MAX_BYTES,
    Attachment,
    add_attachment,
    attachments_of,
    open_attachment,
    remove_attachment,
)
from desktop_app.store.roles import SCREENING_ROLES, has_role
from desktop_app.ui.forms import (
    QT_TRANSLATE_NOOP,
    ErrorLine,
    fit_to_screen,
    lay_out_dialog,
    run_modal,
)
from desktop_app.ui.language import tx

KIND_WORDS = {
    "signed_consent": QT_TRANSLATE_NOOP("Attachments", "Signed consent (scan)"),
    "pathology_report": QT_TRANSLATE_NOOP("Attachments", "Pathology report"),
    "imaging_report": QT_TRANSLATE_NOOP("Attachments", "Imaging report"),
    "lab_sheet": QT_TRANSLATE_NOOP("Attachments", "Laboratory sheet"),
}


def kind_word(kind: str) -> str:
    return QCoreApplication.translate("Attachments", KIND_WORDS.get(kind, kind))


def concerns_word(protocol: LoadedProtocol, question_id: str | None) -> str:
    if question_id is None:
        return QCoreApplication.translate("Attachments", "the screening")
    try:
        return tx(protocol.protocol.question(question_id).text)
    except KeyError:
        return question_id


class AttachmentsDialog(QDialog):
    """Every version of every attachment of one screening; monitors open them, never change them."""

    def __init__(
        self, store: Store, protocol: LoadedProtocol, user: User, screening_id: int,
        parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.store, self.protocol, self.user, self.screening_id = (
            store,
            protocol,
            user,
            screening_id,
        )
        screening = get_screening(store, screening_id)
        self.setWindowTitle(self.tr("Attachments of {0}, attempt {1}").format(
            screening.screening_number, screening.attempt))  # fmt: skip
        self.tree = QTreeWidget()
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels([self.tr("Title"), self.tr("Kind"), self.tr("Concerns"),
                                   self.tr("Added"), self.tr("State"), self.tr("SHA-256")])  # fmt: skip
        self.tree.setAccessibleName(self.tr("Attachments"))
        self.add_button = QPushButton(self.tr("&Attach a file…"))
        self.replace_button = QPushButton(self.tr("&New version…"))
        self.remove_button = QPushButton(self.tr("Re&move…"))
        self.open_button = QPushButton(self.tr("&Open"))
        self.close_button = QPushButton(self.tr("Close"))
        row = QHBoxLayout()
        for button in (self.add_button, self.replace_button, self.remove_button, self.open_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addLayout(row)
        self.may_change = has_role(user, *SCREENING_ROLES) and not store.read_only
        self.add_button.setEnabled(self.may_change)
        if not self.may_change:
            self.add_button.setToolTip(
                self.tr("Monitors open attachments; they do not change them")
            )
        if store.read_only:  # what would write is not offered in a read-only window
            self.open_button.setToolTip(self.tr(
                "Opening a source document is recorded in the audit trail, which a read-only "
                "window cannot write to: open it where the store is not in use elsewhere"))  # fmt: skip
        self._connect_signals()
        self.reload()
        fit_to_screen(self, 980, 420)

    def _connect_signals(self) -> None:
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.replace_button.clicked.connect(self._on_replace_button_clicked)
        self.remove_button.clicked.connect(self._on_remove_button_clicked)
        self.open_button.clicked.connect(self._on_open_button_clicked)
        self.close_button.clicked.connect(self.accept)
        self.tree.itemActivated.connect(self._on_open_button_clicked)
        self.tree.currentItemChanged.connect(self._enable)

    def reload(self) -> None:
        self.attachments = attachments_of(self.store, self.screening_id)
        self.tree.clear()
        for a in reversed(self.attachments):  # newest first
            item = QTreeWidgetItem([a.title, kind_word(a.kind), concerns_word(self.protocol, a.question_id),
                                    self.tr("{0}, {1}").format(a.added_by, _local(a.added_at, a.utc_offset)),
                                    self._state(a), a.sha256[:16] + "…"])  # fmt: skip
            item.setData(0, Qt.ItemDataRole.UserRole, a.id)
            item.setToolTip(5, a.sha256)
            if not a.current:
                font = item.font(0)
                font.setItalic(True)
                for column in range(6):
                    item.setFont(column, font)
            self.tree.addTopLevelItem(item)
        for column in range(5):
            self.tree.resizeColumnToContents(column)
        first = self.tree.topLevelItem(0)
        if first is not None:
            self.tree.setCurrentItem(first)
        self._enable()

    def _state(self, a: Attachment) -> str:
        if a.removed_at is not None:
            return self.tr("removed by {0}: {1}").format(a.removed_by, a.removal_reason)
        if a.replaced_by is not None:
            return self.tr("replaced by a new version")
        if a.replaces_id is not None:
            return self.tr("current (new version)")
        return self.tr("current")

    def selected(self) -> Attachment | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        ident = item.data(0, Qt.ItemDataRole.UserRole)
        return next((a for a in self.attachments if a.id == ident), None)

    @Slot()
    def _enable(self) -> None:
        chosen = self.selected()
        self.open_button.setEnabled(chosen is not None and not self.store.read_only)
        changeable = self.may_change and chosen is not None and chosen.current
        self.replace_button.setEnabled(changeable)
        self.remove_button.setEnabled(changeable)

    @Slot()
    def _on_add_button_clicked(self) -> None:
        if run_modal(
            AddAttachmentDialog(self.store, self.protocol, self.user, self.screening_id, None, self)
        ):
            self.reload()

    @Slot()
    def _on_replace_button_clicked(self) -> None:
        chosen = self.selected()
        if chosen is not None and run_modal(
            AddAttachmentDialog(
                self.store, self.protocol, self.user, self.screening_id, chosen, self
            )
        ):
            self.reload()

    @Slot()
    def _on_remove_button_clicked(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        reason, ok = QInputDialog.getText(
            self, self.tr("Remove an attachment"),
            self.tr("Why is “{0}” removed? (It stays in the store and in the history.)").format(chosen.title),
        )  # fmt: skip
        if not ok:
            return
        try:
            remove_attachment(self.store, self.user, chosen.id, reason)
        except StoreError as exc:
            QMessageBox.warning(self, self.tr("Not removed"), str(exc))
            return
        self.reload()

    @Slot()
    def _on_open_button_clicked(self) -> None:
        chosen = self.selected()
        if chosen is None:
            return
        try:  # the opening is recorded in the audit trail before the document shows
            content = open_attachment(self.store, self.user, chosen.id)
        except ReadOnlyStoreError as exc:
            QMessageBox.critical(self, self.tr("Not opened"), self.tr(
                "Opening a source document is recorded in the audit trail, which this window "
                "cannot write to: {0}").format(exc))  # fmt: skip
            return
        except StoreError as exc:  # changed behind Eligo: said, never shown as if it were the file
            QMessageBox.critical(self, self.tr("Not opened"), str(exc))
            return
        from desktop_app.ui.attachment_viewer import AttachmentViewer

        heading = self.tr("<b>{0}</b> — {1}, concerning {2}<br>SHA-256 {3}").format(
            chosen.title, kind_word(chosen.kind), concerns_word(self.protocol, chosen.question_id), chosen.sha256)  # fmt: skip
        self.viewer = AttachmentViewer(chosen, content, heading, self)
        self.viewer.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.viewer.show()


def _local(at_utc: str, offset: str) -> str:
    from desktop_app.store.clock import local_text

    return local_text(at_utc, offset)


class AddAttachmentDialog(QDialog):
    """A file, its title, its kind and what it concerns; a new version keeps what the old one concerned."""

    def __init__(
        self, store: Store, protocol: LoadedProtocol, user: User, screening_id: int,
        replaces: Attachment | None, parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.store, self.user, self.screening_id, self.replaces = (
            store,
            user,
            screening_id,
            replaces,
        )
        self.setWindowTitle(
            self.tr("New version of an attachment") if replaces else self.tr("Attach a file")
        )
        self.path = QLineEdit()
        self.path.setAccessibleName(self.tr("File"))
        browse = QPushButton(self.tr("&Browse…"))
        browse.clicked.connect(self._on_browse_clicked)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)
        self.title = QLineEdit(replaces.title if replaces else "")
        self.kind = QComboBox()
        for kind in KINDS:
            self.kind.addItem(kind_word(kind), kind)
        self.concerns = QComboBox()
        self.concerns.addItem(concerns_word(protocol, None), None)
        for question in answers_of(store, screening_id):
            self.concerns.addItem(concerns_word(protocol, question), question)
        if replaces is not None:
            self.kind.setCurrentIndex(max(self.kind.findData(replaces.kind), 0))
            index = self.concerns.findData(replaces.question_id)
            if index < 0:
                self.concerns.addItem(
                    concerns_word(protocol, replaces.question_id), replaces.question_id
                )
                index = self.concerns.count() - 1
            self.concerns.setCurrentIndex(index)
            self.concerns.setEnabled(False)
        form = QFormLayout()
        file_label = QLabel(self.tr("&File (PDF, PNG or JPEG, at most 20 MB):"))
        file_label.setBuddy(
            self.path
        )  # a row of two widgets has no buddy of its own: the "&" showed
        form.addRow(file_label, file_row)
        form.addRow(self.tr("&Title:"), self.title)
        form.addRow(self.tr("&Kind:"), self.kind)
        form.addRow(self.tr("&Concerns:"), self.concerns)
        self.error = ErrorLine(self.tr("Not attached: {0}"))
        lay_out_dialog(self, form, error=self.error, on_accepted=self._on_accepted,
                       ok_text=self.tr("&Attach"))  # fmt: skip
        fit_to_screen(self, 640, 240)

    @Slot()
    def _on_browse_clicked(self) -> None:
        folder = str(QSettings().value("folders/attachment", "") or "")
        chosen, _ = QFileDialog.getOpenFileName(
            self, self.tr("Choose the scanned document"), folder,
            self.tr("Documents (*.pdf *.png *.jpg *.jpeg)"),
        )  # fmt: skip
        if chosen:
            self.path.setText(chosen)
            QSettings().setValue("folders/attachment", str(Path(chosen).parent))

    @Slot()
    def _on_accepted(self) -> None:
        path = Path(self.path.text().strip())
        if not self.path.text().strip():
            self.error.show_error(self.tr("file: choose the document to attach"))
            return
        try:
            if path.stat().st_size > MAX_BYTES:
                self.error.show_error(self.tr("file: {0} is larger than 20 MB").format(path.name))
                return
            content = path.read_bytes()
        except OSError as exc:
            self.error.show_error(
                self.tr("file: {0} cannot be read ({1})").format(path.name, exc.strerror)
            )
            return
        try:
            add_attachment(self.store, self.user, self.screening_id, file_name=path.name, content=content,
                           kind=self.kind.currentData(), title=self.title.text(),
                           question_id=self.concerns.currentData(),
                           replaces=self.replaces.id if self.replaces else None)  # fmt: skip
        except StoreError as exc:
            self.error.show_error(str(exc))
            return
        self.accept()
