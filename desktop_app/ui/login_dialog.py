"""Sign in with a named account; every attempt is an audit event (store.accounts), and at start
a failed one is counted in the key file (store.keyslots).

At start the dialog is the first window and the store is not open (it is encrypted): `opener`
unwraps the user's key slot and opens it; the site's name comes from the key file. On an open
store (another user at the lock screen) the dialog signs in there."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6 import QtCore
from PySide6.QtCore import QEvent, QTimer, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from desktop_app.ui import language
from desktop_app.ui.forms import ErrorLine, lay_out_dialog, password_field, said

if TYPE_CHECKING:
    from desktop_app.store import Store, User

on_ready: Callable[[], None] | None = None
"""Called once a sign-in dialog can be used (bench/bench_bundle.py measures the start with it)."""


class LoginDialog(QDialog):
    def __init__(
        self,
        store: Store | None,
        parent: QWidget | None = None,
        username: str = "",
        *,
        opener: Callable[[str, str], object | None] | None = None,
        site: dict[str, Any] | None = None,
        recoverer: Callable[[], tuple[Store, User] | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.store: Store | None = None
        self.user: User | None = None
        self.opened: object | None = None  # what `opener` returned (the unwrapped slot at start)
        self.opener = opener
        self.heading = QLabel()
        self.heading.setStyleSheet("QLabel { font-weight: bold; }")
        self.demo_note = QLabel()  # made rich text by _show_demo_note, on a DEMO store only
        self.demo_note.hide()
        self.username = QLineEdit(username)
        self.password = password_field()
        self.language = QComboBox()
        for tag in language.LANGUAGES:  # each named in itself: 中文 / English
            self.language.addItem(language.NAMES[tag], tag)
        self.language.setCurrentIndex(language.LANGUAGES.index(language.current()))
        self.error = ErrorLine()
        form = QFormLayout()
        self.username_label, self.password_label = QLabel(), QLabel()
        self.language_label = QLabel()
        form.addRow(self.username_label, self.username)
        form.addRow(self.password_label, self.password)
        form.addRow(self.language_label, self.language)
        self.buttons = lay_out_dialog(self, self.heading, self.demo_note, form, error=self.error,
                                      on_accepted=self._on_buttons_accepted, ok_text=self.tr("Sign in"))  # fmt: skip
        self.sign_in_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_in_button.setEnabled(False)
        self.recoverer = recoverer
        self.recovery_button = self.buttons.addButton(
            self.tr("Use the &recovery key…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.recovery_button.setVisible(recoverer is not None)
        self.recovery_button.clicked.connect(self._on_recovery_button_clicked)
        self._site_name = ""
        self._retranslate()
        self.language.currentIndexChanged.connect(self._on_language_changed)
        self.username.editingFinished.connect(self._on_username_editing_finished)
        (self.password if username else self.username).setFocus()
        if username:
            self._on_username_editing_finished()
        if store is not None:
            self.attach(store)
        elif opener is not None:  # the store is not open: the site's name from the key file
            self._site_name = str(site["name"]) if site else "Eligo"
            self.heading.setText(self._site_name)
            self._show_demo_note(bool(site and site.get("is_demo")))
            self._retranslate()
            self.sign_in_button.setEnabled(True)
            if on_ready is not None:
                on_ready()

    def attach(self, store: Store) -> None:
        """The store is open: show the site and let the coordinator sign in."""
        from desktop_app.store import get_site

        self.store = store
        site = get_site(store)
        self._site_name = site.name if site else "Eligo"
        self.heading.setText(self._site_name)
        self._show_demo_note(bool(site and site.is_demo))
        self._retranslate()
        self.sign_in_button.setEnabled(True)
        if on_ready is not None:
            on_ready()

    def _show_demo_note(self, demo: bool) -> None:
        """The DEMO store's note, rich text that can be selected. Its text format is set here,
        not when the label is made: Qt's namespace (QtCore.Qt) costs some 25 ms at its first use,
        which a real store's sign-in window does not pay before its first paint."""
        if demo:
            self.demo_note.setTextFormat(QtCore.Qt.TextFormat.RichText)
            self.demo_note.setTextInteractionFlags(
                QtCore.Qt.TextInteractionFlag.TextSelectableByMouse
            )
        self.demo_note.setVisible(demo)

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Sign in to Eligo"))
        self.heading.setText(self._site_name or self.tr("Opening the store…"))
        # Only a store marked DEMO has its passwords in the window at all, hidden or not.
        self.demo_note.setText(self._demo_accounts() if self.demo_note.isVisibleTo(self) else "")
        self.username_label.setText(self.tr("Username:"))
        self.password_label.setText(self.tr("Password:"))
        self.language_label.setText(self.tr("Language / 语言:"))
        self.language.setAccessibleName(self.tr("Language"))
        self.sign_in_button.setText(self.tr("Sign in"))

    def _demo_accounts(self) -> str:
        """The DEMO store's sample accounts and their published passwords (shown only when the
        store is marked DEMO: a real store's accounts have passwords nobody else knows)."""
        import html  # here: a real store's sign-in window never needs it

        from desktop_app.store.demo_accounts import DEMO_ACCOUNTS

        rows = "".join(
            f"<tr><td>{html.escape(username)}</td><td>&nbsp;&nbsp;{html.escape(password)}</td></tr>"
            for username, _, _, password in DEMO_ACCOUNTS
        )
        heading = self.tr("DEMO store, sample data only. Sample accounts (username, password):")
        return f"<p>{html.escape(heading)}</p><table>{rows}</table>"

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            # After the button box has put back Qt's own words for its standard buttons.
            QTimer.singleShot(0, self._retranslate)
        super().changeEvent(event)

    @Slot(int)
    def _on_language_changed(self, index: int) -> None:
        """The choice takes effect at once, on this window and on every window after it."""
        language.apply(self.language.itemData(index))

    @Slot()
    def _on_username_editing_finished(self) -> None:
        """A user who chose a language before gets it back on typing their name."""
        chosen = language.remembered(self.username.text())
        if chosen is not None and chosen != language.current():
            self.language.setCurrentIndex(language.LANGUAGES.index(chosen))

    @Slot()
    def _on_buttons_accepted(self) -> None:
        # Only the errors here: at start, the store's modules load after the main window's first
        # paint (ui.first_paint), and the opener needs none of them.
        from desktop_app.store.errors import AuthenticationError, StoreError

        if self.store is None and self.opener is None:
            return
        try:
            if self.store is None and self.opener is not None:
                opened = self.opener(self.username.text(), self.password.text())
                if opened is None:  # the coordinator chose not to open (locked, damaged)
                    self.reject()
                    return
                self.opened = opened
                self.accept()
                return
            assert self.store is not None
            from desktop_app.store import authenticate

            self.user = authenticate(self.store, self.username.text(), self.password.text())
        except AuthenticationError as exc:
            self.password.clear()
            from desktop_app.report_words import message_in  # on a refusal only: not at start

            self.error.setText(message_in(language.current(), str(exc)))
            self.error.show()
            return
        except (
            StoreError
        ) as exc:  # the attempt could not be recorded (a full disk): say so, in words
            self.error.setText(self.tr("The sign-in could not be recorded: {0}").format(said(exc)))
            self.error.show()
            return
        language.remember(self.user.username, language.current())
        self.accept()

    @Slot()
    def _on_recovery_button_clicked(self) -> None:
        """Every administrator forgot their password: the recovery key resets one's and signs in."""
        if self.recoverer is None:
            return
        opened = self.recoverer()
        if opened is not None:
            self.store, self.user = opened
            self.accept()

    @classmethod
    def ask(cls, store: Store, parent: QWidget | None = None, username: str = "") -> User | None:
        dialog = cls(store, parent, username)
        return dialog.user if dialog.exec() == QDialog.DialogCode.Accepted else None
