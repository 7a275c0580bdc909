"""What every setting of a kind shares, computed once per run: requirement facts and applicability.

**Applicability.** A requirement applies to a setting when it is in force on
``as_at``, names one of the setting's registrations (its Ofsted provision
type, plus CQC health provision where the setting has a CQC location id) in
``applies-to``, and, if an inspecting regulator (Ofsted or CQC) holds it, the
setting is registered with that regulator.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs

from regframe.assess.status import DEFAULT_WINDOW
from regframe.evidence.model import Setting
from regframe.framework.cadence import Duration
from regframe.framework.graph import RequirementGraph
from regframe.framework.model import Link, Regulator, Rel, Requirement, RequirementKind, SettingKind, Threshold

#: kinds of requirement that get a status (recommendations get a lens, indicators a level)
ASSESSED_KINDS = frozenset({
    RequirementKind.OUTCOME, RequirementKind.DUTY, RequirementKind.JUDGEMENT,
    RequirementKind.EVALUATION_AREA, RequirementKind.QUALITY_STATEMENT,
})
#: the regulators that inspect and register settings
INSPECTING = frozenset({Regulator.OFSTED, Regulator.CQC})


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
            window = (requirement.cadence.window() if requirement.cadence else None) or DEFAULT_WINDOW
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
        self._evidenced_by: dict[str, frozenset[str]] = {}
        self._thresholds = {r.id: tuple(t for t in r.thresholds if t.in_force(as_at)) for r in self.indicators}
        self._applicable: dict[tuple[SettingKind, bool], list[str]] = {}
        self.assessed_total = sum(1 for r in requirements if r.kind in ASSESSED_KINDS)
        #: evidence kinds that record events to count, not findings (``signal="true"`` in the vocabulary)
        self.signal_kinds = frozenset(kind.id for kind in graph.evidence_kinds() if kind.signal)
        #: requirements the provider holds (its own duties, which the reasons rank first)
        self.provider_held = frozenset(rid for rid, f in self.facts.items()
                                       if Regulator.PROVIDER in f.requirement.regulators)
        #: the most specific of a list of requirements, by the list, as the reasons name them
        #: (:mod:`regframe.assess.reasons`): the same few lists come up at setting after setting
        self.leaves: dict[tuple[str, ...], tuple[str, ...]] = {}

    def applicable(self, setting: Setting) -> list[str]:
        """Assessed requirements that apply to a setting, parents before their parts."""
        return self.applicable_to(setting.kind, setting.dual_registered)

    def applicable_to(self, kind: SettingKind, dual_registered: bool) -> list[str]:
        """Assessed requirements that apply to every setting of ``kind`` (registered with CQC too, or not)."""
        key = (kind, dual_registered)
        cached = self._applicable.get(key)
        if cached is None:
            cached = [rid for rid in self.order if self.facts[rid].requirement.kind in ASSESSED_KINDS
                      and self.applies_to(self.facts[rid].requirement, kind, dual_registered)]
            self._applicable[key] = cached
        return cached

    def applies(self, requirement: Requirement, setting: Setting) -> bool:
        return self.applies_to(requirement, setting.kind, setting.dual_registered)

    def applies_to(self, requirement: Requirement, kind: SettingKind, dual_registered: bool) -> bool:
        """The applicability rule (module docstring) for a setting of ``kind``, registered with CQC too or not."""
        if not requirement.in_force(self.as_at):
            return False
        registrations = {kind}
        registered_with = {Regulator.OFSTED} if kind is not SettingKind.CQC_HEALTH_PROVISION else set()
        if dual_registered or kind is SettingKind.CQC_HEALTH_PROVISION:
            registrations.add(SettingKind.CQC_HEALTH_PROVISION)
            registered_with.add(Regulator.CQC)
        if not registrations.intersection(requirement.applies_to):
            return False
        inspecting = INSPECTING.intersection(requirement.regulators)
        return not inspecting or bool(inspecting & registered_with)

    def evidenced_by(self, rid: str) -> frozenset[str]:
        """The evidence kinds a requirement is ``evidenced-by`` (looked up once each)."""
        found = self._evidenced_by.get(rid)
        if found is None:
            found = self._evidenced_by[rid] = frozenset(
                link.target for link in self.graph.links_out(rid, Rel.EVIDENCED_BY))
        return found

    def thresholds(self, indicator: Requirement) -> tuple[Threshold, ...]:
        """An indicator's thresholds in force at ``as_at``."""
        found = self._thresholds.get(indicator.id)
        return found if found is not None else tuple(t for t in indicator.thresholds if t.in_force(self.as_at))

    def indicators_for(self, kind: SettingKind) -> list[Requirement]:
        """The indicators in force that apply to a setting of ``kind`` (those naming no kind apply to every one)."""
        return [i for i in self.indicators if i.applies_to_kind(kind) or not i.applies_to]

    def is_suspect(self, via: Sequence[Link]) -> bool:
        return any((link.source, link.rel, link.target) in self.suspect for link in via)

    def provider_group_rule(self) -> tuple[float, str] | None:
        """The provider-group indicator's lowest threshold in force, and the rule in words (None without it)."""
        from regframe.assess import history_signals

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
