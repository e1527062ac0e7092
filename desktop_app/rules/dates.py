"""Calendar arithmetic for eligibility windows: month clamping, age in completed years."""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

_TYPED_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class TypedDateError(ValueError):
    """Text that is not a YYYY-MM-DD date: `no_such_day` when it has that form (2023-02-30)."""

    def __init__(self, text: str, *, no_such_day: bool) -> None:
        self.text, self.no_such_day = text, no_such_day
        super().__init__(f"{text!r}: " + ("no such day" if no_such_day else "not YYYY-MM-DD"))


def typed_date(text: str) -> date:
    """A date as typed, YYYY-MM-DD only (Python alone also takes 20230310 and week dates)."""
    if not _TYPED_DATE.fullmatch(text):
        raise TypedDateError(text, no_such_day=False)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise TypedDateError(text, no_such_day=True) from None


def months_before(day: date, months: int) -> date:
    """The same calendar day `months` earlier, clamped to that month's last day.

    2024-08-31 minus 6 months is 2024-02-29 (brief §3).
    """
    index = day.year * 12 + (day.month - 1) - months
    year, month0 = divmod(index, 12)
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


def years_before(day: date, years: int) -> date:
    """The same calendar day `years` earlier (29 February clamps to 28 February)."""
    return months_before(day, 12 * years)


def days_before(day: date, days: int) -> date:
    return day - timedelta(days=days)


def birthday_in(year: int, born: date) -> date:
    """The date a person born on `born` has their birthday in `year` (29 Feb -> 28 Feb)."""
    if born.month == 2 and born.day == 29 and not calendar.isleap(year):
        return date(year, 2, 28)
    return born.replace(year=year)


def age_on(born: date, on: date) -> int:
    """Whole years completed on `on`; the birthday itself counts as completed."""
    age = on.year - born.year
    if on < birthday_in(on.year, born):
        age -= 1
    return age


def whole_months_between(earlier: date, later: date) -> int:
    """Completed calendar months from `earlier` to `later` (for readable reasons)."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if months > 0 and months_before(later, months) < earlier:
        months -= 1
    return max(months, 0)
