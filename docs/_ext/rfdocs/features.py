"""The Panel's recommendations as pages: what gives each force, its features, and their last verify status.

A feature belongs to a recommendation when one of its tags names it
(``@csprp2023.r1``, ``@R1``, ``@recommendation:R1``...) or, failing tags, when
its text mentions the recommendation's stable id. Every other requirement id a
feature mentions is linked as something it tests. Statuses come from the last
``regframe verify --cucumber-json`` output, if one was left at
``docs/_generated/verify.json`` or ``bench-out/verify.json``.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import attrs
from sphinx.util import logging

from regframe.framework.model import Rel, RequirementKind

from .catalogue import ek_ref, recommendation_ref, report_columns, req_ref
from .rst import Pages, esc, heading, indent, list_table, literal, literal_block

logger = logging.getLogger(__name__)

REC_DIR = "_generated/recommendations"
_ID = re.compile(r"\b[a-z][a-z0-9-]*(?:\.[a-z0-9-]+)+\b")


@attrs.frozen
class Scenario:
    name: str
    line: int
    status: str | None = None


@attrs.frozen
class Feature:
    path: Path
    name: str
    tags: tuple[str, ...]
    text: str
    scenarios: tuple[Scenario, ...]


def _parse(path: Path) -> Feature | None:
    text = path.read_text(encoding="utf-8")
    try:
        from gherkin.parser import Parser
        from gherkin.token_scanner import TokenScanner

        document = Parser().parse(TokenScanner(text))
        feature = document.get("feature") or {}
        tags = tuple(t["name"] for t in feature.get("tags", []))
        scenarios = []
        for child in feature.get("children", []):
            for key in ("scenario", "rule"):
                node = child.get(key)
                if node is None:
                    continue
                if key == "rule":
                    tags += tuple(t["name"] for t in node.get("tags", []))
                    for inner in node.get("children", []):
                        if "scenario" in inner:
                            s = inner["scenario"]
                            scenarios.append(Scenario(s["name"], s["location"]["line"]))
                            tags += tuple(t["name"] for t in s.get("tags", []))
                else:
                    scenarios.append(Scenario(node["name"], node["location"]["line"]))
                    tags += tuple(t["name"] for t in node.get("tags", []))
        return Feature(path, feature.get("name", path.stem), tags, text, tuple(scenarios))
    except ImportError:
        pass
    except Exception as error:  # noqa: BLE001 - a broken feature is reported, not fatal to the docs
        logger.warning("rfdocs: cannot parse feature %s: %s", path, error)
        return None
    name = next((line.split(":", 1)[1].strip() for line in text.splitlines() if line.strip().startswith("Feature:")),
                path.stem)
    tags = tuple(re.findall(r"@[^\s@]+", text))
    scenarios = tuple(Scenario(line.split(":", 1)[1].strip(), n) for n, line in enumerate(text.splitlines(), 1)
                      if re.match(r"\s*Scenario( Outline)?:", line))
    return Feature(path, name, tags, text, scenarios)


def load_statuses(candidates: list[Path]) -> tuple[dict[tuple[str, str], str], Path | None]:
    """(feature name, scenario name) -> passed/failed/skipped, from a cucumber JSON file."""
    for path in candidates:
        if not path.is_file():
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as error:
            logger.warning("rfdocs: %s is not JSON: %s", path, error)
            continue
        statuses: dict[tuple[str, str], str] = {}
        for feature in data if isinstance(data, list) else []:
            for element in feature.get("elements", []):
                results = [step.get("result", {}).get("status", "undefined") for step in element.get("steps", [])]
                if any(r == "failed" for r in results):
                    status = "failed"
                elif results and all(r == "passed" for r in results):
                    status = "passed"
                else:
                    status = next((r for r in results if r != "passed"), "undefined")
                key = (feature.get("name", ""), element.get("name", ""))
                statuses[key] = _worse(statuses.get(key), status)  # an outline's examples share a name
        return statuses, path
    return {}, None


_RANK = {"failed": 0, "undefined": 1, "skipped": 2, "pending": 2, "passed": 3}


def _worse(a: str | None, b: str) -> str:
    if a is None:
        return b
    return a if _RANK.get(a, 1) <= _RANK.get(b, 1) else b


def _short(rid: str) -> str:
    return rid.rsplit(".", 1)[-1].lower()


def _belongs(feature: Feature, rid: str) -> bool:
    short = _short(rid)
    for tag in feature.tags:
        value = tag.lstrip("@").lower()
        value = re.split(r"[:=]", value)[-1]
        if value in (rid.lower(), short) or value.replace("_", ".") == rid.lower():
            return True
    return False


def _mentions(feature: Feature, known: set[str], graph=None) -> list[str]:  # noqa: ANN001
    """Requirement ids a feature names: by stable id anywhere, or by human reference in quotes."""
    found = []
    for match in _ID.findall(feature.text + " " + " ".join(feature.tags).replace("@", " ")):
        if match in known and match not in found:
            found.append(match)
    if graph is not None:
        for quoted in re.findall(r'"([^"\n]+)"', feature.text):
            requirement = graph.find_by_ref(quoted)
            if requirement is not None and requirement.id not in found:
                found.append(requirement.id)
    return found


def _status_badge(status: str | None) -> str:
    if status is None:
        return "not run"
    return f":rf-status:`{status}`"


def _feature_block(feature: Feature, features_root: Path, statuses: dict, graph, known: set[str]) -> list[str]:  # noqa: ANN001
    rel = feature.path.relative_to(features_root).as_posix()
    out = [heading(esc(f"Feature: {feature.name}"), "~"), f"File: ``features/{rel}``", ""]
    rows = [[esc(s.name), str(s.line), _status_badge(statuses.get((feature.name, s.name)))]
            for s in feature.scenarios]
    if rows:
        out.append(list_table(["Scenario", "Line", "Last verify"], rows, widths=[70, 10, 20]))
    tested = _mentions(feature, known, graph)
    if tested:
        out += ["Requirements it names: " + ", ".join(req_ref(graph, r) for r in tested) + ".", ""]
    out.append(".. code-block:: gherkin\n\n" + indent(feature.text.rstrip()) + "\n")
    return out


def recommendation_pages(pages: Pages, graph, features_root: Path, status_files: list[Path]) -> list[str]:  # noqa: ANN001
    """Write one page per top-level recommendation and an index; return the docnames."""
    features = [f for f in (_parse(p) for p in sorted(features_root.rglob("*.feature"))) if f is not None] \
        if features_root.is_dir() else []
    statuses, status_file = load_statuses(status_files)
    known = {r.id for r in graph.requirements()}
    recommendations = [r for r in graph.requirements()
                       if r.kind is RequirementKind.RECOMMENDATION and graph.parent(r.id) is None]
    recommendations.sort(key=lambda r: (r.instrument, r.id[:-2] if False else _natural(r.id)))
    claimed: dict[str, list[Feature]] = defaultdict(list)
    for feature in features:
        owners = [r.id for r in recommendations if _belongs(feature, r.id)]
        if not owners:
            mentioned = set(_mentions(feature, known))
            owners = [r.id for r in recommendations if r.id in mentioned]
        for owner in owners:
            claimed[owner].append(feature)
    unclaimed = [f for f in features if not any(f in v for v in claimed.values())]

    if status_file is None:
        status_note = ("No ``regframe verify --cucumber-json`` output was found when these pages were built "
                       "(looked for ``docs/_generated/verify.json`` and ``bench-out/verify.json``), so no "
                       "scenario shows a status.")
    else:
        status_note = (f"Scenario statuses are from ``{status_file.name}`` (the last ``regframe verify "
                       "--cucumber-json`` output left for the docs build).")

    docnames = []
    for rec in recommendations:
        parts = graph.descendants(rec.id)
        addressed = graph.addressed_by(rec.id)
        requirements = [r for r in addressed if r.kind is not RequirementKind.INDICATOR]
        indicators = [r for r in addressed if r.kind is RequirementKind.INDICATOR]
        out = [f".. _rec-{rec.id}:", "", heading(esc(f"{rec.ref}: {rec.title}"), "=", over=True),
               esc(rec.statement), "",
               f":Catalogue entry: {req_ref(graph, rec.id)}",
               f":Stable id: {literal(rec.id)}",
               f":Held by: {', '.join(r.value for r in rec.regulators) or 'none'}",
               f":In the report: {report_columns(rec)}", ""]
        if parts:
            out += ["Its parts: " + "; ".join(f"{req_ref(graph, p.id)} ({esc(p.title)})" for p in parts) + ".", ""]
        out.append(heading("What gives it force", "-"))
        if requirements:
            out += ["The requirements in force today that this recommendation ``addresses`` (its own links and "
                    "its parts'). Follow a requirement to its entry for its links; the evidence kinds column "
                    "says what can evidence it, and the report column where its status shows.", ""]
            rows = []
            for r in requirements:
                kinds = [k.id for k in graph.evidenced_by(r.id)]
                via = [link.source for link in graph.links_in(r.id, Rel.ADDRESSES)
                       if link.source == rec.id or link.source in {p.id for p in parts}]
                rows.append([
                    req_ref(graph, r.id) + "\n\n" + esc(r.title),
                    esc(r.kind.value) + ("" if not via or via == [rec.id] else "\n\nvia " + ", ".join(
                        req_ref(graph, v) for v in via if v != rec.id)),
                    ", ".join(ek_ref(graph, k) for k in kinds) or "none",
                    ":col:`Gaps/Status`" if r.kind.value in {
                        "outcome", "duty", "judgement", "evaluation-area", "quality-statement"} else "not assessed",
                ])
            out.append(list_table(["Requirement", "Kind", "Evidence kinds", "Report column"], rows,
                                  widths=[36, 14, 34, 16]))
        else:
            out += ["**Nothing in force gives this recommendation force**: it addresses no requirement in the "
                    "framework. A policy team can propose one in a revision (see :doc:`/policy/revisions`); "
                    "``standards/revisions/csprp2023-proposals.xml`` drafts one for each such recommendation.", ""]
        if indicators:
            out += ["Risk indicators it relies on (a red one makes the recommendation *failing* at a setting, an "
                    "amber one *at risk*; shown in :col:`Indicators/Level` and :col:`Recommendations/Indicators`): "
                    + ", ".join(req_ref(graph, i.id) for i in indicators) + ".", ""]
        out.append(heading("Features", "-"))
        mine = claimed.get(rec.id, [])
        if mine:
            out += [status_note, ""]
            for feature in mine:
                out += _feature_block(feature, features_root, statuses, graph, known)
        else:
            out += ["No feature file tests this recommendation yet.", ""]
        docname = f"{REC_DIR}/{rec.id}"
        pages.write(f"{docname}.rst", "\n".join(out))
        docnames.append(rec.id)

    rows = []
    for rec in recommendations:
        addressed = [r for r in graph.addressed_by(rec.id) if r.kind is not RequirementKind.INDICATOR]
        feats = claimed.get(rec.id, [])
        scen = [statuses.get((f.name, s.name)) for f in feats for s in f.scenarios]
        summary = f"{len(scen)} scenario(s)" if feats else "none"
        if scen and status_file is not None:
            summary += ": " + ", ".join(f"{scen.count(k)} {k}" for k in ("passed", "failed", "skipped", "undefined")
                                         if scen.count(k))
        rows.append([recommendation_ref(graph, rec.id), esc(rec.title), str(len(addressed)), summary])
    index = [".. _recommendations:", "", heading("The Panel's recommendations", "=", over=True),
             "The Child Safeguarding Practice Review Panel's national review after the abuse at the Hesley "
             "Group's homes and schools made recommendations to government, regulators and local areas. regframe "
             "holds each as a requirement of kind *recommendation* and links it, with ``addresses``, to the "
             "requirements in force that give it force today. Each page below goes from the recommendation to "
             "those requirements, to the evidence kinds that evidence them, to the report column that shows "
             "their status, and renders the feature files that test it.", "",
             status_note, "",
             list_table(["Recommendation", "Title", "Requirements giving force", "Features"], rows,
                        widths=[16, 50, 14, 20])]
    if unclaimed:
        index += [heading("Other features", "-"),
                  "Feature files not tied to one recommendation (framework coverage and the like).", ""]
        for feature in unclaimed:
            index += _feature_block(feature, features_root, statuses, graph, known)
    if not features:
        index += ["There are no feature files in ``features/`` in this build.", ""]
    index += [".. toctree::", "   :hidden:", "", *(f"   {d}" for d in docnames), ""]
    pages.write(f"{REC_DIR}/index.rst", "\n".join(index))
    pages.prune(REC_DIR)
    return docnames


def _natural(text: str) -> tuple:
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.split(r"(\d+)", text))


# ------------------------------------------------------------------ the step glossary


def _field(item: Any, *names: str) -> str:
    for name in names:
        value = item.get(name) if isinstance(item, dict) else getattr(item, name, None)
        if value not in (None, ""):
            if hasattr(value, "value"):
                value = value.value
            return str(value)
    return ""


def glossary_page() -> str:
    title = heading("Step glossary", "=", over=True)
    try:
        import regframe.bdd as bdd
    except ImportError as error:
        return (title + "\nThe step library (``regframe.bdd``) is not in this build of regframe "
                f"({esc(type(error).__name__)}: {esc(error)}), so there is no step glossary to show yet.\n")
    glossary = getattr(bdd, "glossary", None)
    if glossary is None:
        return title + "\nThe step library (``regframe.bdd``) has no ``glossary()`` in this build, so there is no " \
                       "step glossary to show yet.\n"
    try:
        entries = glossary()
    except Exception as error:  # noqa: BLE001
        logger.warning("rfdocs: regframe.bdd.glossary() failed: %s: %s", type(error).__name__, error)
        return title + "\nThe step glossary could not be generated in this build.\n"
    intro = ("Every step the library defines, generated from ``regframe.bdd.glossary()``. Write features with "
             "these steps only; a step that matches none fails as *undefined*.\n\n")
    if isinstance(entries, str):
        return title + "\n" + intro + literal_block(entries)
    if isinstance(entries, dict):
        entries = [{"pattern": k, "doc": v} for k, v in entries.items()]
    out = [title, intro]
    for item in entries:
        if isinstance(item, str):
            out.append(f".. step:: {' '.join(item.split())}\n")
            continue
        if isinstance(item, (tuple, list)):
            fields = list(item) + ["", "", "", ""]
            item = {"keyword": fields[0], "pattern": fields[1], "doc": fields[2], "example": fields[3]}
        keyword = _field(item, "keyword", "kind", "type")
        pattern = _field(item, "pattern", "text", "step", "name", "expression")
        doc = _field(item, "doc", "help", "description", "docstring", "summary")
        example = _field(item, "example", "examples")
        sig = " ".join(f"{keyword.capitalize() + ' ' if keyword else ''}{pattern}".split())
        body = [doc.strip()] if doc else []  # the library's docstrings are reST
        if example:
            body += ["", "Example::", "", indent(example)]
        out.append(f".. step:: {sig}\n\n{indent(chr(10).join(body))}\n" if body else f".. step:: {sig}\n")
    return "\n".join(out)
