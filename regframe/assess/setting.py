"""Assessing one setting: the evidence indexed by requirement, each requirement judged, indicators, lens, rating.

This module orchestrates; the rules live in :mod:`~regframe.assess.status`
(statuses and flags), :mod:`~regframe.assess.overdue` (cadences),
:mod:`~regframe.assess.indicators` and :mod:`~regframe.assess.rating`.

Which evidence bears on a requirement: items mapped to it (see
:mod:`regframe.assess.mapping`); the positive and neutral items mapped to any
requirement it is part of (a "good" for reg 12 as a whole speaks for each of
its limbs); and the *negative* items mapped to any of its parts (a breach of
reg 35(3)(a) is a breach of reg 35). A negative finding about a whole standard
does not flow down to its limbs, because it does not say which limb failed:
the standard is not met, and its limbs are judged on what is known of them.

**How it is computed.** Nothing here is done per item and requirement. The
setting's items are sorted into classes in one pass (references, kind and
source: :mod:`regframe.assess.plan`), each class is summarised once for what the
status rules read (:mod:`regframe.assess.summary`), and each group of
requirements the plan knows to see the same evidence is judged once, from the
summaries of the classes reaching it (and groups that see the same evidence at
this setting, by its plan's :class:`~regframe.assess.plan.Shape`, together).
Only where a requirement's evidence differs from its group's (a part's negative
finding flowing up, a missed deadline, a crosswalk counterpart's word in its
flags) is it judged on its own.
The findings are not built: :class:`~regframe.assess.results.Findings` builds
them from the groups' judgements when a report reads them, so memory does not
grow with the number of met requirements. Nor are the setting's reasons put in
words: :class:`~regframe.assess.results.Reasons` words them when they are first
read, from what this module worked out for them (nothing it decides reads them).
"""

from __future__ import annotations

import datetime as dt
import functools
import operator
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence

from regframe.assess import history_signals  # (it registers the history metrics too)
from regframe.assess import indicators as indicator_rules
from regframe.assess.assurance import (
    COVERAGE_CLASSES,
    assurance_of,
    coverage_class,
    coverage_from,
    independent_sources,
)
from regframe.assess.classes import NEGATIVE, SettingEvidence
from regframe.assess.facts import FrameworkFacts
from regframe.assess.mapping import EvidenceMapper
from regframe.assess.overdue import CHILD_ANCHORS, Miss, misses
from regframe.assess.plan import ClassKey, KindPlan, Layout, Part, Route, Shape, Stretch
from regframe.assess.rating import REGULATORS, latest_judgements, rate, rated_good_but
from regframe.assess.reasons import reasons_for
from regframe.assess.results import (
    Finding,
    Findings,
    Flag,
    Headline,
    IndicatorResult,
    LensEntry,
    LensState,
    Rating,
    Reason,
    Reasons,
    SettingAssessment,
    Status,
)
from regframe.assess.status import FAILING_STATUSES, UNASSURED_STATUSES, Judgement, decide, flags_from
from regframe.assess.summary import Polarity, combine
from regframe.core.diagnostics import Diagnostic
from regframe.evidence.history import SettingHistory
from regframe.evidence.model import EvidenceItem, Metric, MetricValue, Placement, Setting, Source
from regframe.framework.cadence import Duration
from regframe.framework.model import Level, SettingKind

#: What each recommendation-lens state means (one wording, here beside the lens rule in ``SettingAssessor``).
LENS_MEANINGS = {
    LensState.FAILING: "A requirement the recommendation looks to is not met or overdue, or an indicator it names "
                       "is red.",
    LensState.AT_RISK: "A requirement it looks to is uncorroborated, stale or unevidenced, or an indicator is amber.",
    LensState.OK: "Everything it looks to is met.",
    LensState.NOT_APPLICABLE: "Nothing it looks to applies to this kind of setting.",
}


#: a requirement's judgement and flags at a setting; ``None`` where nothing at all bears on it
Outcome = tuple[Judgement, tuple[Flag, ...]]
#: the findings that weigh in the rating and the reasons: failing, or flagged as contradicted or disagreeing
NOTABLE_FLAGS = frozenset({Flag.PROVIDER_CONTRADICTED, Flag.REGULATORS_DISAGREE})


