"""The joint-inspection gap assessment: every rule that turns evidence into a status, in one place.

For each setting and each requirement, exactly one status, the first of these
that applies (and every one that applied is kept in the reasons):

====================  ===================================================================================
``not_applicable``    not in force on ``as_at``, or not for this setting's registrations
``not_met``           the latest independent finding in the window is negative, or a regulator's action
                      citing the requirement is still open
``overdue``           a time-bound duty's cadence was missed (a monthly reg 44 report, a six-monthly
                      reg 45 review, a child's statutory visit or review, a LADO referral within one
                      working day of the allegation)
``uncorroborated``    the only evidence in the window is the provider's own
``stale``             independent evidence exists, but all of it is older than the window
``no_evidence``       nothing at all
``met``               a positive independent finding in the window, and none of the above
====================  ===================================================================================

The **window** is twelve months unless the requirement's cadence has a longer or
shorter repeating interval, in which case that interval is the window.

Which evidence bears on a requirement: items mapped to it (see
:mod:`regframe.assess.mapping`); the positive and neutral items mapped to any
requirement it is part of (a "good" for reg 12 as a whole speaks for each of
its limbs); and the *negative* items mapped to any of its parts (a breach of
reg 35(3)(a) is a breach of reg 35). A negative finding about a whole standard
does not flow down to its limbs, because it does not say which limb failed:
the standard is not met, and its limbs are judged on what is known of them.

**Applicability.** A requirement applies to a setting when it is in force on
``as_at``, names one of the setting's registrations (its Ofsted provision
type, plus CQC health provision where the setting has a CQC location id) in
``applies-to``, and, if an inspecting regulator (Ofsted or CQC) holds it, the
setting is registered with that regulator.

**Polarity of a finding.** Met, a CQC score of 3 or 4, and an Ofsted grade of
good or outstanding are positive; not met, partly met, a concern, a score of
1 or 2, and requires improvement or inadequate are negative. An item that only
records that something happened (a visit, a review, a report received) is
positive evidence that the duty is being done, except for the kinds that are
signals rather than findings (LADO referrals, complaints, whistleblowing,
notifications, restraint records), which feed indicators and cadence checks
and are neither.

**Flags.** ``regulators_disagree``: the latest Ofsted and CQC findings on the
requirement or its crosswalk counterparts (``maps-to``) in the window have
opposite polarity. ``provider_contradicted``: the provider's latest word in the
window is positive and an independent finding in the window is negative.
``single_regulator``: at a setting registered with both Ofsted and CQC, the
requirement and its counterparts are held by both regulators, but only one of
them has evidence in the window. ``suspect_mapping``: evidence reached the
requirement through a link whose target changed since the link was reviewed.

**Overall rating.** Red if any of: (a) a red indicator and a requirement not met
or overdue; (b) three or more red indicators; (c) requirements not met on the
independent word of two or more different sources; (d) an inadequate Ofsted
judgement or a CQC score of 1 in the window. Amber if any of: a requirement
not met or overdue; a red indicator; two or more amber indicators; a
``provider_contradicted`` or ``regulators_disagree`` flag; more than half of the
evidenced requirements stale or uncorroborated. Green otherwise.

**Provider groups.** Settings are grouped by owning organisation (case and spacing
ignored); a group *stands out* when at least the threshold of the framework's
provider-group indicator (``ind.provider-group-inadequate-or-suspended``, 2 by
default) of its settings were judged inadequate by Ofsted or were suspended in
the twelve months to ``as_at``: the pattern the Children's Wellbeing and Schools
Act 2026 meets with improvement-plan notices to parent undertakings. One rule,
in :mod:`regframe.assess.history_signals`, for the report, the profile and revisions.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

import attrs

from regframe.assess import history_signals
from regframe.assess import indicators as indicator_rules
from regframe._version import __version__
from regframe.framework.cadence import Cadence, Duration, StepKind, Unit
from regframe.core.diagnostics import Diagnostic
from regframe.evidence.history import SettingHistory, build_histories
from regframe.evidence.model import EvidenceItem, EvidenceSet, OfstedGrade, OutcomeKind, Placement, Setting, Source
from regframe.framework.graph import RequirementGraph, build_graph
from regframe.framework.model import Framework, Independence, Link, Regulator, Rel, Requirement, RequirementKind, SettingKind
from regframe.assess.results import (
    Assessment, EvidenceUse, Finding, Flag, IndicatorResult, LensEntry, LensState, ProviderGroup, Rating, Reason,
    SettingAssessment, Status,
)

DEFAULT_WINDOW = Duration(12, Unit.MONTH)

#: kinds of requirement that get a status (recommendations get a lens, indicators a level)
ASSESSED_KINDS = frozenset({
    RequirementKind.OUTCOME, RequirementKind.DUTY, RequirementKind.JUDGEMENT,
    RequirementKind.EVALUATION_AREA, RequirementKind.QUALITY_STATEMENT,
})
#: evidence kinds that are signals to count, not findings about a requirement
SIGNAL_KINDS = frozenset({
    "ek.lado-referral", "ek.complaint", "ek.whistleblowing", "ek.reg40-notification", "ek.restraint-record",
})
INSPECTING = frozenset({Regulator.OFSTED, Regulator.CQC})
CHILD_ANCHORS = frozenset({"placement-start", "looked-after-start"})
EVENT_ANCHORS = frozenset({"event", "allegation"})
GAP_STATUSES = frozenset({Status.NOT_MET, Status.OVERDUE})
AT_RISK_STATUSES = frozenset({Status.UNCORROBORATED, Status.STALE, Status.NO_EVIDENCE})


class Polarity(enum.Enum):
    POSITIVE = "positive"
    NEGATIVE = "negative"
    NEUTRAL = "neutral"


def polarity(item: EvidenceItem) -> Polarity:
    """Whether an item says the requirement is met, not met, or neither (see the module docstring)."""
    outcome = item.outcome
    if outcome is None or outcome.kind is OutcomeKind.RECORDED:
        if item.kind in SIGNAL_KINDS:
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


def _is_worst(item: EvidenceItem) -> bool:
    outcome = item.outcome
    return outcome is not None and (
        (outcome.kind is OutcomeKind.GRADE and outcome.grade is OfstedGrade.INADEQUATE)
        or (outcome.kind is OutcomeKind.SCORE and outcome.score == 1)
    )


@attrs.frozen
class Seen:
    """An item as it bears on one requirement: the item, its polarity, and the links it came through."""

    item: EvidenceItem
    polarity: Polarity
    suspect: bool

    @property
    def independent(self) -> bool:
        return self.item.independence is not Independence.PROVIDER


# ------------------------------------------------------------------ framework facts, computed once


@attrs.frozen
class RequirementFacts:
    requirement: Requirement
    parent: str | None
    depth: int
    window: Duration
    counterparts: tuple[str, ...]  # maps-to either way
    holders: frozenset[Regulator]  # inspecting regulators over it and its counterparts


class FrameworkFacts:
    """Everything about the framework the assessment needs, indexed once per run."""

    def __init__(self, graph: RequirementGraph, as_at: dt.date) -> None:
        self.graph = graph
        self.as_at = as_at
        self.facts: dict[str, RequirementFacts] = {}
        requirements = list(graph.requirements())
        for requirement in requirements:
            parents = graph.links_out(requirement.id, Rel.PART_OF)
            parent = parents[0].target if parents else None
            counterparts = tuple(sorted({m.requirement.id for m in graph.maps_to(requirement.id)}))
            holders = set(requirement.regulators) & INSPECTING
            for other in counterparts:
                holders |= set(graph.requirement(other).regulators) & INSPECTING
            window = requirement.cadence.window() if requirement.cadence and requirement.cadence.window() else DEFAULT_WINDOW
            self.facts[requirement.id] = RequirementFacts(requirement, parent, 0, window, counterparts, frozenset(holders))
        for rid in self.facts:
            depth, node, seen = 0, self.facts[rid].parent, {rid}
            while node is not None and node in self.facts and node not in seen:
                seen.add(node)
                depth += 1
                node = self.facts[node].parent
            self.facts[rid] = attrs.evolve(self.facts[rid], depth=depth)
        self.order = sorted(self.facts, key=lambda r: (self.facts[r].depth, r))
        self.suspect = {(link.source, link.rel, link.target) for link in graph.suspect_links()}
        self.indicators = [r for r in requirements if r.kind is RequirementKind.INDICATOR and r.in_force(as_at)]
        self.recommendations = [
            r for r in requirements
            if r.kind is RequirementKind.RECOMMENDATION and self.facts[r.id].parent is None and r.in_force(as_at)
        ]
        self.addressed = {r.id: [a.id for a in graph.addressed_by(r.id)] for r in self.recommendations}
        self._applicable: dict[tuple[SettingKind, bool], list[str]] = {}
        self.assessed_total = sum(1 for r in requirements if r.kind in ASSESSED_KINDS)

    def applicable(self, setting: Setting) -> list[str]:
        """Assessed requirements that apply to a setting, parents before their parts."""
        key = (setting.kind, setting.dual_registered)
        cached = self._applicable.get(key)
        if cached is None:
            cached = [rid for rid in self.order if self.applies(self.facts[rid].requirement, setting)
                      and self.facts[rid].requirement.kind in ASSESSED_KINDS]
            self._applicable[key] = cached
        return cached

    def applies(self, requirement: Requirement, setting: Setting) -> bool:
        if not requirement.in_force(self.as_at):
            return False
        registrations = {setting.kind}
        registered_with = {Regulator.OFSTED} if setting.kind is not SettingKind.CQC_HEALTH_PROVISION else set()
        if setting.dual_registered or setting.kind is SettingKind.CQC_HEALTH_PROVISION:
            registrations.add(SettingKind.CQC_HEALTH_PROVISION)
            registered_with.add(Regulator.CQC)
        if not registrations.intersection(requirement.applies_to):
            return False
        inspecting = INSPECTING.intersection(requirement.regulators)
        return not inspecting or bool(inspecting & registered_with)

    def is_suspect(self, via: Sequence[Link]) -> bool:
        return any((link.source, link.rel, link.target) in self.suspect for link in via)

    def provider_group_rule(self) -> tuple[float, str] | None:
        """The provider-group indicator's lowest threshold in force, and the rule in words (None without it)."""
        for indicator in self.indicators:
            if indicator.id != history_signals.PROVIDER_GROUP_INDICATOR:
                continue
            values = sorted(t.value for t in indicator.thresholds
                            if t.metric == history_signals.PROVIDER_GROUP_METRIC and t.in_force(self.as_at))
            if values:
                return values[0], (f"stands out with {values[0]:g} or more settings judged inadequate by Ofsted or "
                                   f"suspended in the {history_signals.WINDOW_MONTHS} months to {self.as_at.isoformat()} "
                                   f"({indicator.id})")
        return None


