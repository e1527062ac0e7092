"""Packaged-application budgets, against a minimal PySide6 QMainWindow application frozen with the
same PyInstaller options (bench/minimal.spec) in the same run:

(a) size of the one-folder bundle / the minimal one's; target <= 1.3
(b) start to the first window on screen / the minimal one's; target <= 1.5. Eligo's first window
    is the sign-in dialog (a store with accounts; 100,000 screenings): it shows at once and the
    store opens behind it. Also printed: start until that dialog can be used (store open), the
    honest second figure. The main window follows the password, which a benchmark does not type.
    Also printed: the floor, a frozen main window showing store data through pydantic and
    sqlite-utils (what STYLE.md asks of the store) and nothing else (bench/floor_app.py): when its
    ratio is above 1.5, no main window within STYLE reaches the target.
    ELIGO_QUIT_WHEN_SHOWN=1 (shown) or =ready makes Eligo exit at that point.
    "Cold" means the page cache is dropped before each start where this machine allows it
    (root, /proc/sys/vm/drop_caches); otherwise the starts are warm and the output says so.

Run after scripts/build.sh (which makes dist/Eligo): .venv/bin/python bench/bench_bundle.py
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


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def drop_caches() -> bool:
    try:
        os.sync()
        Path("/proc/sys/vm/drop_caches").write_text("3\n")
        return True
    except OSError:
        return False


def start_time(command: list[str], env: dict[str, str], cold: bool, word: str = "shown") -> float:
    if cold:
        drop_caches()
    start = time.perf_counter()
    proc = subprocess.run(command, capture_output=True, text=True, env=env, timeout=120)
    elapsed = time.perf_counter() - start
    if word not in proc.stdout:
        raise RuntimeError(f"{command[0]} did not show a window: {proc.stdout} {proc.stderr}")
    return elapsed


def main() -> None:
    from bench_store import bench_key, new_bench_store, seed

    eligo = ROOT / "dist" / "Eligo"
    if not (eligo / "Eligo").exists():
        raise SystemExit("dist/Eligo is missing: run scripts/build.sh first")
    with tempfile.TemporaryDirectory(prefix="eligo-bench-bundle-") as tmp:
        work = Path(tmp)
        subprocess.run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "ERROR",
                        "--distpath", str(work / "dist"), "--workpath", str(work / "build"),
                        str(ROOT / "bench" / "minimal.spec")], check=True)  # fmt: skip
        minimal = work / "dist" / "Minimal"
        eligo_size, minimal_size = folder_size(eligo), folder_size(minimal)
        print(f"(a) size: Eligo {eligo_size / 1e6:.1f} MB, minimal PySide6 app {minimal_size / 1e6:.1f} MB; "
              f"ratio {eligo_size / minimal_size:.2f} (target <= 1.3)")  # fmt: skip

        data = work / "store"
        store, _ = new_bench_store(data, "BENCH")
        store.close()
        seed(data / "eligo.db")
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "ELIGO_QUIT_WHEN_SHOWN": "1"}
        cold = drop_caches()
        runs: dict[str, list[float]] = {"eligo": [], "ready": [], "minimal": [], "floor": []}
        floor_command = [
            str(work / "dist" / "Floor" / "Floor"),
            str(data / "eligo.db"),
            bench_key(data).hex(),
        ]
        eligo_command = [str(eligo / "Eligo"), "--data-dir", str(data)]
        ready_env = {**env, "ELIGO_QUIT_WHEN_SHOWN": "ready"}
        for _ in range(5):  # interleaved, so that both see the same machine
            runs["minimal"].append(start_time([str(minimal / "Minimal")], env, cold))
            runs["eligo"].append(start_time(eligo_command, env, cold))
            runs["ready"].append(start_time(eligo_command, ready_env, cold, "ready"))
            runs["floor"].append(start_time(floor_command, env, cold))
        e, r, m, f = (statistics.median(runs[k]) for k in ("eligo", "ready", "minimal", "floor"))
        print(f"(b) {'cold' if cold else 'warm (page cache not droppable here)'} start, median of 5: the "
              f"sign-in window on screen in {e:.2f} s, minimal app {m:.2f} s; ratio {e / m:.2f} (target <= 1.5); "
              f"the sign-in usable in {r:.2f} s, ratio {r / m:.2f} (the store opens after the password)")  # fmt: skip
        verdict = (
            "above the target: unreachable within STYLE" if f / m > 1.5 else "within the target"
        )
        print(f"    floor (a main window with one pydantic model from one sqlite-utils query): {f:.2f} s; "
              f"ratio {f / m:.2f}, {verdict}")  # fmt: skip


if __name__ == "__main__":
    main()