class _Compact:
    """A setting's findings as the assessment keeps them: one judgement and its flags per group, and the
    requirements that differ.

    The groups' judgements and flags are two lists side by side, not a list of pairs: a national run keeps
    some 230,000 groups' outcomes, and each pair would be one object more to make and for the collector to walk.
    """

    __slots__ = ("applicable", "group_of", "sizes", "judgements", "flags", "apart")

    def __init__(self, plan: KindPlan, layout: Layout, judgements: list[Judgement | None],
                 flags: list[tuple[Flag, ...]], apart: dict[int, Outcome | None]) -> None:
        self.applicable = plan.applicable
        self.group_of = layout.group_of
        self.sizes = layout.sizes
        self.judgements = judgements  # each group's judgement (None: nothing bears on it)
        self.flags = flags  # each group's flags (empty where it has no judgement)
        self.apart = apart  # place -> outcome, where it is not its group's

    def outcome(self, place: int) -> Outcome | None:
        apart = self.apart
        if place in apart:
            return apart[place]
        number = self.group_of[place]
        judgement = self.judgements[number]
        return (judgement, self.flags[number]) if judgement is not None else None

    def status_of(self, place: int) -> Status:
        """The status of the requirement at ``place`` (no evidence, where nothing bears on it)."""
        outcome = self.outcome(place)
        return outcome[0].status if outcome is not None else Status.NO_EVIDENCE

    def evidence(self) -> set[str]:
        """The ids of the items the findings rest on (a group's, where any member is judged with it)."""
        apart_of = Counter(self.group_of[place] for place in self.apart)
        found: set[str] = set()
        for number, judgement in enumerate(self.judgements):
            if judgement is not None and self.sizes[number] > apart_of.get(number, 0):
                found.update(judgement.evidence)
        for outcome in self.apart.values():
            if outcome is not None:
                found.update(outcome[0].evidence)
        return found

    def findings(self, wanted: frozenset[Status] | None = None) -> Iterator[Finding]:
        """Each applicable requirement's finding (of a ``wanted`` status), in order, built now (those with no
        evidence at all left out).

        A judgement shared by a group is worded once for this pass, and its words are let go after it:
        kept for the run, the words of a national run's judgements would hold some 35 MB.
        """
        worded: dict[int, tuple[Reason, ...]] = {}  # id of a judgement -> its reasons, for this pass only
        for rid, judgement, flags in self._judged():
            if wanted is not None and judgement.status not in wanted:
                continue
            reasons = worded.get(id(judgement))
            if reasons is None:
                reasons = worded[id(judgement)] = judgement.reasons
            yield Finding(rid, judgement.status, reasons, flags, judgement.evidence)

    def headlines(self) -> Iterator[Headline]:
        """Each finding as :meth:`findings` gives it, without its reasons' words."""
        for rid, judgement, flags in self._judged():
            yield Headline(rid, judgement.status, flags, judgement.evidence)

    def _judged(self) -> Iterator[tuple[str, Judgement, tuple[Flag, ...]]]:
        """Each applicable requirement with evidence, in order, with its judgement and flags."""
        judgements, flags, group_of, apart = self.judgements, self.flags, self.group_of, self.apart
        for place, rid in enumerate(self.applicable):
            if place in apart:
                outcome = apart[place]
                if outcome is not None:
                    yield rid, *outcome
                continue
            number = group_of[place]
            judgement = judgements[number]
            if judgement is not None:
                yield rid, judgement, flags[number]


