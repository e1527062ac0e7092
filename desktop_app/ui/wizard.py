"""The screening wizard: steps from the protocol, order from rules.flow, every answer saved.

A stacked set of pages with a step list (any step can be revisited, and the review links back to
the step of each missing answer), the live determination beside every step, and Back / Next /
"Save and finish later". The wizard never decides eligibility or what comes next: it asks
`rules.evaluate` and `rules.flow`.
"""

from __future__ import annotations

from typing import Any, Literal

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop_app.report_words import message_in
from desktop_app.rules import (
    AgentWindow,
    Answers,
    CriterionResult,
    Determination,
    InvalidAnswersError,
    LoadedProtocol,
    checked_answers,
    evaluate,
    medication_windows,
    parse_answers,
)
from desktop_app.rules.applicability import kept_not_applicable
from desktop_app.rules.flow import (
    StepState,
    applicable_steps,
    next_step,
    previous_step,
    resume_step,
    step_of_question,
)
from desktop_app.rules.missing_data import code_of
from desktop_app.store import (
    BadInputError,
    Store,
    StoreError,
    User,
    answers_of,
    get_screening,
    record_outcome,
    save_answers,
)
from desktop_app.store.answers import last_answered, set_aside_last_doses
from desktop_app.store.carry import CarriedAnswer, carried_of, confirm_carried
from desktop_app.store.replay import carries_protocol
from desktop_app.store.roles import SCREENING_ROLES, has_role
from desktop_app.ui.carried import CarriedBanner, CarriedNote
from desktop_app.ui.forms import ErrorLine, fit_to_screen, show_coloured
from desktop_app.ui.language import current, tx
from desktop_app.ui.missing_codes import MissingCodes
from desktop_app.ui.notes_ui import attach as attach_annotations
from desktop_app.ui.questions import AgentDates, OtherMedications, QuestionWidget, make_widget
from desktop_app.ui.record_dialogs import ScreenFailureDialog
from desktop_app.ui.review import ReviewPage, question_label
from desktop_app.ui.verdict_panel import VerdictPanel

_LABEL_CHARS = 34  # the question column's width, in average characters


