"""Risk indicators: early-warning figures per setting, judged against thresholds kept in the framework.

Each indicator requirement (kind ``indicator``, in ``standards/indicators.xml``)
names a *metric* in its thresholds; this module knows how to compute each
metric from a setting's monthly figures, placements and evidence. The
thresholds themselves are data, so a policy team can move them with a
revision and see the effect with ``regframe impact``.

Every computation states its basis in words, for the report.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping, Sequence

import attrs

from regframe.assess.results import IndicatorResult
from regframe.core.text import count_of
from regframe.evidence.history import SettingHistory
from regframe.evidence.model import EvidenceItem, Metric, MetricValue, OutcomeKind, Placement, Setting
from regframe.framework.cadence import add_months, months_before
from regframe.framework.model import Level, Requirement, Threshold


@attrs.frozen
class SettingFacts:
    """What the indicator computations read about one setting at ``as_at``."""

    setting: Setting
    as_at: dt.date
    metrics: Sequence[MetricValue]
    placements: Sequence[Placement]  # active on as_at
    items: Sequence[EvidenceItem]
    #: per evidence kind of a per-child cadence, the children whose next record of it is overdue
    overdue_children: Mapping[str, frozenset[str]] = attrs.field(factory=dict)
    #: the setting's Ofsted history, where Ofsted's files were read (see :mod:`regframe.assess.history_signals`)
    history: SettingHistory | None = None
    #: the provider-group rule's count: per owner, its settings judged inadequate or suspended in the window
    owner_failing: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    #: ``items`` by evidence kind, where the caller has them so (else :meth:`of_kind` filters ``items``)
    by_kind: Mapping[str, Sequence[EvidenceItem]] | None = None
    #: ``metrics`` by metric, likewise (else :meth:`figures` filters ``metrics``)
    by_metric: Mapping[Metric, Sequence[MetricValue]] | None = None

    def figures(self, which: Metric) -> Sequence[MetricValue]:
        """The setting's monthly figures of one metric, in order."""
        if self.by_metric is not None:
            return self.by_metric.get(which, ())
        return [m for m in self.metrics if m.metric is which]

    def of_kind(self, kind: str) -> Sequence[EvidenceItem]:
        """The setting's items of one evidence kind, in order."""
        if self.by_kind is not None:
            return self.by_kind.get(kind, ())
        return [item for item in self.items if item.kind == kind]


Value = tuple[float | None, str]
_COMPUTERS: dict[str, Callable[[SettingFacts], Value]] = {}


def metric(name: str) -> Callable[[Callable[[SettingFacts], Value]], Callable[[SettingFacts], Value]]:
    """Register the computation of a metric named in indicator thresholds."""

    def register(function: Callable[[SettingFacts], Value]) -> Callable[[SettingFacts], Value]:
        _COMPUTERS[name] = function
        return function

    return register



def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _months_back(facts: SettingFacts, first: int, last: int) -> tuple[dt.date, dt.date]:
    """The range of month starts from ``first`` to ``last`` months before the month of as_at (exclusive end)."""
    return _month_range(facts.as_at, first, last)


@functools.lru_cache(maxsize=256)
def _month_range(as_at: dt.date, first: int, last: int) -> tuple[dt.date, dt.date]:
    this_month = _month_start(as_at)
    return add_months(this_month, -last), add_months(this_month, -first)


def _values(facts: SettingFacts, which: Metric, first: int, last: int) -> list[MetricValue]:
    start, end = _months_back(facts, first, last)
    return [m for m in facts.figures(which) if start <= m.month < end]


def _sum(facts: SettingFacts, which: Metric, first: int, last: int) -> float | None:
    values = _values(facts, which, first, last)
    return sum(v.value for v in values) if values else None


def _mean(facts: SettingFacts, which: Metric, first: int, last: int) -> float | None:
    values = _values(facts, which, first, last)
    return sum(v.value for v in values) / len(values) if values else None


def _items_in_last_year(facts: SettingFacts, kind: str) -> int:
    since = months_before(facts.as_at, 12)
    return sum(1 for i in facts.of_kind(kind) if since < i.observed <= facts.as_at)


def _children(facts: SettingFacts) -> int:
    return len({p.child for p in facts.placements})


# Months are counted back from the month before as_at's month, so a half-finished month is never used:
# "last three months" is months 1-3 before the current one.


