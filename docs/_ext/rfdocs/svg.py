"""A small column layout of a node's neighbourhood, drawn straight to SVG.

No Graphviz: the documentation build must run where there is no binary. The
layout puts the centre node in the middle column, groups of neighbours in a
left and a right column (each group under a heading), and joins the centre to
each neighbour with a curve coloured by the kind of link. Every box is a link
to that requirement's entry in the catalogue.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

import attrs

#: colour, dash pattern and legend text of each edge style
EDGE_STYLES = {
    "addresses": ("#c55a11", "6 3", "addresses (recommendation gives force through it)"),
    "maps-to": ("#2f5597", "", "maps-to (crosswalk; thicker = higher confidence)"),
    "assessed-under": ("#7030a0", "2 2", "assessed-under (inspection judgement or quality statement)"),
    "evidenced-by": ("#548235", "", "evidenced-by (kind of evidence)"),
}
FILLS = {"centre": "#1f3864", "recommendation": "#fbe5d6", "requirement": "#deebf7", "evidence": "#e2f0d9",
         "judgement": "#ece2f4"}

BOX_H = 40
GAP = 6
HEAD = 24
COL_W = 300
CENTRE_W = 230
LEFT_X = 10
CENTRE_X = 10 + COL_W + 110
RIGHT_X = CENTRE_X + CENTRE_W + 110
WIDTH = RIGHT_X + COL_W + 10


@attrs.frozen
class Node:
    id: str
    label: str
    sub: str = ""
    href: str = ""
    style: str = "requirement"


@attrs.frozen
class Edge:
    node: Node
    rel: str
    weight: float = 1.5
    label: str = ""


@attrs.frozen
class Group:
    title: str
    edges: tuple[Edge, ...]


def _box(x: float, y: float, w: float, node: Node, *, centre: bool = False) -> list[str]:
    fill = FILLS["centre"] if centre else FILLS.get(node.style, FILLS["requirement"])
    ink = "#ffffff" if centre else "#1a1a1a"
    sub_lines = textwrap.wrap(node.sub, 44 if not centre else 34)[: 1 if not centre else 3]
    if sub_lines and len(textwrap.wrap(node.sub, 44 if not centre else 34)) > len(sub_lines):
        sub_lines[-1] = sub_lines[-1][:-1] + "…"
    h = BOX_H if not centre else BOX_H + 16 * max(len(sub_lines) - 1, 0)
    title = escape(f"{node.label}: {node.sub}" if node.sub else node.label)
    out = [f'<g class="node"><title>{title}</title>']
    if node.href:
        out.append(f"<a href={quoteattr(node.href)}>")
    out.append(f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="5" fill="{fill}" stroke="#7f7f7f" '
               f'stroke-width="0.8"/>')
    out.append(f'<text x="{x + 8}" y="{y + 16}" font-size="12" font-weight="bold" fill="{ink}">'
               f"{escape(node.label)}</text>")
    for index, line in enumerate(sub_lines):
        out.append(f'<text x="{x + 8}" y="{y + 31 + 15 * index}" font-size="11" fill="{ink}">{escape(line)}</text>')
    if node.href:
        out.append("</a>")
    out.append("</g>")
    return out


def _column(groups: Sequence[Group], x: float, top: float) -> tuple[list[str], list[tuple[Edge, float]], float]:
    """Draw a column of grouped boxes; return the SVG, each edge's box centre y, and the column's bottom."""
    out: list[str] = []
    anchors: list[tuple[Edge, float]] = []
    y = top
    for group in groups:
        if not group.edges:
            continue
        out.append(f'<text x="{x}" y="{y + 15}" font-size="12" font-style="italic" fill="#404040">'
                   f"{escape(group.title)}</text>")
        y += HEAD
        for edge in group.edges:
            out.extend(_box(x, y, COL_W, edge.node))
            anchors.append((edge, y + BOX_H / 2))
            y += BOX_H + GAP
        y += GAP * 2
    return out, anchors, y


def neighbourhood(centre: Node, left: Sequence[Group], right: Sequence[Group], *, title: str, key: str) -> str:
    """The SVG document for one neighbourhood."""
    top = 34
    left_svg, left_anchors, left_bottom = _column(left, LEFT_X, top)
    right_svg, right_anchors, right_bottom = _column(right, RIGHT_X, top)
    bottom = max(left_bottom, right_bottom, top + 120)
    centre_h = BOX_H + 16 * 2
    centre_y = max(top, (top + bottom) / 2 - centre_h / 2 - 10)
    centre_svg = _box(CENTRE_X, centre_y, CENTRE_W, centre, centre=True)
    cy = centre_y + BOX_H / 2
    edges: list[str] = []
    for anchors, side in ((left_anchors, "left"), (right_anchors, "right")):
        for edge, y in anchors:
            colour, dash, _ = EDGE_STYLES.get(edge.rel, ("#7f7f7f", "", edge.rel))
            if side == "left":
                x1, x2 = LEFT_X + COL_W, CENTRE_X
            else:
                x1, x2 = CENTRE_X + CENTRE_W, RIGHT_X
            mid = (x1 + x2) / 2
            y1, y2 = (y, cy) if side == "left" else (cy, y)
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            label = escape(edge.label or edge.rel)
            edges.append(f'<path d="M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}" fill="none" stroke="{colour}" '
                         f'stroke-width="{edge.weight}"{dash_attr} marker-end="url(#arrow-{key})"><title>{label}</title>'
                         f"</path>")
    legend_y = bottom + 10
    legend: list[str] = []
    for index, (rel, (colour, dash, text)) in enumerate(EDGE_STYLES.items()):
        lx = LEFT_X + (index % 2) * (WIDTH / 2)
        ly = legend_y + (index // 2) * 18
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        legend.append(f'<line x1="{lx}" y1="{ly}" x2="{lx + 30}" y2="{ly}" stroke="{colour}" stroke-width="2"'
                      f"{dash_attr}/>")
        legend.append(f'<text x="{lx + 38}" y="{ly + 4}" font-size="11" fill="#404040">{escape(text)}</text>')
        del rel
    height = legend_y + 40
    head = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
        f'height="{height}" font-family="sans-serif" role="img" aria-label={quoteattr(title)}>',
        f"<title>{escape(title)}</title>",
        f'<defs><marker id="arrow-{key}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#7f7f7f"/></marker></defs>',
        f'<text x="{LEFT_X}" y="18" font-size="14" font-weight="bold" fill="#1f3864">{escape(title)}</text>',
    ]
    return "\n".join([*head, *edges, *left_svg, *right_svg, *centre_svg, *legend, "</svg>"]) + "\n"
