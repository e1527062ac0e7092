"""Notes and queries beside each field of the wizard, and in the review.

Each question's row gets a small bar: a Note button (the note's text under the field once there
is one) and a Queries button that shows how many queries on that answer are open. Ctrl+Shift+N
and Ctrl+Shift+Q open them for the question that has the keyboard focus. The review lists every
note and the open queries. Plugged into the wizard by `attach(wizard)`."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.store import StoreError, get_screening
from desktop_app.store.annotations import Note, Query, notes_of, queries_of, save_note
from desktop_app.store.clock import local_text
from desktop_app.store.roles import SCREENING_ROLES, has_role
from desktop_app.ui.forms import ErrorLine, lay_out_dialog, readable, run_modal
from desktop_app.ui.review import question_label

if TYPE_CHECKING:
    from desktop_app.ui.wizard import ScreeningWizard, StepPage


class NoteDialog(QDialog):
    """Write or edit the note on one answer; every earlier version is listed, never lost. On a
    signed screening an edit needs a reason."""

    def __init__(self, wizard: ScreeningWizard, question_id: str, note: Note | None) -> None:
        super().__init__(wizard)
        self.wizard, self.question_id = wizard, question_id
        label = question_label(wizard.protocol.protocol, question_id)
        self.setWindowTitle(self.tr("Note: {0}").format(label))
        self.text = QPlainTextEdit(note.text if note else "")
        self.text.setTabChangesFocus(True)
        self.text.setAccessibleName(self.tr("Note"))
        self.reason = QLineEdit()
        self.reason.setAccessibleName(self.tr("Reason for the edit"))
        screening = get_screening(wizard.store, wizard.screening_id)  # signed since it opened?
        needs_reason = note is not None and (
            screening.sign_state != "unsigned" or screening.outcome is not None
        )
        parts: list[QWidget] = [QLabel(f"<b>{html.escape(label)}</b>"), self.text]
        if needs_reason:
            reason_label = QLabel(
                self.tr("This screening has been signed: &reason for editing the note:")
            )
            reason_label.setBuddy(self.reason)
            reason_label.setWordWrap(True)
            parts += [reason_label, self.reason]
        else:
            self.reason.hide()
        if note is not None and len(note.versions) > 1:
            history = QLabel("<br>".join(
                html.escape(self.tr("Version {0}, {1}, {2}: {3}").format(
                    v.version, v.full_name or v.username, local_text(v.at_utc, v.utc_offset), v.text)
                    + (self.tr(" (reason: {0})").format(v.reason) if v.reason else ""))
                for v in note.versions[:-1]))  # fmt: skip
            history.setWordWrap(True)
            parts += [QLabel(self.tr("Earlier versions (kept):")), history]
        self.error = ErrorLine()
        lay_out_dialog(self, *parts, error=self.error, on_accepted=self._on_buttons_accepted,
                       ok_text=self.tr("Save note"))  # fmt: skip
        self.resize(520, self.sizeHint().height())

    @Slot()
    def _on_buttons_accepted(self) -> None:
        w = self.wizard
        try:
            save_note(w.store, w.user, w.screening_id, self.question_id, self.text.toPlainText(),
                      reason=self.reason.text())  # fmt: skip
        except StoreError as exc:
            self.error.show_error(str(exc))
            return
        self.accept()


class AnnotationBar(QWidget):
    """Beside one field: its note and its queries."""

    def __init__(self, annotations: Annotations, question_id: str) -> None:
        super().__init__()
        self.annotations, self.question_id = annotations, question_id
        self.note_button = QToolButton()
        self.note_button.setAutoRaise(True)
        self.query_button = QToolButton()
        self.query_button.setAutoRaise(True)
        # Compact (symbols and a count; the words in the tooltip and the accessible name), so that
        # the form column fits a 1024x600 screen at 150%; the same width on every row, shown or
        # not, so that the fields line up.
        metrics = self.query_button.fontMetrics()
        self.query_button.setFixedWidth(metrics.horizontalAdvance("⚑ 99") + 16)
        policy = self.query_button.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.query_button.setSizePolicy(policy)
        self.note_button.setFixedWidth(metrics.horizontalAdvance("✎+") + 16)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.note_button)
        layout.addWidget(self.query_button)
        self.note_label = QLabel()  # the note's text, under the field
        self.note_label.setWordWrap(True)
        self.note_label.hide()
        self.note_button.clicked.connect(self._on_note_button_clicked)
        self.query_button.clicked.connect(self._on_query_button_clicked)

    def show_state(self, note: Note | None, queries: list[Query], *, writes_notes: bool,
                   is_monitor: bool) -> None:  # fmt: skip
        label = question_label(self.annotations.wizard.protocol.protocol, self.question_id)
        self.note_button.setText("✎" if note else "✎+")
        self.note_button.setToolTip(self.tr("Edit the note (Ctrl+Shift+N)") if note
                                    else self.tr("Add a note (Ctrl+Shift+N)"))  # fmt: skip
        self.note_button.setAccessibleName(self.tr("Note on {0}").format(label))
        self.note_button.setVisible(writes_notes or note is not None)
        self.note_button.setEnabled(writes_notes)
        if note is not None:
            self.note_label.setText(
                f"<i>{html.escape(self.tr('Note by {0}, {1}: {2}').format(note.current.full_name or note.current.username, local_text(note.current.at_utc, note.current.utc_offset), note.text))}</i>"
            )  # fmt: skip
            self.note_label.show()
        else:
            self.note_label.hide()
        open_ = sum(q.state == "open" for q in queries)
        if open_:
            text, tip = f"⚑ {open_}", self.tr("Open queries: %n", "", open_)
            self.query_button.setStyleSheet(
                f"QToolButton {{ color: {readable('#b00020')}; font-weight: bold; }}"
            )
        elif queries:
            text, tip = f"⚑ ({len(queries)})", self.tr("Queries (%n), none open", "", len(queries))
            self.query_button.setStyleSheet("")
        else:
            text, tip = "⚑?", self.tr("Raise a query (Ctrl+Shift+Q)")
            self.query_button.setStyleSheet("")
        self.query_button.setText(text)
        self.query_button.setToolTip(tip)
        self.query_button.setAccessibleName(self.tr("Queries on {0}").format(label))
        self.query_button.setVisible(bool(queries) or is_monitor)

    @Slot()
    def _on_note_button_clicked(self) -> None:
        self.annotations.edit_note(self.question_id)

    @Slot()
    def _on_query_button_clicked(self) -> None:
        self.annotations.open_queries(self.question_id)


class Annotations:
    """The notes and queries of one wizard's screening, shown beside its fields."""

    def __init__(self, wizard: ScreeningWizard) -> None:
        self.wizard = wizard
        self.bars: dict[str, AnnotationBar] = {}
        self.rows: dict[str, QWidget] = {}  # the field's row of each question (for the keyboard)
        self.notes: dict[str, Note] = {}
        self.queries: list[Query] = []
        from desktop_app.ui.wizard import StepPage

        for page in wizard.pages.values():
            if isinstance(page, StepPage):
                for question_id in page.widgets:
                    self.bars[question_id] = self._place(page, question_id)
        review = wizard.review
        self.review_label = ReviewAnnotations()
        self.review_label.setWordWrap(True)
        review_layout = review.layout()
        assert isinstance(review_layout, QVBoxLayout)
        review_layout.insertWidget(review_layout.indexOf(review.signatures), self.review_label)
        for keys, slot in (("Ctrl+Shift+N", self.edit_note), ("Ctrl+Shift+Q", self.open_queries)):
            shortcut = QShortcut(QKeySequence(keys), wizard)
            shortcut.activated.connect(lambda slot=slot: self._for_focused(slot))
        self.refresh()

    def _place(self, page: StepPage, question_id: str) -> AnnotationBar:
        """The bar under the question's label (in the label column, so the field keeps its whole
        width: the form fits a 1024x600 screen at 150%), the note's text under the field."""
        bar = AnnotationBar(self, question_id)
        row, widget = page.rows[question_id], page.widgets[question_id]
        self.rows[question_id] = row
        column = row.layout()
        assert isinstance(column, QVBoxLayout)
        column.insertWidget(column.indexOf(widget) + 1, bar.note_label)
        label = page.form.labelForField(row)
        position: Any = page.form.getWidgetPosition(row)  # (row index, role); -1 when not there
        index = int(position[0])
        if label is None or index < 0:
            column.insertWidget(0, bar, 0, Qt.AlignmentFlag.AlignRight)
            return bar
        page.form.removeWidget(label)
        holder = QWidget()
        holder.setObjectName("questionLabel")
        stack = QVBoxLayout(holder)
        stack.setContentsMargins(0, 0, 0, 0)
        stack.setSpacing(0)
        stack.addWidget(label)
        stack.addWidget(bar, 0, Qt.AlignmentFlag.AlignLeft)
        page.form.setWidget(index, QFormLayout.ItemRole.LabelRole, holder)
        return bar

    def refresh(self) -> None:
        w = self.wizard
        self.notes = notes_of(w.store, w.screening_id)
        self.queries = queries_of(w.store, w.screening_id)
        writes = has_role(w.user, *SCREENING_ROLES) and not w.store.read_only
        monitor = "monitor" in w.user.roles and not w.store.read_only
        for question_id, bar in self.bars.items():
            bar.show_state(self.notes.get(question_id),
                           [q for q in self.queries if q.question_id == question_id],
                           writes_notes=writes, is_monitor=monitor)  # fmt: skip
        self.review_label.show_for(self)

    def _for_focused(self, action: object) -> None:
        focused = QApplication.focusWidget()
        for question_id, row in self.rows.items():
            if focused is not None and row.isAncestorOf(focused):
                action(question_id)  # type: ignore[operator]
                return

    def edit_note(self, question_id: str) -> None:
        bar = self.bars.get(question_id)
        if bar is None or not bar.note_button.isEnabled():
            return
        run_modal(NoteDialog(self.wizard, question_id, self.notes.get(question_id)))
        self.refresh()

    def open_queries(self, question_id: str) -> None:
        from desktop_app.ui.query_dialog import QueryDialog

        w = self.wizard
        dialog = QueryDialog(w.store, w.protocol, w.user, w.screening_id, question_id, w)
        dialog.queries_changed.connect(self._on_queries_changed)
        run_modal(dialog)
        self.refresh()

    def _on_queries_changed(self) -> None:
        """A reply may have corrected the answer (saved by the store): show it, and what it gives."""
        from desktop_app.store import answers_of, get_screening

        w = self.wizard
        w.answers = answers_of(w.store, w.screening_id)
        w.screening = get_screening(w.store, w.screening_id)
        from desktop_app.ui.wizard import StepPage

        for page in w.pages.values():
            if isinstance(page, StepPage):
                page.show_answers(w.answers)
        w._reevaluate()


class ReviewAnnotations(QLabel):
    """In the review: every note, and the open queries, by question."""

    def show_for(self, annotations: Annotations) -> None:
        protocol = annotations.wizard.protocol.protocol
        lines = [
            html.escape(self.tr("Note on {0}: {1}").format(question_label(protocol, q), note.text))
            for q, note in sorted(annotations.notes.items())
        ]
        colour = readable("#b00020")
        lines += [
            f"<span style='color:{colour}'><b>"
            + html.escape(self.tr("Open query on {0}: {1}").format(
                question_label(protocol, query.question_id), query.text)) + "</b></span>"
            for query in annotations.queries if query.state == "open"
        ]  # fmt: skip
        self.setText("<br>".join(lines))
        self.setVisible(bool(lines))


def attach(wizard: ScreeningWizard) -> Annotations:
    """Notes and queries beside every field of the wizard and in its review."""
    return Annotations(wizard)
