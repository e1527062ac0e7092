"""One writer per data directory: an OS file lock that dies with its process."""

from __future__ import annotations

import os
import socket
import sys
from pathlib import Path
from typing import IO

from desktop_app.store.errors import StoreLockedError, UnwritableLocationError


class WriterLock:
    """Held while a process may write; released on close or when the process dies (even SIGKILL)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        try:
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)  # the owner's only
            handle = open(fd, "r+", encoding="utf-8")  # noqa: SIM115 - kept open while held
        except OSError as exc:
            raise UnwritableLocationError(self.path.parent, str(exc.strerror)) from None
        try:
            _lock(handle)
        except OSError:
            try:
                handle.seek(0)
                holder = handle.read().strip() or "another process"
            except OSError:  # Windows: the holder's locked byte cannot be read by others
                holder = "another process"
            handle.close()
            raise StoreLockedError(self.path.parent, holder) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"process {os.getpid()} on {socket.gethostname()}")
        handle.flush()
        self._file = handle

    def release(self) -> None:
        if self._file is not None:
            self._file.seek(0)
            self._file.truncate()
            self._file.flush()
            _unlock(self._file)
            self._file.close()
            self._file = None

    @property
    def held(self) -> bool:
        return self._file is not None


if sys.platform == "win32":  # pragma: no cover - exercised by the Windows release workflow
    import msvcrt

    def _lock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)

    def _unlock(handle: IO[str]) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _lock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)

    def _unlock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
