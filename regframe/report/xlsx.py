"""The gap report workbook: what an analyst hands to a director.

Sheets, in order: *Summary* (one row per setting, by risk then lowest
assurance, with at most five reasons in plain words), *Charts* (risk by
assurance; not met and overdue by setting), *Gaps* (every requirement with
evidence that is short of met, as an Excel table; continued on "Gaps (2)",
... past Excel's row limit), *Coverage* (how the requirements each regulator
holds are evidenced at each setting: what is not known, apart from what is
failing), *Matrix* (settings by standard, a heat map of failing
requirements), *Indicators*, *Recommendations* (the Panel's recommendations
as a lens), *Provider groups*, *Evidence* (what the assessment relied on) and
*About* (the run id the JSON written with it shares, inputs by file name with
their SHA-256, how to read the report with the rules' own words, notes).

Every column's width is measured from its header and its values (the long
sheets from their first :data:`WIDTH_SAMPLE` rows), shares are shown as
percentages, and every numeric column has a number format. No absolute path
of the user's is written: inputs and provenance are named by file name.

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
import itertools
import math
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

from regframe.assess.assurance import ASSURANCE_RULE, COVERAGE_CLASSES, COVERAGE_MEANINGS
from regframe.assess.rating import RATED_GOOD_BUT_RULE, RATING_RULE
from regframe.assess.reasons import REASON_RANKING, SHARE_METRICS, SUMMARY_REASONS
from regframe.assess.results import (
    PRECEDENCE,
    Assessment,
    Assurance,
    Flag,
    LensState,
    Rating,
    SettingAssessment,
    Status,
)
from regframe.assess.setting import LENS_MEANINGS
from regframe.assess.status import FAILING_STATUSES, FLAG_MEANINGS, GAP_STATUSES, STATUS_MEANINGS
from regframe.core.atomic import atomic_path
from regframe.core.text import natural_key
from regframe.evidence.model import Setting
from regframe.framework.graph import RequirementGraph
from regframe.framework.model import SettingKind
from regframe.report.bulk import BulkSheet, StyleBook, Styled, cell_text, splice
from regframe.report.names import published, shown
from regframe.report.runid import run_id

#: Excel's rows per sheet, header included.
EXCEL_MAX_ROWS = 1_048_576
#: Above this many gap rows the frame is built with openpyxl's write-only (streaming) worksheets.
WRITE_ONLY_THRESHOLD = 50_000

#: Summary's count columns: the gaps in precedence order, then met and not applicable.
COUNT_STATUSES = (*GAP_STATUSES, Status.MET, Status.NOT_APPLICABLE)
#: what the Gaps sheet lists: requirements with evidence short of met (no evidence at all is on Coverage)
GAPS_SHEET_STATUSES = tuple(s for s in GAP_STATUSES if s is not Status.NO_EVIDENCE)
#: the long sheets' column widths are measured over this many of their first rows
WIDTH_SAMPLE = 2_000

STATUS_LABELS = {
    Status.NOT_APPLICABLE: "Not applicable",
    Status.NOT_MET: "Not met",
    Status.OVERDUE: "Overdue",
    Status.UNCORROBORATED: "Uncorroborated",
    Status.STALE: "Stale",
    Status.NO_EVIDENCE: "No evidence",
    Status.MET: "Met",
}
FLAG_LABELS = {
    Flag.REGULATORS_DISAGREE: "Regulators disagree",
    Flag.PROVIDER_CONTRADICTED: "Provider contradicted",
    Flag.SINGLE_REGULATOR: "Single regulator",
    Flag.SUSPECT_MAPPING: "Suspect mapping",
}
RATING_LABELS = {Rating.RED: "Red", Rating.AMBER: "Amber", Rating.GREEN: "Green"}
ASSURANCE_LABELS = {Assurance.HIGH: "High", Assurance.MEDIUM: "Medium", Assurance.LOW: "Low"}
COVERAGE_LABELS = {"evidenced": "Evidenced", "stale": "Stale", "provider_only": "Provider only", "none": "None"}
REGULATOR_LABELS = {"ofsted": "Ofsted", "cqc": "CQC", "other": "Others (LAs, government)"}
LENS_LABELS = {LensState.FAILING: "Failing", LensState.AT_RISK: "At risk", LensState.OK: "OK",
               LensState.NOT_APPLICABLE: "Not applicable"}
KIND_LABELS = {
    SettingKind.CHILDRENS_HOME: "Children's home",
    SettingKind.SECURE_CHILDRENS_HOME: "Secure children's home",
    SettingKind.RESIDENTIAL_SPECIAL_SCHOOL: "Residential special school",
    SettingKind.RSS_CHILDRENS_HOME: "Residential special school (children's home)",
    SettingKind.CQC_HEALTH_PROVISION: "CQC health provision",
}

#: what the Summary says of a CQC location no link file joined to its Ofsted setting
UNLINKED_REASON = ("CQC record not linked: this CQC care home serves children, so Ofsted probably registers it too; "
                   "give a link file (regframe template link) to join it to its Ofsted URN")
#: what it says of an Ofsted setting registered with CQC whose CQC record was not among the CQC records read
UNLINKED_REGISTRATION_REASON = ("CQC record not linked: this setting is registered with CQC, but its CQC location "
                                "was not among the CQC records read (missing, or out of scope); CQC's silence here "
                                "is not a finding")


def _unlinked_reason(setting: Setting) -> tuple[str, ...]:
    """The Summary's first rating reason for a setting marked ``cqc_record_unlinked``, by which side it is."""
    if not setting.cqc_record_unlinked:
        return ()
    return (UNLINKED_REASON if setting.kind is SettingKind.CQC_HEALTH_PROVISION else UNLINKED_REGISTRATION_REASON,)