# ------------------------------------------------------------------ the status rules


@functools.lru_cache(maxsize=256)
def _window_start(as_at: dt.date, window: Duration) -> dt.date:
    """Evidence observed after this date is inside the window."""
    from regframe.framework.cadence import add_months, working_days_before

    if window.unit is Unit.MONTH:
        return add_months(as_at, -window.amount)
    if window.unit is Unit.YEAR:
        return add_months(as_at, -12 * window.amount)
    if window.unit is Unit.WORKING_DAY:
        return working_days_before(as_at, window.amount)
    return as_at - (window.after(as_at) - as_at)


def _describe(item: EvidenceItem) -> str:
    outcome = item.outcome
    if outcome is None:
        verdict = "recorded"
    elif outcome.kind is OutcomeKind.GRADE and outcome.grade is not None:
        verdict = outcome.grade.value.replace("-", " ")
    elif outcome.kind is OutcomeKind.SCORE:
        verdict = f"score {outcome.score}"
    else:
        verdict = outcome.kind.value.replace("-", " ")
    return f"{item.source.value} {item.kind.removeprefix('ek.')} {item.observed.isoformat()} ({item.id}): {verdict}"


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
    start = _window_start(as_at, window)
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
        reasons.append(Reason(Status.NOT_MET, f"latest independent finding is negative: {_describe(latest.item)}"))
        used.append(latest.item)
    for action in sorted(open_actions, key=lambda s: s.item.observed):
        due = f", due {action.item.action.due.isoformat()}" if action.item.action.due else ""
        reasons.append(Reason(Status.NOT_MET,
                              f"{action.item.action.kind.value.replace('-', ' ')} still open{due} ({action.item.id})"))
        used.append(action.item)
    for message in overdue:
        reasons.append(Reason(Status.OVERDUE, message))
    if not in_window and provider:
        newest = max(provider, key=lambda s: s.item.observed)
        reasons.append(Reason(Status.UNCORROBORATED,
                              f"only the provider's own evidence in the last {span} ({len(provider)} item(s); "
                              f"latest {_describe(newest.item)})"))
        used.append(newest.item)
    if independent and not in_window:
        newest = max(independent, key=lambda s: s.item.observed)
        reasons.append(Reason(Status.STALE, f"latest independent evidence is older than {span}: {_describe(newest.item)}"))
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
        reasons.append(Reason(Status.MET, f"latest independent finding is positive: {_describe(latest.item)}"))
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


