"""The workbook's finish, measured: every column wide enough for its header and values, every number formatted.

Measured on the hand-built fixture and on the demo's real workbook. A header's longest word must fit
(bold, beside the table's filter button) unless the header is turned upright; a value that does not wrap must
fit whole (an id cut off, or running into the next column, is the fault this guards against); a value that
wraps must fit its longest word.
"""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from regframe.assess.reasons import SHARE_METRICS
from regframe.cli import main
from regframe.report import write_xlsx
from regframe.report import xlsx as report_xlsx
from tests.report.report_fixtures import fixture_graph, hesley_assessment

#: sheets that are tables with one header row (About and Charts are laid out by hand)
TABLE_SHEETS = ("Summary", "Gaps", "Coverage", "Matrix", "Indicators", "Recommendations", "Provider groups",
                "Evidence")


@pytest.fixture(scope="module", params=["fixture", "demo"])
def workbook(request, tmp_path_factory):
    path = tmp_path_factory.mktemp("finish") / "report.xlsx"
    if request.param == "fixture":
        write_xlsx(hesley_assessment(), fixture_graph(), path)
    else:
        assert main(["report", "--demo", "-o", str(path), "--quiet"]) == 0
    return openpyxl.load_workbook(path)


def shown(cell) -> str:
    """A value as Excel shows it under its number format."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return "2026-10-31"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    match cell.number_format:
        case "0%":
            return f"{value:.0%}"
        case "0.00":
            return f"{value:.2f}"
        case "0.0":
            return f"{value:.1f}"
        case _:
            return f"{value:g}"


def header_row(name: str) -> int:
    return report_xlsx.SUMMARY_TITLE_ROWS + 1 if name == "Summary" else 1


@pytest.mark.parametrize("name", TABLE_SHEETS)
def test_every_column_fits_its_header_and_its_values(workbook, name):
    ws = workbook[name]
    first = header_row(name)
    too_narrow = []
    for column in ws.iter_cols(min_row=first, max_row=ws.max_row):
        head, *values = column
        letter = head.column_letter
        width = ws.column_dimensions[letter].width
        if head.alignment.text_rotation != 90:
            word = max((len(w) for w in str(head.value or "").split()), default=0)
            if width < word + 2:
                too_narrow.append((letter, head.value, width, word))
        for cell in values:
            text = shown(cell)
            if not text:
                continue
            need = max(len(w) for w in text.split()) if cell.alignment.wrap_text else max(map(len, text.split("\n")))
            if width < need:
                too_narrow.append((letter, head.value, width, text[:40]))
    assert too_narrow == []


@pytest.mark.parametrize("name", [*TABLE_SHEETS, "Charts"])
def test_every_numeric_cell_has_a_number_format(workbook, name):
    ws = workbook[name]
    unformatted = [c.coordinate for row in ws.iter_rows(min_row=header_row(name) + 1) for c in row
                   if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)
                   and c.number_format == "General"]
    assert unformatted == []


def test_shares_are_shown_as_percentages(workbook, request):
    ws = workbook["Indicators"]
    names = [c.value for c in ws[1]]
    metric, value, threshold = names.index("Metric"), names.index("Value"), names.index("Threshold")
    shares = [row for row in ws.iter_rows(min_row=2) if row[metric].value in SHARE_METRICS]
    if request.node.callspec.params["workbook"] == "fixture":
        pytest.skip("the hand-built fixture has no share indicator; the demo's workbook has")
    assert shares, "the demo's Indicators sheet should hold share indicators (advocacy, distance, agency staff)"
    assert {row[value].number_format for row in shares if row[value].value is not None} == {"0%"}
    assert {row[threshold].number_format for row in shares if row[threshold].value is not None} <= {"0%"}
