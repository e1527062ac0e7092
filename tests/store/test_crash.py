"""A crash never costs a saved answer: SIGKILL a saving process at random moments, 25 times.

Power loss is covered by synchronous=FULL in WAL mode, not by this test: a SIGKILL leaves the
operating system's page cache intact.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from crash_harness import kill_once


@pytest.mark.skipif(sys.platform == "win32", reason="needs fork and SIGKILL")
def test_sigkill_25_times_loses_no_saved_answer(tmp_path: Path) -> None:
    rng = random.Random(20231201)
    data = tmp_path / "data"
    mid_save = 0
    for _ in range(25):
        result = kill_once(data, rng)
        assert result.check is None, result
        assert result.found >= result.acknowledged, result  # nothing confirmed is lost
        assert result.found <= result.acknowledged + 1, result  # at most the save in flight
        mid_save += result.acknowledged > 0
    assert mid_save >= 20  # the kills really landed while saving
