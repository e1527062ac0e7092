"""Shared fixtures. Qt runs offscreen; the bundled protocol is loaded once."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any QApplication exists
# This computer user's state folder (the copy of the sign-in attempts): never the real one.
if "ELIGO_STATE_DIR" not in os.environ:
    import tempfile

    os.environ["ELIGO_STATE_DIR"] = tempfile.mkdtemp(prefix="eligo-test-state-")

from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from helpers import add_user, open_test_store

from desktop_app.rules import LoadedProtocol, default_protocol
from desktop_app.store import Store, User, create_site


@pytest.fixture(scope="session")
def protocol() -> LoadedProtocol:
    return default_protocol()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A real file store in a temporary data directory, closed after the test."""
    opened = open_test_store(tmp_path / "data", clock=FixedClock())
    yield opened
    opened.close()


@pytest.fixture
def site_and_user(store: Store) -> tuple[Store, User]:
    create_site(
        store,
        None,
        code="PUMCH",
        name="Peking Union Medical College Hospital",
        principal_investigator="Dr. Test",
    )
    return store, add_user(store, "coordinator", full_name="Test Coordinator")


class FixedClock:
    """A clock that advances one second per reading, in a UTC+08:00 zone."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2023, 3, 8, 9, 0, tzinfo=timezone(timedelta(hours=8)))

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture(autouse=True)
def english_after_each_test() -> Iterator[None]:
    """Every test starts in English: a test that runs a command in Chinese in this process (the
    CLI applies --language for the whole application, as a process of its own would) would leave
    the next tests on its worker in Chinese."""
    yield
    import sys

    language = sys.modules.get("desktop_app.ui.language")
    if language is not None and language.current() != "en":
        language.apply("en")
