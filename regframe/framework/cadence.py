"""Cadences of time-bound duties, in a form a machine can check.

A cadence is an anchor ("placement-start", "previous-occurrence", ...) and a
list of steps, each a duration such as ``6 weeks`` or ``20 working-days``:

* ``within``: a one-off deadline counted from the anchor (first visit within 1 week);
* ``every``: a repeating maximum interval between occurrences, optionally only
  ``until`` some time after the anchor (6-weekly in the first year);
* ``follow-up``: a deadline after each occurrence (a report within 28 days of a review).

Examples from the catalogue: CHR reg 44 is ``every 1 month``; CPPCR reg 28 is
``within 1 week``, ``every 6 weeks until 1 year``, ``every 3 months``; the LADO
referral is ``within 1 working-day`` of the allegation.

Working days skip Saturdays, Sundays and the bank holidays of England and
Wales (see :mod:`regframe.framework.holidays` for where each comes from).
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
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
        unit = self.unit.value
        return f"{self.amount} {unit}{'' if self.amount == 1 else 's'}"

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


@attrs.frozen
class Step:
    kind: StepKind
    duration: Duration
    until: Duration | None = None
    label: str = ""

    def describe(self) -> str:
        """In words: ``every 6 weeks until 1 year``, with the label in brackets if there is one."""
        text = f"{self.kind.value} {self.duration}"
        if self.until is not None:
            text += f" until {self.until}"
        return f"{text} ({self.label})" if self.label else text


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
        """When the first occurrence is due, counted from the anchor."""
        for step in self.steps:
            if step.kind in (StepKind.WITHIN, StepKind.EVERY):
                return step.duration.after(anchor_date)
        return None

    def interval_at(self, anchor_date: dt.date | None, day: dt.date) -> Duration | None:
        """The repeating interval that applies to an occurrence on ``day``."""
        for step in self.steps:
            if step.kind is not StepKind.EVERY:
                continue
            if step.until is None or anchor_date is None or day < step.until.after(anchor_date):
                return step.duration
        return None

    def next_due(self, anchor_date: dt.date | None, last: dt.date | None) -> dt.date | None:
        """The last day the next occurrence may fall on.

        With no occurrence yet, the first deadline from the anchor; otherwise the
        interval in force at the last occurrence, counted from it. ``None`` when
        the cadence sets no further deadline.
        """
        if last is None:
            return self.first_deadline(anchor_date) if anchor_date is not None else None
        interval = self.interval_at(anchor_date, last)
        return interval.after(last) if interval is not None else None

    def is_overdue(self, anchor_date: dt.date | None, last: dt.date | None, as_at: dt.date) -> bool:
        """True when ``as_at`` is past the day the next occurrence was due.

        A 6-weekly visit made on day 0 is still in time on day 42 and overdue on day 43.
        """
        due = self.next_due(anchor_date, last)
        return due is not None and as_at > due

    def follow_up(self) -> Step | None:
        return next((s for s in self.steps if s.kind is StepKind.FOLLOW_UP), None)

    def window(self) -> Duration | None:
        """The longest repeating interval: evidence older than this cannot show the duty is being met."""
        intervals = [s.duration for s in self.steps if s.kind is StepKind.EVERY]
        return max(intervals, key=Duration.approx_days) if intervals else None


def add_months(start: dt.date, months: int) -> dt.date:
    """Calendar months, clamped to the end of a shorter month (31 Jan + 1 month = 28/29 Feb)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return dt.date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


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
