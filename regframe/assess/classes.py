"""One setting's evidence items by class, and what the status rules read of each class, each worked out once.

A *class* is what the mapping reads of an item (:mod:`regframe.assess.plan`): items alike in
references, kind and source reach the same requirements. At a setting, the items of a class are
summarised for the status rules (:mod:`regframe.assess.summary`) once for each side a requirement
takes of them — all of them (its own evidence), those not negative (what flows down from a parent),
the negative ones (what flows up from a part) — and each window, and every group of requirements
the class reaches reuses the summaries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from regframe.assess.status import polarity
from regframe.assess.summary import Entry, Polarity, Summary, summarise
from regframe.evidence.model import EvidenceItem

#: which of a class's items a stretch of a requirement's evidence takes: all, those not negative (what flows
#: down from a parent), the negative ones (what flows up from a part)
ALL, NOT_NEGATIVE, NEGATIVE = 0, 1, 2


class SettingEvidence:
    """One setting's items by class, and what the status rules read of each class (each worked out once)."""

    __slots__ = ("items", "by_class", "signal_kinds", "as_at", "summaries", "_entries", "_plain")

    def __init__(self, items: Sequence[EvidenceItem], by_class: dict[int, list[int]], signal_kinds: frozenset[str],
                 as_at: dt.date) -> None:
        self.items = items
        self.by_class = by_class  # class number -> the places of its items among the setting's, in order
        self.signal_kinds = signal_kinds
        self.as_at = as_at
        self._entries: dict[tuple[int, int], list[Entry]] = {}
        #: the summaries worked out so far, by (class, side, window start): read it, and call :meth:`summary`
        #: for one not there yet (a group's judgement looks its summaries up here first, without a call)
        self.summaries: dict[tuple[int, int, dt.date], Summary] = {}
        self._plain: dict[int, Summary | None | object] = {}  # class -> its summary, if it holds bare records

    def entries(self, bit: int, which: int) -> list[Entry]:
        """The class's items as the rules see them (place, item, polarity), all of them or one side."""
        key = (bit, which)
        found = self._entries.get(key)
        if found is None:
            if which == ALL:
                found = self._all(bit)
            else:
                everything = self.entries(bit, ALL)
                negatives = self._entries[(bit, NEGATIVE)]  # set aside with them
                if which == NEGATIVE or not negatives:
                    found = negatives if which == NEGATIVE else everything
                else:
                    found = [entry for entry in everything if not _is_negative(entry)]
            self._entries[key] = found
        return found

    def _all(self, bit: int) -> list[Entry]:
        items, signals = self.items, self.signal_kinds
        found: list[Entry] = []
        negatives: list[Entry] = []
        known: dict[int, Polarity] = {}  # the items of a class differ in outcome only, and share outcome objects
        negative = Polarity.NEGATIVE
        for place in self.by_class[bit]:
            item = items[place]
            outcome = id(item.outcome)
            item_polarity = known.get(outcome)
            if item_polarity is None:
                item_polarity = known[outcome] = polarity(item, signals)
            entry = (place, item, item_polarity, False)
            found.append(entry)
            if item_polarity is negative or item.action is not None:
                negatives.append(entry)
        self._entries[(bit, NEGATIVE)] = negatives
        return found

    def _records(self, bit: int) -> Summary | None:
        """The summary of a class of bare records (no finding either way, no action: restraint records, say).

        The rules read only how many there are and how many are current, whatever the window, so
        nothing is listed for them. ``None`` for any other class.
        """
        items, signals, as_at = self.items, self.signal_kinds, self.as_at
        known: set[int] = set()  # outcome objects found neutral
        current = 0
        places = self.by_class[bit]
        for place in places:
            item = items[place]
            if item.action is not None:
                return None
            outcome = id(item.outcome)
            if outcome not in known:
                if polarity(item, signals) is not Polarity.NEUTRAL:
                    return None
                known.add(outcome)
            if item.observed <= as_at:
                current += 1
        return Summary(entries=len(places), current=current)

    def summary(self, bit: int, which: int, start: dt.date) -> Summary:
        """What the rules read of one side of a class (``which``), the window opening after ``start``."""
        key = (bit, which, start)
        found = self.summaries.get(key)
        if found is None:
            found = self.summaries[key] = self._summarise(bit, which, start)
        return found

    def _summarise(self, bit: int, which: int, start: dt.date) -> Summary:
        records = self._plain.get(bit, _UNKNOWN)
        if records is _UNKNOWN:
            records = self._plain[bit] = self._records(bit)
        if isinstance(records, Summary):
            return records if which != NEGATIVE else _NOTHING
        entries = self.entries(bit, which)
        if which != ALL and entries is self._entries[(bit, ALL)]:
            return self.summary(bit, ALL, start)  # nothing negative among them: one side is all of them
        return summarise(entries, self.as_at, start)

    def has_negative(self, bit: int) -> bool:
        """Whether any item of the class is a finding against a requirement (negative, or an action)."""
        records = self._plain.get(bit, _UNKNOWN)
        if records is _UNKNOWN:
            records = self._plain[bit] = self._records(bit)
        return records is None and bool(self.entries(bit, NEGATIVE))


#: no items at all (the negative side of a class of bare records)
_NOTHING = Summary()
_UNKNOWN = object()


def _is_negative(entry: Entry) -> bool:
    """A finding against the requirement (:func:`regframe.assess.status.is_negative`): negative, or an action."""
    return entry[2] is Polarity.NEGATIVE or entry[1].action is not None
