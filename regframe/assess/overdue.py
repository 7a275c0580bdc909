"""Missed deadlines: a requirement's cadence (monthly visits, six-monthly reviews, referrals within a day) against the evidence.

A setting whose records of a kind never reach regframe is not called overdue
for a child-anchored cadence: no data is not a missed deadline, it is a gap in
what is known (the status rules see it as no evidence).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence

from regframe.assess.status import DEFAULT_WINDOW, window_start
from regframe.evidence.model import EvidenceItem, Placement, Setting
from regframe.framework.cadence import Cadence, StepKind
from regframe.framework.model import Requirement

#: cadence anchors that run per child, from the start of a placement or of being looked after
CHILD_ANCHORS = frozenset({"placement-start", "looked-after-start"})
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
    cadence: Cadence | None = requirement.cadence
    if cadence is None or not cadence.evidence_kind:
        return [], set()
    items = [i for i in items_by_kind.get(cadence.evidence_kind, ()) if i.observed <= as_at]
    label = cadence.evidence_kind.removeprefix("ek.").replace("-", " ")
    messages: list[str] = []
    children: set[str] = set()
    if cadence.anchor in CHILD_ANCHORS:
        if not items:
            return [], set()  # nobody reports this kind of record here: no data is not a missed deadline
        seen_on: dict[str, list[dt.date]] = defaultdict(list)
        for item in items:
            if item.child:
                seen_on[item.child].append(item.observed)
        for placement in sorted(placements, key=lambda p: p.child):
            if cadence.children == "looked-after" and placement.looked_after is False:
                continue  # e.g. CPPCR 2010's visits and reviews run for looked-after children only
            since = [day for day in seen_on.get(placement.child, ()) if day >= placement.start]
            last = max(seen_on[placement.child]) if seen_on.get(placement.child) else None
            # the count of occurrences since the anchor picks a counted step (reg 33's second review)
            due = cadence.next_due(placement.start, last, occurrences=len(since) or None)
            if due is not None and as_at > due:
                was = f"last {label} {last.isoformat()}" if last else f"no {label} since the placement began {placement.start.isoformat()}"
                messages.append(f"child {placement.child}: {was}; next was due by {due.isoformat()}")
                children.add(placement.child)
        return messages, children
    step = next((s for s in cadence.steps if s.kind is StepKind.WITHIN), None) if cadence.anchor in EVENT_ANCHORS else cadence.follow_up()
    if step is not None:
        since = window_start(as_at, DEFAULT_WINDOW)
        for item in sorted(items, key=lambda i: (i.observed, i.id)):
            if item.occurred is None or item.observed <= since:
                continue
            deadline = step.duration.after(item.occurred)
            if item.observed > deadline:
                messages.append(f"{label} {item.id} made {item.observed.isoformat()}, more than {step.duration} "
                                f"after {item.occurred.isoformat()} (due by {deadline.isoformat()})")
    if cadence.anchor not in CHILD_ANCHORS | EVENT_ANCHORS and items:
        last = max(i.observed for i in items)
        due = cadence.next_due(None, last, occurrences=len({i.observed for i in items}))
        if due is not None and as_at > due:
            messages.append(f"last {label} {last.isoformat()}; the next was due by {due.isoformat()}")
    return messages, children
