"""Dialogs on a selected screening: the outcome after screening, its audit trail, and About."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app import __version__
from desktop_app.rules import LoadedProtocol
from desktop_app.rules.dates import TypedDateError, typed_date
from desktop_app.store import (
    Store,
    StoreError,
    User,
    get_screening,
    get_site,
    record_outcome,
    sqlite_library_version,
)
from desktop_app.store.audit_view import events_of_screening
from desktop_app.store.signatures import eligibility_confirmation
from desktop_app.ui.forms import (
    QT_TRANSLATE_NOOP,
    ErrorLine,
    fit_to_screen,
    lay_out_dialog,
    run_modal,
)

OUTCOMES = {
    "enrolled": QT_TRANSLATE_NOOP("OutcomeDialog", "Enrolled (randomization number and date)"),
    "declined": QT_TRANSLATE_NOOP("OutcomeDialog", "Eligible but declined"),
    "screen_failure": QT_TRANSLATE_NOOP("OutcomeDialog", "Screen failure"),
    "withdrawn": QT_TRANSLATE_NOOP("OutcomeDialog", "Withdrawn before enrollment"),
}


class OutcomeDialog(QDialog):
    def __init__(
        self, store: Store, user: User, screening_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.store, self.user, self.screening_id = store, user, screening_id
        screening = get_screening(store, screening_id)
        self.setWindowTitle(self.tr("Outcome of {0}").format(screening.screening_number))
        self.outcome = QComboBox()
        for code, label in OUTCOMES.items():
            self.outcome.addItem(self.tr(label), code)
        self.randomization = QLineEdit()
        self.enrolled_on = QLineEdit()
        self.enrolled_on.setPlaceholderText("YYYY-MM-DD")
        self.note = QLineEdit()
        self.error = ErrorLine()
        form = QFormLayout()
        form.addRow(
            self.tr("Determination:"),
            QLabel(f"{screening.determination} {', '.join(screening.failing)}"),
        )
        confirmation = eligibility_confirmation(store, screening_id)
        self.confirmation = QLabel(
            f"{confirmation.printed_name}, {confirmation.signed_at[:10]}" if confirmation
            else self.tr("no investigator yet (enrolment waits for the signature)"))  # fmt: skip
        form.addRow(self.tr("Eligibility confirmed by:"), self.confirmation)
        form.addRow(self.tr("&Outcome:"), self.outcome)
        form.addRow(self.tr("&Randomization number:"), self.randomization)
        form.addRow(self.tr("&Enrollment date:"), self.enrolled_on)
        form.addRow(self.tr("N&ote:"), self.note)
        lay_out_dialog(self, form, error=self.error, on_accepted=self._on_buttons_accepted)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        enrolled_on = None
        typed = self.enrolled_on.text().strip()
        if typed:
            try:
                enrolled_on = typed_date(typed)
            except TypedDateError as exc:
                self.error.show_error(
                    self.tr("Enrollment date: {0} is not a calendar date (no such day)").format(
                        typed
                    )
                    if exc.no_such_day
                    else self.tr("Enrollment date: write it as YYYY-MM-DD, for example 2023-03-08")
                )
                return
        try:
            record_outcome(self.store, self.user, self.screening_id, self.outcome.currentData(),
                           randomization_number=self.randomization.text() or None, enrolled_on=enrolled_on,
                           note=self.note.text() or None)  # fmt: skip
        except StoreError as exc:  # bad input, no permission, a full disk: said in words
            self.error.show_error(str(exc))
            return
        self.accept()


class AuditTrailDialog(QDialog):
    """Every event of one screening: who, when (UTC and the local offset), what, old and new, why."""

    COLUMNS = (
        QT_TRANSLATE_NOOP("AuditTrailDialog", "#"),
        QT_TRANSLATE_NOOP("AuditTrailDialog", "When (UTC)"),
        QT_TRANSLATE_NOOP("AuditTrailDialog", "Offset"),
        QT_TRANSLATE_NOOP("AuditTrailDialog", "Who"),
        QT_TRANSLATE_NOOP("AuditTrailDialog", "What"),
        QT_TRANSLATE_NOOP("AuditTrailDialog", "Field"),
        QT_TRANSLATE_NOOP("AuditTrailDialog", "Old value"),
        QT_TRANSLATE_NOOP("AuditTrailDialog", "New value"),
        QT_TRANSLATE_NOOP("AuditTrailDialog", "Reason"),
    )

    def __init__(self, store: Store, screening_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        screening = get_screening(store, screening_id)
        self.setWindowTitle(self.tr("Audit trail of {0} (attempt {1})").format(screening.screening_number,
                                                                               screening.attempt))  # fmt: skip
        fit_to_screen(self, 1100, 500)
        events = events_of_screening(store, screening_id)
        self.table = QTableWidget(len(events), len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in self.COLUMNS])
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()  # the event number is the first column
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.setWordWrap(False)
        for row, event in enumerate(events):
            values = (event.seq, event.at_utc, event.utc_offset, event.username, event.action, event.field,
                      event.old_value, event.new_value, event.reason)  # fmt: skip
            for column, value in enumerate(values):
                item = QTableWidgetItem("" if value is None else str(value))
                item.setToolTip(item.text())  # long values whole
                self.table.setItem(row, column, item)
        # Every value readable at once: columns as wide as their contents (one screening's events,
        # a few hundred rows at most), but a long value does not push the others off the screen.
        self.table.resizeColumnsToContents()
        widest = self.table.fontMetrics().averageCharWidth() * 40
        for column in range(len(self.COLUMNS)):
            self.table.setColumnWidth(column, min(self.table.columnWidth(column), widest))
        self.table.horizontalHeader().setStretchLastSection(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)


class AboutDialog(QDialog):
    def __init__(
        self, store: Store, protocol: LoadedProtocol, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("About Eligo"))
        form = QFormLayout(self)
        form.addRow(self.tr("Eligo version:"), QLabel(__version__))
        form.addRow(self.tr("Protocol:"), QLabel(f"{protocol.id} version {protocol.version}"))
        form.addRow(self.tr("Protocol sha256:"), QLabel(protocol.sha256))
        form.addRow(self.tr("Data directory:"), QLabel(str(store.data_dir)))
        form.addRow(self.tr("SQLite library:"), QLabel(sqlite_library_version()))
        form.addRow(
            self.tr("Network:"), QLabel(self.tr("none: Eligo never opens a network connection"))
        )
        site = get_site(store)
        if site is not None:
            form.addRow(self.tr("Site:"), QLabel(f"{site.code} {site.name}"))
        for label in self.findChildren(
            QLabel
        ):  # every value can be selected and copied for support
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        form.addRow(close)


class ScreenFailureDialog(QDialog):
    """Confirms a screen failure before it is recorded: the failing criteria, an optional note,
    and what happens next (the investigator confirms it with a signature)."""

    def __init__(self, failing: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.note_text: str | None = None
        self.setWindowTitle(self.tr("Record screen failure"))
        reasons = QLabel(
            self.tr("The candidate does not meet these criteria:")
            + "<ul>"
            + "".join(f"<li>{html.escape(text)}</li>" for text in failing)
            + "</ul>"
        )
        reasons.setWordWrap(True)
        after = QLabel(
            self.tr(
                "The remaining steps are not asked; every answer so far is kept. The review "
                "opens next: sign there, and an investigator confirms the determination with a "
                "signature. Later changes to the answers need a reason."
            )
        )
        after.setWordWrap(True)
        self.note = QLineEdit()
        form = QFormLayout()
        form.addRow(self.tr("&Note (optional):"), self.note)
        self.error = ErrorLine()
        lay_out_dialog(self, reasons, after, form, error=self.error,
                       on_accepted=self._on_buttons_accepted, ok_text=self.tr("Record screen failure"))  # fmt: skip

    @Slot()
    def _on_buttons_accepted(self) -> None:
        self.note_text = self.note.text().strip()
        self.accept()

    @classmethod
    def ask(cls, parent: QWidget | None, failing: list[str]) -> str | None:
        """The note ('' for none), or None when the coordinator cancels."""
        dialog = cls(failing, parent)
        return dialog.note_text if run_modal(dialog) == QDialog.DialogCode.Accepted else None