def _dual_label(setting: Setting) -> str:
    """The Summary's Dual-registered cell: a CQC location awaiting its link says so rather than Yes or No."""
    if setting.cqc_record_unlinked:
        return "Not linked"
    return "Yes" if setting.dual_registered else "No"

# Excel's own Bad / Neutral / Good colours, which directors already read at a glance.
RED_FILL, RED_FONT = "FFC7CE", "9C0006"
AMBER_FILL, AMBER_FONT = "FFEB9C", "9C5700"
GREEN_FILL, GREEN_FONT = "C6EFCE", "006100"
GREY_FILL, GREY_FONT = "EDEDED", "595959"
HEADER_FILL, HEADER_FONT = "1F3864", "FFFFFF"
_COLOURS = {"red": (RED_FILL, RED_FONT), "amber": (AMBER_FILL, AMBER_FONT), "green": (GREEN_FILL, GREEN_FONT),
            "grey": (GREY_FILL, GREY_FONT)}
_STATUS_COLOUR = {Status.NOT_MET: "red", Status.OVERDUE: "red", Status.UNCORROBORATED: "amber",
                  Status.STALE: "amber", Status.NO_EVIDENCE: "grey"}
_LENS_COLOUR = {LensState.FAILING: "red", LensState.AT_RISK: "amber", LensState.OK: "green",
                LensState.NOT_APPLICABLE: "grey"}
_ASSURANCE_COLOUR = {Assurance.HIGH: "green", Assurance.MEDIUM: "amber", Assurance.LOW: "grey"}

SHEETS = ("Summary", "Charts", "Gaps", "Coverage", "Matrix", "Indicators", "Recommendations", "Provider groups",
          "Evidence", "About")

#: (header, widest it may grow to, style) of each Gaps column; the width is measured, up to that
GAP_COLUMNS = (
    ("URN", 14, None), ("Setting", 24, "wrap"), ("Requirement id", 40, None), ("Ref", 30, "wrap"),
    ("Requirement", 30, "wrap"), ("Standard", 26, "wrap"), ("Standard title", 26, "wrap"), ("Instrument", 22, "wrap"),
    ("Regulators", 20, "wrap"), ("Status", 16, None), ("Flags", 22, "wrap"), ("Reasons", 60, "wrap"),
    ("Evidence", 30, "wrap"),
)
SUMMARY_TITLE_ROWS = 3  # title, subtitle, blank; the table's header is the row after


def _font(**attributes: Any) -> Font:
    """A font in the workbook's own family (a font with no name renders as a serif in LibreOffice)."""
    attributes.setdefault("name", "Calibri")
    attributes.setdefault("size", 11)
    return Font(**attributes)


def _lines(text: str, width: float) -> int:
    """About how many lines ``text`` takes wrapped in a column ``width`` characters wide.

    Words are laid out whole, as a spreadsheet wraps them, so the space a long word leaves at the end
    of a line is counted. A width unit holds about 1.1 characters of running text: measured in
    LibreOffice with DejaVu Sans, wider than Excel's Calibri, so a row fits in either.
    """
    per_line = max(1, int(width * 1.1))
    lines = 0
    for part in text.split("\n"):
        used = 0
        lines += 1
        for word in part.split():
            need = len(word) if used == 0 else used + 1 + len(word)
            if need <= per_line:
                used = need
                continue
            extra, rest = divmod(len(word), per_line)  # a word longer than a line is broken
            lines += (1 if used else 0) + extra - (0 if rest else 1)
            used = rest or per_line
    return lines


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


