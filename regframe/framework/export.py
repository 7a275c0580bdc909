"""Exporting the requirement graph for other tools: GraphML, GEXF, node-link JSON, Graphviz DOT.

The export graph carries only plain scalar attributes (a label, the kind, the
instrument, regulators as a comma-separated string), because GraphML and GEXF
cannot hold Python objects.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import networkx as nx

from regframe.core.atomic import atomic_write_bytes
from regframe.framework.graph import RequirementGraph

FORMATS = ("graphml", "gexf", "json", "dot")


def flat_graph(graph: RequirementGraph, as_at: dt.date | None = None) -> nx.MultiDiGraph:
    view = graph.as_at(as_at) if as_at else graph
    flat = nx.MultiDiGraph(framework=graph.framework.id, version=graph.framework.version)
    for node, data in view.graph.nodes(data=True):
        if "requirement" in data:
            r = data["requirement"]
            flat.add_node(
                node, label=r.ref, title=r.title, kind=r.kind.value, instrument=r.instrument,
                confidence=r.confidence.value, regulators=",".join(x.value for x in r.regulators),
                effective_from=r.effective.start.isoformat(),
                effective_to=r.effective.end.isoformat() if r.effective.end else "",
            )
        else:
            k = data["evidence_kind"]
            flat.add_node(node, label=k.title, title=k.title, kind="evidence-kind", instrument="",
                          confidence="", regulators=k.regulator.value if k.regulator else "",
                          effective_from="", effective_to="")
    for source, target, key, data in view.graph.edges(keys=True, data=True):
        link = data["link"]
        flat.add_edge(
            source, target, key=key.value, rel=key.value,
            relationship=link.relationship.value if link.relationship else "",
            confidence=link.confidence.value if link.confidence else "",
        )
    return flat


def _dot_id(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def to_dot(flat: nx.MultiDiGraph) -> str:
    lines = [f"digraph {_dot_id(flat.graph.get('framework', 'regframe'))} {{", "  rankdir=LR;", "  node [shape=box];"]
    for node, data in flat.nodes(data=True):
        shape = ", shape=ellipse" if data["kind"] == "evidence-kind" else ""
        lines.append(f"  {_dot_id(node)} [label={_dot_id(data['label'])}{shape}];")
    for source, target, data in flat.edges(data=True):
        lines.append(f"  {_dot_id(source)} -> {_dot_id(target)} [label={_dot_id(data['rel'])}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def export_bytes(graph: RequirementGraph, fmt: str, as_at: dt.date | None = None) -> bytes:
    flat = flat_graph(graph, as_at)
    if fmt == "graphml":
        buffer = io.BytesIO()
        nx.write_graphml(flat, buffer)
        return buffer.getvalue()
    if fmt == "gexf":
        buffer = io.BytesIO()
        nx.write_gexf(flat, buffer)
        return buffer.getvalue()
    if fmt == "json":
        data = nx.node_link_data(flat, edges="links")
        return (json.dumps(data, indent=1, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
    if fmt == "dot":
        return to_dot(flat).encode("utf-8")
    raise ValueError(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}")


def export(graph: RequirementGraph, fmt: str, destination: Path, as_at: dt.date | None = None) -> None:
    atomic_write_bytes(destination, export_bytes(graph, fmt, as_at))