class StepPage(QWidget):
    """One protocol step: a labelled input per question; questions that do not apply are hidden."""

    def __init__(self, wizard: ScreeningWizard, step_id: str) -> None:
        super().__init__()
        protocol = wizard.protocol.protocol
        self.step = next(s for s in protocol.steps if s.id == step_id)
        title = QLabel(f"<h2>{tx(self.step.title)}</h2>")
        title.setWordWrap(True)  # a long title (in Chinese, at 150%) wraps rather than scrolls
        self.error = ErrorLine()
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # On a narrow screen (1024 x 600, or 1366 x 768 at 150%) a field goes under its question
        # instead of behind a horizontal scroll bar.
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.widgets: dict[str, QuestionWidget] = {}
        self.rows: dict[str, QWidget] = {}
        self.field_errors: dict[str, ErrorLine] = {}
        self.notes: dict[str, QLabel] = {}
        self.kept: dict[str, QLabel] = {}
        self.required: dict[str, bool] = {}
        self.codes: dict[str, MissingCodes] = {}  # missing-data codes beside the value
        self.carried: dict[str, CarriedNote] = {}  # "from attempt N: confirm"
        self.banner = CarriedBanner()
        self.banner.confirm_all_requested.connect(self._on_banner_confirm_all_requested)
        self._wizard = wizard
        for question_id in self.step.questions:
            question = protocol.question(question_id)
            widget = make_widget(protocol, question)
            label = QLabel(tx(question.text))
            # One width for every question, in characters (it scales with the font), and each label
            # as tall as its wrapped text at that width: QFormLayout alone sized some rows before it
            # knew a wrapped label's height, and cut off its last lines.
            label.setWordWrap(True)
            width = label.fontMetrics().averageCharWidth() * _LABEL_CHARS
            label.setFixedWidth(width)
            label.setMinimumHeight(label.heightForWidth(width))
            label.setBuddy(widget)
            if question.help:
                widget.setToolTip(tx(question.help))
            # The field and, under it, why its last input was not saved.
            row = QWidget()
            column = QVBoxLayout(row)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            column.addWidget(widget)
            if question.missing_codes:
                self.codes[question_id] = MissingCodes(protocol, question)
                self.codes[question_id].code_changed.connect(wizard.on_answer_changed)
                column.addWidget(self.codes[question_id])
            self.carried[question_id] = CarriedNote(question_id)
            self.carried[question_id].confirm_requested.connect(wizard.confirm_carried_answer)
            column.addWidget(self.carried[question_id])
            self.notes[question_id] = QLabel()  # the points this answer gives, where computed
            self.notes[question_id].setWordWrap(True)
            self.notes[question_id].hide()
            column.addWidget(self.notes[question_id])
            self.kept[question_id] = QLabel()  # "not applicable, kept" (rules.applicability)
            self.kept[question_id].setWordWrap(True)
            self.kept[question_id].hide()
            column.addWidget(self.kept[question_id])
            self.field_errors[question_id] = ErrorLine()
            column.addWidget(self.field_errors[question_id])
            self.form.addRow(label, row)
            self.rows[question_id] = row
            self.required[question_id] = question.required
            self.widgets[question_id] = widget
            widget.answer_changed.connect(wizard.on_answer_changed)
        body = QWidget()
        inner = QVBoxLayout(body)
        inner.addWidget(title)
        inner.addWidget(self.error)
        inner.addWidget(self.banner)
        inner.addLayout(self.form)
        inner.addStretch(1)
        self.scroller = QScrollArea()
        self.scroller.setObjectName("formColumn")
        self.scroller.setWidgetResizable(True)
        self.scroller.setWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.scroller)

    def is_open(self, question_id: str) -> bool:
        """A required question without its answer, or with a field of it still empty (the last
        dose of one of several agents)."""
        widget = self.widgets[question_id]
        if not self.carried[question_id].isHidden():
            return True  # a carried answer waits for confirmation
        if question_id in self.codes and self.codes[question_id].code() is not None:
            return False  # a missing-data code was given
        return self.required[question_id] and (
            widget.value() is None or bool(_empty_inputs(widget))
        )

    def focus_first_open(self) -> None:
        """Keyboard focus to the first question still open on this step (else the first shown),
        scrolled into view: a coordinator can type at once, and Enter moves on."""
        shown = [q for q in self.step.questions if self.applies(q)]
        for question_id in [q for q in shown if self.is_open(q)] + shown:
            widget = self.widgets[question_id]
            empty = _empty_inputs(widget)
            target = empty[0] if empty and self.is_open(question_id) else _first_input(widget)
            if target is not None:
                self._focus(target)
                return

    def focus_question(self, question_id: str) -> None:
        """Keyboard focus to one question's first field, scrolled into view (a queried answer)."""
        target = _first_input(self.widgets[question_id])
        if target is not None:
            self._focus(target)

    def focus_next_open(self, after: QWidget) -> bool:
        """Enter in a field: on to the next empty field of the same question, else the next
        question still open below it on this step, if any."""
        shown = [q for q in self.step.questions if self.applies(q)]
        here = next((i for i, q in enumerate(shown) if self.rows[q].isAncestorOf(after)), None)
        if here is None:
            return False
        if not self.field_errors[
            shown[here]
        ].isHidden():  # what was typed was refused: mend it here
            if isinstance(after, QLineEdit):
                after.selectAll()
            return True
        widget = self.widgets[shown[here]]
        following = [w for w in _empty_inputs(widget) if _comes_after(w, after, widget)]
        if following:
            self._focus(following[0])
            return True
        for question_id in shown[here + 1 :]:
            if self.is_open(question_id):
                empty = _empty_inputs(self.widgets[question_id])
                target = empty[0] if empty else _first_input(self.widgets[question_id])
                if target is not None:
                    self._focus(target)
                    return True
        return False

    def _focus(self, target: QWidget) -> None:
        target.setFocus(Qt.FocusReason.TabFocusReason)
        self.scroller.ensureWidgetVisible(target)

    def applies(self, question_id: str) -> bool:
        """Shown and asked (a kept answer that does not apply is shown, but greyed)."""
        return not self.rows[question_id].isHidden() and self.widgets[question_id].isEnabled()

    def show_answers(self, answers: dict[str, Any]) -> None:
        for question_id in self.widgets:
            self.show_answer(question_id, answers.get(question_id))

    def show_answer(self, question_id: str, value: Any) -> None:
        """A value in its field, or a missing-data code ticked beside an empty field."""
        code = code_of(value)
        self.widgets[question_id].set_value(None if code else value)
        if question_id in self.codes:
            self.codes[question_id].set_code(code)

    def show_code(self, question_id: str, value: Any) -> None:
        """After a save: a code ticked empties the value's field, a value typed unticks the code
        (the field itself is left as it was typed)."""
        if question_id not in self.codes:
            return
        code = code_of(value)
        self.codes[question_id].set_code(code)
        if code is not None:
            self.widgets[question_id].set_value(None)

    def show_carried(self, carried: dict[str, CarriedAnswer]) -> None:
        """Proposals of a re-screening shown in their fields, each marked until confirmed."""
        attempts: set[int] = set()
        count = 0
        for question_id, note in self.carried.items():
            proposal = carried.get(question_id)
            if proposal is None:
                note.hide()
                continue
            self.show_answer(question_id, proposal.value)
            note.show_from(proposal.from_attempt)
            if not self.rows[question_id].isHidden():  # asked now (a malignancy date: once
                attempts.add(proposal.from_attempt)  # the history is confirmed as yes)
                count += 1
        self.banner.show_count(count, sorted(attempts))

    def shown_carried(self) -> list[str]:
        """The carried answers of this step on screen now (one click confirms them)."""
        return [
            q
            for q, note in self.carried.items()
            if not note.isHidden() and not self.rows[q].isHidden()
        ]

    @Slot()
    def _on_banner_confirm_all_requested(self) -> None:
        self._wizard.confirm_carried_answers(self.shown_carried())

    def show_applicable(
        self, asked: dict[str, set[str]], kept: set[str], wizard: ScreeningWizard
    ) -> None:
        """Hide what rules.flow does not ask (`asked`: question id -> the ids asked under it),
        except an answer kept that no longer applies: shown greyed, marked, never read by the
        rules; list the agents whose last dose is asked."""
        for question_id, widget in self.widgets.items():
            expanded = asked.get(question_id, set())
            visible = bool(expanded) or question_id in kept
            self.form.setRowVisible(self.rows[question_id], visible)
            widget.setEnabled(bool(expanded) and wizard.may_change)
            if question_id in self.codes:  # a code is an answer too: not given by a monitor
                self.codes[question_id].setEnabled(bool(expanded) and wizard.may_change)
            note = self.kept[question_id]
            if question_id in kept:
                note.setText(self.tr("Not applicable, kept: not used now; it counts again if "
                                       "this question applies again."))  # fmt: skip
            note.setVisible(question_id in kept)
            if isinstance(widget, AgentDates):
                given = wizard.answers.get("medications_given") or []
                agents = [code for code in given if f"{question_id}.{code}" in expanded]
                if agents != list(widget.fields):  # rebuild the rows only when the agents change
                    widget.set_agents(
                        [(code, _agent_name(wizard.protocol, code)) for code in agents]
                    )
                    widget.set_value(wizard.answers.get(question_id))
                self.form.setRowVisible(self.rows[question_id], bool(agents))


