"""The live determination beside every step: text and symbol as well as colour."""

from __future__ import annotations

import html
from collections.abc import Mapping

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout

from desktop_app.rules import Determination
from desktop_app.ui.forms import readable, tinted

STYLE = {
    "eligible": ("✔", "#1b5e20", "#e8f5e9"),
    "ineligible": ("✖", "#b71c1c", "#ffebee"),
    "incomplete": ("…", "#5d4037", "#fff8e1"),
}


class VerdictPanel(QFrame):
    def __init__(self) -> None:
        super().__init__()
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setMinimumWidth(240)
        self.setMaximumWidth(300)
        self.headline = QLabel()
        self.headline.setWordWrap(True)
        self.headline.setAccessibleName(self.tr("Determination"))
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.acr = QLabel()
        self.acr.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("<b>Determination</b>")))
        layout.addWidget(self.headline)
        layout.addWidget(self.details)
        layout.addWidget(self.acr)
        layout.addStretch(1)

    def show_result(
        self,
        result: Determination | None,
        labels: Mapping[str, str] | None = None,
        open_questions: int | None = None,
    ) -> None:
        """`labels`: each criterion's short label, shown with its id; `open_questions`: the
        questions still open in the steps, the count the step list shows step by step."""
        if result is None:
            self.headline.setText(self.tr("Cannot evaluate: correct the answer shown in red"))
            self.details.clear()
            return
        symbol, colour, background = STYLE[result.determination]
        words = {"eligible": self.tr("Eligible"), "ineligible": self.tr("Ineligible"),
                 "incomplete": self.tr("Incomplete")}[result.determination]  # fmt: skip
        self.headline.setText(f"<span style='font-size:16pt'>{symbol} {words}</span>")
        self._colour_headline(colour, background)
        named = labels or {}
        if result.determination == "ineligible":
            failing = "".join(
                f"<br>{html.escape(c)} {html.escape(named.get(c, ''))}" for c in result.failing
            )
            self.details.setText(self.tr("Failing:") + failing)
        elif result.determination == "incomplete":
            if open_questions:
                self.details.setText(
                    self.tr("%n question(s) still open in the steps", "", open_questions)
                )
            else:
                self.details.setText(
                    self.tr("%n answer(s) needed for the determination", "", len(result.missing))
                )
        else:
            self.details.setText(self.tr("Every criterion is met"))
        acr = result.acr_eular
        self.acr.setText(self.tr("ACR/EULAR total: {0} / {1}").format(acr.total, acr.threshold))

    def _colour_headline(self, colour: str, background: str) -> None:
        """The headline in its status colours, through its palette: a style sheet set at each
        change restyled the label and laid the panel out again (the wizard's live update)."""
        # A tinted box with 6 pixels round the text, and the text indented by half an "x" as a
        # label with a frame indents it (what "padding: 6px" in a style sheet gave).
        self.headline.setAutoFillBackground(True)
        self.headline.setMargin(6)
        indent = self.headline.fontMetrics().horizontalAdvance("x") // 2
        if self.headline.indent() != indent:
            self.headline.setIndent(indent)
        palette = self.headline.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor(readable(colour)))
        palette.setColor(QPalette.ColorRole.Window, QColor(tinted(background)))
        self.headline.setPalette(palette)
