"""Small helpers shared by the dialogs: an inline error line and password fields."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

# Qt's namespace and QStandardPaths are reached through QtCore when used, not imported: PySide6
# makes a type, and its enums, at its first use (Qt's namespace's hundred or so enums take some
# 25 ms), which the sign-in window (built from these helpers) need not pay before its first paint.
from PySide6 import QtCore
from PySide6.QtCore import QSettings, QSize
from PySide6.QtGui import QColor, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLayout,
    QLineEdit,
    QSizePolicy,
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


class ElidedLabel(QLabel):
    """One line that gives way on a narrow window (a status bar at 150% on a small screen): it
    shows what fits, ending in "…", and its whole text in the tooltip; it never makes its window
    wider than the screen."""

    def __init__(self, text: str = "") -> None:
        super().__init__()
        self.full_text = ""
        self.setMinimumWidth(self.fontMetrics().averageCharWidth() * 8)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setText(text)

    def setText(self, text: str) -> None:
        self.full_text = text
        self.setToolTip(text)
        self._elide()

    def text(self) -> str:
        return self.full_text

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(self.fontMetrics().horizontalAdvance(self.full_text) + 8, hint.height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(
            self.full_text, QtCore.Qt.TextElideMode.ElideRight, max(self.contentsRect().width(), 0)
        )
        super().setText(shown)

    def shown_text(self) -> str:
        """What the label shows now (elided or whole)."""
        return super().text()


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


def said(exc: BaseException) -> str:
    """An error's message in the user's language (the checks below the screens speak English;
    report_words says their messages in Chinese, values kept as they are)."""
    from desktop_app.report_words import message_in
    from desktop_app.ui.language import current

    return message_in(current(), str(exc))


def roles_in_words(roles: tuple[str, ...] | list[str]) -> str:
    """An account's roles in the user's language ("administrator, investigator"); the store keeps
    the codes."""
    from PySide6.QtCore import QCoreApplication

    return ", ".join(QCoreApplication.translate("Roles", ROLE_WORDS.get(r, r)) for r in roles)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:
    """Marks a constant for the translation under `context` (the class whose tr() shows it);
    typed, unlike PySide6's own, which returns object."""
    return text


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Resize to the size a window is designed for, but never beyond the screen it is on, title
    bar and borders included (at 150% scaling a 1024 x 600 screen is only 683 x 400), and keep
    it on the screen once shown (ui/screen_fit.py)."""
    from desktop_app.ui import screen_fit

    screen_fit.fit_to_screen(window, width, height)


def run_modal(dialog: QDialog) -> int:
    """Show a modal dialog and let Qt delete it afterwards: a dialog with a parent would otherwise
    stay alive, hidden, until the main window closes (every About, audit trail or outcome dialog
    of a working day)."""
    from desktop_app.ui.screen_fit import keep_on_screen

    keep_on_screen(dialog)
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
    buttons = QDialogButtonBox()  # its buttons set apart: the constructor's overloads use Qt's
    buttons.setStandardButtons(QDialogButtonBox.StandardButton.Ok | other)  # namespace (above)
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
    from desktop_app.ui.screen_fit import keep_on_screen

    keep_on_screen(dialog)
    return buttons


def remembered_folder(kind: str) -> Path:
    """Where the file dialogs for one kind of file ("pdf", "bundle", "key") open: the folder the
    user chose last time, else their Documents folder; never the working directory, which for an
    installed program is its own, often read-only, folder."""
    saved = str(QSettings().value(f"folders/{kind}", "") or "")
    return Path(saved) if saved and Path(saved).is_dir() else documents_folder()


def documents_folder() -> Path:
    """The user's Documents folder (their home folder where there is none)."""
    paths = QtCore.QStandardPaths
    documents = paths.writableLocation(paths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents and Path(documents).is_dir() else Path.home()


def remember_folder(kind: str, chosen: Path) -> None:
    """Remember the folder of a file the user chose, for the next dialog of that kind."""
    QSettings().setValue(f"folders/{kind}", str(chosen.parent))


# The roles in words (context "Roles"); the store keeps the codes.
ROLE_WORDS = {
    "administrator": QT_TRANSLATE_NOOP("Roles", "administrator"),
    "coordinator": QT_TRANSLATE_NOOP("Roles", "coordinator"),
    "investigator": QT_TRANSLATE_NOOP("Roles", "investigator"),
    "monitor": QT_TRANSLATE_NOOP("Roles", "monitor"),
}
