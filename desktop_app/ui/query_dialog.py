"""The thread of a monitor's queries on one answer: every query with each of its steps (who, when,
what), and what the signed-in user may do next: a monitor raises a query, closes or reopens one;
a coordinator or investigator answers an open one, with a reply and, when the answer is
corrected, the new value (typed in the question's own input) and the reason."""

from __future__ import annotations

import html
import json
from typing import Any

from PySide6.QtCore import QCoreApplication, Signal, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop_app.rules import LoadedProtocol
from desktop_app.store import StoreError, User, answers_of
from desktop_app.store.annotations import (
    UNCHANGED,
    Query,
    QueryStep,
    answer_query,
    close_query,
    queries_of,
    raise_query,
    reopen_query,
)
from desktop_app.store.clock import local_text
from desktop_app.store.database import Store
from desktop_app.store.roles import SCREENING_ROLES, has_role
from desktop_app.ui.forms import QT_TRANSLATE_NOOP, ErrorLine, fit_to_screen, readable
from desktop_app.ui.questions import QuestionWidget, make_widget
from desktop_app.ui.review import question_label

STATE_WORDS = {
    "open": QT_TRANSLATE_NOOP("QueryDialog", "open"),
    "answered": QT_TRANSLATE_NOOP("QueryDialog", "answered"),
    "closed": QT_TRANSLATE_NOOP("QueryDialog", "closed"),
}
STEP_WORDS = {
    "raised": QT_TRANSLATE_NOOP("QueryDialog", "raised by {0}"),
    "answered": QT_TRANSLATE_NOOP("QueryDialog", "answered by {0}"),
    "closed": QT_TRANSLATE_NOOP("QueryDialog", "closed by {0}"),
    "reopened": QT_TRANSLATE_NOOP("QueryDialog", "reopened by {0}"),
}
STATE_COLOURS = {"open": "#b00020", "answered": "#8a5a00", "closed": "#1b5e20"}


def _shown_value(value: str | None) -> str:
    if value is None:
        return ""
    try:
        decoded = json.loads(value)
    except ValueError:
        return value
    return decoded if isinstance(decoded, str) else json.dumps(decoded, ensure_ascii=False)


