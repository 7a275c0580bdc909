"""What a revision changes: requirements added, withdrawn, changed and renamed, links, and coverage.

``diff(base, revised, today=day)`` compares two frameworks by stable id, so a renumbered
provision is a rename, not a removal and an addition. Its centre is the
coverage of each of the Panel's recommendations: which requirements in force
give it force before and after, and whether it lost or gained all of them.
Indicators are shown beside that but never count as force: they measure, they
oblige nobody. Rendering lives in :mod:`regframe.report.diff`.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable

import attrs

from regframe.core.text import natural_key
from regframe.framework.cadence import Cadence
from regframe.framework.graph import RequirementGraph
from regframe.framework.model import Citation, Framework, Link, Requirement, RequirementKind, Threshold

#: Kinds that never give a recommendation force: they measure or record, they oblige nobody.
NOT_FORCE = frozenset({RequirementKind.INDICATOR, RequirementKind.RECOMMENDATION, RequirementKind.FINDING})

#: Fields compared for "changed", in the order a reader expects them.
COMPARED_FIELDS = (
    "title", "statement", "kind", "confidence", "regulators", "applies_to", "effective_from",
    "cadence", "thresholds", "citation", "note", "instrument",
)


class CoverageStatus(enum.Enum):
    """How a recommendation's force changed."""

    LOST = "lost"  # had force, has none
    GAINED = "gained"  # had none, has some
    CHANGED = "changed"  # has force before and after, from different requirements
    UNCHANGED = "unchanged"  # the same requirements give it force
    UNADDRESSED = "unaddressed"  # nothing gives it force, before or after


@attrs.frozen
class FrameworkRef:
    id: str
    version: str


@attrs.frozen
class AddedRequirement:
    id: str
    ref: str
    kind: str
    title: str
    instrument: str
    regulators: tuple[str, ...]
    effective_from: dt.date
    confidence: str


@attrs.frozen
class RemovedRequirement:
    """A requirement missing from the revised framework altogether (revisions withdraw instead)."""

    id: str
    ref: str
    title: str


@attrs.frozen
class WithdrawnRequirement:
    """A requirement whose end date was set or moved; ``after`` None means reinstated."""

    id: str
    ref: str
    title: str
    before: dt.date | None
    after: dt.date | None


@attrs.frozen
class FieldChange:
    field: str
    before: str
    after: str


@attrs.frozen
class ChangedRequirement:
    id: str
    ref: str
    title: str
    fields: tuple[FieldChange, ...]

    @property
    def field_names(self) -> tuple[str, ...]:
        return tuple(f.field for f in self.fields)


@attrs.frozen
class RenamedRequirement:
    id: str
    before: str
    after: str


@attrs.frozen
class LinkRow:
    source: str
    rel: str
    target: str
    relationship: str | None = None
    confidence: str | None = None


@attrs.frozen
class SuspectLink:
    """A link the revision leaves pointing at a target that changed; someone should re-review it."""

    source: str
    rel: str
    target: str
    fingerprint: str | None
    reason: str


@attrs.frozen
class RecommendationCoverage:
    """What gives one recommendation force (requirements in force addressing it), before and after."""

    id: str
    ref: str
    title: str
    status: CoverageStatus
    before: tuple[str, ...]
    after: tuple[str, ...]
    lost: tuple[str, ...]
    gained: tuple[str, ...]
    indicators_before: tuple[str, ...]
    indicators_after: tuple[str, ...]


@attrs.frozen
class RouteRow:
    """One citation route (where a bare citation is read), numbered in the order routes are tried."""

    order: int
    source: str | None
    setting_kind: str | None
    instrument: str


@attrs.frozen
class FrameworkDiff:
    base: FrameworkRef
    revised: FrameworkRef
    as_at: dt.date
    added: tuple[AddedRequirement, ...] = ()
    removed: tuple[RemovedRequirement, ...] = ()
    withdrawn: tuple[WithdrawnRequirement, ...] = ()
    changed: tuple[ChangedRequirement, ...] = ()
    renamed: tuple[RenamedRequirement, ...] = ()
    links_added: tuple[LinkRow, ...] = ()
    links_removed: tuple[LinkRow, ...] = ()
    suspect_links: tuple[SuspectLink, ...] = ()
    coverage: tuple[RecommendationCoverage, ...] = ()
    #: both frameworks' citation routes when they differ (empty when the revision keeps the base's):
    #: a changed table changes where bare citations in evidence are read, so what they map onto
    routes_before: tuple[RouteRow, ...] = ()
    routes_after: tuple[RouteRow, ...] = ()

    def coverage_with(self, *statuses: CoverageStatus) -> list[RecommendationCoverage]:
        return [c for c in self.coverage if c.status in statuses]

    @property
    def uncovered(self) -> list[RecommendationCoverage]:
        """Recommendations the revision leaves with no force at all, having had some."""
        return self.coverage_with(CoverageStatus.LOST)

    @property
    def routes_changed(self) -> bool:
        return bool(self.routes_before or self.routes_after)

    @property
    def is_empty(self) -> bool:
        return not any((self.added, self.removed, self.withdrawn, self.changed, self.renamed,
                        self.links_added, self.links_removed, self.routes_changed))


