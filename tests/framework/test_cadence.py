"""Cadences: durations, calendar arithmetic and when a time-bound duty becomes overdue."""

from __future__ import annotations

import datetime as dt

import pytest

from regframe.framework.cadence import Cadence, CadenceError, Duration, Step, StepKind, Unit, add_months, add_working_days

D = dt.date


def six_weekly_then_three_monthly() -> Cadence:
    """CPPCR reg 28: within 1 week, then 6-weekly in the first year, then 3-monthly."""
    return Cadence(
        anchor="placement-start",
        steps=(
            Step(StepKind.WITHIN, Duration.parse("1 week")),
            Step(StepKind.EVERY, Duration.parse("6 weeks"), until=Duration.parse("1 year")),
            Step(StepKind.EVERY, Duration.parse("3 months")),
        ),
    )


@pytest.mark.parametrize(
    "text, expected",
    [("24 hours", Duration(24, Unit.HOUR)), ("1 week", Duration(1, Unit.WEEK)),
     ("20 working-days", Duration(20, Unit.WORKING_DAY)), ("6 months", Duration(6, Unit.MONTH)),
     ("1 working-day", Duration(1, Unit.WORKING_DAY))],
)
def test_durations_parse(text, expected):
    assert Duration.parse(text) == expected
    assert Duration.parse(str(expected)) == expected


@pytest.mark.parametrize("text", ["six weeks", "6", "6 fortnights", "-1 day", ""])
def test_unreadable_durations_are_refused(text):
    with pytest.raises(CadenceError):
        Duration.parse(text)


def test_adding_a_month_clamps_to_the_end_of_a_short_month():
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2023, 11, 30), 3) == D(2024, 2, 29)


def test_working_days_skip_weekends():
    friday = D(2026, 11, 20)
    assert add_working_days(friday, 1) == D(2026, 11, 23)
    assert Duration.parse("20 working-days").after(D(2026, 11, 2)) == D(2026, 11, 30)


def test_hours_round_up_to_whole_days():
    assert Duration.parse("24 hours").after(D(2026, 1, 1)) == D(2026, 1, 2)
    assert Duration.parse("48 hours").after(D(2026, 1, 1)) == D(2026, 1, 3)


def test_a_six_weekly_visit_is_in_time_on_day_42_and_overdue_on_day_43():
    cadence = six_weekly_then_three_monthly()
    start = D(2026, 1, 1)
    last_visit = D(2026, 2, 1)
    assert not cadence.is_overdue(start, last_visit, last_visit + dt.timedelta(days=42))
    assert cadence.is_overdue(start, last_visit, last_visit + dt.timedelta(days=43))


def test_the_first_visit_is_due_within_a_week_of_the_placement_starting():
    cadence = six_weekly_then_three_monthly()
    start = D(2026, 1, 1)
    assert cadence.next_due(start, None) == D(2026, 1, 8)
    assert not cadence.is_overdue(start, None, D(2026, 1, 8))
    assert cadence.is_overdue(start, None, D(2026, 1, 9))


def test_after_the_first_year_the_interval_becomes_three_months():
    cadence = six_weekly_then_three_monthly()
    start = D(2024, 1, 1)
    assert cadence.interval_at(start, D(2024, 12, 31)) == Duration(6, Unit.WEEK)
    assert cadence.interval_at(start, D(2025, 1, 1)) == Duration(3, Unit.MONTH)
    assert cadence.next_due(start, D(2025, 3, 10)) == D(2025, 6, 10)


def test_the_window_of_a_cadence_is_its_longest_interval():
    assert six_weekly_then_three_monthly().window() == Duration(3, Unit.MONTH)


def test_a_cadence_needs_a_step():
    with pytest.raises(CadenceError):
        Cadence(anchor="event", steps=())


def test_a_cadence_reads_out_in_words():
    assert six_weekly_then_three_monthly().describe() == "within 1 week; every 6 weeks until 1 year; every 3 months"
    assert Step(StepKind.FOLLOW_UP, Duration(28, Unit.DAY), label="report to HMCI").describe() == (
        "follow-up 28 days (report to HMCI)")