def _negative(seen: Seen) -> bool:
    """A finding against the requirement: negative polarity, or a regulator's action."""
    return seen.polarity is Polarity.NEGATIVE or seen.item.action is not None


def _rank(status: Status) -> int:
    return _RANKS[status]


# ------------------------------------------------------------------ cadences


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
        latest: dict[str, dt.date] = {}
        for item in items:
            if item.child and (item.child not in latest or item.observed > latest[item.child]):
                latest[item.child] = item.observed
        for placement in sorted(placements, key=lambda p: p.child):
            if requirement.instrument == "cppcr2010" and placement.looked_after is False:
                continue  # CPPCR visits and reviews are for looked-after children
            last = latest.get(placement.child)
            due = cadence.next_due(placement.start, last)
            if due is not None and as_at > due:
                was = f"last {label} {last.isoformat()}" if last else f"no {label} since the placement began {placement.start.isoformat()}"
                messages.append(f"child {placement.child}: {was}; next was due by {due.isoformat()}")
                children.add(placement.child)
        return messages, children
    step = next((s for s in cadence.steps if s.kind is StepKind.WITHIN), None) if cadence.anchor in EVENT_ANCHORS else cadence.follow_up()
    if step is not None:
        window_start = _window_start(as_at, DEFAULT_WINDOW)
        for item in sorted(items, key=lambda i: (i.observed, i.id)):
            if item.occurred is None or item.observed <= window_start:
                continue
            deadline = step.duration.after(item.occurred)
            if item.observed > deadline:
                messages.append(f"{label} {item.id} made {item.observed.isoformat()}, more than {step.duration} "
                                f"after {item.occurred.isoformat()} (due by {deadline.isoformat()})")
    if cadence.anchor not in CHILD_ANCHORS | EVENT_ANCHORS and items:
        last = max(i.observed for i in items)
        interval = cadence.interval_at(None, last)
        if interval is not None and as_at > interval.after(last):
            messages.append(f"last {label} {last.isoformat()}; the next was due by {interval.after(last).isoformat()}")
    return messages, children


