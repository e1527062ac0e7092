"""Where the data lives: --data-dir, then ELIGO_DATA_DIR, then the per-user data directory."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

ENV_VAR = "ELIGO_DATA_DIR"
DB_NAME = "eligo.db"
LOCK_NAME = "eligo.lock"
# Left by an open-time check that failed in the background: the next open checks first.
CHECK_FAILED_NAME = "eligo.check-failed"
BACKUP_DIR = "backups"
# The key slots beside the database (store.keyslots), and the lock of their read-modify-write.
KEYS_NAME = "eligo.keys"
KEYS_LOCK_NAME = "eligo.keys.lock"


def make_private_dir(folder: Path) -> None:
    """Create `folder` (and parents) and keep it to its owner: 0700 on POSIX. On Windows the data
    folder lives in the per-user profile, which only its user (and administrators) can read."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.name == "posix":
        os.chmod(folder, 0o700)


def make_private_file(path: Path) -> None:
    """Create `path` empty if missing and make it 0600 (before SQLite writes to it: SQLite gives
    the WAL and SHM files the database file's permissions)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.close(fd)
    if os.name == "posix":
        os.chmod(path, 0o600)


def data_dir(explicit: str | Path | None = None) -> Path:
    """The data directory: %APPDATA%\\Eligo, ~/Library/Application Support/Eligo, or
    $XDG_DATA_HOME/Eligo, unless overridden."""
    chosen = explicit or os.environ.get(ENV_VAR)
    if not chosen:
        chosen = platformdirs.user_data_dir("Eligo", appauthor=False, roaming=True)
    # Resolved once, here: a relative folder (--data-dir d1, ELIGO_DATA_DIR=d1) names the same
    # place for every later use, including the file URI of a read-only connection, which SQLite
    # accepts only for an absolute path.
    return Path(chosen).expanduser().absolute()


STATE_ENV_VAR = "ELIGO_STATE_DIR"


def state_dir() -> Path:
    """This computer user's own state folder, outside the data folder (store.keyslots keeps its
    copy of the sign-in attempts there): $ELIGO_STATE_DIR, or the platform's user state folder."""
    chosen = os.environ.get(STATE_ENV_VAR)
    if not chosen and sys.platform == "darwin":  # the state folder there is the data folder itself
        chosen = str(Path.home() / "Library" / "Preferences" / "Eligo")
    if not chosen:
        chosen = platformdirs.user_state_dir("Eligo", appauthor=False)
    return Path(chosen).expanduser().absolute()


def demo_data_dir(explicit: str | Path | None = None) -> Path:
    """The separate store that `--demo` uses, so sample data never mixes with real data: the
    `demo` folder inside the data directory (which --data-dir or $ELIGO_DATA_DIR may name)."""
    return data_dir(explicit) / "demo"