@metric("restraint-rate")
def restraint_rate(facts: SettingFacts) -> Value:
    incidents = _sum(facts, Metric.RESTRAINT_INCIDENTS, 0, 3)
    if incidents is None:
        return None, "no restraint figures for the last three months"
    resident = _sum(facts, Metric.CHILDREN_RESIDENT, 0, 3)
    months = len(_values(facts, Metric.RESTRAINT_INCIDENTS, 0, 3))
    child_months = resident if resident else _children(facts) * months
    if not child_months:
        return None, "no children resident to divide by"
    return incidents / child_months, f"{incidents:g} restraints over {child_months:g} child-months (last 3 months)"


@metric("restraint-trend")
def restraint_trend(facts: SettingFacts) -> Value:
    recent = _sum(facts, Metric.RESTRAINT_INCIDENTS, 0, 3)
    before = _sum(facts, Metric.RESTRAINT_INCIDENTS, 3, 6)
    if recent is None or before is None:
        return None, "needs six months of restraint figures"
    if recent < 5:
        return None, f"{recent:g} restraints in the last 3 months: too few to call a trend"
    if before == 0:
        return float(recent), f"{recent:g} restraints in the last 3 months against none in the 3 before"
    return recent / before, f"{recent:g} restraints in the last 3 months against {before:g} in the 3 before"


def _per_place(facts: SettingFacts, figure: float | None, missing: str, described: str) -> Value:
    """A staffing figure divided by the setting's registered places."""
    if figure is None:
        return None, missing
    if not facts.setting.places:
        return None, "number of places unknown"
    return figure / facts.setting.places, f"{figure:g} {described} for {facts.setting.places} places"


@metric("staff-vacancies-per-place")
def vacancies_per_place(facts: SettingFacts) -> Value:
    return _per_place(facts, _mean(facts, Metric.STAFF_VACANCIES, 0, 3),
                      "no vacancy figures for the last three months", "vacancies on average")


@metric("staff-turnover")
def turnover(facts: SettingFacts) -> Value:
    return _per_place(facts, _sum(facts, Metric.STAFF_LEAVERS, 0, 12),
                      "no leaver figures for the last twelve months", "leavers in 12 months")


@metric("agency-share")
def agency_share(facts: SettingFacts) -> Value:
    share = _mean(facts, Metric.AGENCY_SHARE, 0, 3)
    if share is None:
        return None, "no agency-staff figures for the last three months"
    if share > 1:  # given as a percentage
        share /= 100
    return share, f"{share:.0%} of shifts by agency staff on average over 3 months"


def _count_with_items(facts: SettingFacts, which: Metric, kind: str, noun: str) -> Value:
    figures = _sum(facts, which, 0, 12)
    on_record = _items_in_last_year(facts, kind)
    if figures is None and not on_record:
        return None, f"no {noun} figures or records for the last twelve months"
    value = max(figures or 0, on_record)
    return float(value), f"{value:g} {noun} in 12 months (monthly figures {figures or 0:g}, records {on_record})"


@metric("lado-referrals-12m")
def lado_referrals(facts: SettingFacts) -> Value:
    return _count_with_items(facts, Metric.LADO_REFERRALS, "ek.lado-referral", "LADO referrals")


@metric("notifications-12m")
def notifications(facts: SettingFacts) -> Value:
    return _count_with_items(facts, Metric.NOTIFICATIONS, "ek.reg40-notification", "notifications")


@metric("complaints-12m")
def complaints(facts: SettingFacts) -> Value:
    return _count_with_items(facts, Metric.COMPLAINTS, "ek.complaint", "complaints")


def _share(facts: SettingFacts, count: int, noun: str) -> Value:
    children = _children(facts)
    if not children:
        return None, "no children placed on record"
    return count / children, f"{count_of(count, children, 'child', 'children')} {noun}"


@metric("no-advocate-share")
def no_advocate_share(facts: SettingFacts) -> Value:
    since = months_before(facts.as_at, 12)
    latest: dict[str, EvidenceItem] = {}
    for item in facts.of_kind("ek.advocacy-visit"):
        if item.child and item.observed <= facts.as_at:
            if item.child not in latest or item.observed > latest[item.child].observed:
                latest[item.child] = item
    children = {p.child for p in facts.placements}
    without = 0
    for child in children:
        last = latest.get(child)
        if last is None or last.observed <= since:
            without += 1
        elif last.outcome is not None and last.outcome.kind is OutcomeKind.NOT_MET:
            without += 1
    return _share(facts, without, "without an advocate in the last 12 months")


