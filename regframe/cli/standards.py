"""``regframe standards``: list instruments and requirements, show one requirement, stamp link fingerprints."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import Counter
from typing import Any

from regframe.cli.common import add_format_option, add_framework_option, iso_date, load_framework_arg, write_rows
from regframe.core.exitcodes import ExitCode
from regframe.framework.graph import RequirementGraph, build_graph
from regframe.framework.model import Confidence, Requirement
from regframe.framework.staleness import oldest_check

INSTRUMENT_COLUMNS = ["instrument", "short_title", "version", "requirements", "in_force", "in_force_on", "confirmed",
                      "secondary", "unconfirmed", "oldest_check", "title"]
REQUIREMENT_COLUMNS = ["id", "ref", "kind", "title", "regulators", "confidence", "in_force", "in_force_on"]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("standards", help="list and show the framework's instruments and requirements")
    commands = parser.add_subparsers(dest="standards_command", metavar="SUBCOMMAND")
    commands.required = True

    lister = commands.add_parser(
        "list", help="instruments with their counts, or one instrument's requirements",
        description="Without --instrument: one row per instrument with requirement counts by confidence. "
                    "With --instrument: that instrument's requirements.",
    )
    lister.add_argument("--instrument", metavar="ID", help="list this instrument's requirements")
    lister.add_argument("--as-at", type=iso_date, metavar="DATE", help="count or list only what is in force on DATE")
    add_format_option(lister, ["table", "json", "csv"], "table")
    add_framework_option(lister)
    lister.set_defaults(handler=run_list)

    shower = commands.add_parser(
        "show", help="one requirement: its fields, citation and links in and out",
        description="REF is a stable id (chr2015.r12.2.a) or a human reference ('CHR 2015 reg 12(2)(a)').",
    )
    shower.add_argument("ref", metavar="REF")
    add_format_option(shower, ["text", "json"], "text")
    add_framework_option(shower)
    shower.set_defaults(handler=run_show)

    stamper = commands.add_parser(
        "stamp", help="record each link's target fingerprint in the catalogue files (review done)",
        description="Write the current fingerprint of each link's target into the catalogue files, so later "
                    "changes to a target's statement make the link suspect. With --only-missing, links that "
                    "already have a fingerprint (suspect or not) are left alone.",
    )
    stamper.add_argument("--only-missing", action="store_true", help="only stamp links that have no fingerprint")
    add_framework_option(stamper)
    stamper.set_defaults(handler=run_stamp)


def instrument_rows(graph: RequirementGraph, as_at: dt.date | None, day: dt.date) -> list[dict[str, Any]]:
    """Each instrument's counts: of the requirements in force at ``as_at`` (all, without it), and how many are in
    force on ``day``."""
    rows = []
    for instrument in graph.framework.instruments:
        requirements = [r for r in instrument.requirements if as_at is None or r.in_force(as_at)]
        confidence = Counter(r.confidence for r in requirements)
        rows.append({
            "instrument": instrument.id, "short_title": instrument.short_title, "version": instrument.version,
            "requirements": len(requirements), "in_force": sum(1 for r in requirements if r.in_force(day)),
            "in_force_on": day.isoformat(),
            "confirmed": confidence[Confidence.CONFIRMED], "secondary": confidence[Confidence.SECONDARY],
            "unconfirmed": confidence[Confidence.UNCONFIRMED], "oldest_check": oldest_check(instrument).isoformat(),
            "title": instrument.title,
        })
    return rows


def requirement_row(requirement: Requirement, day: dt.date) -> dict[str, Any]:
    return {
        "id": requirement.id, "ref": requirement.ref, "kind": requirement.kind.value, "title": requirement.title,
        "regulators": [r.value for r in requirement.regulators], "confidence": requirement.confidence.value,
        "in_force": requirement.in_force(day), "in_force_on": day.isoformat(),
    }


def _columns(columns: list[str], fmt: str) -> list[str]:
    """The columns for ``fmt``: a table says the day "in force" was judged on once, under it, not on every row."""
    return [c for c in columns if c != "in_force_on"] if fmt == "table" else columns


def run_list(args: argparse.Namespace) -> int:
    graph = build_graph(load_framework_arg(args.framework))
    day = args.as_at or dt.date.today()  # the command's only "now", read once and said in the output
    if args.instrument is None:
        rows = instrument_rows(graph, args.as_at, day)
        write_rows(rows, _columns(INSTRUMENT_COLUMNS, args.format), args.format)
        if args.format == "table":
            total = sum(r["requirements"] for r in rows)
            print(f"\n{len(rows)} instruments, {total} requirements ({graph.framework.id} {graph.framework.version}); "
                  f"in force as at {day.isoformat()}")
        return ExitCode.OK
    known = {i.id for i in graph.framework.instruments}
    if args.instrument not in known:
        print(f"regframe: no instrument {args.instrument!r}; known: {', '.join(sorted(known))}", file=sys.stderr)
        return ExitCode.USAGE
    rows = [
        requirement_row(r, day) for r in graph.requirements(instrument=args.instrument)
        if args.as_at is None or r.in_force(args.as_at)
    ]
    write_rows(rows, _columns(REQUIREMENT_COLUMNS, args.format), args.format)
    if args.format == "table":
        print(f"\n{len(rows)} requirement{'' if len(rows) == 1 else 's'}; in force as at {day.isoformat()}")
    return ExitCode.OK


def find(graph: RequirementGraph, ref: str) -> Requirement | None:
    if ref in graph and "requirement" in graph.graph.nodes[ref]:
        return graph.requirement(ref)
    return graph.find_by_ref(ref)


def run_show(args: argparse.Namespace) -> int:
    from regframe.framework.converter import converter

    graph = build_graph(load_framework_arg(args.framework))
    requirement = find(graph, args.ref)
    if requirement is None:
        print(f"regframe: no requirement {args.ref!r} (give a stable id or a human reference)", file=sys.stderr)
        return ExitCode.FINDINGS
    outgoing = graph.links_out(requirement.id)
    incoming = graph.links_in(requirement.id)
    if args.format == "json":
        import json

        payload = {
            "requirement": converter.unstructure(requirement),
            "links_in": converter.unstructure(incoming),
        }
        print(json.dumps(payload, indent=2, ensure_ascii=False))
        return ExitCode.OK
    r = requirement
    print(f"{r.ref}  [{r.id}]")
    print(f"  {r.title} ({r.kind.value}, {r.confidence.value})")
    print(f"  {r.statement}")
    print(f"  regulators: {', '.join(x.value for x in r.regulators) or '-'}")
    print(f"  applies to: {', '.join(x.value for x in r.applies_to) or '-'}")
    end = f" to {r.effective.end}" if r.effective.end else ""
    print(f"  in force: from {r.effective.start}{end}")
    if r.cadence:
        print(f"  cadence: {r.cadence.describe()} (from {r.cadence.anchor})")
    for threshold in r.thresholds:
        print(f"  threshold: {threshold.metric} {threshold.comparison.value} {threshold.value:g} → {threshold.level.value}")
    c = r.citation
    print(f"  citation: {c.instrument}, {c.provision} — {c.url} (checked {c.last_checked}){' — ' + c.note if c.note else ''}")
    if r.note:
        print(f"  note: {r.note}")
    print(f"  links out ({len(outgoing)}):")
    for link in outgoing:
        print(f"    {link.rel.value:17} {link.target}  {_label(graph, link.target)}{_mapping(link)}")
    print(f"  links in ({len(incoming)}):")
    for link in incoming:
        print(f"    {link.rel.value:17} {link.source}  {_label(graph, link.source)}{_mapping(link)}")
    return ExitCode.OK


def _label(graph: RequirementGraph, node: str) -> str:
    data = graph.graph.nodes[node]
    if "requirement" in data:
        return f"{data['requirement'].ref}: {data['requirement'].title}"
    return data["evidence_kind"].title


def _mapping(link: Any) -> str:
    parts = [p.value for p in (link.relationship, link.confidence) if p is not None]
    return f" ({', '.join(parts)})" if parts else ""


def run_stamp(args: argparse.Namespace) -> int:
    from regframe.framework.stamp import stamp_framework

    changed = stamp_framework(args.framework, only_missing=args.only_missing)
    for path, count in changed.items():
        print(f"{path}: {count} link(s) stamped")
    if not changed:
        print("every link already carries its target's current fingerprint")
    return ExitCode.OK
