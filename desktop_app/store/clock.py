"""Time stamps: stored in UTC, with the local offset they were made under."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone

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


def local_moment(at_utc: str, utc_offset: str) -> datetime:
    """The stored UTC time as the clock of the machine that stamped it showed it."""
    moment = datetime.fromisoformat(at_utc.replace("Z", "+00:00"))
    sign = -1 if utc_offset.startswith("-") else 1
    hours, _, minutes = utc_offset.lstrip("+-").partition(":")
    offset = timedelta(hours=int(hours or 0), minutes=int(minutes or 0)) * sign
    return moment.astimezone(timezone(offset))


def local_text(at_utc: str, utc_offset: str) -> str:
    """'2026-12-02T09:29:58.292026Z', '+08:00' -> '2026-12-02 17:29 (UTC+08:00)': what a person
    reads; the exact UTC stays in the data and the exports. Text that is not a stamp is returned
    as it is."""
    try:
        moment = local_moment(at_utc, utc_offset)
    except ValueError:
        return at_utc
    return f"{moment:%Y-%m-%d %H:%M} (UTC{utc_offset})"


def now_text(clock: Clock = system_clock) -> str:
    """The current time in the same words as local_text (the printouts' 'printed' time)."""
    stamp = Stamp.of(clock())
    return local_text(stamp.at_utc, stamp.utc_offset)
