"""Dialogs on a selected screening: the outcome after screening, its audit trail, and About."""

from __future__ import annotations

import html
import json
from typing import ClassVar

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QStandardItemModel, QTextOption
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app import __version__
from desktop_app.rules import LoadedProtocol
from desktop_app.rules.dates import TypedDateError, typed_date
from desktop_app.rules.missing_data import code_of
from desktop_app.store import (
    Store,
    StoreError,
    User,
    get_screening,
    get_site,
    list_users,
    record_outcome,
    sqlite_library_version,
)
from desktop_app.store.audit_view import events_of_screening
from desktop_app.store.clock import local_text
from desktop_app.store.models import AuditEvent, site_in_words
from desktop_app.store.signatures import eligibility_confirmation
from desktop_app.ui.fitted_table import FittedTable
from desktop_app.ui.forms import (
    QT_TRANSLATE_NOOP,
    ErrorLine,
    fit_to_screen,
    lay_out_dialog,
    run_modal,
)
from desktop_app.ui.language import tx
from desktop_app.ui.log_model import status_word
from desktop_app.ui.missing_codes import code_words
from desktop_app.ui.review import question_label

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
        self.outcome.addItem(self.tr("— choose the outcome —"), None)
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
            QLabel(
                f"{status_word(screening.determination) if screening.determination else '—'} "
                f"{', '.join(screening.failing)}"
            ),
        )
        confirmation = eligibility_confirmation(store, screening_id)
        self.confirmation = QLabel(
            f"{confirmation.printed_name}, {local_text(confirmation.signed_at, confirmation.utc_offset)}" if confirmation
            else self.tr("no investigator yet (enrolment waits for the signature)"))  # fmt: skip
        form.addRow(self.tr("Eligibility confirmed by:"), self.confirmation)
        self._offer_allowed(screening.determination, screening.sign_state == "locked")
        current = self.outcome.findData(screening.outcome) if screening.outcome else -1
        if current > 0:
            self.outcome.setCurrentIndex(current)
        elif screening.determination == "ineligible":
            self.outcome.setCurrentIndex(self.outcome.findData("screen_failure"))
        form.addRow(self.tr("&Outcome:"), self.outcome)
        form.addRow(self.tr("&Randomization number:"), self.randomization)
        form.addRow(self.tr("&Enrollment date:"), self.enrolled_on)
        form.addRow(self.tr("N&ote:"), self.note)
        lay_out_dialog(self, form, error=self.error, on_accepted=self._on_buttons_accepted)

    def _offer_allowed(self, determination: str | None, confirmed: bool) -> None:
        """Outcomes the record does not allow yet are shown greyed, saying why; none is chosen
        for the coordinator (never "Enrolled" by default)."""
        model = self.outcome.model()
        why = {
            "enrolled": None if determination == "eligible" and confirmed else (
                self.tr("needs an eligible determination confirmed by the investigator's signature")),
            "declined": None if determination == "eligible" else self.tr("needs an eligible determination"),
            "screen_failure": None if determination == "ineligible" else self.tr("needs an ineligible determination"),
        }  # fmt: skip
        if isinstance(model, QStandardItemModel):
            for row in range(1, self.outcome.count()):
                reason = why.get(str(self.outcome.itemData(row)))
                item = model.item(row)
                item.setEnabled(reason is None)
                if reason is not None:
                    item.setToolTip(reason)

    @Slot()
    def _on_buttons_accepted(self) -> None:
        if self.outcome.currentData() is None:
            self.error.show_error(self.tr("Outcome: choose one"))
            return
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


_ANSWER_ACTIONS = (
    "answer_saved",
    "answer_carried",
    "carried_answer_confirmed",
    "carried_answer_replaced",
)


DETAILS = 6  # AuditTrailDialog's column of codes as stored


