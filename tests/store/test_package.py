"""The store package imports its modules on first use; its public names stay one list."""

from __future__ import annotations

import importlib
from pathlib import Path

import desktop_app.store as store


def test_every_public_name_resolves_from_the_module_it_is_mapped_to() -> None:
    mapping = store._MODULE_OF
    assert sorted(store.__all__) == sorted(mapping)
    for name, module in mapping.items():
        assert getattr(store, name) is getattr(
            importlib.import_module(f"desktop_app.store.{module}"), name
        )
    text = Path(store.__file__).read_text(encoding="utf-8")
    for name, module in mapping.items():  # the imports mypy reads say the same
        block = text.split(f"from desktop_app.store.{module} import (", 1)[1].split(")", 1)[0]
        assert f"        {name},\n" in block, name
