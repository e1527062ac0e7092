"""Resource lookup that works from a source checkout and from the PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    """The `resources/` folder: beside the package in source, under `_MEIPASS` when frozen."""
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root is not None:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def resource(*parts: str) -> Path:
    return resources_dir().joinpath(*parts)


DEFAULT_PROTOCOL = ("protocols", "nct04660565.json")


def default_protocol_path() -> Path:
    return resource(*DEFAULT_PROTOCOL)


def command() -> str:
    """How a user runs Eligo's subcommands here: the installed program, or the module from source."""
    if getattr(sys, "frozen", False):
        return Path(sys.executable).name
    return "python -m desktop_app"
