"""Every window on the screen, frame included (issue #18): a window is sized to what the screen
has room for once the window manager's title bar and borders are counted, and, once it is shown
and its frame is known, moved and if need be shrunk so that the whole frame lies within the
screen's available geometry (taskbars and panels excluded). At 150% scaling a 1024 x 600 screen
is 683 x 400 device-independent pixels: the bottom buttons and the status bar must still show.

The frame is known only once the window manager has framed a window; before that the last frame
seen is used, or an estimate that errs on the large side (a title bar of 32 pixels)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMargins, QObject, QRect, QSize, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

ESTIMATED_FRAME = QMargins(4, 32, 4, 4)
_KEPT_ON_SCREEN = "eligo_kept_on_screen"  # the window's property once its filter is installed
_seen: list[QMargins] = []  # the frame of the last window shown, once the window manager framed it


def available(window: QWidget) -> QRect:
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def frame_of(window: QWidget) -> QMargins:
    """The window's frame (title bar and borders) as the window manager draws it, or the last
    one seen, or an estimate."""
    handle = window.windowHandle()
    if window.isVisible() and handle is not None:
        margins = handle.frameMargins()
        if not margins.isNull():
            _seen[:] = [margins]
            return margins
    return _seen[0] if _seen else ESTIMATED_FRAME


def room(window: QWidget) -> QSize:
    """The largest size of the window's contents whose frame still fits the screen."""
    screen, frame = available(window), frame_of(window)
    return QSize(
        screen.width() - frame.left() - frame.right(),
        screen.height() - frame.top() - frame.bottom(),
    )


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Resize to the size a window is designed for, but never beyond what the screen has room
    for, frame included; and keep it on the screen once shown."""
    space = room(window)
    window.resize(min(width, space.width()), min(height, space.height()))
    keep_on_screen(window)


def keep_on_screen(window: QWidget) -> None:
    """Once shown (and again when the window manager has framed it), the window is brought
    within the screen's available geometry, frame included."""
    # Marked on the window, not looked up with findChild: that wraps every child object in Python
    # (a combo box's inner view and model too), which the sign-in window cannot pay before painting.
    if not window.property(_KEPT_ON_SCREEN):
        window.installEventFilter(_KeepOnScreen(window))  # its parent: it goes with the window
        window.setProperty(_KEPT_ON_SCREEN, True)


def bring_on_screen(window: QWidget) -> None:
    """Shrink the window to the screen's room and move its frame inside the available geometry."""
    if not window.isVisible() or window.isMaximized() or window.isFullScreen():
        return
    screen, frame, space = available(window), frame_of(window), room(window)
    # Never below the window's own minimum: a window whose minimum is larger than the screen is
    # a defect of its layout (tests/ui/test_screen_fit.py finds those).
    width = max(min(window.width(), space.width()), window.minimumWidth())
    height = max(min(window.height(), space.height()), window.minimumHeight())
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
    outer_width = width + frame.left() + frame.right()
    outer_height = height + frame.top() + frame.bottom()
    at = window.frameGeometry().topLeft()
    x = max(screen.left(), min(at.x(), screen.left() + screen.width() - outer_width))
    y = max(screen.top(), min(at.y(), screen.top() + screen.height() - outer_height))
    if (x, y) != (at.x(), at.y()):
        window.move(x, y)


class _KeepOnScreen(QObject):
    """The event filter of one window, its parent (not of the application: every event would pass
    it). It keeps no Python attribute: Qt may call a filter while its wrapper is being torn down."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and watched is self.parent():
            # At once, and again once the window manager has framed the window (its frame
            # extents arrive after the window is mapped).
            for delay in (0, 250):
                QTimer.singleShot(delay, self, self._check)
        return False

    def _check(self) -> None:
        window = self.parent()
        if isinstance(window, QWidget):
            bring_on_screen(window)
