"""The baseline of bench_bundle.py: a bare PySide6 QMainWindow application, frozen with the same
PyInstaller options as Eligo; prints "shown" and exits once its window is on screen."""

import os
import sys

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication(sys.argv[:1])
window = QMainWindow()
window.setWindowTitle("Minimal")
window.show()
QTimer.singleShot(0, lambda: (print("shown", flush=True), os._exit(0)))
sys.exit(app.exec())
