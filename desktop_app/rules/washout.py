"""When a candidate excluded only by a look-back window (E4, E5, E6) could be screened again."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from desktop_app.rules.dates import months_before
from desktop_app.rules.result import CriterionResult, Params

# The reasons of a criterion that fails only because an exposure lies inside its window: time
# alone ends them. Any other failing reason (a judgement, a test result) does not pass by waiting.
WINDOW_REASONS = frozenset({"agent_within_window", "malignancy_within_window"})


def first_day_outside(
    exposure: date, *, months: int | None = None, days: int | None = None
) -> date:
    """The first screening date on which `exposure` lies outside a window of `months` calendar
    months or `days` days looking back (brief §3: the boundary day still counts as inside)."""
    if days is not None:
        return exposure + timedelta(days=days + 1)
    if months is None:
        raise ValueError("a window needs months or days")
    # Adding the months (clamped) gives a day whose window still starts on or before the exposure;
    # months_before only grows with the day, so the first day after it that starts later is it.
    index = exposure.year * 12 + exposure.month - 1 + months
    year, month0 = divmod(index, 12)
    day = _clamped(year, month0 + 1, exposure.day)
    while months_before(day, months) <= exposure:
        day += timedelta(days=1)
    return day


def _clamped(year: int, month: int, day: int) -> date:
    while True:
        try:
            return date(year, month, day)
        except ValueError:
            day -= 1


def _criterion_over_on(c: CriterionResult) -> date | None:
    p: Params = c.params
    if c.reason == "malignancy_within_window":
        return first_day_outside(
            date.fromisoformat(str(p["date"])), months=12 * int(str(p["years"]))
        )
    if c.reason == "agent_within_window":
        months = int(str(p["months"])) if p.get("months") is not None else None
        days = int(str(p["days"])) if p.get("days") is not None else None
        agents = p.get("agents")
        if not isinstance(agents, list) or not agents:
            return None
        ends = [
            first_day_outside(date.fromisoformat(str(a["last_dose"])), months=months, days=days)
            for a in agents
            if isinstance(a, dict)
        ]
        return max(ends) if ends else None
    return None


def window_over_on(failing: Iterable[CriterionResult]) -> date | None:
    """The first screening date from which every failing criterion would pass by time alone: when
    each failing criterion is a look-back window (medication E5/E6, malignancy E4) whose exposure
    is dated, the latest of their first days outside; otherwise (or with nothing failing) None."""
    ends: list[date] = []
    for c in failing:
        if not c.fails:
            continue
        end = _criterion_over_on(c) if c.reason in WINDOW_REASONS else None
        if end is None:
            return None
        ends.append(end)
    return max(ends) if ends else None
