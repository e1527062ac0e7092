"""Composition root: QApplication, the protocol, the store, the main window; errors to a log file."""

from __future__ import annotations

import logging
import os
import sys
import tempfile
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

import platformdirs

from desktop_app import __version__
from desktop_app.store.location import data_dir, demo_data_dir

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QMainWindow, QWidget

    from desktop_app.store import Store, User
    from desktop_app.store.keyslots import Unlocked
    from desktop_app.ui.first_paint import FirstPaintWindow
    from desktop_app.ui.main_window import MainWindow

# The rules, the store's modules and the main window are imported when first needed: the sign-in
# window shows first (then argon2 and cryptography load while the coordinator types); after the
# password, the first page of the log is painted from one raw query (ui.first_paint) and the rest
# (sqlite-utils, pydantic, the rules, the full main window) loads just after that paint.

log = logging.getLogger("eligo")


def run_gui(
    argv: list[str] | None = None, *, data_dir: Path | None = None, demo: bool = False
) -> int:
    # The key file's modules (no Qt) before Qt's: once PySide6 is imported, its import hook reads
    # the source of every module named in an import statement (looking for `from __feature__`).
    from desktop_app.store import gate  # noqa: F401, I001
    from PySide6.QtWidgets import QApplication

    log_file = _log_to_file()
    app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Eligo")
    app.setOrganizationName("Eligo")
    app.setApplicationVersion(__version__)
    _install_excepthook(log_file)
    _install_translators(app)
    _quit_when_shown_for_benchmarks()
    folder = demo_data_dir(data_dir) if demo else _resolve(data_dir)
    entered = _sign_in_window(folder, demo=demo)
    if entered is None:
        return 1
    session: list[tuple[Store, User]] = []
    if isinstance(entered, Entry):
        first = _paint_first(entered)
        if first is None:  # the file cannot be read raw: open it the usual way, which says why
            signed_in = _finish_sign_in(entered, demo=demo)
            if signed_in is None:
                return 1
            if not _show_main_window(*signed_in, session):
                return 2
        else:
            from desktop_app.ui.painted import when_painted

            def finish() -> None:
                signed_in = _finish_sign_in(entered, demo=demo)
                if signed_in is None or not _show_main_window(*signed_in, session, first):
                    first.close()
                    app.exit(1)

            when_painted(first.table.viewport(), finish, "main")
            first.show()
    elif not _show_main_window(*entered, session):
        return 2
    code = app.exec()
    if not session:
        return code or 1
    store, _user = session[0]
    from desktop_app.ui.main_window import end_session_with_checkpoint

    end_session_with_checkpoint(store, "sign_out")
    _backup(store, "exit")
    store.close()
    from desktop_app.ui import language

    if language.restart_requested:  # in the language chosen at the lock screen, store closed
        from PySide6.QtCore import QProcess

        program, arguments = restart_command()
        QProcess.startDetached(program, arguments)
    return code


def restart_command() -> tuple[str, list[str]]:
    """How this Eligo was started: the packaged program, or `python -m desktop_app`, with its
    options (--data-dir, --demo)."""
    if getattr(sys, "frozen", False):
        return sys.executable, sys.argv[1:]
    return sys.executable, ["-m", "desktop_app", *sys.argv[1:]]


@dataclass(frozen=True)
class Entry:
    """A password accepted by its key slot: the data key, the store not yet opened."""

    folder: Path
    username: str
    password: str = field(repr=False)
    unlocked: Unlocked = field(repr=False)
    key: bytes = field(repr=False)


def _paint_first(entered: Entry) -> FirstPaintWindow | None:
    """The first page of the log and the counts on screen, before the rest is loaded."""
    from desktop_app.store import keyslots
    from desktop_app.store.first_page import Unreadable, read_first_page
    from desktop_app.ui.first_paint import FirstPaintWindow

    try:
        page = read_first_page(entered.folder, entered.key)
    except Unreadable:  # damaged, or a schema from before: the full open says what to do
        log.info("the first page could not be read before the store opened")
        return None
    return FirstPaintWindow(page, keyslots.site_label(entered.folder))