class SettingAssessor:
    """Assess one setting at a time as at one date: statuses, indicators, lens and rating."""

    def __init__(self, framework_facts: FrameworkFacts, mapper: EvidenceMapper) -> None:
        self.ff = framework_facts
        self.mapper = mapper
        self._plans: dict[tuple[SettingKind, bool], KindPlan] = {}
        self._no_evidence: dict[tuple, tuple[str, ...]] = {}
        #: the lens entries made so far, one object for each that reads the same: a national run's 59,500 entries
        #: read 825 ways (they are frozen, so settings can share them)
        self._lens_entries: dict[tuple, LensEntry] = {}
        #: the same for indicator results, by indicator and metric, then by figure
        self._indicator_results: dict[tuple[str, str], dict[tuple, IndicatorResult]] = {}

    def plan(self, setting: Setting) -> KindPlan:
        """The plan every setting of this one's kind and registration shares (built once)."""
        key = (setting.kind, setting.dual_registered)
        found = self._plans.get(key)
        if found is None:
            found = self._plans[key] = KindPlan(self.ff, setting.kind, setting.dual_registered, self.mapper)
        return found

    def assess(
        self,
        setting: Setting,
        items: Sequence[EvidenceItem],
        placements: Sequence[Placement],
        metrics: Sequence[MetricValue],
        history: SettingHistory | None = None,
        owner_failing: Mapping[str, tuple[str, ...]] | None = None,
        problems: list[Diagnostic] | None = None,
        used: dict[str, EvidenceItem] | None = None,
    ) -> SettingAssessment:
        """Assess ``setting`` on its own records.

        The mapping's problems with its items are added to ``problems``, and the items its findings rest on
        to ``used``, by id (without building the findings; of two items with one id, the later).
        """
        ff, as_at = self.ff, self.ff.as_at
        plan = self.plan(setting)
        active = _one_per_child(p for p in placements if p.active_on(as_at))

        # the items by class, in one pass (and by kind, for the cadences and the reasons)
        by_key: dict[ClassKey, list[int]] = {}
        items_by_kind: dict[str, list[EvidenceItem]] = defaultdict(list)
        for place, item in enumerate(items):
            # the source by its value: hashing an enum member runs Python code, and this runs for every item
            key = (item.references, item.kind, item.source._value_)
            places = by_key.get(key)
            if places is None:
                by_key[key] = [place]
            else:
                places.append(place)
            items_by_kind[item.kind].append(item)
        routes = [(plan.route(key), places) for key, places in by_key.items()]
        if problems is not None and any(route.problems for route, _ in routes):
            troubled = sorted((place, route) for route, places in routes if route.problems for place in places)
            for place, route in troubled:  # in the order of the items, as the mapping meets them
                for kind in route.kinds:
                    problems.extend(self.mapper.targets(items[place], kind)[1])
        evidence = SettingEvidence(items, {route.bit: places for route, places in routes}, ff.signal_kinds, as_at)
        present = 0
        for route, _ in routes:
            present |= 1 << route.bit
        shape = plan.shape(present)  # the layout as settings whose items fall in these classes see it
        layout = plan.layout()
        judge = _Judge(plan, evidence)

        # each group judged once, and groups that see the same evidence together
        judged = judge.shape(shape)
        judgements = [judged[number] if number is not None else None for number in shape.judged]
        group_stretches = shape.stretches

        # the requirements judged apart: negatives of their parts, missed deadlines
        negative = 0  # the mask of the classes holding a negative finding or an action
        for route, _ in routes:
            if evidence.has_negative(route.bit):
                negative |= 1 << route.bit
        parts_of = self._parts(plan, routes, present, negative) if negative else {}
        overdue_children: dict[str, set[str]] = defaultdict(set)
        late: dict[int, Sequence[Miss]] = {}
        misses_of: dict[str, Sequence[Miss]] = {}
        current: dict[str, list[EvidenceItem]] = {}  # the records of each cadence's kind observed by as_at
        delays: dict[tuple[str, dt.date, dt.date], list[tuple[int, EvidenceItem]]] = {}  # those answering events
        for place in plan.cadenced:
            requirement = ff.facts[plan.applicable[place]].requirement
            cadence = requirement.cadence
            assert cadence is not None
            records = cadence.evidence_kind
            if records is not None and records not in current:
                current[records] = [i for i in items_by_kind.get(records, []) if i.observed <= as_at]
            found_misses = misses_of[requirement.id] = misses(requirement, setting, active, current, as_at,
                                                              current=True, delays=delays, terms=plan.terms.get(place))
            if found_misses:
                late[place] = found_misses
                if cadence.anchor in CHILD_ANCHORS:  # only a child's cadence names a child
                    children = {m.child for m in found_misses if m.child is not None}
                    if children and cadence.evidence_kind:
                        overdue_children[cadence.evidence_kind] |= children
        apart_judgements: dict[int, Judgement | None] = {}
        for place in sorted(set(parts_of) | set(late)):
            number = layout.group_of[place]
            stretches = (group_stretches[number] or ()) + parts_of.get(place, ())
            found = judge(stretches, plan.window[place], plan.start[place], late.get(place, ()))
            if found is not judgements[number]:
                apart_judgements[place] = found

        # flags: once per judgement, except where a crosswalk counterpart's word counts too
        flags = _Flags()
        group_flags = [flags(judgement, group.joint) if judgement is not None else ()
                       for group, judgement in zip(layout.groups, judgements, strict=True)]
        apart: dict[int, Outcome | None] = {
            place: (judgement, flags(judgement, plan.joint[place])) if judgement is not None else None
            for place, judgement in apart_judgements.items()
        }

        def judgement_of(place: int) -> Judgement | None:
            return apart_judgements[place] if place in apart_judgements else judgements[group_of[place]]

        group_of = layout.group_of
        for place, counterparts in plan.counterparts:
            judgement = judgement_of(place)
            if judgement is None:
                continue
            others = [other for other in map(judgement_of, counterparts) if other is not None]
            own_flags = flags.with_counterparts(judgement, plan.joint[place], others)
            if own_flags is not None and own_flags != flags(judgement, plan.joint[place]):
                apart[place] = (judgement, own_flags)
        compact = _Compact(plan, layout, judgements, group_flags, apart)
        # the items the findings rest on, by id (of two with one id, the later, as everything reading them by id
        # takes it): found once for the rating, the reasons and the caller
        rest_on = compact.evidence()
        relied = {item.id: item for item in items if item.id in rest_on} if rest_on else {}
        if used is not None:
            used.update(relied)

        # what the rating, assurance, coverage and the reasons read, counted once for each distinct evidence
        count = _Counts()
        count.add_each(judged, shape.held)  # the groups seeing one evidence together
        count.add(None, shape.unreached, 1)
        for place, outcome in apart.items():
            held = ((plan.held[place], 1),)
            count.add(outcome[0] if outcome is not None else None, held, 1)
            count.add(judgements[layout.group_of[place]], held, -1)
        nothing = [number for number, judgement in enumerate(judgements) if judgement is None]  # groups with no evidence
        tally, evidenced, covered = count.tally, count.evidenced, count.coverage()
        no_evidence = self._unevidenced(plan, layout, frozenset(nothing), apart)
        tally[Status.NO_EVIDENCE] += len(no_evidence)
        tally[Status.NOT_APPLICABLE] = ff.assessed_total - len(plan.applicable)
        counts = {status.value: number for status, number in tally.items()}
        notable = list(_notable(compact, layout))

        by_metric: dict[Metric, list[MetricValue]] = defaultdict(list)
        for figure in metrics:
            by_metric[figure.metric].append(figure)
        # the one owner's count the rules read, as it is now: the reasons are worded when first read, and the
        # caller may count again by then (what else they read is made here: the items by kind, metric and id)
        counted = owner_failing or {}
        owner = history_signals.owner_key(setting) if counted else ""
        facts = indicator_rules.SettingFacts(setting, as_at, metrics, active, items,
                                             {kind: frozenset(c) for kind, c in overdue_children.items()},
                                             history, {owner: counted[owner]} if owner in counted else {},
                                             items_by_kind, by_metric)
        indicator_results = [result for indicator, by_metric in plan.indicators
                             for result in indicator_rules.evaluate_scales(indicator, by_metric, facts,
                                                                           self._indicator_results)]
        lens = self._lens(plan, compact, indicator_results)
        # the rules below read only some items: each class is of one source, and its negative side is known
        regulators = latest_judgements(_of_sources(items, by_key, REGULATOR_VALUES), as_at)
        cited = {e for headline in notable if headline.status is Status.NOT_MET for e in headline.evidence}
        rating, rating_reasons, score = rate(notable, indicator_results, [relied[e] for e in cited if e in relied],
                                             as_at, regulators)
        sources = independent_sources(_of_sources(items, by_key, NOT_PROVIDER_VALUES), as_at)
        assurance, assurance_reasons = assurance_of(setting, len(plan.applicable), evidenced, regulators, sources,
                                                    indicator_results, as_at)
        against = [entry[1] for route, _places in routes if negative >> route.bit & 1
                   for entry in evidence.entries(route.bit, NEGATIVE)]  # negative findings and actions
        flag = rated_good_but(regulators, against, indicator_results, as_at)
        # worded when a report first reads them (nothing above reads their words)
        reasons = Reasons(functools.partial(
            reasons_for, ff, facts, notable, indicator_results, regulators, flag, items_by_kind, misses=misses_of,
            relied=relied, sources=_current_sources(items, by_key, as_at),
        )) if rating is not Rating.GREEN or flag is not None else ()
        return SettingAssessment(
            setting=setting, rating=rating, rating_reasons=rating_reasons, risk_score=score, counts=counts,
            findings=Findings(len(plan.applicable) - len(no_evidence), compact.findings, compact.headlines,
                              compact.findings), no_evidence=no_evidence,
            indicators=tuple(indicator_results), lens=lens, children=len({p.child for p in active}),
            assurance=assurance, assurance_reasons=assurance_reasons, reasons=reasons, rated_good_but=flag,
            judgements=regulators, coverage=coverage_from(covered), independent_sources=sources,
        )

    def _parts(self, plan: KindPlan, routes: Sequence[tuple[Route, list[int]]], present: int,
               negative: int) -> dict[int, tuple[Stretch, ...]]:
        """For each applicable requirement a part of which has negative evidence here (in the classes of the
        mask ``negative``): those parts' stretches.

        In the order the parts were first reached by an item (the order the negatives flow up in).
        """
        firsts = {route.bit: places[0] for route, places in routes}
        reached: dict[str, tuple[int, int]] = {}  # part -> when the setting's items first reached it
        for route, _places in routes:
            if not negative >> route.bit & 1:
                continue
            for rid, _suspect in route.targets:
                if rid in reached:
                    continue
                mask, _ = plan.profile(rid)
                reached[rid] = min((firsts[bit], plan.route_position(bit, rid)) for bit in plan.bits(mask & present))
        received: dict[int, list[tuple[tuple[int, int], Stretch]]] = defaultdict(list)
        facts = self.ff.facts
        for rid, first in reached.items():
            mask, suspect = plan.profile(rid)
            stretch = (NEGATIVE, mask & present & negative, suspect & present & negative)
            node = facts[rid].parent if rid in facts else None
            while node is not None:
                place = plan.position.get(node)
                if place is not None:
                    received[place].append((first, stretch))
                node = facts[node].parent
        return {place: tuple(stretch for _first, stretch in sorted(found, key=lambda pair: pair[0]))
                for place, found in received.items()}

    def _unevidenced(self, plan: KindPlan, layout: Layout, nothing: frozenset[int],
                     apart: dict[int, Outcome | None]) -> tuple[str, ...]:
        """The applicable requirements nothing bears on, in order (one tuple for all the settings alike)."""
        differ = tuple(sorted((place, outcome is None) for place, outcome in apart.items()
                              if (outcome is None) != (layout.group_of[place] in nothing)))
        key = (plan.kind, plan.dual_registered, layout.classes, nothing, differ)
        found = self._no_evidence.get(key)
        if found is None:
            flipped = dict(differ)
            found = tuple(rid for place, rid in enumerate(plan.applicable)
                          if flipped.get(place, layout.group_of[place] in nothing))
            self._no_evidence[key] = found
        return found

    def _lens(self, plan: KindPlan, compact: _Compact,
              indicator_results: Sequence[IndicatorResult]) -> tuple[LensEntry, ...]:
        levels: dict[str, Level] = {}
        for result in indicator_results:
            if result.level is Level.RED or (result.level is Level.AMBER and levels.get(result.indicator) is not Level.RED):
                levels[result.indicator] = result.level
        status_of = compact.status_of
        known = self._lens_entries
        entries = []
        for recommendation, applicable, indicator_ids in plan.lens:  # the indicators worked out here
            failing_ids: list[str] = []
            at_risk_ids: list[str] = []
            for rid, place in applicable:
                status = status_of(place)
                if status in FAILING_STATUSES:
                    failing_ids.append(rid)
                if status in UNASSURED_STATUSES:
                    at_risk_ids.append(rid)
            failing, at_risk = tuple(failing_ids), tuple(at_risk_ids)
            flagged = tuple([i for i in indicator_ids if i in levels]) if levels else ()
            if not applicable and not indicator_ids:
                state = LensState.NOT_APPLICABLE
            elif failing or any(levels[i] is Level.RED for i in flagged):
                state = LensState.FAILING
            elif at_risk or flagged:
                state = LensState.AT_RISK
            else:
                state = LensState.OK
            key = (recommendation, state._value_, failing, at_risk, flagged)  # (an enum member hashes in Python)
            entry = known.get(key)
            if entry is None:
                entry = known[key] = LensEntry(recommendation, state, failing, at_risk, flagged)
            entries.append(entry)
        return tuple(entries)


