"""The LA oversight return: a template written from column definitions, read back forgivingly and strictly."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import json
import sys
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import openpyxl
import pytest

from regframe.cli import main
from regframe.evidence import Metric, OutcomeKind, Placement, Source
from regframe.evidence.pseudonym import PseudonymKey, pseudonymise
from regframe.framework.model import Independence
from regframe.ingest import IngestContext
from regframe.ingest.la_return import read
from regframe.ingest.la_return_columns import CHILDREN_PLACED, SETTING_SIGNALS
from regframe.ingest.la_return_template import build_template, header_text
from tests.conftest import SHARED_DATA, TESTS

FIXTURES = TESTS / "fixtures" / "returns"
SHARED_XLSX = SHARED_DATA / "xlsx"
KEY = PseudonymKey.from_text("a test key of sixteen+ characters")
CONTEXT = IngestContext(key=KEY)

_spec = importlib.util.spec_from_file_location("return_fixtures", FIXTURES / "make_fixtures.py")
fixtures = importlib.util.module_from_spec(_spec)
sys.modules["return_fixtures"] = fixtures
_spec.loader.exec_module(fixtures)


def child(raw: str, la: str = "926") -> str:
    return pseudonymise(KEY, la, raw)


def filled(tmp_path: Path, children: list[dict], signals: list[dict], **header) -> Path:
    path = tmp_path / "return.xlsx"
    fixtures.fill(build_template(), children, signals, **header).save(path)
    return path


def summary(evidence) -> tuple:
    """Everything the reader produced, provenance as sheet!cell so copies in other files compare equal."""
    def at(location):
        return f"{location.sheet}!{location.cell}"
    return (
        [(p, at(p.provenance)) for p in evidence.placements],
        [(i, at(i.provenance)) for i in evidence.items],
        [(m, at(m.provenance)) for m in evidence.metrics],
        [(d.code, d.message) for d in evidence.diagnostics],
    )


# ---- the template


def test_template_command_writes_the_instructions_and_both_data_sheets(tmp_path):
    out = tmp_path / "r.xlsx"
    with redirect_stderr(io.StringIO()):
        assert main(["template", "la-return", "-o", str(out)]) == 0
    workbook = openpyxl.load_workbook(out)
    assert workbook.sheetnames == ["Instructions", "Children placed", "Setting signals"]
    for spec in (CHILDREN_PLACED, SETTING_SIGNALS):
        sheet = workbook[spec.name]
        assert [c.value for c in sheet[2]] == [header_text(c) for c in spec.columns]
        assert sheet.freeze_panes == "A3"
        assert sheet["A3"].value == "EXAMPLE"
        assert "A1:" in str(sheet.merged_cells)
    instructions = " ".join(str(c.value) for row in workbook["Instructions"].iter_rows() for c in row if c.value)
    assert "LA code" in instructions and "personal data" in instructions and "pseudonym" in instructions


def test_template_columns_carry_validation_input_messages_and_widths():
    workbook = build_template()
    sheet = workbook["Children placed"]
    by_range = {str(dv.sqref): dv for dv in sheet.data_validations.dataValidation}
    weeks = by_range["E4:E1002"]
    assert (weeks.type, weeks.formula1, weeks.formula2) == ("whole", "1", "52")
    assert weeks.prompt == CHILDREN_PLACED.column("weeks_per_year").help
    assert by_range["G4:G1002"].formula1 == '"Yes,No"'
    assert by_range["D4:D1002"].type == "date"
    assert sheet.column_dimensions["A"].width == CHILDREN_PLACED.column("child_id").width


def test_the_example_row_is_skipped_by_the_reader(tmp_path):
    evidence = read(filled(tmp_path, [], []), CONTEXT)
    assert (evidence.placements, evidence.items, evidence.metrics, evidence.diagnostics) == ([], [], [], [])


# ---- reading back


def test_a_filled_template_reads_back_exactly_what_was_written(tmp_path):
    evidence = read(filled(tmp_path, fixtures.CHILDREN, fixtures.SIGNALS), CONTEXT)
    first, second, third = child("100001"), child("100002", "E10000020"), child("A-77")
    assert [(p, p.provenance.cell) for p in evidence.placements] == [
        (Placement(first, "SC123456", "926", dt.date(2022, 9, 5), weeks_per_year=52, distance_miles=212.5,
                   legal_status="V2", ehc_plan=True, looked_after=True), "A4"),
        (Placement(second, "1234567", "E10000020", dt.date(2023, 4, 17), weeks_per_year=38, distance_miles=35.0,
                   legal_status="NLA", ehc_plan=True, looked_after=False), "A5"),
        (Placement(third, "SC123456", "926", dt.date(2021, 1, 4), legal_status="C2", looked_after=True), "A6"),
    ]
    assert [(i.child, i.kind, i.observed, i.outcome.kind, i.provenance.cell) for i in evidence.items] == [
        (first, "ek.statutory-visit", dt.date(2024, 1, 10), OutcomeKind.RECORDED, "J4"),
        (first, "ek.iro-review", dt.date(2023, 11, 2), OutcomeKind.RECORDED, "K4"),
        (first, "ek.family-contact", dt.date(2024, 2, 14), OutcomeKind.RECORDED, "N4"),
        (first, "ek.advocacy-visit", dt.date(2024, 3, 31), OutcomeKind.NOT_MET, "L4"),
        (second, "ek.statutory-visit", dt.date(2024, 3, 1), OutcomeKind.RECORDED, "J5"),
        (second, "ek.advocacy-visit", dt.date(2024, 3, 20), OutcomeKind.RECORDED, "M5"),
        (second, "ek.dol-authorisation", dt.date(2023, 6, 30), OutcomeKind.RECORDED, "P5"),
        (third, "ek.iro-review", dt.date(2024, 2, 29), OutcomeKind.RECORDED, "K6"),
    ]
    assert {(i.source, i.independence, i.setting == p) for i, p in
            zip(evidence.items, ["SC123456"] * 4 + ["1234567"] * 3 + ["SC123456"], strict=False)} == {
        (Source.PLACING_LA, Independence.INDEPENDENT, True)}
    assert [(m.setting, m.month, m.metric, m.value) for m in evidence.metrics] == [
        ("SC123456", dt.date(2024, 1, 1), Metric.RESTRAINT_INCIDENTS, 14.0),
        ("SC123456", dt.date(2024, 1, 1), Metric.CHILDREN_RESIDENT, 6.0),
        ("SC123456", dt.date(2024, 1, 1), Metric.STAFF_VACANCIES, 4.0),
        ("SC123456", dt.date(2024, 1, 1), Metric.STAFF_LEAVERS, 2.0),
        ("SC123456", dt.date(2024, 1, 1), Metric.AGENCY_SHARE, 40.0),
        ("SC123456", dt.date(2024, 1, 1), Metric.LADO_REFERRALS, 3.0),
        ("SC123456", dt.date(2024, 1, 1), Metric.NOTIFICATIONS, 2.0),
        ("SC123456", dt.date(2024, 1, 1), Metric.COMPLAINTS, 1.0),
        ("SC123456", dt.date(2024, 1, 1), Metric.REG44_REPORT_RECEIVED, 0.0),
        ("SC123456", dt.date(2024, 2, 1), Metric.RESTRAINT_INCIDENTS, 9.0),
        ("SC123456", dt.date(2024, 2, 1), Metric.CHILDREN_RESIDENT, 6.0),
        ("SC123456", dt.date(2024, 2, 1), Metric.REG44_REPORT_RECEIVED, 1.0),
    ]
    assert evidence.diagnostics == []
    assert [(f.format, f.accepted, f.rejected) for f in evidence.inputs] == [("la-return", 5, 0)]


def test_the_committed_fixture_and_its_libreoffice_resave_read_back_the_same(tmp_path):
    written = read(filled(tmp_path, fixtures.CHILDREN, fixtures.SIGNALS), CONTEXT)
    committed = read(FIXTURES / "filled.xlsx", CONTEXT)
    resaved = read(FIXTURES / "filled-libreoffice.xlsx", CONTEXT)
    assert summary(committed) == summary(written)
    assert summary(resaved) == summary(written)
    assert len(resaved.placements) == 3 and len(resaved.metrics) == 12


def test_raw_child_ids_never_reach_the_evidence(tmp_path):
    evidence = read(filled(tmp_path, fixtures.CHILDREN, fixtures.SIGNALS), CONTEXT)
    text = repr((evidence.placements, evidence.items, evidence.metrics, evidence.diagnostics))
    assert "100001" not in text and "100002" not in text and "A-77" not in text


def test_headers_are_matched_whatever_their_case_spacing_order_and_title_rows(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Notes"
    workbook.active.sheet_state = "hidden"
    sheet = workbook.create_sheet("children  PLACED ")
    sheet["A1"] = "Return for Q4"
    sheet.merge_cells("A1:F1")
    sheet.append([])
    sheet.append(["looked\xa0after", "SETTING URN", " la child id ", "Placement Start*", "Weeks per year",
                  "Date of last social work visit"])
    sheet.append([" yes ", "sc123456 ", 123456.0, "05/09/2022", 52.0, 45301])  # 45301 = 10/01/2024
    sheet.append([None] * 6)
    sheet.append(["N", "1234567", "X9", "2023-04-17", "38", "2024-03-01 00:00:00"])
    path = tmp_path / "messy.xlsx"
    workbook.save(path)
    evidence = read(path, IngestContext(key=KEY, la_code="926"))
    assert [(p.child, p.setting, p.start, p.weeks_per_year, p.looked_after, p.provenance.cell)
            for p in evidence.placements] == [
        (child("123456"), "SC123456", dt.date(2022, 9, 5), 52, True, "C4"),
        (child("X9"), "1234567", dt.date(2023, 4, 17), 38, False, "C6"),
    ]
    assert [(i.kind, i.observed, i.provenance.cell) for i in evidence.items] == [
        ("ek.statutory-visit", dt.date(2024, 1, 10), "F4"), ("ek.statutory-visit", dt.date(2024, 3, 1), "F6")]
    assert [d.code for d in evidence.diagnostics] == ["RF417"]  # no Instructions sheet: no 'as at' date


# ---- twenty planted errors, through `regframe validate`

BASE = {"setting_urn": "SC777777", "placement_start": dt.date(2023, 1, 9), "looked_after": "Yes"}
PLANTED_CHILDREN = [
    # (row values, expected code, column letter, row kept?)
    ({"placement_start": "31/13/2023"}, "RF412", "D", False),  # bad date
    ({"weeks_per_year": "fifty"}, "RF412", "E", True),  # text in a number
    ({"weeks_per_year": 60}, "RF414", "E", True),  # out-of-range weeks
    ({"setting_urn": "AB12"}, "RF412", "C", False),  # unknown URN shape
    ({"looked_after": None}, "RF413", "G", False),  # missing required cell
    ({"ehc_plan": "Maybe"}, "RF412", "I", True),  # bad yes/no
    ({"distance_miles": -5}, "RF414", "F", True),  # negative distance
    ({"last_sw_visit": dt.date(2024, 5, 1)}, "RF414", "J", True),  # future date
    ({"child_id": "100001"}, "RF415", "A", False),  # duplicate child row (same LA and id as row 4)
    ({"legal_status": "X9"}, "RF412", "H", True),  # not in the list
    ({"placing_la": "12"}, "RF412", "B", True),  # LA code of the wrong shape
    ({"dol_authorised": "No", "dol_date": dt.date(2023, 2, 1)}, "RF416", "P", True),  # contradiction
    ({"setting_urn": None}, "RF413", "C", False),  # missing required URN
    ({"last_iro_review": "last week"}, "RF412", "K", True),  # text in a date
    ({"last_advocacy_contact": dt.date(1985, 1, 1)}, "RF414", "M", True),  # before 1990
]
PLANTED_SIGNALS = [
    ({"month": None}, "RF413", "B", False),
    ({"restraint_incidents": "lots"}, "RF412", "C", True),
    ({"staff_vacancies": -1}, "RF414", "E", True),
    ({"agency_share": 150}, "RF414", "G", True),
    ({"month": dt.date(2024, 1, 15), "setting_urn": "SC123456"}, "RF415", "B", False),  # same setting and month
]


def planted_return(tmp_path: Path) -> Path:
    children = list(fixtures.CHILDREN)
    for number, (values, _code, _column, _kept) in enumerate(PLANTED_CHILDREN):
        children.append({**BASE, "child_id": f"9{number:05d}", **values})
    signals = list(fixtures.SIGNALS)
    for number, (values, _code, _column, _kept) in enumerate(PLANTED_SIGNALS):
        signals.append({"setting_urn": "SC654321", "month": dt.date(2023, 1 + number, 1), "children_resident": 5,
                        **values})
    return filled(tmp_path, children, signals)


def run_validate(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with redirect_stdout(out), redirect_stderr(io.StringIO()):
        code = main(["validate", *args])
    return code, out.getvalue()


def test_twenty_planted_errors_are_each_reported_with_sheet_and_cell(tmp_path):
    path = planted_return(tmp_path)
    code, output = run_validate(str(path), "--format", "json")
    found = [(d["code"], d["location"]["sheet"], d["location"]["cell"] or d["location"]["row"])
             for d in json.loads(output)]
    expected = [(c, "Children placed", f"{col}{7 + n}") for n, (_v, c, col, _k) in enumerate(PLANTED_CHILDREN)]
    expected += [(c, "Setting signals", f"{col}{6 + n}") for n, (_v, c, col, _k) in enumerate(PLANTED_SIGNALS)]
    assert len(expected) == 20
    # each Setting signals row dropped is also an error (RF342) at its row: its monthly figures are lost
    expected += [("RF342", "Setting signals", 6 + n) for n, (*_rest, kept) in enumerate(PLANTED_SIGNALS) if not kept]
    assert sorted(found, key=str) == sorted(expected, key=str)
    assert code == 1  # every valid row was kept, but rows were rejected: the run is not clean


def test_rejected_rows_fail_the_run_and_strict_adds_the_warnings_about_kept_rows(tmp_path):
    children = [{**BASE, "child_id": "1", "placement_start": "31/13/2023"}]  # one row rejected, with a warning
    path = filled(tmp_path, children, [])
    code, output = run_validate(str(path))
    assert code == 1
    assert f"{path}!Children placed!D4: warning RF412: Placement start: '31/13/2023' is not a date" in output
    assert f"{path}: error RF340: 1 of the 3 record(s) read were rejected" in output  # and the example rows
    kept = filled(tmp_path, [{**BASE, "child_id": "1", "weeks_per_year": "fifty"}], [])  # value dropped, row kept
    assert run_validate(str(kept))[0] == 0
    assert run_validate(str(kept), "--strict")[0] == 1


def test_every_valid_row_of_a_return_with_planted_errors_is_kept(tmp_path):
    evidence = read(planted_return(tmp_path), CONTEXT)
    kept_children = 3 + sum(kept for *_rest, kept in PLANTED_CHILDREN)
    kept_signals = 2 + sum(kept for *_rest, kept in PLANTED_SIGNALS)
    assert len(evidence.placements) == kept_children == 13
    assert len({(m.setting, m.month) for m in evidence.metrics}) == kept_signals == 5
    assert [(f.accepted, f.rejected) for f in evidence.inputs] == [(18, 7)]
    by_cell = {p.provenance.cell: p for p in evidence.placements}
    assert by_cell["A8"].weeks_per_year is None  # "fifty" dropped, row kept
    assert by_cell["A13"].distance_miles is None  # -5 dropped
    assert by_cell["A17"].placing_la == "926"  # bad placing LA falls back to the Instructions code


# ---- not a return


def test_a_workbook_without_return_sheets_is_said_not_to_be_a_return(tmp_path):
    path = tmp_path / "budget.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "Budget"
    workbook.save(path)
    evidence = read(path, CONTEXT)
    assert [(d.code, d.message) for d in evidence.diagnostics] == [
        ("RF410", "budget.xlsx has no 'Children placed' or 'Setting signals' sheet, so it is not a regframe LA "
                  "oversight return (its sheets: 'Budget')")]


def test_a_return_sheet_missing_a_required_column_is_not_read(tmp_path):
    path = tmp_path / "partial.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "Setting signals"
    workbook.active.append(["Setting URN", "Restraint incidents"])
    workbook.active.append(["SC123456", 3])
    workbook.save(path)
    evidence = read(path, CONTEXT)
    assert [(d.code, str(d.location)) for d in evidence.diagnostics if d.code != "RF417"] == [
        ("RF411", f"{path}!Setting signals!row 1")]
    assert evidence.metrics == []


@pytest.mark.skipif(not SHARED_XLSX.is_dir(), reason="shared data not present")
@pytest.mark.parametrize("path", sorted(SHARED_XLSX.glob("*.xlsx")), ids=lambda p: p.name)
def test_real_world_workbooks_never_crash_the_reader_and_are_said_not_to_be_returns(path):
    """Each is said not to be a return; what two of them carry besides cells is named first, rightly.

    46535.xlsx holds three external-link parts, links to .xls files on the author's disk
    (RF406); CVLKRA has two https hyperlinks on one sheet (RF407, information). The others
    carry nothing but cells, printer settings and custom XML, which are not named.
    """
    carried = {"46535.xlsx": ["RF406", "RF406", "RF406"], "CVLKRA-KYC_Download_File_Structure_V3.1.xlsx": ["RF407"]}
    evidence = read(path, CONTEXT)
    assert [d.code for d in evidence.diagnostics] == [*carried.get(path.name, []), "RF410"]
    assert "is not a regframe LA oversight return" in evidence.diagnostics[-1].message
    if path.name == "46535.xlsx":
        assert [d.location.path for d in evidence.diagnostics[:3]] == [
            f"xl/externalLinks/externalLink{n}.xml" for n in (1, 2, 3)]
        assert "DTTN_HSO_v2.1.09.xls" in evidence.diagnostics[2].message


# ---- cells: forgiving about form


@pytest.mark.parametrize(("raw", "expected"), [
    (dt.datetime(2024, 1, 10, 0, 0), dt.date(2024, 1, 10)),
    (45301, dt.date(2024, 1, 10)),
    (45301.0, dt.date(2024, 1, 10)),
    ("45301", dt.date(2024, 1, 10)),
    ("10/01/2024", dt.date(2024, 1, 10)),
    (" 10/01/2024\xa0", dt.date(2024, 1, 10)),
    ("2024-01-10", dt.date(2024, 1, 10)),
    ("2024-01-10T00:00:00", dt.date(2024, 1, 10)),
    ("10.01.2024", dt.date(2024, 1, 10)),
    ("10 Jan 2024", dt.date(2024, 1, 10)),
])
def test_dates_are_read_from_serials_and_uk_or_iso_text(raw, expected):
    from regframe.ingest.cells import to_date

    assert to_date(raw) == expected


@pytest.mark.parametrize("raw", ["01/13/2024", "yesterday", 5, True])
def test_things_that_are_not_dates_are_refused(raw):
    from regframe.ingest.cells import CellError, to_date

    with pytest.raises(CellError):
        to_date(raw)


def test_whole_numbers_and_yes_no_forgive_form_but_not_meaning():
    from regframe.ingest.cells import CellError, to_bool, to_int

    assert [to_int(v) for v in (10, 10.0, "10", " 10.0 ", "1,200")] == [10, 10, 10, 10, 1200]
    assert [to_bool(v) for v in ("Yes", " y ", "TRUE", True, "a) Yes", "No", "n", "b) No", 0)] == [
        True, True, True, True, True, False, False, False, False]
    for bad in (10.5, "ten"):
        with pytest.raises(CellError):
            to_int(bad)
    with pytest.raises(CellError):
        to_bool("Maybe")


@pytest.mark.skipif(not SHARED_XLSX.is_dir(), reason="shared data not present")
@pytest.mark.parametrize("path", sorted(SHARED_XLSX.glob("*.xlsx")), ids=lambda p: p.name)
def test_every_sheet_of_real_world_workbooks_can_be_scanned_for_headers_and_dates(path):
    """Every cell of every sheet is a date or a CellError, never another exception; a stored date reads as itself."""
    from regframe.ingest.cells import CellError, to_date
    from regframe.ingest.sheets import read_table
    from regframe.io.xlsxread import open_book

    aliases = {c.name: (c.header, *c.aliases) for c in CHILDREN_PLACED.columns} | {"date": ("date",), "name": ("name",)}
    problems: list = []
    with open_book(path, problems) as book:
        for sheet in book.sheets:  # hidden sheets and merged ranges included
            _table, rows = read_table(sheet, aliases)
            for row in rows:
                for value in row.values.values():
                    if isinstance(value, (dt.datetime, dt.date)):
                        day = value.date() if isinstance(value, dt.datetime) else value
                        assert to_date(value) == day  # the day stored, not shifted or truncated
                        continue
                    try:
                        read = to_date(value)
                    except CellError:
                        continue
                    assert type(read) is dt.date and 1900 <= read.year <= 9999
    assert [p.code for p in problems if p.code not in ("RF406", "RF407")] == []


# ---- no wall clock: a return without its 'Data as at' date


def test_a_return_without_its_date_rejects_only_the_observation_dated_by_it(tmp_path):
    """Read on any day, the same return gives the same evidence: nothing is dated by the clock."""
    path = filled(tmp_path, fixtures.CHILDREN, fixtures.SIGNALS, as_at=None)
    evidence = read(path, CONTEXT)
    problems = [(d.code, d.severity.value, str(d.location)) for d in evidence.diagnostics]
    assert problems == [("RF417", "warning", f"{path}!Instructions"),
                        ("RF343", "error", f"{path}!Children placed!L4")]
    assert not [i for i in evidence.items if i.summary == "no advocate assigned (LA return)"]
    assert len(evidence.placements) == 3  # the rows are kept
    dated = read(filled(tmp_path, fixtures.CHILDREN, fixtures.SIGNALS), CONTEXT)
    assert [i.observed for i in dated.items if i.summary == "no advocate assigned (LA return)"] == [fixtures.AS_AT]


# ---- hostile and damaged returns: every problem a diagnostic with its cell, valid rows kept


def _patched(tmp_path: Path, changes: dict[str, tuple[str, str]]) -> Path:
    """The filled fixture with one cell of a sheet part replaced: part -> (cell reference, new ``<c>`` element)."""
    import re

    from tests.io.xlsx_build import part, rewrite

    path = filled(tmp_path, fixtures.CHILDREN, fixtures.SIGNALS)
    parts = {}
    for name, (ref, cell) in changes.items():
        xml, count = re.subn(rf'<c r="{ref}"[^>]*>.*?</c>', cell, part(path, name).decode(), count=1)
        assert count == 1
        parts[name] = xml
    return rewrite(path, tmp_path / "patched.xlsx", parts)


def test_a_400_digit_number_in_a_number_cell_is_a_cell_diagnostic_and_the_row_is_kept(tmp_path):
    big = "9" * 400
    path = _patched(tmp_path, {"xl/worksheets/sheet2.xml": ("E4", f'<c r="E4" t="n"><v>{big}</v></c>'),
                               "xl/worksheets/sheet3.xml": ("C4", f'<c r="C4" t="n"><v>{big}</v></c>')})
    evidence = read(path, CONTEXT)
    too_large = "'a 400-digit number' is too large: a spreadsheet holds whole numbers exactly only up to 9,007,199,254,740,992"
    assert [str(d) for d in evidence.diagnostics] == [
        f"{path}!Children placed!E4: warning RF412: Weeks per year: {too_large}; value ignored",
        f"{path}!Setting signals!C4: warning RF412: Restraint incidents: {too_large}; value ignored",
    ]
    assert [p.weeks_per_year for p in evidence.placements] == [None, 38, None]
    assert len(evidence.placements) == 3


def test_a_damaged_required_cell_skips_its_row_and_says_why_once(tmp_path):
    path = _patched(tmp_path, {"xl/worksheets/sheet2.xml": ("C5", '<c r="C5" t="s"><v>999999</v></c>')})
    evidence = read(path, CONTEXT)
    assert [str(d) for d in evidence.diagnostics] == [
        f"{path}!Children placed!C5: warning RF403: cell C5 refers to shared string '999999', which the workbook's "
        "table (0 strings) does not have; its value was not read",
        f"{path}!Children placed!C5: warning RF413: Setting URN is required and its cell could not be read; row skipped",
    ]
    assert [p.provenance.cell for p in evidence.placements] == ["A4", "A6"]
    assert (evidence.inputs[0].accepted, evidence.inputs[0].rejected) == (4, 1)  # 2 children and 2 months kept


def test_damaged_xml_keeps_the_rows_before_it_and_says_where_it_is(tmp_path):
    path = _patched(tmp_path, {"xl/worksheets/sheet2.xml": ("A6", '<c r="A6" t="n" t="n"><v>1</v></c>')})
    evidence = read(path, CONTEXT)
    problems = [(d.code, d.severity.value, str(d.location)) for d in evidence.diagnostics]
    assert problems == [("RF402", "error", f"{path}!Children placed!row 6")]
    assert [p.provenance.cell for p in evidence.placements] == ["A4", "A5"]
    assert len(evidence.metrics) > 0  # the other sheet is read in full


def test_a_row_numbered_past_excel_refuses_the_sheet_and_nothing_else(tmp_path):
    import re

    from tests.io.xlsx_build import part, rewrite

    path = filled(tmp_path, fixtures.CHILDREN, fixtures.SIGNALS)
    xml = re.sub(r'<row r="6"', '<row r="2000000000"', part(path, "xl/worksheets/sheet2.xml").decode(), count=1)
    path = rewrite(path, tmp_path / "far.xlsx", {"xl/worksheets/sheet2.xml": xml})
    evidence = read(path, CONTEXT)
    assert [str(d) for d in evidence.diagnostics] == [
        f"{path}!Children placed!row 2000000000: error RF404: row 2,000,000,000 is numbered beyond the last row a "
        "sheet may have (1,048,576); the sheet was not read"]
    assert evidence.placements == [] and len(evidence.metrics) > 0


def test_a_doctype_in_the_styles_of_a_return_refuses_it_by_name(tmp_path):
    from tests.io.xlsx_build import rewrite

    path = filled(tmp_path, fixtures.CHILDREN, fixtures.SIGNALS)
    path = rewrite(path, tmp_path / "doctype.xlsx", {"xl/styles.xml": '<?xml version="1.0"?>\n<!DOCTYPE s [<!ENTITY '
                                                     'x SYSTEM "file:///etc/passwd">]><styleSheet/>'})
    evidence = read(path, CONTEXT)
    assert [str(d) for d in evidence.diagnostics] == [
        f"{path}:2 at xl/styles.xml: error RF102: part xl/styles.xml: document has a DOCTYPE declaration; regframe "
        "never processes DTDs or entities"]
    assert evidence.placements == [] and evidence.inputs[0].format == "la-return"


def test_a_doctype_in_the_workbook_part_is_named_not_called_an_unknown_format(tmp_path):
    """The sheet names cannot be read, so the format is not recognised; the refusal says why."""
    from regframe.ingest import load_evidence
    from tests.io.xlsx_build import rewrite

    path = filled(tmp_path, fixtures.CHILDREN, fixtures.SIGNALS)
    path = rewrite(path, tmp_path / "doctype.xlsx", {"xl/workbook.xml": '<!DOCTYPE w [<!ENTITY a "b">]><workbook/>'})
    evidence = load_evidence([path], key=KEY)
    assert [(d.code, d.location.path) for d in evidence.diagnostics] == [("RF102", "xl/workbook.xml")]


# ---- sheets not read are in the row accounting


def _row_tags(xml: str) -> int:
    import re

    return len(re.findall(r"<row[\s>]", xml))


def test_a_sheet_refused_whole_is_named_in_the_accounting_with_the_rows_it_holds(tmp_path):
    """Every summary accounts for every row it was given: the rows of a refused sheet are stated, not dropped."""
    import re

    from regframe.evidence import NotRead
    from tests.io.xlsx_build import part, rewrite

    path = filled(tmp_path, fixtures.CHILDREN, fixtures.SIGNALS)
    xml = re.sub(r'<row r="6"', '<row r="2000000000"', part(path, "xl/worksheets/sheet2.xml").decode(), count=1)
    path = rewrite(path, tmp_path / "far.xlsx", {"xl/worksheets/sheet2.xml": xml})
    declared = re.search(r'<dimension ref="([^"]+)"', xml)
    assert declared is not None
    found = read(path, CONTEXT).inputs[0]
    assert found.not_read == (NotRead("Children placed", "RF404", 0, _row_tags(xml), declared.group(1)),)
    assert found.accounted  # the rows read still add up; the sheet's are beside them, not in them
    assert found.not_read[0].describe() == (f"sheet 'Children placed' refused (RF404): {_row_tags(xml):,} row(s) not "
                                            f"read (it declares range {declared.group(1)})")


def test_a_sheet_whose_xml_breaks_part_way_says_how_many_rows_after_it_were_not_read(tmp_path):
    from regframe.evidence import NotRead
    from tests.io.xlsx_build import part

    path = _patched(tmp_path, {"xl/worksheets/sheet2.xml": ("A6", '<c r="A6" t="n" t="n"><v>1</v></c>')})
    xml = part(path, "xl/worksheets/sheet2.xml").decode()
    rows_before = xml[:xml.index('<row r="6"')].count("<row ")  # rows 1 to 5, each read
    unread = read(path, CONTEXT).inputs[0].not_read
    assert [(s.sheet, s.code, s.after_row, s.rows) for s in unread] == [
        ("Children placed", "RF402", 5, _row_tags(xml) - rows_before)]
    assert unread[0].rows and unread[0].dimension
    assert isinstance(unread[0], NotRead)


def test_a_sheet_with_damaged_data_is_named_with_its_rows_unknown(tmp_path):
    from tests.io.xlsx_build import damage, part, rewrite

    path = filled(tmp_path, fixtures.CHILDREN, fixtures.SIGNALS)
    xml = part(path, "xl/worksheets/sheet2.xml").decode().replace("<sheetData>", "<sheetData><!--MARK-->", 1)
    path = damage(rewrite(path, tmp_path / "crc.xlsx", {"xl/worksheets/sheet2.xml": xml}),
                  "xl/worksheets/sheet2.xml", "crc")
    evidence = read(path, CONTEXT)
    assert [d.code for d in evidence.diagnostics] == ["RF402"]
    (unread,) = evidence.inputs[0].not_read
    assert (unread.sheet, unread.code, unread.after_row, unread.rows) == ("Children placed", "RF402", 0, None)
    assert unread.describe().startswith("sheet 'Children placed' refused (RF402): its rows not read, how many unknown")


def test_a_sheet_whose_part_is_missing_is_named_and_a_clean_return_names_none(tmp_path):
    import zipfile

    path = filled(tmp_path, fixtures.CHILDREN, fixtures.SIGNALS)
    assert read(path, CONTEXT).inputs[0].not_read == ()
    missing = tmp_path / "missing.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(missing, "w") as target:
        for info in source.infolist():
            if info.filename != "xl/worksheets/sheet2.xml":
                target.writestr(info, source.read(info))
    unread = read(missing, CONTEXT).inputs[0].not_read
    assert [(s.sheet, s.code, s.after_row, s.rows, s.dimension) for s in unread] == [
        ("Children placed", "RF402", 0, None, None)]


def test_evidence_summary_lists_a_refused_sheets_rows(tmp_path, capsys, monkeypatch):
    import re

    from tests.io.xlsx_build import part, rewrite

    path = filled(tmp_path, fixtures.CHILDREN, fixtures.SIGNALS)
    xml = re.sub(r'<row r="6"', '<row r="2000000000"', part(path, "xl/worksheets/sheet2.xml").decode(), count=1)
    path = rewrite(path, tmp_path / "far.xlsx", {"xl/worksheets/sheet2.xml": xml})
    monkeypatch.setenv("REGFRAME_PSEUDONYM_KEY", "a test key of sixteen+ characters")
    assert main(["evidence", "summary", str(path), "--format", "json"]) == 1
    rows = json.loads(capsys.readouterr().out)
    unread = [row for row in rows if row["section"] == "rows not read"]
    assert [row["count"] for row in unread] == [_row_tags(xml)]
    assert unread[0]["name"] == f"{path}: sheet 'Children placed' refused (RF404)"