def _show_main_window(
    store: Store, user: User, session: list[tuple[Store, User]], first: QMainWindow | None = None
) -> bool:
    """Build the full main window (the rules, the protocol, every action) and show it, in the
    place of the first paint's window when there is one. False (store closed) when the bundled
    protocol cannot be loaded."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QMessageBox

    from desktop_app.rules import InputError, default_protocol

    _install_style()  # installed behind the sign-in window already; a start without one too
    try:
        protocol = default_protocol()
    except InputError as exc:
        QMessageBox.critical(None, "Eligo", QCoreApplication.translate(
            "Application", "The bundled protocol could not be loaded.\n\n{0}").format(exc))  # fmt: skip
        store.close()
        return False
    from desktop_app.ui.main_window import MainWindow

    window = MainWindow(protocol, store, user)
    session.append((store, user))
    from desktop_app.ui.first_paint import FirstPaintWindow

    if isinstance(first, FirstPaintWindow):
        first.hand_over_to(window)
    else:
        window.show()
    _watch_open_check(store, window)
    _replay_behind(store, window)
    return True


def _set_window_icon() -> None:
    """Eligo's icon on every window, once: before any window but the sign-in, which shows first
    without waiting for it (the SVG icon engine and QIcon's types cost some milliseconds) and
    gets the icon from Qt once it is set, just after its first paint (ui.style likewise)."""
    from PySide6.QtGui import QGuiApplication, QIcon

    from desktop_app.paths import resource

    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication) and app.windowIcon().isNull():
        app.setWindowIcon(QIcon(str(resource("icons", "eligo.svg"))))


def _install_translators(app: QCoreApplication) -> None:
    """Qt's own strings first, then Eligo's, in the language last chosen on this machine (else
    the system's); the sign-in window switches it, and remembers each user's choice."""
    from desktop_app.ui import language

    language.apply(language.initial())


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
        if problem is None and not store.read_only:
            from desktop_app.store import StoreError

            try:
                store.wait_until_checked()  # the sign-in's own records, which waited for the check
            except StoreError:
                log.error("the sign-in could not be recorded")
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
    """bench/bench_bundle.py and bench/bench_start.py: ELIGO_QUIT_WHEN_SHOWN=1 exits once the
    first window (the sign-in, or the first-start setup) has painted; =ready exits once the
    sign-in can be used."""
    mode = os.environ.get("ELIGO_QUIT_WHEN_SHOWN")
    if not mode:
        return

    def report(what: str) -> None:
        print(what, flush=True)
        os._exit(0)

    if mode == "ready":
        from desktop_app.ui import login_dialog

        login_dialog.on_ready = lambda: report("ready")
    else:
        from desktop_app.ui import painted

        painted.on_painted = lambda what: report("shown")


def _open_and_sign_in(folder: Path, *, demo: bool) -> tuple[Store, User] | None:
    """The sign-in window, then the store opened and the user signed in there (no first paint)."""
    entered = _sign_in_window(folder, demo=demo)
    if isinstance(entered, Entry):
        return _finish_sign_in(entered, demo=demo)
    return entered


def _sign_in_window(folder: Path, *, demo: bool) -> Entry | tuple[Store, User] | None:
    """The sign-in window is the first window and nothing opens the store before it: the store is
    encrypted, and its key comes from the slot the password opens. The site's name and the DEMO
    note come from the key file, which holds nothing secret. A plaintext store from before is
    converted first; a new folder goes through the first-start setup.

    The window is shown before argon2, cryptography, sqlite-utils, pydantic or the rules are
    imported; argon2 and cryptography load once it has painted. The password gives an Entry (the
    slot unwrapped); the recovery key gives the opened store and its user."""
    from desktop_app.store import gate, keyslots
    from desktop_app.ui.login_dialog import LoginDialog
    from desktop_app.ui.painted import when_painted

    if gate.is_plaintext(folder) and not _upgrade_if_plaintext(folder):
        return None
    username = ""
    if not gate.is_set_up(folder):
        if demo:
            _make_demo_store(folder)
        else:
            first = _first_start(folder)
            if first is None:
                return None
            # The administrator has just typed the password twice: signed in with it, not asked
            # again (should that fail, the sign-in window says why and asks).
            from desktop_app.store import StoreError

            try:
                return _unlock(folder, *first)
            except StoreError:
                log.error("the sign-in right after the setup failed")
                username = first[0]

    def recover() -> tuple[Store, User] | None:
        from desktop_app.ui.setup_dialog import RecoveryDialog

        _install_style()
        return RecoveryDialog.ask(folder)

    dialog = LoginDialog(None, username=username, site=keyslots.site_label(folder),
                         opener=lambda name, password: _unlock(folder, name, password),
                         recoverer=recover)  # fmt: skip
    when_painted(dialog, _preload_sign_in, "sign-in")  # while the coordinator types
    if dialog.exec() != LoginDialog.DialogCode.Accepted:
        return None
    if isinstance(dialog.opened, Entry):
        return dialog.opened
    if dialog.store is None or dialog.user is None:
        return None
    return dialog.store, dialog.user


def _unlock(folder: Path, username: str, password: str) -> Entry:
    """The password unwraps the user's slot (AuthenticationError to the sign-in window)."""
    from desktop_app.store import gate

    unlocked = gate.unlock(folder, username, password)
    key = gate.key_that_opens(folder, unlocked)
    return Entry(folder, username, password, unlocked, key)


def _preload_sign_in() -> None:
    """What pressing Sign in needs (argon2, cryptography), loaded once the window has painted;
    and the application's style and window icon, whose classes cost their creation (the window
    is drawn again with them at once)."""
    _install_style()
    from desktop_app.store.keys import load_cryptography

    load_cryptography()


def _install_style() -> None:
    """Check boxes and a focus ring that show under any palette, dark included (ui.style), and
    the window icon: once, before any window but the sign-in, which shows first without waiting
    for them."""
    from PySide6.QtWidgets import QApplication

    from desktop_app.ui import style

    app = QApplication.instance()
    if isinstance(app, QApplication):
        _set_window_icon()
        style.install(app)


def _first_start(folder: Path) -> tuple[str, str] | None:
    """The site and the first administrator, then the recovery key shown once; the
    administrator's username and password, to sign in with at once."""
    from desktop_app.ui.setup_dialog import RecoveryKeyDialog, SetupDialog

    _install_style()
    dialog = SetupDialog(folder)
    if dialog.exec() != SetupDialog.DialogCode.Accepted or dialog.result_ is None:
        return None
    setup = dialog.result_
    setup.store.close()
    RecoveryKeyDialog.show_once(setup.recovery_code, setup.site_name)
    return setup.admin.username, dialog.password.text()


def _make_demo_store(folder: Path) -> None:
    from desktop_app.rules import default_protocol
    from desktop_app.store import access
    from desktop_app.store.demo import fill_demo

    with access.new_store(folder) as store:
        fill_demo(store, default_protocol())


def _upgrade_if_plaintext(folder: Path) -> bool:
    """A store from before encryption is converted now, before anyone signs in (its accounts'
    stored password hashes key their first slots). False when the coordinator cannot go on."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QMessageBox

    from desktop_app.store import StoreError, upgrade
    from desktop_app.ui.forms import said

    if not upgrade.needed(folder):
        return True
    _set_window_icon()  # its messages are the first windows
    try:
        aside = upgrade.encrypt_in_place(folder)
    except StoreError as exc:
        log.error("the conversion to an encrypted store failed")
        QMessageBox.critical(None, "Eligo", said(exc))
        return False
    QMessageBox.warning(None, "Eligo", QCoreApplication.translate(
        "Application",
        "The store is now encrypted: it opens only with an Eligo password. A plaintext copy of the "
        "old store was kept at {0}. Check that the data is all there, then delete that copy: "
        "anyone who reads it sees every candidate's name.\n\nAn administrator should make a "
        "recovery key now (Account > Accounts > New recovery key).").format(aside))  # fmt: skip
    return True


def _finish_sign_in(entered: Entry, *, demo: bool) -> tuple[Store, User] | None:
    """Open the store with the slot's key (asking what to do when it is locked or damaged) and
    sign in there (the account's state, the audit event). None when the coordinator chose not to
    go on, or the account is refused there (said in a message)."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QMessageBox

    from desktop_app.report_words import message_in
    from desktop_app.store import AuthenticationError, access
    from desktop_app.ui.language import current

    store = _open_store_interactively(entered.folder, entered.key, demo=demo)
    if store is None:
        return None
    try:
        user, warning = access.sign_in_on(
            store, entered.username, entered.password, entered.unlocked
        )
    except AuthenticationError as exc:
        store.close()
        QMessageBox.critical(None, "Eligo", message_in(current(), str(exc)))
        return None
    except BaseException:
        store.close()
        raise
    if not store.read_only:
        # The day's first backup, after the sign-in (in order with its writes, which may wait for
        # the open-time check): the session's key signs the head it holds (issue #14).
        store.before_other_writes(lambda: _backup(store, "daily"))
    if warning is not None:
        QMessageBox.warning(None, "Eligo", QCoreApplication.translate(
            "Application", "Warning: {0}. This was recorded in the audit trail; tell your "
            "administrator.").format(message_in(current(), warning)))  # fmt: skip
    return store, user


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
        log.error("the bundled protocol could not be loaded")
    load_cryptography()


def _resolve(folder: Path | None) -> Path:
    return data_dir(folder)


def _open_store_interactively(folder: Path, key: bytes, *, demo: bool) -> Store | None:
    """Open the store, asking the coordinator what to do when it is locked or damaged."""
    from PySide6.QtCore import QCoreApplication
    from PySide6.QtWidgets import QMessageBox

    from desktop_app.store import (
        StoreCorruptError,
        StoreError,
        StoreLockedError,
        backup,
        open_store,
    )
    from desktop_app.ui.forms import said

    try:
        # Large stores open at once: the integrity check runs beside the start, writes wait for it.
        store = open_store(folder, key=key, check_in_background=True)
    except StoreLockedError as exc:
        answer = QMessageBox.question(
            None,
            "Eligo",
            QCoreApplication.translate(
                "Application",
                "{0}\n\nOpen read-only? You can look and print; changes and exports are made in the "
                "Eligo that holds the data.",
            ).format(said(exc)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return None
        store = open_store(folder, key=key, read_only=True)
    except StoreCorruptError as exc:
        log.error("store failed its check: %s", exc)
        if exc.newest_backup is None:
            QMessageBox.critical(None, "Eligo", said(exc))
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
        backup.restore(folder, exc.newest_backup, key)
        store = open_store(folder, key=key)
    except StoreError as exc:
        QMessageBox.critical(None, "Eligo", said(exc))
        return None
    return store


def _backup(store: Store, occasion: str) -> None:
    """The day's first backup (after the sign-in) or the one at exit; a failure (a full disk) is
    logged, the store itself is untouched."""
    from desktop_app.store import StoreError, backup

    if store.read_only:
        return
    try:
        if occasion == "daily":
            backup.backup_if_due(store)
        else:
            backup.backup(store, reason=occasion)
    except (OSError, StoreError) as exc:
        log.error("%s backup failed: %s", occasion, type(exc).__name__)


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
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
            if os.name == "posix":
                os.chmod(path, 0o600)  # the owner's only, like every file Eligo writes
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


def without_message(kind: type[BaseException], tb: TracebackType | None) -> str:
    """A traceback's frames and the error's type, not its message: a message may quote what was
    typed (a name, an answer), and the log must never hold identifiers or answers."""
    frames = "".join(f'  File "{f.filename}", line {f.lineno}, in {f.name}\n' for f in traceback.extract_tb(tb))  # fmt: skip
    return f"Traceback (most recent call last):\n{frames}{kind.__module__}.{kind.__qualname__}"


def _install_excepthook(log_file: Path) -> None:
    """Unexpected errors are logged and reported in a dialog, never shown as a traceback."""

    def hook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
        log.error("unexpected error\n%s", without_message(kind, tb))
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
