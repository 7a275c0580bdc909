"""The framework catalogue as pages: one per instrument, an index, the crosswalk, the evidence kinds.

Everything here is read from the framework regframe loads (``standards/``),
so the pages follow the catalogue. Each requirement is a ``requirement``
object (role ``:req:``), each evidence kind an ``evidence-kind`` object (role
``:ek:``); every link in and out is a cross-reference, so ``-n`` catches any
that do not resolve.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from pathlib import Path

from regframe.assess import ASSESSED_KINDS
from regframe.framework.graph import RequirementGraph
from regframe.framework.model import Framework, Rel, Requirement, RequirementKind
from regframe.framework.staleness import oldest_check

from . import svg
from .rst import Pages, esc, heading, indent, list_table, literal

CATALOGUE_DIR = "_generated/catalogue"
CROSSWALK_DIR = "_generated/crosswalk"
#: CHR 2015 regulations 6-14: the nine Quality Standards
QUALITY_STANDARDS = tuple(f"chr2015.r{n}" for n in range(6, 15))

#: how the crosswalk groups instruments into regimes (columns of the crosswalk tables, bands of the diagrams)
REGIMES = (
    ("Ofsted: RSS NMS 2022", ("rssnms2022",)),
    ("CQC: fundamental standards", ("cqc-ra2014",)),
    ("CQC: quality statements", ("cqc-saf",)),
    ("Ofsted: SCCIF children's homes", ("sccif-ch",)),
    ("Ofsted: SCCIF residential special schools", ("sccif-rss",)),
    ("Local authority duties", ("cppcr2010", "ca1989", "wt2023")),
)
REL_ORDER = [rel for rel in Rel]


def make_id(objtype: str, name: str) -> str:
    """The HTML anchor Sphinx gives a generic object (``sphinx.util.nodes.make_id`` without collisions)."""
    from sphinx.util.nodes import _make_id

    return _make_id(f"{objtype}-{name}")


def req_ref(graph: RequirementGraph, rid: str) -> str:
    """A ``:req:`` reference showing the human reference."""
    try:
        label = graph.requirement(rid).ref
    except KeyError:
        return literal(rid)
    return f":req:`{_role_title(label)} <{rid}>`"


def ek_ref(graph: RequirementGraph, kid: str) -> str:
    try:
        label = graph.evidence_kind(kid).title
    except KeyError:
        return literal(kid)
    return f":ek:`{_role_title(label)} <{kid}>`"


def node_ref(graph: RequirementGraph, node: str) -> str:
    data = graph.graph.nodes[node] if node in graph.graph else {}
    if "evidence_kind" in data:
        return ek_ref(graph, node)
    return req_ref(graph, node)


def recommendation_ref(graph: RequirementGraph, rid: str) -> str:
    """A link to a recommendation's page (a top-level Panel recommendation), else to its catalogue entry."""
    requirement = graph.requirement(rid)
    if requirement.kind is RequirementKind.RECOMMENDATION and graph.parent(rid) is None:
        return f":doc:`{_role_title(requirement.ref)} </_generated/recommendations/{rid}>`"
    return req_ref(graph, rid)


def _role_title(text: str) -> str:
    return re.sub(r"([<>`\\])", r"\\\1", text)


def requirement_signature(requirement: Requirement) -> str:
    title = " ".join(requirement.title.split())
    return f"{requirement.id} || {' '.join(requirement.ref.split())} || {title}"


def instrument_docname(instrument_id: str) -> str:
    return f"{CATALOGUE_DIR}/{instrument_id}"


# ------------------------------------------------------------------ one requirement


def _dates(requirement: Requirement) -> str:
    effective = requirement.effective
    text = f"from {effective.start.isoformat()}"
    if effective.end is not None:
        text += f" to {effective.end.isoformat()} (exclusive: withdrawn)"
    return text


