"""The start paints first (issue #21): the sign-in window is on screen before argon2,
cryptography, sqlite-utils, pydantic or the rules are imported, and after the password the first
page of the log and the status counts are painted from one raw query before sqlite-utils,
pydantic, the rules, printing or export are; the full main window then takes its place, its
actions enabled. Run in a child process: this test process has imported everything long ago."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from helpers import TEST_PASSWORD, add_user, open_test_store

from desktop_app.rules import default_protocol
from desktop_app.store import create_site, register_candidate, start_screening

HEAVY = ("argon2", "cryptography", "sqlite_utils", "pydantic", "desktop_app.rules.protocol",
         "desktop_app.rules.evaluate", "desktop_app.export", "desktop_app.ui.printing",
         "desktop_app.ui.main_window", "desktop_app.store.database")  # fmt: skip
# Not needed for the sign-in window either, and loaded after it has painted (issue #21): OpenSSL's
# hashlib and what the key slots need to sign in, the clock, html (the DEMO accounts' table).
AFTER_SIGN_IN = ("hashlib", "hmac", "secrets", "html", "desktop_app.store.clock",
                 "desktop_app.store.keys")  # fmt: skip

_CHILD = """
import json, os, sys
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from desktop_app.ui import painted as painting

HEAVY = {heavy!r}
AFTER_SIGN_IN = {after_sign_in!r}
seen = {{}}

def loaded(names=HEAVY):
    return sorted(h for h in names if any(m == h or m.startswith(h + ".") for m in sys.modules))

def sign_in():
    dialog = QApplication.activeModalWidget()
    dialog.username.setText("coordinator")
    dialog.password.setText({password!r})
    dialog.sign_in_button.click()

def full_window():
    from desktop_app.ui.main_window import MainWindow
    windows = [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
    if not windows:
        QTimer.singleShot(20, full_window)
        return
    window = windows[0]
    from desktop_app.ui import first_paint
    seen["full"] = {{"rows": window.log_view.model.rowCount(), "new": window.new_action.isEnabled(),
                    "first_visible": any(isinstance(w, first_paint.FirstPaintWindow) and w.isVisible()
                                         for w in QApplication.topLevelWidgets()),
                    "style": type(QApplication.instance().style()).__name__,
                    "icon": not QApplication.windowIcon().isNull()}}
    print(json.dumps(seen), flush=True)
    os._exit(0)

def painted(what):
    seen[what] = loaded()
    if what == "sign-in":
        seen["first_paint_module"] = "desktop_app.ui.first_paint" in sys.modules
        seen["style_module"] = "desktop_app.ui.style" in sys.modules
        seen["after_sign_in"] = loaded(AFTER_SIGN_IN)
        # Qt's namespace (QtCore.Qt) makes its hundred-odd enums at its first use; the icon is set
        # once the window has painted (QIcon and the SVG engine).
        seen["qt_namespace"] = "Qt" in vars(sys.modules["PySide6.QtCore"])
        seen["icon"] = not QApplication.windowIcon().isNull()
        QTimer.singleShot(0, sign_in)
    else:
        from desktop_app.ui import first_paint
        window = next(w for w in QApplication.topLevelWidgets() if isinstance(w, first_paint.FirstPaintWindow))
        seen["first"] = {{"rows": window.model.rowCount(), "counts": window.counts_label.text(),
                         "menus_enabled": [a.isEnabled() for a in window.menuBar().actions()]}}
        QTimer.singleShot(0, full_window)

painting.on_painted = painted
from desktop_app import cli
full_parser = cli._parser

def parser():  # every command's parser: a plain start does not build it
    seen["full_parser"] = True
    return full_parser()

cli._parser = parser
cli.main(["--data-dir", sys.argv[1]])  # as `python -m desktop_app --data-dir DIR` starts
print("the application ended before its main window was built", flush=True)
os._exit(3)
"""


def test_the_sign_in_and_the_log_paint_before_the_heavy_modules_load(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    protocol = default_protocol()
    with open_test_store(folder) as store:
        create_site(store, None, code="PUMCH", name="PUMCH Hospital", principal_investigator="PI")
        user = add_user(store, "coordinator")
        for initials in ("AB", "CD", "EF"):
            candidate = register_candidate(store, user, initials=initials)
            start_screening(store, user, candidate.id, protocol)
    home = tmp_path / "home"  # the child's settings and log file: never the real user's
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(home),
           "XDG_CONFIG_HOME": str(home / "config"), "XDG_STATE_HOME": str(home / "state"),
           "XDG_CACHE_HOME": str(home / "cache"), "LANG": "en_US.UTF-8"}  # fmt: skip
    env.pop("ELIGO_QUIT_WHEN_SHOWN", None)
    program = _CHILD.format(heavy=HEAVY, after_sign_in=AFTER_SIGN_IN, password=TEST_PASSWORD)
    run = subprocess.run([sys.executable, "-c", program, str(folder)], capture_output=True,
                         text=True, env=env, timeout=120, check=False)  # fmt: skip
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    seen = json.loads(run.stdout.strip().splitlines()[-1])
    assert seen["sign-in"] == []  # nothing heavy before the sign-in window's first paint
    assert seen["first_paint_module"] is False  # nor the main window's first page's module
    assert seen["style_module"] is False  # the style's classes load once the window has painted
    assert seen["after_sign_in"] == []
    assert seen["qt_namespace"] is False
    assert seen["icon"] is False
    assert "full_parser" not in seen  # the start's options read without every command's parser
    # The first page: the password's slot needed argon2 and cryptography, nothing else heavy.
    assert seen["main"] == ["argon2", "cryptography"]
    assert seen["first"]["rows"] == 3
    assert seen["first"]["counts"] == "3 screenings: draft 3"
    assert seen["first"]["menus_enabled"] == [False, False, False, False]
    # Then the full window in its place, with every row and its actions.
    assert seen["full"] == {"rows": 3, "new": True, "first_visible": False, "style": "EligoStyle",
                            "icon": True}  # fmt: skip
