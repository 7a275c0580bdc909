"""Missed deadlines: a requirement's cadence (monthly visits, six-monthly reviews, referrals within a day) against the evidence.

A setting whose records of a kind never reach regframe is not called overdue
for a child-anchored cadence: no data is not a missed deadline, it is a gap in
what is known (the status rules see it as no evidence).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from typing import overload

import attrs

from regframe.assess.status import DEFAULT_WINDOW, window_start
from regframe.evidence.model import EvidenceItem, Placement, Setting
from regframe.framework.cadence import Cadence, Duration, Step, StepKind, Unit
from regframe.framework.model import Requirement, kind_id_words

#: cadence anchors that run per child, from the start of a placement or of being looked after
CHILD_ANCHORS = frozenset({"placement-start", "looked-after-start"})


class MissKind(enum.Enum):
    """What kind of deadline was missed."""

    __hash__ = object.__hash__  # as Status's (regframe.assess.results): exact for singletons, and in C

    CHILD = "child"  # a child's visit or review not made by its deadline
    LATE = "late"  # a record made after its deadline from the event (a LADO referral a week after the allegation)
    INTERVAL = "interval"  # the next of a repeating duty (a monthly reg 44 report) not made by its deadline


def _day(day: dt.date | None) -> str:
    """A date as the reasons write it (every kind of miss sets the dates its message names)."""
    return day.isoformat() if day is not None else "(no date)"


# Not frozen, for the reason EvidenceItem is not (regframe.evidence.model): a national run makes a hundred
# thousand misses (every late restraint record), and a frozen class sets each field through object.__setattr__.
# Treat a miss as a read-only value.
@attrs.define(unsafe_hash=True, on_setattr=attrs.setters.NO_OP)
class Miss:
    """One missed deadline, with the dates it was judged on (the reasons a director reads are built from these)."""

    kind: MissKind
    label: str  # the evidence kind in words, e.g. "reg44 report"
    due: dt.date
    last: dt.date | None = None  # the last record before the miss (child, interval) or the late record's date
    child: str | None = None
    item: str | None = None  # the late record's id
    occurred: dt.date | None = None  # when the event the late record answers happened
    allowed: str = ""  # the duration allowed, in words ("1 working day")
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


class Misses(Sequence[Miss]):
    """A cadence's missed deadlines at a setting where some of them are late records: the late records kept as
    records, each made a :class:`Miss` only when read, then the rest (an interval missed).

    A national run finds some 130,000 late records (every restraint record written up after its deadline), and a
    :class:`Miss` each would be that many objects more to make, to keep for as long as the findings are kept,
    and for the garbage collector to walk. The findings' statuses read only how many there are, and the
    setting's reasons read the records and their deadlines (:attr:`records`, :attr:`deadlines`), neither needing
    the misses; only a
    finding's words make them. Read it as a sequence of misses, in order: the late records by date and id,
    then the others.
    """

    __slots__ = ("label", "allowed", "records", "deadlines", "others")

    def __init__(self, label: str, allowed: str, records: Sequence[EvidenceItem], deadlines: Sequence[dt.date],
                 others: Sequence[Miss] = ()) -> None:
        self.label = label  # the evidence kind in words
        self.allowed = allowed  # the duration allowed, in words
        self.records = tuple(records)  # the late records, by date and id
        self.deadlines = tuple(deadlines)  # each one's deadline
        self.others = tuple(others)  # the misses that are not late records

    def late_records(self) -> Iterator[tuple[dt.date, dt.date, dt.date, str]]:
        """Each late record's (date made, date of its event, deadline, id), without making its :class:`Miss`."""
        for item, deadline in zip(self.records, self.deadlines, strict=True):
            assert item.occurred is not None  # only records answering an event are late
            yield item.observed, item.occurred, deadline, item.id

    def _miss(self, place: int) -> Miss:
        item = self.records[place]
        return Miss(MissKind.LATE, self.label, self.deadlines[place], item.observed, None, item.id, item.occurred,
                    self.allowed)

    def __len__(self) -> int:
        return len(self.records) + len(self.others)

    @overload
    def __getitem__(self, place: int) -> Miss: ...
    @overload
    def __getitem__(self, place: slice) -> Sequence[Miss]: ...

    def __getitem__(self, place: int | slice) -> Miss | Sequence[Miss]:
        places = range(len(self))[place]  # a range indexes as a list does: negatives, slices, IndexError
        if isinstance(places, range):
            return [self[i] for i in places]
        late = len(self.records)
        return self._miss(places) if places < late else self.others[places - late]

    def __iter__(self) -> Iterator[Miss]:
        for place in range(len(self.records)):
            yield self._miss(place)
        yield from self.others

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence) or isinstance(other, str):
            return NotImplemented
        return len(self) == len(other) and all(mine == theirs for mine, theirs in zip(self, other, strict=True))

    __hash__ = None  # type: ignore[assignment]  # equal to the list of the same misses, which is not hashable

    def __repr__(self) -> str:
        return f"Misses({list(self)!r})"


def cadence_misses(
    requirement: Requirement,
    setting: Setting,
    placements: Sequence[Placement],
    items_by_kind: dict[str, list[EvidenceItem]],
    as_at: dt.date,
) -> tuple[list[str], set[str]]:
    """Messages for every missed deadline of a requirement's cadence, and the children concerned."""
    return in_words(misses(requirement, setting, placements, items_by_kind, as_at))


