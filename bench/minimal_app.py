"""The baseline of bench_bundle.py: a bare PySide6 QMainWindow application, frozen with the same
PyInstaller options as Eligo; prints "shown" and exits (os._exit) once its window has painted,
the moment Eligo's ELIGO_QUIT_WHEN_SHOWN=1 measures."""

import os
import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow


class Painted(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, lambda: (print("shown", flush=True), os._exit(0)))
        return False


app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setWindowTitle("Minimal")
painted = Painted()
window.installEventFilter(painted)
window.show()
sys.exit(app.exec())
