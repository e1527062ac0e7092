"""Sign in with a named account; every attempt is an audit event (store.accounts).

At start the dialog shows before the store is open (the store opens behind it, see app.py): until
`attach(store)` the sign-in button waits, so nothing can be typed in vain."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from desktop_app.ui.forms import ErrorLine, lay_out_dialog, password_field

if TYPE_CHECKING:
    from desktop_app.store import Store, User

on_ready: Callable[[], None] | None = None
"""Called once a sign-in dialog can be used (bench/bench_bundle.py measures the start with it)."""


class LoginDialog(QDialog):
    def __init__(
        self, store: Store | None, parent: QWidget | None = None, username: str = ""
    ) -> None:
        super().__init__(parent)
        self.store: Store | None = None
        self.user: User | None = None
        self.setWindowTitle(self.tr("Sign in to Eligo"))
        self.heading = QLabel(self.tr("Opening the store…"))
        self.heading.setStyleSheet("QLabel { font-weight: bold; }")
        self.demo_note = QLabel()  # the sample accounts, on a DEMO store's sign-in only
        self.demo_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.demo_note.hide()
        self.username = QLineEdit(username)
        self.password = password_field()
        self.error = ErrorLine()
        form = QFormLayout()
        form.addRow(self.tr("Username:"), self.username)
        form.addRow(self.tr("Password:"), self.password)
        self.buttons = lay_out_dialog(self, self.heading, self.demo_note, form, error=self.error,
                                      on_accepted=self._on_buttons_accepted, ok_text=self.tr("Sign in"))  # fmt: skip
        self.sign_in_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_in_button.setEnabled(False)
        (self.password if username else self.username).setFocus()
        if store is not None:
            self.attach(store)

    def attach(self, store: Store) -> None:
        """The store is open: show the site and let the coordinator sign in."""
        from desktop_app.store import get_site

        self.store = store
        site = get_site(store)
        self.heading.setText(site.name if site else "Eligo")
        demo = bool(site and site.is_demo)
        if demo:
            from desktop_app.store.demo import DEMO_ACCOUNTS

            rows = "".join(
                f"<tr><td>{username}&nbsp;&nbsp;</td><td>{password}&nbsp;&nbsp;</td><td>{', '.join(roles)}</td></tr>"
                for username, _, roles, password in DEMO_ACCOUNTS
            )
            self.demo_note.setText(
                self.tr("DEMO store (sample data, not real patients). Its accounts:")
                + f"<table>{rows}</table>"
            )
        else:
            self.demo_note.clear()
        self.demo_note.setVisible(demo)
        self.sign_in_button.setEnabled(True)
        if on_ready is not None:
            on_ready()

    @Slot()
    def _on_buttons_accepted(self) -> None:
        if self.store is None:
            return  # still opening: the button is disabled, Enter does nothing yet
        from desktop_app.store import AuthenticationError, StoreError, authenticate

        try:
            self.user = authenticate(self.store, self.username.text(), self.password.text())
        except AuthenticationError as exc:
            self.password.clear()
            self.error.setText(str(exc))
            self.error.show()
            return
        except (
            StoreError
        ) as exc:  # the attempt could not be recorded (a full disk): say so, in words
            self.error.setText(self.tr("The sign-in could not be recorded: {0}").format(exc))
            self.error.show()
            return
        self.accept()

    @classmethod
    def ask(cls, store: Store, parent: QWidget | None = None, username: str = "") -> User | None:
        dialog = cls(store, parent, username)
        return dialog.user if dialog.exec() == QDialog.DialogCode.Accepted else None
