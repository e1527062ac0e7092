"""Accounts: administrators create, reset, re-role and deactivate; everyone sees their own key."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
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
    reset_password,
    set_idle_minutes,
)
from desktop_app.store.records import list_users
from desktop_app.store.roles import ROLES
from desktop_app.ui.forms import (
    QT_TRANSLATE_NOOP,
    ErrorLine,
    fit_to_screen,
    lay_out_dialog,
    password_field,
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
        self.role_boxes = {role: QCheckBox(role) for role in ROLES}
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


class AccountsDialog(QDialog):
    """The administrator's view of every account (none is ever deleted)."""

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
        self.idle.setSuffix(self.tr(" minutes"))
        self.idle.setValue(idle_minutes(store))
        new, reset, deactivate, save_idle = (QPushButton(self.tr("New account…")), QPushButton(self.tr("Reset password…")),
                                             QPushButton(self.tr("Deactivate")), QPushButton(self.tr("Apply")))  # fmt: skip
        new.clicked.connect(self._on_new_clicked)
        reset.clicked.connect(self._on_reset_clicked)
        deactivate.clicked.connect(self._on_deactivate_clicked)
        save_idle.clicked.connect(self._on_idle_clicked)
        actions = QHBoxLayout()
        for button in (new, reset, deactivate):
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(QLabel(self.tr("Lock after idle:")))
        actions.addWidget(self.idle)
        actions.addWidget(save_idle)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.error)
        layout.addLayout(actions)
        self.refresh()

    def refresh(self) -> None:
        users = list_users(self.store)
        self.table.setRowCount(len(users))
        for row, user in enumerate(users):
            try:
                fingerprint = active_key(self.store, user.id).fingerprint
            except StoreError:
                fingerprint = "—"
            status = self.tr("active") if user.is_active else self.tr("deactivated")
            values = (user.username, user.full_name, ", ".join(user.roles), status, fingerprint)
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()  # a handful of accounts: cheap

    def _selected_username(self) -> str | None:
        row = self.table.currentRow()
        item = self.table.item(row, 0) if row >= 0 else None
        return item.text() if item else None

    @Slot()
    def _on_new_clicked(self) -> None:
        if run_modal(NewAccountDialog(self.store, self.admin, self)) == QDialog.DialogCode.Accepted:
            self.refresh()

    @Slot()
    def _on_reset_clicked(self) -> None:
        username = self._selected_username()
        if username is None:
            return
        password, ok = QInputDialog.getText(self, self.tr("Reset password"),
                                            self.tr("New password for {0} (a new signing key is issued):").format(username),
                                            QLineEdit.EchoMode.Password)  # fmt: skip
        if ok:
            self._run(lambda: reset_password(self.store, self.admin, username, password))

    @Slot()
    def _on_deactivate_clicked(self) -> None:
        username = self._selected_username()
        if username is not None:
            self._run(lambda: deactivate_account(self.store, self.admin, username))

    @Slot()
    def _on_idle_clicked(self) -> None:
        self._run(lambda: set_idle_minutes(self.store, self.admin, self.idle.value()))

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
        form.addRow(self.tr("Roles:"), QLabel(", ".join(user.roles)))
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
