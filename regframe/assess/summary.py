"""What the status rules read of a run of evidence, in a few figures that add up.

The status rules (:func:`regframe.assess.status.decide`) look at the evidence
bearing on one requirement as a sequence: the items inherited from the parts
it belongs to, its own, the negative ones of its own parts. They read only a
handful of figures of that sequence: how many items, the latest independent
finding in the window, the provider's latest word and how many, the open
actions, each regulator's latest word, whether any link was suspect. Those
figures can be taken over any stretch of the sequence and put together
afterwards, which is what makes the assessment cheap at national scale: the
items of one setting that are alike (same references, kind and source, see
:mod:`regframe.assess.plan`) bear on the same requirements, so each stretch is
summarised once and every requirement it reaches reuses the summary.

**Order is kept exactly.** Where the rules pick "the latest" and two items
share a date, the first in the sequence wins (the last, for each regulator's
latest word), and the open actions are listed by date in sequence order. So
every figure that picks an item keeps its place: ``(segment, index)``, where a
*segment* is one stretch of the sequence (an ancestor's items, the
requirement's own, one part's negatives) and ``index`` the item's place among
the setting's items. :func:`combine` compares places so, and gives exactly
what one pass over the whole sequence would give.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable

from regframe.evidence.model import EvidenceItem
from regframe.framework.model import Independence, Source


class Polarity(enum.Enum):
    """Whether an item says a requirement is met, not met, or neither (:func:`regframe.assess.status.polarity`)."""

    __hash__ = object.__hash__  # as Status's (regframe.assess.results): exact for singletons, and in C

    POSITIVE = "positive"
    NEGATIVE = "negative"
    NEUTRAL = "neutral"


#: the regulators whose latest word on a requirement is compared (the regulators-disagree flag)
REGULATOR_SOURCES = (Source.OFSTED, Source.CQC)

#: one item as it bears on a requirement: its place, the item, its polarity, and whether its link is suspect
Entry = tuple[int, EvidenceItem, Polarity, bool]
#: an item picked by a figure, with its place and what it was picked by: (date, segment, index, item, polarity)
Pick = tuple[dt.date, int, int, EvidenceItem, Polarity]


class Summary:
    """The figures of one stretch of evidence (items in their order), as at ``as_at`` with the window from ``start``.

    Picks hold the item's index among the setting's items (segment 0); :func:`combine` places
    each summary in its segment. Each regulator's latest word is kept in :attr:`regulators`, one
    slot per :data:`REGULATOR_SOURCES` (``None`` where that regulator has said nothing in the window).
    """

    __slots__ = ("entries", "current", "suspect", "findings", "independent", "latest", "negative_in_window",
                 "provider", "provider_latest", "actions", "regulators")

    def __init__(self, entries: int = 0, current: int = 0, suspect: bool = False, findings: bool = False,
                 independent: Pick | None = None, latest: Pick | None = None, negative_in_window: bool = False,
                 provider: int = 0, provider_latest: Pick | None = None, actions: list[Pick] | None = None,
                 regulators: list[Pick | None] | None = None) -> None:
        self.entries = entries  # items in the stretch, whatever their date
        self.current = current  # observed on or before as_at
        self.suspect = suspect  # a current item reached the requirement through a suspect link
        self.findings = findings  # a current item that is a finding either way (not neutral)
        self.independent = independent  # the first latest current independent finding
        self.latest = latest  # the first latest independent finding in the window (negative wins a tie of dates)
        self.negative_in_window = negative_in_window
        self.provider = provider  # the provider's findings in the window
        self.provider_latest = provider_latest  # the first latest of them
        self.actions: list[Pick] = actions if actions is not None else []  # regulators' actions still open
        #: each regulator's last latest finding in the window, by its place in REGULATOR_SOURCES
        self.regulators: list[Pick | None] = regulators if regulators is not None else [None] * len(REGULATOR_SOURCES)

    @property
    def by_regulator(self) -> dict[Source, Pick]:
        """Each regulator's last latest finding in the window, by source."""
        return {source: pick for source, pick in zip(REGULATOR_SOURCES, self.regulators, strict=True)
                if pick is not None}