def _text_of(value: Any) -> str:
    """A cell value as it shows, near enough to measure its width."""
    if isinstance(value, Styled):
        value = value.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "FALSE" if not value else "TRUE"
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, dt.date):
        return "yyyy-mm-dd"
    return str(value)


#: what a header needs beyond its longest word: bold text and a table's filter button
HEADER_PAD = 3.0
#: points a character of an upright (rotated) bold header takes, measured in LibreOffice with DejaVu Sans
ROTATED_POINTS = 7.6


def fit_widths(names: Sequence[str], rows: Iterable[Sequence[Any]], wrap: Sequence[bool], caps: Sequence[float],
               *, rotate: Iterable[int] = (), floor: float = 4.0) -> list[float]:
    """Column widths that fit the content: the header's longest word (unless rotated, counted from 0), every
    unwrapped value in full (an id is never cut), and a wrapped column up to its cap but never below its
    longest word."""
    rotate = set(rotate)
    longest = [0] * len(names)
    longest_word = [0] * len(names)
    for row in rows:
        for index, value in enumerate(row[: len(names)]):
            text = _text_of(value)
            if not text:
                continue
            longest[index] = max(longest[index], max(len(line) for line in text.split("\n")))
            if wrap[index]:
                longest_word[index] = max(longest_word[index], max((len(w) for w in text.split()), default=0))
    widths = []
    for index, name in enumerate(names):
        header = 0.0 if index in rotate else max((len(w) for w in str(name).split()), default=0) * 1.1 + HEADER_PAD
        if wrap[index]:
            value = max(min(longest[index] + 1.0, caps[index]), longest_word[index] + 1.0)
        else:
            value = longest[index] + 1.0
        widths.append(round(max(floor, header, value), 1))
    return widths


def _file_name(path: str) -> str:
    """An input named by its file name only (the user's folders are theirs)."""
    return Path(path).name or path


def write_xlsx(assessment: Assessment, graph: RequirementGraph, path: str | Path, *,
               write_only: bool | None = None) -> Path:
    """Write the gap report workbook to ``path`` atomically and return the path.

    ``write_only`` chooses openpyxl's streaming worksheets; by default they are
    used above :data:`WRITE_ONLY_THRESHOLD` gap rows. The long sheets stream
    either way.
    """
    path = Path(path)
    with atomic_path(path) as temporary:
        write_xlsx_into(assessment, graph, temporary, write_only=write_only)
    return path


def write_xlsx_into(assessment: Assessment, graph: RequirementGraph, path: Path, *,
                    write_only: bool | None = None) -> None:
    """Write the workbook into ``path`` as it is (not atomically: for a temporary file the caller renames)."""
    book = _Report(assessment, graph)
    if write_only is None:
        write_only = book.gap_rows > WRITE_ONLY_THRESHOLD
    book.write(path, write_only=write_only)


# ---------------------------------------------------------------- lookups


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
    """The setting's Gaps rows, most serious status first (the assessment's order within a status)."""
    by_status: dict[Status, list] = {status: [] for status in GAPS_SHEET_STATUSES}
    for finding in setting.findings_having(GAPS_SHEET_STATUSES):
        found = by_status.get(finding.status)
        if found is not None:
            found.append(finding)
    return [finding for status in GAPS_SHEET_STATUSES for finding in by_status[status]]


# ---------------------------------------------------------------- the workbook


