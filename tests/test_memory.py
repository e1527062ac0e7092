"""The allocator's limit for a long session (desktop_app/memory.py)."""

from __future__ import annotations

import platform
import sys

from desktop_app.memory import limit_malloc_arenas


def test_malloc_arenas_are_limited_where_glibc_allocates() -> None:
    applied = limit_malloc_arenas()
    assert applied == (sys.platform.startswith("linux") and platform.libc_ver()[0] == "glibc")
