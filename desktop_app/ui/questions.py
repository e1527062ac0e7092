"""One input widget per question type of the protocol; each says when its answer changed.

A widget holds "not answered" as a state of its own (None), never a silent no.
"""

from __future__ import annotations

import time
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal, Slot
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop_app.rules.protocol import Option, Protocol, Question
from desktop_app.ui.forms import QT_TRANSLATE_NOOP, show_coloured
from desktop_app.ui.language import tx


class QuestionWidget(QWidget):
    """Base: `value()` is the JSON answer or None; `answer_changed` fires on each edit."""

    answer_changed = Signal(str, object)  # question id, new value (None: not answered)

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.question = question
        self.setAccessibleName(tx(question.text))
        self._loading = False

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        self._loading = True
        try:
            self._show(value)
        finally:
            self._loading = False

    def _show(self, value: Any) -> None:
        raise NotImplementedError

    def _emit(self) -> None:
        if not self._loading:
            self.answer_changed.emit(self.question.id, self.value())


class TextInput(QuestionWidget):
    """Free text, numbers and dates typed as YYYY-MM-DD; checked when the field is left."""

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        self.edit = QLineEdit()
        self.edit.setAccessibleName(tx(question.text))
        if question.type == "date":
            self.edit.setPlaceholderText("YYYY-MM-DD")
            self.edit.setInputMask("")
        elif question.unit:
            self.edit.setPlaceholderText(question.unit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        self.indeterminate: QCheckBox | None = None
        if question.type == "number_or_indeterminate":
            self.indeterminate = QCheckBox(self.tr("indeterminate"))
            self.indeterminate.toggled.connect(self._on_indeterminate_toggled)
            layout.addWidget(self.indeterminate)
        self.edit.editingFinished.connect(self._on_edit_editing_finished)

    def value(self) -> Any:
        if self.indeterminate is not None and self.indeterminate.isChecked():
            return "indeterminate"
        text = self.edit.text().strip()
        if not text:
            return None
        if self.question.type in ("number", "number_or_indeterminate"):
            try:
                number = float(text.replace(",", "."))
            except ValueError:
                return text  # the store rejects it and the page says why
            return int(number) if number.is_integer() else number
        return text

    def _show(self, value: Any) -> None:
        if self.indeterminate is not None:
            self.indeterminate.setChecked(value == "indeterminate")
        self.edit.setText("" if value in (None, "indeterminate") else str(value))

    @Slot()
    def _on_edit_editing_finished(self) -> None:
        self._emit()

    @Slot(bool)
    def _on_indeterminate_toggled(self, checked: bool) -> None:
        self.edit.setEnabled(not checked)
        self._emit()


class YesNo(QuestionWidget):
    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        # No mnemonics (&Yes, &No): a page with several questions would repeat them, and Alt+N
        # would never reach Next. A focused question takes Y and N instead (and the arrows).
        self.yes = QRadioButton(self.tr("Yes"))
        self.no = QRadioButton(self.tr("No"))
        self.group = QButtonGroup(self)
        for button in (self.yes, self.no):
            self.group.addButton(button)
            button.setAccessibleName(f"{tx(question.text)}: {button.text()}")
            button.setAccessibleDescription(self.tr("Press Y for yes, N for no"))
            button.installEventFilter(self)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.yes)
        layout.addWidget(self.no)
        layout.addStretch(1)
        self.group.buttonClicked.connect(self._on_group_button_clicked)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Y or N on a focused answer of this question chooses it (and saves it)."""
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            target = {Qt.Key.Key_Y: self.yes, Qt.Key.Key_N: self.no}.get(Qt.Key(event.key()))
            if target is not None and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
                target.setFocus(Qt.FocusReason.ShortcutFocusReason)
                if not target.isChecked():
                    target.click()
                return True
        return super().eventFilter(watched, event)

    def value(self) -> Any:
        return True if self.yes.isChecked() else (False if self.no.isChecked() else None)

    def _show(self, value: Any) -> None:
        self.group.setExclusive(False)
        self.yes.setChecked(value is True)
        self.no.setChecked(value is False)
        self.group.setExclusive(True)

    @Slot()
    def _on_group_button_clicked(self) -> None:
        self._emit()


class Choice(QuestionWidget):
    """A drop-down; the first entry means not answered. Points are shown where they apply."""

    def __init__(self, question: Question, options: tuple[Option, ...], points: dict[str, int] | None = None,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(question, parent)
        self.combo = QComboBox()
        self.combo.setAccessibleName(tx(question.text))
        # A long choice does not widen the page; the open list shows every choice whole.
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.combo.setMinimumContentsLength(16)  # grows with the form; 16 fits 1024 x 600 at 150%
        self.combo.addItem(self.tr("— not answered —"), None)
        for option in options:
            label = tx(option.label)
            if points is not None and option.code in points:
                # Points first: a closed drop-down narrower than a long choice still shows them.
                label = self.tr("{1} points – {0}").format(label, points[option.code])
            self.combo.addItem(label, option.code)
            self.combo.setItemData(self.combo.count() - 1, label, Qt.ItemDataRole.ToolTipRole)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        self.combo.currentIndexChanged.connect(self._on_combo_current_index_changed)

    def value(self) -> Any:
        return self.combo.currentData()

    def _show(self, value: Any) -> None:
        index = self.combo.findData(value) if value is not None else 0
        self.combo.setCurrentIndex(max(index, 0))
        self.combo.setToolTip(self.combo.currentText())

    @Slot(int)
    def _on_combo_current_index_changed(self, _index: int) -> None:
        self.combo.setToolTip(self.combo.currentText())  # the whole choice, however narrow
        self._emit()


class WrappedCheckBox(QWidget):
    """A check box whose long clinical label wraps instead of widening the page; a click on the
    label ticks the box, as it would on a check box's own text."""

    def __init__(self, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.box = QCheckBox()
        self.box.setAccessibleName(text)
        self.label = _ClickableLabel(text, self.box)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.box, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.label, 1)
        self.setFocusProxy(
            self.box
        )  # the focus ring goes round the box and its label (ui/style.py)