# ------------------------------------------------------------------ one setting


class SettingAssessor:
    """Assess one setting: statuses, indicators, lens and rating."""

    def __init__(self, framework_facts: FrameworkFacts, targets: Callable[[EvidenceItem, SettingKind], list]) -> None:
        self.ff = framework_facts
        self.targets = targets

    def assess(
        self,
        setting: Setting,
        items: Sequence[EvidenceItem],
        placements: Sequence[Placement],
        metrics: Sequence,
        history: SettingHistory | None = None,
        owner_failing: dict[str, tuple[str, ...]] | None = None,
    ) -> SettingAssessment:
        ff, as_at = self.ff, self.ff.as_at
        active = _one_per_child(p for p in placements if p.active_on(as_at))
        own: dict[str, list[Seen]] = defaultdict(list)
        items_by_kind: dict[str, list[EvidenceItem]] = defaultdict(list)
        for item in items:
            items_by_kind[item.kind].append(item)
            item_polarity = polarity(item)
            for target in self.targets(item, setting.kind):
                own[target.requirement].append(Seen(item, item_polarity, ff.is_suspect(target.via)))

        applicable = ff.applicable(setting)
        applicable_set = set(applicable)
        from_parts: dict[str, list[Seen]] = defaultdict(list)
        for rid, seen in own.items():
            negative = [s for s in seen if _negative(s)]
            node = ff.facts[rid].parent if rid in ff.facts else None
            while negative and node is not None:
                from_parts[node].extend(negative)
                node = ff.facts[node].parent

        overdue_children: set[str] = set()
        overdue: dict[str, list[str]] = {}
        for rid in applicable:
            requirement = ff.facts[rid].requirement
            if requirement.cadence is not None:
                messages, children = cadence_misses(requirement, setting, active, items_by_kind, as_at)
                if messages:
                    overdue[rid] = messages
                if requirement.cadence.evidence_kind == "ek.statutory-visit":
                    overdue_children |= children

        inherited: dict[str, tuple[Seen, ...]] = {}
        judgements: dict[str, Judgement] = {}
        memo: dict[tuple, Judgement] = {}
        for rid in applicable:
            facts = ff.facts[rid]
            above = inherited.get(facts.parent, ()) if facts.parent else ()
            mine = own.get(rid)
            seen = above + tuple(mine) if mine else above
            inherited[rid] = above + tuple(x for x in mine if not _negative(x)) if mine else above
            parts = from_parts.get(rid, ())
            late = tuple(overdue.get(rid, ()))
            if not seen and not parts and not late:
                continue
            # Keyed on objects that live as long as this loop (ids of temporaries could be reused):
            # limbs that see exactly their parent's evidence share one judgement.
            key = (id(above), id(mine) if mine else None, id(parts) if parts else None, facts.window, late)
            judgement = memo.get(key)
            if judgement is None:
                judgement = judge(seen + tuple(parts), as_at, facts.window, late)
                memo[key] = judgement
            judgements[rid] = judgement

        findings: list[Finding] = []
        no_evidence: list[str] = []
        tally: dict[Status, int] = dict.fromkeys(Status, 0)
        flag_memo: dict = {}
        for rid in applicable:
            judgement = judgements.get(rid)
            if judgement is None:
                no_evidence.append(rid)
                continue
            flags = self._flags(rid, judgement, judgements, applicable_set, setting, flag_memo)
            findings.append(Finding(rid, judgement.status, judgement.reasons, flags, judgement.evidence))
            tally[judgement.status] += 1
        tally[Status.NO_EVIDENCE] += len(no_evidence)
        tally[Status.NOT_APPLICABLE] = ff.assessed_total - len(applicable)
        counts = {status.value: number for status, number in tally.items()}

        facts = indicator_rules.SettingFacts(setting, as_at, metrics, active, items, frozenset(overdue_children),
                                             history, owner_failing or {})
        indicator_results = [
            result
            for indicator in ff.indicators if indicator.applies_to_kind(setting.kind) or not indicator.applies_to
            for result in indicator_rules.evaluate(indicator, facts)
        ]
        by_id = {f.requirement: f.status for f in findings} | {rid: Status.NO_EVIDENCE for rid in no_evidence}
        lens = self._lens(by_id, indicator_results)
        rating, rating_reasons, score = rate(findings, indicator_results, items, as_at)
        return SettingAssessment(
            setting=setting, rating=rating, rating_reasons=rating_reasons, risk_score=score, counts=counts,
            findings=tuple(findings), no_evidence=tuple(no_evidence), indicators=tuple(indicator_results),
            lens=lens, children=len({p.child for p in active}),
        )

    def _flags(self, rid: str, judgement: Judgement, judgements: dict[str, Judgement],
               applicable: set[str], setting: Setting, memo: dict) -> tuple[Flag, ...]:
        facts = self.ff.facts[rid]
        joint = setting.dual_registered and INSPECTING <= facts.holders
        if not facts.counterparts:
            key = (id(judgement), joint)
            known = memo.get(key)
            if known is None:
                known = memo[key] = _flags_from(judgement.latest_by_regulator, judgement, joint)
            return known
        latest: dict[Source, Polarity] = dict(judgement.latest_by_regulator)
        for member in facts.counterparts:
            found = judgements.get(member) if member in applicable else None
            if found is not None:
                for source, value in found.latest_by_regulator.items():
                    latest.setdefault(source, value)
        return _flags_from(latest, judgement, joint)

    def _lens(self, statuses: dict[str, Status], indicator_results: Sequence[IndicatorResult]) -> tuple[LensEntry, ...]:
        levels: dict[str, str] = {}
        for result in indicator_results:
            if result.level == "red" or (result.level == "amber" and levels.get(result.indicator) != "red"):
                levels[result.indicator] = result.level
        entries = []
        for recommendation in self.ff.recommendations:
            addressed = self.ff.addressed[recommendation.id]
            relevant = [a for a in addressed if a in statuses]
            indicator_ids = [a for a in addressed if a in {r.indicator for r in indicator_results}]
            failing = tuple(a for a in relevant if statuses[a] in GAP_STATUSES)
            at_risk = tuple(a for a in relevant if statuses[a] in AT_RISK_STATUSES)
            flagged = tuple(i for i in indicator_ids if i in levels)
            if not relevant and not indicator_ids:
                state = LensState.NOT_APPLICABLE
            elif failing or any(levels[i] == "red" for i in flagged):
                state = LensState.FAILING
            elif at_risk or flagged:
                state = LensState.AT_RISK
            else:
                state = LensState.OK
            entries.append(LensEntry(recommendation.id, state, failing, at_risk, flagged))
        return tuple(entries)


