"""Soak: one signed-in session through a whole clinic day in one process (2,000 answer changes,
50 screenings, 200 printouts, 20 exports; the suite runs a fifth of it) and the peak memory
(RSS) after warm-up against its target: growth under 20%.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/soak_day.py [scale]
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "tests" / "ui"))


def main() -> int:
    from endurance import WHOLE_DAY, growth_after_warm_up, peak_rss_kib
    from helpers import add_user, open_test_store
    from PySide6.QtWidgets import QApplication

    from desktop_app.rules import default_protocol
    from desktop_app.store import create_site
    from desktop_app.ui.main_window import MainWindow

    scale = float(sys.argv[1]) if len(sys.argv) > 1 else 1.0
    day = WHOLE_DAY.part(scale)
    app = QApplication.instance() or QApplication([])
    protocol = default_protocol()
    with tempfile.TemporaryDirectory(prefix="eligo-soak-day-") as tmp:
        store = open_test_store(Path(tmp) / "data")  # encrypted, with the tests' key
        create_site(store, None, code="SOAK", name="Soak site", principal_investigator="PI")
        coordinator = add_user(store, "coordinator")
        main_window = MainWindow(protocol, store, coordinator, idle_ms=3_600_000)
        main_window.show()
        app.processEvents()
        start = time.perf_counter()
        before = peak_rss_kib()
        tally, warm, end = growth_after_warm_up(main_window, store, protocol, coordinator,
                                                Path(tmp), day)  # fmt: skip
        seconds = time.perf_counter() - start
        main_window.close()
        store.close()
    growth = (end - warm) / warm if warm else 0.0
    print(f"day: {tally.screenings} screenings, {tally.answer_changes} answer changes, "
          f"{tally.printouts} printouts, {tally.exports} exports in {seconds:.0f} s (warm-up included)")  # fmt: skip
    print(f"peak RSS: {before / 1024:.0f} MiB at start, {warm / 1024:.0f} MiB after warm-up, "
          f"{end / 1024:.0f} MiB at the end")  # fmt: skip
    print(f"peak RSS growth after warm-up: {growth:.1%} (target: under 20%)")
    return 0 if growth < 0.2 else 1


if __name__ == "__main__":
    sys.exit(main())
