"""What a user sees in a window (labels, buttons, headers, items, tooltips, titles, accessible
names), and the English left in it: a Chinese screen must hold no English source string and no
run of three or more English words outside the allowlist (codes, units, drug INNs in
parentheses, data typed by users such as names)."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from pathlib import Path

from english_words import ALLOWED_WORDS, WORD, english_runs
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMenu,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QTreeWidget,
    QWidget,
)

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "eligo_zh_CN.ts"


def english_sources() -> set[str]:
    """Every English source string of the translation file (with and without mnemonics)."""
    tree = ET.parse(TS)
    found = set()
    for m in tree.getroot().iter("message"):
        source = m.findtext("source") or ""
        if source.strip() and source != (m.findtext("translation") or ""):
            found.add(source)
            found.add(source.replace("&", ""))
    return found


def _plain(text: str) -> str:
    if "<" in text and ">" in text:
        doc = QTextDocument()
        doc.setHtml(text)
        return doc.toPlainText()
    return text


def texts_of(widget: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for everything visible a user reads in `widget` and its children."""
    for w in [widget, *widget.findChildren(QWidget)]:
        if not w.isVisibleTo(widget) and w is not widget:
            continue
        name = type(w).__name__
        if w.isWindow() and w.windowTitle():
            yield f"{name}.windowTitle", w.windowTitle()
        if w.toolTip():
            yield f"{name}.toolTip", _plain(w.toolTip())
        if w.accessibleName():
            yield f"{name}.accessibleName", w.accessibleName()
        if isinstance(w, QLabel):
            yield "QLabel", _plain(w.text())
        elif isinstance(w, QAbstractButton):
            yield name, w.text().replace("&", "")
        elif isinstance(w, QLineEdit):
            yield "QLineEdit.placeholder", w.placeholderText()
        elif isinstance(w, QComboBox):
            for i in range(w.count()):
                yield "QComboBox.item", w.itemText(i)
        elif isinstance(w, QGroupBox):
            yield "QGroupBox", w.title()
        elif isinstance(w, QTabWidget):
            for i in range(w.count()):
                yield "QTabWidget.tab", w.tabText(i).replace("&", "")
        elif isinstance(w, QMenu):
            for action in w.actions():
                yield "QMenu.action", action.text().replace("&", "")
                if action.toolTip():
                    yield "QMenu.toolTip", action.toolTip().replace("&", "")
        elif isinstance(w, (QPlainTextEdit, QTextEdit)):
            yield name, w.toPlainText()
        if (
            isinstance(w, QAbstractItemView)
            and not isinstance(w, QHeaderView)
            and w.model() is not None
        ):
            yield from _model_texts(w)
        if hasattr(w, "menuBar") and callable(w.menuBar) and w.isWindow():
            for action in w.menuBar().actions():
                yield "QMenuBar", action.text().replace("&", "")
                if action.menu() is not None:
                    for sub in action.menu().actions():
                        yield "QMenu.action", sub.text().replace("&", "")


def _model_texts(view: QAbstractItemView) -> Iterator[tuple[str, str]]:
    model = view.model()

    def columns(parent: QModelIndex) -> int:
        try:
            return model.columnCount(parent)
        except TypeError:  # a list model: one column, its count is private
            return 1

    for section in range(columns(QModelIndex())):
        header = model.headerData(section, Qt.Orientation.Horizontal, Qt.ItemDataRole.DisplayRole)
        if header:
            yield "header", str(header)
    rows = min(model.rowCount(QModelIndex()), 60)

    def walk(parent: QModelIndex, depth: int) -> Iterator[tuple[str, str]]:
        for r in range(min(model.rowCount(parent), 60)):
            for c in range(columns(parent)):
                index = model.index(r, c, parent)
                for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                    value = model.data(index, role)
                    if isinstance(value, str) and value:
                        yield f"{type(view).__name__}.cell", _plain(value)
                if depth < 2 and isinstance(view, QTreeWidget | QListWidget) and c == 0:
                    yield from walk(index, depth + 1)

    if rows:
        yield from walk(QModelIndex(), 0)


def english_left(
    widget: QWidget, sources: set[str], allowed_phrases: Iterable[str] = ()
) -> list[tuple[str, str, str]]:
    """(where, text, why) for every visible text that is still English: an English source
    string as it is (unless it is only codes, such as "DEMO" or "mg/dL"), or a run of three or
    more English words."""
    phrases = list(allowed_phrases)
    found = []
    for where, text in texts_of(widget):
        text = text.strip()
        if not text or _recorded_value(text):
            continue
        words = [w for w in WORD.findall(text) if w.strip(".'\u2019").lower() not in ALLOWED_WORDS]
        if text in sources and words and text not in phrases:
            found.append((where, text, "an English source string"))
            continue
        runs = english_runs(text, phrases)
        if runs:
            found.append((where, text, f"English words: {runs}"))
    return found


def _recorded_value(text: str) -> bool:
    """A value as the audit trail recorded it (JSON), or the audit trail's details column (event
    number, then codes and values as stored): shown exactly as stored, in no language."""
    if re.match(r"#\d+ · ", text):
        return True
    if not text.startswith(("{", "[")):
        return False
    try:
        json.loads(text)
    except ValueError:
        return False
    return True
