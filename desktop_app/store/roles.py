"""Roles and what each may do (administrator, coordinator, investigator, monitor)."""

from __future__ import annotations

from typing import Literal, get_args

from desktop_app.store.errors import StoreError
from desktop_app.store.models import User

Role = Literal["administrator", "coordinator", "investigator", "monitor"]
ROLES: tuple[Role, ...] = get_args(Role)
SCREENING_ROLES: tuple[Role, ...] = ("coordinator", "investigator")
"""Who may register candidates, answer, and record outcomes; monitors only read."""
EXPORT_ROLES: tuple[Role, ...] = ("administrator", "coordinator", "investigator")
"""Who may export the site's signed bundle; a monitor reads and verifies but does not export."""
MONITOR_ROLES: tuple[Role, ...] = ("monitor",)
"""Who raises, closes and reopens queries and records audit trail reviews (coordinators and
investigators answer queries and write notes: SCREENING_ROLES)."""


class PermissionDeniedError(StoreError):
    """The user's roles do not allow this action."""


def has_role(user: User, *roles: Role) -> bool:
    """Whether an active user holds one of `roles`: what require_role allows, asked beforehand (the
    windows offer only what the user may do)."""
    return user.is_active and bool(set(roles) & set(user.roles))


def require_role(user: User, *roles: Role, action: str) -> None:
    if not user.is_active:
        raise PermissionDeniedError(f"{user.full_name}'s account is deactivated")
    if not has_role(user, *roles):
        needed = " or ".join(roles)
        raise PermissionDeniedError(
            f"{user.full_name} cannot {action}: that needs the {needed} role"
        )
