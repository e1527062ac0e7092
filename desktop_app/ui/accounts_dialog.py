"""Accounts: administrators create, reset, re-role and deactivate; everyone sees their own key."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.store import (
    BadInputError,
    Store,
    StoreError,
    User,
    create_account,
)
from desktop_app.store.accounts import (
    AuthenticationError,
    active_key,
    change_password,
    deactivate_account,
    idle_minutes,
    locked_accounts,
    needs_new_password,
    reactivate_account,
    reset_password,
    set_idle_minutes,
    set_roles,
)
from desktop_app.store.records import list_users
from desktop_app.store.roles import ROLES
from desktop_app.ui.forms import (
    QT_TRANSLATE_NOOP,
    ErrorLine,
    fit_to_screen,
    lay_out_dialog,
    password_field,
    roles_in_words,
    run_modal,
)


class NewAccountDialog(QDialog):
    def __init__(self, store: Store, admin: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.admin = store, admin
        self.created: User | None = None
        self.setWindowTitle(self.tr("New account"))
        self.username = QLineEdit()
        self.full_name = QLineEdit()
        self.role_boxes = {role: QCheckBox(roles_in_words([role])) for role in ROLES}
        self.password = password_field(self.tr("at least 10 characters"))
        self.error = ErrorLine()
        form = QFormLayout()
        form.addRow(self.tr("Username:"), self.username)
        form.addRow(self.tr("Full name (printed):"), self.full_name)
        roles = QHBoxLayout()
        for box in self.role_boxes.values():
            roles.addWidget(box)
        form.addRow(self.tr("Roles:"), roles)
        form.addRow(self.tr("First password:"), self.password)
        lay_out_dialog(self, form, error=self.error, on_accepted=self._on_buttons_accepted)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        roles: list[str] = [role for role, box in self.role_boxes.items() if box.isChecked()]
        try:
            self.created = create_account(self.store, self.admin, username=self.username.text(),
                                          full_name=self.full_name.text(), roles=roles,
                                          password=self.password.text())  # fmt: skip
        except StoreError as exc:  # bad input, no permission, a full disk: said in words
            self.error.show_error(str(exc))
            return
        self.accept()


class RolesDialog(QDialog):
    """An administrator changes one account's roles."""

    def __init__(
        self, store: Store, admin: User, user: User, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.store, self.admin, self.user = store, admin, user
        self.setWindowTitle(self.tr("Roles of {0}").format(user.username))
        self.role_boxes = {role: QCheckBox(roles_in_words([role])) for role in ROLES}
        for role, box in self.role_boxes.items():
            box.setChecked(role in user.roles)
        roles = QHBoxLayout()
        for box in self.role_boxes.values():
            roles.addWidget(box)
        self.error = ErrorLine()
        lay_out_dialog(self, QLabel(self.tr("{0} ({1}) may act as:").format(user.full_name, user.username)),
                       roles, error=self.error, on_accepted=self._on_buttons_accepted)  # fmt: skip

    @Slot()
    def _on_buttons_accepted(self) -> None:
        roles: list[str] = [role for role, box in self.role_boxes.items() if box.isChecked()]
        try:
            set_roles(self.store, self.admin, self.user.username, roles)
        except StoreError as exc:
            self.error.show_error(str(exc))
            return
        self.accept()


class ResetPasswordDialog(QDialog):
    """A new password, typed twice (nobody sees it), and a new signing key for the account."""

    def __init__(
        self, store: Store, admin: User, username: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.store, self.admin, self.username = store, admin, username
        self.setWindowTitle(self.tr("Reset the password of {0}").format(username))
        self.password = password_field(self.tr("at least 10 characters"))
        self.again = password_field()
        form = QFormLayout()
        form.addRow(self.tr("New password:"), self.password)
        form.addRow(self.tr("New password again:"), self.again)
        note = QLabel(self.tr("The old signing key cannot be opened without the old password: it is retired "
                              "(kept, to check earlier signatures) and a new key is issued."))  # fmt: skip
        note.setWordWrap(True)
        self.error = ErrorLine()
        lay_out_dialog(self, form, note, error=self.error, on_accepted=self._on_buttons_accepted)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        if self.password.text() != self.again.text():
            self.again.clear()
            self.error.show_error(self.tr("new password: the two entries differ"))
            return
        try:
            reset_password(self.store, self.admin, self.username, self.password.text())
        except StoreError as exc:
            self.error.show_error(str(exc))
            return
        self.accept()


class AccountsDialog(QDialog):
    """The administrator's view of every account (none is ever deleted)."""

    idle_minutes_changed = Signal(int)  # the idle lock setting was saved: in force at once

    COLUMNS = (QT_TRANSLATE_NOOP("AccountsDialog", "Username"), QT_TRANSLATE_NOOP("AccountsDialog", "Full name"),
               QT_TRANSLATE_NOOP("AccountsDialog", "Roles"), QT_TRANSLATE_NOOP("AccountsDialog", "Status"),
               QT_TRANSLATE_NOOP("AccountsDialog", "Key fingerprint"))  # fmt: skip

    def __init__(self, store: Store, admin: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.admin = store, admin
        self.setWindowTitle(self.tr("Accounts"))
        fit_to_screen(self, 820, 420)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in self.COLUMNS])
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QTableWidget.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setStretchLastSection(True)
        self.error = ErrorLine()
        self.idle = QSpinBox()
        self.idle.setRange(1, 120)
        self.idle.valueChanged.connect(self._on_idle_value_changed)
        self.idle.setValue(idle_minutes(store))
        self._on_idle_value_changed(self.idle.value())
        self.idle_saved = QLabel()  # says that the new setting is in force
        self.idle_saved.setWordWrap(True)
        new, roles, reset, save_idle = (QPushButton(self.tr("&New account…")), QPushButton(self.tr("&Roles…")),
                                        QPushButton(self.tr("Reset &password…")), QPushButton(self.tr("Apply")))  # fmt: skip
        self.deactivate_button = QPushButton(self.tr("&Deactivate…"))
        new.clicked.connect(self._on_new_clicked)
        roles.clicked.connect(self._on_roles_clicked)
        reset.clicked.connect(self._on_reset_clicked)
        self.deactivate_button.clicked.connect(self._on_deactivate_clicked)
        save_idle.clicked.connect(self._on_idle_clicked)
        self.table.itemSelectionChanged.connect(self._on_selection_changed)
        actions = QHBoxLayout()
        for button in (new, roles, reset, self.deactivate_button):
            actions.addWidget(button)
        actions.addStretch(1)
        # The idle lock on a row of its own: beside the four account buttons it made the dialog
        # wider than a small screen at 150%.
        idle_row = QHBoxLayout()
        idle_row.addWidget(QLabel(self.tr("Lock after idle:")))
        idle_row.addWidget(self.idle)
        idle_row.addWidget(save_idle)
        idle_row.addWidget(self.idle_saved, 1)
        self.recovery_button = QPushButton(self.tr("New recovery &key…"))
        self.rekey_button = QPushButton(self.tr("Re-key the &store…"))
        self.recovery_button.clicked.connect(self._on_recovery_clicked)
        self.rekey_button.clicked.connect(self._on_rekey_clicked)
        store_actions = QHBoxLayout()
        store_actions.addWidget(self.recovery_button)
        store_actions.addWidget(self.rekey_button)
        store_actions.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.error)
        layout.addLayout(actions)
        layout.addLayout(idle_row)
        layout.addLayout(store_actions)
        self.refresh()

    @Slot()
    def _on_recovery_clicked(self) -> None:
        """A new recovery key, shown once; the old one stops opening the store."""
        from desktop_app.store import get_site
        from desktop_app.store.access import new_recovery_key
        from desktop_app.ui.setup_dialog import RecoveryKeyDialog

        answer = QMessageBox.question(self, self.tr("Recovery key"), self.tr(
            "Make a new recovery key? The current one (the sheet in the site binder) stops working."))  # fmt: skip
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            code = new_recovery_key(self.store, self.admin)
        except StoreError as exc:
            self.error.show_error(str(exc))
            return
        site = get_site(self.store)
        RecoveryKeyDialog.show_once(code, site.name if site else "", self)

    @Slot()
    def _on_rekey_clicked(self) -> None:
        """A new data key for the store (after a deactivated user may have kept a copy)."""
        from desktop_app.store.access import rekey

        answer = QMessageBox.question(self, self.tr("Re-key the store"), self.tr(
            "Give the store a new data key? A backup is taken first; every account keeps its "
            "password, and a copy of the old key opens nothing written from now on."))  # fmt: skip
        if answer != QMessageBox.StandardButton.Yes:
            return
        try:
            dropped = rekey(self.store, self.admin)
        except StoreError as exc:
            self.error.show_error(str(exc))
            return
        text = self.tr("The store has a new data key.")
        if dropped:
            text += " " + self.tr("{0} account(s) that have not signed in since the upgrade need a "
                                  "password reset.").format(dropped)  # fmt: skip
        QMessageBox.information(self, self.tr("Re-key the store"), text)

    def refresh(self) -> None:
        self.users = list_users(self.store)
        locked = locked_accounts(self.store)
        self.table.setRowCount(len(self.users))
        for row, user in enumerate(self.users):
            try:
                fingerprint = active_key(self.store, user.id).fingerprint
            except StoreError:
                fingerprint = "—"
            status = self.tr("active") if user.is_active else self.tr("deactivated")
            if user.is_active and user.username in locked:
                status = self.tr("locked until {0} (failed sign-ins)").format(
                    locked[user.username].strftime("%H:%M")
                )
            values = (
                user.username,
                user.full_name,
                roles_in_words(user.roles),
                status,
                fingerprint,
            )
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()  # a handful of accounts: cheap
        self._on_selection_changed()

    def _selected(self) -> User | None:
        row = self.table.currentRow()
        if 0 <= row < len(self.users):
            return self.users[row]
        self.error.show_error(self.tr("Select an account in the list first."))
        return None

    def _selected_username(self) -> str | None:
        user = self._selected()
        return user.username if user else None

    @Slot()
    def _on_selection_changed(self) -> None:
        row = self.table.currentRow()
        inactive = 0 <= row < len(self.users) and not self.users[row].is_active
        self.deactivate_button.setText(
            self.tr("Re&activate") if inactive else self.tr("&Deactivate…")
        )

    @Slot()
    def _on_roles_clicked(self) -> None:
        user = self._selected()
        if (
            user is not None
            and run_modal(RolesDialog(self.store, self.admin, user, self))
            == QDialog.DialogCode.Accepted
        ):
            self.error.clear_error()
            self.refresh()

    @Slot()
    def _on_new_clicked(self) -> None:
        if run_modal(NewAccountDialog(self.store, self.admin, self)) == QDialog.DialogCode.Accepted:
            self.refresh()

    @Slot()
    def _on_reset_clicked(self) -> None:
        username = self._selected_username()
        if username is None:
            return
        if (
            run_modal(ResetPasswordDialog(self.store, self.admin, username, self))
            == QDialog.DialogCode.Accepted
        ):
            self.error.clear_error()
            self.refresh()

    @Slot()
    def _on_deactivate_clicked(self) -> None:
        user = self._selected()
        if user is None:
            return
        if not user.is_active:
            self._run(lambda: reactivate_account(self.store, self.admin, user.username))
            if needs_new_password(self.store, user.username):
                self._offer_new_password(user.username)
            return
        answer = QMessageBox.question(
            self, self.tr("Deactivate {0}?").format(user.username),
            self.tr("{0} ({1}) will no longer sign in or sign. Nothing they entered or signed changes, "
                    "and an administrator can reactivate the account later.").format(user.full_name, user.username),
        )  # fmt: skip
        if answer == QMessageBox.StandardButton.Yes:
            self._run(lambda: deactivate_account(self.store, self.admin, user.username))

    @Slot(int)
    def _on_idle_value_changed(self, minutes: int) -> None:
        self.idle.setSuffix(" " + (self.tr("minute") if minutes == 1 else self.tr("minutes")))

    @Slot()
    def _on_idle_clicked(self) -> None:
        minutes = self.idle.value()
        self._run(lambda: set_idle_minutes(self.store, self.admin, minutes))
        if idle_minutes(self.store) == minutes:
            self.idle_minutes_changed.emit(minutes)
            self.idle_saved.setText(
                self.tr("Saved: Eligo now locks after {0} without input.").format(
                    self.idle.text().strip()
                )
            )

    def _offer_new_password(self, username: str) -> None:
        """An account deactivated before the store was encrypted has no key slot: its old password
        opens nothing until an administrator sets a new one."""
        answer = QMessageBox.question(
            self, self.tr("{0} needs a new password").format(username),
            self.tr("{0} is active again, but was deactivated before this store was encrypted, so "
                    "their old password cannot open it. Set a new password for {0} now and give it "
                    "to them in person?").format(username),
        )  # fmt: skip
        if answer == QMessageBox.StandardButton.Yes:
            if (
                run_modal(ResetPasswordDialog(self.store, self.admin, username, self))
                == QDialog.DialogCode.Accepted
            ):
                self.refresh()
        else:
            self.error.show_error(
                self.tr(
                    "{0} cannot sign in until an administrator sets a new password "
                    "(Reset password)."
                ).format(username)
            )

    def _run(self, action: object) -> None:
        try:
            action()  # type: ignore[operator]
        except StoreError as exc:  # bad input, no permission, a full disk: said in words
            self.error.show_error(str(exc))
            return
        self.error.clear_error()
        self.refresh()


