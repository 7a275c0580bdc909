"""Semantic checks over a whole set of catalogue documents (the third tier).

The first two tiers (well-formed XML, XSD) look at one file at a time. These
look across files: duplicate ids, links to nothing, cycles in the hierarchy,
links into withdrawn requirements, requirements that nobody holds,
links whose target has changed since they were reviewed (suspect), and
citation routes to instruments the framework does not hold. Each check is linear in the number of requirements and links
(a link into a withdrawn requirement looks its successors up by the day it goes).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

import networkx as nx

from regframe.core.diagnostics import Diagnostic, Location, Severity, code, make
from regframe.framework.model import (
    CitationRoute,
    EvidenceKind,
    Link,
    Rel,
    Requirement,
    RequirementKind,
    SettingKind,
    Source,
)

DUPLICATE_ID = code(
    "RF201", Severity.ERROR, "the same id is declared twice",
    "Every requirement and evidence kind needs a framework-wide unique stable id. "
    "The message names where the first declaration is.",
)
DANGLING_LINK = code(
    "RF202", Severity.ERROR, "link points at an id that does not exist",
    "A link's target (or a link set's source) is not a requirement or evidence kind in the framework. "
    "Check the spelling, or that the file declaring it is included in the manifest.",
)
HIERARCHY_CYCLE = code(
    "RF203", Severity.ERROR, "part-of or refines links form a cycle",
    "A requirement cannot be (directly or indirectly) part of itself. The message lists the cycle.",
)
LINK_TO_WITHDRAWN = code(
    "RF204", Severity.WARNING, "link into a withdrawn requirement",
    "The target stops being in force before the source does (whether that day is past or still to come), and the "
    "source has no link of the same relation to a successor, a requirement coming into force on that very day (as "
    "a dated revision links a replacement), so the link gives no force after it. Link the source to the successor "
    "too (the old link keeps its force until the day) or withdraw the source as well.",
)
NO_REGULATOR = code(
    "RF205", Severity.ERROR, "requirement with no regulator",
    "Every requirement must say who holds it (Ofsted, CQC, placing or host LA, ICB, provider, government) "
    "for as long as it is in force, one already withdrawn included (an assessment as at a day before its "
    "withdrawal judges it), or nobody will look at it.",
)
SUSPECT_LINK = code(
    "RF206", Severity.WARNING, "suspect link: its target's statement changed since the link was reviewed",
    "The link stores a fingerprint of the target's statement. The statement has changed since, so someone "
    "should check the link still holds and re-stamp it (``regframe standards stamp``).",
)
MAPPING_INCOMPLETE = code(
    "RF207", Severity.ERROR, "maps-to link without relationship or confidence",
    "A cross-framework mapping must say how the two relate (equivalent-to, subset-of, superset-of, "
    "intersects-with) and how confident the mapping is (high, medium, low).",
)
WRONG_TARGET_TYPE = code(
    "RF208", Severity.ERROR, "link points at the wrong kind of node",
    "``evidenced-by`` links must point at an evidence kind; every other link must point at a requirement.",
)
ADDRESSES_FROM_NON_RECOMMENDATION = code(
    "RF209", Severity.WARNING, "addresses link from something that is not a recommendation",
    "Only recommendations address requirements; other relations have their own rel.",
)
UNKNOWN_EVIDENCE_KIND = code(
    "RF210", Severity.ERROR, "cadence names an unknown evidence kind",
    "A cadence's ``evidence-kind`` must be declared in the framework's evidence-kind vocabulary.",
)
UNNAMED_EVIDENCE_KIND = code(
    "RF216", Severity.WARNING, "cadence's evidence kind has no noun",
    "A setting's reasons name the records a cadence counts in mid-sentence (\"2 restraint or "
    "behaviour-management records made late\"). They take the kind's ``<noun plural=\"...\">`` in the "
    "evidence-kind vocabulary; without one they use its title as written, capital and all, with an \"s\" "
    "for the plural, which does not make every plural (\"notification of a serious events\"). Give the kind "
    "a noun.",
)
DUPLICATE_REF = code(
    "RF211", Severity.WARNING, "two requirements share one human reference",
    "Human references should be unique so that a person (and evidence citing a regulation) can find one node.",
)
ROUTE_UNKNOWN = code(
    "RF214", Severity.ERROR, "citation route names something that does not exist",
    "A ``<route>`` in a manifest's (or a revision's) ``<citation-routes>`` says which instrument bare "
    "citations in evidence are read in. Its ``instrument`` must be one the framework holds, its ``source`` "
    "one of the evidence sources (ofsted, cqc, placing-la, host-la, lado, independent-person, advocate, "
    "court, complainant, whistleblower, provider) and its ``setting-kind`` one of the setting kinds; "
    "otherwise the citations it routes resolve nowhere, or it never matches.",
)
ROUTE_UNREACHABLE = code(
    "RF215", Severity.WARNING, "citation route can never be used",
    "Routes are tried in order and the first that matches wins, so a route after one that matches "
    "everything it would (the same or no source, and the same or no setting kind) is never used: "
    "usually a catch-all route written before the specific ones. Move it above the route named.",
)

HIERARCHY_RELS = (Rel.PART_OF, Rel.REFINES)


def _loc(origin: Location | None) -> Location:
    return origin or Location()


def check(
    requirements: Iterable[Requirement],
    evidence_kinds: Iterable[EvidenceKind],
    extra_links: Iterable[Link] = (),
) -> list[Diagnostic]:
    """Run every semantic check; return all problems found (never stops at the first).

    No check reads the date: a catalogue is judged over every day its requirements are in force, so the same
    files give the same problems whenever they are checked (an assessment may be as at any date, past or future).
    """
    problems: list[Diagnostic] = []
    requirements = list(requirements)
    evidence_kinds = list(evidence_kinds)

    by_id: dict[str, Requirement] = {}
    kinds: dict[str, EvidenceKind] = {}
    first_seen: dict[str, Location] = {}
    nodes: list[Requirement | EvidenceKind] = [*requirements, *evidence_kinds]
    for node in nodes:
        if node.id in first_seen:
            problems.append(make(DUPLICATE_ID, f"id {node.id!r} is already declared at {first_seen[node.id]}",
                                 _loc(node.origin)))
            continue
        first_seen[node.id] = _loc(node.origin)
        if isinstance(node, Requirement):
            by_id[node.id] = node
        else:
            kinds[node.id] = node

    refs: dict[tuple[str, str], Requirement] = {}
    unnamed: dict[str, str] = {}  # evidence kinds a cadence counts that have no noun -> the first such requirement
    for requirement in by_id.values():
        key = (requirement.instrument, requirement.ref)
        if key in refs:
            problems.append(make(DUPLICATE_REF, f"{requirement.id} and {refs[key].id} are both {requirement.ref!r}",
                                 _loc(requirement.origin)))
        else:
            refs[key] = requirement
        if requirement.kind is not RequirementKind.FINDING and not requirement.regulators:
            problems.append(make(NO_REGULATOR, f"{requirement.id} names no regulator",
                                 _loc(requirement.origin)))
        cadence = requirement.cadence
        if cadence is not None and cadence.evidence_kind and cadence.evidence_kind not in kinds:
            problems.append(make(UNKNOWN_EVIDENCE_KIND,
                                 f"{requirement.id}'s cadence names evidence kind {cadence.evidence_kind!r}",
                                 _loc(requirement.origin)))
        elif cadence is not None and cadence.evidence_kind and not kinds[cadence.evidence_kind].noun:
            unnamed.setdefault(cadence.evidence_kind, requirement.id)
    for kind_id, rid in unnamed.items():  # once a kind, at the kind, naming the first cadence to count it
        kind = kinds[kind_id]
        problems.append(make(UNNAMED_EVIDENCE_KIND, f"evidence kind {kind_id!r}, which {rid}'s cadence counts, has "
                             f"no noun: reasons will say {kind.named(2)!r}", _loc(kind.origin)))

    links = [link for r in requirements for link in r.links] + list(extra_links)
    # (source, relation) -> the day each of its targets comes into force -> those targets (the successors' test)
    starting: dict[tuple[str, Rel], dict[dt.date, set[str]]] = defaultdict(lambda: defaultdict(set))
    for link in links:
        if link.target in by_id:
            starting[(link.source, link.rel)][by_id[link.target].effective.start].add(link.target)
    hierarchy = nx.DiGraph()
    for link in links:
        problems.extend(_check_link(link, by_id, kinds, starting))
        if link.rel in HIERARCHY_RELS and link.source in by_id and link.target in by_id:
            hierarchy.add_edge(link.source, link.target, origin=link.origin)
    problems.extend(_cycles(hierarchy))
    return problems


def _check_link(link: Link, by_id: dict[str, Requirement], kinds: dict[str, EvidenceKind],
                starting: dict[tuple[str, Rel], dict[dt.date, set[str]]]) -> list[Diagnostic]:
    where = _loc(link.origin)
    problems = []
    if link.source not in by_id:
        problems.append(make(DANGLING_LINK, f"link source {link.source!r} does not exist", where))
    known = link.target in by_id or link.target in kinds
    if not known:
        problems.append(make(DANGLING_LINK, f"{link.source} {link.rel.value} {link.target!r}: no such id", where))
        return problems
    if (link.rel is Rel.EVIDENCED_BY) != (link.target in kinds):
        wanted = "an evidence kind" if link.rel is Rel.EVIDENCED_BY else "a requirement"
        problems.append(make(WRONG_TARGET_TYPE, f"{link.source} {link.rel.value} {link.target}: target must be {wanted}", where))
        return problems
    if link.rel is Rel.MAPS_TO and (link.relationship is None or link.confidence is None):
        problems.append(make(MAPPING_INCOMPLETE, f"{link.source} maps-to {link.target} needs relationship and confidence", where))
    source = by_id.get(link.source)
    target = by_id.get(link.target)
    if link.rel is Rel.ADDRESSES and source is not None and source.kind is not RequirementKind.RECOMMENDATION:
        problems.append(make(ADDRESSES_FROM_NON_RECOMMENDATION, f"{link.source} is a {source.kind.value}", where))
    if source is not None and target is not None:
        ends = target.effective.end
        if ends is not None and (source.effective.end is None or source.effective.end > ends) and not (
            starting[(link.source, link.rel)].get(ends, set()) - {link.target}
        ):  # no successor: no other target of the same relation comes into force on the day this one goes
            problems.append(make(LINK_TO_WITHDRAWN, f"{link.source} {link.rel.value} {link.target}, which is not in "
                                 f"force from {ends.isoformat()}", where))
        if link.is_suspect(target):
            problems.append(make(SUSPECT_LINK,
                                 f"{link.source} {link.rel.value} {link.target}: reviewed against fingerprint "
                                 f"{link.fingerprint}, statement is now {target.fingerprint}", where))
    return problems


def _cycles(hierarchy: nx.DiGraph) -> list[Diagnostic]:
    """Report each strongly connected component with more than one node (or a self-loop) once."""
    problems = []
    for component in nx.strongly_connected_components(hierarchy):
        first = min(component)
        if len(component) == 1 and not hierarchy.has_edge(first, first):
            continue
        edges = nx.find_cycle(hierarchy.subgraph(component), source=first)
        path = [edges[0][0], *(target for _, target in edges)]
        origin = hierarchy.edges[edges[0][0], edges[0][1]]["origin"]
        problems.append(make(HIERARCHY_CYCLE, "cycle: " + " → ".join(path), _loc(origin)))
    return problems
def check_routes(routes: Iterable[CitationRoute], instruments: Iterable[str]) -> list[Diagnostic]:
    """Citation routes that name an instrument the framework lacks, or a source or setting kind that does not exist.

    Checked here rather than by the schema: the sources are the evidence format's, and the
    instruments are whatever the framework's files hold.
    """
    held = set(instruments)
    sources = {s.value for s in Source}
    kinds = {k.value for k in SettingKind}
    problems = []
    routes = list(routes)
    for route in routes:
        where = _loc(route.origin)
        if route.instrument not in held:
            problems.append(make(ROUTE_UNKNOWN, f"route to instrument {route.instrument!r}: the framework holds no "
                                 "such instrument", where))
        if route.source is not None and route.source not in sources:
            problems.append(make(ROUTE_UNKNOWN, f"route from source {route.source!r}: no evidence source has that "
                                 f"name (one of {', '.join(sorted(sources))})", where))
        if route.setting_kind is not None and route.setting_kind not in kinds:
            problems.append(make(ROUTE_UNKNOWN, f"route for setting kind {route.setting_kind!r}: no setting kind has "
                                 f"that name (one of {', '.join(sorted(kinds))})", where))
    return problems + _unreachable_routes(routes)


def _unreachable_routes(routes: list[CitationRoute]) -> list[Diagnostic]:
    """Routes an earlier route always wins over: it matches every source and setting kind they do."""
    problems = []
    for later, route in enumerate(routes):
        winner = next((earlier for earlier in routes[:later]
                       if earlier.source in (None, route.source) and earlier.setting_kind in (None, route.setting_kind)),
                      None)
        if winner is not None:
            problems.append(make(ROUTE_UNREACHABLE, f"route to {route.instrument} is never used: the route to "
                                 f"{winner.instrument} before it{_line_of(winner)} matches everything it does",
                                 _loc(route.origin)))
    return problems


def _line_of(route: CitationRoute) -> str:
    return f" (line {route.origin.line})" if route.origin is not None and route.origin.line else ""
