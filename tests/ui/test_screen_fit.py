"""Every window fits the screen, frame included, at 1024 x 600 and up, at 100%, 125% and 150%
scaling (issue #18), in English and in Chinese (issue #16): the main window with its status bar,
the wizard at every step with its bottom buttons and no sideways scrolling of its form column,
the screening log and the audit trail without sideways scrolling (its cells never cut), the
sign-in, setup, accounts, export, verify, trusted keys, audit trail, signature and About dialogs.

QT_SCALE_FACTOR and the screen are fixed when Qt starts: each case runs
tests/ui/screen_fit_probe.py in a process of its own, on an offscreen screen of that size whose
windows have a frame."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = Path(__file__).with_name("screen_fit_probe.py")


def problems(tmp_path: Path, width: int, height: int, scale: str, chosen: str) -> list[str]:
    screen = {"synchronousWindowSystemEvents": True, "windowFrameMargins": True,
              "screens": [{"name": "screen", "x": 0, "y": 0, "width": width, "height": height,
                           "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}  # fmt: skip
    config = tmp_path / "screen.json"
    config.write_text(json.dumps(screen), encoding="utf-8")
    env = dict(os.environ, QT_SCALE_FACTOR=scale, QT_QPA_PLATFORM=f"offscreen:configfile={config}")
    done = subprocess.run([sys.executable, str(PROBE), str(tmp_path), chosen], env=env,
                          capture_output=True, text=True, timeout=300, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    found: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


@pytest.mark.parametrize(
    ("width", "height", "scale", "chosen"),
    [(1024, 600, "1", "en"), (1024, 600, "1.25", "en"), (1024, 600, "1.5", "en"),
     (1024, 600, "1.5", "zh-CN")],
)  # fmt: skip
def test_every_window_fits_a_small_screen_at_every_scaling(
    tmp_path: Path, width: int, height: int, scale: str, chosen: str
) -> None:
    assert problems(tmp_path, width, height, scale, chosen) == []
