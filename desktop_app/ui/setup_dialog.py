"""First start on an empty store: the site and the first administrator. No default passwords."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from desktop_app.store import (
    Store,
    StoreError,
    User,
    authenticate,
    create_account,
    create_site,
    get_site,
)
from desktop_app.store.accounts import check_new_account
from desktop_app.ui.forms import ErrorLine, lay_out_dialog, password_field


class SetupDialog(QDialog):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.admin: User | None = None
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
        site = get_site(store)
        if site is not None:  # an earlier setup stopped after the site: show it, settled
            for field, value in ((self.site_code, site.code), (self.site_name, site.name),
                                 (self.investigator, site.principal_investigator)):  # fmt: skip
                field.setText(value)
                field.setReadOnly(True)
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
        try:
            check_new_account(username=self.username.text(), full_name=self.full_name.text(),
                              roles=["administrator"], password=self.password.text())  # fmt: skip
            if get_site(self.store) is None:
                create_site(self.store, None, code=self.site_code.text(), name=self.site_name.text(),
                            principal_investigator=self.investigator.text())  # fmt: skip
            create_account(self.store, None, username=self.username.text(), full_name=self.full_name.text(),
                           roles=["administrator"], password=self.password.text())  # fmt: skip
            # Signed in at once with the password just typed twice (a recorded sign-in, as at the
            # sign-in window): not asked for a third time.
            self.admin = authenticate(self.store, self.username.text(), self.password.text())
        except StoreError as exc:  # bad input or a full disk: said in words
            self.error.show_error(str(exc))
            return
        self.accept()

    @classmethod
    def ask(cls, store: Store, parent: QWidget | None = None) -> User | None:
        dialog = cls(store, parent)
        return dialog.admin if dialog.exec() == QDialog.DialogCode.Accepted else None