class _ClickableLabel(QLabel):
    def __init__(self, text: str, box: QCheckBox) -> None:
        super().__init__(text)
        self.box = box
        self.setWordWrap(True)
        self.setBuddy(box)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.box.isEnabled():
            self.box.toggle()
            self.box.setFocus()
        super().mouseReleaseEvent(event)


class MultiChoice(QuestionWidget):
    """Tick what applies, or tick 'none of these': both are answers; nothing ticked is not."""

    def __init__(
        self, question: Question, options: tuple[Option, ...], parent: QWidget | None = None
    ) -> None:
        super().__init__(question, parent)
        self.options = options
        self.boxes: dict[str, QCheckBox] = {}
        # The options in a frame of their own, so that two lists one after the other (organs, then
        # exclusion items) never read as one; "None of these" below a rule, as part of its list.
        frame = QFrame()
        frame.setFrameShape(QFrame.Shape.StyledPanel)
        column = QVBoxLayout(frame)
        column.setSpacing(2)
        for option in options:
            row = WrappedCheckBox(tx(option.label))
            self.boxes[option.code] = row.box
            row.box.toggled.connect(self._on_box_toggled)
            column.addWidget(row)
        rule = QFrame()
        rule.setFrameShape(QFrame.Shape.HLine)
        rule.setFrameShadow(QFrame.Shadow.Sunken)
        column.addWidget(rule)
        self.none = QCheckBox(self.tr("None of these"))
        column.addWidget(self.none)
        # The keyboard within the list: Up and Down move between the boxes, Home and End go to
        # the first and to "None of these", typed letters go to the option they begin (Space
        # ticks, as always).
        self._typed = ""
        self._typed_at = 0.0
        for box in self.order:
            box.installEventFilter(self)
            box.setAccessibleDescription(
                self.tr(
                    "Up and Down move in the list, End goes to None of these, typing goes to an option"
                )
            )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(frame)
        self.none.toggled.connect(self._on_none_toggled)

    @property
    def order(self) -> list[QCheckBox]:
        return [*self.boxes.values(), self.none]

    def labels(self) -> list[str]:
        return [*(tx(o.label) for o in self.options), self.none.text()]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        order = self.order
        if watched not in order:
            return super().eventFilter(watched, event)
        here = order.index(watched)
        key = event.key()
        moves = {Qt.Key.Key_Up: here - 1, Qt.Key.Key_Down: here + 1, Qt.Key.Key_Home: 0,
                 Qt.Key.Key_End: len(order) - 1}  # fmt: skip
        if key in moves:
            order[max(0, min(len(order) - 1, moves[Qt.Key(key)]))].setFocus(
                Qt.FocusReason.TabFocusReason
            )
            return True
        text = event.text()
        if (
            text
            and text.isprintable()
            and not text.isspace()
            and not event.modifiers()
            & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier)
        ):
            return self._type_ahead(text, here)
        return super().eventFilter(watched, event)

    def _type_ahead(self, text: str, here: int) -> bool:
        """To the next option whose label begins with what was typed (within a second)."""
        now = time.monotonic()
        self._typed = (self._typed if now - self._typed_at < 1.0 else "") + text.casefold()
        self._typed_at = now
        labels = [label.casefold() for label in self.labels()]
        order = self.order
        start = here if len(self._typed) > 1 else here + 1
        for step in range(len(order)):
            index = (start + step) % len(order)
            if labels[index].startswith(self._typed):
                order[index].setFocus(Qt.FocusReason.TabFocusReason)
                return True
        return True

    def value(self) -> Any:
        ticked = [code for code, box in self.boxes.items() if box.isChecked()]
        if ticked:
            return ticked
        return [] if self.none.isChecked() else None

    def _show(self, value: Any) -> None:
        for code, box in self.boxes.items():
            box.setChecked(value is not None and code in value)
        self.none.setChecked(value == [])

    @Slot(bool)
    def _on_box_toggled(self, checked: bool) -> None:
        if checked and self.none.isChecked():
            self._loading, was = True, self._loading
            self.none.setChecked(False)
            self._loading = was
        self._emit()

    @Slot(bool)
    def _on_none_toggled(self, checked: bool) -> None:
        if checked:
            self._loading, was = True, self._loading
            for box in self.boxes.values():
                box.setChecked(False)
            self._loading = was
        self._emit()


