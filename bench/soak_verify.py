"""Soak test: 100,000 malformed bundles (the suite runs 1,000) through verify and the centre's
reader (consolidate's read_verified); print how many were refused as invalid (exit 1), as
unreadable (exit 2), and how many ended any other way (a traceback, a VALID, a refusal without a
sentence): that last count must be 0.

    .venv/bin/python bench/soak_verify.py [EXAMPLES]

The bundles come from tests/bundle_strategy.py (Hypothesis, the same strategy as the suite's
test_bundle_fuzz.py) made from a genuine one-screening bundle written here.
"""

from __future__ import annotations

import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from bundle_strategy import malformed_bundle  # noqa: E402
from bundle_tools import members  # noqa: E402
from helpers import TEST_PASSWORD, add_user, open_test_store, screened  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

EXAMPLES = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000


def genuine_bundle(folder: Path) -> Path:
    from desktop_app.cli import main
    from desktop_app.rules import default_protocol
    from desktop_app.store import create_site

    with open_test_store(folder / "data") as store:
        create_site(store, None, code="SOAK", name="Site SOAK", principal_investigator="Dr. S")
        screened(
            store,
            add_user(store, "coordinator", full_name="C S"),
            default_protocol(),
            initials="XY",
        )
    password = folder / "password.txt"
    password.write_text(TEST_PASSWORD, encoding="utf-8")
    bundle = folder / "genuine.zip"
    assert main(["export", "--out", str(bundle), "--user", "coordinator", "--password-file", str(password),
                 "--data-dir", str(folder / "data"), "--no-pdf"]) == 0  # fmt: skip
    return bundle


def main() -> None:
    from desktop_app.export.consolidate import Refused, read_verified
    from desktop_app.export.verify import verify_bundle

    outcomes: Counter[str] = Counter()
    problems: list[str] = []
    with tempfile.TemporaryDirectory(prefix="eligo-soak-verify-") as tmp:
        folder = Path(tmp)
        bundle = genuine_bundle(folder)
        files, zipped = members(bundle), bundle.read_bytes()
        path = folder / "case.zip"

        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck),
                  database=None)  # fmt: skip
        @given(data=st.data())
        def one(data: st.DataObject) -> None:
            path.write_bytes(data.draw(malformed_bundle(files, zipped)))
            try:
                report = verify_bundle(path)
                centre = read_verified(path, None)
            except Exception:  # what this soak looks for
                outcomes["traceback"] += 1
                problems.append(traceback.format_exc())
                return
            sentence = bool(report.failures) and all(len(f.split()) >= 3 for f in report.failures)
            if report.exit_code in (1, 2) and sentence and isinstance(centre, Refused):
                outcomes[f"exit {report.exit_code}"] += 1
            else:
                outcomes["not refused in words"] += 1
                problems.append(f"exit {report.exit_code}: {report.verdict}")

        start = time.perf_counter()
        one()
        elapsed = time.perf_counter() - start
    print(f"malformed bundles: {sum(outcomes.values())} in {elapsed:.0f} s")
    print(f"refused as invalid (exit 1): {outcomes['exit 1']}")
    print(f"refused as unreadable (exit 2): {outcomes['exit 2']}")
    bad = outcomes["traceback"] + outcomes["not refused in words"]
    print(f"tracebacks or other endings: {bad} (target 0)")
    for problem in problems[:5]:
        print(problem)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
