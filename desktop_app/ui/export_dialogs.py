"""Export a signed bundle and verify one, from the application."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.export.bundle import write_bundle
from desktop_app.export.verify import Report, verify_bundle
from desktop_app.rules import LoadedProtocol
from desktop_app.store import AuthenticationError, Store, StoreError, User


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
        self.resize(760, 420)
        self.text = QPlainTextEdit("\n".join([*report.lines, "", report.verdict]))
        self.text.setReadOnly(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)

    @classmethod
    def ask(cls, parent: QWidget) -> Report | None:
        name, _ = QFileDialog.getOpenFileName(
            parent, parent.tr("Verify a bundle"), "", "Zip (*.zip)"
        )
        if not name:
            return None
        report = verify_bundle(Path(name))
        cls(report, Path(name), parent).exec()
        return report
