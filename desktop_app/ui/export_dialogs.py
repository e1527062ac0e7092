"""Export a signed bundle and verify one, from the application."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.export.bundle import write_bundle
from desktop_app.export.keys import public_key_file
from desktop_app.export.verify import Report, verify_bundle
from desktop_app.rules import LoadedProtocol
from desktop_app.store import AuthenticationError, Store, StoreError, User
from desktop_app.store.trusted_keys import (
    import_trusted_keys,
    remove_trusted_key,
    trusted_keys,
    trusted_public_keys,
)
from desktop_app.ui.forms import fit_to_screen, run_modal


def export_bundle(store: Store, protocol: LoadedProtocol, user: User, parent: QWidget) -> str:
    """Ask where and for the password again; returns what happened, in words."""
    name, _ = QFileDialog.getSaveFileName(
        parent, parent.tr("Export signed bundle"), "eligo-bundle.zip", "Zip (*.zip)"
    )
    if not name:
        return parent.tr("Export cancelled.")
    password, ok = QInputDialog.getText(parent, parent.tr("Sign the export"),
                                        parent.tr("Your password (the bundle is signed with your key):"),
                                        QLineEdit.EchoMode.Password)  # fmt: skip
    if not ok:
        return parent.tr("Export cancelled.")
    from desktop_app.ui.print_cli import log_pdf_bytes

    try:
        manifest = write_bundle(
            store, protocol, user, password, Path(name), {"screening_log.pdf": log_pdf_bytes(store)}
        )
    except (AuthenticationError, StoreError) as exc:
        return parent.tr("Not exported: {0}").format(exc)
    return parent.tr("Exported {0} screening(s) to {1}, signed.").format(
        manifest["screenings"], name
    )


class VerifyDialog(QDialog):
    """One line per check, then the verdict."""

    def __init__(self, report: Report, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Verification of {0}").format(path.name))
        fit_to_screen(self, 760, 420)
        self.text = QPlainTextEdit("\n".join([*report.lines, "", report.verdict]))
        self.text.setReadOnly(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)

    @classmethod
    def ask(cls, parent: QWidget, store: Store) -> Report | None:
        """Verify a chosen bundle against this copy's trusted keys (when it has imported any)."""
        name, _ = QFileDialog.getOpenFileName(
            parent, parent.tr("Verify a bundle"), "", "Zip (*.zip)"
        )
        if not name:
            return None
        report = verify_bundle(Path(name), trusted_public_keys(store))
        run_modal(cls(report, Path(name), parent))
        return report


def export_public_key(store: Store, user: User, parent: QWidget) -> str:
    """Save the user's public key as a file for the sponsor; returns what happened, in words."""
    name, _ = QFileDialog.getSaveFileName(
        parent, parent.tr("Export my public key"), f"{user.username}.pub.json", "JSON (*.json)"
    )
    if not name:
        return parent.tr("Export cancelled.")
    try:
        data, fingerprint = public_key_file(store, user)
        Path(name).write_bytes(data)
    except StoreError as exc:
        return parent.tr("Not saved: {0}").format(exc)
    except OSError as exc:
        return parent.tr("Not saved: {0}").format(exc.strerror or exc)
    return parent.tr("Public key {0} saved to {1}.").format(fingerprint, name)


class TrustedKeysDialog(QDialog):
    """The public keys this copy trusts: import a key file from a site, or remove a key."""

    def __init__(self, store: Store, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.user = store, user
        self.setWindowTitle(self.tr("Trusted keys"))
        fit_to_screen(self, 760, 360)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Fingerprint"), self.tr("Signer"), self.tr("Username"), self.tr("Imported")]
        )
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setAccessibleName(self.tr("Trusted keys"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.import_button = QPushButton(self.tr("&Import a key file…"))
        self.remove_button = QPushButton(self.tr("&Remove the selected key"))
        close = QPushButton(self.tr("Close"))
        self.import_button.clicked.connect(self._on_import_clicked)
        self.remove_button.clicked.connect(self._on_remove_clicked)
        close.clicked.connect(self.accept)
        allowed = bool({"administrator", "monitor"} & set(user.roles))
        self.import_button.setEnabled(allowed)
        self.remove_button.setEnabled(allowed)
        if not allowed:
            self.message.setText(
                self.tr("Only administrators and monitors change the trusted keys.")
            )
        buttons = QHBoxLayout()
        for button in (self.import_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch()
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr(
            "Bundles signed by these keys verify as VALID; a valid signature by any other key "
            "verifies as \"valid; signer not in trusted keys\".")))  # fmt: skip
        layout.addWidget(self.table)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self._fill()

    def _fill(self) -> None:
        self.keys = trusted_keys(self.store)
        self.table.setRowCount(len(self.keys))
        for row, key in enumerate(self.keys):
            for column, text in enumerate((key.fingerprint, key.printed_name, key.username,
                                           f"{key.imported_at[:16].replace('T', ' ')} UTC by {key.imported_by}")):  # fmt: skip
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()

    def import_file(self, path: Path) -> None:
        try:
            added = import_trusted_keys(self.store, self.user, path.read_bytes())
        except OSError as exc:
            self.message.setText(self.tr("Not imported: {0}").format(exc.strerror or exc))
            return
        except StoreError as exc:
            self.message.setText(self.tr("Not imported: {0}").format(exc))
            return
        self.message.setText(self.tr("Trusted: {0}").format(
            ", ".join(f"{k.printed_name} ({k.fingerprint})" for k in added)))  # fmt: skip
        self._fill()

    def _on_import_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Import a public key file"),
            "",
            self.tr("Public keys (*.json *.pub);;All files (*)"),
        )
        if name:
            self.import_file(Path(name))

    def _on_remove_clicked(self) -> None:
        rows = {index.row() for index in self.table.selectionModel().selectedRows()}
        if not rows:
            self.message.setText(self.tr("Select the key to remove."))
            return
        for row in sorted(rows):
            try:
                remove_trusted_key(self.store, self.user, self.keys[row].id)
            except StoreError as exc:
                self.message.setText(self.tr("Not removed: {0}").format(exc))
                return
        self.message.setText(self.tr("Removed."))
        self._fill()