def _cadence(requirement: Requirement, graph: RequirementGraph) -> str:
    cadence = requirement.cadence
    if cadence is None:
        return ""
    out = f"from {literal(cadence.anchor)}: " + "; ".join(esc(step.describe()) for step in cadence.steps)
    if cadence.evidence_kind:
        out += f"; met by {ek_ref(graph, cadence.evidence_kind)}"
    return out


def _thresholds(requirement: Requirement) -> str:
    parts = []
    for t in requirement.thresholds:
        text = f"{t.level.value}: {literal(t.metric)} {t.comparison.value} {t.value:g}"
        if t.start or t.end:
            text += f" (in force {t.start.isoformat() if t.start else '…'} to {t.end.isoformat() if t.end else '…'})"
        parts.append(text)
    return "; ".join(parts)


def _link_text(graph: RequirementGraph, other: str, link, *, outward: bool) -> str:  # noqa: ANN001
    text = node_ref(graph, other)
    extra = []
    if link.relationship is not None:
        relationship = link.relationship.value
        if not outward:
            relationship = f"source {relationship} this"
        extra.append(relationship)
    if link.confidence is not None:
        extra.append(f"{link.confidence.value} confidence")
    if link.fingerprint and other in graph.graph and "requirement" in graph.graph.nodes[link.target]:
        if link.fingerprint != graph.requirement(link.target).fingerprint:
            extra.append("**suspect**: target changed since review")
    if extra:
        text += " (" + ", ".join(extra) + ")"
    if link.note:
        text += ": " + esc(link.note)
    return text


def _links_field(graph: RequirementGraph, rid: str, *, outward: bool) -> list[str]:
    links = graph.links_out(rid) if outward else graph.links_in(rid)
    by_rel: dict[Rel, list[str]] = defaultdict(list)
    for link in links:
        other = link.target if outward else link.source
        by_rel[link.rel].append(_link_text(graph, other, link, outward=outward))
    lines = []
    for rel in REL_ORDER:
        for text in by_rel.get(rel, ()):
            lines.append(f"* {literal(rel.value)} {text}")
    return lines


def report_columns(requirement: Requirement) -> str:
    """Where a requirement of this kind shows in the gap report."""
    if requirement.kind in ASSESSED_KINDS:
        return (":col:`Gaps/Status` at each setting where it is short of met; counted in the Summary sheet "
                "(:ref:`where statuses show <where-in-report>`).")
    if requirement.kind is RequirementKind.RECOMMENDATION:
        return ("read as a lens: each setting's state against it is in :col:`Recommendations/State`, "
                "with the requirements behind it in :col:`Recommendations/Failing requirements` and "
                ":col:`Recommendations/At-risk requirements`.")
    if requirement.kind is RequirementKind.INDICATOR:
        return "computed at each setting: :col:`Indicators/Value` and :col:`Indicators/Level`."
    return "not assessed (context for the requirements that are)."


