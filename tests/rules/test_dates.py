"""Calendar rules of brief §3: conservative boundaries, clamping and age in completed years."""

from datetime import date

import pytest

from desktop_app.rules.dates import (
    age_on,
    days_before,
    months_before,
    whole_months_between,
    years_before,
)


# Rule: "within 6 months" starts on the same calendar day 6 months earlier, clamped to month end.
@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 8, 31), 6, date(2024, 2, 29)),  # the brief's example (leap year)
        (date(2023, 8, 31), 6, date(2023, 2, 28)),
        (date(2024, 3, 31), 1, date(2024, 2, 29)),
        (date(2024, 5, 31), 1, date(2024, 4, 30)),
        (date(2024, 1, 15), 6, date(2023, 7, 15)),
        (date(2024, 7, 15), 6, date(2024, 1, 15)),
        (date(2024, 12, 31), 12, date(2023, 12, 31)),
    ],
)
def test_months_before_clamps_to_month_end(day: date, months: int, expected: date) -> None:
    assert months_before(day, months) == expected


# Rule: "10 years" is the same calendar day 10 years earlier, clamped the same way.
@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2024, 2, 29), date(2014, 2, 28)),
        (date(2023, 3, 8), date(2013, 3, 8)),
        (date(2028, 2, 29), date(2018, 2, 28)),
    ],
)
def test_years_before(day: date, expected: date) -> None:
    assert years_before(day, 10) == expected


def test_twelve_weeks_are_84_days() -> None:
    assert days_before(date(2023, 3, 8), 84) == date(2022, 12, 14)


# Rule: age is whole years completed; the birthday itself completes the year; a 29 February
# birthday is reached on 28 February in non-leap years.
@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(2005, 3, 1), date(2023, 3, 1), 18),  # 18th birthday is the consent date
        (date(2005, 3, 2), date(2023, 3, 1), 17),  # one day short
        (date(2004, 2, 29), date(2022, 2, 28), 18),  # leap-day birthday, non-leap year
        (date(2004, 2, 29), date(2022, 2, 27), 17),
        (date(2004, 2, 29), date(2022, 3, 1), 18),
        (date(2004, 2, 29), date(2024, 2, 28), 19),  # leap year: birthday is the 29th
        (date(2004, 2, 29), date(2024, 2, 29), 20),
        (date(1930, 1, 1), date(2023, 1, 1), 93),  # no maximum age
    ],
)
def test_age_on(born: date, on: date, age: int) -> None:
    assert age_on(born, on) == age


def test_whole_months_between() -> None:
    assert whole_months_between(date(2024, 3, 2), date(2024, 7, 8)) == 4
    assert whole_months_between(date(2024, 3, 9), date(2024, 7, 8)) == 3
    assert whole_months_between(date(2024, 7, 8), date(2024, 7, 8)) == 0


@pytest.mark.parametrize(
    ("text", "no_such_day"),
    [("2023-02-30", True), ("2023-13-01", True), ("20230310", False), ("2023-W09-3", False),
     ("10/03/2023", False), ("2023-3-8", False), ("", False)],
)  # fmt: skip
def test_a_typed_date_is_yyyy_mm_dd_and_a_real_day(text: str, no_such_day: bool) -> None:
    from desktop_app.rules.dates import TypedDateError, typed_date

    assert typed_date("2024-02-29") == date(2024, 2, 29)
    with pytest.raises(TypedDateError) as info:
        typed_date(text)
    assert info.value.no_such_day is no_such_day
