"""Help: the user guide (offline, in the application's language) and the keyboard shortcuts."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PySide6.QtCore import QLocale
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop_app.paths import resource
from desktop_app.ui.forms import QT_TRANSLATE_NOOP, fit_to_screen


def guide_path(locale: QLocale | None = None) -> Path:
    """The guide in the user's language where there is one (zh_CN), else in English."""
    name = (locale or QLocale()).name()
    for candidate in (name, name.split("_", 1)[0], "en"):
        path = resource("guide", f"user-guide.{candidate}.html")
        if path.is_file():
            return path
    return resource("guide", "user-guide.en.html")


class UserGuideDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, locale: QLocale | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Eligo user guide"))
        fit_to_screen(self, 760, 640)
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)  # offline: nothing to follow
        self.path = guide_path(locale)
        self.browser.setHtml(self.path.read_text(encoding="utf-8"))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(close)


# Keys that are not menu actions: in the wizard and the log.
OTHER_KEYS = (
    ("Enter", QT_TRANSLATE_NOOP("ShortcutsDialog", "Log: continue the selected screening")),
    ("Ctrl+F, Alt+D", QT_TRANSLATE_NOOP("ShortcutsDialog", "Log: find a screening number or initials")),
    ("Enter", QT_TRANSLATE_NOOP("ShortcutsDialog", "Wizard: save the field, go to the next open question")),
    ("Y / N", QT_TRANSLATE_NOOP("ShortcutsDialog", "Wizard: answer yes or no to the focused question")),
    ("↑ ↓ Home End", QT_TRANSLATE_NOOP("ShortcutsDialog", "Wizard: move in a list of check boxes (End: None of these)")),
    ("A–Z", QT_TRANSLATE_NOOP("ShortcutsDialog", "Wizard: go to the check box whose label begins so")),
    ("Space", QT_TRANSLATE_NOOP("ShortcutsDialog", "Wizard: tick or untick the focused check box")),
    ("↑ ↓", QT_TRANSLATE_NOOP("ShortcutsDialog", "Wizard: in the step list, open the step above or below")),
    ("Alt+N / Alt+B", QT_TRANSLATE_NOOP("ShortcutsDialog", "Wizard: next step / previous step")),
    ("Ctrl+Shift+N", QT_TRANSLATE_NOOP("ShortcutsDialog", "Wizard: the note on the focused question")),
    ("Ctrl+Shift+Q", QT_TRANSLATE_NOOP("ShortcutsDialog", "Wizard: the queries on the focused question")),
    ("Alt+L", QT_TRANSLATE_NOOP("ShortcutsDialog", "Wizard: save and finish later")),
    ("Alt+F", QT_TRANSLATE_NOOP("ShortcutsDialog", "Wizard: record screen failure")),
)  # fmt: skip


class ShortcutsDialog(QDialog):
    """Every shortcut of the menus (read from the actions, so the list never goes stale) and the
    keys of the wizard and the log."""

    def __init__(self, actions: Iterable[QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        fit_to_screen(self, 640, 520)
        rows = [
            (action.shortcut().toString(QKeySequence.SequenceFormat.NativeText),
             action.text().replace("&", "").rstrip("…"))
            for action in actions
            if not action.shortcut().isEmpty()
        ]  # fmt: skip
        rows += [(keys, self.tr(what)) for keys, what in OTHER_KEYS]
        self.table = QTableWidget(len(rows), 2)
        self.table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("What they do")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for row, (keys, what) in enumerate(rows):
            self.table.setItem(row, 0, QTableWidgetItem(keys))
            self.table.setItem(row, 1, QTableWidgetItem(what))
        self.table.resizeColumnToContents(0)
        self.table.horizontalHeader().setStretchLastSection(True)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(close)