class _Judge:
    """Judges requirements at one setting from the summaries of the classes reaching them (each judgement once)."""

    __slots__ = ("plan", "evidence", "as_at", "_memo")

    def __init__(self, plan: KindPlan, evidence: SettingEvidence) -> None:
        self.plan = plan
        self.evidence = evidence
        self.as_at = evidence.as_at
        self._memo: dict[tuple, Judgement | None] = {}

    def __call__(self, stretches: tuple[Stretch, ...], window: Duration, start: dt.date,
                 late: Sequence[Miss] = ()) -> Judgement | None:
        """The judgement of the evidence in ``stretches``, with these missed deadlines; ``None`` if it is empty."""
        key = (stretches, start, window.amount, window.unit._value_)  # a Duration's hash runs Python code
        if not late and key in self._memo:  # a requirement with missed deadlines is judged on its own
            return self._memo[key]
        judgement = self.parts(self.plan.parts(stretches), window, start, late)
        if not late:
            self._memo[key] = judgement
        return judgement

    def shape(self, shape: Shape) -> list[Judgement | None]:
        """The judgement of each distinct evidence of ``shape`` (``None`` where it is empty), its summaries
        looked up once for all of them."""
        summary = self.evidence.summary
        live = [made if (made := summary(bit, which, start)).entries else None
                for bit, which, start in shape.summaries]
        as_at = self.as_at
        judged: list[Judgement | None] = []
        for slots, (_parts, window, _start) in zip(shape.slots, shape.evidence, strict=True):
            found = [(segment, stretch, suspect) for segment, slot, suspect in slots
                     if (stretch := live[slot]) is not None]
            judged.append(decide(combine(found), as_at, window) if found else None)
        return judged

    def parts(self, parts: Sequence[Part], window: Duration, start: dt.date,
              late: Sequence[Miss] = ()) -> Judgement | None:
        """The judgement of the evidence in ``parts`` (:meth:`KindPlan.parts <regframe.assess.plan.KindPlan.parts>`),
        with these missed deadlines; ``None`` if it is empty."""
        summaries, summary = self.evidence.summaries, self.evidence.summary
        found = []
        for segment, which, bit, suspect in parts:
            stretch = summaries.get((bit, which, start))
            if stretch is None:
                stretch = summary(bit, which, start)
            if stretch.entries:
                found.append((segment, stretch, suspect))
        return decide(combine(found), self.as_at, window, late) if found or late else None


