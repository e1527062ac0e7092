"""The date from which a look-back window (E4, E5, E6) is over: rules.washout."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.rules import LoadedProtocol, evaluate
from desktop_app.rules.dates import months_before
from desktop_app.rules.washout import first_day_outside, window_over_on

CASES = Path(__file__).parents[1] / "data" / "cases"


def _case(name: str) -> dict[str, Any]:
    answers: dict[str, Any] = json.loads((CASES / name).read_text(encoding="utf-8"))["answers"]
    return answers


def _screened_on(answers: dict[str, Any], day: date) -> dict[str, Any]:
    """The same answers with the screening (and the dates that must precede it) moved to `day`."""
    moved = dict(
        answers, screening_date=day.isoformat(), consent_date=(day - timedelta(days=7)).isoformat()
    )
    for key in ("chest_imaging_date", "ppd_date", "tb_elispot_date"):
        if key in moved:
            moved[key] = (day - timedelta(days=6)).isoformat()
    return moved


# The boundary day counts as inside (brief §3): the window is over the day after.
@pytest.mark.parametrize(
    ("exposure", "months", "days", "over_on"),
    [
        ("2022-11-02", 6, None, "2023-05-03"),
        ("2023-08-31", 6, None, "2024-03-01"),  # 2024-02-29 reaches back to 2023-08-29: inside
        ("2023-02-28", 6, None, "2023-09-01"),  # 08-29..08-31 all reach back to 02-28 (clamped)
        ("2024-02-29", 120, None, "2034-03-01"),  # ten years, a leap day
        ("2023-01-01", None, 84, "2023-03-27"),
    ],
)
def test_first_day_outside(
    exposure: str, months: int | None, days: int | None, over_on: str
) -> None:
    assert first_day_outside(
        date.fromisoformat(exposure), months=months, days=days
    ) == date.fromisoformat(over_on)


@given(st.dates(date(2000, 1, 1), date(2030, 12, 31)), st.integers(1, 130))
def test_first_day_outside_is_the_first_such_day(exposure: date, months: int) -> None:
    day = first_day_outside(exposure, months=months)
    assert months_before(day, months) > exposure  # outside on that day
    assert months_before(day - timedelta(days=1), months) <= exposure  # inside the day before


def test_rituximab_window_over_on_agrees_with_evaluate(protocol: LoadedProtocol) -> None:
    answers = _case("19-rituximab-4-months-ineligible.json")
    result = evaluate(protocol, answers)
    over_on = window_over_on(c for c in result.criteria if c.id in result.failing)
    assert over_on == date(2023, 5, 3)
    assert evaluate(protocol, _screened_on(answers, over_on - timedelta(days=1))).failing == ("E5",)
    assert evaluate(protocol, _screened_on(answers, over_on)).determination == "eligible"


def test_the_latest_window_decides(protocol: LoadedProtocol) -> None:
    """Rituximab (6 months) and methotrexate (84 days) and a malignancy (10 years): the latest."""
    answers = _case("19-rituximab-4-months-ineligible.json")
    answers["medications_given"] = ["rituximab", "methotrexate"]
    answers["medication_last_dose"] = {"rituximab": "2022-11-02", "methotrexate": "2023-03-01"}
    answers["malignancy_history"] = True
    answers["malignancy_date"] = "2013-04-01"
    result = evaluate(protocol, answers)
    assert result.failing == ("E4", "E5", "E6")
    over_on = window_over_on(result.criteria)
    assert over_on == date(2023, 5, 25)  # methotrexate 2023-03-01 + 84 days + 1
    assert evaluate(protocol, _screened_on(answers, over_on - timedelta(days=1))).failing == ("E6",)
    assert evaluate(protocol, _screened_on(answers, over_on)).determination == "eligible"


def test_malignancy_window(protocol: LoadedProtocol) -> None:
    answers = _case("17-malignancy-exactly-10y-ineligible.json")
    result = evaluate(protocol, answers)
    assert result.failing == ("E4",)
    assert window_over_on(result.criteria) == date(2023, 3, 9)


@pytest.mark.parametrize(
    "name",
    [
        "24-pregnant-ineligible.json",
        "33-several-reasons.json",
        "01-autoimmune-pancreatitis-eligible.json",
    ],
)
def test_no_date_where_time_alone_does_not_help(protocol: LoadedProtocol, name: str) -> None:
    """A failing criterion that is not a window (or nothing failing) gives no date."""
    result = evaluate(protocol, _case(name))
    assert window_over_on(result.criteria) is None
