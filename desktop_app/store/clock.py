"""Time stamps: stored in UTC, with the local offset they were made under."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]
"""Returns the current time as an aware datetime in the local zone."""


def system_clock() -> datetime:
    return datetime.now(UTC).astimezone()


@dataclass(frozen=True)
class Stamp:
    at_utc: str  # 2026-11-24T23:20:01.123456Z
    utc_offset: str  # +08:00

    @classmethod
    def of(cls, moment: datetime) -> Stamp:
        if moment.tzinfo is None:
            raise ValueError("a time stamp needs an aware datetime")
        offset = moment.utcoffset() or timedelta(0)
        utc = (moment.replace(tzinfo=None) - offset).isoformat(timespec="microseconds") + "Z"
        minutes = int(offset.total_seconds()) // 60
        sign = "-" if minutes < 0 else "+"
        hours, minutes = divmod(abs(minutes), 60)
        return cls(utc, f"{sign}{hours:02d}:{minutes:02d}")
