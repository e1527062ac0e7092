"""Composition root: QApplication, the protocol, the store, the main window; errors to a log file."""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import traceback
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

import platformdirs

from desktop_app import __version__
from desktop_app.store.location import DB_NAME, data_dir, demo_data_dir

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QWidget

    from desktop_app.store import Store, User
    from desktop_app.ui.main_window import MainWindow

# The rules, the store's modules and the main window are imported when first needed: the sign-in
# window shows first, and the store opens behind it while the coordinator types.

log = logging.getLogger("eligo")


def run_gui(
    argv: list[str] | None = None, *, data_dir: Path | None = None, demo: bool = False
) -> int:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QApplication, QMessageBox

    log_file = _log_to_file()
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Eligo")
    app.setOrganizationName("Eligo")
    app.setApplicationVersion(__version__)
    _set_window_icon(app)
    _install_excepthook(log_file)
    _install_translators(app)
    _quit_when_shown_for_benchmarks()
    folder = demo_data_dir(data_dir) if demo else _resolve(data_dir)
    signed_in = _open_and_sign_in(folder, demo=demo)
    if signed_in is None:
        return 1
    store, user = signed_in
    from desktop_app.rules import InputError, default_protocol

    try:
        protocol = default_protocol()
    except InputError as exc:
        QMessageBox.critical(None, "Eligo", QCoreApplication.translate(
            "Application", "The bundled protocol could not be loaded.\n\n{0}").format(exc))  # fmt: skip
        store.close()
        return 2
    from desktop_app.ui.main_window import MainWindow, end_session_with_checkpoint

    window = MainWindow(protocol, store, user)
    window.show()
    _watch_open_check(store, window)
    _replay_behind(store, window)
    code = app.exec()
    end_session_with_checkpoint(store, "sign_out")
    _backup_on_exit(store)
    store.close()
    return code


def _set_window_icon(app: QCoreApplication) -> None:
    from PySide6.QtGui import QGuiApplication, QIcon

    from desktop_app.paths import resource

    if isinstance(app, QGuiApplication):
        app.setWindowIcon(QIcon(str(resource("icons", "eligo.svg"))))


def _install_translators(app: QCoreApplication) -> None:
    """Qt's own strings first, then Eligo's, for the system's language (English when none fits)."""
    from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator

    from desktop_app.paths import resource

    locale = QLocale.system()
    for name, folder in (("qtbase", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)),
                         ("eligo", str(resource("translations")))):  # fmt: skip
        translator = QTranslator(app)
        if translator.load(locale, name, "_", folder):
            app.installTranslator(translator)


def _watch_open_check(store: Store, window: QWidget) -> None:
    """If the open-time check fails, say so at once: nothing more can be saved in this store."""
    from PySide6.QtCore import QCoreApplication, QTimer
    from PySide6.QtWidgets import QMessageBox

    timer = QTimer(window)

    def poll() -> None:
        done, problem = store.check_status()
        if not done:
            return
        timer.stop()
        if problem is not None:
            log.error("open-time check failed: %s", problem)
            QMessageBox.critical(
                window,
                "Eligo",
                QCoreApplication.translate(
                    "Application",
                    "The database failed its check: {0}.\n\nNothing more can be saved here. Close Eligo "
                    "and start it again: it checks the data first and offers to restore the newest "
                    "good backup (the damaged file is kept aside).",
                ).format(problem),
            )

    timer.timeout.connect(poll)
    timer.start(250)


