"""Qt tests keep their settings in a temporary folder, never in the user's real settings."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QCoreApplication, QSettings


@pytest.fixture(autouse=True)
def private_settings(tmp_path_factory: pytest.TempPathFactory) -> None:
    QCoreApplication.setOrganizationName("EligoTests")
    QCoreApplication.setApplicationName("EligoTests")
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    folder = str(tmp_path_factory.mktemp("settings"))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, folder)


@pytest.fixture(autouse=True)
def collect_windows_between_tests() -> Iterator[None]:
    """Windows a test leaves behind are deleted here, at a quiet point, not by a garbage collection
    that happens to run in the middle of the next test's event processing."""
    yield
    gc.collect()
