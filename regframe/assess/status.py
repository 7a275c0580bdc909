"""The status rules: what the evidence bearing on one requirement at one setting says.

For each setting and each requirement, exactly one status, the first of these
that applies (and every one that applied is kept in the reasons); the wording
is :data:`STATUS_MEANINGS`, which the reports and the docs read:

====================  ===================================================================================
``not_applicable``    not in force on ``as_at``, or not for this setting's registrations
``not_met``           the latest independent finding in the window is negative, or a regulator's action
                      citing the requirement is still open
``overdue``           a time-bound duty's cadence was missed (see :mod:`regframe.assess.overdue`)
``uncorroborated``    the only evidence in the window is the provider's own
``stale``             independent evidence exists, but all of it is older than the window
``no_evidence``       nothing at all
``met``               a positive independent finding in the window, and none of the above
====================  ===================================================================================

The **window** is twelve months unless the requirement's cadence has a longer or
shorter repeating interval, in which case that interval is the window.

**Polarity of a finding.** Met, a CQC score of 3 or 4, and an Ofsted grade of
good or outstanding are positive; not met, partly met, a concern, a score of
1 or 2, and requires improvement or inadequate are negative. An item that only
records that something happened (a visit, a review, a report received) is
positive evidence that the duty is being done, except for the kinds that are
signals rather than findings (LADO referrals, complaints, whistleblowing,
notifications, restraint records), which feed indicators and cadence checks
and are neither.

**Flags** (:data:`FLAG_MEANINGS`). ``regulators_disagree``: the latest Ofsted and CQC findings on the
requirement or its crosswalk counterparts (``maps-to``) in the window have
opposite polarity. ``provider_contradicted``: the provider's latest word in the
window is positive and an independent finding in the window is negative.
``single_regulator``: at a setting registered with both Ofsted and CQC, the
requirement and its counterparts are held by both regulators, but only one of
them has evidence in the window. ``suspect_mapping``: evidence reached the
requirement through a link whose target changed since the link was reviewed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any, Protocol

import attrs

from regframe.assess.results import NO_EVIDENCE_AT_ALL, Flag, Reason, Status
from regframe.assess.summary import REGULATOR_SOURCES, Polarity, Summary, summarise
from regframe.evidence.model import EvidenceItem, OfstedGrade, OutcomeKind, Source
from regframe.framework.cadence import Duration, Unit, add_months, working_days_before
from regframe.framework.model import Independence

DEFAULT_WINDOW = Duration(12, Unit.MONTH)

#: statuses that say something is failing: a finding against the requirement, or a missed deadline
FAILING_STATUSES = frozenset({Status.NOT_MET, Status.OVERDUE})
#: statuses that say nothing is known to be failing but it is not independently known to be met either
UNASSURED_STATUSES = frozenset({Status.UNCORROBORATED, Status.STALE, Status.NO_EVIDENCE})
#: what the Gaps sheet lists: everything short of met, except not applicable, in precedence order
GAP_STATUSES = tuple(s for s in Status if s in FAILING_STATUSES | UNASSURED_STATUSES)

#: What each status means, in the words the reports and docs use (one wording, here beside the rule).
STATUS_MEANINGS = {
    Status.NOT_APPLICABLE: "Not in force on the as-at date, or not for this setting's registrations. Not listed "
                           "on Gaps.",
    Status.NOT_MET: "The latest independent finding in the window is negative, or a regulator's action citing the "
                    "requirement is still open.",
    Status.OVERDUE: "A time-bound duty's cadence was missed (a monthly reg 44 report, a six-monthly reg 45 review, "
                    "a child's statutory visit or review, a LADO referral within one working day).",
    Status.UNCORROBORATED: "The only evidence in the window is the provider's own.",
    Status.STALE: "Independent evidence exists, but all of it is older than the window (twelve months, or the "
                  "requirement's own cadence interval).",
    Status.NO_EVIDENCE: "Nothing at all evidences this requirement at this setting.",
    Status.MET: "A positive independent finding in the window, and none of the above.",
}
#: What each flag means (one wording, here beside :func:`flags_from`).
FLAG_MEANINGS = {
    Flag.REGULATORS_DISAGREE: "The latest Ofsted and CQC findings on the requirement or its crosswalk counterparts "
                              "in the window point opposite ways.",
    Flag.PROVIDER_CONTRADICTED: "The provider's latest word in the window is positive and an independent finding "
                                "in the window is negative.",
    Flag.SINGLE_REGULATOR: "At a setting registered with both, Ofsted and CQC both hold this requirement, but only "
                           "one of them has evidence in the window.",
    Flag.SUSPECT_MAPPING: "The evidence reached this requirement through a link whose target text changed since the "
                          "link was reviewed: check the mapping.",
}


#: For callers that judge regulators' findings or look only for negatives: which kinds are signals changes
#: nothing there (it only turns a bare record neutral instead of positive).
NO_SIGNALS: frozenset[str] = frozenset()


def polarity(item: EvidenceItem, signal_kinds: frozenset[str]) -> Polarity:
    """Whether an item says the requirement is met, not met, or neither (see the module docstring).

    ``signal_kinds`` are the evidence kinds the framework marks ``signal="true"``
    (:attr:`FrameworkFacts.signal_kinds <regframe.assess.facts.FrameworkFacts>`).
    """
    outcome = item.outcome
    if outcome is None or outcome.kind is OutcomeKind.RECORDED:
        if item.kind in signal_kinds:
            return Polarity.NEUTRAL
        return Polarity.POSITIVE if outcome is not None else Polarity.NEUTRAL
    match outcome.kind:
        case OutcomeKind.MET:
            return Polarity.POSITIVE
        case OutcomeKind.NOT_MET | OutcomeKind.PARTLY_MET | OutcomeKind.CONCERN:
            return Polarity.NEGATIVE
        case OutcomeKind.SCORE:
            return Polarity.POSITIVE if (outcome.score or 0) >= 3 else Polarity.NEGATIVE
        case OutcomeKind.GRADE:
            good = outcome.grade in (OfstedGrade.GOOD, OfstedGrade.OUTSTANDING)
            return Polarity.POSITIVE if good else Polarity.NEGATIVE
    return Polarity.NEUTRAL


@attrs.frozen
class Seen:
    """An item as it bears on one requirement: the item, its polarity, and the links it came through."""

    item: EvidenceItem
    polarity: Polarity
    suspect: bool

    @property
    def independent(self) -> bool:
        return self.item.independence is not Independence.PROVIDER


_STARTS: dict[tuple[dt.date, int, str], dt.date] = {}


def window_start(as_at: dt.date, window: Duration) -> dt.date:
    """Evidence observed after this date is inside the window."""
    # Cached by plain values: a Duration's own hash goes through its unit's, which Enum computes in Python.
    key = (as_at, window.amount, window.unit._value_)
    found = _STARTS.get(key)
    if found is None:
        if len(_STARTS) > 1024:
            _STARTS.clear()
        found = _STARTS[key] = _window_start(as_at, window)
    return found


def _window_start(as_at: dt.date, window: Duration) -> dt.date:
    if window.unit is Unit.MONTH:
        return add_months(as_at, -window.amount)
    if window.unit is Unit.YEAR:
        return add_months(as_at, -12 * window.amount)
    if window.unit is Unit.WORKING_DAY:
        return working_days_before(as_at, window.amount)
    return as_at - (window.after(as_at) - as_at)


def verdict(item: EvidenceItem) -> str:
    """What an item found, in a word or two: "good", "score 2", "not met", "recorded"."""
    outcome = item.outcome
    if outcome is None:
        return "recorded"
    if outcome.kind is OutcomeKind.GRADE and outcome.grade is not None:
        return outcome.grade.value.replace("-", " ")
    if outcome.kind is OutcomeKind.SCORE:
        return f"score {outcome.score}"
    return outcome.kind.value.replace("-", " ")


def describe(item: EvidenceItem) -> str:
    return f"{item.source.value} {item.kind.removeprefix('ek.')} {item.observed.isoformat()} ({item.id}): {verdict(item)}"


#: a reason not yet put in words: its status, the function that words it, and what that function reads. A
#: requirement's missed deadlines are one entry, ``(OVERDUE, _each_late, misses)``, standing for a reason each:
#: a national run's judgements hold some 130,000 (every late restraint record), and a tuple each would be that
#: many objects more to make and for the collector to walk.
Unworded = tuple[Any, ...]


class Judgement:
    """The status part of a finding, shared by every requirement that sees the same evidence.

    Its :attr:`reasons` may be put in words only when read (each time, and not kept): a national
    run judges a few hundred thousand groups of requirements, most of them met, and only a report
    that lists met requirements reads their reasons. What every rule decided (the status, the status of each
    reason, the evidence relied on, the flags' inputs) is settled when it is made; only the
    sentences wait. ``latest_by_regulator`` may be shared between judgements: read it, never change it.
    """

    __slots__ = ("status", "evidence", "provider_contradicted", "latest_by_regulator", "suspect", "_reasons",
                 "_unworded")

    def __init__(self, status: Status, reasons: tuple[Reason, ...], evidence: tuple[str, ...],
                 provider_contradicted: bool, latest_by_regulator: dict[Source, Polarity], suspect: bool) -> None:
        self.status = status
        self.evidence = evidence
        self.provider_contradicted = provider_contradicted
        self.latest_by_regulator = latest_by_regulator
        self.suspect = suspect
        self._reasons: tuple[Reason, ...] | None = reasons
        self._unworded: tuple[Unworded, ...] = ()

    @classmethod
    def to_word(cls, status: Status, unworded: Sequence[Unworded], evidence: tuple[str, ...],
                provider_contradicted: bool, latest_by_regulator: dict[Source, Polarity],
                suspect: bool) -> Judgement:
        """A judgement whose reasons are worded when first read: each ``(status, words, *what words reads)``."""
        judgement = cls.__new__(cls)
        judgement.status, judgement.evidence, judgement.suspect = status, evidence, suspect
        judgement.provider_contradicted, judgement.latest_by_regulator = provider_contradicted, latest_by_regulator
        judgement._reasons, judgement._unworded = None, tuple(unworded)
        return judgement

    @property
    def statuses(self) -> tuple[Status, ...]:
        """The status of each reason, in order (what coverage reads), without wording them."""
        if self._reasons is not None:
            return tuple(reason.status for reason in self._reasons)
        statuses: list[Status] = []
        for reason in self._unworded:
            if reason[1] is _each_late:
                statuses.extend([reason[0]] * len(reason[2]))
            else:
                statuses.append(reason[0])
        return tuple(statuses)

    @property
    def reasons(self) -> tuple[Reason, ...]:
        """Every rule that applied, in words (in the order the rules are tried).

        Put in words each time they are read, and not kept (see :class:`~regframe.assess.results.Findings`).
        """
        if self._reasons is not None:
            return self._reasons
        reasons: list[Reason] = []
        for status, words, *parts in self._unworded:
            if words is _each_late:
                reasons.extend(Reason(status, _late(miss)) for miss in parts[0])
            else:
                reasons.append(Reason(status, words(*parts)))
        return tuple(reasons)

    def _key(self) -> tuple[Any, ...]:
        return (self.status, self.reasons, self.evidence, self.provider_contradicted, self.latest_by_regulator,
                self.suspect)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Judgement):
            return NotImplemented
        return self._key() == other._key()

    __hash__ = None  # type: ignore[assignment]  # it holds a dict, as it always did

    def __repr__(self) -> str:
        return (f"Judgement(status={self.status!r}, reasons={self.reasons!r}, evidence={self.evidence!r}, "
                f"provider_contradicted={self.provider_contradicted!r}, "
                f"latest_by_regulator={self.latest_by_regulator!r}, suspect={self.suspect!r})")


class _OneItemJudgement(Judgement):
    """A judgement with one reason, worded from the one item it rests on: most of them (the latest independent
    finding either way, one open action, the provider's word alone, stale evidence).

    It keeps the item, the wording function and what else the words read (``lead``: the window, say), and
    gives its evidence and its one reason from them when read. A general judgement holds two tuples more
    (its evidence, its reasons, and the one reason in place of ``lead``), and a national run makes about
    200,000 of these: that many fewer objects to make and for the collector to walk.
    """

    __slots__ = ("_words", "_lead", "_item")
    _words: Callable[..., str]
    _lead: tuple[Any, ...]
    _item: EvidenceItem

    @classmethod
    def of(cls, status: Status, words: Callable[..., str], item: EvidenceItem,
           provider_contradicted: bool, latest_by_regulator: dict[Source, Polarity], suspect: bool,
           reasons: tuple[Reason, ...] | None = None, lead: tuple[Any, ...] = ()) -> Judgement:
        """A judgement whose one reason is ``words(*lead, item)``, worded when read (``reasons``, where worded
        already)."""
        judgement = cls.__new__(cls)
        judgement.status, judgement.suspect = status, suspect
        judgement.provider_contradicted, judgement.latest_by_regulator = provider_contradicted, latest_by_regulator
        judgement._reasons, judgement._words, judgement._lead, judgement._item = reasons, words, lead, item
        return judgement

    def __reduce__(self) -> tuple[Any, ...]:
        # copy and pickle rebuild it from what it keeps (the slot its evidence property hides cannot be set)
        return (_OneItemJudgement.of, (self.status, self._words, self._item, self.provider_contradicted,
                                       self.latest_by_regulator, self.suspect, self._reasons, self._lead))

    @property
    def evidence(self) -> tuple[str, ...]:  # type: ignore[override]  # Judgement's slot, given by the one item
        return (self._item.id,)

    @property
    def statuses(self) -> tuple[Status, ...]:
        return (self.status,)

    @property
    def reasons(self) -> tuple[Reason, ...]:
        if self._reasons is not None:
            return self._reasons
        return (Reason(self.status, self._words(*self._lead, self._item)),)


def judge(seen: Sequence[Seen], as_at: dt.date, window: Duration, overdue: Sequence[str] = ()) -> Judgement:
    """Apply the status rules to the evidence bearing on one requirement at one setting (in this order)."""
    entries = ((index, s.item, s.polarity, s.suspect) for index, s in enumerate(seen))
    judgement = decide(summarise(entries, as_at, window_start(as_at, window)), as_at, window, overdue)
    judgement._reasons = judgement.reasons  # worded now, and kept: a caller judging one requirement reads them
    judgement.latest_by_regulator = dict(judgement.latest_by_regulator)  # the caller's own, to do with as it likes
    return judgement


class Worded(Protocol):
    """Something that says itself in words (a :class:`~regframe.assess.overdue.Miss`)."""

    @property
    def message(self) -> str: ...


#: a missed deadline as the status rules take it: its words, or something that words itself
Late = str | Worded


def decide(summary: Summary, as_at: dt.date, window: Duration, overdue: Sequence[Late] = ()) -> Judgement:
    """The status rules, applied to what they read of the evidence (:mod:`regframe.assess.summary`).

    ``summary`` is of the whole sequence bearing on the requirement (:func:`~regframe.assess.summary.combine`
    puts stretches together); ``overdue`` holds the requirement's missed deadlines, each a sentence or an
    object with a ``message`` (:class:`~regframe.assess.overdue.Miss`): a list is copied, any other sequence
    (a tuple, :class:`~regframe.assess.overdue.Misses`) kept as it is and must not change. The reasons are worded
    when first read.
    """
    reasons: list[Unworded] = []
    used: list[EvidenceItem] = []
    latest = summary.latest  # the latest independent finding in the window; of one date, a negative one
    if latest is not None and latest[4] is Polarity.NEGATIVE:
        reasons.append((Status.NOT_MET, _latest_negative, latest[3]))
        used.append(latest[3])
    if summary.actions:
        for *_place, item, _polarity in sorted(summary.actions, key=lambda pick: (pick[0], pick[1], pick[2])):
            reasons.append((Status.NOT_MET, _still_open, item))
            used.append(item)
    if overdue:  # kept as given unless it is a list (one that is not must not change: :class:`Misses`)
        reasons.append((Status.OVERDUE, _each_late, tuple(overdue) if isinstance(overdue, list) else overdue))
    newest_provider = summary.provider_latest
    if latest is None and newest_provider is not None:
        reasons.append((Status.UNCORROBORATED, _provider_only, window, summary.provider, newest_provider[3]))
        used.append(newest_provider[3])
    independent = summary.independent
    if independent is not None and latest is None:
        reasons.append((Status.STALE, _stale, window, independent[3]))
        used.append(independent[3])
    if independent is None and newest_provider is None:
        reasons.append((Status.NO_EVIDENCE, _nothing, window, summary.findings, summary.current))
    if latest is not None and latest[4] is Polarity.POSITIVE:
        reasons.append((Status.MET, _latest_positive, latest[3]))
        used.append(latest[3])

    status = reasons[0][0]  # the rules are tried in precedence order: the first that applied is the status
    contradicted = (
        newest_provider is not None and newest_provider[4] is Polarity.POSITIVE
        and (summary.negative_in_window or bool(summary.actions))
    )
    ofsted, cqc = summary.regulators
    by_regulator = _latest_words(ofsted[4] if ofsted is not None else None, cqc[4] if cqc is not None else None)
    if len(reasons) == 1 and len(used) == 1 and (only := reasons[0])[-1] is used[0]:  # worded from its one item
        return _OneItemJudgement.of(status, only[1], used[0], contradicted, by_regulator, summary.suspect,
                                    lead=only[2:-1])
    evidence = tuple(dict.fromkeys(i.id for i in used))
    return Judgement.to_word(status, reasons, evidence, contradicted, by_regulator, summary.suspect)


_WORDS: dict[tuple[Polarity | None, Polarity | None], dict[Source, Polarity]] = {}


def _latest_words(ofsted: Polarity | None, cqc: Polarity | None) -> dict[Source, Polarity]:
    """Each regulator's latest word, one dict for each of the nine combinations (shared: never changed)."""
    found = _WORDS.get((ofsted, cqc))
    if found is None:
        found = _WORDS[(ofsted, cqc)] = {source: word for source, word in zip(REGULATOR_SOURCES, (ofsted, cqc),
                                                                              strict=True) if word is not None}
    return found


# ---- the reasons in words, one function per rule


def _latest_negative(item: EvidenceItem) -> str:
    return f"latest independent finding is negative: {describe(item)}"


def _still_open(item: EvidenceItem) -> str:
    action = item.action
    assert action is not None  # only items with an open action are listed
    due = f", due {action.due.isoformat()}" if action.due else ""
    return f"{action.kind.value.replace('-', ' ')} still open{due} ({item.id})"


def _late(miss: Late) -> str:
    return miss if isinstance(miss, str) else miss.message


def _each_late(misses: Sequence[Late]) -> str:
    """In the place of an unworded reason's words: the entry of a requirement's missed deadlines, worded a reason
    each (:data:`Unworded`). A function, so that a judgement copies and pickles with it, as with any other words."""
    raise AssertionError("each missed deadline is worded as a reason of its own")


def _provider_only(window: Duration, count: int, newest: EvidenceItem) -> str:
    return f"only the provider's own evidence in the last {window.words} ({count} item(s); latest {describe(newest)})"


def _stale(window: Duration, newest: EvidenceItem) -> str:
    return f"latest independent evidence is older than {window.words}: {describe(newest)}"


def _nothing(window: Duration, findings: bool, current: int) -> str:
    if findings:
        return f"only provider evidence older than {window.words}"
    if current:
        return f"no finding either way: {current} record(s) of events (referrals, notifications, records) only"
    return NO_EVIDENCE_AT_ALL


def _latest_positive(item: EvidenceItem) -> str:
    return f"latest independent finding is positive: {describe(item)}"


def is_negative(seen: Seen) -> bool:
    """A finding against the requirement: negative polarity, or a regulator's action."""
    return seen.polarity is Polarity.NEGATIVE or seen.item.action is not None


def flags_from(latest: dict[Source, Polarity], judgement: Judgement, joint: bool) -> tuple[Flag, ...]:
    """The flags of one finding (see the module docstring), given the latest word of each regulator."""
    flags = []
    ofsted = cqc = None
    for source, word in latest.items():  # at most two; looking them up would hash the enum, in Python
        if source is Source.OFSTED:
            ofsted = word
        elif source is Source.CQC:
            cqc = word
    if ofsted is not None and cqc is not None and ofsted is not cqc:
        flags.append(Flag.REGULATORS_DISAGREE)
    if judgement.provider_contradicted:
        flags.append(Flag.PROVIDER_CONTRADICTED)
    if joint and len(latest) == 1:
        flags.append(Flag.SINGLE_REGULATOR)
    if judgement.suspect:
        flags.append(Flag.SUSPECT_MAPPING)
    return tuple(flags)

