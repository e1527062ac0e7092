"""Every user-visible string goes through tr() and is in the translation source."""

from __future__ import annotations

import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "resources" / "translations" / "eligo_zh_CN.ts"


def messages(path: Path) -> set[tuple[str, str]]:
    tree = ET.parse(path)
    return {
        (c.findtext("name") or "", m.findtext("source") or "")
        for c in tree.getroot()
        for m in c.iter("message")
    }


def test_the_translation_source_is_current(tmp_path: Path) -> None:
    lupdate = shutil.which("pyside6-lupdate", path=str(Path(sys.executable).parent))
    if lupdate is None:
        pytest.skip("pyside6-lupdate is not installed")
    fresh = tmp_path / "fresh.ts"
    sources = [
        *sorted(str(p) for p in (ROOT / "desktop_app" / "ui").glob("*.py")),
        str(ROOT / "desktop_app" / "app.py"),
    ]
    subprocess.run([lupdate, "-no-obsolete", "-locations", "none", *sources, "-ts", str(fresh)],
                   check=True, capture_output=True)  # fmt: skip
    assert messages(fresh) == messages(TS), "run: bash scripts/translations.sh"
    assert len(messages(TS)) > 100
