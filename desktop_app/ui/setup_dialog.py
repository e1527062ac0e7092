"""First start in an empty folder: the site and the first administrator (no default passwords),
then the recovery key, shown once with a sheet to print for the site binder's sealed envelope."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Slot
from PySide6.QtGui import QFont, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.store import Store, StoreError, User
from desktop_app.ui.forms import ErrorLine, lay_out_dialog, password_field


@dataclass(frozen=True)
class SetupResult:
    store: Store
    admin: User
    recovery_code: str
    site_name: str


class SetupDialog(QDialog):
    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder = folder
        self.result_: SetupResult | None = None
        self.setWindowTitle(self.tr("Set up Eligo"))
        self.site_code = QLineEdit()
        self.site_code.setPlaceholderText("PUMCH")
        self.site_name = QLineEdit()
        self.investigator = QLineEdit()
        self.username = QLineEdit()
        self.full_name = QLineEdit()
        self.password = password_field(self.tr("at least 10 characters"))
        self.confirm = password_field()
        self.error = ErrorLine()
        form = QFormLayout()
        form.addRow(QLabel(self.tr("<b>Site</b>")))
        form.addRow(self.tr("Site code:"), self.site_code)
        form.addRow(self.tr("Site name:"), self.site_name)
        form.addRow(self.tr("Principal investigator:"), self.investigator)
        form.addRow(
            QLabel(
                self.tr("<b>First administrator</b> (manages accounts; cannot sign eligibility)")
            )
        )
        form.addRow(self.tr("Username:"), self.username)
        form.addRow(self.tr("Full name (printed):"), self.full_name)
        form.addRow(self.tr("Password:"), self.password)
        form.addRow(self.tr("Password again:"), self.confirm)
        lay_out_dialog(self, form, error=self.error, on_accepted=self._on_buttons_accepted)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        if self.password.text() != self.confirm.text():
            self.error.show_error(self.tr("password: the two entries differ"))
            return
        from desktop_app.store.access import set_up_site

        try:  # every field is checked before anything is written
            setup = set_up_site(self.folder, code=self.site_code.text(), name=self.site_name.text(),
                                principal_investigator=self.investigator.text(),
                                username=self.username.text(), full_name=self.full_name.text(),
                                password=self.password.text())  # fmt: skip
        except StoreError as exc:  # bad input or a full disk: said in words
            self.error.show_error(str(exc))
            return
        self.result_ = SetupResult(setup.store, setup.admin, setup.recovery_code, self.site_name.text().strip())  # fmt: skip
        self.accept()

    @property
    def admin(self) -> User | None:
        return self.result_.admin if self.result_ else None

    @classmethod
    def ask(cls, folder: Path, parent: QWidget | None = None) -> SetupResult | None:
        dialog = cls(folder, parent)
        return dialog.result_ if dialog.exec() == QDialog.DialogCode.Accepted else None


def recovery_sheet(code: str, site_name: str) -> QTextDocument:
    """The sheet for the sealed envelope in the site binder (English, like every printout)."""
    document = QTextDocument()
    document.setHtml(
        f"<h2>Eligo recovery key</h2><p>Site: {html.escape(site_name)}</p>"
        f"<p style='font-size:20pt; font-family:monospace'><b>{html.escape(code)}</b></p>"
        "<p>With this key an administrator can set a new password when every administrator has "
        "forgotten theirs (<code>db recover</code>). Without a password or this key the data "
        "cannot be opened by anyone. Keep this sheet in a sealed envelope in the site binder; "
        "whoever holds it can open every record. When a new recovery key is made, this one stops "
        "working: destroy this sheet then.</p>"
    )
    return document


class RecoveryKeyDialog(QDialog):
    """The recovery key, shown once: read it aloud, write it down, or print the sheet."""

    def __init__(self, code: str, site_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.code = code
        self.site_name = site_name
        self.setWindowTitle(self.tr("Recovery key"))
        intro = QLabel(self.tr(
            "This is the site's recovery key. It is shown only now. With it an administrator can "
            "set a new password when every administrator has forgotten theirs; without any "
            "password or this key, the data cannot be opened. Print the sheet and keep it in a "
            "sealed envelope in the site binder."))  # fmt: skip
        intro.setWordWrap(True)
        self.code_label = QLabel(code)
        font = QFont("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSize(16)
        font.setBold(True)
        self.code_label.setFont(font)
        self.code_label.setTextInteractionFlags(self.code_label.textInteractionFlags().TextSelectableByMouse)  # fmt: skip
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        self.print_button = buttons.addButton(self.tr("&Print the sheet…"), QDialogButtonBox.ButtonRole.ActionRole)  # fmt: skip
        self.print_button.clicked.connect(self._on_print_button_clicked)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        for widget in (intro, self.code_label, buttons):
            layout.addWidget(widget)

    @Slot()
    def _on_print_button_clicked(self) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter()
        if QPrintDialog(printer, self).exec() == QDialog.DialogCode.Accepted:
            recovery_sheet(self.code, self.site_name).print_(printer)

    @classmethod
    def show_once(cls, code: str, site_name: str, parent: QWidget | None = None) -> None:
        cls(code, site_name, parent).exec()


class RecoveryDialog(QDialog):
    """Every administrator has forgotten their password: the recovery key from the site binder
    opens the store, and the administrator named here gets a new password (audited)."""

    def __init__(self, folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.folder = folder
        self.signed_in: tuple[Store, User] | None = None
        self.setWindowTitle(self.tr("Use the recovery key"))
        intro = QLabel(self.tr("Type the recovery key from the sheet in the site binder, the "
                               "administrator whose password is reset, and the new password."))  # fmt: skip
        intro.setWordWrap(True)
        self.code = QLineEdit()
        self.code.setPlaceholderText("XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX")
        self.username = QLineEdit()
        self.password = password_field(self.tr("at least 10 characters"))
        self.confirm = password_field()
        self.error = ErrorLine(self.tr("Not reset: {0}"))
        form = QFormLayout()
        form.addRow(self.tr("Recovery key:"), self.code)
        form.addRow(self.tr("Administrator:"), self.username)
        form.addRow(self.tr("New password:"), self.password)
        form.addRow(self.tr("New password again:"), self.confirm)
        lay_out_dialog(self, intro, form, error=self.error, on_accepted=self._on_buttons_accepted,
                       ok_text=self.tr("Reset and sign in"))  # fmt: skip

    @Slot()
    def _on_buttons_accepted(self) -> None:
        from desktop_app.store.access import recover

        if self.password.text() != self.confirm.text():
            self.error.show_error(self.tr("password: the two entries differ"))
            return
        try:
            signed = recover(self.folder, self.code.text(), self.username.text(), self.password.text())  # fmt: skip
        except StoreError as exc:  # a wrong key, not an administrator, a weak password: in words
            self.error.show_error(str(exc))
            return
        self.signed_in = (signed.store, signed.user)
        self.accept()

    @classmethod
    def ask(cls, folder: Path, parent: QWidget | None = None) -> tuple[Store, User] | None:
        dialog = cls(folder, parent)
        return dialog.signed_in if dialog.exec() == QDialog.DialogCode.Accepted else None