def in_words(found: Sequence[Miss]) -> tuple[list[str], set[str]]:
    """The messages of some misses (a finding's reasons), and the children concerned."""
    return [m.message for m in found], {m.child for m in found if m.child is not None}


def _delays(items: Sequence[EvidenceItem], since: dt.date) -> list[tuple[int, EvidenceItem]]:
    """The records made in the window after the day of their event, with how many days after, in their order.

    A record made on or before the day of its event is never late: a deadline is never before its event.
    They are not sorted here: only the late ones are listed, and :func:`misses` sorts those (by date and
    id), half of a national run's records or fewer.
    """
    return [((observed - occurred).days, item) for item in items
            if (occurred := item.occurred) is not None and (observed := item.observed) > since and observed > occurred]


def _by_date_and_id(pair: tuple[int, EvidenceItem]) -> tuple[dt.date, str]:
    item = pair[1]
    return item.observed, item.id


#: units whose durations are the same number of days from any date
FIXED_UNITS = frozenset({Unit.HOUR, Unit.DAY, Unit.WEEK})
_EPOCH = dt.date(2000, 1, 1)


def _fixed_reach(duration: Duration) -> int | None:
    """How many days a duration of fixed length reaches past any date (``None`` for months, working days...)."""
    if duration.unit not in FIXED_UNITS:
        return None
    return (duration.after(_EPOCH) - _EPOCH).days


@attrs.frozen
class Terms:
    """What :func:`misses` reads of a cadence besides the records, the same at every setting as at one date."""

    label: str  # the evidence kind in words
    #: the deadline each record answering an event (or following an occurrence) is held to, if any
    step: Step | None
    allowed: str  # that deadline's duration in words
    #: how far that duration reaches past any date, where it is of fixed length (hours, days, weeks)
    reach: dt.timedelta | None
    since: dt.date  # late records are looked for in the twelve months after this date

    @classmethod
    def of(cls, cadence: Cadence, as_at: dt.date) -> Terms:
        assert cadence.evidence_kind is not None
        step = (next((s for s in cadence.steps if s.kind is StepKind.WITHIN), None)
                if cadence.anchor in EVENT_ANCHORS else cadence.follow_up())
        reach = _fixed_reach(step.duration) if step is not None else None
        return cls(kind_id_words(cadence.evidence_kind), step,
                   step.duration.words if step is not None else "",
                   dt.timedelta(days=reach) if reach is not None else None, window_start(as_at, DEFAULT_WINDOW))


def misses(
    requirement: Requirement,
    setting: Setting,
    placements: Sequence[Placement],
    items_by_kind: Mapping[str, Sequence[EvidenceItem]],
    as_at: dt.date,
    *,
    current: bool = False,
    delays: dict[tuple[str, dt.date, dt.date], list[tuple[int, EvidenceItem]]] | None = None,
    terms: Terms | None = None,
) -> Sequence[Miss]:
    """Every missed deadline of a requirement's cadence at a setting, as at ``as_at``.

    ``current``: ``items_by_kind`` holds only records observed on or before ``as_at`` already (a caller
    working out several cadences of one kind filters them once). ``delays``: a dict the caller keeps
    for one setting and date, in which the records of a kind answering events are dated once for every
    cadence of that kind (restraint records answer three: within 24 hours, 48 hours and 5 days).
    ``terms``: the cadence's :class:`Terms` as at ``as_at``, where the caller keeps them for every setting.
    Where some of the misses are late records, they come as :class:`Misses` (the records, not yet made misses).
    """
    cadence: Cadence | None = requirement.cadence
    if cadence is None or not cadence.evidence_kind:
        return []
    records = items_by_kind.get(cadence.evidence_kind, ())
    items = records if current else [i for i in records if i.observed <= as_at]
    if terms is None:
        terms = Terms.of(cadence, as_at)
    label = terms.label
    found: list[Miss] = []
    late: list[EvidenceItem] = []
    deadlines: list[dt.date] = []
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
    step = terms.step
    if step is not None:
        since, duration, delta = terms.since, step.duration, terms.reach
        key = (cadence.evidence_kind, since, as_at)
        dated = delays.get(key) if delays is not None else None
        if dated is None:
            dated = _delays(items, since)
            if delays is not None:
                delays[key] = dated
        # a record made within a fixed-length duration's days of its event is not late; past them, it is, and
        # its deadline is that many days on
        reach = delta.days if delta is not None else None
        # listed by date and id (a stable sort of a part keeps the order the whole, sorted, would give it)
        for _days, item in sorted(dated if reach is None else [pair for pair in dated if pair[0] > reach],
                                  key=_by_date_and_id):
            occurred = item.occurred
            assert occurred is not None
            deadline = occurred + delta if delta is not None else duration.after(occurred)
            if item.observed > deadline:
                late.append(item)
                deadlines.append(deadline)
    if cadence.anchor not in CHILD_ANCHORS | EVENT_ANCHORS and items:
        last = max(i.observed for i in items)
        due = cadence.next_due(None, last, occurrences=len({i.observed for i in items}))
        if due is not None and as_at > due:
            interval = cadence.interval_at(None, last)
            found.append(Miss(MissKind.INTERVAL, label, due, last=last,
                              allowed=interval.words if interval is not None else cadence.describe()))
    return Misses(label, terms.allowed, late, deadlines, found) if late else found