def summarise(entries: Iterable[Entry], as_at: dt.date, start: dt.date) -> Summary:
    """The figures of ``entries`` (in order of place), as at ``as_at``, the window opening after ``start``."""
    neutral, negative = Polarity.NEUTRAL, Polarity.NEGATIVE
    provider_only, regulator = Independence.PROVIDER, Independence.REGULATOR
    ofsted, cqc = REGULATOR_SOURCES
    count = current = provider = 0
    suspected = findings = negative_in_window = False
    independent: Pick | None = None
    latest: Pick | None = None
    provider_latest: Pick | None = None
    actions: list[Pick] = []
    regulators: list[Pick | None] = [None, None]
    for index, item, polarity, suspect in entries:
        count += 1
        observed = item.observed
        if observed > as_at:
            continue
        current += 1
        if suspect:
            suspected = True
        action = item.action
        if action is not None and item.independence is regulator and action.open_on(as_at):
            actions.append((observed, 0, index, item, polarity))
        if polarity is neutral:
            continue
        findings = True
        if item.independence is not provider_only:
            if independent is None or observed > independent[0]:
                independent = (observed, 0, index, item, polarity)
            if observed > start:
                is_negative = polarity is negative
                if is_negative:
                    negative_in_window = True
                if latest is None or observed > latest[0] or (observed == latest[0] and is_negative
                                                              and latest[4] is not negative):
                    latest = (observed, 0, index, item, polarity)
                source = item.source
                slot = 0 if source is ofsted else 1 if source is cqc else -1
                if slot >= 0:
                    known = regulators[slot]
                    if known is None or observed >= known[0]:
                        regulators[slot] = (observed, 0, index, item, polarity)
        elif observed > start:
            provider += 1
            if provider_latest is None or observed > provider_latest[0]:
                provider_latest = (observed, 0, index, item, polarity)
    return Summary(count, current, suspected, findings, independent, latest, negative_in_window, provider,
                   provider_latest, actions, regulators)


def combine(parts: list[tuple[int, Summary, bool]]) -> Summary:
    """The figures of a sequence made of stretches: ``(segment, summary, suspect link)`` each.

    A stretch's items come in their setting's order; stretches of a lower segment come first;
    two stretches of one segment interleave by their items' places. ``suspect link`` marks a
    stretch that reached the requirement through a suspect link (its current items make the
    whole suspect). The open actions are gathered stretch by stretch; the rules sort them by
    date and place.
    """
    if len(parts) == 1:
        _segment, part, suspect = parts[0]
        if not suspect or part.suspect or not part.current:
            return part  # one stretch: its places order nothing against anything else
    entries = current = provider = 0
    suspected = findings = negative_in_window = False
    independent: Pick | None = None
    latest: Pick | None = None
    provider_latest: Pick | None = None
    actions: list[Pick] = []
    ofsted: Pick | None = None  # each regulator's latest word: the slots of REGULATOR_SOURCES
    cqc: Pick | None = None
    negative = Polarity.NEGATIVE
    for segment, part, suspect in parts:
        entries += part.entries
        current += part.current
        provider += part.provider
        if part.suspect or (suspect and part.current):
            suspected = True
        if part.findings:
            findings = True
        if part.negative_in_window:
            negative_in_window = True
        # A pick is compared where it stands and placed in its segment only if it wins (this loop runs for a
        # national run's 190,000 judgements): the first latest wins a tie of dates, except that for ``latest`` a
        # negative finding beats a positive one; for each regulator's word, the last latest wins.
        pick = part.independent
        if pick is not None and (independent is None or pick[0] > independent[0] or (
                pick[0] == independent[0] and (segment, pick[2]) <= (independent[1], independent[2]))):
            independent = pick if not segment else (pick[0], segment, pick[2], pick[3], pick[4])
        pick = part.latest
        if pick is not None:
            if latest is None:
                wins = True
            elif pick[0] == latest[0] and (pick[4] is negative) != (latest[4] is negative):
                wins = pick[4] is negative  # of one date, a negative finding beats a positive one
            else:
                wins = pick[0] > latest[0] or (pick[0] == latest[0] and (segment, pick[2]) <= (latest[1], latest[2]))
            if wins:
                latest = pick if not segment else (pick[0], segment, pick[2], pick[3], pick[4])
        pick = part.provider_latest
        if pick is not None and (provider_latest is None or pick[0] > provider_latest[0] or (
                pick[0] == provider_latest[0] and (segment, pick[2]) <= (provider_latest[1], provider_latest[2]))):
            provider_latest = pick if not segment else (pick[0], segment, pick[2], pick[3], pick[4])
        if part.actions:
            actions.extend(part.actions if not segment else
                           [(action[0], segment, action[2], action[3], action[4]) for action in part.actions])
        first, second = part.regulators
        if first is not None and (ofsted is None or first[0] > ofsted[0] or (
                first[0] == ofsted[0] and (segment, first[2]) >= (ofsted[1], ofsted[2]))):
            ofsted = first if not segment else (first[0], segment, first[2], first[3], first[4])
        if second is not None and (cqc is None or second[0] > cqc[0] or (
                second[0] == cqc[0] and (segment, second[2]) >= (cqc[1], cqc[2]))):
            cqc = second if not segment else (second[0], segment, second[2], second[3], second[4])
    return Summary(entries, current, suspected, findings, independent, latest, negative_in_window, provider,
                   provider_latest, actions, [ofsted, cqc])
