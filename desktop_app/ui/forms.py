"""Small helpers shared by the dialogs: an inline error line and password fields."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLayout,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)


def password_field(placeholder: str = "") -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    field.setPlaceholderText(placeholder)
    return field


class ErrorLine(QLabel):
    """Says which field is wrong and why, in red with text (never colour alone)."""

    def __init__(self) -> None:
        super().__init__()
        self.setWordWrap(True)
        self.setStyleSheet("QLabel { color: #b00020; font-weight: bold; }")
        self.hide()

    def show_error(self, message: str) -> None:
        self.setText(self.tr("Not saved: {0}").format(message))
        self.show()

    def clear_error(self) -> None:
        self.clear()
        self.hide()


def lay_out_dialog(
    dialog: QDialog,
    *parts: QWidget | QLayout,
    error: ErrorLine,
    on_accepted: Callable[[], None],
    ok_text: str | None = None,
    other: QDialogButtonBox.StandardButton = QDialogButtonBox.StandardButton.Cancel,
) -> QDialogButtonBox:
    """The common dialog shape: its parts, the error line, then OK and Cancel (or `other`)."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | other)
    if ok_text:
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
    buttons.accepted.connect(on_accepted)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    for part in parts:
        if isinstance(part, QLayout):
            layout.addLayout(part)
        else:
            layout.addWidget(part)
    layout.addWidget(error)
    layout.addWidget(buttons)
    return buttons