def _replay_behind(store: Store, window: MainWindow) -> None:
    """Once the open-time check is done, the whole chain is replayed against every table in a
    thread (check.ReplayInBackground): the start never waits for it, and the screenings it finds
    changed are then marked TAMPERED in the window (and on their printouts)."""
    from PySide6.QtCore import QTimer

    from desktop_app.store.check import ReplayInBackground

    timer = QTimer(window)
    running: list[ReplayInBackground] = []

    def poll() -> None:
        if not running:
            done, problem = store.check_status()
            if done and problem is None:
                running.append(ReplayInBackground(store))
            elif done:
                timer.stop()
            return
        if not running[0].finished():
            return
        timer.stop()
        report = running[0].report
        if report is not None:
            if not report.ok:
                log.error(
                    "the store does not match its audit chain: %s", report.divergences[0].line()
                )
            window.show_replay(report)
        else:
            log.error("the replay of the audit chain failed: %s", running[0].problem)

    timer.timeout.connect(poll)
    timer.start(250)


def _quit_when_shown_for_benchmarks() -> None:
    """bench/bench_bundle.py: ELIGO_QUIT_WHEN_SHOWN=1 exits once the first window is on screen;
    =ready exits once the sign-in can be used (the store is open behind it)."""
    mode = os.environ.get("ELIGO_QUIT_WHEN_SHOWN")
    if not mode:
        return
    from PySide6.QtCore import QTimer

    def report(what: str) -> None:
        print(what, flush=True)
        os._exit(0)

    if mode == "ready":
        from desktop_app.ui import login_dialog

        login_dialog.on_ready = lambda: report("ready")
    else:
        QTimer.singleShot(0, lambda: report("shown"))


def _open_and_sign_in(folder: Path, *, demo: bool) -> tuple[Store, User] | None:
    """An existing store: the sign-in window shows at once and the store opens behind it. A new
    one (first start): the store is made, then the site and first administrator are set up."""
    from desktop_app.ui.login_dialog import LoginDialog

    if not (folder / DB_NAME).exists():
        store = _open_store_interactively(folder, demo=demo)
        if store is None:
            return None
        user = _set_up_and_sign_in(store)
        if user is None:
            store.close()
            return None
        return store, user
    from PySide6.QtCore import QTimer

    dialog = LoginDialog(None)
    opened: list[Store] = []

    def open_behind() -> None:
        try:
            store = _open_store_interactively(folder, demo=demo)
        except Exception:  # never a sign-in window that waits for ever
            log.exception("the store could not be opened")
            from PySide6.QtCore import QCoreApplication
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.critical(
                dialog,
                "Eligo",
                QCoreApplication.translate(
                    "Application", "The store in {0} could not be opened; the reason is in {1}."
                ).format(folder, _log_path()),
            )
            dialog.reject()
            return
        if store is None:
            dialog.reject()
            return
        opened.append(store)
        from desktop_app.store.accounts import has_accounts

        if not has_accounts(store):  # an earlier first start stopped before the first account
            dialog.reject()
            return
        dialog.attach(store)
        QTimer.singleShot(0, preload_main_window)  # while the coordinator types

    QTimer.singleShot(0, open_behind)
    accepted = dialog.exec() == LoginDialog.DialogCode.Accepted
    if not opened:
        return None
    store = opened[0]
    if accepted and dialog.user is not None:
        return store, dialog.user
    from desktop_app.store.accounts import has_accounts

    if not has_accounts(store):
        user = _set_up_and_sign_in(store)
        if user is not None:
            return store, user
    store.close()
    return None


def preload_main_window() -> None:
    """Import and load, while the sign-in window waits for the password, what the main window
    needs (the rules and the protocol, the window's modules, the password hashing), so that
    pressing Sign in brings the main window up without that wait."""
    from desktop_app.rules import InputError, default_protocol
    from desktop_app.store.keys import load_cryptography
    from desktop_app.ui import main_window  # noqa: F401

    try:
        default_protocol()  # cached; a broken protocol is reported after the sign-in
    except InputError:
        log.exception("the bundled protocol could not be loaded")
    load_cryptography()


def _set_up_and_sign_in(store: Store) -> User | None:
    """First start: set up the site and the first administrator; then a named sign-in."""
    from desktop_app.store.accounts import has_accounts
    from desktop_app.ui.login_dialog import LoginDialog
    from desktop_app.ui.setup_dialog import SetupDialog

    if has_accounts(store):
        return LoginDialog.ask(store)
    if store.read_only:
        return None
    # The new administrator is signed in by the setup itself (no password typed a third time).
    return SetupDialog.ask(store)


