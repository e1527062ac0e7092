"""Missing-data codes beside a question's value (rules.missing_data): one check box per code the
protocol's question accepts ("Pending", "Not done", ...), reached with Tab and ticked with Space;
ticking one saves the code in place of the value, unticking clears it, typing a value replaces it.
Also the words for a coded answer, for the review and the printed summary."""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QWidget

from desktop_app.rules.missing_data import code_of, coded
from desktop_app.rules.protocol import Protocol, Question
from desktop_app.ui.language import tx


class MissingCodes(QWidget):
    """The codes a question accepts, as exclusive check boxes (none ticked: no code)."""

    code_changed = Signal(str, object)  # question id, {"missing_data": code} or None

    def __init__(
        self, protocol: Protocol, question: Question, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.question = question
        self.boxes: dict[str, QCheckBox] = {}
        self._loading = False
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(self.tr("or:")))
        for code in question.missing_codes:
            label = protocol.missing_code_label(code)
            box = QCheckBox(tx(label) if label else code)
            box.setAccessibleName(self.tr("{0}: {1}").format(tx(question.text), box.text()))
            box.toggled.connect(lambda checked, c=code: self._on_box_toggled(c, checked))
            self.boxes[code] = box
            row.addWidget(box)
        row.addStretch(1)

    def code(self) -> str | None:
        return next((c for c, box in self.boxes.items() if box.isChecked()), None)

    def set_code(self, code: str | None) -> None:
        self._loading = True
        try:
            for c, box in self.boxes.items():
                box.setChecked(c == code)
        finally:
            self._loading = False

    @Slot()
    def _on_box_toggled(self, code: str, checked: bool) -> None:
        if self._loading:
            return
        if checked:
            self.set_code(code)  # one code at a time
            self.code_changed.emit(self.question.id, coded(code))
        elif self.code() is None:
            self.code_changed.emit(self.question.id, None)


def code_words(protocol: Protocol, value: Any) -> str | None:
    """'Pending' (in the user's language) for an answer given a code; None for a value."""
    code = code_of(value)
    if code is None:
        return None
    label = protocol.missing_code_label(code)
    return tx(label) if label else code


def coded_answers_html(protocol: Protocol, answers: Mapping[str, Any], title: str) -> str:
    """The printed summary's list of answers given a missing-data code (never a blank)."""
    from desktop_app.ui.review import question_label

    rows = [
        f"<tr><td>{html.escape(question_label(protocol, q.id))}</td>"
        f"<td>{html.escape(words)}</td></tr>"
        for q in protocol.questions
        if (words := code_words(protocol, answers.get(q.id))) is not None
    ]
    if not rows:
        return ""
    return f"<h2>{html.escape(title)}</h2><table width='100%'>{''.join(rows)}</table>"