class AgentDates(QuestionWidget):
    """One last-dose date per agent given (rules.flow decides which); the answer is a mapping."""

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        self.fields: dict[str, QLineEdit] = {}
        self.results: dict[str, QLabel] = {}
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)

    def set_agents(self, agents: list[tuple[str, str]]) -> None:
        """(code, name) of the agents given, in order."""
        current = self.value() or {}
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item else None
            if widget is not None:
                widget.deleteLater()
        self.fields = {}
        self.results = {}
        for row, (code, name) in enumerate(agents):
            edit = QLineEdit(current.get(code, ""))
            edit.setPlaceholderText("YYYY-MM-DD")
            edit.setAccessibleName(self.tr("Last dose of {0}").format(name))
            edit.editingFinished.connect(self._on_edit_editing_finished)
            _date_width(edit)
            result = QLabel()
            self.grid.addWidget(QLabel(name), row * 2, 0)
            self.grid.addWidget(edit, row * 2, 1, Qt.AlignmentFlag.AlignLeft)
            self.grid.addWidget(result, row * 2 + 1, 1)  # under its date, as wide as the page
            self.fields[code] = edit
            self.results[code] = result

    def show_windows(self, texts: dict[str, tuple[str, str]]) -> None:
        """Each agent's window result beside its date: code -> (text, colour)."""
        for code, label in self.results.items():
            show_coloured(label, *texts.get(code, ("", "")))

    def value(self) -> Any:
        dates = {
            code: edit.text().strip() for code, edit in self.fields.items() if edit.text().strip()
        }
        return dates or None

    def _show(self, value: Any) -> None:
        for code, edit in self.fields.items():
            edit.setText((value or {}).get(code, ""))

    @Slot()
    def _on_edit_editing_finished(self) -> None:
        self._emit()