def _flags_from(latest: dict[Source, Polarity], judgement: Judgement, joint: bool) -> tuple[Flag, ...]:
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


def _one_per_child(placements: Iterable[Placement]) -> list[Placement]:
    """The same child reported by two sources (an LA return and an SSDA903 extract) is one placement.

    The record that says most about the placement is kept.
    """
    best: dict[str, Placement] = {}
    for placement in placements:
        known = sum(getattr(placement, name) not in (None, "") for name in ("distance_miles", "weeks_per_year", "looked_after", "ehc_plan"))
        current = best.get(placement.child)
        if current is None or known > sum(getattr(current, n) not in (None, "") for n in ("distance_miles", "weeks_per_year", "looked_after", "ehc_plan")):
            best[placement.child] = placement
    return [best[child] for child in sorted(best)]


def rate(findings: Sequence[Finding], indicator_results: Sequence[IndicatorResult],
         items: Sequence[EvidenceItem], as_at: dt.date) -> tuple[Rating, tuple[str, ...], float]:
    """The overall rating by the documented rule (module docstring), its reasons, and a risk score for sorting."""
    red = sorted({r.indicator for r in indicator_results if r.level == "red"})
    amber = sorted({r.indicator for r in indicator_results if r.level == "amber"} - set(red))
    not_met = [f for f in findings if f.status is Status.NOT_MET]
    overdue = [f for f in findings if f.status is Status.OVERDUE]
    flagged = {flag for f in findings for flag in f.flags}
    item_sources = {i.id: i.source for i in items}
    sources = {item_sources.get(e) for f in not_met for e in f.evidence} - {None, Source.PROVIDER}
    start = _window_start(as_at, DEFAULT_WINDOW)
    worst = sorted(i.id for i in items if _is_worst(i) and start < i.observed <= as_at)

    reasons: list[str] = []
    if red and (not_met or overdue):
        reasons.append(f"red indicator(s) {', '.join(red)} with {len(not_met)} requirement(s) not met and {len(overdue)} overdue")
    if len(red) >= 3:
        reasons.append(f"{len(red)} red indicators")
    if len(sources) >= 2:
        reasons.append(f"requirements not met on the word of {len(sources)} independent sources "
                       f"({', '.join(sorted(s.value for s in sources))})")
    if worst:
        reasons.append(f"inadequate judgement or CQC score of 1: {', '.join(worst[:3])}")
    rating = Rating.RED if reasons else None
    if rating is None:
        if not_met or overdue:
            reasons.append(f"{len(not_met)} requirement(s) not met, {len(overdue)} overdue")
        if red:
            reasons.append(f"red indicator(s) {', '.join(red)}")
        if len(amber) >= 2:
            reasons.append(f"amber indicators {', '.join(amber)}")
        for flag in (Flag.PROVIDER_CONTRADICTED, Flag.REGULATORS_DISAGREE):
            if flag in flagged:
                reasons.append(f"{flag.value.replace('_', ' ')} on at least one requirement")
        weak = [f for f in findings if f.status in (Status.STALE, Status.UNCORROBORATED)]
        if findings and 2 * len(weak) > len(findings):
            reasons.append(f"independent evidence missing or out of date for {len(weak)} of {len(findings)} "
                           "evidenced requirements (stale or only the provider's word)")
        rating = Rating.AMBER if reasons else Rating.GREEN
    flag_counts = defaultdict(int)
    for f in findings:
        for flag in f.flags:
            flag_counts[flag] += 1
    standards_not_met = len({f.requirement.split(".")[0] + "." + f.requirement.split(".")[1]
                             for f in not_met if "." in f.requirement})
    score = (3 * len(red) + len(amber) + 2 * standards_not_met + min(len(overdue), 20) * 0.5
             + 2 * (flag_counts[Flag.PROVIDER_CONTRADICTED] > 0) + (flag_counts[Flag.REGULATORS_DISAGREE] > 0)
             + 5 * len(worst))
    return rating, tuple(reasons), round(float(score), 2)


