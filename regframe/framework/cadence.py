"""Cadences of time-bound duties, in a form a machine can check.

A cadence is an anchor ("placement-start", "previous-occurrence", ...) and a
list of steps, each a duration such as ``6 weeks`` or ``20 working-days``:

* ``within``: a one-off deadline counted from the anchor (first visit within 1 week);
* ``every``: a repeating maximum interval between occurrences, optionally only
  ``until`` some time after the anchor (6-weekly in the first year);
* ``follow-up``: a deadline after each occurrence (a report within 28 days of a review);
* ``each``: at least one occurrence in every calendar period (``each 1 month``: one in each
  calendar month; ``each 1 year``: one in each calendar year). This is not ``every 1 month``,
  a rolling clock: after a visit on 5 January, ``every 1 month`` wants the next by 5 February,
  ``each 1 month`` by 28 February (any day of February will do). Visits on 2 January and
  27 February keep to CHR reg 44's "at least once each month"; a rolling month calls the
  second late;
* ``retain``: a minimum period from the anchor during which a record must be kept (CHR reg 36
  case records); it sets no occurrence deadline.

An ``every`` step may say ``times``: it covers only that many intervals, counted in
occurrences, before the next ``every`` step takes over. CPPCR reg 33 is ``within 20
working-days`` (the first review), ``every 3 months times 1`` (the second review, counted
from the first), ``every 6 months`` (each later review).

Examples from the catalogue: CHR reg 44 is ``each 1 month``; CPPCR reg 28 is
``within 1 week``, ``every 6 weeks until 1 year``, ``every 3 months``; the LADO
referral is ``within 1 working-day`` of the allegation.

Working days skip Saturdays, Sundays and the bank holidays of England and
Wales (see :mod:`regframe.framework.holidays` for where each comes from).
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import functools
import re

import attrs

from regframe.framework.holidays import is_working_day


class Unit(enum.Enum):
    HOUR = "hour"
    DAY = "day"
    WORKING_DAY = "working-day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"

    @property
    def words(self) -> str:
        """The unit as a sentence says it ("working day"; the catalogue's token is "working-day")."""
        return self.value.replace("-", " ")


_DURATION = re.compile(r"^\s*(\d+)\s+(hours?|days?|working-days?|weeks?|months?|years?)\s*$")


class CadenceError(ValueError):
    """A duration or cadence that cannot be read."""


@attrs.frozen(order=True)
class Duration:
    amount: int
    unit: Unit

    @classmethod
    def parse(cls, text: str) -> Duration:
        match = _DURATION.match(text)
        if not match:
            raise CadenceError(f"cannot read duration {text!r}; write e.g. '6 weeks' or '20 working-days'")
        amount, unit = match.groups()
        return cls(int(amount), Unit(unit.rstrip("s") if unit.endswith("s") else unit))

    def __str__(self) -> str:
        """As the catalogue writes it (``20 working-days``), which :meth:`parse` reads back."""
        unit = self.unit.value
        return f"{self.amount} {unit}{'' if self.amount == 1 else 's'}"

    @property
    def words(self) -> str:
        """As a sentence says it: ``20 working days``, ``1 working day``, ``6 weeks``."""
        return f"{self.amount} {self.unit.words}{'' if self.amount == 1 else 's'}"

    def after(self, start: dt.date) -> dt.date:
        """The last day that is still within this duration of ``start`` (a deadline)."""
        match self.unit:
            case Unit.HOUR:
                return start + dt.timedelta(days=-(-self.amount // 24))
            case Unit.DAY:
                return start + dt.timedelta(days=self.amount)
            case Unit.WEEK:
                return start + dt.timedelta(weeks=self.amount)
            case Unit.WORKING_DAY:
                return add_working_days(start, self.amount)
            case Unit.MONTH:
                return add_months(start, self.amount)
            case Unit.YEAR:
                return add_months(start, 12 * self.amount)
        raise AssertionError(self.unit)

    def approx_days(self) -> float:
        """A rough length in days, for ordering windows; never used for deadlines."""
        per = {Unit.HOUR: 1 / 24, Unit.DAY: 1, Unit.WORKING_DAY: 7 / 5, Unit.WEEK: 7, Unit.MONTH: 30.44, Unit.YEAR: 365.25}
        return self.amount * per[self.unit]


class StepKind(enum.Enum):
    WITHIN = "within"
    EVERY = "every"
    FOLLOW_UP = "follow-up"
    EACH = "each"
    RETAIN = "retain"


#: The step kinds that set when the next occurrence is due.
_REPEATING = (StepKind.EVERY, StepKind.EACH)


@attrs.frozen
class Step:
    kind: StepKind
    duration: Duration
    until: Duration | None = None
    label: str = ""
    times: int | None = None

    def __attrs_post_init__(self) -> None:
        if self.kind is StepKind.EACH and self.duration.unit not in (Unit.MONTH, Unit.YEAR):
            raise CadenceError(f"'each' counts calendar months or years, not {self.duration.unit.value}s")
        if self.times is not None and (self.kind is not StepKind.EVERY or self.times < 1):
            raise CadenceError("'times' is a positive whole number, and only on an 'every' step")

    def describe(self) -> str:
        """In words: ``every 6 weeks until 1 year``, with the label in brackets if there is one."""
        if self.kind is StepKind.EACH:
            text = f"each calendar {self.duration.unit.words}" if self.duration.amount == 1 else \
                f"each {self.duration.amount} calendar {self.duration.unit.words}s"
        else:
            text = f"{self.kind.value} {self.duration.words}"
        if self.until is not None:
            text += f" until {self.until.words}"
        if self.times is not None:
            text += f" for {self.times} interval{'' if self.times == 1 else 's'}"
        return f"{text} ({self.label})" if self.label else text

    def due_after(self, last: dt.date) -> dt.date:
        """The last day the occurrence after one on ``last`` may fall on, under this step."""
        if self.kind is StepKind.EACH:
            return end_of_calendar_period(last, self.duration, periods_ahead=1)
        return self.duration.after(last)


@attrs.frozen
class Cadence:
    """When a duty falls due: an anchor and steps (see the module docstring)."""

    anchor: str
    steps: tuple[Step, ...] = attrs.field(converter=tuple)
    evidence_kind: str | None = None
    #: for a per-child cadence, which children it runs for: ``None`` for every child placed, or
    #: ``"looked-after"`` for looked-after children only (CPPCR 2010's visits and reviews)
    children: str | None = None

    @steps.validator
    def _check(self, _attribute: object, steps: tuple[Step, ...]) -> None:
        if not steps:
            raise CadenceError("a cadence needs at least one step")

    def describe(self) -> str:
        """Every step in words, in order: ``within 1 week; every 6 weeks until 1 year; every 3 months``."""
        return "; ".join(step.describe() for step in self.steps)

    def first_deadline(self, anchor_date: dt.date) -> dt.date | None:
        """When the first occurrence is due, counted from the anchor (``each``: by the end of the anchor's period)."""
        for step in self.steps:
            if step.kind in (StepKind.WITHIN, StepKind.EVERY):
                return step.duration.after(anchor_date)
            if step.kind is StepKind.EACH:
                return end_of_calendar_period(anchor_date, step.duration, periods_ahead=0)
        return None

    def step_at(self, anchor_date: dt.date | None, day: dt.date, occurrences: int | None = None) -> Step | None:
        """The repeating step that applies after an occurrence on ``day``, the ``occurrences``-th so far.

        Steps are tried in order. One with ``times`` covers the intervals after that many
        occurrences (counted on from the steps with ``times`` before it); when the count is
        not known (``None``) such a step is passed over. One with ``until`` applies while
        ``day`` is within that long of the anchor (always, when there is no anchor).
        """
        counted = 0
        for step in self.steps:
            if step.kind not in _REPEATING:
                continue
            if step.times is not None:
                if occurrences is not None and occurrences <= counted + step.times:
                    return step
                counted += step.times
                continue
            if step.until is None or anchor_date is None or day < step.until.after(anchor_date):
                return step
        return None

    def interval_at(self, anchor_date: dt.date | None, day: dt.date, occurrences: int | None = None) -> Duration | None:
        """The repeating interval that applies to an occurrence on ``day`` (see :meth:`step_at`)."""
        step = self.step_at(anchor_date, day, occurrences)
        return step.duration if step is not None else None

    def next_due(self, anchor_date: dt.date | None, last: dt.date | None, occurrences: int | None = None) -> dt.date | None:
        """The last day the next occurrence may fall on.

        With no occurrence yet, the first deadline from the anchor; otherwise the step in
        force after the last occurrence (the ``occurrences``-th), counted from it: ``every``
        adds its interval, ``each`` runs to the end of the next calendar period. ``None``
        when the cadence sets no further deadline.
        """
        if last is None:
            return self.first_deadline(anchor_date) if anchor_date is not None else None
        step = self.step_at(anchor_date, last, occurrences)
        return step.due_after(last) if step is not None else None

    def is_overdue(self, anchor_date: dt.date | None, last: dt.date | None, as_at: dt.date,
                   occurrences: int | None = None) -> bool:
        """True when ``as_at`` is past the day the next occurrence was due.

        A 6-weekly visit made on day 0 is still in time on day 42 and overdue on day 43; a
        monthly visit under ``each 1 month`` made on 3 January is in time until 28 February
        (2026) and overdue on 1 March.
        """
        due = self.next_due(anchor_date, last, occurrences)
        return due is not None and as_at > due

    def follow_up(self) -> Step | None:
        return next((s for s in self.steps if s.kind is StepKind.FOLLOW_UP), None)

    def window(self) -> Duration | None:
        """The longest repeating interval: evidence older than this cannot show the duty is being met."""
        intervals = [s.duration for s in self.steps if s.kind in _REPEATING]
        return max(intervals, key=Duration.approx_days) if intervals else None


def add_months(start: dt.date, months: int) -> dt.date:
    """Calendar months, clamped to the end of a shorter month (31 Jan + 1 month = 28/29 Feb)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    day = start.day  # every month has 28 days: only a later day needs the month's length (monthrange is slow)
    return dt.date(year, month, day if day <= 28 else min(day, calendar.monthrange(year, month)[1]))


@functools.lru_cache(maxsize=256)
def months_before(day: dt.date, months: int) -> dt.date:
    """:func:`add_months` back from ``day``, kept: the windows of every setting's figures and history run back
    from the one as-at date."""
    return add_months(day, -months)


def end_of_calendar_period(day: dt.date, period: Duration, periods_ahead: int) -> dt.date:
    """The last day of the calendar month or year ``periods_ahead`` periods of ``period`` after the one holding ``day``.

    Periods of more than one month or year are counted from the period holding ``day``:
    ``each 2 months`` after a visit in January is due by the end of March.
    """
    if period.unit is Unit.YEAR:
        return dt.date(day.year + period.amount * periods_ahead, 12, 31)
    if period.unit is Unit.MONTH:
        index = day.month - 1 + period.amount * periods_ahead
        year, month = day.year + index // 12, index % 12 + 1
        return dt.date(year, month, calendar.monthrange(year, month)[1])
    raise CadenceError(f"a calendar period is a month or a year, not a {period.unit.value}")


def add_working_days(start: dt.date, days: int) -> dt.date:
    """Count forward ``days`` working days from ``start``: weekends and England and Wales bank holidays skipped."""
    current = start
    remaining = days
    while remaining > 0:
        current += dt.timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_before(end: dt.date, days: int) -> dt.date:
    """The working day just before the last ``days`` working days up to and including ``end``.

    What is observed after it falls in a window of ``days`` working days ending on ``end``,
    with the weekend and bank holidays among them: 5 working days to Friday 6 November start
    after Friday 30 October, and 1 working day to Tuesday 29 December 2026 starts after
    Thursday 24 December (Christmas and the Boxing Day substitute fall between). On a working
    day ``end`` it is the inverse of :func:`add_working_days`.
    """
    current = end
    found = 0
    while True:
        if is_working_day(current):
            found += 1
            if found > days:
                return current
        current -= dt.timedelta(days=1)
