"""Cadences: durations, calendar arithmetic and when a time-bound duty becomes overdue."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest

from regframe.framework.cadence import (
    Cadence,
    CadenceError,
    Duration,
    Step,
    StepKind,
    Unit,
    add_months,
    add_working_days,
)

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


def test_a_duration_in_a_sentence_is_written_in_words_and_in_the_catalogue_as_a_token():
    assert [Duration.parse(text).words for text in ("1 working-day", "20 working-days", "6 weeks", "1 month")] == [
        "1 working day", "20 working days", "6 weeks", "1 month"]
    assert str(Duration.parse("20 working-days")) == "20 working-days"  # what the catalogue writer writes back


@pytest.mark.parametrize("text", ["six weeks", "6", "6 fortnights", "-1 day", ""])
def test_unreadable_durations_are_refused(text):
    with pytest.raises(CadenceError):
        Duration.parse(text)


def test_adding_a_month_clamps_to_the_end_of_a_short_month():
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2023, 11, 30), 3) == D(2024, 2, 29)
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert add_months(D(2023, 1, 29), 1) == D(2023, 2, 28)
    assert add_months(D(2023, 1, 28), 1) == D(2023, 2, 28)
    assert add_months(D(2024, 3, 31), -1) == D(2024, 2, 29)


def test_adding_months_agrees_with_clamping_every_day_to_its_months_length():
    # the plain rule, against which the shortcut for days up to the 28th is checked on every day of four years
    def plain(start, months):
        index = start.month - 1 + months
        year, month = start.year + index // 12, index % 12 + 1
        return D(year, month, min(start.day, calendar.monthrange(year, month)[1]))

    day = D(2023, 1, 1)
    while day < D(2027, 1, 1):
        for months in (-13, -1, 1, 2, 6, 11, 12, 25):
            assert add_months(day, months) == plain(day, months), (day, months)
        day += dt.timedelta(days=1)


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


# ------------------------------------------------------------------ calendar periods, counted steps, retention


def monthly_visits() -> Cadence:
    """CHR reg 44: at least once in each calendar month."""
    return Cadence(anchor="previous-occurrence", steps=(Step(StepKind.EACH, Duration.parse("1 month")),))


def iro_reviews() -> Cadence:
    """CPPCR reg 33: first within 20 working days, the second within 3 months of the first, then 6-monthly."""
    return Cadence(anchor="looked-after-start", steps=(
        Step(StepKind.WITHIN, Duration.parse("20 working-days")),
        Step(StepKind.EVERY, Duration.parse("3 months"), times=1),
        Step(StepKind.EVERY, Duration.parse("6 months")),
    ))


def test_each_calendar_month_wants_the_next_visit_by_the_end_of_the_following_month():
    cadence = monthly_visits()
    assert cadence.next_due(None, D(2026, 1, 5)) == D(2026, 2, 28)
    assert cadence.next_due(None, D(2026, 1, 31)) == D(2026, 2, 28)
    assert cadence.next_due(None, D(2026, 12, 1)) == D(2027, 1, 31)
    assert cadence.next_due(None, D(2028, 1, 2)) == D(2028, 2, 29)


def test_visits_on_2_january_and_27_february_keep_to_a_calendar_month_but_not_to_a_rolling_one():
    calendar_rule, rolling = monthly_visits(), Cadence("previous-occurrence", (Step(StepKind.EVERY, Duration.parse("1 month")),))
    assert not calendar_rule.is_overdue(None, D(2026, 1, 2), D(2026, 2, 27))
    assert rolling.is_overdue(None, D(2026, 1, 2), D(2026, 2, 27))
    assert calendar_rule.is_overdue(None, D(2026, 1, 31), D(2026, 3, 1))  # February had no visit


def test_each_calendar_year_and_the_first_deadline_from_an_anchor():
    yearly = Cadence("previous-occurrence", (Step(StepKind.EACH, Duration.parse("1 year")),))
    assert yearly.next_due(None, D(2025, 1, 10)) == D(2026, 12, 31)
    assert yearly.first_deadline(D(2026, 3, 4)) == D(2026, 12, 31)
    assert monthly_visits().first_deadline(D(2026, 2, 10)) == D(2026, 2, 28)
    assert yearly.describe() == "each calendar year"


def test_each_counts_only_calendar_months_or_years():
    with pytest.raises(CadenceError, match="calendar months or years"):
        Step(StepKind.EACH, Duration.parse("6 weeks"))


def test_the_second_review_runs_from_the_first_whenever_the_first_was_held():
    cadence = iro_reviews()
    start = D(2026, 1, 5)
    late_first = D(2026, 4, 20)  # well after the 20 working days, and after the old 2-month cut-off
    assert cadence.next_due(start, late_first, occurrences=1) == D(2026, 7, 20)
    assert cadence.next_due(start, D(2026, 7, 20), occurrences=2) == D(2027, 1, 20)
    assert cadence.next_due(start, None) == D(2026, 2, 2)
    assert cadence.next_due(start, late_first, occurrences=None) == D(2026, 10, 20)  # count unknown: the later step
    assert cadence.describe() == "within 20 working days; every 3 months for 1 interval; every 6 months"


def test_times_belongs_on_an_every_step():
    with pytest.raises(CadenceError, match="times"):
        Step(StepKind.WITHIN, Duration.parse("1 week"), times=1)
    with pytest.raises(CadenceError, match="times"):
        Step(StepKind.EVERY, Duration.parse("1 week"), times=0)


def test_a_retention_period_sets_no_deadline():
    keep = Cadence("date-of-birth", (Step(StepKind.RETAIN, Duration.parse("75 years")),))
    assert keep.first_deadline(D(2010, 5, 1)) is None
    assert keep.next_due(D(2010, 5, 1), D(2020, 1, 1)) is None
    assert keep.window() is None
    assert keep.describe() == "retain 75 years"
