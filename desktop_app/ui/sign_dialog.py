"""Signing a screening: states the meaning and what is signed, and asks for the password again."""

from __future__ import annotations

import html

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QWidget

from desktop_app.store import (
    AuthenticationError,
    BadInputError,
    PermissionDeniedError,
    Store,
    User,
    get_screening,
)
from desktop_app.store.accounts import active_key
from desktop_app.store.answers import latest_determination
from desktop_app.store.signatures import meaning_for, sign_screening
from desktop_app.ui.forms import ErrorLine, lay_out_dialog, password_field, readable, run_modal


class SignDialog(QDialog):
    def __init__(
        self, store: Store, user: User, screening_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.store, self.user, self.screening_id = store, user, screening_id
        self.signature_id: int | None = None
        screening = get_screening(store, screening_id)
        result = latest_determination(store, screening_id)
        meaning = meaning_for(user)
        self.setWindowTitle(self.tr("Sign {0}").format(screening.screening_number))
        meanings = {"screening_performed": self.tr("Screening performed by {0}"),
                    "eligibility_confirmed": self.tr("Eligibility confirmed by investigator {0}")}  # fmt: skip
        self.meaning = QLabel(f"<b>{html.escape(meanings[meaning].format(user.full_name))}</b>" if meaning
                              else self.tr("Your roles do not allow signing screenings."))  # fmt: skip
        determination = result.determination if result else "incomplete"
        failing = ", ".join(result.failing) if result and result.failing else "—"
        self.password = password_field()
        self.error = ErrorLine(self.tr("Not signed: {0}"))
        form = QFormLayout()
        form.addRow(
            self.tr("Screening:"),
            QLabel(
                self.tr("{0} (attempt {1})").format(screening.screening_number, screening.attempt)
            ),
        )
        words = {"eligible": self.tr("eligible"), "ineligible": self.tr("ineligible"),
                 "incomplete": self.tr("incomplete")}  # fmt: skip
        form.addRow(self.tr("Determination:"),
                    QLabel(self.tr("{0}; failing: {1}").format(words[determination], failing)))  # fmt: skip
        form.addRow(self.tr("Protocol:"), QLabel(f"{screening.protocol_id} {screening.protocol_version}, "
                                                 f"sha256 {screening.protocol_sha256[:16]}…"))  # fmt: skip
        form.addRow(self.tr("Your key:"), QLabel(active_key(store, user.id).fingerprint))
        form.addRow(self.tr("Password:"), self.password)
        note = QLabel(self.tr("Signing binds your name, this meaning and the time to exactly the answers, the "
                              "determination, the protocol and the acknowledged warnings shown. It is the "
                              "equivalent of your handwritten signature."))  # fmt: skip
        note.setWordWrap(True)
        from desktop_app.ui.query_dialog import open_queries_warning

        self.open_queries = QLabel(open_queries_warning(store, screening_id) or "")
        self.open_queries.setWordWrap(True)
        self.open_queries.setStyleSheet(
            f"QLabel {{ color: {readable('#b00020')}; font-weight: bold; }}"
        )
        self.open_queries.setVisible(bool(self.open_queries.text()))  # warned, never stopped
        buttons = lay_out_dialog(self, self.meaning, self.open_queries, form, note, error=self.error,
                                 on_accepted=self._on_buttons_accepted, ok_text=self.tr("Sign"))  # fmt: skip
        buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(meaning is not None)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        try:
            self.signature_id = sign_screening(
                self.store, self.user, self.screening_id, self.password.text()
            )
        except (AuthenticationError, BadInputError, PermissionDeniedError) as exc:
            self.password.clear()
            self.error.show_error(str(exc))
            return
        self.accept()

    @classmethod
    def ask(
        cls, store: Store, user: User, screening_id: int, parent: QWidget | None = None
    ) -> int | None:
        dialog = cls(store, user, screening_id, parent)
        return dialog.signature_id if run_modal(dialog) == QDialog.DialogCode.Accepted else None
