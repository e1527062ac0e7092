"""Printing benchmark: one screening summary PDF and a 1,000-row log PDF; seconds and pages/s."""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    from bench_store import new_bench_store
    from helpers import ELIGIBLE  # a complete eligible candidate

    from desktop_app.cli import main as cli
    from desktop_app.rules import default_protocol, evaluate
    from desktop_app.store import (
        register_candidate,
        save_answers,
        start_screening,
    )

    protocol = default_protocol()
    result = evaluate(protocol, ELIGIBLE)
    with tempfile.TemporaryDirectory(prefix="eligo-bench-print-", dir=Path.cwd()) as tmp:
        data = Path(tmp) / "store"
        store, user = new_bench_store(data, "PRINT")
        with store:
            for _ in range(1000):
                screening = start_screening(
                    store, user, register_candidate(store, user, initials="AB").id, protocol
                )
                save_answers(store, user, screening.id, ELIGIBLE, determination=result)
        for label, args in (("summary", ["summary", "PRINT-0001"]), ("1,000-row log", ["log"])):
            out = Path(tmp) / f"{label.split()[0]}.pdf"
            start = time.perf_counter()
            cli(["print", *args, "--out", str(out), "--data-dir", str(data)])
            seconds = time.perf_counter() - start
            from pypdf import PdfReader

            pages = len(PdfReader(str(out)).pages)
            print(f"{label}: {seconds:.2f} s for {pages} page(s), {pages / seconds:.1f} pages/s")


if __name__ == "__main__":
    main()