def requirement_entry(graph: RequirementGraph, requirement: Requirement) -> str:
    rid = requirement.id
    fields: list[tuple[str, str | list[str]]] = [
        ("Stable id", literal(rid)),
        ("Reference", esc(requirement.ref)),
        ("Kind", f"{requirement.kind.value}; confidence: {requirement.confidence.value}"),
        ("Regulators", ", ".join(r.value for r in requirement.regulators) or "none"),
        ("Applies to", ", ".join(k.value for k in requirement.applies_to) or "none"),
        ("In force", _dates(requirement)),
    ]
    c = requirement.citation
    citation = f"{esc(c.instrument)}, {esc(c.provision)}"
    if c.url:
        citation = f"`{citation} <{c.url}>`__"
    citation += f" (last checked {c.last_checked.isoformat()})"
    if c.note:
        citation += ". " + esc(c.note)
    fields.append(("Citation", citation))
    if requirement.cadence is not None:
        fields.append(("Cadence", _cadence(requirement, graph)))
    if requirement.thresholds:
        fields.append(("Thresholds", _thresholds(requirement)))
    if requirement.note:
        fields.append(("Note", esc(requirement.note)))
    direct = [link.target for link in graph.links_out(rid, Rel.EVIDENCED_BY)]
    inherited = [k.id for k in graph.evidenced_by(rid) if k.id not in direct]
    if direct or inherited:
        parts = [", ".join(ek_ref(graph, k) for k in direct)] if direct else []
        if inherited:
            parts.append("through the requirements it is part of: " + ", ".join(ek_ref(graph, k) for k in inherited))
        fields.append(("Evidence kinds", "; ".join(parts)))
    recommendations = graph.recommendations_addressing(rid) if requirement.kind is not RequirementKind.RECOMMENDATION else []
    if recommendations:
        fields.append(("Recommendations", ", ".join(recommendation_ref(graph, r.id) for r in recommendations)))
    if rid in QUALITY_STANDARDS:
        fields.append(("Neighbourhood", f":ref:`diagram across Ofsted, CQC and LA duties <qs-{rid}>`"))
    fields.append(("In the report", report_columns(requirement)))
    out = _links_field(graph, rid, outward=True)
    if out:
        fields.append(("Links out", out))
    into = _links_field(graph, rid, outward=False)
    if into:
        fields.append(("Links in", into))

    body = [esc(requirement.statement), ""]
    for name, value in fields:
        if isinstance(value, list):
            body.append(f":{name}:")
            body.extend(indent(line, 3) for line in value)
        else:
            body.append(f":{name}: {value}")
    return f".. requirement:: {requirement_signature(requirement)}\n\n{indent(chr(10).join(body))}\n"


# ------------------------------------------------------------------ pages


def _roots_in_order(graph: RequirementGraph, requirements: Iterable[Requirement]) -> dict[str, list[Requirement]]:
    groups: dict[str, list[Requirement]] = {}
    for requirement in requirements:
        root = graph.root(requirement.id)
        key = root.id if root.instrument == requirement.instrument else requirement.id
        groups.setdefault(key, []).append(requirement)
    return groups


def instrument_page(graph: RequirementGraph, instrument) -> str:  # noqa: ANN001
    out = [f".. _instrument-{instrument.id}:", "", heading(esc(instrument.title), "=", over=True)]
    c = instrument.citation
    meta = [
        f":Instrument id: {literal(instrument.id)}",
        f":Short title: {esc(instrument.short_title)}",
        f":Version: {esc(instrument.version)}",
        f":Publisher: {esc(instrument.publisher)}",
        f":In force: from {instrument.effective.start.isoformat()}"
        + (f" to {instrument.effective.end.isoformat()}" if instrument.effective.end else ""),
        f":Source: `{esc(c.instrument)} <{c.url}>`__ (last checked {c.last_checked.isoformat()})"
        if c.url else f":Source: {esc(c.instrument)}",
        f":Requirements: {len(instrument.requirements)}",
        f":Oldest check: {oldest_check(instrument).isoformat()} (the least recent last-checked date of its citations)",
    ]
    out.extend(meta)
    out.append("")
    if instrument.note:
        out += [esc(instrument.note), ""]
    out.append(
        "Each entry gives the requirement's human reference and title, then its stable id (which never changes "
        "meaning), and every link in and out. Follow *evidence kinds* to see what can evidence it, and *in the "
        "report* to see where its status appears. Generated from the catalogue file at build time."
    )
    out.append("")
    # Groups are rubrics with labels, not sections: a section per regulation would put hundreds of entries
    # in the site navigation, which the theme copies onto every page. A contents list stands in for it.
    groups = _roots_in_order(graph, instrument.requirements)
    contents, body = [], []
    for root_id, members in groups.items():
        root = graph.requirement(root_id)
        title = " ".join((f"{root.ref}: {root.title}" if root.title else root.ref).split())
        label = f"group-{root_id}"
        contents.append(f"* :ref:`{_role_title(title)} <{label}>` ({len(members)})")
        body += [f".. _{label}:", "", f".. rubric:: {esc(title)}", "   :class: rf-group", ""]
        for requirement in members:
            body.append(requirement_entry(graph, requirement))
    out += [heading("Contents", "-"), *contents, "", heading("Requirements", "-"), *body]
    return "\n".join(out)


