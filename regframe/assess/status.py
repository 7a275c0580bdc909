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
import enum
import functools
from collections.abc import Sequence

import attrs

from regframe.assess.results import Flag, Reason, Status
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


class Polarity(enum.Enum):
    POSITIVE = "positive"
    NEGATIVE = "negative"
    NEUTRAL = "neutral"


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



@functools.lru_cache(maxsize=256)
def window_start(as_at: dt.date, window: Duration) -> dt.date:
    """Evidence observed after this date is inside the window."""
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


@attrs.frozen
class Judgement:
    """The status part of a finding, shared by every requirement that sees the same evidence."""

    status: Status
    reasons: tuple[Reason, ...]
    evidence: tuple[str, ...]
    provider_contradicted: bool
    latest_by_regulator: dict[Source, Polarity]
    suspect: bool


def judge(seen: Sequence[Seen], as_at: dt.date, window: Duration, overdue: Sequence[str] = ()) -> Judgement:
    """Apply the status rules to the evidence bearing on one requirement at one setting."""
    start = window_start(as_at, window)
    span = f"{window.amount} {window.unit.value}{'s' if window.amount != 1 else ''}"
    current = [s for s in seen if s.item.observed <= as_at]
    findings = [s for s in current if s.polarity is not Polarity.NEUTRAL]
    independent = [s for s in findings if s.independent]
    in_window = [s for s in independent if s.item.observed > start]
    provider = [s for s in findings if not s.independent and s.item.observed > start]
    open_actions = [
        s for s in current
        if s.item.action is not None and s.item.independence is Independence.REGULATOR and s.item.action.open_on(as_at)
    ]
    reasons: list[Reason] = []
    used: list[EvidenceItem] = []

    latest = max(in_window, key=lambda s: (s.item.observed, s.polarity is Polarity.NEGATIVE), default=None)
    if latest is not None and latest.polarity is Polarity.NEGATIVE:
        reasons.append(Reason(Status.NOT_MET, f"latest independent finding is negative: {describe(latest.item)}"))
        used.append(latest.item)
    for action in sorted(open_actions, key=lambda s: s.item.observed):
        step = action.item.action
        assert step is not None  # open actions are items with an action
        due = f", due {step.due.isoformat()}" if step.due else ""
        reasons.append(Reason(Status.NOT_MET, f"{step.kind.value.replace('-', ' ')} still open{due} ({action.item.id})"))
        used.append(action.item)
    for message in overdue:
        reasons.append(Reason(Status.OVERDUE, message))
    if not in_window and provider:
        newest = max(provider, key=lambda s: s.item.observed)
        reasons.append(Reason(Status.UNCORROBORATED,
                              f"only the provider's own evidence in the last {span} ({len(provider)} item(s); "
                              f"latest {describe(newest.item)})"))
        used.append(newest.item)
    if independent and not in_window:
        newest = max(independent, key=lambda s: s.item.observed)
        reasons.append(Reason(Status.STALE, f"latest independent evidence is older than {span}: {describe(newest.item)}"))
        used.append(newest.item)
    if not independent and not provider:
        if findings:
            message = f"only provider evidence older than {span}"
        elif current:
            message = f"no finding either way: {len(current)} record(s) of events (referrals, notifications, records) only"
        else:
            message = "no evidence at all"
        reasons.append(Reason(Status.NO_EVIDENCE, message))
    if latest is not None and latest.polarity is Polarity.POSITIVE:
        reasons.append(Reason(Status.MET, f"latest independent finding is positive: {describe(latest.item)}"))
        used.append(latest.item)

    status = min((r.status for r in reasons), key=_rank)
    provider_latest = max(provider, key=lambda s: s.item.observed, default=None)
    contradicted = (
        provider_latest is not None and provider_latest.polarity is Polarity.POSITIVE
        and (any(s.polarity is Polarity.NEGATIVE for s in in_window) or bool(open_actions))
    )
    by_regulator: dict[Source, tuple[dt.date, Polarity]] = {}
    for s in in_window:
        if s.item.source in (Source.OFSTED, Source.CQC):
            previous = by_regulator.get(s.item.source)
            if previous is None or s.item.observed >= previous[0]:
                by_regulator[s.item.source] = (s.item.observed, s.polarity)
    evidence = tuple(dict.fromkeys(i.id for i in used))
    return Judgement(status, tuple(reasons), evidence, contradicted,
                     {k: v[1] for k, v in by_regulator.items()}, any(s.suspect for s in current))



_RANKS = {status: index for index, status in enumerate(Status)}


def is_negative(seen: Seen) -> bool:
    """A finding against the requirement: negative polarity, or a regulator's action."""
    return seen.polarity is Polarity.NEGATIVE or seen.item.action is not None


def _rank(status: Status) -> int:
    return _RANKS[status]



def flags_from(latest: dict[Source, Polarity], judgement: Judgement, joint: bool) -> tuple[Flag, ...]:
    """The flags of one finding (see the module docstring), given the latest word of each regulator."""
    flags = []
    ofsted, cqc = latest.get(Source.OFSTED), latest.get(Source.CQC)
    if ofsted is not None and cqc is not None and ofsted is not cqc:
        flags.append(Flag.REGULATORS_DISAGREE)
    if judgement.provider_contradicted:
        flags.append(Flag.PROVIDER_CONTRADICTED)
    if joint and len(latest) == 1:
        flags.append(Flag.SINGLE_REGULATOR)
    if judgement.suspect:
        flags.append(Flag.SUSPECT_MAPPING)
    return tuple(flags)

