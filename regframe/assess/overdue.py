"""Missed deadlines: a requirement's cadence (monthly visits, six-monthly reviews, referrals within a day) against the evidence.

A setting whose records of a kind never reach regframe is not called overdue
for a child-anchored cadence: no data is not a missed deadline, it is a gap in
what is known (the status rules see it as no evidence).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import defaultdict
from collections.abc import Sequence

import attrs

from regframe.assess.status import DEFAULT_WINDOW, window_start
from regframe.evidence.model import EvidenceItem, Placement, Setting
from regframe.framework.cadence import Cadence, StepKind
from regframe.framework.model import Requirement

#: cadence anchors that run per child, from the start of a placement or of being looked after
CHILD_ANCHORS = frozenset({"placement-start", "looked-after-start"})
class MissKind(enum.Enum):
    CHILD = "child"  # a child's visit or review not made by its deadline
    LATE = "late"  # a record made after its deadline from the event (a LADO referral a week after the allegation)
    INTERVAL = "interval"  # the next of a repeating duty (a monthly reg 44 report) not made by its deadline


def _day(day: dt.date | None) -> str:
    """A date as the reasons write it (every kind of miss sets the dates its message names)."""
    return day.isoformat() if day is not None else "(no date)"


@attrs.frozen
class Miss:
    """One missed deadline, with the dates it was judged on (the reasons a director reads are built from these)."""

    kind: MissKind
    label: str  # the evidence kind in words, e.g. "reg44 report"
    due: dt.date
    last: dt.date | None = None  # the last record before the miss (child, interval) or the late record's date
    child: str | None = None
    item: str | None = None  # the late record's id
    occurred: dt.date | None = None  # when the event the late record answers happened
    allowed: str = ""  # the duration allowed, in words ("1 working-day")
    since: dt.date | None = None  # a child's placement start, when there was no record at all

    @property
    def message(self) -> str:
        """The miss in the words of a finding's reasons (the Gaps sheet)."""
        match self.kind:
            case MissKind.CHILD:
                was = (f"last {self.label} {_day(self.last)}" if self.last
                       else f"no {self.label} since the placement began {_day(self.since)}")
                return f"child {self.child}: {was}; next was due by {self.due.isoformat()}"
            case MissKind.LATE:
                return (f"{self.label} {self.item} made {_day(self.last)}, more than {self.allowed} "
                        f"after {_day(self.occurred)} (due by {self.due.isoformat()})")
        return f"last {self.label} {_day(self.last)}; the next was due by {self.due.isoformat()}"


#: cadence anchors that run from an event (an allegation, an incident) to the record of acting on it
EVENT_ANCHORS = frozenset({"event", "allegation"})


def cadence_misses(
    requirement: Requirement,
    setting: Setting,
    placements: Sequence[Placement],
    items_by_kind: dict[str, list[EvidenceItem]],
    as_at: dt.date,
) -> tuple[list[str], set[str]]:
    """Messages for every missed deadline of a requirement's cadence, and the children concerned."""
    found = misses(requirement, setting, placements, items_by_kind, as_at)
    return [m.message for m in found], {m.child for m in found if m.child is not None}


def misses(
    requirement: Requirement,
    setting: Setting,
    placements: Sequence[Placement],
    items_by_kind: dict[str, list[EvidenceItem]],
    as_at: dt.date,
) -> list[Miss]:
    """Every missed deadline of a requirement's cadence at a setting, as at ``as_at``."""
    cadence: Cadence | None = requirement.cadence
    if cadence is None or not cadence.evidence_kind:
        return []
    items = [i for i in items_by_kind.get(cadence.evidence_kind, ()) if i.observed <= as_at]
    label = cadence.evidence_kind.removeprefix("ek.").replace("-", " ")
    found: list[Miss] = []
    if cadence.anchor in CHILD_ANCHORS:
        if not items:
            return []  # nobody reports this kind of record here: no data is not a missed deadline
        seen_on: dict[str, list[dt.date]] = defaultdict(list)
        for item in items:
            if item.child:
                seen_on[item.child].append(item.observed)
        for placement in sorted(placements, key=lambda p: p.child):
            if cadence.children == "looked-after" and placement.looked_after is False:
                continue  # e.g. CPPCR 2010's visits and reviews run for looked-after children only
            since_start = [day for day in seen_on.get(placement.child, ()) if day >= placement.start]
            last = max(seen_on[placement.child]) if seen_on.get(placement.child) else None
            # the count of occurrences since the anchor picks a counted step (reg 33's second review)
            due = cadence.next_due(placement.start, last, occurrences=len(since_start) or None)
            if due is not None and as_at > due:
                found.append(Miss(MissKind.CHILD, label, due, last=last, child=placement.child, since=placement.start))
        return found
    step = next((s for s in cadence.steps if s.kind is StepKind.WITHIN), None) if cadence.anchor in EVENT_ANCHORS else cadence.follow_up()
    if step is not None:
        since = window_start(as_at, DEFAULT_WINDOW)
        for item in sorted(items, key=lambda i: (i.observed, i.id)):
            if item.occurred is None or item.observed <= since:
                continue
            deadline = step.duration.after(item.occurred)
            if item.observed > deadline:
                found.append(Miss(MissKind.LATE, label, deadline, last=item.observed, item=item.id,
                                  occurred=item.occurred, allowed=str(step.duration)))
    if cadence.anchor not in CHILD_ANCHORS | EVENT_ANCHORS and items:
        last = max(i.observed for i in items)
        due = cadence.next_due(None, last, occurrences=len({i.observed for i in items}))
        if due is not None and as_at > due:
            interval = cadence.interval_at(None, last)
            found.append(Miss(MissKind.INTERVAL, label, due, last=last,
                              allowed=str(interval) if interval is not None else cadence.describe()))
    return found