def index_page(graph: RequirementGraph, framework: Framework) -> str:
    rows = []
    for instrument in framework.instruments:
        rows.append([
            f":doc:`{esc(instrument.short_title or instrument.id)} <{instrument.id}>`",
            literal(instrument.id), esc(instrument.title), esc(instrument.version),
            str(len(instrument.requirements)), oldest_check(instrument).isoformat(),
        ])
    total = sum(len(i.requirements) for i in framework.instruments)
    out = [
        ".. _catalogue:", "",
        heading("The framework catalogue", "=", over=True),
        f"Framework {literal(framework.id)} version {esc(framework.version)}: "
        f"{esc(framework.manifest.title)}. {len(framework.instruments)} instruments, {total} requirements, "
        f"{len(framework.evidence_kinds())} evidence kinds and {len(framework.links())} typed links, generated "
        "from ``standards/`` when these pages were built (``regframe standards list`` prints the same counts).",
        "",
        ".. _where-in-report:", "",
        heading("Where a requirement shows in the gap report", "-"),
        "Outcomes, duties, judgements, evaluation areas and quality statements are assessed at every setting "
        "they apply to. A requirement short of met at a setting is a row of the Gaps sheet, with its status in "
        ":col:`Gaps/Status`, the rules that applied in :col:`Gaps/Reasons`, any flags in :col:`Gaps/Flags` and "
        "the evidence ids in :col:`Gaps/Evidence`; the Summary sheet counts each setting's requirements by "
        "status (:col:`Summary/Not met`, :col:`Summary/Overdue`, :col:`Summary/Uncorroborated`, "
        ":col:`Summary/Stale`, :col:`Summary/No evidence`, :col:`Summary/Met`), and the Matrix sheet counts "
        "gaps under each standard. In the JSON report a status is ``settings[].findings[].status``. "
        "Recommendations are read as a lens (:col:`Recommendations/State`); indicators are computed "
        "(:col:`Indicators/Level`). Each entry's *In the report* field says which applies.",
        "",
        "Across instruments: the :doc:`crosswalk </_generated/crosswalk/index>` (CHR Quality Standards × RSS NMS "
        "× CQC × SCCIF × LA duties), :doc:`the Quality Standards' neighbourhoods "
        "</_generated/crosswalk/quality-standards>` as diagrams, and :doc:`the evidence kinds "
        "</_generated/crosswalk/evidence-kinds>`.",
        "",
        list_table(["Instrument", "Id", "Title", "Version", "Requirements", "Oldest check"], rows,
                   widths=[16, 12, 40, 14, 8, 10]),
        ".. toctree::", "   :maxdepth: 1", "   :hidden:", "",
        *(f"   {instrument.id}" for instrument in framework.instruments),
        "",
    ]
    return "\n".join(out)


# ------------------------------------------------------------------ the crosswalk


def regime_of(instrument: str) -> str | None:
    for title, instruments in REGIMES:
        if instrument in instruments:
            return title
    return None


def _mapping_cell(graph: RequirementGraph, mappings) -> str:  # noqa: ANN001
    lines = []
    for m in mappings:
        conf = m.link.confidence.value if m.link.confidence else ""
        lines.append(f"* {req_ref(graph, m.requirement.id)} ({m.relationship.value}{', ' + conf if conf else ''})")
    return "\n".join(lines) if lines else "—"


