"""Time stamps: stored in UTC, with the local offset they were made under."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

Clock = Callable[[], datetime]
"""Returns the current time as an aware datetime in the local zone."""


def system_clock() -> datetime:
    return datetime.now().astimezone()


@dataclass(frozen=True)
class Stamp:
    at_utc: str  # 2026-11-24T23:20:01.123456Z
    utc_offset: str  # +08:00

    @classmethod
    def of(cls, moment: datetime) -> Stamp:
        if moment.tzinfo is None:
            raise ValueError("a time stamp needs an aware datetime")
        utc = moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
        offset = moment.strftime("%z")
        return cls(utc, f"{offset[:3]}:{offset[3:]}")