def _resolve(folder: Path | None) -> Path:
    return data_dir(folder)


def _open_store_interactively(folder: Path, *, demo: bool) -> Store | None:
    """Open the store, asking the coordinator what to do when it is locked or damaged."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QMessageBox

    from desktop_app.store import (
        StoreCorruptError,
        StoreError,
        StoreLockedError,
        backup,
        get_site,
        open_store,
    )

    try:
        # Large stores open at once: the integrity check runs beside the start, writes wait for it.
        store = open_store(folder, check_in_background=True)
    except StoreLockedError as exc:
        answer = QMessageBox.question(
            None,
            "Eligo",
            QCoreApplication.translate(
                "Application",
                "{0}\n\nOpen read-only? You can look and print; changes and exports are made in the "
                "Eligo that holds the data.",
            ).format(exc),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
        store = open_store(folder, read_only=True)
    except StoreCorruptError as exc:
        log.error("store failed its check: %s", exc)
        if exc.newest_backup is None:
            QMessageBox.critical(None, "Eligo", str(exc))
            return None
        answer = QMessageBox.question(
            None,
            "Eligo",
            QCoreApplication.translate(
                "Application",
                "The database {0} failed its check: {1}.\n\nRestore the newest good backup, {2}, now? "
                "The damaged file is kept aside.",
            ).format(exc.path, exc.detail, exc.newest_backup.name),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
        backup.restore(folder, exc.newest_backup)
        store = open_store(folder)
    except StoreError as exc:
        QMessageBox.critical(None, "Eligo", str(exc))
        return None
    if demo and not store.read_only and get_site(store) is None:
        from desktop_app.rules import default_protocol
        from desktop_app.store.demo import fill_demo

        fill_demo(store, default_protocol())
    if not store.read_only:
        backup.backup_if_due(store)
    return store


def _backup_on_exit(store: Store) -> None:
    from desktop_app.store import StoreError, backup

    if store.read_only:
        return
    try:
        backup.backup(store, reason="exit")
    except (OSError, StoreError):
        log.exception("backup on exit failed")


def _log_to_file() -> Path:
    """Errors go to eligo.log in the per-user log directory, never to the coordinator's screen;
    where that cannot be written (a locked-down workstation profile), to the temporary folder,
    and failing that to standard error: Eligo starts either way."""
    global _chosen_log
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    fallback = Path(tempfile.gettempdir()) / "Eligo" / "eligo.log"
    handler: logging.Handler | None = None
    for path in (_log_path(), fallback):
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handler = logging.FileHandler(path, encoding="utf-8")
        except OSError:
            continue
        _chosen_log = path
        break
    handler = handler or logging.StreamHandler()
    handler.setFormatter(formatter)
    logging.getLogger().addHandler(handler)
    logging.getLogger().setLevel(logging.INFO)
    return _log_path()


_chosen_log: Path | None = None


def _log_path() -> Path:
    """The log file in use, or where it would be."""
    return _chosen_log or Path(platformdirs.user_log_dir("Eligo", appauthor=False)) / "eligo.log"


def _install_excepthook(log_file: Path) -> None:
    """Unexpected errors are logged and reported in a dialog, never shown as a traceback."""

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        log.error("unexpected error\n%s", "".join(traceback.format_exception(kind, value, tb)))
        from PySide6.QtCore import QCoreApplication
        from PySide6.QtWidgets import QApplication, QMessageBox

        if QApplication.instance() is not None:
            QMessageBox.critical(
                None,
                "Eligo",
                QCoreApplication.translate(
                    "Application",
                    "An unexpected error occurred. Every answer saved before it is kept; the "
                    "unsaved input of the field being edited may need entering again.\n\n"
                    "The details are in {0} for your administrator.",
                ).format(log_file),
            )

    sys.excepthook = hook