def crosswalk_page(graph: RequirementGraph) -> str:
    out = [".. _crosswalk:", "", heading("Crosswalk", "=", over=True),
           "How each CHR 2015 Quality Standard relates to the other regimes' requirements through ``maps-to`` "
           "links (either direction, read from the Quality Standard's side). A mapping is regframe's judgement, "
           "not law: each gives the set relation (``intersects-with``, ``subset-of``, ``superset-of``, "
           "``equivalent-to``) and how sure the catalogue is. Generated from ``standards/crosswalk.xml``.", ""]
    headers = ["CHR 2015 Quality Standard", *(title for title, _ in REGIMES)]
    rows = []
    for qid in QUALITY_STANDARDS:
        if qid not in graph:
            continue
        mappings = graph.maps_to(qid)
        row = [req_ref(graph, qid) + "\n\n" + esc(graph.requirement(qid).title)]
        for _, instruments in REGIMES:
            row.append(_mapping_cell(graph, [m for m in mappings if m.requirement.instrument in instruments]))
        rows.append(row)
    out.append(heading("Quality Standards across the regimes", "-"))
    out.append(list_table(headers, rows, cls="rf-crosswalk"))
    out.append(heading("Coverage between instruments", "-"))
    out.append("The share of each instrument's requirements that map (directly, or through a requirement above or "
               "below them) to something in the other instrument.\n")
    pairs = [("chr2015", "rssnms2022"), ("chr2015", "cqc-ra2014"), ("chr2015", "cqc-saf"), ("chr2015", "sccif-ch"),
             ("rssnms2022", "sccif-rss"), ("rssnms2022", "cqc-ra2014"), ("cqc-ra2014", "chr2015")]
    rows = []
    for a, b in pairs:
        coverage = graph.coverage(a, b)
        rows.append([literal(a), literal(b), str(len(coverage.covered)),
                     str(len(coverage.covered) + len(coverage.uncovered)), f"{coverage.ratio:.0%}"])
    out.append(list_table(["Instrument", "Covered by", "Covered", "Requirements", "Share"], rows))
    out.append(heading("Every crosswalk link", "-"))
    by_source: dict[str, list] = defaultdict(list)
    for link in graph.framework.links():
        if link.rel is Rel.MAPS_TO and link.source in graph and link.target in graph:
            by_source[graph.requirement(link.source).instrument].append(link)
    for instrument in sorted(by_source):
        out.append(heading(f"From {instrument}", "~"))
        rows = []
        for link in by_source[instrument]:
            rows.append([req_ref(graph, link.source),
                         esc(link.relationship.value if link.relationship else ""),
                         req_ref(graph, link.target),
                         esc(link.confidence.value if link.confidence else ""), esc(link.note)])
        out.append(list_table(["Source", "Relationship", "Target", "Confidence", "Note"], rows,
                              widths=[18, 12, 22, 9, 39]))
    return "\n".join(out)


def _weight(link) -> float:  # noqa: ANN001
    confidence = link.confidence.value if link.confidence is not None else "medium"
    return {"high": 2.6, "medium": 1.6, "low": 0.9}[confidence]


def neighbourhood_svg(graph: RequirementGraph, qid: str, href) -> str:  # noqa: ANN001
    """The SVG of one Quality Standard's neighbourhood; ``href(node_id)`` gives each box's link."""
    requirement = graph.requirement(qid)
    family = [qid, *(d.id for d in graph.descendants(qid))]
    recommendations: dict[str, svg.Edge] = {}
    kinds: dict[str, svg.Edge] = {}
    right: dict[str, dict[str, svg.Edge]] = defaultdict(dict)
    for node in family:
        for link in graph.links_in(node, Rel.ADDRESSES):
            top = graph.root(link.source)
            via = "" if node == qid else f" via {graph.requirement(node).ref}"
            recommendations.setdefault(top.id, svg.Edge(
                svg.Node(top.id, top.ref, top.title, href(top.id), "recommendation"), "addresses",
                label=f"addresses{via}"))
        for link in graph.links_out(node, Rel.EVIDENCED_BY):
            kind = graph.evidence_kind(link.target)
            kinds.setdefault(kind.id, svg.Edge(svg.Node(kind.id, kind.id, kind.title, href(kind.id), "evidence"),
                                               "evidenced-by"))
        for m in graph.maps_to(node):
            other = m.requirement
            regime = regime_of(other.instrument) or other.instrument
            conf = m.link.confidence.value if m.link.confidence else ""
            right[regime].setdefault(other.id, svg.Edge(
                svg.Node(other.id, other.ref, other.title, href(other.id)), "maps-to", weight=_weight(m.link),
                label=f"maps-to: {m.relationship.value}{', ' + conf if conf else ''}"))
        for link in graph.links_out(node, Rel.ASSESSED_UNDER):
            other = graph.requirement(link.target)
            regime = regime_of(other.instrument) or other.instrument
            existing = right[regime].get(other.id)
            if existing is None:
                right[regime][other.id] = svg.Edge(svg.Node(other.id, other.ref, other.title, href(other.id),
                                                            "judgement"), "assessed-under", label="assessed-under")
            elif "assessed-under" not in existing.label:
                right[regime][other.id] = svg.Edge(existing.node, existing.rel, existing.weight,
                                                   existing.label + "; assessed-under")
    left = [svg.Group("Panel recommendations it gives force to", tuple(recommendations.values())),
            svg.Group("Evidence kinds (its own and its parts')", tuple(kinds.values()))]
    order = [title for title, _ in REGIMES]
    right_groups = [svg.Group(title, tuple(right[title].values()))
                    for title in sorted(right, key=lambda t: order.index(t) if t in order else len(order))]
    centre = svg.Node(qid, requirement.ref, requirement.title, href(qid), "centre")
    key = qid.replace(".", "-")
    return svg.neighbourhood(centre, left, right_groups, title=f"{requirement.ref}: {requirement.title}", key=key)


