"""The gap report workbook: what an analyst hands to a director.

Sheets, in order: *Summary* (one row per setting, worst first), *Charts*,
*Gaps* (every requirement short of met, as an Excel table; continued on
"Gaps (2)", ... past Excel's row limit), *Matrix* (settings by standard, a
heat map), *Indicators*, *Recommendations* (the Panel's recommendations as a
lens), *Provider groups*, *Evidence* (what the assessment relied on) and
*About* (inputs with their SHA-256, how to read the report, notes).

The layout lives here and reads only an :class:`~regframe.assess.results.Assessment`
and the requirement graph. Short sheets are written cell by cell through
openpyxl; the long ones (Gaps, Matrix, Indicators, Recommendations,
Evidence) are streamed by :mod:`regframe.report.bulk`. Every string goes
through :func:`regframe.io.xlsxcells.safe_text` (via :func:`.bulk.cell_text`). Nothing in the file depends on
the time it was written, so the same assessment gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.rich_text import CellRichText
from openpyxl.chart import BarChart, Reference
from openpyxl.formatting.rule import ColorScaleRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo
from openpyxl.xml.functions import tostring

from regframe.core.atomic import atomic_path
from regframe.framework.graph import RequirementGraph
from regframe.framework.model import SettingKind
from regframe.assess.results import PRECEDENCE, Assessment, Flag, LensState, Rating, SettingAssessment, Status
from regframe.report.bulk import BulkSheet, StyleBook, Styled, cell_text, splice

#: Excel's rows per sheet, header included.
EXCEL_MAX_ROWS = 1_048_576
#: Above this many gap rows the frame is built with openpyxl's write-only (streaming) worksheets.
WRITE_ONLY_THRESHOLD = 50_000

GAP_STATUSES = tuple(s for s in PRECEDENCE if s.is_gap)
#: Summary's count columns: the gaps in precedence order, then met and not applicable.
COUNT_STATUSES = (*GAP_STATUSES, Status.MET, Status.NOT_APPLICABLE)

STATUS_LABELS = {
    Status.NOT_APPLICABLE: "Not applicable",
    Status.NOT_MET: "Not met",
    Status.OVERDUE: "Overdue",
    Status.UNCORROBORATED: "Uncorroborated",
    Status.STALE: "Stale",
    Status.NO_EVIDENCE: "No evidence",
    Status.MET: "Met",
}
# Worded as regframe.assess states its rules, for the About sheet.
STATUS_MEANINGS = {
    Status.NOT_APPLICABLE: "Not in force on the as-at date, or not for this setting's registrations. Not listed "
                           "on Gaps.",
    Status.NOT_MET: "The latest independent finding in the window is negative, or a regulator's action citing the "
                    "requirement is still open.",
    Status.OVERDUE: "A time-bound duty's cadence was missed (a monthly reg 44 report, a six-monthly reg 45 review, "
                    "a child's statutory visit or review, a LADO referral within one working day).",
    Status.UNCORROBORATED: "The only evidence in the window is the provider's own.",
    Status.STALE: "Independent evidence exists, but all of it is older than the window (twelve months, or the "
                  "requirement's own cadence interval).",
    Status.NO_EVIDENCE: "Nothing at all evidences this requirement at this setting.",
    Status.MET: "A positive independent finding in the window, and none of the above.",
}
FLAG_LABELS = {
    Flag.REGULATORS_DISAGREE: "Regulators disagree",
    Flag.PROVIDER_CONTRADICTED: "Provider contradicted",
    Flag.SINGLE_REGULATOR: "Single regulator",
    Flag.SUSPECT_MAPPING: "Suspect mapping",
}
FLAG_MEANINGS = {
    Flag.REGULATORS_DISAGREE: "The latest Ofsted and CQC findings on the requirement or its crosswalk counterparts "
                              "in the window point opposite ways.",
    Flag.PROVIDER_CONTRADICTED: "The provider's latest word in the window is positive and an independent finding "
                                "in the window is negative.",
    Flag.SINGLE_REGULATOR: "At a setting registered with both, Ofsted and CQC both hold this requirement, but only "
                           "one of them has evidence in the window.",
    Flag.SUSPECT_MAPPING: "The evidence reached this requirement through a link whose target text changed since the "
                          "link was reviewed: check the mapping.",
}
RATING_LABELS = {Rating.RED: "Red", Rating.AMBER: "Amber", Rating.GREEN: "Green"}
LENS_LABELS = {LensState.FAILING: "Failing", LensState.AT_RISK: "At risk", LensState.OK: "OK",
               LensState.NOT_APPLICABLE: "Not applicable"}
KIND_LABELS = {
    SettingKind.CHILDRENS_HOME: "Children's home",
    SettingKind.SECURE_CHILDRENS_HOME: "Secure children's home",
    SettingKind.RESIDENTIAL_SPECIAL_SCHOOL: "Residential special school",
    SettingKind.RSS_CHILDRENS_HOME: "Residential special school (children's home)",
    SettingKind.CQC_HEALTH_PROVISION: "CQC health provision",
}

# Excel's own Bad / Neutral / Good colours, which directors already read at a glance.
RED_FILL, RED_FONT = "FFC7CE", "9C0006"
AMBER_FILL, AMBER_FONT = "FFEB9C", "9C5700"
GREEN_FILL, GREEN_FONT = "C6EFCE", "006100"
GREY_FILL, GREY_FONT = "EDEDED", "595959"
HEADER_FILL, HEADER_FONT = "1F3864", "FFFFFF"
RATING_FILLS = {Rating.RED: RED_FILL, Rating.AMBER: AMBER_FILL, Rating.GREEN: GREEN_FILL}
_COLOURS = {"red": (RED_FILL, RED_FONT), "amber": (AMBER_FILL, AMBER_FONT), "green": (GREEN_FILL, GREEN_FONT),
            "grey": (GREY_FILL, GREY_FONT)}
_STATUS_COLOUR = {Status.NOT_MET: "red", Status.OVERDUE: "red", Status.UNCORROBORATED: "amber",
                  Status.STALE: "amber", Status.NO_EVIDENCE: "grey"}
_LENS_COLOUR = {LensState.FAILING: "red", LensState.AT_RISK: "amber", LensState.OK: "green",
                LensState.NOT_APPLICABLE: "grey"}

#: what an indicator's breach tells (its axis): a sign of harm, or a gap in the regulator's oversight
_TELLS = {"harm": "Risk of harm", "assurance": "Oversight gap (not harm)"}

SHEETS = ("Summary", "Charts", "Gaps", "Matrix", "Indicators", "Recommendations", "Provider groups", "Evidence",
          "About")

#: (header, width, style) of each Gaps column
GAP_COLUMNS = (
    ("URN", 10, None), ("Setting", 20, "wrap"), ("Requirement id", 18, None), ("Ref", 22, None),
    ("Requirement", 28, "wrap"), ("Standard", 19, None), ("Standard title", 24, "wrap"), ("Instrument", 13, None),
    ("Regulators", 14, None), ("Status", 15, None), ("Flags", 18, "wrap"), ("Reasons", 50, "wrap"),
    ("Evidence", 16, "wrap"),
)
SUMMARY_TITLE_ROWS = 3  # title, subtitle, blank; the table's header is the row after
NO_EVIDENCE_REASON = "no evidence at all"


def _font(**attributes: Any) -> Font:
    """A font in the workbook's own family (a font with no name renders as a serif in LibreOffice)."""
    attributes.setdefault("name", "Calibri")
    attributes.setdefault("size", 11)
    return Font(**attributes)


