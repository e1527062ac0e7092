"""Start benchmark (issue #21), source, with 100,000 screenings, every program ended with
os._exit at the moment measured (no garbage collection at exit is timed), medians of 5 runs
interleaved so that all see the same machine:

(1) process start to the sign-in window painted (python -m desktop_app, ELIGO_QUIT_WHEN_SHOWN=1)
    / process start to a bare QMainWindow painted; target <= 1.5;
(2) the sign-in accepted (the password's slot unwrapped: argon2id and AES-GCM) to the main window
    painted with the first page of the log and the counts, through the application's own
    functions (app._unlock, app._paint_first) in a process that has shown the sign-in window and
    loaded what it loads while the password is typed
    / process start to a bare QMainWindow painting a 200-row table from one query on the same
    file (sqlcipher3 with the data key, no KDF); target <= 1.5.
    Also printed: from the sign-in to the full main window (every action enabled), and what the
    first paint left to load.

Run: .venv/bin/python bench/bench_start.py
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

BARE = """
import os
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow

class Painted(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, lambda: (print("shown", flush=True), os._exit(0)))
        return False

app = QApplication([])
window = QMainWindow()
painted = Painted()
window.installEventFilter(painted)
window.show()
app.exec()
"""

BARE_TABLE = """
import os, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidget, QTableWidgetItem
from sqlcipher3 import dbapi2

class Painted(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            QTimer.singleShot(0, lambda: (print("shown", flush=True), os._exit(0)))
        return False

app = QApplication([])
conn = dbapi2.connect(sys.argv[1])
conn.execute(f"PRAGMA key = \\"x'{sys.argv[2]}'\\"")
rows = conn.execute(
    "SELECT c.screening_number, c.initials, s.screening_date, s.status, s.failing "
    "FROM screenings s JOIN candidates c ON c.id = s.candidate_id "
    "ORDER BY s.screening_date DESC, s.id DESC LIMIT 200").fetchall()
table = QTableWidget(len(rows), 5)
for r, row in enumerate(rows):
    for c, value in enumerate(row):
        table.setItem(r, c, QTableWidgetItem(str(value)))
window = QMainWindow()
window.setCentralWidget(table)
painted = Painted()
table.viewport().installEventFilter(painted)
window.show()
app.exec()
"""

AFTER_SIGN_IN = """
import os, sys, time
from pathlib import Path
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication([])
from desktop_app import app as eligo
from desktop_app.ui import painted as painting
from desktop_app.ui.login_dialog import LoginDialog  # the sign-in window, as at start
eligo._preload_sign_in()  # what loads while the password is typed
folder = Path(sys.argv[1])
HEAVY = ("sqlite_utils", "pydantic", "desktop_app.rules.protocol", "desktop_app.ui.main_window",
         "desktop_app.export", "desktop_app.ui.printing")
marks = {}

def painted(what):
    marks["main"] = time.perf_counter() - start
    marks["left"] = [h for h in HEAVY if h not in sys.modules]
    entry = marks["entry"]
    def finish():
        signed_in = eligo._finish_sign_in(entry, demo=False)
        eligo._show_main_window(*signed_in, [], window)
        full = time.perf_counter() - start
        print("after sign-in", marks["main"], full, ",".join(marks["left"]), flush=True)
        os._exit(0)
    QTimer.singleShot(0, finish)

start = time.perf_counter()  # the coordinator presses Sign in
entry = eligo._unlock(folder, "bench.user", sys.argv[2])
marks["entry"] = entry
window = eligo._paint_first(entry)
painting.when_painted(window.table.viewport(), lambda: painted("main"))
window.show()
app.exec()
"""


def run(command: list[str], env: dict[str, str], word: str = "shown") -> tuple[float, str]:
    start = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, env=env, timeout=300)
    elapsed = time.perf_counter() - start
    if word not in proc.stdout:
        raise RuntimeError(f"{command[:3]}: {proc.stdout} {proc.stderr}")
    return elapsed, proc.stdout


def main() -> None:
    from bench_store import BENCH_PASSWORD, bench_key, new_bench_store, seed

    with tempfile.TemporaryDirectory(prefix="eligo-bench-start-", dir=Path.cwd()) as tmp:
        work = Path(tmp)
        folder = work / "store"
        new_bench_store(folder, "BENCH")[0].close()
        seed(folder / "eligo.db")
        home = work / "home"
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(home),
               "XDG_CONFIG_HOME": str(home / "config"), "XDG_STATE_HOME": str(home / "state")}  # fmt: skip
        key = bench_key(folder).hex()
        py = sys.executable
        runs: dict[str, list[float]] = {
            "bare": [],
            "sign_in": [],
            "table": [],
            "main": [],
            "full": [],
        }
        left = ""
        for _ in range(5):
            runs["bare"].append(run([py, "-c", BARE], env)[0])
            runs["sign_in"].append(run([py, "-m", "desktop_app", "--data-dir", str(folder)],
                                       {**env, "ELIGO_QUIT_WHEN_SHOWN": "1"})[0])  # fmt: skip
            runs["table"].append(run([py, "-c", BARE_TABLE, str(folder / "eligo.db"), key], env)[0])
            out = run([py, "-c", AFTER_SIGN_IN, str(folder), BENCH_PASSWORD], env, "after sign-in")[
                1
            ]
            fields = out.split("after sign-in", 1)[1].split()
            runs["main"].append(float(fields[0]))
            runs["full"].append(float(fields[1]))
            left = fields[2] if len(fields) > 2 else ""
        m = {k: statistics.median(v) for k, v in runs.items()}
        print(f"(1) sign-in window painted: {m['sign_in']:.2f} s; bare QMainWindow {m['bare']:.2f} s; "
              f"ratio {m['sign_in'] / m['bare']:.2f} (target <= 1.5)")  # fmt: skip
        print(f"(2) sign-in accepted to the main window's first page painted: {m['main']:.2f} s; bare "
              f"QMainWindow with a 200-row table from one query {m['table']:.2f} s; ratio "
              f"{m['main'] / m['table']:.2f} (target <= 1.5)")  # fmt: skip
        print(f"    then the full main window, actions enabled, {m['full']:.2f} s after the sign-in; "
              f"not yet imported at the first paint: {left or 'nothing'}")  # fmt: skip


if __name__ == "__main__":
    main()
