"""The medication picker: the catalog's agents as check boxes, with a filter field above them that
narrows the list as you type over each agent's generic, brand and Chinese names (the protocol's
names and medication_aliases, compared as rules.protocol.drug_name_key compares them: case, spaces
and hyphens do not matter). Keyboard only: type, Up and Down choose among the matches, Enter ticks
or unticks the chosen agent (and selects what was typed, to type the next one), Escape clears."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop_app.rules.protocol import Option, Protocol, Question, drug_name_key
from desktop_app.ui.forms import readable
from desktop_app.ui.language import tx
from desktop_app.ui.questions import MultiChoice


class DrugPicker(MultiChoice):
    def __init__(self, protocol: Protocol, question: Question, options: tuple[Option, ...],
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(question, options, parent)
        self.names: dict[str, list[str]] = {}
        for option in options:
            agent = protocol.agent(option.code)
            names = [option.code, *option.label.values()]
            if agent is not None:
                names += [*agent.name.values(), *protocol.medication_aliases.get(option.code, ())]
            self.names[option.code] = list(dict.fromkeys(names))
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(self.tr("Find: type a generic, brand or Chinese name"))
        self.filter.setAccessibleName(self.tr("Find a medication"))
        self.filter.setAccessibleDescription(
            self.tr("Up and Down choose among the matches, Enter ticks or unticks, Escape clears")
        )
        self.filter.setClearButtonEnabled(True)
        self.filter.setProperty("not_an_answer", True)  # an empty filter is no open answer
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.current: str | None = None
        layout = self.layout()  # MultiChoice's column: the filter goes above the list
        if isinstance(layout, QVBoxLayout):
            layout.insertWidget(0, self.filter)
            layout.insertWidget(1, self.hint)
        self.filter.installEventFilter(self)
        self.filter.textChanged.connect(self._on_filter_text_changed)
        self._on_filter_text_changed("")

    def matches(self, text: str) -> list[str]:
        """Agent codes any of whose names contains what was typed, in catalog order."""
        key = drug_name_key(text)
        if not key:
            return list(self.boxes)
        return [
            code
            for code, names in self.names.items()
            if any(key in drug_name_key(name) for name in names)
        ]

    def _matched_name(self, code: str) -> str | None:
        """The name the typed text was found in, when it is not the label shown."""
        key = drug_name_key(self.filter.text())
        shown = drug_name_key(tx(next(o.label for o in self.options if o.code == code)))
        if not key or key in shown:
            return None
        return next((n for n in self.names[code] if key in drug_name_key(n)), None)

    @Slot(str)
    def _on_filter_text_changed(self, text: str) -> None:
        found = self.matches(text)
        for code, box in self.boxes.items():
            row = box.parentWidget()
            if row is not None:
                row.setVisible(code in found)
        self.current = found[0] if found and text.strip() else None
        self._show_current(len(found))

    def _show_current(self, count: int | None = None) -> None:
        highlight = f"background: {readable('#bbdefb')};"
        for code, box in self.boxes.items():
            row = box.parentWidget()
            if row is not None:
                row.setStyleSheet(highlight if code == self.current else "")
        if not self.filter.text().strip():
            self.hint.hide()
            return
        if count is None:
            count = len(self.matches(self.filter.text()))
        if self.current is None:
            self.hint.setText(self.tr("No agent of the list has this name: add it below as an "
                                      "agent not in the list."))  # fmt: skip
        else:
            label = tx(next(o.label for o in self.options if o.code == self.current))
            matched = self._matched_name(self.current)
            shown = self.tr("{0} (as {1})").format(label, matched) if matched else label
            state = (
                self.tr("ticked") if self.boxes[self.current].isChecked() else self.tr("not ticked")
            )
            self.hint.setText(self.tr("{0} match(es); Enter ticks or unticks: {1}, {2}").format(
                count, shown, state))  # fmt: skip
        self.hint.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.filter:
            return super().eventFilter(watched, event)
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key = event.key()
        found = self.matches(self.filter.text()) if self.filter.text().strip() else []
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and found:
            here = found.index(self.current) if self.current in found else -1
            step = 1 if key == Qt.Key.Key_Down else -1
            self.current = found[(here + step) % len(found)]
            self._show_current(len(found))
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.current is not None:
            box = self.boxes[self.current]
            box.setChecked(not box.isChecked())  # saved as any tick is (answer_changed)
            self.filter.selectAll()
            self._show_current(len(found))
            return True
        if key == Qt.Key.Key_Escape and self.filter.text():
            self.filter.clear()
            return True
        return False