# ---------------------------------------------------------------- rendering field values as text


def _cadence_text(cadence: Cadence | None) -> str:
    if cadence is None:
        return ""
    evidence = f" [evidence {cadence.evidence_kind}]" if cadence.evidence_kind else ""
    return f"from {cadence.anchor}: {cadence.describe()}{evidence}"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def threshold_text(threshold: Threshold) -> str:
    text = f"{threshold.metric} {threshold.comparison.value} {_number(threshold.value)} {threshold.level.value}"
    if threshold.start is not None:
        text += f" from {threshold.start.isoformat()}"
    if threshold.end is not None:
        text += f" to {threshold.end.isoformat()}"
    return text


def _citation_text(citation: Citation) -> str:
    text = f"{citation.instrument}, {citation.provision}, {citation.url}, checked {citation.last_checked.isoformat()}"
    return text + (f" ({citation.note})" if citation.note else "")


def field_text(requirement: Requirement, name: str) -> str:
    """One field of a requirement as a policy officer would read it."""
    match name:
        case "kind" | "confidence":
            return getattr(requirement, name).value
        case "regulators" | "applies_to":
            return ", ".join(item.value for item in getattr(requirement, name))
        case "effective_from":
            return requirement.effective.start.isoformat()
        case "cadence":
            return _cadence_text(requirement.cadence)
        case "thresholds":
            return "; ".join(threshold_text(t) for t in requirement.thresholds)
        case "citation":
            return _citation_text(requirement.citation)
        case _:
            return str(getattr(requirement, name))


# ---------------------------------------------------------------- the diff


def _link_key(link: Link) -> tuple:
    return (link.source, link.rel.value, link.target,
            link.relationship.value if link.relationship else None, link.confidence.value if link.confidence else None)


def _link_rows(keys: Iterable[tuple]) -> tuple[LinkRow, ...]:
    ordered = sorted(keys, key=lambda k: (natural_key(k[0]), k[1], natural_key(k[2]), k[3] or "", k[4] or ""))
    return tuple(LinkRow(*key) for key in ordered)


def _changed_fields(before: Requirement, after: Requirement) -> tuple[FieldChange, ...]:
    changes = []
    for name in COMPARED_FIELDS:
        old = before.effective.start if name == "effective_from" else getattr(before, name)
        new = after.effective.start if name == "effective_from" else getattr(after, name)
        if old != new:
            changes.append(FieldChange(name, field_text(before, name), field_text(after, name)))
    return tuple(changes)


def _default_as_at(added: Iterable[AddedRequirement], withdrawn: Iterable[WithdrawnRequirement],
                   changed: Iterable[ChangedRequirement], base: dict[str, Requirement],
                   revised: dict[str, Requirement], today: dt.date) -> dt.date:
    """The day every change has taken effect (and never before today): when coverage is judged."""
    days = [today, *(a.effective_from for a in added)]
    days += [d for w in withdrawn for d in (w.before, w.after) if d is not None]
    for change in changed:
        if "effective_from" in change.field_names:
            days += [base[change.id].effective.start, revised[change.id].effective.start]
    return max(days)


