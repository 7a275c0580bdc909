"""The requirement graph: requirements and evidence kinds as nodes, typed links as edges.

Built once per framework as a ``networkx.MultiDiGraph`` whose edge keys are
the link's ``rel`` (so two nodes may be joined by several kinds of link).
Every query walks adjacency from an id-indexed node, so each is linear in the
size of what it returns or, at worst, of the graph. ``as_at`` gives a view of
just what is in force on a date without copying the graph.
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterable, Iterator

import attrs
import networkx as nx

from regframe.framework.model import (
    EvidenceKind,
    Framework,
    Link,
    Regulator,
    Rel,
    Relationship,
    Requirement,
    RequirementKind,
    SettingKind,
)

_INVERSE = {
    Relationship.SUBSET_OF: Relationship.SUPERSET_OF,
    Relationship.SUPERSET_OF: Relationship.SUBSET_OF,
    Relationship.EQUIVALENT_TO: Relationship.EQUIVALENT_TO,
    Relationship.INTERSECTS_WITH: Relationship.INTERSECTS_WITH,
}


@attrs.frozen
class Mapping:
    """One requirement's counterpart in another instrument, seen from the first one's side."""

    requirement: Requirement
    relationship: Relationship
    link: Link


@attrs.frozen
class Coverage:
    """How much of one instrument another one covers through ``maps-to`` links."""

    instrument: str
    by: str
    covered: tuple[str, ...]
    uncovered: tuple[str, ...]

    @property
    def ratio(self) -> float:
        total = len(self.covered) + len(self.uncovered)
        return len(self.covered) / total if total else 1.0


class RequirementGraph:
    """Queries over a framework's requirements and links."""

    def __init__(self, framework: Framework, graph: nx.MultiDiGraph | None = None) -> None:
        self.framework = framework
        self.graph: nx.MultiDiGraph = graph if graph is not None else _build(framework)

    # ---- nodes

    def __contains__(self, node_id: str) -> bool:
        return node_id in self.graph

    def requirement(self, node_id: str) -> Requirement:
        data = self.graph.nodes[node_id].get("requirement")
        if data is None:
            raise KeyError(f"{node_id} is not a requirement")
        return data

    def evidence_kind(self, node_id: str) -> EvidenceKind:
        data = self.graph.nodes[node_id].get("evidence_kind")
        if data is None:
            raise KeyError(f"{node_id} is not an evidence kind")
        return data

    def requirements(
        self,
        instrument: str | None = None,
        kind: RequirementKind | None = None,
        regulator: Regulator | None = None,
        setting_kind: SettingKind | None = None,
    ) -> Iterator[Requirement]:
        for _, data in self.graph.nodes(data=True):
            requirement = data.get("requirement")
            if requirement is None:
                continue
            if instrument is not None and requirement.instrument != instrument:
                continue
            if kind is not None and requirement.kind is not kind:
                continue
            if regulator is not None and regulator not in requirement.regulators:
                continue
            if setting_kind is not None and setting_kind not in requirement.applies_to:
                continue
            yield requirement

    def evidence_kinds(self) -> Iterator[EvidenceKind]:
        for _, data in self.graph.nodes(data=True):
            if "evidence_kind" in data:
                yield data["evidence_kind"]

    def find_by_ref(self, ref: str) -> Requirement | None:
        """Find a requirement by its human reference, ignoring case and spacing."""
        return self._ref_index().get(_normal_ref(ref))

    def _ref_index(self) -> dict[str, Requirement]:
        index = self.__dict__.get("_refs")
        if index is None:
            index = {_normal_ref(r.ref): r for r in self.requirements()}
            self.__dict__["_refs"] = index
        return index

    # ---- edges

    def links_out(self, node_id: str, rel: Rel | None = None) -> list[Link]:
        return [d["link"] for _, _, key, d in self.graph.out_edges(node_id, keys=True, data=True) if rel is None or key == rel]

    def links_in(self, node_id: str, rel: Rel | None = None) -> list[Link]:
        return [d["link"] for _, _, key, d in self.graph.in_edges(node_id, keys=True, data=True) if rel is None or key == rel]

    def children(self, node_id: str, rel: Rel = Rel.PART_OF) -> list[Requirement]:
        """Requirements that are ``rel`` (part-of by default) of this one."""
        return [self.requirement(link.source) for link in self.links_in(node_id, rel) if _is_req(self.graph, link.source)]

    def parent(self, node_id: str) -> Requirement | None:
        parents = self.links_out(node_id, Rel.PART_OF)
        return self.requirement(parents[0].target) if parents else None

    def ancestors(self, node_id: str, rel: Rel = Rel.PART_OF) -> list[Requirement]:
        """Walk ``rel`` links outwards (up the hierarchy), nearest first."""
        return [self.requirement(n) for n in self._walk(node_id, rel, outwards=True)]

    def descendants(self, node_id: str, rel: Rel = Rel.PART_OF) -> list[Requirement]:
        """Walk ``rel`` links inwards (down the hierarchy), breadth first."""
        return [self.requirement(n) for n in self._walk(node_id, rel, outwards=False)]

    def _walk(self, start: str, rel: Rel, outwards: bool) -> Iterator[str]:
        seen = {start}
        queue = deque([start])
        while queue:
            current = queue.popleft()
            links = self.links_out(current, rel) if outwards else self.links_in(current, rel)
            for link in links:
                nxt = link.target if outwards else link.source
                if nxt not in seen and _is_req(self.graph, nxt):
                    seen.add(nxt)
                    queue.append(nxt)
                    yield nxt

    def root(self, node_id: str) -> Requirement:
        """The top of a requirement's part-of chain (the regulation or standard it belongs to)."""
        ancestors = self.ancestors(node_id)
        return ancestors[-1] if ancestors else self.requirement(node_id)

    def addressed_by(self, recommendation_id: str, deep: bool = True) -> list[Requirement]:
        """What gives a recommendation force: the requirements it ``addresses``.

        With ``deep`` the recommendation's own parts (R9(a), R9(b)) are included.
        """
        sources = [recommendation_id]
        if deep:
            sources += [r.id for r in self.descendants(recommendation_id)]
        found: dict[str, Requirement] = {}
        for source in sources:
            for link in self.links_out(source, Rel.ADDRESSES):
                if _is_req(self.graph, link.target):
                    found.setdefault(link.target, self.requirement(link.target))
        return list(found.values())

    def recommendations_addressing(self, requirement_id: str) -> list[Requirement]:
        """The recommendations that look to this requirement (or any requirement above it)."""
        found: dict[str, Requirement] = {}
        for node in [requirement_id, *(a.id for a in self.ancestors(requirement_id))]:
            for link in self.links_in(node, Rel.ADDRESSES):
                top = self.root(link.source)
                found.setdefault(top.id, top)
        return list(found.values())

    def maps_to(self, requirement_id: str, instrument: str | None = None) -> list[Mapping]:
        """Counterparts in other instruments, following ``maps-to`` either way.

        A link stored in the other direction is turned round, so "A subset-of B"
        seen from B reads "B superset-of A".
        """
        mappings = []
        for link in self.links_out(requirement_id, Rel.MAPS_TO):
            other = self.requirement(link.target)
            if instrument is None or other.instrument == instrument:
                mappings.append(Mapping(other, link.relationship or Relationship.INTERSECTS_WITH, link))
        for link in self.links_in(requirement_id, Rel.MAPS_TO):
            other = self.requirement(link.source)
            if instrument is None or other.instrument == instrument:
                mappings.append(Mapping(other, _INVERSE[link.relationship or Relationship.INTERSECTS_WITH], link))
        return mappings

    def assessed_under(self, requirement_id: str) -> list[Requirement]:
        return [self.requirement(link.target) for link in self.links_out(requirement_id, Rel.ASSESSED_UNDER)]

    def evidenced_by(self, requirement_id: str, inherit: bool = True) -> list[EvidenceKind]:
        """Evidence kinds that can evidence a requirement; with ``inherit``, also those of its ancestors."""
        nodes = [requirement_id]
        if inherit:
            nodes += [a.id for a in self.ancestors(requirement_id)]
        found: dict[str, EvidenceKind] = {}
        for node in nodes:
            for link in self.links_out(node, Rel.EVIDENCED_BY):
                found.setdefault(link.target, self.evidence_kind(link.target))
        return list(found.values())

    def requirements_evidenced_by(self, evidence_kind_id: str) -> list[Requirement]:
        return [self.requirement(link.source) for link in self.links_in(evidence_kind_id, Rel.EVIDENCED_BY)]

    def coverage(self, instrument: str, by: str) -> Coverage:
        """Which requirements of ``instrument`` map (either way) to something in ``by``.

        A requirement counts as covered if it, or one of its ancestors or
        descendants, maps into ``by``: a mapping made at the level of a whole
        regulation covers its limbs too.
        """
        direct = {
            r.id for r in self.requirements(instrument=instrument)
            if self.maps_to(r.id, instrument=by)
        }
        covered = set(direct)
        for node in direct:
            covered.update(d.id for d in self.descendants(node))
            covered.update(a.id for a in self.ancestors(node))
        ids = sorted(r.id for r in self.requirements(instrument=instrument))
        return Coverage(instrument, by, tuple(i for i in ids if i in covered), tuple(i for i in ids if i not in covered))

    def suspect_links(self) -> list[Link]:
        """Links whose target statement changed since the link was reviewed (fingerprint mismatch)."""
        suspect = []
        for _, target, data in self.graph.edges(data=True):
            link: Link = data["link"]
            requirement = self.graph.nodes[target].get("requirement")
            if link.is_suspect(requirement):
                suspect.append(link)
        return suspect

    # ---- views

    def as_at(self, day: dt.date) -> RequirementGraph:
        """A view holding only requirements in force on ``day`` (evidence kinds always stay)."""

        def keep(node: str) -> bool:
            requirement = self.graph.nodes[node].get("requirement")
            return requirement is None or requirement.in_force(day)

        return RequirementGraph(self.framework, nx.subgraph_view(self.graph, filter_node=keep))


def _is_req(graph: nx.MultiDiGraph, node: str) -> bool:
    return node in graph and "requirement" in graph.nodes[node]


def _normal_ref(ref: str) -> str:
    return "".join(ref.lower().split())


def _build(framework: Framework) -> nx.MultiDiGraph:
    graph = nx.MultiDiGraph(framework=framework.id, version=framework.version)
    for requirement in framework.requirements():
        graph.add_node(requirement.id, requirement=requirement, kind=requirement.kind.value)
    for kind in framework.evidence_kinds():
        graph.add_node(kind.id, evidence_kind=kind, kind="evidence-kind")
    for link in framework.links():
        if link.source in graph and link.target in graph:
            graph.add_edge(link.source, link.target, key=link.rel, link=link)
    return graph


def build_graph(framework: Framework) -> RequirementGraph:
    """Build the graph of a framework (once; keep the result)."""
    return RequirementGraph(framework)


def ids(requirements: Iterable[Requirement]) -> list[str]:
    return [r.id for r in requirements]