class _Report:
    def __init__(self, assessment: Assessment, graph: RequirementGraph) -> None:
        self.assessment = assessment
        self.run_id = run_id(assessment)
        self.requirements = _Requirements(graph)
        self.graph = graph
        self.notes: list[str] = []
        # one pass over the findings for every count the short sheets and charts need
        self.gaps_by_group: list[Counter[str]] = []  # failing requirements (not met, overdue) by standard
        self.gap_rows = 0
        listed = frozenset(GAPS_SHEET_STATUSES)
        for setting in assessment.settings:
            groups: Counter[str] = Counter()
            standard = self.requirements.standard
            for finding in setting.headlines():
                status = finding.status
                if status in listed:
                    self.gap_rows += 1
                    if status in FAILING_STATUSES:
                        groups[standard(finding.requirement)] += 1
            self.gaps_by_group.append(groups)
        # input files by their full path, longest first, to name provenance by file name
        self.input_names = sorted(((i.path, _file_name(i.path)) for i in assessment.inputs),
                                  key=lambda pair: -len(pair[0]))
        totals: Counter[str] = Counter()
        for groups in self.gaps_by_group:
            totals.update(groups)
        self.group_totals = totals
        self.groups = sorted(totals, key=natural_key)

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
        self._coverage(sheets["Coverage"])
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
        wb.properties.identifier = self.run_id  # the JSON written with it carries the same
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
        add("percent", alignment=top, number_format="0%")
        for name, (fill, font) in _COLOURS.items():
            add(name, alignment=top, fill=PatternFill("solid", fgColor=fill), font=_font(color=font, bold=True))
            add(f"{name}-number", alignment=top, fill=PatternFill("solid", fgColor=fill), font=_font(color=font),
                number_format="0.00")
            add(f"{name}-percent", alignment=top, fill=PatternFill("solid", fgColor=fill), font=_font(color=font),
                number_format="0%")
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
            lines = max((_lines(n, w * 0.85) for i, (n, w) in enumerate(zip(names, widths, strict=False), 1) if i not in rotate),
                        default=1)
            height = _height(lines)
            if rotate:  # an upright name needs its length in points (bold, DejaVu Sans as widest), up to Excel's limit
                height = max(height or 15.0, min(409.0, ROTATED_POINTS * max(len(names[i - 1]) for i in rotate) + 14))
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
        names = ["URN", "Setting", "Kind", "Local authority", "Owner", "Dual-registered", "Children", "Risk",
                 "Assurance", "Risk score", *(STATUS_LABELS[s] for s in COUNT_STATUSES),
                 *(FLAG_LABELS[f] for f in Flag), "Rated good, but …", "Reasons", "Assurance because"]
        rotate = [5, 6, 9, *range(10, len(names) - 2)]  # from 0: the narrow numeric and yes/no columns
        wrapped = [False, True, True, True, True, *([False] * (len(names) - 7)), True, True]
        rows = []
        for setting in a.settings:
            s = setting.setting
            flags = Counter(flag for finding in setting.headlines() for flag in finding.flags)
            reasons = "\n".join([*_unlinked_reason(s),
                                 *(f"{n}. {r.text}" for n, r in enumerate(setting.reasons[:SUMMARY_REASONS], 1))])
            rows.append([
                s.urn, shown(s.name), KIND_LABELS.get(s.kind, s.kind.value), s.local_authority, s.owner,
                _dual_label(s), setting.children,
                Styled(RATING_LABELS[setting.rating], setting.rating.value),
                Styled(ASSURANCE_LABELS[setting.assurance], _ASSURANCE_COLOUR[setting.assurance]),
                setting.risk_score, *(setting.counts.get(status.value, 0) for status in COUNT_STATUSES),
                *(flags.get(flag, 0) for flag in Flag), "Yes" if setting.rated_good_but else "",
                reasons, "; ".join(setting.assurance_reasons),
            ])
        caps = [14, 24, 18, 16, 22, *([12] * (len(names) - 7)), 90, 40]
        widths = fit_widths(names, rows, wrapped, caps, rotate=rotate)
        header_row = SUMMARY_TITLE_ROWS + 1
        self._layout(ws, widths, freeze=f"C{header_row + 1}", header_row=header_row, wide=True)
        risks = Counter(s.rating for s in a.settings)
        assured = Counter(s.assurance for s in a.settings)
        self._row(ws, ["Joint Ofsted–CQC gap report"], font=_font(bold=True, size=14))
        self._row(ws, [
            f"Framework {a.framework} {a.framework_version}, as at {a.as_at.isoformat()}: {len(a.settings):,} settings; "
            f"risk {risks[Rating.RED]:,} red, {risks[Rating.AMBER]:,} amber, {risks[Rating.GREEN]:,} green; "
            f"assurance {assured[Assurance.HIGH]:,} high, {assured[Assurance.MEDIUM]:,} medium, "
            f"{assured[Assurance.LOW]:,} low; {self.gap_rows:,} gaps. By risk, then lowest assurance first."
            + (f" {len(a.closed):,} setting(s) closed, resigned or cancelled by then are not rated (listed on About)."
               if a.closed else "")
        ], font=_font(italic=True, color="595959"))
        if a.input_errors:  # on the first page, not only at the foot of About: this report rests on incomplete input
            self._row(ws, [f"The input was not clean: {len(a.input_errors):,} error(s) (files that could not be read, "
                           "records rejected). Ratings may be missing evidence; the errors are listed on About."],
                      font=_font(bold=True, color="9C0006"))
        else:
            self._append(ws, [])
        self._header(ws, names, rotate=[i + 1 for i in rotate])
        top = Alignment(vertical="top")
        wrap = Alignment(vertical="top", wrap_text=True)
        formats = {6: "0", 9: "0.0", **{i: "0" for i in range(10, 10 + len(COUNT_STATUSES) + len(Flag))}}
        for row in rows:
            cells = []
            for index, value in enumerate(row):
                if isinstance(value, Styled):
                    fill, font = _COLOURS[value.style]
                    cells.append(self._cell(ws, value.value, alignment=top, fill=PatternFill("solid", fgColor=fill),
                                            font=_font(bold=True, color=font)))
                else:
                    cells.append(self._cell(ws, value, alignment=wrap if wrapped[index] else top,
                                            number_format=formats.get(index)))
            plain = [v if wrapped[i] and isinstance(v, str) else None for i, v in enumerate(row)]
            self._append(ws, cells, self._fit(ws, plain, wrapped))
        self._table(ws, "Summary", names, len(a.settings), header_row=header_row)

    # -- Charts

    def _charts(self, ws: Any) -> None:
        """Risk by assurance for every setting; not met and overdue for each red and amber setting."""
        settings = self.assessment.settings
        grid = Counter((s.rating, s.assurance) for s in settings)
        levels = [Assurance.LOW, Assurance.MEDIUM, Assurance.HIGH]
        left: list[list[Any]] = [[RATING_LABELS[r], *(grid[(r, level)] for level in levels)] for r in Rating]
        flagged = [s for s in settings if s.rating is not Rating.GREEN]
        right: list[list[Any]] = [[published(s.setting.name) or s.setting.urn, s.counts.get(Status.NOT_MET.value, 0),
                  s.counts.get(Status.OVERDUE.value, 0)] for s in flagged]
        left_names = ["Risk", *(f"{ASSURANCE_LABELS[level]} assurance" for level in levels)]
        right_names = ["Red or amber setting", STATUS_LABELS[Status.NOT_MET], STATUS_LABELS[Status.OVERDUE]]
        names = [*left_names, "", *right_names]
        rows = [[*(left[i] if i < len(left) else [None] * 4), None, *(right[i] if i < len(right) else [None] * 3)]
                for i in range(max(len(left), len(right)))]
        widths = fit_widths(names, rows, [False, False, False, False, False, True, False, False],
                            [12, 12, 12, 12, 3, 30, 10, 10])
        widths[4] = 3
        self._layout(ws, widths, freeze=None)
        ws.print_title_rows = None
        ws.page_setup.fitToHeight = 1  # the data and both charts on one page
        self._header(ws, names)
        top, wrap = Alignment(vertical="top"), Alignment(vertical="top", wrap_text=True)
        for row in rows:
            self._append(ws, [self._cell(ws, v, alignment=wrap if i == 5 else top,
                                         number_format="0" if isinstance(v, int) else None)
                              for i, v in enumerate(row)], self._fit(ws, [None] * 5 + row[5:6]))
        anchor_row = max(len(rows), 1) + 3

        grid_chart = BarChart()
        grid_chart.type = "col"
        grid_chart.grouping = "stacked"
        grid_chart.overlap = 100
        grid_chart.style = 10
        grid_chart.title = "Settings by risk and assurance"
        grid_chart.y_axis.title = "Settings"
        grid_chart.add_data(Reference(ws, min_col=2, max_col=4, min_row=1, max_row=1 + len(left)), titles_from_data=True)
        grid_chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=1 + len(left)))
        grid_chart.y_axis.majorUnit = _step(max((sum(r[1:]) for r in left), default=1))
        grid_chart.x_axis.delete = grid_chart.y_axis.delete = False  # openpyxl 3.1 hides axes in Excel unless told
        grid_chart.height, grid_chart.width = 10, 16
        ws.add_chart(grid_chart, f"A{anchor_row}")

        failing = BarChart()
        failing.type = "bar"
        failing.grouping = "stacked"
        failing.overlap = 100
        failing.style = 10
        failing.title = "Not met and overdue, red and amber settings"
        failing.y_axis.title = "Requirements"
        failing.x_axis.scaling.orientation = "maxMin"  # the first (highest risk) at the top
        if right:
            failing.add_data(Reference(ws, min_col=7, max_col=8, min_row=1, max_row=1 + len(right)),
                             titles_from_data=True)
            failing.set_categories(Reference(ws, min_col=6, min_row=2, max_row=1 + len(right)))
        failing.y_axis.majorUnit = _step(max((r[1] + r[2] for r in right), default=1))
        failing.x_axis.delete = failing.y_axis.delete = False
        failing.height, failing.width = 10, 16
        ws.add_chart(failing, f"F{anchor_row}")

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
        status_cells = {s: Styled(STATUS_LABELS[s], _STATUS_COLOUR[s]) for s in GAPS_SHEET_STATUSES}
        flag_text: dict[tuple[Flag, ...], str] = {}
        for setting in self.assessment.settings:
            head = (setting.setting.urn, shown(setting.setting.name))
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

    def _gaps(self, sizes: list[int]) -> None:
        names = [c[0] for c in GAP_COLUMNS]
        source = self._gap_rows()
        widths = fit_widths(names, itertools.islice(self._gap_rows(), WIDTH_SAMPLE),
                            [c[2] == "wrap" for c in GAP_COLUMNS], [c[1] for c in GAP_COLUMNS])

        def take(count: int) -> Any:
            def rows() -> Iterator[tuple]:
                for _ in range(count):
                    yield next(source)
            return rows

        for index, size in enumerate(sizes):
            title = "Gaps" if index == 0 else f"Gaps ({index + 1})"
            ws = self.sheets[title]
            self._layout(ws, widths, freeze="C2", wide=True)
            self._header(ws, names)
            self._table(ws, "Gaps" if index == 0 else f"Gaps_{index + 1}", names, size)
            self._bulk(ws, take(size), [c[2] or "top" for c in GAP_COLUMNS], size, shared=range(11))

    # -- Coverage

    def _coverage(self, ws: Any) -> None:
        """Per setting and regulator: how many requirements are evidenced, stale, provider-only or unevidenced."""
        names = ["URN", "Setting", "Assurance", "Regulator", "Applicable",
                 *(COVERAGE_LABELS[c] for c in COVERAGE_CLASSES), "Evidenced share"]
        rows = []
        for setting in self.assessment.settings:
            for entry in setting.coverage:
                share = entry.evidenced / entry.applicable if entry.applicable else 0.0
                rows.append((setting.setting.urn, shown(setting.setting.name),
                             Styled(ASSURANCE_LABELS[setting.assurance], _ASSURANCE_COLOUR[setting.assurance]),
                             REGULATOR_LABELS.get(entry.regulator, entry.regulator), entry.applicable,
                             *(getattr(entry, c) for c in COVERAGE_CLASSES), share))
        wrapped = [False, True, False, True, *([False] * (len(names) - 4))]
        widths = fit_widths(names, rows[:WIDTH_SAMPLE], wrapped, [14, 26, 10, 16, *([10] * (len(names) - 4))])
        self._layout(ws, widths, freeze="C2")
        self._header(ws, names)
        self._bulk(ws, lambda: iter(rows), ["top", "wrap", None, "wrap", "integer", *(["integer"] * 4), "percent"],
                   len(rows), shared=(0, 1, 2, 3))
        self._table(ws, "Coverage", names, len(rows))

    # -- Matrix

    def _matrix(self, ws: Any) -> None:
        """Settings by standard: how many requirements are failing (not met or overdue) under each."""
        names = ["URN", "Setting", "Risk", "Failing", *self.groups]
        groups = self.groups
        settings = self.assessment.settings
        count = len(settings)

        def rows() -> Iterator[tuple]:
            for setting, counts in zip(settings, self.gaps_by_group, strict=True):
                yield (setting.setting.urn, shown(setting.setting.name),
                       Styled(RATING_LABELS[setting.rating], setting.rating.value), sum(counts.values()),
                       *(counts.get(g, 0) for g in groups))

        widths = fit_widths(names, itertools.islice(rows(), WIDTH_SAMPLE), [False, True, *([False] * (len(names) - 2))],
                            [14, 30, *([8] * (len(names) - 2))], rotate=range(4, len(names)))
        self._layout(ws, widths, freeze="E2", wide=True)
        # a heat map of a hundred standards is unreadable squeezed onto one sheet of paper: 45 columns a page
        ws.page_setup.fitToWidth = max(1, math.ceil(len(names) / 45))
        ws.print_title_cols = "A:D"
        self._header(ws, names, rotate=range(5, len(names) + 1))
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
        names = ["URN", "Setting", "Indicator", "Title", "Metric", "Value", "Threshold", "Level", "Axis", "Basis"]
        count = sum(len(s.indicators) for s in self.assessment.settings)

        def rows() -> Iterator[tuple]:
            for setting in self.assessment.settings:
                for result in setting.indicators:
                    colour = result.level.value if result.level is not None else None
                    kind = "percent" if result.metric in SHARE_METRICS else "number"
                    yield (
                        setting.setting.urn, shown(setting.setting.name), result.indicator,
                        self.requirements.title(result.indicator), result.metric,
                        Styled(result.value, f"{colour}-{kind}" if colour else kind),
                        Styled(result.threshold, kind),
                        Styled(result.level.value.title(), result.level.value) if result.level is not None else "",
                        result.axis.value.title(), result.basis,
                    )

        wrapped = [False, True, False, True, False, False, False, False, False, True]
        widths = fit_widths(names, itertools.islice(rows(), WIDTH_SAMPLE), wrapped,
                            [14, 24, 30, 30, 30, 10, 10, 8, 10, 44])
        self._layout(ws, widths, freeze="C2")
        self._header(ws, names)
        self._bulk(ws, rows, ["top", "wrap", "top", "wrap", "top", "number", "number", "top", "top", "wrap"], count,
                   shared=(0, 1, 2, 3, 4, 7, 8))
        self._table(ws, "Indicators", names, count)

    # -- Recommendations

    def _recommendations(self, ws: Any) -> None:
        names = ["URN", "Setting", "Recommendation", "Title", "State", "Failing requirements",
                 "At-risk requirements", "Indicators"]
        count = sum(len(s.lens) for s in self.assessment.settings)
        ref = self.requirements.ref

        def rows() -> Iterator[tuple]:
            for setting in self.assessment.settings:
                for entry in setting.lens:
                    yield (
                        setting.setting.urn, shown(setting.setting.name), ref(entry.recommendation),
                        self.requirements.title(entry.recommendation),
                        Styled(LENS_LABELS[entry.state], _LENS_COLOUR[entry.state]),
                        "\n".join(ref(r) for r in entry.failing), "\n".join(ref(r) for r in entry.at_risk),
                        "\n".join(entry.indicators),
                    )

        wrapped = [False, True, False, True, False, True, True, True]
        widths = fit_widths(names, itertools.islice(rows(), WIDTH_SAMPLE), wrapped, [14, 24, 20, 36, 16, 28, 28, 26])
        self._layout(ws, widths, freeze="C2")
        self._header(ws, names)
        self._bulk(ws, rows, ["top", "wrap", "top", "wrap", "top", "wrap", "wrap", "wrap"], count,
                   shared=(0, 1, 2, 3, 4))
        self._table(ws, "Recommendations", names, count)

    # -- Provider groups

    def _provider_groups(self, ws: Any) -> None:
        names = ["Owner", "Settings", "Red", "Amber", "Green", "Settings with failings", "Stands out",
                 "Setting URNs", "URNs with failings"]
        values = [[g.owner, len(g.settings), *(g.ratings.get(r.value, 0) for r in Rating), len(g.settings_with_failings),
                   "Yes" if g.stands_out else "No", ", ".join(g.settings), ", ".join(g.settings_with_failings)]
                  for g in self.assessment.groups]
        wrapped = [True, False, False, False, False, False, False, True, True]
        self._layout(ws, fit_widths(names, values, wrapped, [30, 9, 7, 7, 7, 10, 8, 30, 30]), freeze="B2")
        self._header(ws, names)
        top = Alignment(vertical="top")
        wrap = Alignment(vertical="top", wrap_text=True)
        centred = Alignment(horizontal="center", vertical="top")
        highlight = PatternFill("solid", fgColor=RED_FILL)
        for group, row in zip(self.assessment.groups, values, strict=True):
            style: dict[str, Any] = {"fill": highlight} if group.stands_out else {}
            bold = _font(bold=True, color=RED_FONT) if group.stands_out else None
            height = self._fit(ws, [row[0], *([None] * 6), row[7], row[8]])
            self._append(ws, [
                self._cell(ws, row[0], alignment=wrap, font=bold, **style),
                *(self._cell(ws, v, alignment=top, number_format="0", **style) for v in row[1:6]),
                self._cell(ws, row[6], alignment=centred, font=bold, **style),  # apart from the count beside it
                self._cell(ws, row[7], alignment=wrap, **style),
                self._cell(ws, row[8], alignment=wrap, **style),
            ], height)
        self._table(ws, "ProviderGroups", names, len(self.assessment.groups))

    # -- Evidence

    def provenance(self, text: str) -> str:
        """Provenance with each input's path replaced by its file name."""
        for path, name in self.input_names:
            if path and text.startswith(path):
                return name + text[len(path):]
        head, sep, rest = text.partition(":") if "!" not in text else text.partition("!")
        return (_file_name(head) + sep + rest) if Path(head).is_absolute() else text

    def _evidence(self, ws: Any) -> None:
        names = ["Evidence id", "URN", "Setting", "Kind", "Source", "Observed", "Provenance"]
        settings = {s.setting.urn: shown(s.setting.name) for s in self.assessment.settings}
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
                       item.observed, self.provenance(item.provenance))

        count = len(self.assessment.evidence)
        wrapped = [False, False, True, True, False, False, False]
        widths = fit_widths(names, itertools.islice(rows(), WIDTH_SAMPLE), wrapped, [40, 14, 24, 28, 20, 11, 50])
        self._layout(ws, widths, freeze="B2")
        self._header(ws, names)
        self._bulk(ws, rows, ["top", "top", "wrap", "wrap", "top", "date", "top"], count, shared=(1, 2, 3, 4))
        self._table(ws, "Evidence", names, count)

    # -- About

    def _about(self, ws: Any) -> None:
        a = self.assessment
        inputs = [[_file_name(i.path), i.sha256, i.format, i.rows, i.accepted, i.rejected, i.skipped, i.blank, i.unused]
                  for i in a.inputs]
        input_headers = ["File", "SHA-256", "Format", "Rows read", "Accepted", "Rejected", "Skipped", "Blank",
                         "Unused tables"]
        widths = fit_widths(input_headers, inputs, [True, *([False] * 8)], [28, 66, 14, 10, 10, 10, 10, 10, 10])
        widths[0], widths[1] = max(widths[0], 28), max(widths[1], 80)
        self._layout(ws, widths, freeze=None)
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
        pair("Run id", self.run_id)
        pair("Settings assessed", len(a.settings))
        pair("Gap rows", self.gap_rows)

        heading("Input files")
        self._header(ws, input_headers)
        top = Alignment(vertical="top", wrap_text=True)
        for row in inputs:
            self._append(ws, [self._cell(ws, v, alignment=top, number_format="0" if i >= 3 else None)
                              for i, v in enumerate(row)], self._fit(ws, row[:1]))
        unread = [f"{_file_name(i.path)}: {sheet.describe()}" for i in a.inputs for sheet in i.not_read]
        if unread:  # rows in no count above: said, never left out
            heading("Sheets not read (their rows are in no count above)")
            for line in unread:
                self._row(ws, ["", line], alignment=wrap)
        if a.input_errors:
            heading("Errors in the input")
            for line in a.input_errors:
                self._row(ws, ["", line], alignment=wrap)

        heading("Settings closed, resigned or cancelled (not rated)")
        if a.closed:
            self._header(ws, ["URN", "Setting", "Status", "Closed on", "Assessed as at closure"])
            for closed in a.closed:
                judged = (f"{closed.assessment.rating.value} ({closed.closed_on.isoformat()})"
                          if closed.assessment is not None and closed.closed_on is not None else "no (closed before the window)"
                          if closed.closed_on is not None else "no (date unknown)")
                self._row(ws, [closed.setting.urn, shown(closed.setting.name), closed.registration_status,
                               closed.closed_on.isoformat() if closed.closed_on else "unknown", judged],
                          alignment=Alignment(vertical="top", wrap_text=True))
        else:
            self._row(ws, ["", "None."], alignment=wrap)

        heading("How to read it")
        for line in (
            "Each setting is read on two axes. Risk (red, amber, green) is about signs of harm or failure and "
            "nothing else; assurance (high, medium, low) is how much of what binds the setting is independently "
            "and recently known. Missing or old evidence lowers assurance and never raises risk.",
            "Summary lists every setting by risk, then lowest assurance first, then risk score, with at most "
            f"{SUMMARY_REASONS} reasons in plain words (the JSON report has them all). Gaps lists every requirement "
            "with evidence that is short of met, most serious first, with the reasons and the evidence ids (look "
            "them up on Evidence); requirements with no evidence at all are counted on Coverage instead. Matrix "
            "counts failing requirements (not met, overdue) by standard. Recommendations reads each setting "
            "against the Panel's recommendations.",
        ):
            self._row(ws, ["", line], alignment=wrap)
        self._header(ws, ["Risk", "Rule"])
        for rating, rule in RATING_RULE.items():
            pair(RATING_LABELS[rating], rule)
        pair("Rated good, but …", RATED_GOOD_BUT_RULE)
        pair("Order of reasons", REASON_RANKING)
        self._header(ws, ["Assurance", "Rule"])
        for level in (Assurance.LOW, Assurance.HIGH, Assurance.MEDIUM):
            pair(ASSURANCE_LABELS[level], ASSURANCE_RULE[level])
        self._header(ws, ["Coverage", "Meaning"])
        for name in COVERAGE_CLASSES:
            pair(COVERAGE_LABELS[name], COVERAGE_MEANINGS[name])
        self._row(ws, ["", "Each requirement at each setting has exactly one status: the first of those below "
                           "that applies."], alignment=wrap)
        self._header(ws, ["Status", "Meaning"])
        for status in PRECEDENCE:
            pair(STATUS_LABELS[status], STATUS_MEANINGS[status])
        self._header(ws, ["Flag", "Meaning"])
        for flag in Flag:
            pair(FLAG_LABELS[flag], FLAG_MEANINGS[flag])
        self._header(ws, ["Recommendation state", "Meaning"])
        for state, meaning in LENS_MEANINGS.items():
            pair(LENS_LABELS[state], meaning)

        heading("Notes")
        for note in (*a.notes, *self.notes) or ("None.",):
            self._row(ws, ["", note], alignment=wrap)
        heading("Diagnostics")
        for line in a.diagnostics or ("None.",):
            self._row(ws, ["", line], alignment=wrap)
