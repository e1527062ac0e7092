"""The process's memory over a long session (issue #21: peak memory flat over a clinic day)."""

from __future__ import annotations

import sys

# glibc's mallopt parameter for the most arenas (malloc.h: M_ARENA_MAX).
_M_ARENA_MAX = -8
ARENAS = 2  # the main thread's, and one shared by the worker threads (export, key derivations)


def limit_malloc_arenas() -> bool:
    """On Linux with glibc, at most ARENAS malloc arenas. glibc gives a thread that finds the
    arenas busy one of its own (up to eight per core) and never returns it: over a clinic day
    the export's worker threads (compression, key unsealing) made one more, at some export or
    other, and peak memory jumped about 19 MiB once, landing before or after bench/soak_day.py's
    warm-up (growth 9.7 to 21.4% in four runs; with two arenas 10.8 and 11.0%). Whether it was
    applied: elsewhere (Windows, macOS, musl) the allocator is another and nothing is done."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # not glibc
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(_M_ARENA_MAX, ARENAS))