class _Flags:
    """Judgements' flags at one setting, worked out once for each combination of what they are read from.

    A judgement's flags read only its regulators' latest words, whether the provider was contradicted,
    whether a link was suspect, and the joint registration: a setting's few hundred judgements show a few
    dozen combinations of those. The regulators' latest words are one of a few shared dicts
    (:func:`~regframe.assess.status.decide`), known here by identity: every judgement holding one outlives the memo.
    """

    __slots__ = ("_memo",)

    def __init__(self) -> None:
        self._memo: dict[tuple[int, bool, bool, bool], tuple[Flag, ...]] = {}

    def __call__(self, judgement: Judgement, joint: bool) -> tuple[Flag, ...]:
        latest = judgement.latest_by_regulator
        key = (id(latest), judgement.provider_contradicted, judgement.suspect, joint)
        found = self._memo.get(key)
        if found is None:
            found = self._memo[key] = flags_from(latest, judgement, joint)
        return found

    def with_counterparts(self, judgement: Judgement, joint: bool,
                          counterparts: Iterable[Judgement]) -> tuple[Flag, ...] | None:
        """The flags of a requirement whose crosswalk counterparts' latest words count where its own are silent;
        ``None`` where they name no regulator its own words do not (its own flags stand)."""
        own = judgement.latest_by_regulator
        adding = [other for other in counterparts if not other.latest_by_regulator.keys() <= own.keys()]
        if not adding:
            return None
        latest: dict[Source, Polarity] = dict(own)
        for other in adding:
            for source, value in other.latest_by_regulator.items():
                latest.setdefault(source, value)
        return flags_from(latest, judgement, joint)


