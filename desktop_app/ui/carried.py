"""Re-screening proposals on a wizard step (store/carry.py): under each field holding an answer
carried from the previous attempt, "From attempt N: confirm" with its own Confirm button; at the
top of the step a banner with one button that confirms every carried answer of the step. Until
confirmed they are proposals: not answers, not read by the rules, not signed."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QWidget

from desktop_app.ui.forms import readable

_STYLE = "QFrame#carried {{ background: {0}; border: 1px solid {1}; border-radius: 3px; }}"


def _framed(frame: QFrame) -> None:
    frame.setObjectName("carried")
    frame.setStyleSheet(_STYLE.format(readable("#fff8e1"), readable("#f9a825")))


class CarriedNote(QFrame):
    """Under one field: the answer shown is carried from attempt N and waits for confirmation."""

    confirm_requested = Signal(str)  # question id

    def __init__(self, question_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _framed(self)
        self.question_id = question_id
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.button = QPushButton(self.tr("Confirm"))
        self.button.clicked.connect(self._on_button_clicked)
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 2, 4, 2)
        row.addWidget(self.label, 1)
        row.addWidget(self.button)
        self.hide()

    def show_from(self, attempt: int) -> None:
        self.label.setText(
            self.tr("From attempt {0}: confirm (not counted until confirmed)").format(attempt)
        )
        self.button.setAccessibleName(
            self.tr("Confirm the answer carried from attempt {0}").format(attempt)
        )
        self.show()

    @Slot()
    def _on_button_clicked(self) -> None:
        self.confirm_requested.emit(self.question_id)


class CarriedBanner(QFrame):
    """At the top of a step: how many answers are carried, and one click to confirm them all."""

    confirm_all_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        _framed(self)
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.button = QPushButton(self.tr("C&onfirm all carried answers on this step"))
        self.button.clicked.connect(self.confirm_all_requested)
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 4, 6, 4)
        row.addWidget(self.label, 1)
        row.addWidget(self.button)
        self.hide()

    def show_count(self, count: int, attempts: list[int]) -> None:
        if not count:
            self.hide()
            return
        self.label.setText(
            self.tr("{0} answer(s) on this step are carried from attempt {1}: check each, they count "
                    "only once confirmed.").format(count, ", ".join(str(a) for a in attempts))
        )  # fmt: skip
        self.show()
