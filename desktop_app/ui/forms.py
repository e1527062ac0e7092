"""Small helpers shared by the dialogs: an inline error line and password fields."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QLineEdit


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