def _date_width(edit: QLineEdit) -> None:
    """As wide as a date with room to spare, in this font: the result line gets the rest."""
    edit.setFixedWidth(edit.fontMetrics().horizontalAdvance("0000-00-00") * 3 // 2)


def make_widget(protocol: Protocol, question: Question) -> QuestionWidget:
    if question.type == "boolean":
        return YesNo(question)
    if question.type == "choice":
        return Choice(question, protocol.options(question.id), _points(protocol, question))
    if question.type == "multi_choice" and question.options_from == "medication_catalog":
        from desktop_app.ui.drug_picker import DrugPicker  # filters as you type

        return DrugPicker(protocol, question, protocol.options(question.id))
    if question.type == "multi_choice":
        return MultiChoice(question, protocol.options(question.id))
    if question.type == "date_per_agent":
        return AgentDates(question)
    if question.type == "other_medications":
        return OtherMedications(question)
    return TextInput(question)


def _points(protocol: Protocol, question: Question) -> dict[str, int] | None:
    """Points per item for the ACR/EULAR choice domains, shown beside each choice."""
    from desktop_app.rules.protocol import ChoiceDomain

    for domain in protocol.acr_eular.domains:
        if isinstance(domain, ChoiceDomain) and domain.question == question.id:
            return {item.code: item.points for item in domain.items}
    return None


class OtherMedications(QuestionWidget):
    """Agents not in the catalog: a name, a classification the coordinator must choose, and the
    last dose. A row counts once it has a name and a classification."""

    CLASSES = (("biologic", QT_TRANSLATE_NOOP("OtherMedications", "Biologic (E5)")),
               ("non_biologic_dmard", QT_TRANSLATE_NOOP("OtherMedications", "Non-biologic DMARD or immunosuppressant (E6)")),
               ("glucocorticoid", QT_TRANSLATE_NOOP("OtherMedications", "Glucocorticoid (neither)")),
               ("nsaid", QT_TRANSLATE_NOOP("OtherMedications", "NSAID (neither)")),
               ("other", QT_TRANSLATE_NOOP("OtherMedications", "Other (neither)")))  # fmt: skip

    def __init__(self, question: Question, parent: QWidget | None = None) -> None:
        super().__init__(question, parent)
        from PySide6.QtWidgets import QPushButton

        self.rows: list[tuple[QLineEdit, QComboBox, QLineEdit]] = []
        self.results: list[QLabel] = []
        self.grid = QGridLayout()
        add = QPushButton(self.tr("Add an agent not in the list"))
        add.clicked.connect(self._on_add_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.grid)
        layout.addWidget(add)

    def add_row(self) -> tuple[QLineEdit, QComboBox, QLineEdit]:
        name = QLineEdit()
        name.setPlaceholderText(self.tr("agent name"))
        name.setAccessibleName(self.tr("Agent name"))
        kind = QComboBox()
        kind.setAccessibleName(self.tr("Classification"))
        kind.addItem(self.tr("— classify —"), None)
        for code, label in self.CLASSES:
            kind.addItem(self.tr(label), code)
        last = QLineEdit()
        last.setPlaceholderText(self.tr("last dose YYYY-MM-DD"))
        last.setAccessibleName(self.tr("Last dose"))
        _date_width(last)
        kind.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        kind.setMinimumContentsLength(16)
        row = len(self.rows)
        for column, widget in enumerate((name, kind, last)):
            self.grid.addWidget(widget, row * 2, column)
        self.grid.setColumnStretch(0, 3)
        self.grid.setColumnStretch(1, 2)
        result = QLabel()
        self.grid.addWidget(result, row * 2 + 1, 0, 1, 3)  # under its row: the row is full
        self.results.append(result)
        name.editingFinished.connect(self._emit)
        last.editingFinished.connect(self._emit)
        kind.currentIndexChanged.connect(self._emit)
        self.rows.append((name, kind, last))
        return name, kind, last

    def value(self) -> Any:
        entries = []
        for name, kind, last in self.rows:
            if name.text().strip() and kind.currentData():
                entry: dict[str, Any] = {
                    "name": name.text().strip(),
                    "classification": kind.currentData(),
                }
                if last.text().strip():
                    entry["last_dose_date"] = last.text().strip()
                entries.append(entry)
        return entries or None

    def _show(self, value: Any) -> None:
        while len(self.rows) < len(value or []):
            self.add_row()
        for i, (name, kind, last) in enumerate(self.rows):
            entry = (value or [])[i] if i < len(value or []) else {}
            name.setText(entry.get("name", ""))
            kind.setCurrentIndex(max(kind.findData(entry.get("classification")), 0))
            last.setText(entry.get("last_dose_date", ""))

    def show_windows(self, texts: dict[int, tuple[str, str]]) -> None:
        """Each counted row's window result (row index among the counted entries)."""
        counted = [
            i
            for i, (name, kind, _) in enumerate(self.rows)
            if name.text().strip() and kind.currentData()
        ]
        for i, label in enumerate(self.results):
            show_coloured(
                label, *(texts.get(counted.index(i), ("", "")) if i in counted else ("", ""))
            )

    @Slot()
    def _on_add_clicked(self) -> None:
        self.add_row()[0].setFocus()
