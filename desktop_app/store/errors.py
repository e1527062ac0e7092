"""Store errors with messages a coordinator can act on."""

from __future__ import annotations

from pathlib import Path

from desktop_app.paths import command


class StoreError(Exception):
    """Base class of every store failure."""


class AuthenticationError(StoreError):
    """Sign-in refused: wrong password, unknown user, locked or deactivated account."""


class WrongCredentialsError(AuthenticationError):
    """An unknown username or a wrong password: the sign-in does not say which."""


class StoreLockedError(StoreError):
    """Another process holds the data directory for writing."""

    def __init__(self, data_dir: Path, holder: str) -> None:
        self.data_dir = data_dir
        self.holder = holder
        super().__init__(
            f"The Eligo data in {data_dir} is open for writing by {holder}. "
            "Close that Eligo first, or open this one read-only."
        )


class StoreCorruptError(StoreError):
    """The database failed its integrity or audit-chain check when opened."""

    def __init__(self, path: Path, detail: str, newest_backup: Path | None) -> None:
        self.path = path
        self.detail = detail
        self.newest_backup = newest_backup
        offer = (
            f" The newest good backup is {newest_backup}; restore it with "
            f"'{command()} db restore {newest_backup}'."
            if newest_backup
            else " No good backup was found."
        )
        super().__init__(f"The database {path} failed its check: {detail}.{offer}")


class StoreWriteError(StoreError):
    """A change could not be saved (disk full, read-only location); nothing was changed."""

    def __init__(self, what: str, cause: str) -> None:
        super().__init__(f"{what} could not be saved ({cause}). The previous state is kept.")


class UnwritableLocationError(StoreWriteError):
    """The data directory itself cannot be written (read-only medium, no permission)."""

    def __init__(self, data_dir: Path, cause: str) -> None:
        StoreError.__init__(
            self,
            f"Eligo cannot write to {data_dir} ({cause}). It can be opened read-only; nothing was changed.",
        )


class ReadOnlyStoreError(StoreError):
    """A write was attempted on a store opened read-only."""

    def __init__(self) -> None:
        super().__init__(
            "This Eligo window is read-only: another Eligo holds the data for writing."
        )


class NotFoundError(StoreError):
    """A record named by the caller does not exist."""


class BadInputError(StoreError):
    """Input that names a field and what is wrong with it; nothing was changed."""

    def __init__(self, field: str, problem: str) -> None:
        self.field = field
        self.problem = problem
        super().__init__(f"{field}: {problem}")
