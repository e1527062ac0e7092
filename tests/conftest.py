"""Shared fixtures. Qt runs offscreen; the bundled protocol is loaded once."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any QApplication exists

import pytest

from desktop_app.rules import LoadedProtocol, default_protocol


@pytest.fixture(scope="session")
def protocol() -> LoadedProtocol:
    return default_protocol()