@metric("far-from-home-share")
def far_from_home_share(facts: SettingFacts) -> Value:
    known = [p for p in facts.placements if p.distance_miles is not None]
    if not known:
        return None, "no distances on record"
    far = len({p.child for p in known if (p.distance_miles or 0) > 50})
    total = len({p.child for p in known})
    return far / total, f"{count_of(far, total, 'child', 'children')} placed over 50 miles from home"


@metric("fifty-two-week-share")
def fifty_two_week_share(facts: SettingFacts) -> Value:
    known = [p for p in facts.placements if p.weeks_per_year is not None]
    if not known:
        return None, "no weeks-per-year on record"
    full_year = len({p.child for p in known if (p.weeks_per_year or 0) >= 52})
    total = len({p.child for p in known})
    return full_year / total, f"{count_of(full_year, total, 'child', 'children')} placed 52 weeks a year"


#: the evidence kind of a social worker's statutory visit, whose overdue children this metric counts
STATUTORY_VISIT = "ek.statutory-visit"


@metric("missed-visits-share")
def missed_visits_share(facts: SettingFacts) -> Value:
    overdue = facts.overdue_children.get(STATUTORY_VISIT, frozenset())
    return _share(facts, len(overdue), "with a statutory visit overdue")


#: an indicator's thresholds on one metric, worked out once for every setting: (metric, red ones, amber ones)
MetricScale = tuple[str, tuple[Threshold, ...], tuple[Threshold, ...]]


def scales(thresholds: Sequence[Threshold]) -> tuple[MetricScale, ...]:
    """The thresholds by metric (in the order of their names), red and amber apart, in their order."""
    return tuple(
        (name, tuple(t for t in thresholds if t.metric == name and t.level is Level.RED),
         tuple(t for t in thresholds if t.metric == name and t.level is Level.AMBER))
        for name in sorted({t.metric for t in thresholds}))


def evaluate(indicator: Requirement, facts: SettingFacts,
             in_force: Sequence[Threshold] | None = None) -> list[IndicatorResult]:
    """One result per metric the indicator's thresholds name, at the worst level reached.

    ``in_force`` are the indicator's thresholds in force at ``facts.as_at``, where the caller has them
    already (the same for every setting of a run: :meth:`regframe.assess.facts.FrameworkFacts.thresholds`).
    """
    thresholds = [t for t in indicator.thresholds if t.in_force(facts.as_at)] if in_force is None else in_force
    return evaluate_scales(indicator, scales(thresholds), facts)


def evaluate_scales(indicator: Requirement, by_metric: Sequence[MetricScale], facts: SettingFacts,
                    shared: dict[tuple[str, str], dict[tuple, IndicatorResult]] | None = None) -> list[IndicatorResult]:
    """:func:`evaluate`, with the thresholds in force already sorted by metric (:func:`scales`, once a run).

    ``shared``: a dict the caller keeps for a run (one set of thresholds in force), in which a result that reads
    the same as one made before is that one (results are frozen): a national run's 56,851 results read some
    5,000 ways. A figure's level follows from the figure and the thresholds, so a result met before is found
    by its figure, before the thresholds are read again.
    """
    results = []
    for name, red, amber in by_metric:
        computer = _COMPUTERS.get(name)
        if computer is None:
            results.append(IndicatorResult(indicator.id, name, None, None, None, f"regframe cannot compute metric {name!r}",
                                           indicator.axis))
            continue
        value, basis = computer(facts)
        known: dict[tuple, IndicatorResult] | None = None
        key: tuple = ()
        if shared is not None:
            known = shared.get((indicator.id, name))
            if known is None:
                known = shared[(indicator.id, name)] = {}
            # the figure by its type and, where it is zero, by its words: 1 and 1.0, 0.0 and -0.0 stay apart
            key = (value.__class__, value or repr(value), basis)
            found = known.get(key)
            if found is not None:
                results.append(found)
                continue
        level, threshold = _level(value, red, amber)
        result = IndicatorResult(indicator.id, name, value, level, threshold, basis, indicator.axis)
        if known is not None:
            known[key] = result
        results.append(result)
    return results


def _level(value: float | None, red: Sequence[Threshold], amber: Sequence[Threshold]) -> tuple[Level | None, float | None]:
    """The worst level a figure reaches, and the threshold it breached: the first red, else the first amber."""
    if value is not None:
        for hit in red:
            if hit.breached_by(value):
                return Level.RED, hit.value
        for hit in amber:
            if hit.breached_by(value):
                return Level.AMBER, hit.value
    return None, None
