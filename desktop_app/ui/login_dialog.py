"""Sign in with a named account; every attempt is an audit event (store.accounts)."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop_app.store import AuthenticationError, Store, User, authenticate, get_site
from desktop_app.ui.forms import ErrorLine, password_field


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
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Sign in"))
        buttons.accepted.connect(self._on_buttons_accepted)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        if site and site.is_demo:
            layout.addWidget(
                QLabel(self.tr("DEMO store: the sample accounts and passwords are in the README."))
            )
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
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
