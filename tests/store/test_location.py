"""Where the data lives: --data-dir, else $ELIGO_DATA_DIR, else the per-user folder; the DEMO
store always in a `demo` folder inside it, never mixed with real data."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop_app.store.location import ENV_VAR, data_dir, demo_data_dir


def test_the_demo_store_is_inside_the_chosen_data_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert demo_data_dir(tmp_path / "site") == tmp_path / "site" / "demo"
    monkeypatch.setenv(ENV_VAR, str(tmp_path / "env"))
    assert data_dir() == tmp_path / "env"
    assert demo_data_dir() == tmp_path / "env" / "demo"
    assert (
        data_dir(tmp_path / "explicit") == tmp_path / "explicit"
    )  # --data-dir wins over the variable