class _Counts:
    """The status and coverage counts of a setting, added up for each distinct evidence of its shape (and
    corrected where a requirement's outcome differs from its group's)."""

    __slots__ = ("tally", "evidenced", "_covered")

    def __init__(self) -> None:
        self.tally: dict[Status, int] = dict.fromkeys(Status, 0)
        self.evidenced = 0  # requirements independently evidenced in their window
        self._covered: dict[tuple[tuple[str, ...], str], int] = defaultdict(int)  # (holders, class) -> requirements

    def add(self, judgement: Judgement | None, held: Sequence[tuple[tuple[str, ...], int]], sign: int) -> None:
        """Add (or, with ``sign`` -1, take away) requirements with one judgement (``None``: no evidence at all),
        ``held`` by these regulators."""
        self.add_each((judgement,), (held,), sign)

    def add_each(self, judgements: Sequence[Judgement | None],
                 helds: Sequence[Sequence[tuple[tuple[str, ...], int]]], sign: int = 1) -> None:
        """:meth:`add` each of some judgements, with the requirements each set of regulators holds of each."""
        tally, covered = self.tally, self._covered
        evidenced = 0
        for judgement, held in zip(judgements, helds, strict=True):
            cls = coverage_class(judgement)
            total = 0
            for regulators, number in held:
                total += number
                covered[(regulators, cls)] += sign * number
            if judgement is not None:
                tally[judgement.status] += sign * total
            if cls == "evidenced":
                evidenced += sign * total
        self.evidenced += evidenced

    def coverage(self) -> dict[str, dict[str, int]]:
        """Regulator -> coverage class -> requirements (a requirement both hold counts for each)."""
        covered: dict[str, dict[str, int]] = {}
        for (regulators, cls), number in self._covered.items():
            for regulator in regulators:
                covered.setdefault(regulator, dict.fromkeys(COVERAGE_CLASSES, 0))[cls] += number
        return covered