def _force(graph: RequirementGraph, recommendation_id: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The ids giving a recommendation force, and the indicators measuring it, in a graph view."""
    if recommendation_id not in graph:
        return (), ()
    found = graph.addressed_by(recommendation_id)
    force = sorted((r.id for r in found if r.kind not in NOT_FORCE), key=natural_key)
    measures = sorted((r.id for r in found if r.kind is RequirementKind.INDICATOR), key=natural_key)
    return tuple(force), tuple(measures)


def _status(before: tuple[str, ...], after: tuple[str, ...]) -> CoverageStatus:
    if before and not after:
        return CoverageStatus.LOST
    if after and not before:
        return CoverageStatus.GAINED
    if not before:
        return CoverageStatus.UNADDRESSED
    return CoverageStatus.UNCHANGED if before == after else CoverageStatus.CHANGED


def coverage_changes(base: Framework, revised: Framework, as_at: dt.date) -> tuple[RecommendationCoverage, ...]:
    """For every recommendation in either framework: its force as at ``as_at`` before and after."""
    before_graph = RequirementGraph(base).as_at(as_at)
    after_graph = RequirementGraph(revised).as_at(as_at)
    recommendations: dict[str, Requirement] = {}
    for framework in (base, revised):  # the revised wording wins
        recommendations.update((r.id, r) for r in framework.requirements() if r.kind is RequirementKind.RECOMMENDATION)
    rows = []
    for rid in sorted(recommendations, key=natural_key):
        recommendation = recommendations[rid]
        before, measured_before = _force(before_graph, rid)
        after, measured_after = _force(after_graph, rid)
        rows.append(RecommendationCoverage(
            id=rid, ref=recommendation.ref, title=recommendation.title, status=_status(before, after),
            before=before, after=after,
            lost=tuple(i for i in before if i not in after), gained=tuple(i for i in after if i not in before),
            indicators_before=measured_before, indicators_after=measured_after,
        ))
    return tuple(rows)


def _suspect(base_links: set[tuple], revised: Framework, base_ix: dict[str, Requirement],
             revised_ix: dict[str, Requirement], changed: dict[str, ChangedRequirement],
             withdrawn: dict[str, WithdrawnRequirement]) -> tuple[SuspectLink, ...]:
    """Links the base already had whose target the revision changed or withdrew."""
    found = []
    for link in revised.links():
        if link.target not in changed and link.target not in withdrawn:
            continue
        if _link_key(link) not in base_links:
            continue  # written by the revision against the new target: reviewed already
        reasons = []
        change = changed.get(link.target)
        if change is not None:
            old, new = base_ix[link.target], revised_ix[link.target]
            if "statement" in change.field_names:
                if link.fingerprint and link.fingerprint == old.fingerprint:
                    reasons.append(f"statement changed: fingerprint {link.fingerprint} no longer matches {new.fingerprint}")
                elif link.fingerprint:
                    reasons.append(f"statement changed (fingerprint {link.fingerprint} was already out of date)")
                else:
                    reasons.append("statement changed (link not fingerprinted)")
            others = [f for f in change.field_names if f != "statement"]
            if others:
                reasons.append("target changed: " + ", ".join(others))
        gone = withdrawn.get(link.target)
        if gone is not None and gone.after is not None:
            reasons.append(f"target withdrawn from {gone.after.isoformat()}")
        if reasons:
            found.append(SuspectLink(link.source, link.rel.value, link.target, link.fingerprint, "; ".join(reasons)))
    found.sort(key=lambda s: (natural_key(s.target), natural_key(s.source), s.rel))
    return tuple(found)


def _route_rows(framework: Framework) -> tuple[RouteRow, ...]:
    return tuple(RouteRow(order, route.source, route.setting_kind, route.instrument)
                 for order, route in enumerate(framework.citation_routes, start=1))


def diff(base: Framework, revised: Framework, as_at: dt.date | None = None, *,
         today: dt.date | None = None) -> FrameworkDiff:
    """Compare two frameworks by stable id.

    Coverage is judged as at ``as_at``; without it, as at the day the last change takes effect, never before
    ``today``, so a proposal in force from 2027 is counted and a withdrawal that bites next year is felt.
    One of the two is needed: nothing here reads the clock (the command line passes the day it runs, and
    prints the day coverage was judged as at).
    """
    if as_at is None and today is None:
        raise ValueError("diff needs as_at, or today for the day the last change takes effect to be counted from")
    before_ix, after_ix = base.requirement_index(), revised.requirement_index()
    added = tuple(
        AddedRequirement(r.id, r.ref, r.kind.value, r.title, r.instrument, tuple(g.value for g in r.regulators),
                         r.effective.start, r.confidence.value)
        for r in (after_ix[i] for i in sorted(set(after_ix) - set(before_ix), key=natural_key))
    )
    removed = tuple(
        RemovedRequirement(r.id, r.ref, r.title)
        for r in (before_ix[i] for i in sorted(set(before_ix) - set(after_ix), key=natural_key))
    )
    withdrawn, changed, renamed = [], [], []
    for rid in sorted(set(before_ix) & set(after_ix), key=natural_key):
        old, new = before_ix[rid], after_ix[rid]
        if old.effective.end != new.effective.end:
            withdrawn.append(WithdrawnRequirement(rid, new.ref, new.title, old.effective.end, new.effective.end))
        if old.ref != new.ref:
            renamed.append(RenamedRequirement(rid, old.ref, new.ref))
        fields = _changed_fields(old, new)
        if fields:
            changed.append(ChangedRequirement(rid, new.ref, new.title, fields))
    base_links = {_link_key(link) for link in base.links()}
    revised_links = {_link_key(link) for link in revised.links()}
    if as_at is not None:
        day = as_at
    else:
        assert today is not None  # refused above otherwise
        day = _default_as_at(added, withdrawn, changed, before_ix, after_ix, today)
    routes_before, routes_after = _route_rows(base), _route_rows(revised)
    if routes_before == routes_after:
        routes_before = routes_after = ()
    return FrameworkDiff(
        base=FrameworkRef(base.id, base.version),
        revised=FrameworkRef(revised.id, revised.version),
        as_at=day,
        added=added,
        removed=removed,
        withdrawn=tuple(withdrawn),
        changed=tuple(changed),
        renamed=tuple(renamed),
        links_added=_link_rows(revised_links - base_links),
        links_removed=_link_rows(base_links - revised_links),
        suspect_links=_suspect(base_links, revised, before_ix, after_ix,
                               {c.id: c for c in changed}, {w.id: w for w in withdrawn}),
        coverage=coverage_changes(base, revised, day),
        routes_before=routes_before,
        routes_after=routes_after,
    )
