"""The workbook as LibreOffice renders it: no header, id or value on any sheet is clipped.

``test_report_finish`` measures widths against the text; this renders the workbook and reads what was
drawn. LibreOffice exports each sheet on one PDF page (its ``SinglePageSheets`` option: the cells are laid
out as on paper, one page a sheet, so page *n* is sheet *n*), and the page's text layer (``pdftotext``)
must hold every cell's text whole. LibreOffice leaves out of the page what a cell clips: text cut where
the next cell is not empty, lines below the row's height, an upright header longer than its row, a number
too wide for its column (drawn ``###``). So a clipped header or id is missing from the text, and the test
names its cell. It passes with DejaVu Sans, Debian's default, which is wider than Excel's Calibri.

Skipped, saying why, where LibreOffice (``soffice``) or poppler's ``pdftotext`` is not installed
(``apt-get install libreoffice-calc poppler-utils``).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import openpyxl
import pytest

from regframe.cli import main
from regframe.report import write_xlsx
from tests.report.report_fixtures import fixture_graph, hesley_assessment

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")
PDFTOTEXT = shutil.which("pdftotext")
PDFINFO = shutil.which("pdfinfo")

pytestmark = pytest.mark.skipif(
    SOFFICE is None or PDFTOTEXT is None or PDFINFO is None,
    reason="LibreOffice (soffice) and poppler's pdftotext and pdfinfo are needed to render the workbook: "
           "apt-get install libreoffice-calc poppler-utils",
)

#: LibreOffice's PDF export with every sheet on one page
PDF_FILTER = 'pdf:calc_pdf_Export:{"SinglePageSheets":{"type":"boolean","value":"true"}}'


def render(workbook: Path, folder: Path) -> Path:
    """The workbook exported to PDF by LibreOffice, in a profile of its own (no user settings, no lock clash)."""
    profile = folder / "lo-profile"
    subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation={profile.as_uri()}",
                    "--convert-to", PDF_FILTER, "--outdir", str(folder), str(workbook)],
                   check=True, capture_output=True, timeout=300)
    pdf = folder / (workbook.stem + ".pdf")
    assert pdf.is_file(), f"LibreOffice wrote no PDF for {workbook.name}"
    return pdf


def page_text(pdf: Path, page: int) -> str:
    return subprocess.run([PDFTOTEXT, "-raw", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          check=True, capture_output=True, text=True).stdout


def page_count(pdf: Path) -> int:
    info = subprocess.run([PDFINFO, str(pdf)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))


def shown(cell) -> str:
    """A cell's value as LibreOffice shows it under the number formats the report uses."""
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (dt.datetime, dt.date)):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, (int, float)):
        match cell.number_format:
            case "0;-0;;@":  # a count: zero shows as an empty cell
                return "" if value == 0 else f"{value:.0f}"
            case "0%":
                return f"{value * 100:.0f}%"
            case "0.00":
                return f"{value:.2f}"
            case "0.0":
                return f"{value:.1f}"
            case "0":
                return f"{value:.0f}"
            case _:
                return f"{value:g}"
    return str(value)


def clipped(ws, text: str) -> list[tuple[str, str]]:
    """Cells of ``ws`` whose text is not whole in ``text`` (the page's text layer), as (cell, text).

    Compared with all white space removed, as a wrapped cell breaks its lines at spaces, hyphens and
    brackets; a text held by several cells must be there as many times.
    """
    flat = "".join(text.split())
    cells: dict[str, list[str]] = {}
    for row in ws.iter_rows():
        for cell in row:
            value = "".join(shown(cell).split())
            if value:
                cells.setdefault(value, []).append(cell.coordinate)
    return [(coordinates[0], value[:60]) for value, coordinates in cells.items()
            if flat.count(value) < len(coordinates)]


@pytest.fixture(scope="module", params=["fixture", "demo"])
def rendered(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(f"render-{request.param}")
    path = folder / "report.xlsx"
    if request.param == "fixture":
        write_xlsx(hesley_assessment(), fixture_graph(), path)
    else:
        assert main(["report", "--demo", "-o", str(path), "--quiet"]) == 0
    return openpyxl.load_workbook(path), render(path, folder)


def test_every_sheet_is_one_page_in_the_workbook_order(rendered):
    book, pdf = rendered
    for index, ws in enumerate(book.worksheets, start=1):
        first = next(shown(c) for row in ws.iter_rows() for c in row if shown(c))
        assert first.split()[0] in page_text(pdf, index).split()[:20], (ws.title, first)
    assert page_count(pdf) == len(book.worksheets)


def test_no_header_id_or_value_is_clipped_on_any_sheet(rendered):
    book, pdf = rendered
    found = {ws.title: clipped(ws, page_text(pdf, index)) for index, ws in enumerate(book.worksheets, start=1)}
    assert {title: cells for title, cells in found.items() if cells} == {}


def test_no_number_is_too_wide_for_its_column(rendered):
    book, pdf = rendered
    crowded = [ws.title for index, ws in enumerate(book.worksheets, start=1) if "###" in page_text(pdf, index)]
    assert crowded == []


def test_the_check_sees_clipping(tmp_path):
    """The rule itself: an id cut by its neighbour, and an upright header taller than its row, are found."""
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Clipped"
    ws["A1"], ws["B1"] = "la-return:C-55715ace34682770:ek.family-contact", "next"
    ws.column_dimensions["A"].width = 10
    ws["C1"] = "SCCIF CH overall experiences and progress"
    ws["C1"].alignment = openpyxl.styles.Alignment(text_rotation=90)
    ws.row_dimensions[1].height = 60
    ws["A2"], ws["B2"], ws["C2"] = "fits", "x", "1"
    path = tmp_path / "clipped.xlsx"
    book.save(path)
    pdf = render(path, tmp_path)
    assert sorted(cell for cell, _ in clipped(ws, page_text(pdf, 1))) == ["A1", "C1"]
    assert Counter(page_text(pdf, 1).split())["fits"] == 1
