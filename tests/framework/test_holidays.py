"""England and Wales bank holidays: the 1971 Act's days, the proclaimed days, substitutes and one-off changes."""

from __future__ import annotations

import datetime as dt

import pytest

from regframe.framework.cadence import add_working_days, working_days_before
from regframe.framework.holidays import ONE_OFF_CHANGES, bank_holidays, easter_sunday, is_working_day

D = dt.date


@pytest.mark.parametrize(("year", "easter"), [(2015, D(2015, 4, 5)), (2019, D(2019, 4, 21)), (2024, D(2024, 3, 31)),
                                              (2025, D(2025, 4, 20)), (2038, D(2038, 4, 25))])
def test_easter_day_is_computed_for_any_year(year, easter):
    assert easter_sunday(year) == easter


def test_a_plain_year_has_the_eight_usual_days_with_boxing_day_moved_off_a_saturday():
    assert list(bank_holidays(2026).items()) == [
        (D(2026, 1, 1), "New Year's Day"),
        (D(2026, 4, 3), "Good Friday"),
        (D(2026, 4, 6), "Easter Monday"),
        (D(2026, 5, 4), "Early May bank holiday"),
        (D(2026, 5, 25), "Spring bank holiday"),
        (D(2026, 8, 31), "Summer bank holiday"),
        (D(2026, 12, 25), "Christmas Day"),
        (D(2026, 12, 28), "Boxing Day (substitute day)"),
    ]


def test_christmas_on_a_saturday_moves_christmas_to_monday_and_boxing_day_to_tuesday():
    assert [(day, name) for day, name in bank_holidays(2021).items() if day.month == 12] == [
        (D(2021, 12, 27), "Christmas Day (substitute day)"), (D(2021, 12, 28), "Boxing Day (substitute day)")]


def test_christmas_on_a_sunday_gives_the_acts_27_december():
    assert [day for day in bank_holidays(2022) if day.month == 12] == [D(2022, 12, 26), D(2022, 12, 27)]


def test_new_years_day_at_a_weekend_is_kept_on_the_monday():
    assert next(iter(bank_holidays(2022).items())) == (D(2022, 1, 3), "New Year's Day (substitute day)")
    assert next(iter(bank_holidays(2023))) == D(2023, 1, 2)


def test_one_off_changes_move_or_add_days():
    assert D(2020, 5, 4) not in bank_holidays(2020) and D(2020, 5, 8) in bank_holidays(2020)
    assert [day for day in bank_holidays(2022) if day.month in (5, 6, 9)] == [
        D(2022, 5, 2), D(2022, 6, 2), D(2022, 6, 3), D(2022, 9, 19)]
    assert bank_holidays(2023)[D(2023, 5, 8)] == "Bank holiday for the coronation of King Charles III"
    assert all(day in bank_holidays(day.year) for day, _name, _replaced in ONE_OFF_CHANGES)


def test_every_year_keeps_eight_days_on_weekdays_besides_its_one_off_additions():
    for year in range(2015, 2041):
        added = sum(1 for day, _name, replaced in ONE_OFF_CHANGES if day.year == year and replaced is None)
        days = bank_holidays(year)
        assert len(days) == 8 + added
        assert all(day.weekday() < 5 and day.year == year for day in days)


def test_working_days_skip_bank_holidays():
    assert not is_working_day(D(2026, 12, 28)) and is_working_day(D(2026, 12, 29))
    assert add_working_days(D(2026, 12, 24), 1) == D(2026, 12, 29)  # Fri 25 and Mon 28 are holidays
    assert add_working_days(D(2026, 4, 2), 1) == D(2026, 4, 7)  # Easter
    assert add_working_days(D(2026, 11, 20), 1) == D(2026, 11, 23)  # an ordinary weekend


def test_a_working_day_window_counts_back_over_weekends_and_bank_holidays():
    assert working_days_before(D(2026, 11, 6), 5) == D(2026, 10, 30)  # Mon 2 to Fri 6 November
    assert add_working_days(working_days_before(D(2026, 11, 6), 5), 5) == D(2026, 11, 6)
    assert working_days_before(D(2026, 12, 29), 1) == D(2026, 12, 24)  # Fri 25 and Mon 28 are holidays
    assert working_days_before(D(2026, 11, 8), 1) == D(2026, 11, 5)  # a Sunday: the window holds Friday
