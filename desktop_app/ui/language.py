"""The language of the screens and printouts: Qt's own and Eligo's translators, switched at once,
remembered per user (first default: the system's locale), compiled from source when needed."""

from __future__ import annotations

import logging
import shutil
import sys
from pathlib import Path

# QTranslator and QLibraryInfo through QtCore: PySide6 makes a type (and its enums) at its first
# use, here when a translation is loaded, not at the start of an English sign-in window.
from PySide6 import QtCore
from PySide6.QtCore import QCoreApplication, QLocale, QSettings

from desktop_app.paths import resource
from desktop_app.rules.language import LANGUAGES, NAMES, Language, local, parse_language

__all__ = [
    "LANGUAGES",
    "NAMES",
    "Language",
    "apply",
    "current",
    "initial",
    "remember",
    "remembered",
    "tx",
]

log = logging.getLogger("eligo")
_QT_LOCALES: dict[Language, str] = {"en": "en_US", "zh-CN": "zh_CN"}
_state: dict[str, object] = {"language": "en", "translators": []}


restart_requested = False
"""Set when the user asked Eligo to start again in a language chosen at the lock screen
(MainWindow._offer_restart); app.run_gui starts the new process once the store is closed."""


def current() -> Language:
    """The language in use: the screens, the reasons, the printouts and exports follow it."""
    return _state["language"]  # type: ignore[return-value]


def apply(language: Language) -> bool:
    """Switch to `language` at once: Qt's own strings (qtbase) first, then Eligo's. Windows built
    after this speak it; a window already shown retranslates itself on LanguageChange.
    Returns False when Eligo's translation could not be loaded (the screens stay English)."""
    app = QCoreApplication.instance()
    for old in _state["translators"]:  # type: ignore[attr-defined]
        if app is not None:
            app.removeTranslator(old)
    installed: list[QtCore.QTranslator] = []
    loaded = True
    locale = QLocale(_QT_LOCALES[language])
    QLocale.setDefault(locale)
    _state["language"] = language
    if language != "en" and app is not None:
        for name, folder in (("qtbase", _qt_translations()), ("eligo", str(_eligo_translations()))):
            translator = QtCore.QTranslator(app)
            if translator.load(locale, name, "_", folder):
                app.installTranslator(translator)
                installed.append(translator)
            elif name == "eligo":
                loaded = False
                log.error("the %s translation was not found in %s", language, folder)
    _state["translators"] = installed
    return loaded


def initial() -> Language:
    """Before anyone signs in: the language last chosen on this machine, else the system's."""
    saved = str(QSettings().value("language/last", ""))
    return parse_language(saved or QLocale.system().name())


def remembered(username: str) -> Language | None:
    """The language this user chose when last signing in on this machine, if any."""
    if not username.strip():
        return None
    value = str(QSettings().value(f"language/user/{username.strip().lower()}", ""))
    return parse_language(value) if value else None


def remember(username: str, language: Language) -> None:
    settings = QSettings()
    settings.setValue(f"language/user/{username.strip().lower()}", language)
    settings.setValue("language/last", language)


def _qt_translations() -> str:
    """Qt's shipped translations (qtbase_zh_CN.qm): the PySide6 wheel's folder from source, the
    bundled copy (build.spec) when frozen."""
    frozen = resource("qt_translations")
    if getattr(sys, "frozen", False) and frozen.is_dir():
        return str(frozen)
    return QtCore.QLibraryInfo.path(QtCore.QLibraryInfo.LibraryPath.TranslationsPath)


def _eligo_translations() -> Path:
    """Eligo's compiled translations. From source, a .qm older than its .ts (or missing) is
    compiled first with pyside6-lrelease, so that a checkout runs translated without a build."""
    folder = resource("translations")
    if getattr(sys, "frozen", False):
        return folder
    for ts in folder.glob("*.ts"):
        qm = ts.with_suffix(".qm")
        if qm.exists() and qm.stat().st_mtime >= ts.stat().st_mtime:
            continue
        lrelease = shutil.which("pyside6-lrelease", path=str(Path(sys.executable).parent))
        if lrelease is None:
            log.error("pyside6-lrelease not found: %s is not compiled", ts.name)
            continue
        import subprocess  # only when a translation is compiled from source, never at start

        done = subprocess.run([lrelease, "-silent", str(ts), "-qm", str(qm)], capture_output=True,
                              check=False)  # fmt: skip
        if done.returncode != 0:
            log.error(
                "pyside6-lrelease failed on %s: %s", ts.name, done.stderr.decode(errors="replace")
            )
    return folder


def tx(text: dict[str, str]) -> str:
    """A protocol text in the language in use."""
    return local(text, current())
