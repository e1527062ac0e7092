"""Small helpers shared by the dialogs: an inline error line and password fields."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
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


def dark_palette() -> bool:
    """True when the system (or the user) gave Qt a dark palette."""
    return QApplication.palette().color(QPalette.ColorRole.Base).lightnessF() < 0.5


def readable(colour: str) -> str:
    """A status colour that keeps its hue but stays readable on the palette's background: the
    dark shades Eligo uses on light backgrounds become light ones on dark backgrounds."""
    if not dark_palette():
        return colour
    c = QColor(colour)
    c.setHslF(c.hslHueF(), min(c.hslSaturationF(), 0.7), max(c.lightnessF(), 0.72))
    return c.name()


def tinted(background: str) -> str:
    """A pale panel background, or its dark counterpart under a dark palette."""
    if not dark_palette():
        return background
    c = QColor(background)
    c.setHslF(c.hslHueF(), min(c.hslSaturationF(), 0.5), 0.2)
    return c.name()


def show_coloured(label: QLabel, text: str, colour: str = "") -> None:
    """A label's text in a status colour (made readable on the palette), or the palette's own."""
    label.setText(text)
    label.setStyleSheet(f"QLabel {{ color: {readable(colour)}; }}" if colour else "")


class ErrorLine(QLabel):
    """Says which field is wrong and why, in red with text (never colour alone); `template` says
    what did not happen ("Not saved: {0}" unless given)."""

    def __init__(self, template: str | None = None) -> None:
        super().__init__()
        self.template = template or self.tr("Not saved: {0}")
        self.setWordWrap(True)
        self.setStyleSheet(f"QLabel {{ color: {readable('#b00020')}; font-weight: bold; }}")
        self.hide()

    def show_error(self, message: str) -> None:
        from desktop_app.report_words import (
            message_in,  # the checks' messages, in the user's language
        )
        from desktop_app.ui.language import current

        self.setText(self.template.format(message_in(current(), message)))
        self.show()

    def clear_error(self) -> None:
        self.clear()
        self.hide()


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks a constant for the translation under `context` (the class whose tr() shows it);
    typed, unlike PySide6's own, which returns object."""
    return text


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Resize to the size a window is designed for, but never beyond the screen it is on (at 150%
    scaling a 1366 x 768 laptop screen is only 910 x 512)."""
    screen = window.screen().availableGeometry()
    window.resize(min(width, screen.width()), min(height, screen.height()))


def run_modal(dialog: QDialog) -> int:
    """Show a modal dialog and let Qt delete it afterwards: a dialog with a parent would otherwise
    stay alive, hidden, until the main window closes (every About, audit trail or outcome dialog
    of a working day)."""
    try:
        return dialog.exec()
    finally:
        dialog.deleteLater()


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


def remembered_folder(kind: str) -> Path:
    """Where the file dialogs for one kind of file ("pdf", "bundle", "key") open: the folder the
    user chose last time, else their Documents folder; never the working directory, which for an
    installed program is its own, often read-only, folder."""
    saved = str(QSettings().value(f"folders/{kind}", "") or "")
    return Path(saved) if saved and Path(saved).is_dir() else documents_folder()


def documents_folder() -> Path:
    """The user's Documents folder (their home folder where there is none)."""
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents and Path(documents).is_dir() else Path.home()


def remember_folder(kind: str, chosen: Path) -> None:
    """Remember the folder of a file the user chose, for the next dialog of that kind."""
    QSettings().setValue(f"folders/{kind}", str(chosen.parent))
