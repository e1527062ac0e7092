"""The installation self-test: every step reported, exit 0 only when all worked."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app import selftest
from desktop_app.cli import main


def test_the_self_test_passes_and_reports_every_step(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    log = tmp_path / "self-test.txt"  # what a windowed program without a console leaves behind
    monkeypatch.setenv("ELIGO_SELF_TEST_LOG", str(log))
    assert main(["--self-test"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert log.read_text(encoding="utf-8").splitlines() == lines
    assert lines[-1] == "SELF-TEST PASSED"
    steps = [line for line in lines if line.startswith(("ok", "FAILED"))]
    assert len(steps) == 11
    assert all(line.startswith("ok") for line in steps)
    assert any("2 eligible, 1 incomplete, 13 ineligible" in line for line in steps)
    assert any("verify the bundle" in line and "VALID: signed by" in line for line in steps)
    assert any("Chinese translations" in line and line.endswith("登录, 取消") for line in steps)
    assert any(
        "in the viewer (QtPdf)" in line and line.endswith("1 page(s) shown") for line in steps
    )


def test_a_failing_step_fails_the_self_test(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr("desktop_app.paths.resources_dir", lambda: tmp_path)  # no examples here
    lines: list[str] = []
    assert selftest.run_self_test(lines.append) == 1
    assert any(
        line.startswith("FAILED  screen every example candidate: RuntimeError: no example")
        for line in lines
    )
    assert lines[-1].startswith("SELF-TEST FAILED")
