"""UI benchmark with 100,000 screenings in the store, against baselines measured in the same run.

(1) process start to the whole main window shown, and the interpreter's exit / a bare PySide6
    QMainWindow started the same way: no target (issue #21's start targets are bench_start.py's,
    to the first paint); kept to follow the figure the issue started from. Also printed: a bare
    window plus sqlite-utils and pydantic and one model built from one query (bench/floor_app.py,
    also bench_bundle.py's frozen floor);
(2) filtering the log (status + search text), the first page on screen, and searching for one or
    two characters (target under 50 ms);
(3) the wizard's live update after one changed answer: evaluate, save, side panel
    (target under a 16 ms frame);
(4) each work queue's count and first page / the plain log's first page (bench_queues.py).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_queues
from bench_store import BENCH_PASSWORD, bench_key, new_bench_store, open_bench_store, seed

BARE = """
import time, sys
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.show(); app.processEvents()
print("shown", flush=True)
"""

ELIGO = """
import sys
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication([])
from desktop_app.rules import default_protocol
from desktop_app.store import get_account, open_store
from desktop_app.ui.main_window import MainWindow
# as the application does after the slot gave the key (the key is passed in: no argon2 here)
store = open_store(Path(sys.argv[1]), key=bytes.fromhex(sys.argv[2]), check_in_background=True)
w = MainWindow(default_protocol(), store, get_account(store, "bench.user"))
w.show(); app.processEvents()
print("shown", flush=True)
"""


SIGN_IN = """
import sys, time
from pathlib import Path
from PySide6.QtWidgets import QApplication
app = QApplication([])
from desktop_app.store import access
from desktop_app.app import preload_main_window
preload_main_window()  # what the application does while the password is typed
start = time.perf_counter()  # the coordinator presses Sign in: from here to the main window
folder = Path(sys.argv[1])
unlocked = access.unlock(folder, "bench.user", sys.argv[2])  # unwrap the slot
signed = access.open_signed_in(folder, unlocked, "bench.user", sys.argv[2], check_in_background=True)
store, user = signed.store, signed.user
from desktop_app.rules import default_protocol
from desktop_app.ui.main_window import MainWindow
w = MainWindow(default_protocol(), store, user)
w.show(); app.processEvents()
print("after sign-in", time.perf_counter() - start, flush=True)
"""


def start_time(script: str, *args: str) -> float:
    """Seconds from process start to "shown": script is Python source, or a .py file's path."""
    command = [script] if script.endswith(".py") else ["-c", script]
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, *command, *args], capture_output=True, text=True, check=True
    )
    if "shown" not in proc.stdout:
        raise RuntimeError(proc.stderr)
    return time.perf_counter() - start


def main() -> None:
    from PySide6.QtWidgets import QApplication

    from desktop_app.rules import default_protocol, evaluate
    from desktop_app.store import (
        register_candidate,
        save_answers,
        start_screening,
    )

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from helpers import ELIGIBLE  # a complete eligible candidate

    protocol = default_protocol()
    with tempfile.TemporaryDirectory(prefix="eligo-bench-ui-", dir=Path.cwd()) as tmp:
        folder = Path(tmp) / "store"
        new_bench_store(folder, "BENCH")[0].close()
        seed(folder / "eligo.db")
        bare = statistics.median(start_time(BARE) for _ in range(3))
        key = bench_key(folder).hex()
        ours = statistics.median(start_time(ELIGO, str(folder), key) for _ in range(3))
        floor_app = str(Path(__file__).resolve().parent / "floor_app.py")
        floor = statistics.median(
            start_time(floor_app, str(folder / "eligo.db"), key) for _ in range(3)
        )
        # Issue #21's start targets are bench_start.py's (to the first paint, no exit timed); this
        # is the whole window built and the interpreter's exit, kept to follow the old figure.
        print(f"(1) start to the whole main window and exit: {ours:.2f} s; bare QMainWindow {bare:.2f} s; "
              f"ratio {ours / bare:.2f} (no target here: the issue's start targets are bench_start.py's)")  # fmt: skip
        print(f"    floor (bare window + pydantic + sqlite-utils, one model from one query): {floor:.2f} s; "
              f"ratio {floor / bare:.2f}")  # fmt: skip
        waits = []
        for _ in range(3):
            proc = subprocess.run([sys.executable, "-c", SIGN_IN, str(folder), BENCH_PASSWORD], capture_output=True,
                                  text=True, check=True)  # fmt: skip
            waits.append(float(proc.stdout.split()[-1]))
        print(f"    in the application the sign-in window shows first (bench_bundle.py); from pressing Sign in "
              f"to the main window: {statistics.median(waits):.2f} s (password check and window; the rest is "
              f"loaded while the password is typed)")  # fmt: skip

        app = QApplication.instance() or QApplication([])
        from desktop_app.store import get_account
        from desktop_app.ui.main_window import MainWindow
        from desktop_app.ui.wizard import ScreeningWizard

        store = open_bench_store(folder)
        user = get_account(store, "bench.user")
        window = MainWindow(protocol, store, user, idle_ms=3_600_000)
        window.show()
        app.processEvents()
        samples = []
        for status, text in (
            ("ineligible", "BENCH-00"),
            ("eligible", "A"),
            (None, "BENCH-0999"),
            (None, "NO-SUCH-NUMBER"),  # matches nothing: once the worst case, a scan of every row
            (None, ""),
        ):
            start = time.perf_counter()
            window.log_view.model.set_filter(status, text)  # type: ignore[arg-type]
            app.processEvents()
            samples.append(time.perf_counter() - start)
        print(f"(2) filtering the log: median {statistics.median(samples) * 1e3:.1f} ms, "
              f"worst {max(samples) * 1e3:.1f} ms")  # fmt: skip
        short = []
        for status, text in ((None, "Z"), (None, "ZZ"), ("eligible", "Q9"), (None, "A"), (None, "AB"),
                             ("ineligible", "-9"), (None, "")):  # fmt: skip
            start = time.perf_counter()
            window.log_view.model.set_filter(status, text)  # type: ignore[arg-type]
            app.processEvents()
            short.append(
                (time.perf_counter() - start, f"{text!r}" + (f" among {status}" if status else ""))
            )
        worst, case = max(short)
        print(f"    search of one or two characters (matching nothing, few or many): worst "
              f"{worst * 1e3:.1f} ms, {case} (target < 50 ms)")  # fmt: skip

        candidate = register_candidate(store, user, initials="ZZ")
        screening = start_screening(store, user, candidate.id, protocol)
        save_answers(
            store, user, screening.id, ELIGIBLE, determination=evaluate(protocol, ELIGIBLE)
        )
        wizard = ScreeningWizard(store, protocol, user, screening.id)
        wizard.show()
        app.processEvents()
        updates = []
        for i in range(40):
            start = time.perf_counter()
            wizard.on_answer_changed("hiv", "positive" if i % 2 else "negative")
            app.processEvents()
            updates.append(time.perf_counter() - start)
        median = statistics.median(updates)
        print(f"(3) live update after one change: median {median * 1e3:.1f} ms, worst {max(updates) * 1e3:.1f} ms; "
              f"ratio to a 16 ms frame {median / 0.016:.2f} (target < 1)")  # fmt: skip
        wizard.close()
        window.close()
        store.close()
        bench_queues.prepare(folder)
        bench_queues.run(folder)


if __name__ == "__main__":
    main()