def _href_from_crosswalk(graph: RequirementGraph):  # noqa: ANN202
    def href(node: str) -> str:
        data = graph.graph.nodes[node]
        if "evidence_kind" in data:
            return f"evidence-kinds.html#{make_id('evidence-kind', node)}"
        return f"../catalogue/{data['requirement'].instrument}.html#{make_id('requirement', node)}"
    return href


def quality_standards_page(graph: RequirementGraph, pages: Pages) -> str:
    out = [heading("The Quality Standards' neighbourhoods", "=", over=True),
           "For each of the nine Quality Standards of the Children's Homes Regulations 2015 (regs 6-14): what "
           "it maps to at Ofsted (RSS NMS, SCCIF) and CQC (fundamental standards, quality statements) and in "
           "the local authorities' duties, what it is assessed under, the Panel recommendations it gives force "
           "to (directly or through one of its parts) and the kinds of evidence that evidence it. Drawn in "
           "Python at build time from the catalogue; every box links to its entry. The list below each "
           "diagram says the same in text.", ""]
    la = dict(REGIMES)["Local authority duties"]
    with_la = [q for q in QUALITY_STANDARDS if q in graph and any(
        graph.requirement(o).instrument in la
        for n in [q, *(d.id for d in graph.descendants(q))]
        for link in [*graph.links_out(n), *graph.links_in(n)]
        for o in (link.target if link.source == n else link.source,)
        if o in graph and "requirement" in graph.graph.nodes[o])]
    if with_la:
        out += ["Local authority duties appear in the diagrams of " + ", ".join(req_ref(graph, q) for q in with_la)
                + ".", ""]
    else:
        out += ["**Local authority duties:** the catalogue links no local authority duty (CPPCR 2010, CA 1989 "
                "ss.85-86, Working Together 2023) to a Quality Standard directly, so none appears below. Those "
                "duties reach a setting's assessment through the children placed there (statutory visits, IRO "
                "reviews, LADO referrals); see the :doc:`crosswalk <index>`. When the crosswalk gains such links "
                "they are drawn in their own band.", ""]
    href = _href_from_crosswalk(graph)
    for qid in QUALITY_STANDARDS:
        if qid not in graph:
            continue
        requirement = graph.requirement(qid)
        name = f"qs-{qid.replace('.', '-')}.svg"
        pages.write(f"{CROSSWALK_DIR}/svg/{name}", neighbourhood_svg(graph, qid, href))
        out += [f".. _qs-{qid}:", "", heading(esc(f"{requirement.ref}: {requirement.title}"), "-"),
                ".. container:: rf-diagram", "",
                "   .. raw:: html", f"      :file: svg/{name}", "",
                f"Standard: {req_ref(graph, qid)}.", ""]
        family = [qid, *(d.id for d in graph.descendants(qid))]
        recs = {graph.root(link.source).id for n in family for link in graph.links_in(n, Rel.ADDRESSES)}
        kinds = {link.target for n in family for link in graph.links_out(n, Rel.EVIDENCED_BY)}
        maps = {m.requirement.id for n in family for m in graph.maps_to(n)}
        under = {link.target for n in family for link in graph.links_out(n, Rel.ASSESSED_UNDER)}
        for label, ids, ref in (("Recommendations", recs, req_ref), ("Maps to", maps, req_ref),
                                ("Assessed under", under, req_ref), ("Evidence kinds", kinds, ek_ref)):
            out.append(f"* **{label}:** " + (", ".join(ref(graph, i) for i in sorted(ids)) or "none"))
        out.append("")
    return "\n".join(out)