def _empty_inputs(widget: QWidget) -> list[QWidget]:
    """The text fields and drop-downs inside a question's widget still without an answer (not
    a search field, such as the medication picker's filter)."""
    found: list[QWidget] = []
    for child in widget.findChildren(QWidget):
        if child.isHidden() or not child.isEnabled() or child.property("not_an_answer"):
            continue
        if (isinstance(child, QLineEdit) and not child.text().strip()) or (
            isinstance(child, QComboBox) and child.currentData() is None
        ):
            found.append(child)
    return found


def _comes_after(candidate: QWidget, current: QWidget, container: QWidget) -> bool:
    """Whether `candidate` follows `current` in the container's reading order (its children's
    creation order, which is the order the fields are laid out)."""
    order = container.findChildren(QWidget)
    anchor = next((w for w in order if w is current or w.isAncestorOf(current)), None)
    return anchor is not None and order.index(candidate) > order.index(anchor)


def _first_input(widget: QWidget) -> QWidget | None:
    """The first control inside a question's widget that takes the keyboard focus."""
    for child in widget.findChildren(QWidget):
        if (
            child.focusPolicy() & Qt.FocusPolicy.TabFocus
            and child.isEnabled()
            and not child.isHidden()
        ):
            return child
    return None


def _agent_name(protocol: LoadedProtocol, code: str) -> str:
    agent = protocol.protocol.agent(code)
    return tx(agent.name) if agent else code


