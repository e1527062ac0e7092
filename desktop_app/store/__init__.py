"""Local SQLite store (sqlite-utils): schema, migrations, audit chain, backups. No Qt, and the
only package that speaks SQL."""

# The names below are imported from their modules on first use (PEP 562), so that opening the
# sign-in window does not pay for modules it does not need (rules, export, crypto).

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop_app.lazy import lazy_attributes

if TYPE_CHECKING:
    from desktop_app.store.accounts import (
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
    from desktop_app.store.database import (
        Store,
        open_store,
        sqlite_library_version,
    )
    from desktop_app.store.errors import (
        AuthenticationError,
        BadInputError,
        NotFoundError,
        ReadOnlyStoreError,
        StoreCorruptError,
        StoreError,
        StoreLockedError,
        StoreWriteError,
    )
    from desktop_app.store.location import (
        data_dir,
        demo_data_dir,
    )
    from desktop_app.store.models import (
        AuditEvent,
        Candidate,
        LogRow,
        Screening,
        Site,
        User,
    )
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
    from desktop_app.store.roles import (
        PermissionDeniedError,
    )

_MODULE_OF = {
    "AuditEvent": "models",
    "AuthenticationError": "errors",
    "BadInputError": "errors",
    "Candidate": "models",
    "LogRow": "models",
    "NotFoundError": "errors",
    "PermissionDeniedError": "roles",
    "ReadOnlyStoreError": "errors",
    "Screening": "models",
    "Site": "models",
    "Store": "database",
    "StoreCorruptError": "errors",
    "StoreError": "errors",
    "StoreLockedError": "errors",
    "StoreWriteError": "errors",
    "User": "models",
    "answers_of": "answers",
    "attempts_of": "records",
    "authenticate": "accounts",
    "create_account": "accounts",
    "create_site": "records",
    "data_dir": "location",
    "demo_data_dir": "location",
    "find_screening": "records",
    "get_account": "accounts",
    "get_candidate": "records",
    "get_screening": "records",
    "get_site": "records",
    "get_user": "records",
    "latest_determination": "answers",
    "list_users": "records",
    "open_store": "database",
    "record_outcome": "answers",
    "register_candidate": "records",
    "save_answer": "answers",
    "save_answers": "answers",
    "sqlite_library_version": "database",
    "start_screening": "records",
}

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
]


__getattr__ = lazy_attributes(__name__, _MODULE_OF, globals())