def evidence_kinds_page(graph: RequirementGraph, feeders: dict[str, list[str]]) -> str:
    """``feeders`` maps an evidence kind id to reST naming the inputs that produce it (LA return columns...)."""
    out = [".. _evidence-kinds:", "", heading("Evidence kinds", "=", over=True),
           "The vocabulary ``evidenced-by`` links point at and evidence items are typed by "
           "(``standards/evidence-kinds.xml``). *Independence* is who normally produces the evidence; the "
           "assessment treats the provider's own word as uncorroborated. For each kind: the requirements it "
           "can evidence, the input columns that produce it, and where it shows in the gap report.", ""]
    for kind in sorted(graph.evidence_kinds(), key=lambda k: k.id):
        requirements = graph.requirements_evidenced_by(kind.id)
        cadences = [r for r in graph.requirements() if r.cadence is not None and r.cadence.evidence_kind == kind.id]
        body = [esc(kind.description), "",
                f":Id: {literal(kind.id)}",
                f":Independence: {kind.independence.value}",
                f":Regulator: {kind.regulator.value if kind.regulator else 'none'}",
                f":In a sentence: {esc(kind.named(1))}; {esc(kind.named(2))}"]
        if requirements:
            body.append(":Evidences: " + ", ".join(req_ref(graph, r.id) for r in requirements)
                        + " (and every part of each)")
        if cadences:
            body.append(":Meets the cadence of: " + ", ".join(req_ref(graph, r.id) for r in cadences))
        if feeders.get(kind.id):
            body.append(":Comes from: " + "; ".join(feeders[kind.id]))
        body.append(":In the report: each item relied on is a row of the Evidence sheet (:col:`Evidence/Kind` "
                    "shows this kind's title) and its id is listed in :col:`Gaps/Evidence` beside the "
                    "requirements it bears on.")
        out.append(f".. evidence-kind:: {kind.id} || {' '.join(kind.title.split())}\n\n{indent(chr(10).join(body))}\n")
    return "\n".join(out)


# ------------------------------------------------------------------ entry point


def write_catalogue(root: Path, framework: Framework, graph: RequirementGraph,
                    feeders: dict[str, list[str]] | None = None) -> list[Path]:
    """Write the catalogue, crosswalk and evidence-kind pages under ``root``; return the catalogue pages."""
    pages = Pages(root)
    catalogue = [pages.write(f"{CATALOGUE_DIR}/index.rst", index_page(graph, framework))]
    for instrument in framework.instruments:
        catalogue.append(pages.write(f"{CATALOGUE_DIR}/{instrument.id}.rst", instrument_page(graph, instrument)))
    pages.write(f"{CROSSWALK_DIR}/index.rst", crosswalk_page(graph) + "\n.. toctree::\n   :hidden:\n\n"
                "   quality-standards\n   evidence-kinds\n")
    pages.write(f"{CROSSWALK_DIR}/quality-standards.rst", quality_standards_page(graph, pages))
    pages.write(f"{CROSSWALK_DIR}/evidence-kinds.rst", evidence_kinds_page(graph, feeders or {}))
    pages.prune(CATALOGUE_DIR)
    pages.prune(CROSSWALK_DIR)
    return catalogue