def _lines(text: str, width: float) -> int:
    """About how many lines ``text`` takes wrapped in a column ``width`` characters wide."""
    per_line = max(1, int(width * 1.2))
    return sum(max(1, -(-len(part) // per_line)) for part in text.split("\n"))


def _height(lines: int) -> float | None:
    """Row height in points for ``lines`` lines of 11-point text; ``None`` leaves one line at the default."""
    return min(409.0, 15.0 * lines) if lines > 1 else None


def _step(maximum: float) -> float:
    """A round axis step giving about five gridlines up to ``maximum``."""
    raw = max(maximum, 1) / 5
    power = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    for multiple in (1, 2, 5, 10):
        if multiple * power >= raw:
            return float(max(1, multiple * power))
    return float(10 * power)


def write_xlsx(assessment: Assessment, graph: RequirementGraph, path: str | Path, *,
               write_only: bool | None = None) -> Path:
    """Write the gap report workbook to ``path`` atomically and return the path.

    ``write_only`` chooses openpyxl's streaming worksheets; by default they are
    used above :data:`WRITE_ONLY_THRESHOLD` gap rows. The long sheets stream
    either way.
    """
    path = Path(path)
    book = _Report(assessment, graph)
    if write_only is None:
        write_only = book.gap_rows > WRITE_ONLY_THRESHOLD
    with atomic_path(path) as temporary:
        book.write(temporary, write_only=write_only)
    return path


# ---------------------------------------------------------------- lookups


def _natural(text: str) -> tuple:
    """Sort key that puts "reg 9" before "reg 12"."""
    return tuple((0, int(part)) if part.isdigit() else (1, part.lower()) for part in re.split(r"(\d+)", text))


class _Requirements:
    """What the sheets show for a requirement id, looked up once each; unknown ids show as themselves."""

    def __init__(self, graph: RequirementGraph) -> None:
        self.graph = graph
        self._rows: dict[str, tuple[str, str, str, str, str, str, str]] = {}
        self._instruments = {i.id: i.short_title or i.id for i in graph.framework.instruments}

    def row(self, requirement_id: str) -> tuple[str, str, str, str, str, str, str]:
        """(id, ref, title, standard ref, standard title, instrument, regulators)."""
        found = self._rows.get(requirement_id)
        if found is None:
            try:
                requirement = self.graph.requirement(requirement_id)
                root = self.graph.root(requirement_id)
            except KeyError:
                found = (requirement_id, requirement_id, "", requirement_id, "", "", "")
            else:
                found = (
                    requirement_id, requirement.ref, requirement.title, root.ref, root.title,
                    self._instruments.get(requirement.instrument, requirement.instrument),
                    ", ".join(r.value for r in requirement.regulators),
                )
            self._rows[requirement_id] = found
        return found

    def ref(self, requirement_id: str) -> str:
        return self.row(requirement_id)[1]

    def title(self, requirement_id: str) -> str:
        return self.row(requirement_id)[2]

    def standard(self, requirement_id: str) -> str:
        return self.row(requirement_id)[3]


_MET, _NOT_APPLICABLE = Status.MET, Status.NOT_APPLICABLE


def _gap_findings(setting: SettingAssessment) -> list:
    """The setting's gap findings, most serious status first (the assessment's order within a status)."""
    by_status: dict[Status, list] = {status: [] for status in GAP_STATUSES}
    for finding in setting.findings:
        status = finding.status
        if status is not _MET and status is not _NOT_APPLICABLE:
            by_status[status].append(finding)
    return [finding for status in GAP_STATUSES for finding in by_status[status]]


# ---------------------------------------------------------------- the workbook


class _Report:
    def __init__(self, assessment: Assessment, graph: RequirementGraph) -> None:
        self.assessment = assessment
        self.requirements = _Requirements(graph)
        self.graph = graph
        self.notes: list[str] = []
        # one pass over the findings for every count the short sheets and charts need
        self.gaps_by_group: list[Counter[str]] = []
        self.status_by_kind: dict[SettingKind, Counter[Status]] = {}
        self.gap_rows = 0
        for setting in assessment.settings:
            groups: Counter[str] = Counter()
            kind_counts = self.status_by_kind.setdefault(setting.setting.kind, Counter())
            standard = self.requirements.standard
            for finding in setting.findings:
                status = finding.status
                if status is not _MET and status is not _NOT_APPLICABLE:
                    groups[standard(finding.requirement)] += 1
                    kind_counts[status] += 1
                    self.gap_rows += 1
            for requirement_id in setting.no_evidence:
                groups[self.requirements.standard(requirement_id)] += 1
            kind_counts[Status.NO_EVIDENCE] += len(setting.no_evidence)
            self.gap_rows += len(setting.no_evidence)
            self.gaps_by_group.append(groups)
        totals: Counter[str] = Counter()
        for groups in self.gaps_by_group:
            totals.update(groups)
        self.group_totals = totals
        self.groups = sorted(totals, key=_natural)

    # -- frame helpers

    def write(self, destination: Path, *, write_only: bool) -> None:
        self.write_only = write_only
        wb = Workbook(write_only=write_only)
        if not write_only:
            wb.remove(wb.active)
        self.wb = wb
        sheets = {name: wb.create_sheet(name) for name in ("Summary", "Charts")}
        gap_sheets = self._gap_sheet_sizes()
        for index, _ in enumerate(gap_sheets):
            title = "Gaps" if index == 0 else f"Gaps ({index + 1})"
            sheets[title] = wb.create_sheet(title)
        for name in SHEETS[3:]:
            sheets[name] = wb.create_sheet(name)
        self.sheets = sheets
        self.book = StyleBook(sheets["Summary"])
        self._register_styles()
        self.bulk: list[BulkSheet] = []
        self._next_row: dict[str, int] = {}
        self._widths: dict[str, tuple[float, ...]] = {}

        if len(gap_sheets) > 1:
            self.notes.append(
                f"The {self.gap_rows:,} gap rows are more than one Excel sheet holds "
                f"({EXCEL_MAX_ROWS - 1:,} rows below the header); they continue on "
                + ", ".join(f"Gaps ({i + 1})" for i in range(1, len(gap_sheets))) + ", in the same order."
            )
        if write_only:
            self.notes.append("Written in streaming (write-only) mode; the layout is the same as in normal mode.")

        self._summary(sheets["Summary"])
        self._charts(sheets["Charts"])
        self._gaps(gap_sheets)
        self._matrix(sheets["Matrix"])
        self._indicators(sheets["Indicators"])
        self._recommendations(sheets["Recommendations"])
        self._provider_groups(sheets["Provider groups"])
        self._evidence(sheets["Evidence"])
        self._about(sheets["About"])

        # reproducible: fixed document dates (openpyxl stamps "now" when saving)
        fixed = dt.datetime.combine(self.assessment.as_at, dt.time())
        wb.properties.creator = "regframe"
        wb.properties.created = fixed
        frame = io.BytesIO()
        wb.save(frame)
        wb.properties.modified = fixed
        core = tostring(wb.properties.to_tree())
        splice(frame.getvalue(), self.bulk, self.book, destination, replace={"docProps/core.xml": core})

    def _register_styles(self) -> None:
        add = self.book.add
        top = Alignment(vertical="top")
        wrap = Alignment(vertical="top", wrap_text=True)
        add("top", alignment=top)
        add("wrap", alignment=wrap)
        add("date", alignment=top, number_format="yyyy-mm-dd")
        add("number", alignment=top, number_format="0.00")
        add("integer", alignment=top, number_format="0")
        add("count", alignment=Alignment(horizontal="center", vertical="top"), number_format="0;-0;;@")
        for name, (fill, font) in _COLOURS.items():
            add(name, alignment=top, fill=PatternFill("solid", fgColor=fill), font=_font(color=font, bold=True))
            add(f"{name}-number", alignment=top, fill=PatternFill("solid", fgColor=fill), font=_font(color=font),
                number_format="0.00")
        self.header_font = _font(bold=True, color=HEADER_FONT)
        self.header_fill = PatternFill("solid", fgColor=HEADER_FILL)
        self.header_border = Border(bottom=Side(style="thin", color="808080"))

    def _cell(self, ws: Any, value: Any, *, font: Font | None = None, fill: PatternFill | None = None,
              alignment: Alignment | None = None, number_format: str | None = None,
              border: Border | None = None) -> Any:
        """A value for ``ws.append``: text made safe; a styled or formula-like value as a cell."""
        if isinstance(value, str):
            value = cell_text(value)
        quoted = isinstance(value, CellRichText)
        if not (quoted or font or fill or alignment or number_format or border):
            return value
        cell = WriteOnlyCell(ws, value)
        if quoted:
            cell.quotePrefix = True
        if font is not None:
            cell.font = font
        if fill is not None:
            cell.fill = fill
        if alignment is not None:
            cell.alignment = alignment
        if number_format is not None:
            cell.number_format = number_format
        if border is not None:
            cell.border = border
        return cell

    def _append(self, ws: Any, cells: Sequence[Any], height: float | None = None) -> None:
        """Append a row, giving it ``height`` first (write-only sheets take row heights only before the row)."""
        row = self._next_row.get(ws.title, 1)
        if height is not None:
            ws.row_dimensions[row].height = height
        ws.append(list(cells))
        self._next_row[ws.title] = row + 1

    def _fit(self, ws: Any, values: Sequence[Any], wrapped: Sequence[bool] | bool = True) -> float | None:
        """The height a row of ``values`` needs where its text wraps."""
        widths = self._widths.get(ws.title, ())
        flags = [wrapped] * len(values) if isinstance(wrapped, bool) else list(wrapped)
        lines = 1
        for index, value in enumerate(values):
            if index < len(widths) and index < len(flags) and flags[index] and isinstance(value, str):
                lines = max(lines, _lines(value, widths[index]))
        return _height(lines)

    def _row(self, ws: Any, values: Sequence[Any], **style: Any) -> None:
        alignment = style.get("alignment")
        height = self._fit(ws, values) if alignment is not None and alignment.wrap_text else None
        self._append(ws, [self._cell(ws, v, **style) for v in values], height)

    def _header(self, ws: Any, names: Sequence[str], *, rotate: Iterable[int] = (),
                height: float | None = None) -> None:
        """The bold header row; columns numbered in ``rotate`` (from 1) have their names turned upright."""
        rotate = set(rotate)
        cells = []
        for index, name in enumerate(names, 1):
            rotated = index in rotate
            alignment = Alignment(horizontal="center", vertical="bottom", wrap_text=not rotated,
                                  text_rotation=90 if rotated else 0)
            cells.append(self._cell(ws, name, font=self.header_font, fill=self.header_fill, alignment=alignment,
                                    border=self.header_border))
        if height is None:
            widths = self._widths.get(ws.title, ())
            # bold capitals are wider than the estimate assumes
            lines = max((_lines(n, w * 0.85) for i, (n, w) in enumerate(zip(names, widths), 1) if i not in rotate),
                        default=1)
            height = _height(lines)
            if rotate:
                height = max(height or 15.0, min(200.0, 7.0 * max(len(names[i - 1]) for i in rotate) + 12))
        self._append(ws, cells, height)

    def _layout(self, ws: Any, widths: Sequence[float], *, freeze: str | None, header_row: int = 1,
                wide: bool = False) -> None:
        """Column widths, frozen panes, print titles and page setup; before any row in write-only mode.

        Every sheet prints landscape, fitted to the page width; ``wide`` sheets on A3.
        """
        self._widths[ws.title] = tuple(widths)
        for index, width in enumerate(widths, 1):
            ws.column_dimensions[get_column_letter(index)].width = width
        if freeze:
            ws.freeze_panes = freeze
        ws.print_title_rows = f"{header_row}:{header_row}"
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = "8" if wide else "9"  # A3, A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.gridLines = False
        ws.page_margins.left = ws.page_margins.right = 0.4
        ws.page_margins.top = ws.page_margins.bottom = 0.5
        ws.oddFooter.center.text = f"{ws.title}, page &P of &N"

    def _table(self, ws: Any, name: str, names: Sequence[str], rows: int, header_row: int = 1) -> None:
        """An Excel table (banded, with filter buttons) over the header and ``rows`` data rows."""
        last = get_column_letter(len(names))
        ref = f"A{header_row}:{last}{header_row + max(rows, 1)}"
        table = Table(displayName=name, ref=ref)
        table.tableColumns = [TableColumn(id=i, name=str(n)) for i, n in enumerate(names, 1)]
        table.autoFilter = AutoFilter(ref=ref)
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
        with warnings.catch_warnings():
            # openpyxl warns that write-only tables need their columns named: they are, above
            warnings.filterwarnings("ignore", "In write-only mode you must add table columns manually")
            ws.add_table(table)

    def _bulk(self, ws: Any, rows: Any, styles: Sequence[str | None], count: int, shared: Iterable[int]) -> None:
        """Stream ``count`` rows below the header row already written; "wrap" columns set the row heights.

        ``shared`` are the columns (from 0) whose text repeats, for the shared-string table.
        """
        widths = self._widths[ws.title]
        wrap = {i: widths[i] for i, name in enumerate(styles) if name == "wrap"}
        self.bulk.append(BulkSheet(ws, rows, styles, first_row=self._next_row[ws.title], count=count, wrap=wrap,
                                   shared=shared))

    # -- Summary

    def _summary(self, ws: Any) -> None:
        a = self.assessment
        names = ["URN", "Setting", "Kind", "Local authority", "Owner", "Dual-registered", "Children", "Rating",
                 "Risk score", *(STATUS_LABELS[s] for s in COUNT_STATUSES), *(FLAG_LABELS[f] for f in Flag),
                 "Rating reasons"]
        widths = [10, 22, 18, 13, 20, 5, 5, 8, 7, *([5] * len(COUNT_STATUSES)), *([5] * len(Flag)), 60]
        header_row = SUMMARY_TITLE_ROWS + 1
        self._layout(ws, widths, freeze=f"C{header_row + 1}", header_row=header_row, wide=True)
        ratings = Counter(s.rating for s in a.settings)
        self._row(ws, ["Joint Ofsted–CQC gap report"], font=_font(bold=True, size=14))
        self._row(ws, [
            f"Framework {a.framework} {a.framework_version}, as at {a.as_at.isoformat()}: {len(a.settings):,} settings "
            f"({ratings[Rating.RED]:,} red, {ratings[Rating.AMBER]:,} amber, {ratings[Rating.GREEN]:,} green), "
            f"{self.gap_rows:,} gaps. Worst first."
        ], font=_font(italic=True, color="595959"))
        self._append(ws, [])
        self._header(ws, names, rotate=[6, 7, *range(9, len(names))])
        top = Alignment(vertical="top")
        wrap = Alignment(vertical="top", wrap_text=True)
        wrapped = [False, True, True, False, True, *([False] * (len(names) - 6)), True]
        for setting in a.settings:
            s = setting.setting
            flags = Counter(flag for finding in setting.findings for flag in finding.flags)
            reasons = "\n".join(setting.rating_reasons)
            kind = KIND_LABELS.get(s.kind, s.kind.value)
            fill, font = _COLOURS[setting.rating.value]
            row = [
                self._cell(ws, s.urn, alignment=top),
                self._cell(ws, s.name, alignment=wrap),
                self._cell(ws, kind, alignment=wrap),
                self._cell(ws, s.local_authority, alignment=top),
                self._cell(ws, s.owner, alignment=wrap),
                self._cell(ws, "Yes" if s.dual_registered else "No", alignment=top),
                self._cell(ws, setting.children, alignment=top),
                self._cell(ws, RATING_LABELS[setting.rating], alignment=top,
                           fill=PatternFill("solid", fgColor=fill), font=_font(bold=True, color=font)),
                self._cell(ws, setting.risk_score, alignment=top, number_format="0.0"),
                *(self._cell(ws, setting.counts.get(status.value, 0), alignment=top) for status in COUNT_STATUSES),
                *(self._cell(ws, flags.get(flag, 0), alignment=top) for flag in Flag),
                self._cell(ws, reasons, alignment=wrap),
            ]
            plain = [s.urn, s.name, kind, s.local_authority, s.owner, *([None] * (len(names) - 6)), reasons]
            self._append(ws, row, self._fit(ws, plain, wrapped))
        self._table(ws, "Summary", names, len(a.settings), header_row=header_row)

    # -- Charts

    def _charts(self, ws: Any) -> None:
        self._layout(ws, [24, 8, 3, 38, 10, 10, 15, 10, 12], freeze=None)
        ws.print_title_rows = None
        ws.page_setup.fitToHeight = 1  # the data and both charts on one page
        top = sorted(self.groups, key=lambda g: (-self.group_totals[g], _natural(g)))[:15]
        kinds = sorted(self.status_by_kind, key=lambda k: list(SettingKind).index(k))
        # both data blocks sit side by side from row 1; the charts go below them
        self._header(ws, ["Standard", "Gaps", "", "Setting kind", *(STATUS_LABELS[s] for s in GAP_STATUSES)])
        for index in range(max(len(top), len(kinds))):
            left = [top[index], self.group_totals[top[index]]] if index < len(top) else [None, None]
            right = ([KIND_LABELS.get(kinds[index], kinds[index].value),
                      *(self.status_by_kind[kinds[index]].get(s, 0) for s in GAP_STATUSES)]
                     if index < len(kinds) else [])
            self._row(ws, [*left, None, *right])
        data_rows = max(len(top), len(kinds), 1)
        anchor_row = data_rows + 3

        bar = BarChart()
        bar.type = "bar"
        bar.style = 10
        bar.title = "Gaps by standard (top 15)"
        bar.y_axis.title = "Gaps"
        bar.x_axis.scaling.orientation = "maxMin"  # the largest at the top
        bar.legend = None
        if top:
            bar.add_data(Reference(ws, min_col=2, min_row=1, max_row=1 + len(top)), titles_from_data=True)
            bar.set_categories(Reference(ws, min_col=1, min_row=2, max_row=1 + len(top)))
        bar.y_axis.majorUnit = _step(max((self.group_totals[g] for g in top), default=1))
        bar.x_axis.delete = bar.y_axis.delete = False  # openpyxl 3.1 hides axes in Excel unless told
        bar.height, bar.width = 10, 16
        ws.add_chart(bar, f"A{anchor_row}")

        stacked = BarChart()
        stacked.type = "col"
        stacked.grouping = "stacked"
        stacked.overlap = 100
        stacked.style = 10
        stacked.title = "Gaps by status and setting kind"
        stacked.y_axis.title = "Requirements"
        if kinds:
            stacked.add_data(Reference(ws, min_col=5, max_col=4 + len(GAP_STATUSES), min_row=1,
                                       max_row=1 + len(kinds)), titles_from_data=True)
            stacked.set_categories(Reference(ws, min_col=4, min_row=2, max_row=1 + len(kinds)))
        stacked.y_axis.majorUnit = _step(max(
            (sum(self.status_by_kind[k].get(s, 0) for s in GAP_STATUSES) for k in kinds), default=1))
        stacked.x_axis.delete = stacked.y_axis.delete = False
        stacked.height, stacked.width = 10, 16
        ws.add_chart(stacked, f"E{anchor_row}")

    # -- Gaps

    def _gap_sheet_sizes(self) -> list[int]:
        per_sheet = EXCEL_MAX_ROWS - 1
        sizes = []
        remaining = self.gap_rows
        while True:
            sizes.append(min(remaining, per_sheet))
            remaining -= sizes[-1]
            if remaining <= 0:
                return sizes

    def _gap_rows(self) -> Iterator[tuple]:
        row_of = self.requirements.row
        no_evidence = Styled(STATUS_LABELS[Status.NO_EVIDENCE], _STATUS_COLOUR[Status.NO_EVIDENCE])
        status_cells = {s: Styled(STATUS_LABELS[s], _STATUS_COLOUR[s]) for s in GAP_STATUSES}
        flag_text: dict[tuple[Flag, ...], str] = {}
        for setting in self.assessment.settings:
            head = (setting.setting.urn, setting.setting.name)
            for finding in _gap_findings(setting):
                flags, reasons, evidence = finding.flags, finding.reasons, finding.evidence
                flags_cell = flag_text.get(flags)
                if flags_cell is None:
                    flags_cell = flag_text[flags] = "; ".join(FLAG_LABELS[f] for f in flags)
                yield (
                    *head, *row_of(finding.requirement), status_cells[finding.status], flags_cell,
                    reasons[0].message if len(reasons) == 1 else "\n".join(r.message for r in reasons),
                    evidence[0] if len(evidence) == 1 else "; ".join(evidence),
                )
            for requirement_id in setting.no_evidence:
                yield (*head, *row_of(requirement_id), no_evidence, "", NO_EVIDENCE_REASON, "")

    def _gaps(self, sizes: list[int]) -> None:
        names = [c[0] for c in GAP_COLUMNS]
        source = self._gap_rows()

        def take(count: int) -> Any:
            def rows() -> Iterator[tuple]:
                for _ in range(count):
                    yield next(source)
            return rows

        for index, size in enumerate(sizes):
            title = "Gaps" if index == 0 else f"Gaps ({index + 1})"
            ws = self.sheets[title]
            self._layout(ws, [c[1] for c in GAP_COLUMNS], freeze="C2", wide=True)
            self._header(ws, names)
            self._table(ws, "Gaps" if index == 0 else f"Gaps_{index + 1}", names, size)
            self._bulk(ws, take(size), [c[2] or "top" for c in GAP_COLUMNS], size, shared=range(11))

    # -- Matrix

    def _matrix(self, ws: Any) -> None:
        names = ["URN", "Setting", "Rating", "Total gaps", *self.groups]
        self._layout(ws, [11, 30, 9, 8, *([4.5] * len(self.groups))], freeze="E2", wide=True)
        # a heat map of a hundred standards is unreadable squeezed onto one sheet of paper: 45 columns a page
        ws.page_setup.fitToWidth = max(1, math.ceil(len(names) / 45))
        ws.print_title_cols = "A:D"
        self._header(ws, names, rotate=range(5, len(names) + 1))
        groups = self.groups
        settings = self.assessment.settings
        count = len(settings)

        def rows() -> Iterator[tuple]:
            for setting, counts in zip(settings, self.gaps_by_group, strict=True):
                yield (setting.setting.urn, setting.setting.name,
                       Styled(RATING_LABELS[setting.rating], setting.rating.value), sum(counts.values()),
                       *(counts.get(g, 0) for g in groups))

        self._bulk(ws, rows, ["top", "wrap", None, "integer", *(["count"] * len(groups))], count, shared=(0, 1, 2))
        if groups and count:
            area = f"E2:{get_column_letter(4 + len(groups))}{count + 1}"
            ws.conditional_formatting.add(area, ColorScaleRule(
                start_type="num", start_value=0, start_color="FFFFFF",
                mid_type="percentile", mid_value=50, mid_color="FFEB84",
                end_type="max", end_color="F8696B",
            ))
        ws.auto_filter.ref = f"A1:{get_column_letter(len(names))}{max(count, 1) + 1}"

    # -- Indicators

    def _indicators(self, ws: Any) -> None:
        names = ["URN", "Setting", "Indicator", "Title", "Metric", "Value", "Threshold", "Level", "Basis", "Tells"]
        self._layout(ws, [10, 24, 18, 30, 16, 8, 9, 8, 44, 18], freeze="C2")
        self._header(ws, names)
        count = sum(len(s.indicators) for s in self.assessment.settings)

        def rows() -> Iterator[tuple]:
            for setting in self.assessment.settings:
                for result in setting.indicators:
                    colour = result.level if result.level in ("red", "amber") else None
                    yield (
                        setting.setting.urn, setting.setting.name, result.indicator,
                        self.requirements.title(result.indicator), result.metric,
                        Styled(result.value, f"{colour}-number") if colour else result.value,
                        result.threshold,
                        Styled(result.level.title(), colour) if colour else (result.level or ""),
                        result.basis,
                        _TELLS.get(result.axis, result.axis),
                    )

        self._bulk(ws, rows, ["top", "wrap", "top", "wrap", "top", "number", "number", "top", "wrap", "top"], count,
                   shared=(0, 1, 2, 3, 4, 7, 9))
        self._table(ws, "Indicators", names, count)

    # -- Recommendations

    def _recommendations(self, ws: Any) -> None:
        names = ["URN", "Setting", "Recommendation", "Title", "State", "Failing requirements",
                 "At-risk requirements", "Indicators"]
        self._layout(ws, [10, 24, 15, 36, 12, 26, 26, 18], freeze="C2")
        self._header(ws, names)
        count = sum(len(s.lens) for s in self.assessment.settings)
        ref = self.requirements.ref

        def rows() -> Iterator[tuple]:
            for setting in self.assessment.settings:
                for entry in setting.lens:
                    yield (
                        setting.setting.urn, setting.setting.name, ref(entry.recommendation),
                        self.requirements.title(entry.recommendation),
                        Styled(LENS_LABELS[entry.state], _LENS_COLOUR[entry.state]),
                        "\n".join(ref(r) for r in entry.failing), "\n".join(ref(r) for r in entry.at_risk),
                        "\n".join(entry.indicators),
                    )

        self._bulk(ws, rows, ["top", "wrap", "top", "wrap", "top", "wrap", "wrap", "wrap"], count,
                   shared=(0, 1, 2, 3, 4))
        self._table(ws, "Recommendations", names, count)

    # -- Provider groups

    def _provider_groups(self, ws: Any) -> None:
        names = ["Owner", "Settings", "Red", "Amber", "Green", "Settings with failings", "Stands out",
                 "Setting URNs", "URNs with failings"]
        self._layout(ws, [30, 9, 7, 7, 7, 10, 8, 30, 30], freeze="B2")
        self._header(ws, names)
        top = Alignment(vertical="top")
        wrap = Alignment(vertical="top", wrap_text=True)
        highlight = PatternFill("solid", fgColor=RED_FILL)
        for group in self.assessment.groups:
            style: dict[str, Any] = {"fill": highlight} if group.stands_out else {}
            bold = _font(bold=True, color=RED_FONT) if group.stands_out else None
            urns, failing = ", ".join(group.settings), ", ".join(group.settings_with_failings)
            height = self._fit(ws, [group.owner, *([None] * 6), urns, failing])
            self._append(ws, [
                self._cell(ws, group.owner, alignment=wrap, font=bold, **style),
                self._cell(ws, len(group.settings), alignment=top, **style),
                *(self._cell(ws, group.ratings.get(r.value, 0), alignment=top, **style) for r in Rating),
                self._cell(ws, len(group.settings_with_failings), alignment=top, **style),
                self._cell(ws, "Yes" if group.stands_out else "No", alignment=top, font=bold, **style),
                self._cell(ws, urns, alignment=wrap, **style),
                self._cell(ws, failing, alignment=wrap, **style),
            ], height)
        self._table(ws, "ProviderGroups", names, len(self.assessment.groups))

    # -- Evidence

    def _evidence(self, ws: Any) -> None:
        names = ["Evidence id", "URN", "Setting", "Kind", "Source", "Observed", "Provenance"]
        self._layout(ws, [16, 10, 24, 28, 18, 11, 44], freeze="B2")
        self._header(ws, names)
        settings = {s.setting.urn: s.setting.name for s in self.assessment.settings}
        kinds: dict[str, str] = {}

        def kind(kind_id: str) -> str:
            if kind_id not in kinds:
                try:
                    kinds[kind_id] = self.graph.evidence_kind(kind_id).title
                except KeyError:
                    kinds[kind_id] = kind_id
            return kinds[kind_id]

        def rows() -> Iterator[tuple]:
            for item in self.assessment.evidence:
                yield (item.id, item.setting, settings.get(item.setting, ""), kind(item.kind), item.source,
                       item.observed, item.provenance)

        count = len(self.assessment.evidence)
        self._bulk(ws, rows, ["top", "top", "wrap", "wrap", "top", "date", "wrap"], count, shared=(1, 2, 3, 4))
        self._table(ws, "Evidence", names, count)

    # -- About

    def _about(self, ws: Any) -> None:
        a = self.assessment
        self._layout(ws, [28, 80, 14, 10, 10, 10], freeze=None)
        ws.print_title_rows = None
        bold = _font(bold=True)
        title = _font(bold=True, size=14)
        section = _font(bold=True, size=12, color=HEADER_FILL)
        wrap = Alignment(vertical="top", wrap_text=True)

        left = Alignment(vertical="top", horizontal="left", wrap_text=True)

        def heading(text: str) -> None:
            self._append(ws, [])
            self._row(ws, [text], font=section)

        def pair(key: str, value: Any) -> None:
            self._append(ws, [self._cell(ws, key, font=bold, alignment=wrap), self._cell(ws, value, alignment=left)],
                         self._fit(ws, [key, value]))

        self._row(ws, ["About this report"], font=title)
        pair("Framework", a.framework)
        pair("Framework version", a.framework_version)
        pair("As at", a.as_at.isoformat())
        pair("regframe version", a.regframe_version)
        pair("Settings assessed", len(a.settings))
        pair("Gap rows", self.gap_rows)

        heading("Input files")
        self._header(ws, ["Path", "SHA-256", "Format", "Accepted", "Rejected", "Skipped"])
        for item in a.inputs:
            self._row(ws, [item.path, item.sha256, item.format, item.accepted, item.rejected, item.skipped],
                      alignment=Alignment(vertical="top", wrap_text=True))

        heading("How to read it")
        for line in (
            "Summary lists every setting, worst first, with its rating and why. Gaps lists every requirement "
            "short of met at each setting, most serious first, with the reasons and the evidence ids "
            "(look them up on Evidence). Matrix counts gaps by standard (the regulation or standard a "
            "requirement belongs to). Recommendations reads each setting against the Panel's recommendations.",
            "Each requirement at each setting has exactly one status: the first of those below that applies.",
        ):
            self._row(ws, ["", line], alignment=wrap)
        self._header(ws, ["Status", "Meaning"])
        for status in PRECEDENCE:
            pair(STATUS_LABELS[status], STATUS_MEANINGS[status])
        self._header(ws, ["Flag", "Meaning"])
        for flag in Flag:
            pair(FLAG_LABELS[flag], FLAG_MEANINGS[flag])
        self._header(ws, ["Recommendation state", "Meaning"])
        for state, meaning in (
            (LensState.FAILING, "A requirement the recommendation looks to is not met or overdue, or an indicator "
                                "it names is red."),
            (LensState.AT_RISK, "A requirement it looks to is uncorroborated, stale or unevidenced, or an "
                                "indicator is amber."),
            (LensState.OK, "Everything it looks to is met."),
            (LensState.NOT_APPLICABLE, "Nothing it looks to applies to this kind of setting."),
        ):
            pair(LENS_LABELS[state], meaning)

        heading("Notes")
        for note in (*a.notes, *self.notes) or ("None.",):
            self._row(ws, ["", note], alignment=wrap)
        heading("Diagnostics")
        for line in a.diagnostics or ("None.",):
            self._row(ws, ["", line], alignment=wrap)
