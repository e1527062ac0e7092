"""The idle lock: after N minutes without input a lock screen covers the window.

The same user unlocks with the password; another user may sign in instead, which is safe at any
moment because every answer is saved the moment it is entered.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QGuiApplication, QWindow
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from desktop_app.store import AuthenticationError, Store, User
from desktop_app.store.accounts import reauthenticate
from desktop_app.ui.forms import ErrorLine, password_field, said

_INPUT_EVENTS = {
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseMove, QEvent.Type.KeyPress, QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}  # fmt: skip


class IdleWatcher(QObject):
    """Restarts a timer on every input event; emits idle_timed_out.

    It watches the application's top-level windows (QWindow), where the platform delivers every
    mouse, key, wheel and touch event before Qt hands it to a widget, and each new window as it
    gets the focus (dialogs and wizards too). An application-wide event filter would see the same
    input but would also pull every event of every object through Python, which made the first
    show of the main window 0.1 s slower and every later event dearer."""

    idle_timed_out = Signal()

    def __init__(self, milliseconds: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(milliseconds)
        self.timer.timeout.connect(self.idle_timed_out)
        self._watched: set[int] = set()
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.focusWindowChanged.connect(self.watch)
            for window in app.topLevelWindows():
                self.watch(window)
        self.timer.start()

    @Slot(QWindow)
    def watch(self, window: QWindow | None) -> None:
        """Watch this window's input (once; a window forgets its filters when destroyed)."""
        if window is None or id(window) in self._watched:
            return
        self._watched.add(id(window))
        window.installEventFilter(self)
        window.destroyed.connect(lambda: self._watched.discard(id(window)))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS and self.timer.isActive():
            self.timer.start()
        return False

    def set_interval(self, milliseconds: int) -> None:
        """A new idle time, counted from now (a setting changed in Accounts holds at once)."""
        self.timer.setInterval(milliseconds)
        if self.timer.isActive():
            self.timer.start()

    def pause(self) -> None:
        self.timer.stop()

    def resume(self) -> None:
        self.timer.start()


class LockScreen(QWidget):
    """Covers the whole window; nothing behind it can be seen or clicked."""

    unlocked = Signal(object)  # the User who signed in (the same one, or another)

    def __init__(self, store: Store, user: User, parent: QWidget) -> None:
        super().__init__(parent)
        self.store = store
        self.user = user
        self.setAutoFillBackground(True)
        # Its own labels only: the sign-in window it opens is its child, and "QLabel" alone made
        # that window's labels white on light grey.
        self.setStyleSheet(
            "LockScreen { background: #263238; } LockScreen > QLabel { color: white; }"
        )
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        title = QLabel(self.tr("Eligo is locked"))
        title.setStyleSheet("QLabel { color: white; font-size: 20pt; font-weight: bold; }")
        self.who = QLabel()
        self.password = password_field(self.tr("password"))
        self.error = ErrorLine()
        self.error.setStyleSheet("QLabel { color: #ffab91; font-weight: bold; }")
        unlock = QPushButton(self.tr("Unlock"))
        unlock.setDefault(True)
        other = QPushButton(self.tr("Sign in as someone else"))
        self.other_username = QLabel()
        unlock.clicked.connect(self._on_unlock_clicked)
        self.password.returnPressed.connect(self._on_unlock_clicked)
        other.clicked.connect(self._on_other_clicked)
        box = QVBoxLayout()
        box.addStretch(1)
        box.addWidget(title)
        box.addWidget(self.who)
        box.addWidget(QLabel(self.tr("Every answer entered so far is saved.")))
        box.addWidget(self.password)
        box.addWidget(self.error)
        row = QHBoxLayout()
        row.addWidget(unlock)
        row.addWidget(other)
        box.addLayout(row)
        box.addStretch(1)
        self.password.setMinimumWidth(320)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(box)
        outer.addStretch(1)
        self.set_user(user)
        self.hide()

    def set_user(self, user: User) -> None:
        self.user = user
        self.who.setText(self.tr("Signed in: {0} ({1})").format(user.full_name, user.username))

    def lock(self) -> None:
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.password.clear()
        self.error.clear_error()
        self.show()
        self.raise_()
        self.password.setFocus()

    @Slot()
    def _on_unlock_clicked(self) -> None:
        try:
            user = reauthenticate(self.store, self.user, self.password.text())
        except AuthenticationError as exc:
            self.password.clear()
            self.error.setText(said(exc))
            self.error.show()
            return
        self.hide()
        self.unlocked.emit(user)

    @Slot()
    def _on_other_clicked(self) -> None:
        from desktop_app.ui.login_dialog import LoginDialog

        user = LoginDialog.ask(self.store, self)
        if user is not None:
            self.set_user(user)
            self.hide()
            self.unlocked.emit(user)
