"""Bank holidays in England and Wales, so that a working-day deadline skips them.

The settings regframe covers are all in England, and the working-day limits in
its catalogue (an allegation to the LADO within one working day, a placement
notice within 5, a first review within 20) are counted in working days, which
are neither weekends nor bank holidays. Counting weekends only would make an
allegation referred on the first working day after Christmas look late.

Where each day comes from, and how sure regframe is of it:

* **Confirmed**, from the Banking and Financial Dealings Act 1971, Schedule 1,
  paragraph 1 (read on legislation.data.gov.uk, ``ukpga/1971/80/schedule/1/paragraph/1``):
  Easter Monday, the last Monday in May, the last Monday in August, 26 December
  unless it is a Sunday, and 27 December in a year when 25 or 26 December is a
  Sunday.
* **Secondary**, the common-law holidays (Good Friday, Christmas Day) and the
  days proclaimed every year under section 1(3) of that Act: New Year's Day,
  the first Monday in May, and a weekday in place of New Year's Day, Christmas
  Day or Boxing Day when it falls at a weekend. These are the days GOV.UK
  publishes (``www.gov.uk/bank-holidays``); that page was not read from here.
* **Secondary**, the one-off changes made by proclamation since 2015, listed in
  :data:`ONE_OFF_CHANGES` with what each replaced, as GOV.UK publishes them.

A year's days are computed from these rules, so any year can be asked for;
a one-off change proclaimed after this release is not known to it.
"""

from __future__ import annotations

import datetime as dt
import functools

#: Days moved or added by proclamation since 2015: (the day, its name, the day it replaced or None).
ONE_OFF_CHANGES: tuple[tuple[dt.date, str, dt.date | None], ...] = (
    (dt.date(2020, 5, 8), "Early May bank holiday (VE Day)", dt.date(2020, 5, 4)),
    (dt.date(2022, 6, 2), "Spring bank holiday", dt.date(2022, 5, 30)),
    (dt.date(2022, 6, 3), "Platinum Jubilee bank holiday", None),
    (dt.date(2022, 9, 19), "Bank holiday for the State Funeral of Queen Elizabeth II", None),
    (dt.date(2023, 5, 8), "Bank holiday for the coronation of King Charles III", None),
)


def easter_sunday(year: int) -> dt.date:
    """Easter Day in the Gregorian calendar (the anonymous Gregorian algorithm, as in Meeus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    j = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * j) // 451
    month, day = divmod(h + j - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def _first_monday(year: int, month: int) -> dt.date:
    first = dt.date(year, month, 1)
    return first + dt.timedelta(days=(7 - first.weekday()) % 7)


def _last_monday(year: int, month: int) -> dt.date:
    last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=last.weekday())


@functools.lru_cache(maxsize=64)
def bank_holidays(year: int) -> dict[dt.date, str]:
    """England and Wales bank holidays of ``year`` as they are kept: date order, each with its name.

    A holiday that falls at a weekend is listed by the weekday kept in its place.
    """
    easter = easter_sunday(year)
    days = {
        dt.date(year, 1, 1): "New Year's Day",
        easter - dt.timedelta(days=2): "Good Friday",
        easter + dt.timedelta(days=1): "Easter Monday",
        _first_monday(year, 5): "Early May bank holiday",
        _last_monday(year, 5): "Spring bank holiday",
        _last_monday(year, 8): "Summer bank holiday",
        dt.date(year, 12, 25): "Christmas Day",
        dt.date(year, 12, 26): "Boxing Day",
    }
    for day, name, replaced in ONE_OFF_CHANGES:
        if day.year == year:
            days.pop(replaced, None)  # type: ignore[arg-type]
            days[day] = name
    # A holiday at a weekend gives the next weekday that is not already a holiday, taken in
    # date order (Christmas before Boxing Day), which also yields the Act's 27 December.
    for day in (dt.date(year, 1, 1), dt.date(year, 12, 25), dt.date(year, 12, 26)):
        if day.weekday() >= 5:
            substitute = day + dt.timedelta(days=1)
            while substitute.weekday() >= 5 or substitute in days:
                substitute += dt.timedelta(days=1)
            days[substitute] = f"{days.pop(day)} (substitute day)"
    return dict(sorted(days.items()))


def is_working_day(day: dt.date) -> bool:
    """Monday to Friday, and not a bank holiday in England and Wales."""
    return day.weekday() < 5 and day not in bank_holidays(day.year)