class ScreeningWizard(QDialog):
    answer_saved = Signal(str)
    finished_later = Signal()
    outcome_recorded = Signal()

    def __init__(self, store: Store, protocol: LoadedProtocol, user: User, screening_id: int,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.store, self.protocol, self.user, self.screening_id = (
            store,
            protocol,
            user,
            screening_id,
        )
        self.screening = get_screening(store, screening_id)
        # A monitor (or a read-only window) reads the answers and raises queries beside them, but
        # cannot change them: the fields are not editable (show_applicable), rather than
        # refusing what was typed.
        self.may_change = has_role(user, *SCREENING_ROLES) and not store.read_only
        self.answers: dict[str, Any] = answers_of(store, screening_id)
        self.carried: dict[str, CarriedAnswer] = carried_of(store, screening_id)
        self.determination: Determination | None = None
        # What the step pages last showed as applying (_reevaluate): (asked, kept, agents given)
        self._applied: tuple[dict[str, set[str]], set[str], tuple[str, ...]] | None = None
        self._reason: str | None = None
        self._criterion_labels = {c.id: tx(c.label) for c in protocol.protocol.criteria}
        # Last doses of agents unticked (in this sitting or an earlier one, from the audit trail)
        self._set_aside: dict[str, str] = set_aside_last_doses(store, screening_id)
        self.setWindowTitle(self.tr("Screening {0} (attempt {1})").format(self.screening.screening_number,
                                                                          self.screening.attempt))  # fmt: skip
        fit_to_screen(self, 1200, 760)
        self.step_list = QListWidget()
        # Wide enough for the longest step with its count (in this font, at any scaling); a longer
        # title wraps instead of hiding behind a scroll bar.
        self.step_list.setWordWrap(True)
        self.step_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        longest = max((tx(s.title) for s in protocol.protocol.steps), key=len)
        metrics = self.step_list.fontMetrics()
        self.step_list.setFixedWidth(
            min(
                metrics.horizontalAdvance(longest + self.tr("   ({0} open)").format(99)),
                metrics.averageCharWidth() * 48,
                self.screen().availableGeometry().width() // 5,  # a narrow screen: titles wrap
            )
            + 3 * metrics.averageCharWidth()
        )
        self.step_list.setAccessibleName(self.tr("Steps"))
        self.stack = QStackedWidget()
        self.pages: dict[str, QWidget] = {}
        self._review = ReviewPage(self)
        for step in protocol.protocol.steps:
            if step.id == "sign":
                continue  # signing happens on the review page
            page: QWidget = self._review if step.id == "review" else StepPage(self, step.id)
            if not self.may_change and isinstance(page, StepPage):
                _readable_when_disabled(page)
            self.pages[step.id] = page
            self.stack.addWidget(page)
        self.panel = VerdictPanel()
        self.back_button = QPushButton(self.tr("< &Back"))
        self.next_button = QPushButton(self.tr("&Next >"))
        self.next_button.setDefault(True)
        self.later_button = QPushButton(self.tr("Save and finish &later"))
        self.stop_button = QPushButton(self.tr("Record screen &failure"))
        self.stop_button.setToolTip(
            self.tr("Stop here: the answers so far are kept and the reasons listed.")
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.later_button)
        buttons.addWidget(self.stop_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        middle = QHBoxLayout()
        middle.addWidget(self.step_list)
        middle.addWidget(self.stack, 1)
        middle.addWidget(self.panel)
        layout = QVBoxLayout(self)
        layout.addLayout(middle, 1)
        layout.addLayout(buttons)
        self._connect_signals()
        self.annotations = attach_annotations(self)  # notes and queries beside each field
        # A monitor (or a read-only window) reads the answers and raises queries beside them, but
        # cannot change them: the fields say so at once rather than refusing what was typed.
        for page in self.pages.values():
            if isinstance(page, StepPage):
                page.show_answers(self.answers)
                page.show_carried(self.carried)
        self._reevaluate()
        last = last_answered(store, screening_id)
        self.go_to(resume_step(protocol.protocol, self._parsed(), last))

    def _connect_signals(self) -> None:
        self.back_button.clicked.connect(self._on_back_button_clicked)
        self.next_button.clicked.connect(self._on_next_button_clicked)
        self.later_button.clicked.connect(self._on_later_button_clicked)
        self.stop_button.clicked.connect(self._on_stop_button_clicked)
        self.step_list.itemClicked.connect(self._on_step_list_item_clicked)
        # The keyboard in the step list: the arrows open each step in turn (focus stays in the
        # list), Enter goes into the step.
        self.step_list.currentRowChanged.connect(self._on_step_list_current_row_changed)
        self.step_list.itemActivated.connect(self._on_step_list_item_clicked)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_app_focus_changed)

    # ---------------------------------------------------------------- navigation

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Enter saves the field (the field does that itself) and moves to the next open question
        of the step; from the last one, to the next step (the default button, Next)."""
        page = self.stack.currentWidget()
        focus = self.focusWidget()
        if (
            event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and isinstance(page, StepPage)
            and focus is not None
            and page.isAncestorOf(focus)
            and page.focus_next_open(after=focus)
        ):
            event.accept()
            return
        super().keyPressEvent(event)

    @property
    def current_step(self) -> str:
        page = self.stack.currentWidget()
        return next(step for step, p in self.pages.items() if p is page)

    def go_to(self, step_id: str, *, focus: bool = True) -> None:
        if step_id == "sign":
            step_id = "review"
        changed = self.stack.currentWidget() is not self.pages[step_id]
        self.stack.setCurrentWidget(self.pages[step_id])
        if step_id == "review":
            self.review.show_result(self.determination)
        self._refresh_steps()
        if focus and (changed or not self.isVisible()):
            page = self.pages[step_id]
            if isinstance(page, StepPage):
                page.focus_first_open()
            else:
                self.review.focus_next_action()

    def show_question(self, question_id: str) -> None:
        """The step that asks this question, with the focus in its field (opened from the Open
        queries queue: the query is beside the field it is about)."""
        step_id = step_of_question(self.protocol.protocol, question_id)
        self.go_to(step_id, focus=False)
        page = self.pages[step_id]
        if isinstance(page, StepPage):
            page.focus_question(question_id)

    @Slot()
    def _on_next_button_clicked(self) -> None:
        following = next_step(self.protocol.protocol, self._parsed(), self.current_step)
        if following is None or following == "sign":
            return
        self.go_to(following)

    @Slot()
    def _on_back_button_clicked(self) -> None:
        before = previous_step(self.protocol.protocol, self._parsed(), self.current_step)
        if before is not None:
            self.go_to(before)

    @Slot()
    def _on_later_button_clicked(self) -> None:
        self.finished_later.emit()
        self.accept()  # every answer is saved already

    @Slot()
    def _on_stop_button_clicked(self) -> None:
        """An already ineligible candidate: after a confirmation that lists the failing criteria
        and takes an optional note, record the screen failure without the remaining steps; then
        the review, where the determination is signed and confirmed like any other."""
        failing = self._failing()
        if not failing or self.screening.outcome is not None:
            return
        note = ScreenFailureDialog.ask(self, [c.text for c in failing])
        if note is None:
            return
        text = (
            "stopped early: "
            + "; ".join(c.text for c in failing)
            + (f"; note: {note}" if note else "")
        )
        try:
            record_outcome(self.store, self.user, self.screening_id, "screen_failure", note=text)
        except StoreError as exc:  # bad input, no permission, a full disk: said in words
            self._show_problem(self.stack.currentWidget(), str(exc))
            return
        self.screening = get_screening(self.store, self.screening_id)
        self.outcome_recorded.emit()
        self.go_to("review")

    def screening_signed(self) -> None:
        """A signature was given on the review: later edits need a reason."""
        self.screening = get_screening(self.store, self.screening_id)
        self._refresh_steps()

    def _failing(self) -> list[CriterionResult]:
        return [c for c in self.determination.criteria if c.fails] if self.determination else []

    @Slot(QListWidgetItem)
    def _on_step_list_item_clicked(self, item: QListWidgetItem) -> None:
        step_id = str(item.data(Qt.ItemDataRole.UserRole))
        self.go_to(step_id)
        page = self.pages[step_id]
        if isinstance(page, StepPage):  # Enter or a click: into the step's first open question
            page.focus_first_open()
        else:
            self.review.focus_next_action()

    @Slot(int)
    def _on_step_list_current_row_changed(self, row: int) -> None:
        item = self.step_list.item(row)
        if item is None or self.focusWidget() is not self.step_list:
            return  # moved by the wizard itself
        step_id = str(item.data(Qt.ItemDataRole.UserRole))
        if step_id != self.current_step:
            self.go_to(step_id, focus=False)

    @Slot(QWidget, QWidget)
    def _on_app_focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        """Wherever the focus lands in a step (Enter, Tab, a mnemonic), it is scrolled into view,
        once the layout has settled (a question just shown has no place before that)."""
        page = self.stack.currentWidget() if self.stack.count() else None
        if new is None or not isinstance(page, StepPage) or not page.isAncestorOf(new):
            return
        page.scroller.ensureWidgetVisible(new)
        QTimer.singleShot(0, lambda: _scroll_to(page, new))

    # ---------------------------------------------------------------- answers

    def _parsed(self) -> Answers:
        """The answers as the rules read them (none while they contradict each other)."""
        try:
            return parse_answers(self.answers)
        except InvalidAnswersError:
            return parse_answers({})

    @Slot(str, object)
    def on_answer_changed(self, question_id: str, value: Any) -> None:
        """Check the new answer against all the others, save it with its determination, or say why not."""
        if not self.may_change:
            self._show_answer_again(question_id)
            return
        changes = {question_id: value, **self._last_doses_following(question_id, value)}
        if all(self.answers.get(k) == v for k, v in changes.items()):
            return  # a field left as it was (the focus moving on): nothing to save, no reason asked
        proposed = {k: v for k, v in {**self.answers, **changes}.items() if v is not None}
        # A date after today is a typing mistake (rules §3: an input error, not a verdict); today
        # is the store's clock, given explicitly, never read inside the rules.
        today = self.store.clock().astimezone().date()
        try:  # checked as evaluate reads them; parsed once, and handed on to the flow below
            parsed = checked_answers(self.protocol, proposed, today=today)
        except InvalidAnswersError as exc:
            self._show_field_problem(question_id, "; ".join(
                _in_words(self.protocol, p.field, p.message) for p in exc.problems))  # fmt: skip
            return
        reason = self._reason_if_signed()
        if reason is False:
            self._show_answer_again(question_id)
            return
        # The store computes the determination from the answers as it stores them, and that is
        # the one shown; evaluated here only for an attempt under a protocol it does not carry.
        own = (None if carries_protocol(self.screening.protocol_sha256)
               else evaluate(self.protocol, parsed))  # fmt: skip
        try:
            saved = save_answers(self.store, self.user, self.screening_id, changes,
                                 determination=own, reason=reason)  # fmt: skip
        except BadInputError as exc:
            self._show_field_problem(question_id, _in_words(self.protocol, exc.field, exc.problem))
            return
        except StoreError as exc:  # no permission, a full disk, a read-only store: nothing saved
            self._show_field_problem(question_id, str(exc))
            return
        self.answers = proposed
        if saved is None:  # nothing changed as the store holds it, so nothing written either
            saved = own if own is not None else evaluate(self.protocol, parsed)
        self.screening = get_screening(self.store, self.screening_id)
        page = self._page_of(question_id)
        for settled in [q for q in changes if q in self.carried]:  # saved: no longer a proposal
            del self.carried[settled]
        if page is not None:
            page.show_code(question_id, value)
            page.show_carried(self.carried)
            page.field_errors[question_id].clear_error()
            page.widgets[question_id].setAccessibleDescription("")
            page.error.clear_error()
        self._reevaluate(saved, parsed)
        self.answer_saved.emit(question_id)

    @Slot(str)
    def confirm_carried_answer(self, question_id: str) -> None:
        self.confirm_carried_answers([question_id])

    def confirm_carried_answers(self, questions: list[str]) -> None:
        """Confirm proposals (one field, or every one of a step): saved as answers, audited."""
        wanted = [q for q in questions if q in self.carried]
        if not wanted:
            return
        proposed = {**self.answers, **{q: self.carried[q].value for q in wanted}}
        page = self._page_of(wanted[0])
        try:
            evaluate(self.protocol, proposed, today=self.store.clock().astimezone().date())
        except InvalidAnswersError as exc:
            self._show_problem(page, "; ".join(
                _in_words(self.protocol, p.field, p.message) for p in exc.problems))  # fmt: skip
            return
        if self._reason_if_signed() is False:
            return
        try:
            confirm_carried(self.store, self.user, self.screening_id, wanted)
        except StoreError as exc:  # no permission, a full disk: said in words, nothing saved
            self._show_problem(page, str(exc))
            return
        self.answers = answers_of(self.store, self.screening_id)
        self.carried = carried_of(self.store, self.screening_id)
        self.screening = get_screening(self.store, self.screening_id)
        for each in self.pages.values():
            if isinstance(each, StepPage):
                each.show_answers(self.answers)
                each.show_carried(self.carried)
        self._reevaluate()
        for question_id in wanted:
            self.answer_saved.emit(question_id)

    def _last_doses_following(self, question_id: str, value: Any) -> dict[str, Any]:
        """An agent unticked takes its last dose along (a last dose for an agent not given is a
        contradiction the rules refuse); the date is set aside, and comes back if the agent is
        ticked again in this sitting. The audit trail keeps it either way."""
        if question_id != "medications_given":
            return {}
        given = set(value or ())
        dates = dict(self.answers.get("medication_last_dose") or {})
        for code in [c for c in dates if c not in given]:
            self._set_aside[code] = dates.pop(code)
        for code in [c for c in self._set_aside if c in given and c not in dates]:
            dates[code] = self._set_aside.pop(code)
        if dates == (self.answers.get("medication_last_dose") or {}):
            return {}
        return {"medication_last_dose": dates}

    def _reason_if_signed(self) -> str | Literal[False] | None:
        """A signed screening, or one with its outcome recorded, changes only with a reason, asked
        once per sitting."""
        if self.screening.sign_state == "unsigned" and self.screening.outcome is None:
            return None
        if self._reason:
            return self._reason
        question = (self.tr("This screening has been signed. Why is it being changed?")
                    if self.screening.sign_state != "unsigned"
                    else self.tr("The outcome of this screening is recorded. Why is it being changed?"))  # fmt: skip
        text, ok = QInputDialog.getText(self, self.tr("Reason for change"), question)
        if not ok or not text.strip():
            return False
        self._reason = text.strip()
        return self._reason

    def _show_answer_again(self, question_id: str) -> None:
        page = self._page_of(question_id)
        if page is not None:
            page.widgets[question_id].set_value(self.answers.get(question_id))

    def _page_of(self, question_id: str) -> StepPage | None:
        for page in self.pages.values():
            if isinstance(page, StepPage) and question_id in page.widgets:
                return page
        return None

    def _show_field_problem(self, question_id: str, message: str) -> None:
        """Beside the field whose input was not saved (the message names every field involved)."""
        page = self._page_of(question_id)
        if page is None:
            self._show_problem(self.stack.currentWidget(), message)
        else:
            page.field_errors[question_id].show_error(message)
            page.widgets[question_id].setAccessibleDescription(
                page.field_errors[question_id].text()
            )

    def _show_problem(self, page: QWidget | None, message: str) -> None:
        if isinstance(page, StepPage):
            page.error.show_error(message)

    def _reevaluate(
        self, result: Determination | None = None, parsed: Answers | None = None
    ) -> None:
        """Show the determination (`result`: the one saved; else evaluated here) and the flow of
        the answers (`parsed`: self.answers as the rules read them, when the caller has them)."""
        if result is None:
            try:
                result = evaluate(self.protocol, self.answers)
            except InvalidAnswersError:
                result = None
        self.determination = result
        if parsed is None:
            parsed = self._parsed()
        states = applicable_steps(self.protocol.protocol, parsed)
        # The panel counts what the step list counts: the questions still open in the steps.
        self.panel.show_result(
            result, labels=self._criterion_labels,
            open_questions=sum(len(s.missing) for s in states if s.id not in ("review", "sign")),
        )  # fmt: skip
        asked: dict[str, set[str]] = {}
        for state in states:
            for question in state.questions:
                asked.setdefault(question.split(".", 1)[0], set()).add(question)
        kept = set(kept_not_applicable(self.protocol.protocol, parsed))
        # The rows shown, enabled and marked as kept follow from these alone (and the agents
        # given, whose last doses are asked): set again only when they changed.
        applied = (asked, kept, tuple(self.answers.get("medications_given") or ()))
        for page in self.pages.values():
            if isinstance(page, StepPage):
                if applied != self._applied:
                    page.show_applicable(asked, kept, self)
                if self.carried:  # a row rebuilt above shows its proposal again
                    page.show_carried(self.carried)
        self._applied = applied
        self._show_kept_steps(states, kept)
        self._show_medication_windows(parsed)
        self._show_domain_points(result)
        self._show_prednisone_equivalent(result)
        if self.stack.currentWidget() is self.pages["review"]:
            self.review.show_result(result)  # otherwise built when the review is opened
        self._refresh_steps(states)

    def _show_kept_steps(self, states: tuple[StepState, ...], kept: set[str]) -> None:
        """A step that does not apply (reproductive status for a man) is not shown; its kept
        answers are named under the answer that decides it, so that nothing typed goes unseen."""
        applying = {s.id for s in states}
        for step in self.protocol.protocol.steps:
            if step.applies_when is None or step.id in applying:
                continue
            names = [question_label(self.protocol.protocol, q) for q in step.questions if q in kept]
            page = self._page_of(step.applies_when.question)
            if page is None or not names:
                continue
            note = page.kept[step.applies_when.question]
            note.setText(self.tr("Not applicable, kept (not used now; they count again if {0} "
                                 "applies again): {1}").format(tx(step.title), ", ".join(names)))  # fmt: skip
            note.show()

    def _show_prednisone_equivalent(self, result: Determination | None) -> None:
        """Under the maintenance dose: its prednisone equivalent against the limit, as it is typed."""
        page = self._page_of("gc_maintenance_dose_mg_per_day")
        if page is None:
            return
        note = page.notes["gc_maintenance_dose_mg_per_day"]
        conversion = result.glucocorticoid if result else None
        if conversion is None or not page.applies("gc_maintenance_dose_mg_per_day"):
            note.hide()
            return
        from desktop_app.rules.protocol import GlucocorticoidCriterion

        criterion = next(
            c.id for c in self.protocol.protocol.criteria if isinstance(c, GlucocorticoidCriterion)
        )
        words = (
            self.tr("within the limit")
            if conversion.within_limit
            else self.tr("above the limit: {0} not met").format(criterion)
        )
        show_coloured(note, self.tr("= prednisone {0} mg/day (limit {1} mg/day): {2}").format(
            conversion.prednisone_equivalent_mg_per_day, conversion.limit_mg_per_day, words),
            "" if conversion.within_limit else "#c62828")  # fmt: skip
        note.show()

    def _show_domain_points(self, result: Determination | None) -> None:
        """Under the last question shown of each ACR/EULAR domain whose points are computed (gland sets,
        immunostaining grid, serum IgG4 bands): the points it gives now, and why. Choice domains
        show their points in the choices themselves."""
        from desktop_app.rules.messages import domain_in_words
        from desktop_app.rules.protocol import ChoiceDomain

        scores = {d.domain: d for d in result.acr_eular.domains} if result else {}
        for domain in self.protocol.protocol.acr_eular.domains:
            page = self._page_of(domain.questions[0])
            if isinstance(domain, ChoiceDomain) or page is None:
                continue
            for question_id in domain.questions:  # under its last question on screen, only there
                page.notes[question_id].hide()
            shown = [q for q in domain.questions if page.applies(q)]
            score = scores.get(domain.id)
            if not shown or score is None or not score.answered:
                continue
            note = page.notes[shown[-1]]
            item, detail = domain_in_words(domain, score, current())
            note.setText(
                self.tr("= {0} points: {1}").format(
                    score.points, f"{item} ({detail})" if detail else item
                )
            )
            note.show()

    def _show_medication_windows(self, parsed: Answers) -> None:
        """Beside each agent's last dose: inside or before its class's window, from the rules."""
        catalog: dict[str, tuple[str, str]] = {}
        others: dict[int, tuple[str, str]] = {}
        for window in medication_windows(self.protocol.protocol, parsed):
            shown = self._window_text(window)
            if window.question.startswith("medication_last_dose."):
                catalog[window.question.split(".", 1)[1]] = shown
            else:
                others[int(window.question.split("[", 1)[1].split("]", 1)[0])] = shown
        for page in self.pages.values():
            if isinstance(page, StepPage):
                for widget in page.widgets.values():
                    if isinstance(widget, AgentDates):
                        widget.show_windows(catalog)
                    elif isinstance(widget, OtherMedications):
                        widget.show_windows(others)

    def _window_text(self, window: AgentWindow) -> tuple[str, str]:
        span = (self.tr("{0} months").format(window.months) if window.months
                else self.tr("{0} days").format(window.days))  # fmt: skip
        if window.last_dose is None:
            return self.tr("… {0}: last dose date needed").format(window.criterion), ""
        if window.window_start is None:
            return self.tr("… {0}: needs the screening date").format(window.criterion), ""
        start = window.window_start.isoformat()
        if window.inside:
            return (self.tr("✖ {0}: inside the {1} window (from {2})").format(window.criterion, span, start),
                    "#c62828")  # fmt: skip
        return (self.tr("✔ {0}: before the {1} window (from {2})").format(window.criterion, span, start),
                "#2e7d32")  # fmt: skip

    @property
    def review(self) -> ReviewPage:
        return self._review

    def _refresh_steps(self, states: tuple[StepState, ...] | None = None) -> None:
        """The step list: one line per applicable step with what is still open, updated in place."""
        if states is None:
            states = applicable_steps(self.protocol.protocol, self._parsed())
        shown = [s for s in states if s.id != "sign"]
        current = self.current_step if self.stack.count() else None
        if [
            self.step_list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.step_list.count())
        ] != [s.id for s in shown]:
            self.step_list.clear()
            for state in shown:
                item = QListWidgetItem()
                item.setData(Qt.ItemDataRole.UserRole, state.id)
                self.step_list.addItem(item)
        titles = {step.id: tx(step.title) for step in self.protocol.protocol.steps}
        for row, state in enumerate(shown):
            item = self.step_list.item(row)
            mark = (
                ""
                if state.id == "review"
                else (
                    "   (✓)"
                    if state.complete
                    else self.tr("   ({0} open)").format(len(state.missing))
                )
            )
            if item.text() != titles[state.id] + mark:
                item.setText(titles[state.id] + mark)
            if state.id == current and self.step_list.currentRow() != row:
                self.step_list.setCurrentRow(row)
        self.back_button.setEnabled(current is not None and current != "candidate")
        ineligible = (
            self.determination is not None and self.determination.determination == "ineligible"
        )
        self.stop_button.setEnabled(ineligible and self.screening.outcome is None)
        if self.screening.outcome == "screen_failure":
            self.stop_button.setToolTip(
                self.tr("The screen failure is recorded; the review shows it.")
            )
        self.next_button.setEnabled(current != "review")


def _scroll_to(page: StepPage, widget: QWidget) -> None:
    """Scroll the step to a widget, if both are still there (a quiet moment after focus moved)."""
    try:
        if page.isAncestorOf(widget) and widget.isVisible():
            page.scroller.ensureWidgetVisible(widget)
    except RuntimeError:  # deleted in the meantime (the wizard closed)
        pass


def _in_words(protocol: LoadedProtocol, field: str, message: str) -> str:
    """'consent_date: ... is after the screening date' -> 'Date of informed consent: ...'."""
    separator = "：" if current() == "zh-CN" else ": "
    return f"{question_label(protocol.protocol, field)}{separator}{message_in(current(), message)}"


def _readable_when_disabled(page: QWidget) -> None:
    """A monitor's (or a read-only window's) step: the fields are disabled, but the answers in
    them are read in the palette's full-contrast text colours, not the light grey of disabled
    text (the fields' frames and backgrounds still say they cannot be changed)."""
    palette = page.palette()
    for role in (
        QPalette.ColorRole.Text,
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(
            QPalette.ColorGroup.Disabled, role, palette.color(QPalette.ColorGroup.Active, role)
        )
    page.setPalette(palette)
