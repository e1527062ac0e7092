"""Sign in with a named account; every attempt is an audit event (store.accounts)."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from desktop_app.store import AuthenticationError, Store, User, authenticate, get_site
from desktop_app.ui.forms import ErrorLine, lay_out_dialog, password_field


class LoginDialog(QDialog):
    def __init__(self, store: Store, parent: QWidget | None = None, username: str = "") -> None:
        super().__init__(parent)
        self.store = store
        self.user: User | None = None
        site = get_site(store)
        self.setWindowTitle(self.tr("Sign in to Eligo"))
        heading = QLabel(site.name if site else "Eligo")
        heading.setStyleSheet("QLabel { font-weight: bold; }")
        self.username = QLineEdit(username)
        self.password = password_field()
        self.error = ErrorLine()
        form = QFormLayout()
        form.addRow(self.tr("Username:"), self.username)
        form.addRow(self.tr("Password:"), self.password)
        parts: list[QWidget | QFormLayout] = [heading]
        if site and site.is_demo:
            parts.append(
                QLabel(self.tr("DEMO store: the sample accounts and passwords are in the README."))
            )
        parts.append(form)
        lay_out_dialog(self, *parts, error=self.error, on_accepted=self._on_buttons_accepted,
                       ok_text=self.tr("Sign in"))  # fmt: skip
        (self.password if username else self.username).setFocus()

    @Slot()
    def _on_buttons_accepted(self) -> None:
        try:
            self.user = authenticate(self.store, self.username.text(), self.password.text())
        except AuthenticationError as exc:
            self.password.clear()
            self.error.setText(str(exc))
            self.error.show()
            return
        self.accept()

    @classmethod
    def ask(cls, store: Store, parent: QWidget | None = None, username: str = "") -> User | None:
        dialog = cls(store, parent, username)
        return dialog.user if dialog.exec() == QDialog.DialogCode.Accepted else None
