"""Files written whole or not at all, and file problems in words (export, printing, backups, CLI)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def written_whole(target: Path) -> Iterator[Path]:
    """A temporary path beside `target` to write to. When the block returns, it replaces `target`
    in one step; when anything fails (a full disk, a pulled USB stick, an error in the block), it
    is removed and `target` stays as it was. OSError from making or moving the file propagates."""
    handle, temporary = tempfile.mkstemp(
        prefix=f".{target.name}-", suffix=".partial", dir=target.parent
    )
    os.close(handle)
    partial = Path(temporary)
    try:
        yield partial
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def missing_folder(target: Path) -> str | None:
    """Why `target` cannot be written because of its folder, in words, or None."""
    return None if target.parent.is_dir() else f"the folder {target.parent} does not exist"


def in_words(exc: OSError) -> str:
    """An operating-system error on a file, in words ("the folder X does not exist")."""
    if isinstance(exc, FileNotFoundError) and exc.filename:
        problem = missing_folder(Path(str(exc.filename)))
        if problem is not None:
            return problem
    return str(exc.strerror or exc)
