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
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence

from regframe.assess import history_signals  # noqa: F401  (registers the history metrics)
from regframe.assess import indicators as indicator_rules
from regframe.assess.assurance import assure, coverage, independent_sources
from regframe.assess.facts import INSPECTING, FrameworkFacts
from regframe.assess.mapping import mapping_kinds
from regframe.assess.overdue import cadence_misses
from regframe.assess.rating import latest_judgements, rate, rated_good_but
from regframe.assess.reasons import reasons_for
from regframe.assess.results import (
    Finding,
    Flag,
    IndicatorResult,
    LensEntry,
    LensState,
    Rating,
    SettingAssessment,
    Status,
)
from regframe.assess.status import (
    FAILING_STATUSES,
    UNASSURED_STATUSES,
    Judgement,
    Polarity,
    Seen,
    flags_from,
    is_negative,
    judge,
    polarity,
)
from regframe.evidence.history import SettingHistory
from regframe.evidence.model import EvidenceItem, Placement, Setting, Source
from regframe.framework.model import Level, SettingKind

#: What each recommendation-lens state means (one wording, here beside the lens rule in ``SettingAssessor``).
LENS_MEANINGS = {
    LensState.FAILING: "A requirement the recommendation looks to is not met or overdue, or an indicator it names "
                       "is red.",
    LensState.AT_RISK: "A requirement it looks to is uncorroborated, stale or unevidenced, or an indicator is amber.",
    LensState.OK: "Everything it looks to is met.",
    LensState.NOT_APPLICABLE: "Nothing it looks to applies to this kind of setting.",
}


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
        owner_failing: Mapping[str, tuple[str, ...]] | None = None,
    ) -> SettingAssessment:
        ff, as_at = self.ff, self.ff.as_at
        active = _one_per_child(p for p in placements if p.active_on(as_at))
        own: dict[str, list[Seen]] = defaultdict(list)
        items_by_kind: dict[str, list[EvidenceItem]] = defaultdict(list)
        for item in items:
            items_by_kind[item.kind].append(item)
            item_polarity = polarity(item, ff.signal_kinds)
            seen_here: set[str] = set()
            for kind in mapping_kinds(item, setting):
                for target in self.targets(item, kind):
                    if target.requirement not in seen_here:
                        seen_here.add(target.requirement)
                        own[target.requirement].append(Seen(item, item_polarity, ff.is_suspect(target.via)))

        applicable = ff.applicable(setting)
        applicable_set = set(applicable)
        from_parts: dict[str, list[Seen]] = defaultdict(list)
        for rid, seen in own.items():
            negative = [s for s in seen if is_negative(s)]
            node = ff.facts[rid].parent if rid in ff.facts else None
            while negative and node is not None:
                from_parts[node].extend(negative)
                node = ff.facts[node].parent

        overdue_children: dict[str, set[str]] = defaultdict(set)
        overdue: dict[str, list[str]] = {}
        for rid in applicable:
            requirement = ff.facts[rid].requirement
            if requirement.cadence is not None:
                messages, children = cadence_misses(requirement, setting, active, items_by_kind, as_at)
                if messages:
                    overdue[rid] = messages
                if children and requirement.cadence.evidence_kind:
                    overdue_children[requirement.cadence.evidence_kind] |= children

        inherited: dict[str, tuple[Seen, ...]] = {}
        judgements: dict[str, Judgement] = {}
        memo: dict[tuple, Judgement] = {}
        for rid in applicable:
            about = ff.facts[rid]
            above = inherited.get(about.parent, ()) if about.parent else ()
            mine = own.get(rid)
            visible = above + tuple(mine) if mine else above
            inherited[rid] = above + tuple(x for x in mine if not is_negative(x)) if mine else above
            parts = from_parts.get(rid, ())
            late = tuple(overdue.get(rid, ()))
            if not visible and not parts and not late:
                continue
            # Keyed on objects that live as long as this loop (ids of temporaries could be reused):
            # limbs that see exactly their parent's evidence share one judgement.
            key = (id(above), id(mine) if mine else None, id(parts) if parts else None, about.window, late)
            judgement = memo.get(key)
            if judgement is None:
                judgement = judge(visible + tuple(parts), as_at, about.window, late)
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

        facts = indicator_rules.SettingFacts(setting, as_at, metrics, active, items,
                                             {kind: frozenset(c) for kind, c in overdue_children.items()},
                                             history, owner_failing or {})
        indicator_results = [
            result
            for indicator in ff.indicators if indicator.applies_to_kind(setting.kind) or not indicator.applies_to
            for result in indicator_rules.evaluate(indicator, facts)
        ]
        by_id = {f.requirement: f.status for f in findings} | {rid: Status.NO_EVIDENCE for rid in no_evidence}
        lens = self._lens(by_id, indicator_results)
        regulators = latest_judgements(items, as_at)
        rating, rating_reasons, score = rate(findings, indicator_results, items, as_at, regulators)
        sources = independent_sources(items, as_at)
        assurance, assurance_reasons = assure(setting, findings, no_evidence, regulators, sources,
                                              indicator_results, as_at)
        flag = rated_good_but(regulators, items, indicator_results, as_at)
        reasons = reasons_for(ff, facts, findings, indicator_results, regulators, flag, items_by_kind) \
            if rating is not Rating.GREEN or flag is not None else ()
        return SettingAssessment(
            setting=setting, rating=rating, rating_reasons=rating_reasons, risk_score=score, counts=counts,
            findings=tuple(findings), no_evidence=tuple(no_evidence), indicators=tuple(indicator_results),
            lens=lens, children=len({p.child for p in active}),
            assurance=assurance, assurance_reasons=assurance_reasons, reasons=reasons, rated_good_but=flag,
            judgements=regulators, coverage=coverage(findings, no_evidence, lambda rid: ff.facts[rid].requirement.regulators),
            independent_sources=sources,
        )

    def _flags(self, rid: str, judgement: Judgement, judgements: dict[str, Judgement],
               applicable: set[str], setting: Setting, memo: dict) -> tuple[Flag, ...]:
        facts = self.ff.facts[rid]
        joint = setting.dual_registered and INSPECTING <= facts.holders
        if not facts.counterparts:
            key = (id(judgement), joint)
            known = memo.get(key)
            if known is None:
                known = memo[key] = flags_from(judgement.latest_by_regulator, judgement, joint)
            return known
        latest: dict[Source, Polarity] = dict(judgement.latest_by_regulator)
        for member in facts.counterparts:
            found = judgements.get(member) if member in applicable else None
            if found is not None:
                for source, value in found.latest_by_regulator.items():
                    latest.setdefault(source, value)
        return flags_from(latest, judgement, joint)

    def _lens(self, statuses: dict[str, Status], indicator_results: Sequence[IndicatorResult]) -> tuple[LensEntry, ...]:
        levels: dict[str, Level] = {}
        for result in indicator_results:
            if result.level is Level.RED or (result.level is Level.AMBER and levels.get(result.indicator) is not Level.RED):
                levels[result.indicator] = result.level
        entries = []
        for recommendation in self.ff.recommendations:
            addressed = self.ff.addressed[recommendation.id]
            relevant = [a for a in addressed if a in statuses]
            indicator_ids = [a for a in addressed if a in {r.indicator for r in indicator_results}]
            failing = tuple(a for a in relevant if statuses[a] in FAILING_STATUSES)
            at_risk = tuple(a for a in relevant if statuses[a] in UNASSURED_STATUSES)
            flagged = tuple(i for i in indicator_ids if i in levels)
            if not relevant and not indicator_ids:
                state = LensState.NOT_APPLICABLE
            elif failing or any(levels[i] is Level.RED for i in flagged):
                state = LensState.FAILING
            elif at_risk or flagged:
                state = LensState.AT_RISK
            else:
                state = LensState.OK
            entries.append(LensEntry(recommendation.id, state, failing, at_risk, flagged))
        return tuple(entries)



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

