"""``regframe evidence summary PATH...``: what a set of evidence files holds, and what was rejected or skipped.

Counts only: settings by kind, items by source and by kind, placements,
metrics, and per file the records read, accepted, rejected and skipped (by
reason, where the reader gives one: Ofsted's blank rows and out-of-scope
provision types), so that every row is accounted for. Nothing child-level is printed, so the output is safe to share; the
diagnostics go to stderr with their locations, including those from mapping
the items onto the framework (references that resolve to no requirement).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from regframe.cli.common import (
    add_evidence_options,
    add_format_option,
    add_framework_option,
    exit_for,
    load_for_command,
    mapping_problems,
    print_diagnostics,
    write_rows,
)
from regframe.core.diagnostics import Diagnostic
from regframe.evidence.model import EvidenceSet, Source

COLUMNS = ("section", "name", "count")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "evidence", help="inspect evidence files (evidence XML, Ofsted CSVs, LA returns, SSDA903)",
        description="Inspect evidence files as regframe reads them.",
    )
    commands = parser.add_subparsers(dest="evidence_command", metavar="COMMAND")
    commands.required = True
    summary = commands.add_parser(
        "summary", help="count settings, items, placements and metrics; accepted, rejected and skipped per file",
        description=(
            "Read evidence files and folders and count what they hold: settings by setting kind, evidence items "
            "by source and by kind, placements, metrics, and for each file the records accepted, rejected and "
            "skipped as outside regframe's scope. Items are mapped onto the framework (--framework, default the "
            "shipped one), so references that resolve to no requirement are reported too. Problems are printed "
            "to stderr with their locations. "
            "Exit 1 if a file could not be read, a record was rejected or an error was found (any warning too "
            "with --strict)."
        ),
    )
    summary.add_argument("paths", nargs="+", type=Path, metavar="PATH", help="evidence files or folders")
    add_format_option(summary, ["table", "json", "csv"], "table")
    add_framework_option(summary)
    add_evidence_options(summary)
    summary.set_defaults(handler=run_summary)


def summary_rows(evidence: EvidenceSet, mapping: Sequence[Diagnostic] = ()) -> list[dict[str, Any]]:
    """The summary as rows of (section, name, count), in a stable order; ``mapping`` adds to the diagnostics counted."""
    rows: list[dict[str, Any]] = []

    def section(name: str, counts: Counter[str]) -> None:
        rows.extend({"section": name, "name": key, "count": counts[key]} for key in sorted(counts))

    section("settings by kind", Counter(s.kind.value for s in evidence.settings.values()))
    section("items by source", Counter(i.source.value for i in evidence.items))
    section("items by kind", Counter(i.kind for i in evidence.items))
    section("inspections by kind", Counter(i.kind.value for i in evidence.inspections))
    section("registration events by kind", Counter(e.kind.value for e in evidence.registrations))
    rows.append({"section": "placements", "name": "all", "count": len(evidence.placements)})
    rows.append({"section": "metrics", "name": "all", "count": len(evidence.metrics)})
    closed = sum(1 for s in evidence.settings.values() if s.closed_on is not None)
    if evidence.closures:
        rows.append({"section": "closures", "name": "applied to known settings", "count": closed})
        rows.append({"section": "closures", "name": "for settings not otherwise known", "count": len(evidence.unmatched_closures)})
    for file in evidence.inputs:
        rows.append({"section": "rows read", "name": file.path, "count": file.rows})
        rows.append({"section": "accepted", "name": file.path, "count": file.accepted})
        rows.append({"section": "rejected", "name": file.path, "count": file.rejected})
        if file.skipped_by_reason:  # the reader said why (Ofsted): read = accepted + rejected + each reason
            rows.extend({"section": f"skipped: {reason}", "name": file.path, "count": count}
                        for reason, count in file.skipped_by_reason.items())
        elif file.skipped:
            rows.append({"section": "skipped out of scope", "name": file.path, "count": file.skipped})
        if file.blank:
            rows.append({"section": "blank", "name": file.path, "count": file.blank})
        if file.unused:
            rows.append({"section": "in tables regframe does not use", "name": file.path, "count": file.unused})
        for sheet in file.not_read:  # rows no count above includes, as many as could be counted
            where = "refused" if not sheet.after_row else f"after row {sheet.after_row:,}"
            unknown = ", how many unknown" if sheet.rows is None else ""
            rows.append({"section": "rows not read", "name": f"{file.path}: sheet {sheet.sheet!r} {where} "
                                                              f"({sheet.code}){unknown}", "count": sheet.rows})
        if not file.accounted:  # a reader's bug, said rather than hidden
            rows.append({"section": "rows not accounted for", "name": file.path,
                         "count": file.rows - file.accepted - file.rejected - file.skipped - file.blank - file.unused})
    section("out of scope by reason", Counter({f"{fmt}: {reason}": n for (fmt, reason), n in evidence.out_of_scope.items()}))
    rows.extend(cqc_rows(evidence))
    severities = Counter(d.severity.value for d in [*evidence.diagnostics, *mapping])
    section("diagnostics", severities)
    return rows


def cqc_rows(evidence: EvidenceSet) -> list[dict[str, Any]]:
    """CQC's part of the summary: ratings by key question, link file outcomes, locations not linked.

    Ratings are the CQC items whose outcome is a rating, by the key question they reference (from any
    reader: CQC API records or evidence XML); shown only when there are CQC items or links to count.
    """
    ratings = Counter(f"{item.references[0]}: {item.outcome.grade.value}" for item in evidence.items
                      if item.source is Source.CQC and item.outcome is not None and item.outcome.grade is not None
                      and len(item.references) == 1)
    unlinked = sum(1 for setting in evidence.settings.values() if setting.cqc_record_unlinked)
    rows = [{"section": "cqc ratings by key question", "name": name, "count": ratings[name]} for name in sorted(ratings)]
    rows += [{"section": "cqc links", "name": name, "count": evidence.link_outcomes[name]}
             for name in sorted(evidence.link_outcomes)]
    if ratings or evidence.link_outcomes or unlinked:
        rows.append({"section": "cqc links", "name": "settings marked CQC record not linked", "count": unlinked})
    return rows


def run_summary(args: argparse.Namespace) -> int:
    from regframe.evidence.pseudonym import PseudonymKey

    key = PseudonymKey.resolve(args.pseudonym_key_file)
    evidence = load_for_command(args.paths, key, args.la_code)
    mapping: list[Diagnostic] = []
    notes = list(evidence.notes)
    if evidence.items:
        mapping, note = mapping_problems(evidence, args.framework)
        notes.extend([note] if note else [])
    for note in notes:
        print(f"regframe: note: {note}", file=sys.stderr)
    problems = [*evidence.diagnostics, *mapping]
    print_diagnostics(problems, stream=sys.stderr)
    write_rows(summary_rows(evidence, mapping), COLUMNS, args.format)
    if args.format == "table":
        print_kind_legend(evidence)
    return exit_for(problems, args.strict)


def print_kind_legend(evidence: EvidenceSet) -> None:
    """Under the table, what each setting kind counted means: the ids are stable but terse."""
    kinds = sorted({setting.kind for setting in evidence.settings.values()}, key=lambda kind: kind.value)
    if kinds:
        print()
        for kind in kinds:
            print(f"{kind.value}: {kind.description}")
