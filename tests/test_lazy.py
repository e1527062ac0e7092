"""desktop_app.lazy: a package's attributes imported from their modules on first use."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest


def test_a_module_named_as_its_own_attribute_still_gives_the_attribute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # rules.evaluate: importing the module for another of its names (checked_answers) set the
    # package's attribute `evaluate` to the module, and `from desktop_app.rules import evaluate`
    # then gave the module instead of the function.
    package = tmp_path / "lazy_probe"
    package.mkdir()
    (package / "__init__.py").write_text(
        "from desktop_app.lazy import lazy_attributes\n\n"
        "__getattr__ = lazy_attributes(__name__, {'run': 'run', 'helper': 'run'}, globals())\n",
        encoding="utf-8",
    )
    (package / "run.py").write_text(
        "def run():\n    return 'ran'\n\n\ndef helper():\n    return 'helped'\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        probe = importlib.import_module("lazy_probe")
        assert probe.helper() == "helped"  # first: imports lazy_probe.run
        assert probe.run() == "ran"
    finally:
        for name in ("lazy_probe", "lazy_probe.run"):
            sys.modules.pop(name, None)