class QueryDialog(QDialog):
    """The queries on one answer of one screening, and the next step the user may take."""

    queries_changed = Signal()

    def __init__(
        self, store: Store, protocol: LoadedProtocol, user: User, screening_id: int,
        question_id: str, parent: QWidget | None = None,
    ) -> None:  # fmt: skip
        super().__init__(parent)
        self.store, self.protocol, self.user = store, protocol, user
        self.screening_id, self.question_id = screening_id, question_id
        self.is_monitor = "monitor" in user.roles and user.is_active
        self.answers_queries = has_role(user, *SCREENING_ROLES)
        label = question_label(protocol.protocol, question_id)
        self.setWindowTitle(self.tr("Queries: {0}").format(label))
        fit_to_screen(self, 760, 640)
        self.history = QTextBrowser()
        self.history.setAccessibleName(self.tr("Queries on this answer"))
        self.chooser = QComboBox()  # which query the step is for
        self.chooser.setAccessibleName(self.tr("Query"))
        self.text = QPlainTextEdit()
        self.text.setTabChangesFocus(True)
        self.text.setFixedHeight(self.text.fontMetrics().lineSpacing() * 4 + 12)
        self.suggested = QLineEdit()
        self.suggested.setAccessibleName(self.tr("Suggested value"))
        self.change: QuestionWidget | None = None  # the question's own input, for answering
        self.reason = QLineEdit()
        self.reason.setAccessibleName(self.tr("Reason for the change"))
        self.error = ErrorLine(self.tr("Not saved: {0}"))
        self.raise_button = QPushButton(self.tr("&Raise query"))
        self.answer_button = QPushButton(self.tr("&Answer"))
        self.close_button = QPushButton(self.tr("C&lose query"))
        self.reopen_button = QPushButton(self.tr("Re&open query"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(self.tr("Done"))
        for button in (
            self.raise_button,
            self.answer_button,
            self.close_button,
            self.reopen_button,
        ):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        form = QFormLayout()
        form.addRow(self.tr("&Query:"), self.chooser)
        self.text_label = QLabel(self.tr("&Text:"))
        self.text_label.setBuddy(self.text)
        form.addRow(self.text_label, self.text)
        if self.is_monitor:
            form.addRow(self.tr("&Suggested value (optional):"), self.suggested)
        if self.answers_queries:
            question = protocol.protocol.question(question_id.split(".", 1)[0].split("[", 1)[0])
            self.change = make_widget(protocol.protocol, question)
            self.change.setAccessibleName(self.tr("Corrected answer"))
            corrected = QLabel(self.tr("Corrected a&nswer (only if it changes):"))
            corrected.setBuddy(self.change)
            form.addRow(corrected, self.change)
            form.addRow(self.tr("Reason for the c&hange:"), self.reason)
        self.step_box = QGroupBox(self.tr("Next step"))
        self.step_box.setLayout(form)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<b>{html.escape(label)}</b>"))
        layout.addWidget(self.history, 1)
        layout.addWidget(self.step_box)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self._connect_signals()
        self.refresh()

    def _connect_signals(self) -> None:
        self.raise_button.clicked.connect(self._on_raise_button_clicked)
        self.answer_button.clicked.connect(self._on_answer_button_clicked)
        self.close_button.clicked.connect(self._on_close_button_clicked)
        self.reopen_button.clicked.connect(self._on_reopen_button_clicked)
        self.chooser.currentIndexChanged.connect(self._on_chooser_current_index_changed)

    # ---------------------------------------------------------------- showing

    def queries(self) -> list[Query]:
        return [
            q
            for q in queries_of(self.store, self.screening_id)
            if q.question_id == self.question_id
        ]

    def refresh(self) -> None:
        found = self.queries()
        self.history.setHtml(
            self._thread_html(found) if found else self.tr("No query on this answer.")
        )
        chosen = self.selected_query_id()
        self.chooser.blockSignals(True)
        self.chooser.clear()
        if self.is_monitor:
            self.chooser.addItem(self.tr("A new query"), None)
        for query in found:
            self.chooser.addItem(self.tr("Query {0} ({1})").format(query.id, self.tr(STATE_WORDS[query.state])),
                                 query.id)  # fmt: skip
        index = self.chooser.findData(chosen) if chosen is not None else -1
        if index < 0:  # the first query waiting on this user, else the first entry
            waiting = [q.id for q in found if self._can_act(q)]
            index = self.chooser.findData(waiting[0]) if waiting else 0
        self.chooser.setCurrentIndex(max(index, 0))
        self.chooser.blockSignals(False)
        if self.change is not None:
            self.change.set_value(self._current_answer())
        self._enable()

    def _can_act(self, query: Query) -> bool:
        if self.is_monitor:
            return query.state in ("open", "answered")
        return self.answers_queries and query.state == "open"

    def _current_answer(self) -> Any:
        from desktop_app.rules.missing_data import code_of

        value = answers_of(self.store, self.screening_id).get(self.question_id.split(".", 1)[0])
        return None if code_of(value) is not None else value  # a missing-data code: no value

    def selected_query_id(self) -> int | None:
        data = self.chooser.currentData()
        return int(data) if data is not None else None

    def selected(self) -> Query | None:
        ident = self.selected_query_id()
        return next((q for q in self.queries() if q.id == ident), None)

    def _enable(self) -> None:
        query = self.selected()
        state = query.state if query else None
        self.raise_button.setVisible(self.is_monitor)
        self.close_button.setVisible(self.is_monitor)
        self.reopen_button.setVisible(self.is_monitor)
        self.answer_button.setVisible(self.answers_queries)
        self.raise_button.setEnabled(query is None)
        self.suggested.setEnabled(query is None)
        self.close_button.setEnabled(state in ("open", "answered"))
        self.reopen_button.setEnabled(state in ("answered", "closed"))
        self.answer_button.setEnabled(state == "open")
        for widget in (self.change, self.reason):
            if widget is not None:
                widget.setEnabled(state == "open")
        acting = (self.is_monitor or state == "open") and (self.is_monitor or self.answers_queries)
        self.step_box.setEnabled(acting)
        self.text_label.setText(self.tr("&Reply:") if self.answers_queries and not self.is_monitor
                                else self.tr("&Text:"))  # fmt: skip

    def _thread_html(self, found: list[Query]) -> str:
        parts = []
        for query in found:
            colour = readable(STATE_COLOURS[query.state])
            parts.append(
                f"<h3>{html.escape(self.tr('Query {0}').format(query.id))} · "
                f"<span style='color:{colour}'>{html.escape(self.tr(STATE_WORDS[query.state]))}</span></h3>"
            )
            rows = [self._step_html(step, query) for step in query.steps]
            parts.append("<table cellspacing='0' cellpadding='3'>" + "".join(rows) + "</table>")
        return "".join(parts)

    def _step_html(self, step: QueryStep, query: Query) -> str:
        who = self.tr(STEP_WORDS[step.action]).format(step.full_name or step.username)
        lines = [html.escape(step.text)] if step.text else []
        if step.action == "raised" and query.suggested_value:
            lines.append(html.escape(self.tr("Suggested value: {0}").format(query.suggested_value)))
        if step.changed_value is not None:
            lines.append(
                html.escape(
                    self.tr("Answer changed to: {0}").format(_shown_value(step.changed_value))
                )
            )
        if step.reason:
            lines.append(html.escape(self.tr("Reason: {0}").format(step.reason)))
        when = html.escape(local_text(step.at_utc, step.utc_offset))
        return (f"<tr><td valign='top' style='white-space:nowrap'><b>{html.escape(who)}</b><br>"
                f"<small>{when}</small></td><td valign='top'>{'<br>'.join(lines)}</td></tr>")  # fmt: skip

    # ---------------------------------------------------------------- acting

    def _done(self, action: Any) -> None:
        try:
            action()
        except StoreError as exc:  # bad input, a role that may not, a full disk: in words
            self.error.show_error(str(exc))
            return
        self.error.clear_error()
        self.text.clear()
        self.suggested.clear()
        self.reason.clear()
        self.refresh()
        self.queries_changed.emit()

    @Slot()
    def _on_raise_button_clicked(self) -> None:
        text, suggested = self.text.toPlainText(), self.suggested.text()
        self._done(lambda: raise_query(self.store, self.user, self.screening_id, self.question_id, text,
                                       suggested_value=suggested))  # fmt: skip
        if self.chooser.count() > 1 and not self.error.isVisible():
            self.chooser.setCurrentIndex(self.chooser.count() - 1)  # the new query

    @Slot()
    def _on_answer_button_clicked(self) -> None:
        query = self.selected()
        if query is None or self.change is None:
            return
        new = self.change.value()
        value = UNCHANGED if new == self._current_answer() else new
        text, reason = self.text.toPlainText(), self.reason.text()
        self._done(lambda: answer_query(self.store, self.user, query.id, text, new_value=value,
                                        reason=reason))  # fmt: skip

    @Slot()
    def _on_close_button_clicked(self) -> None:
        query = self.selected()
        if query is not None:
            text = self.text.toPlainText()
            self._done(lambda: close_query(self.store, self.user, query.id, text))

    @Slot()
    def _on_reopen_button_clicked(self) -> None:
        query = self.selected()
        if query is not None:
            text = self.text.toPlainText()
            self._done(lambda: reopen_query(self.store, self.user, query.id, text))

    @Slot(int)
    def _on_chooser_current_index_changed(self, _index: int) -> None:
        self._enable()


def open_queries_warning(store: Store, screening_id: int) -> str | None:
    """What a signer is told (not stopped by) when queries on the screening are still open."""
    from desktop_app.store.annotations import open_query_count

    count = open_query_count(store, screening_id)
    if not count:
        return None
    return QCoreApplication.translate(
        "QueryDialog",
        "⚠ Queries on this screening still open: %n. You may sign; the monitor sees that they "
        "were open when you signed.",
        None,
        count,
    )