# ------------------------------------------------------------------ the whole run


def provider_groups(settings: Sequence[SettingAssessment], owner_failing: dict[str, tuple[str, ...]],
                    rule: tuple[float, str] | None) -> tuple[ProviderGroup, ...]:
    """Settings by owner; a group stands out by THE provider-group rule (:mod:`regframe.assess.history_signals`).

    ``rule`` is the threshold of the framework's provider-group indicator and its basis in words;
    without that indicator no group stands out, and the basis says so.
    """
    by_owner: dict[str, list[SettingAssessment]] = defaultdict(list)
    names: dict[str, str] = {}
    for assessed in settings:
        owner = history_signals.owner_key(assessed.setting)
        if owner:
            by_owner[owner].append(assessed)
            names.setdefault(owner, " ".join(assessed.setting.owner.split()))
    groups = []
    for owner in sorted(by_owner, key=lambda o: names[o]):
        members = by_owner[owner]
        ratings = {r.value: sum(1 for m in members if m.rating is r) for r in Rating}
        failing = owner_failing.get(owner, ())
        stands_out = rule is not None and len(failing) >= rule[0]
        basis = rule[1] if rule is not None else "the framework has no provider-group indicator"
        groups.append(ProviderGroup(names[owner], tuple(sorted(m.setting.urn for m in members)), ratings, failing,
                                    stands_out, basis))
    groups.sort(key=lambda g: (not g.stands_out, -len(g.settings_with_failings), g.owner))
    return tuple(groups)