class MyAccountDialog(QDialog):
    """The signed-in user's name, roles, key fingerprint, and a password change."""

    def __init__(self, store: Store, user: User, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store, self.user = store, user
        self.setWindowTitle(self.tr("My account"))
        key = active_key(store, user.id)
        self.fingerprint = QLabel(key.fingerprint)
        self.old = password_field()
        self.new = password_field(self.tr("at least 10 characters"))
        self.confirm = password_field()
        self.error = ErrorLine()
        form = QFormLayout()
        form.addRow(self.tr("Name:"), QLabel(f"{user.full_name} ({user.username})"))
        form.addRow(self.tr("Roles:"), QLabel(roles_in_words(user.roles)))
        form.addRow(self.tr("Signing key fingerprint:"), self.fingerprint)
        form.addRow(self.tr("Current password:"), self.old)
        form.addRow(self.tr("New password:"), self.new)
        form.addRow(self.tr("New password again:"), self.confirm)
        lay_out_dialog(self, form, error=self.error, on_accepted=self._on_buttons_accepted,
                       ok_text=self.tr("Change password"), other=QDialogButtonBox.StandardButton.Close)  # fmt: skip

    @Slot()
    def _on_buttons_accepted(self) -> None:
        if self.new.text() != self.confirm.text():
            self.error.show_error(self.tr("new password: the two entries differ"))
            return
        try:
            change_password(self.store, self.user, self.old.text(), self.new.text())
        except (BadInputError, AuthenticationError) as exc:
            self.error.show_error(str(exc))
            return
        self.accept()
