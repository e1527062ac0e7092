"""The review step: every criterion with its verdict and reason, links to missing answers,
warnings to acknowledge, then sign or save and finish later."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop_app.rules import Determination, messages
from desktop_app.rules.flow import step_of_question
from desktop_app.rules.protocol import Protocol
from desktop_app.store import StoreError
from desktop_app.store.signatures import (
    acknowledge_warning,
    acknowledgements,
    already_signed,
    signature_statuses,
)
from desktop_app.ui.fitted_table import FittedTable, Least
from desktop_app.ui.forms import QT_TRANSLATE_NOOP, ErrorLine, readable
from desktop_app.ui.language import current, tx
from desktop_app.ui.printing import manifestation, signature_detail

if TYPE_CHECKING:
    from desktop_app.ui.wizard import ScreeningWizard

_OPEN_QUESTIONS = {
    "not_answered": QT_TRANSLATE_NOOP("ReviewPage", "not yet answered: {0}"),
    "last_dose_not_given": QT_TRANSLATE_NOOP("ReviewPage", "last dose date missing: {0}"),
    "note_missing": QT_TRANSLATE_NOOP(
        "ReviewPage", "not yet answered: {0}"
    ),  # the judgement's note
}
VERDICT_WORDS = {
    "met": QT_TRANSLATE_NOOP("ReviewPage", "✔ met"),
    "not_met": QT_TRANSLATE_NOOP("ReviewPage", "✖ not met"),
    "unknown": QT_TRANSLATE_NOOP("ReviewPage", "… unknown"),
    "present": QT_TRANSLATE_NOOP("ReviewPage", "✖ present"),
    "absent": QT_TRANSLATE_NOOP("ReviewPage", "✔ absent"),
}


class ReviewPage(QWidget):
    def __init__(self, wizard: ScreeningWizard) -> None:
        super().__init__()
        self.wizard = wizard
        # Whole criteria and reasons, wrapped over as many lines as they need: a reviewer reads
        # every word. Nothing scrolls sideways in the wizard's own size (796 px): the verdict
        # keeps its width, the criterion and its reason share the rest, the criterion's longest
        # Latin word whole ("immunosuppressant" was cut) while the reason keeps a dozen
        # characters (at 796 px there is no room for the reason's longest word too: it breaks
        # inside, never clipped), and a heading wider than its column ends in "…".
        # The verdict's column as wide as any verdict: answering moves no column.
        verdicts = tuple(self.tr(word) for word in VERDICT_WORDS.values())
        self.table = FittedTable(
            0,
            3,
            least={
                0: Least(words=True),
                1: Least(whole=True, covers=verdicts),
                2: Least(characters=12),
            },
        )
        self.table.setHorizontalHeaderLabels(
            [self.tr("Criterion"), self.tr("Verdict"), self.tr("Answer and reason")]
        )
        self.table.verticalHeader().hide()
        self.table.setObjectName("reviewTable")  # tests/ui/screen_fit_probe.py
        self.missing = QLabel()
        self.missing.setWordWrap(True)
        self.missing.setOpenExternalLinks(False)
        self.missing.linkActivated.connect(self._on_missing_link_activated)
        self.warnings_box = QVBoxLayout()
        self.outcome = QLabel()  # a recorded screen failure, and what it waits for
        self.outcome.setWordWrap(True)
        self.outcome.hide()
        self.signatures = QLabel()
        self.signatures.setWordWrap(True)
        self.error = ErrorLine()
        self.sign_button = QPushButton(self.tr("&Sign…"))
        self.sign_button.clicked.connect(self._on_sign_button_clicked)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("<h2>Review</h2>")))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.missing)
        layout.addLayout(self.warnings_box)
        layout.addWidget(self.outcome)
        layout.addWidget(self.signatures)
        layout.addWidget(self.error)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.sign_button)
        layout.addLayout(row)
        self.warning_boxes: dict[str, QCheckBox] = {}

    def show_result(self, result: Determination | None) -> None:
        protocol = self.wizard.protocol.protocol
        if result is None:
            self.table.setRowCount(0)
            self.missing.setText(self.tr("Correct the answer shown in red before reviewing."))
            self.sign_button.setEnabled(False)
            return
        self._show_criteria(result)
        if result.missing:
            links = ", ".join(
                f"<a href='{step_of_question(protocol, q)}'>{html.escape(self._named(q))}</a>"
                for q in result.missing
            )
            self.missing.setText(
                self.tr("Missing answers (click to go to the step): {0}").format(links)
            )
        else:
            self.missing.setText(self.tr("No answer is missing."))
        self._show_warnings(result)
        self._show_outcome()
        self._show_signatures()
        self._enable_signing(result)

    def _show_criteria(self, result: Determination) -> None:
        """One row per criterion, updated in place: after one answer changed, only the cells whose
        text changed are set and only their rows sized again (the wizard's live update: setting
        every cell repainted the whole table and measured every row's wrapped text)."""
        protocol = self.wizard.protocol.protocol
        if self.table.rowCount() != len(result.criteria):
            self.table.setRowCount(len(result.criteria))
        resized: list[int] = []
        for row, c in enumerate(result.criteria):
            label = tx(protocol.criterion(c.id).label)
            reason = messages.reason(c.reason, c.params, current(), protocol)
            if c.reason in _OPEN_QUESTIONS:  # the questions by their wording, not their ids
                named = "; ".join(self._named(q) for q in c.missing)
                reason = self.tr(_OPEN_QUESTIONS[c.reason]).format(named)
            changed = False
            for column, text in enumerate(
                (f"{c.id}  {label}", self.tr(VERDICT_WORDS[c.verdict]), reason)
            ):
                item = self.table.item(row, column)
                if item is None:
                    self.table.setItem(row, column, QTableWidgetItem(text))
                elif item.text() != text:
                    item.setText(text)
                else:
                    continue
                changed = True
            if changed:
                resized.append(row)
        # Widths measured again only when a text changed (about 0.6 ms: not on every answer);
        # when a width changes, every row is sized again.
        if resized and not self.table.fit_columns():
            for row in resized:
                self.table.resizeRowToContents(row)

    def _named(self, question_id: str) -> str:
        """A question by its wording, with the missing-data code it was given ('HBsAg: Pending')."""
        from desktop_app.ui.missing_codes import code_words

        label = question_label(self.wizard.protocol.protocol, question_id)
        words = code_words(self.wizard.protocol.protocol, self.wizard.answers.get(question_id))
        return label if words is None else self.tr("{0}: {1}").format(label, words)

    def _enable_signing(self, result: Determination | None) -> None:
        """Sign… while this user has something to sign: a decided record they have not signed
        yet in its present version (one signature of a meaning per user per version)."""
        signable = result is not None and result.determination in ("eligible", "ineligible")
        done = signable and already_signed(
            self.wizard.store, self.wizard.user, self.wizard.screening_id
        )
        self.sign_button.setEnabled(signable and not done)
        self.sign_button.setToolTip(
            self.tr("You have signed this version of the record.") if done else ""
        )

    def focus_next_action(self) -> None:
        """Keyboard focus to what the reviewer does next: a warning to acknowledge, else Sign,
        else the list of criteria."""
        for box in self.warning_boxes.values():
            if box.isEnabled() and not box.isChecked():
                box.setFocus(Qt.FocusReason.TabFocusReason)
                return
        target = self.sign_button if self.sign_button.isEnabled() else self.table
        target.setFocus(Qt.FocusReason.TabFocusReason)

    def _show_warnings(self, result: Determination) -> None:
        while self.warnings_box.count():
            item = self.warnings_box.takeAt(0)
            widget = item.widget() if item else None
            if widget is not None:
                widget.deleteLater()
        acknowledged = acknowledgements(self.wizard.store, self.wizard.screening_id)
        self.warning_boxes = {}
        for warning in result.warnings:
            text = messages.warning_text(warning, current(), self.wizard.protocol.protocol)
            box = QCheckBox(self.tr("Acknowledged: {0}").format(text))
            box.setChecked(warning.code in acknowledged)
            box.setEnabled(warning.code not in acknowledged)
            box.toggled.connect(
                lambda checked, code=warning.code: self._on_warning_toggled(code, checked)
            )
            self.warnings_box.addWidget(box)
            self.warning_boxes[warning.code] = box

    def _show_outcome(self) -> None:
        screening = self.wizard.screening
        if screening.outcome != "screen_failure":
            self.outcome.hide()
            return
        self.outcome.setText(
            self.tr("<b>Screen failure recorded.</b> {0} Sign below; an investigator confirms the "
                    "determination with a signature.").format(html.escape(screening.outcome_detail.get("note", "")))
        )  # fmt: skip
        self.outcome.show()

    def _show_signatures(self) -> None:
        lines = []
        for status in signature_statuses(self.wizard.store, self.wizard.screening_id):
            if status.check == "valid":
                lines.append("✔ " + manifestation(status))
            elif status.check == "invalidated":
                lines.append(f"⚠ {manifestation(status)}: {signature_detail(status)}")
            else:
                lines.append(
                    f"<span style='color:{readable('#b00020')}'><b>✖ {signature_detail(status)}</b></span>: {manifestation(status)}"
                )
        self.signatures.setText("<br>".join(lines) if lines else self.tr("Not signed yet."))

    def _on_warning_toggled(self, code: str, checked: bool) -> None:
        if not checked:
            return
        try:
            acknowledge_warning(self.wizard.store, self.wizard.user, self.wizard.screening_id, code)
        except StoreError as exc:  # bad input, no permission, a full disk: said in words
            self.error.show_error(str(exc))
            return
        self.warning_boxes[code].setEnabled(False)

    @Slot(str)
    def _on_missing_link_activated(self, step_id: str) -> None:
        self.wizard.go_to(step_id)

    @Slot()
    def _on_sign_button_clicked(self) -> None:
        from desktop_app.ui.sign_dialog import SignDialog

        if (
            SignDialog.ask(self.wizard.store, self.wizard.user, self.wizard.screening_id, self)
            is not None
        ):
            self._show_signatures()
            self._enable_signing(self.wizard.determination)
            self.wizard.screening_signed()


def question_label(protocol: Protocol, question_id: str) -> str:
    """The question's wording; for a per-agent date, the agent's name too."""
    base, _, agent = question_id.partition(".")
    try:
        text = tx(protocol.question(base.split("[", 1)[0]).text)
    except KeyError:
        return question_id
    found = protocol.agent(agent) if agent else None
    return f"{text} ({tx(found.name)})" if found else text
