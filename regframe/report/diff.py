"""A :class:`~regframe.revisions.diff.FrameworkDiff` as text, JSON or an xlsx workbook.

Text is for a policy officer reading a proposal; JSON (through the shared
converter, so byte-identical for the same input) is for scripts and CI; the
workbook has one filterable sheet per section, every text cell written as a
literal string (see :mod:`regframe.io.xlsxcells`).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from regframe.core.atomic import atomic_path
from regframe.framework.converter import converter
from regframe.io.xlsxcells import write_row
from regframe.revisions.diff import CoverageStatus, FrameworkDiff, RecommendationCoverage

# ---------------------------------------------------------------- JSON


def to_json(result: FrameworkDiff) -> str:
    """The diff as JSON: the model's fields in order, dates as ISO strings, lists sorted by id."""
    return json.dumps(converter.unstructure(result), indent=2, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------- text


def _ids(ids: Sequence[str]) -> str:
    return ", ".join(ids) if ids else "nothing"


def _coverage_line(row: RecommendationCoverage) -> str:
    counts = f"{len(row.before)} → {len(row.after)}"
    match row.status:
        case CoverageStatus.LOST:
            detail = f"LOSES ALL FORCE (was {_ids(row.before)})"
        case CoverageStatus.GAINED:
            detail = f"gains force from {_ids(row.gained)}"
        case CoverageStatus.CHANGED:
            parts = []
            if row.gained:
                parts.append("+ " + _ids(row.gained))
            if row.lost:
                parts.append("- " + _ids(row.lost))
            detail = "; ".join(parts)
        case CoverageStatus.UNADDRESSED:
            detail = "no requirement in force gives it force"
            if row.indicators_after:
                detail += f" (measured by {_ids(row.indicators_after)})"
        case _:
            detail = "unchanged"
    return f"  {row.ref:<20} {row.status.value:<11} {counts:<8} {detail}"


def summary_line(result: FrameworkDiff) -> str:
    statuses = {s: len(result.coverage_with(s)) for s in CoverageStatus}
    return (
        f"{len(result.added)} added, {len(result.withdrawn)} withdrawn, {len(result.changed)} changed, "
        f"{len(result.renamed)} renamed, {len(result.removed)} removed; "
        f"{len(result.links_added)} links added, {len(result.links_removed)} removed, "
        f"{len(result.suspect_links)} to re-review; recommendations: "
        f"{statuses[CoverageStatus.LOST]} lose all force, {statuses[CoverageStatus.GAINED]} gain force, "
        f"{statuses[CoverageStatus.CHANGED]} change, {statuses[CoverageStatus.UNADDRESSED]} without force"
        + ("; citation routes changed" if result.routes_changed else "")
    )


def to_text(result: FrameworkDiff) -> str:
    """A readable report: a summary, then each non-empty section, then every recommendation's coverage."""
    lines = [
        f"Framework diff: {result.base.id} {result.base.version} → {result.revised.id} {result.revised.version}",
        summary_line(result),
        "",
    ]

    def section(title: str, rows: Sequence[Any], render: Callable[[Any], list[str]]) -> None:
        if rows:
            lines.append(f"{title} ({len(rows)})")
            for row in rows:
                lines.extend(render(row))
            lines.append("")

    section("Added requirements", result.added, lambda r: [
        f"  + {r.id}  {r.ref}: {r.title}",
        f"      {r.kind}, held by {', '.join(r.regulators) or 'nobody'}, from {r.effective_from.isoformat()}, "
        f"in {r.instrument}, confidence {r.confidence}",
    ])
    section("Withdrawn requirements", result.withdrawn, lambda r: [
        f"  - {r.id}  {r.ref}: {r.title}: "
        + (f"in force until {r.after.isoformat()}" if r.after else "reinstated")
        + (f" (was until {r.before.isoformat()})" if r.before else "")
    ])
    section("Removed requirements", result.removed, lambda r: [f"  x {r.id}  {r.ref}: {r.title}"])
    section("Renamed requirements (stable id kept)", result.renamed, lambda r: [
        f"  ~ {r.id}  {r.before} → {r.after}"
    ])
    section("Changed requirements", result.changed, lambda r: [
        f"  * {r.id}  {r.ref}: {', '.join(r.field_names)}",
        *(line for f in r.fields for line in (f"      {f.field} was: {f.before}", f"      {f.field} now: {f.after}")),
    ])
    section("Links added", result.links_added, lambda r: [f"  + {_link(r)}"])
    section("Links removed", result.links_removed, lambda r: [f"  - {_link(r)}"])
    section("Links to re-review (their target changed)", result.suspect_links, lambda r: [
        f"  ? {r.source} {r.rel} {r.target}: {r.reason}"
    ])
    if result.routes_changed:
        lines.append("Citation routes changed (the instrument a bare citation in evidence is read in; "
                     "the first route that matches wins)")
        for label, routes in (("was", result.routes_before), ("now", result.routes_after)):
            lines.append(f"  {label}:")
            lines.extend(f"    {r.order}. {_route(r)}" for r in routes)
        lines.append("")
    lines.append(f"Coverage of recommendations as at {result.as_at.isoformat()} "
                 "(requirements in force that address each; indicators do not count)")
    lines.extend(_coverage_line(row) for row in result.coverage)
    return "\n".join(lines) + "\n"


def _route(row: Any) -> str:
    who = f"source {row.source}" if row.source else "any source"
    about = f"setting kind {row.setting_kind}" if row.setting_kind else "any setting kind"
    return f"{who}, {about} → {row.instrument}"


def _link(row: Any) -> str:
    extra = ", ".join(x for x in (row.relationship, row.confidence) if x)
    return f"{row.source} {row.rel} {row.target}" + (f" ({extra})" if extra else "")


# ---------------------------------------------------------------- xlsx

_HEADER_FONT = Font(bold=True)


def _sheets(result: FrameworkDiff) -> list[tuple[str, list[str], list[list[Any]]]]:
    """Each sheet's name, header and rows (a sheet per section, even when empty, so the layout is fixed)."""
    return [
        ("Summary", ["item", "value"], [
            ["base", f"{result.base.id} {result.base.version}"],
            ["revised", f"{result.revised.id} {result.revised.version}"],
            ["coverage as at", result.as_at],
            ["summary", summary_line(result)],
        ]),
        ("Coverage", ["id", "ref", "title", "status", "before", "after", "lost", "gained",
                      "indicators before", "indicators after"],
         [[c.id, c.ref, c.title, c.status.value, len(c.before), len(c.after), ", ".join(c.lost), ", ".join(c.gained),
           ", ".join(c.indicators_before), ", ".join(c.indicators_after)] for c in result.coverage]),
        ("Added", ["id", "ref", "kind", "title", "instrument", "regulators", "from", "confidence"],
         [[a.id, a.ref, a.kind, a.title, a.instrument, ", ".join(a.regulators), a.effective_from, a.confidence]
          for a in result.added]),
        ("Withdrawn", ["id", "ref", "title", "in force until (before)", "in force until (after)"],
         [[w.id, w.ref, w.title, w.before, w.after] for w in result.withdrawn]),
        ("Changed", ["id", "ref", "title", "field", "before", "after"],
         [[c.id, c.ref, c.title, f.field, f.before, f.after] for c in result.changed for f in c.fields]),
        ("Renamed", ["id", "before", "after"], [[r.id, r.before, r.after] for r in result.renamed]),
        ("Removed", ["id", "ref", "title"], [[r.id, r.ref, r.title] for r in result.removed]),
        ("Links added", ["source", "rel", "target", "relationship", "confidence"],
         [[x.source, x.rel, x.target, x.relationship, x.confidence] for x in result.links_added]),
        ("Links removed", ["source", "rel", "target", "relationship", "confidence"],
         [[x.source, x.rel, x.target, x.relationship, x.confidence] for x in result.links_removed]),
        ("Suspect links", ["source", "rel", "target", "fingerprint", "reason"],
         [[s.source, s.rel, s.target, s.fingerprint, s.reason] for s in result.suspect_links]),
        ("Citation routes", ["table", "order", "source", "setting kind", "instrument"],
         [[table, r.order, r.source or "any", r.setting_kind or "any", r.instrument]
          for table, routes in (("before", result.routes_before), ("after", result.routes_after)) for r in routes]),
    ]


def _width(values: Sequence[Any]) -> float:
    longest = max((len(str(v)) for v in values if v is not None), default=0)
    return min(max(longest + 2, 10), 80)


def build_workbook(result: FrameworkDiff) -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, header, rows in _sheets(result):
        sheet = workbook.create_sheet(name)
        write_row(sheet, header)
        for cell in sheet[1]:
            cell.font = _HEADER_FONT
        for row in rows:
            write_row(sheet, row)
        for index, column in enumerate(header, start=1):
            letter = get_column_letter(index)
            sheet.column_dimensions[letter].width = _width([column, *(row[index - 1] for row in rows)])
            if sheet.column_dimensions[letter].width >= 60:
                for cell in sheet[letter][1:]:
                    cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.freeze_panes = "A2"
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(sheet.max_row, 1)}"
        for cell in (c for r in sheet.iter_rows(min_row=2) for c in r):
            if hasattr(cell.value, "isoformat"):
                cell.number_format = "yyyy-mm-dd"
    return workbook


def write_xlsx(result: FrameworkDiff, path: str | Path) -> None:
    """Write the workbook atomically: the destination is complete or untouched."""
    workbook = build_workbook(result)
    with atomic_path(Path(path)) as temporary:
        workbook.save(temporary)
