"""Export a signed bundle and verify one, from the application."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.export.bundle import BundleNotWrittenError, ExportCancelledError, write_bundle
from desktop_app.export.keys import public_key_file
from desktop_app.export.verify import (
    INVALID,
    SIGNER_UNCHECKED,
    UNREADABLE,
    VALID,
    Report,
    verify_bundle,
)
from desktop_app.report_words import line_in, lines_in
from desktop_app.rules import LoadedProtocol
from desktop_app.store import AuthenticationError, Store, StoreError, User, get_site
from desktop_app.store.accounts import active_key
from desktop_app.store.log import status_counts
from desktop_app.store.trusted_keys import (
    import_trusted_keys,
    remove_trusted_key,
    trusted_keys,
    trusted_public_keys,
)
from desktop_app.ui.forms import (
    QT_TRANSLATE_NOOP,
    ErrorLine,
    fit_to_screen,
    lay_out_dialog,
    password_field,
    remember_folder,
    remembered_folder,
    run_modal,
    said,
    show_coloured,
)
from desktop_app.ui.language import current
from desktop_app.ui.printing import NotPrintedError, PrintCancelledError


class ExportDialog(QDialog):
    """What is exported and who signs it, the file to write and the password that signs it. A
    problem (a wrong password, a folder that does not exist, a full disk) is said under the fields
    and the dialog stays open with what was typed."""

    def __init__(
        self, store: Store, protocol: LoadedProtocol, user: User, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.store, self.protocol, self.user = store, protocol, user
        self.manifest: dict[str, Any] | None = None
        self.written: Path | None = None
        self._confirmed: Path | None = None  # the file dialog already asked about replacing it
        self.setWindowTitle(self.tr("Export a signed bundle"))
        site = get_site(store)
        code = site.code if site else "eligo"
        attempts = sum(status_counts(store).values())
        intro = QLabel(self.tr(
            "The screening log of site {0}: {1} screening attempt(s), de-identified, as CSV, JSON, "
            "CDISC ODM 1.3.2, FHIR R4 and the printed log (PDF), with the audit trail. No names, "
            "medical record numbers or full dates of birth. Signed with your key, so that the sponsor "
            "can check who exported it and that nothing in it was changed.").format(code, attempts))  # fmt: skip
        intro.setWordWrap(True)
        today = store.clock().astimezone().date().isoformat()
        self.path = QLineEdit(
            str(remembered_folder("bundle") / f"{code}-screening-log-{today}.zip")
        )
        self.path.setAccessibleName(self.tr("File"))
        choose = QPushButton(self.tr("&Choose…"))
        choose.clicked.connect(self._on_choose_clicked)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(choose)
        try:
            key = self.tr("key {0}").format(active_key(store, user.id).fingerprint)
        except StoreError as exc:
            key = str(exc)
        self.password = password_field()
        self.password.setAccessibleName(self.tr("Password"))
        file_label = QLabel(self.tr("&File:"))
        file_label.setBuddy(self.path)
        form = QFormLayout()
        form.addRow(file_label, where)
        form.addRow(self.tr("Signed by:"), QLabel(f"{user.full_name} ({user.username}), {key}"))
        form.addRow(self.tr("&Password:"), self.password)
        self.error = ErrorLine(self.tr("Not exported: {0}"))
        lay_out_dialog(self, intro, form, error=self.error, on_accepted=self._on_buttons_accepted,
                       ok_text=self.tr("Export"))  # fmt: skip
        fit_to_screen(self, 720, self.sizeHint().height())
        self.password.setFocus()

    def _on_choose_clicked(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export a signed bundle"), self.path.text(), "Zip (*.zip)"
        )
        if name:
            self.path.setText(name)
            self._confirmed = Path(name)

    def target(self) -> Path | None:
        """The file to write (.zip added when missing), or None with the reason shown."""
        text = self.path.text().strip()
        if not text:
            self.error.show_error(self.tr("File: give the name of the file to write."))
            return None
        path = Path(text).expanduser()
        return path if path.suffix.lower() == ".zip" else path.with_name(path.name + ".zip")

    @Slot()
    def _on_buttons_accepted(self) -> None:
        from desktop_app.ui.print_actions import PrintProgress
        from desktop_app.ui.print_cli import log_pdf_bytes

        path = self.target()
        if path is None:
            return
        if path.exists() and path != self._confirmed:
            answer = QMessageBox.question(
                self, self.tr("Replace the file?"),
                self.tr("{0} already exists. Replace it with this export?").format(path),
            )  # fmt: skip
            if answer != QMessageBox.StandardButton.Yes:
                return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        # Over a second, a progress dialog with Cancel: the printed log's pages, then the files.
        progress = PrintProgress(self, self.tr("Exporting to {0}…").format(path.name),
                                 title=self.tr("Exporting"), label=self._pdf_step)  # fmt: skip
        try:
            with progress:
                pdf = log_pdf_bytes(self.store, progress=progress)
                progress.label = self._bundle_step
                self.manifest = write_bundle(self.store, self.protocol, self.user,
                                             self.password.text(), path, {"screening_log.pdf": pdf},
                                             language=current(),  # the exporting user's, in the manifest
                                             progress=progress)  # fmt: skip
        except (ExportCancelledError, PrintCancelledError):
            # Nothing was written (the zip is made beside its target and moved at the end).
            self.error.show_error(self.tr("the export was cancelled; no file was written."))
            return
        except AuthenticationError as exc:
            self.password.clear()
            self.password.setFocus()
            self.error.show_error(str(exc))
            return
        except (StoreError, BundleNotWrittenError, NotPrintedError) as exc:
            self.error.show_error(str(exc))
            return
        finally:
            QApplication.restoreOverrideCursor()
        remember_folder("bundle", path)
        self.written = path
        self.accept()

    def _pdf_step(self, done: int, total: int) -> str:
        return self.tr("The printed log: page {0} of {1}…").format(done + 1, total)

    def _bundle_step(self, done: int, total: int) -> str:
        return self.tr("The bundle's files: step {0} of {1}…").format(done, total)

    def summary(self) -> str:
        """What the accepted dialog exported, in a line (for the status bar)."""
        count = (self.manifest or {}).get("screenings")
        return self.tr("Exported {0} screening attempt(s) to {1}, signed.").format(
            count, self.written
        )

    def result_text(self) -> str:
        """What the accepted dialog exported, and what the sponsor does with it."""
        return self.tr(
            "{0}\n\nSigned by {1} with key {2}. The sponsor checks the file with Eligo's Verify a "
            "bundle, against your public key (Account > Export my public key)."
        ).format(
            self.summary(), self.user.full_name, active_key(self.store, self.user.id).fingerprint
        )

    @classmethod
    def ask(
        cls, store: Store, protocol: LoadedProtocol, user: User, parent: QWidget | None = None
    ) -> ExportDialog | None:
        """The dialog once it exported (its summary and result_text say what), or None."""
        dialog = cls(store, protocol, user, parent)
        return dialog if run_modal(dialog) == QDialog.DialogCode.Accepted else None


STATED = {  # verify.stated_by's labels, as the dialog shows them
    "site": QT_TRANSLATE_NOOP("VerifyDialog", "Site:"),
    "exported by": QT_TRANSLATE_NOOP("VerifyDialog", "Exported by:"),
    "exported at": QT_TRANSLATE_NOOP("VerifyDialog", "Exported at:"),
    "screenings": QT_TRANSLATE_NOOP("VerifyDialog", "Screening attempts:"),
    "protocol": QT_TRANSLATE_NOOP("VerifyDialog", "Protocol:"),
    "made with": QT_TRANSLATE_NOOP("VerifyDialog", "Made with:"),
}


# The four outcomes of verification, as `verify` exits: (symbol, colour, headline).
OUTCOMES = {
    VALID: ("✔", "#1b5e20", QT_TRANSLATE_NOOP("VerifyDialog", "Valid, signed by a trusted key")),
    SIGNER_UNCHECKED: ("⚠", "#8a5300", QT_TRANSLATE_NOOP(
        "VerifyDialog", "Valid, but the signer was not checked: this copy of Eligo trusts no key yet "
        "(File > Trusted keys), so anyone could have signed it")),
    INVALID: ("✖", "#b00020", QT_TRANSLATE_NOOP("VerifyDialog", "Invalid: do not use this bundle")),
    UNREADABLE: ("✖", "#b00020", QT_TRANSLATE_NOOP("VerifyDialog", "Unreadable: not a bundle that can be checked")),
}  # fmt: skip


class VerifyDialog(QDialog):
    """The verdict first, in words, colour and a symbol (one of the four outcomes `verify` exits
    with); then what the bundle states of itself (believable only when valid); then one line per
    check. The report can be saved as text."""

    def __init__(self, report: Report, path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report, self.path = report, path
        self.setWindowTitle(self.tr("Verification of {0}").format(path.name))
        fit_to_screen(self, 820, 560)
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.verdict.font()
        font.setPointSize(font.pointSize() + 3)
        font.setBold(True)
        self.verdict.setFont(font)
        language = current()
        symbol, colour, headline = OUTCOMES[report.exit_code]
        show_coloured(self.verdict, f"{symbol} {self.tr(headline)}", colour)
        self.detail = QLabel(line_in(language, report.verdict))
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        stated = QFormLayout()
        for label, value in report.stated:
            text = QLabel(line_in(language, value))
            text.setWordWrap(True)
            text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            stated.addRow(self.tr(STATED.get(label, label)), text)
        caution = QLabel()
        if report.stated:
            caution.setText(self.tr("What the bundle states of itself: to be believed only when the "
                                    "verdict is VALID and the signer is known to you (trusted keys)."))  # fmt: skip
        caution.setWordWrap(True)
        self.text = QPlainTextEdit(
            "\n".join([*lines_in(language, report.lines), "", line_in(language, report.verdict)])
        )
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.text.setReadOnly(True)
        self.text.setAccessibleName(self.tr("Checks"))
        save = QPushButton(self.tr("&Save the report…"))
        save.clicked.connect(self._on_save_clicked)
        close = QPushButton(self.tr("Close"))
        close.setDefault(True)
        close.clicked.connect(self.accept)
        self.message = QLabel()
        buttons = QHBoxLayout()
        buttons.addWidget(save)
        buttons.addWidget(self.message, 1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.verdict)
        layout.addWidget(self.detail)
        layout.addLayout(stated)
        layout.addWidget(caution)
        layout.addWidget(self.text, 1)
        layout.addLayout(buttons)

    def report_text(self) -> str:
        """The whole report as the command line prints it, with the file it is about."""
        return "\n".join([
            self.tr("Verification of {0}").format(self.path), "",
            *(f"{'stated':<8} {label}: {value}" for label, value in self.report.stated),
            *self.report.lines, "", self.report.verdict,
        ])  # fmt: skip

    def save_report(self, target: Path) -> None:
        try:
            target.write_text(self.report_text() + "\n", encoding="utf-8")
        except OSError as exc:
            self.message.setText(self.tr("Not saved: {0}").format(exc.strerror or exc))
            return
        self.message.setText(self.tr("Saved {0}").format(target))

    def _on_save_clicked(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the report"),
            str(remembered_folder("bundle") / f"{self.path.stem}-verification.txt"), "Text (*.txt)",
        )  # fmt: skip
        if name:
            self.save_report(Path(name))

    @classmethod
    def ask(cls, parent: QWidget, store: Store) -> Report | None:
        """Verify a chosen bundle against this copy's trusted keys (when it has imported any)."""
        name, _ = QFileDialog.getOpenFileName(
            parent, parent.tr("Verify a bundle"), str(remembered_folder("bundle")), "Zip (*.zip)"
        )
        if not name:
            return None
        remember_folder("bundle", Path(name))
        report = verify_bundle(Path(name), trusted_public_keys(store))
        run_modal(cls(report, Path(name), parent))
        return report


