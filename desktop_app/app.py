"""Composition root: QApplication, the protocol, the main window; errors go to a log file."""

from __future__ import annotations

import logging
import sys
import traceback
from pathlib import Path
from types import TracebackType

import platformdirs

from desktop_app import __version__
from desktop_app.rules import InputError, default_protocol

log = logging.getLogger("eligo")


def run_gui(argv: list[str] | None = None) -> int:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from desktop_app.ui.main_window import MainWindow

    _log_to_file()
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Eligo")
    app.setOrganizationName("Eligo")
    app.setApplicationVersion(__version__)
    _install_excepthook()
    try:
        protocol = default_protocol()
    except InputError as exc:
        QMessageBox.critical(None, "Eligo", f"The bundled protocol could not be loaded.\n\n{exc}")
        return 2
    window = MainWindow(protocol)
    window.show()
    return app.exec()


def _log_to_file() -> Path:
    """Errors go to eligo.log in the per-user log directory, never to the coordinator's screen."""
    folder = Path(platformdirs.user_log_dir("Eligo", appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "eligo.log"
    handler = logging.FileHandler(path, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)
    return path


def _install_excepthook() -> None:
    """Unexpected errors are logged and reported in a dialog, never shown as a traceback."""

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        log.error("unexpected error\n%s", "".join(traceback.format_exception(kind, value, tb)))
        from PySide6.QtWidgets import QApplication, QMessageBox

        if QApplication.instance() is not None:
            QMessageBox.critical(
                None,
                "Eligo",
                "An unexpected error occurred. It has been logged; nothing that was saved is lost.",
            )

    sys.excepthook = hook