class AuditTrailDialog(QDialog):
    """Every event of one screening in words: when (local time with its zone), who, what changed
    from what to what, and why; the event codes, field ids and stored values in a details column."""

    COLUMNS = (
        QT_TRANSLATE_NOOP("AuditTrailDialog", "When"),
        QT_TRANSLATE_NOOP("AuditTrailDialog", "Who"),
        QT_TRANSLATE_NOOP("AuditTrailDialog", "What"),
        QT_TRANSLATE_NOOP("AuditTrailDialog", "From"),
        QT_TRANSLATE_NOOP("AuditTrailDialog", "To"),
        QT_TRANSLATE_NOOP("AuditTrailDialog", "Why"),
        QT_TRANSLATE_NOOP("AuditTrailDialog", "Details (codes as stored)"),
    )
    ACTIONS: ClassVar[dict[str, str]] = {
        "screening_started": QT_TRANSLATE_NOOP("AuditTrailDialog", "Screening started"),
        "answer_saved": QT_TRANSLATE_NOOP("AuditTrailDialog", "Answer: {0}"),
        "determination_changed": QT_TRANSLATE_NOOP("AuditTrailDialog", "Determination"),
        "outcome_recorded": QT_TRANSLATE_NOOP("AuditTrailDialog", "Outcome"),
        "screening_signed": QT_TRANSLATE_NOOP("AuditTrailDialog", "Signed"),
        "signature_invalidated": QT_TRANSLATE_NOOP("AuditTrailDialog", "Signature invalidated"),
        "warning_acknowledged": QT_TRANSLATE_NOOP("AuditTrailDialog", "Warning acknowledged"),
        "candidate_registered": QT_TRANSLATE_NOOP("AuditTrailDialog", "Candidate registered"),
        "attachment_added": QT_TRANSLATE_NOOP("AuditTrailDialog", "Attachment added"),
        "attachment_removed": QT_TRANSLATE_NOOP("AuditTrailDialog", "Attachment removed"),
        "attachment_viewed": QT_TRANSLATE_NOOP("AuditTrailDialog", "Attachment opened"),
        "note_saved": QT_TRANSLATE_NOOP("AuditTrailDialog", "Note: {0}"),
        "query_raised": QT_TRANSLATE_NOOP("AuditTrailDialog", "Query raised: {0}"),
        "query_answered": QT_TRANSLATE_NOOP("AuditTrailDialog", "Query answered: {0}"),
        "query_closed": QT_TRANSLATE_NOOP("AuditTrailDialog", "Query closed: {0}"),
        "query_reopened": QT_TRANSLATE_NOOP("AuditTrailDialog", "Query reopened: {0}"),
        "audit_trail_reviewed": QT_TRANSLATE_NOOP(
            "AuditTrailDialog", "Audit trail reviewed: {0} to {1}"
        ),
        # re-screening proposals (store/carry.py)
        "answer_carried": QT_TRANSLATE_NOOP(
            "AuditTrailDialog", "Offered from the previous attempt: {0}"
        ),
        "carried_answer_confirmed": QT_TRANSLATE_NOOP(
            "AuditTrailDialog", "Carried answer confirmed: {0}"
        ),
        "carried_answer_replaced": QT_TRANSLATE_NOOP(
            "AuditTrailDialog", "Carried answer replaced: {0}"
        ),
    }

    def __init__(self, store: Store, screening_id: int, parent: QWidget | None = None,
                 protocol: LoadedProtocol | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.protocol = protocol
        screening = get_screening(store, screening_id)
        self.setWindowTitle(self.tr("Audit trail of {0} (attempt {1})").format(screening.screening_number,
                                                                               screening.attempt))  # fmt: skip
        fit_to_screen(self, 1100, 500)
        names = {u.username: u.full_name for u in list_users(store)}
        events = events_of_screening(store, screening_id)
        self.table = FittedTable(len(events), len(self.COLUMNS), secondary=DETAILS)
        self.table.setObjectName("auditTrail")
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in self.COLUMNS])
        self.table.verticalHeader().hide()
        for row, event in enumerate(events):
            what, old, new = self._in_words(event)
            details = " · ".join(str(x) for x in (f"#{event.seq}", event.action, event.field,
                                                 event.old_value, event.new_value, event.at_utc) if x)  # fmt: skip
            values = (local_text(event.at_utc, event.utc_offset), names.get(event.username, event.username),
                      what, old, new, event.reason or "", details)  # fmt: skip
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)  # long values whole
                self.table.setItem(row, column, item)
        # Every event readable without scrolling sideways, even at 150% on a 1024 x 600 screen:
        # the columns share the dialog's width and long values wrap (one screening's events, a few
        # hundred rows at most, measured once).
        # Where the details column has no room, the current event's details show under the table.
        # (Text that wraps inside a long stored value, and scrolls down when it needs more lines.)
        self.details = QPlainTextEdit()
        self.details.setObjectName("auditTrailDetails")
        self.details.setReadOnly(True)
        self.details.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.details.setFixedHeight(self.details.fontMetrics().lineSpacing() * 3 + 12)
        self.details.setAccessibleName(self.tr(self.COLUMNS[DETAILS]))
        self.details.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        self._connect_signals()
        self.table.fit_columns()
        if events:
            self.table.setCurrentCell(0, 0)

    def _connect_signals(self) -> None:
        self.table.column_hidden.connect(self._on_table_column_hidden)
        self.table.currentCellChanged.connect(self._on_table_current_cell_changed)

    @Slot(bool)
    def _on_table_column_hidden(self, hidden: bool) -> None:
        self.details.setVisible(hidden)

    @Slot(int, int, int, int)
    def _on_table_current_cell_changed(self, row: int, *_: int) -> None:
        item = self.table.item(row, DETAILS)
        shown = self.tr("Details (codes as stored): {0}").format(item.text()) if item else ""
        self.details.setPlainText(shown)

    def _in_words(self, event: AuditEvent) -> tuple[str, str, str]:
        """(what, from, to) for a person."""
        old, new = _decoded(event.old_value), _decoded(event.new_value)
        action = self.ACTIONS.get(event.action)
        if event.action in _ANSWER_ACTIONS and event.field:
            label = (
                question_label(self.protocol.protocol, event.field)
                if self.protocol
                else event.field
            )
            if event.action == "answer_carried" and isinstance(new, dict):
                new = new.get("value")  # {"value": ..., "from_attempt": N}: the reason names N
            return (self.tr(self.ACTIONS[event.action]).format(label),
                    self._value(event.field, old), self._value(event.field, new))  # fmt: skip
        if event.action.startswith(("note_", "query_", "audit_trail_")) and isinstance(new, dict):
            if (
                event.action == "audit_trail_reviewed"
            ):  # notes, queries, reviews (store/annotations.py)
                return (
                    self.tr(action or "").format(new.get("from"), new.get("to")),
                    "",
                    str(new.get("comment", "")),
                )
            label = (
                question_label(self.protocol.protocol, event.field)
                if self.protocol and event.field
                else ""
            )
            return self.tr(action or "").format(label), "", str(new.get("text", ""))
        if event.action == "determination_changed":
            return self.tr(action or ""), self._determination(old), self._determination(new)
        if event.action == "outcome_recorded":
            return self.tr(action or ""), self._outcome(old), self._outcome(new)
        if event.action == "screening_signed" and isinstance(new, dict):
            return (f"{self.tr(action or '')}: {new.get('meaning', '')}", "",
                    self.tr("key {0}").format(new.get("key_fingerprint", "")))  # fmt: skip
        if event.action in ("attachment_added", "attachment_viewed") and isinstance(new, dict):
            return (
                self.tr(action or ""),
                "",
                f"{new.get('title')} · SHA-256 {str(new.get('sha256'))[:16]}…",
            )
        if action is None:
            return event.action.replace("_", " "), _plain(old), _plain(new)
        return self.tr(action), _plain(old), _plain(new)

    def _value(self, question_id: str, value: object) -> str:
        if value is None:
            return self.tr("(not answered)")
        if isinstance(value, bool):
            return self.tr("Yes") if value else self.tr("No")
        if self.protocol is not None and code_of(value) is not None:
            return code_words(self.protocol.protocol, value) or str(value)
        labels: dict[str, str] = {}
        if self.protocol is not None:
            base = question_id.split(".", 1)[0].split("[", 1)[0]
            try:
                labels = {o.code: tx(o.label) for o in self.protocol.protocol.options(base)}
            except KeyError:
                labels = {}
            labels.update({a.code: tx(a.name) for a in self.protocol.protocol.medication_catalog})
        if isinstance(value, list):
            return (
                "; ".join(self._value(question_id, v) for v in value) if value else self.tr("none")
            )
        if isinstance(value, dict):
            return "; ".join(
                f"{labels.get(str(k), k)}: {self._value(question_id, v)}" for k, v in value.items()
            )
        return labels.get(str(value), str(value))

    def _determination(self, value: object) -> str:
        if not isinstance(value, dict) or not value.get("determination"):
            return self.tr("(none yet)")
        failing = value.get("failing") or []
        text = status_word(str(value["determination"]))
        return self.tr("{0}, failing {1}").format(text, ", ".join(failing)) if failing else text

    def _outcome(self, value: object) -> str:
        if not isinstance(value, dict) or not value.get("outcome"):
            return self.tr("(none)")
        words = self.tr(OUTCOMES.get(str(value["outcome"]), str(value["outcome"])))
        extra = [f"{k.replace('_', ' ')}: {v}" for k, v in value.items() if k != "outcome"]
        return "; ".join([words, *extra])


def _decoded(stored: str | None) -> object:
    if stored is None:
        return None
    try:
        return json.loads(stored)
    except ValueError:
        return stored


def _plain(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dict):
        return "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in value.items())
    if isinstance(value, list):
        return "; ".join(str(v) for v in value)
    return str(value)


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
            form.addRow(self.tr("Site:"), QLabel(site_in_words(site.code, site.name)))
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