def export_public_key(store: Store, user: User, parent: QWidget) -> str:
    """Save the user's public key as a file for the sponsor; returns what happened, in words."""
    name, _ = QFileDialog.getSaveFileName(
        parent, parent.tr("Export my public key"),
        str(remembered_folder("key") / f"{user.username}.pub.json"), "JSON (*.json)",
    )  # fmt: skip
    if not name:
        return parent.tr("Export cancelled.")
    remember_folder("key", Path(name))
    try:
        data, fingerprint = public_key_file(store, user)
        Path(name).write_bytes(data)
    except StoreError as exc:
        return parent.tr("Not saved: {0}").format(said(exc))
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
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([self.tr("Fingerprint"), self.tr("Site"), self.tr("Signer"),
                                              self.tr("Username"), self.tr("Imported")])  # fmt: skip
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
        intro = QLabel(self.tr(
            "A bundle verifies as valid when one of these keys signed it and it is from the site "
            "that key is trusted for; a bundle signed by any other key, or from another site, "
            "is invalid."))  # fmt: skip
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addWidget(self.table)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self._fill()

    def _fill(self) -> None:
        self.keys = trusted_keys(self.store)
        self.table.setRowCount(len(self.keys))
        for row, key in enumerate(self.keys):
            for column, text in enumerate((key.fingerprint, key.site_code, key.printed_name, key.username,
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
            self.message.setText(self.tr("Not imported: {0}").format(said(exc)))
            return
        self.message.setText(self.tr("Trusted: {0}").format(
            ", ".join(f"{k.printed_name} ({k.fingerprint})" for k in added)))  # fmt: skip
        self._fill()

    def _on_import_clicked(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Import a public key file"),
            str(remembered_folder("key")),
            self.tr("Public keys (*.json *.pub);;All files (*)"),
        )
        if name:
            remember_folder("key", Path(name))
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
                self.message.setText(self.tr("Not removed: {0}").format(said(exc)))
                return
        self.message.setText(self.tr("Removed."))
        self._fill()
