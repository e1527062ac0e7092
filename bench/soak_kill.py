"""Soak test: SIGKILL a process saving answers 500 times (the suite does 25); print the counts.

Each run: the database must open, pass the integrity and audit-chain checks, and hold every
answer whose save had returned. Power loss is covered by synchronous=FULL, not by this.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "store"))

from crash_harness import kill_once

RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 500


def main() -> None:
    rng = random.Random(500)
    lost = corrupt = in_flight = 0
    acknowledged = 0
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="eligo-soak-", dir=Path.cwd()) as tmp:
        for run in range(RUNS):
            # A fresh store every 25 kills keeps each run's checks (whole chain) short.
            result = kill_once(Path(tmp) / f"data-{run // 25}", rng)
            acknowledged += result.acknowledged
            corrupt += result.check is not None
            lost += result.found < result.acknowledged
            in_flight += result.found == result.acknowledged + 1
    print(f"kills: {RUNS} in {time.perf_counter() - start:.0f} s")
    print(f"saves confirmed before the kills: {acknowledged}")
    print(f"runs with a failed integrity or chain check: {corrupt}")
    print(f"runs that lost a confirmed save: {lost}")
    print(f"runs where the save in flight had committed: {in_flight}")
    sys.exit(1 if corrupt or lost else 0)


if __name__ == "__main__":
    main()