def assess(
    framework: Framework | RequirementGraph,
    evidence: EvidenceSet,
    as_at: dt.date,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> Assessment:
    """Assess every setting in ``evidence`` against ``framework`` as at ``as_at``.

    Settings appear in the result sorted worst first: red before amber before
    green, then by risk score, then by URN (so output is deterministic).
    """
    from regframe.assess.mapping import EvidenceMapper

    graph = framework if isinstance(framework, RequirementGraph) else build_graph(framework)
    framework_facts = FrameworkFacts(graph, as_at)
    mapper = EvidenceMapper(graph)
    problems: list[Diagnostic] = []

    def targets(item: EvidenceItem, kind: SettingKind) -> list:
        found, diagnostics = mapper.targets(item, kind)
        problems.extend(diagnostics)
        return found

    assessor = SettingAssessor(framework_facts, targets)
    items = evidence.items_by_setting()
    placements = evidence.placements_by_setting()
    metrics = evidence.metrics_by_setting()
    urns = sorted(evidence.settings)
    histories = build_histories(evidence)
    owner_failing = history_signals.owner_counts([evidence.settings[u] for u in urns], items, histories, as_at)
    results = []
    for index, urn in enumerate(urns):
        setting = evidence.settings[urn]
        results.append(assessor.assess(setting, items.get(urn, ()), placements.get(urn, ()), metrics.get(urn, ()),
                                       histories.get(urn), owner_failing))
        if progress is not None:
            progress(index + 1, len(urns))
    results.sort(key=lambda s: (s.rating.rank, -s.risk_score, s.setting.urn))

    used = {e for s in results for f in s.findings for e in f.evidence}
    index = {i.id: i for i in evidence.items if i.id in used}
    evidence_uses = tuple(
        EvidenceUse(i.id, i.setting, i.kind, i.source.value, i.observed, str(i.provenance) if i.provenance else "")
        for i in sorted(index.values(), key=lambda i: (i.setting, i.observed, i.id))
    )
    orphans = sorted(set(items) - set(evidence.settings))
    notes = list(evidence.notes)
    if orphans:
        notes.append(f"{len(orphans)} setting URN(s) have evidence but no setting record and were not assessed: "
                     + ", ".join(orphans[:10]) + ("…" if len(orphans) > 10 else ""))
    diagnostics = [str(d) for d in [*evidence.diagnostics, *_unique(problems)]]
    return Assessment(
        framework=graph.framework.id, framework_version=graph.framework.version, as_at=as_at,
        regframe_version=__version__, inputs=tuple(evidence.inputs), settings=tuple(results),
        groups=provider_groups(results, owner_failing, framework_facts.provider_group_rule()), evidence=evidence_uses, notes=tuple(notes), diagnostics=tuple(diagnostics),
    )


def _unique(problems: Iterable[Diagnostic]) -> list[Diagnostic]:
    return list(dict.fromkeys(problems))
