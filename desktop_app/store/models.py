"""Pydantic models the store returns; neither rules nor ui ever sees a row or SQL."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from desktop_app.store.log_query import STATUSES as STATUSES
from desktop_app.store.log_query import LogRow as LogRow
from desktop_app.store.log_query import Status as Status

Outcome = Literal["enrolled", "declined", "screen_failure", "withdrawn"]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Site(_Frozen):
    code: str
    name: str
    principal_investigator: str
    is_demo: bool
    created_at: str


def site_in_words(code: str, name: str) -> str:
    """'PUMCH Peking Union ...' as 'Peking Union ... (PUMCH)'; a name that begins with its code
    ('DEMO site - sample data') is not preceded by it again ('DEMO DEMO site')."""
    if name.split(" ", 1)[0].casefold() == code.casefold():
        return name
    return f"{name} ({code})" if name else code


class User(_Frozen):
    id: int
    username: str
    full_name: str
    roles: tuple[str, ...]
    is_active: bool
    is_demo: bool


class Candidate(_Frozen):
    id: int
    screening_number: str
    initials: str
    sex: Literal["female", "male"] | None
    date_of_birth: date | None
    local_identifiers: dict[str, str]


class Screening(_Frozen):
    id: int
    candidate_id: int
    screening_number: str
    initials: str
    attempt: int
    protocol_id: str
    protocol_version: str
    protocol_sha256: str
    consent_date: date | None
    screening_date: date | None
    determination: Literal["draft", "incomplete", "eligible", "ineligible"]
    failing: tuple[str, ...]
    sign_state: Literal["unsigned", "signed", "locked", "invalidated"]
    outcome: Outcome | None
    outcome_detail: dict[str, Any]
    status: Status
    created_at: str
    updated_at: str


class AuditEvent(_Frozen):
    seq: int
    at_utc: str
    utc_offset: str
    user_id: int | None
    username: str
    action: str
    entity: str
    entity_id: str
    field: str | None
    old_value: str | None
    new_value: str | None
    reason: str | None
    prev_hash: str
    hash: str