def _notable(compact: _Compact, layout: Layout) -> Iterator[Headline]:
    """The findings that are failing, or flagged as contradicted or disagreeing, in order (their reasons unworded)."""
    def notable(judgement: Judgement | None, flags: tuple[Flag, ...]) -> bool:
        return judgement is not None and (judgement.status in FAILING_STATUSES or not NOTABLE_FLAGS.isdisjoint(flags))

    apart = compact.apart
    places = {place for number, group in enumerate(layout.groups)
              if notable(compact.judgements[number], compact.flags[number]) for place in group.members}
    places.difference_update(apart)
    places.update(place for place, outcome in apart.items() if outcome is not None and notable(*outcome))
    for place in sorted(places):
        outcome = compact.outcome(place)
        assert outcome is not None  # only places with an outcome are notable
        judgement, flags = outcome
        yield Headline(compact.applicable[place], judgement.status, flags, judgement.evidence)


#: the sources (by value) of the items the regulators' latest judgements are read from, and of those other than
#: the provider's (the independent sources)
REGULATOR_VALUES = frozenset(source.value for source in REGULATORS)
NOT_PROVIDER_VALUES = frozenset(source.value for source in Source if source is not Source.PROVIDER)


def _of_sources(items: Sequence[EvidenceItem], by_key: Mapping[ClassKey, list[int]],
                values: frozenset[str]) -> list[EvidenceItem]:
    """The items of these sources, in their order, found class by class (each class is of one source)."""
    return [items[place] for place in sorted(place for (_refs, _kind, value), places in by_key.items()
                                             if value in values for place in places)]


def _current_sources(items: Sequence[EvidenceItem], by_key: Mapping[ClassKey, list[int]],
                     as_at: dt.date) -> dict[str, list[str]]:
    """The sources (values, sorted) of the items of each evidence kind observed by ``as_at``, found class by class
    (each class is of one kind and one source: one current item is enough to name its source)."""
    found: dict[str, set[str]] = defaultdict(set)
    for (_refs, kind, value), places in by_key.items():
        if value not in found[kind] and any(items[place].observed <= as_at for place in places):
            found[kind].add(value)
    return {kind: sorted(values) for kind, values in found.items() if values}


_BY_CHILD = operator.attrgetter("child")


def _one_per_child(placements: Iterable[Placement]) -> list[Placement]:
    """The same child reported by two sources (an LA return and an SSDA903 extract) is one placement.

    The record that says most about the placement is kept.
    """
    placements = list(placements)
    if len({p.child for p in placements}) == len(placements):  # each child reported once: most settings
        return sorted(placements, key=_BY_CHILD)
    best: dict[str, Placement] = {}
    for placement in placements:
        known = sum(getattr(placement, name) not in (None, "") for name in ("distance_miles", "weeks_per_year", "looked_after", "ehc_plan"))
        current = best.get(placement.child)
        if current is None or known > sum(getattr(current, n) not in (None, "") for n in ("distance_miles", "weeks_per_year", "looked_after", "ehc_plan")):
            best[placement.child] = placement
    return [best[child] for child in sorted(best)]

