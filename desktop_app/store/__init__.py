"""Local SQLite store (sqlite-utils): schema, migrations, audit chain, backups. No Qt, and the
only package that speaks SQL."""

from desktop_app.store.accounts import (
    AuthenticationError,
    authenticate,
    create_account,
    get_account,
)
from desktop_app.store.answers import (
    answers_of,
    latest_determination,
    record_outcome,
    save_answer,
    save_answers,
)
from desktop_app.store.database import Store, open_store, sqlite_library_version
from desktop_app.store.errors import (
    BadInputError,
    NotFoundError,
    ReadOnlyStoreError,
    StoreCorruptError,
    StoreError,
    StoreLockedError,
    StoreWriteError,
)
from desktop_app.store.location import data_dir, demo_data_dir
from desktop_app.store.models import AuditEvent, Candidate, LogRow, Screening, Site, User
from desktop_app.store.records import (
    attempts_of,
    create_site,
    find_screening,
    get_candidate,
    get_screening,
    get_site,
    get_user,
    list_users,
    register_candidate,
    start_screening,
)
from desktop_app.store.roles import PermissionDeniedError

__all__ = [
    "AuditEvent",
    "AuthenticationError",
    "BadInputError",
    "Candidate",
    "LogRow",
    "NotFoundError",
    "PermissionDeniedError",
    "ReadOnlyStoreError",
    "Screening",
    "Site",
    "Store",
    "StoreCorruptError",
    "StoreError",
    "StoreLockedError",
    "StoreWriteError",
    "User",
    "answers_of",
    "attempts_of",
    "authenticate",
    "create_account",
    "create_site",
    "data_dir",
    "demo_data_dir",
    "find_screening",
    "get_account",
    "get_candidate",
    "get_screening",
    "get_site",
    "get_user",
    "latest_determination",
    "list_users",
    "open_store",
    "record_outcome",
    "register_candidate",
    "save_answer",
    "save_answers",
    "sqlite_library_version",
    "start_screening",
]  # fmt: skip
