"""Knowing when a window has first painted: the start loads what waits for that moment (argon2
and cryptography behind the sign-in window, the full main window behind its first page), and the
start benchmarks and the import test measure there. Kept apart from ui.first_paint (whose window
classes cost their creation) so that the sign-in window pays only for this."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

on_painted: Callable[[str], None] | None = None
"""Called with "sign-in" or "main" once that window has first painted (bench/bench_start.py,
bench/bench_bundle.py and the import test measure there)."""


class _FirstPaint(QObject):
    """Calls back once, on the event loop just after the watched widget's first paint."""

    def __init__(self, widget: QWidget, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self.callback = callback
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.callback)  # after this paint reaches the screen
        return False


def when_painted(widget: QWidget, callback: Callable[[], None], what: str = "") -> None:
    """Run `callback` once `widget` has painted for the first time; `what` names the moment for
    `on_painted` (benchmarks)."""

    def done() -> None:
        if what and on_painted is not None:
            on_painted(what)
        callback()

    _FirstPaint(widget, done)
