"""The gap report workbook: layout, order, tables, guards against formulas, atomic writing."""

from __future__ import annotations

import json
import re
import zipfile

import attrs
import openpyxl
import pytest

from regframe.assess.results import Reason, Status
from regframe.io.xlsxsafe import check_workbook, open_workbook
from regframe.report import bulk, write_json, write_xlsx
from regframe.report import xlsx as report_xlsx
from tests.report.report_fixtures import fixture_graph, hesley_assessment

GAP_HEADER = ["URN", "Setting", "Requirement id", "Ref", "Requirement", "Standard", "Standard title", "Instrument",
              "Regulators", "Status", "Flags", "Reasons", "Evidence"]


@pytest.fixture(scope="module")
def graph():
    return fixture_graph()


@pytest.fixture(scope="module")
def report(graph, tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "gaps.xlsx"
    write_xlsx(hesley_assessment(), graph, path)
    assert check_workbook(path) == []
    return path


@pytest.fixture(scope="module")
def workbook(report):
    """The report loaded in full (tables, panes and formats are not visible read-only)."""
    return openpyxl.load_workbook(report)


def _rows(ws, first=1):
    return [list(row) for row in ws.iter_rows(min_row=first, values_only=True)]


def _sheet_xml(path):
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/sheet")}


def test_sheets_come_in_reading_order(workbook):
    assert workbook.sheetnames == ["Summary", "Charts", "Gaps", "Coverage", "Matrix", "Indicators", "Recommendations",
                                   "Provider groups", "Evidence", "About"]


def test_summary_lists_settings_in_assessment_order_with_the_red_one_first_and_filled_red(workbook):
    ws = workbook["Summary"]
    header = report_xlsx.SUMMARY_TITLE_ROWS + 1
    names = [c.value for c in ws[header]]
    assert names[:10] == ["URN", "Setting", "Kind", "Local authority", "Owner", "Dual-registered", "Children",
                          "Risk", "Assurance", "Risk score"]
    rows = _rows(ws, header + 1)
    assert [(r[0], r[7], r[8]) for r in rows] == [("SC900001", "Red", "Medium"), ("SC900002", "Amber", "Low"),
                                                  ("SC900003", "Green", "High")]
    rating = ws.cell(row=header + 1, column=8)
    assert rating.fill.fgColor.rgb == "00" + report_xlsx.RED_FILL
    assert ws.cell(row=header + 3, column=8).fill.fgColor.rgb == "00" + report_xlsx.GREEN_FILL
    assert ws.cell(row=header + 1, column=9).fill.fgColor.rgb == "00" + report_xlsx.AMBER_FILL
    assert ws.tables["Summary"].ref == f"A{header}:{openpyxl.utils.get_column_letter(len(names))}{header + 3}"


def test_summary_counts_one_column_per_status_and_per_flag(workbook):
    ws = workbook["Summary"]
    header = report_xlsx.SUMMARY_TITLE_ROWS + 1
    names = [c.value for c in ws[header]]
    red = dict(zip(names, _rows(ws, header + 1)[0], strict=True))
    assert [red[n] for n in ("Not met", "Overdue", "Uncorroborated", "Stale", "No evidence", "Met",
                             "Not applicable")] == [2, 1, 1, 0, 1, 1, 0]
    assert [red[n] for n in ("Regulators disagree", "Provider contradicted", "Single regulator",
                             "Suspect mapping")] == [1, 2, 1, 0]
    assert red["Dual-registered"] == "Yes" and red["Children"] == 6 and red["Rated good, but …"] == "Yes"
    assert red["Reasons"].splitlines() == [
        "1. Rated good, but …: Ofsted judged it good on 12 Jun 2024, while in the last twelve months red signs came "
        "from advocates and the LADO",
        "2. 2 of 6 children have had no independent advocate in the last twelve months, red at 25% (CHR 2015 reg "
        "7(2)(b)(iii) Advocacy support) — advocates, Jan 2025",
        "3. No independent person's report since 28 Nov 2024 (CHR 2015 reg 44(1): every month)",
    ]
    assert red["Assurance because"] == "registered with both regulators, but CQC has no evidence in the last twelve months"


def test_summary_shows_at_most_five_reasons_and_no_internal_id(graph, tmp_path):
    assessment = hesley_assessment()
    red = assessment.settings[0]
    many = tuple(attrs.evolve(red.reasons[1], text=f"reason {n}") for n in range(8))
    red = attrs.evolve(red, reasons=many)
    book = openpyxl.load_workbook(write_xlsx(attrs.evolve(assessment, settings=(red, *assessment.settings[1:])),
                                             graph, tmp_path / "r.xlsx"))
    ws = book["Summary"]
    header = report_xlsx.SUMMARY_TITLE_ROWS + 1
    names = [c.value for c in ws[header]]
    cell = ws.cell(row=header + 1, column=names.index("Reasons") + 1).value
    assert cell.splitlines() == [f"{n + 1}. reason {n}" for n in range(5)]


def test_gaps_is_an_excel_table_with_filters_and_a_frozen_header(workbook):
    ws = workbook["Gaps"]
    assert [c.value for c in ws[1]] == GAP_HEADER
    table = ws.tables["Gaps"]
    assert table.ref == "A1:M8"  # 7 gaps below the header: no-evidence requirements are on Coverage
    assert table.autoFilter.ref == "A1:M8"
    assert [c.name for c in table.tableColumns] == GAP_HEADER
    assert ws.freeze_panes == "C2"


def test_gaps_lists_each_settings_gaps_worst_status_first_with_reasons_flags_and_evidence(workbook):
    rows = _rows(workbook["Gaps"], 2)
    assert [(r[0], r[2], r[9]) for r in rows] == [
        ("SC900001", "chr2015.r7.2.b.iii", "Not met"),
        ("SC900001", "chr2015.r20.1", "Not met"),
        ("SC900001", "chr2015.r44.1", "Overdue"),
        ("SC900001", "cqc-ra2014.r13.4.b", "Uncorroborated"),
        ("SC900002", "chr2015.r44.1", "Overdue"),
        ("SC900002", "chr2015.r7.2.b.iii", "Stale"),
        ("SC900003", "cqc-ra2014.r13.4.b", "Stale"),
    ]
    advocacy = dict(zip(GAP_HEADER, rows[0], strict=True))
    assert advocacy == {
        "URN": "SC900001", "Setting": "Fenwick Lodge", "Requirement id": "chr2015.r7.2.b.iii",
        "Ref": "CHR 2015 reg 7(2)(b)(iii)", "Requirement": "Advocacy support", "Standard": "CHR 2015 reg 7",
        "Standard title": "The children's views, wishes and feelings standard", "Instrument": "CHR 2015",
        "Regulators": "ofsted, provider", "Status": "Not met", "Flags": "Provider contradicted",
        "Reasons": "Advocate's visit on 2025-01-20 found two children with no advocacy support\n"
                   "Provider's self-assessment of 2025-01-05 says met",
        "Evidence": "ev-0004; ev-0003",
    }
    assert rows[1][10] == "Regulators disagree; Provider contradicted"


def test_gaps_has_no_no_evidence_rows_and_coverage_counts_them_per_regulator(workbook):
    assert "No evidence" not in [r[9] for r in _rows(workbook["Gaps"], 2)]
    ws = workbook["Coverage"]
    assert [c.value for c in ws[1]] == ["URN", "Setting", "Assurance", "Regulator", "Applicable", "Evidenced", "Stale",
                                        "Provider only", "None", "Evidenced share"]
    rows = _rows(ws, 2)
    assert [r[:9] for r in rows] == [
        ["SC900001", "Fenwick Lodge", "Medium", "Ofsted", 3, 2, 0, 1, 0],
        ["SC900001", "Fenwick Lodge", "Medium", "CQC", 2, 0, 0, 1, 1],
        ["SC900002", "Fenwick Cottage", "Low", "Ofsted", 3, 1, 1, 0, 1],
        ["SC900003", "Beacon View School", "High", "Ofsted", 1, 1, 0, 0, 0],
        ["SC900003", "Beacon View School", "High", "CQC", 1, 0, 1, 0, 0],
    ]
    assert [round(r[9], 3) for r in rows] == [0.667, 0.0, 0.333, 1.0, 0.0]
    assert ws["J2"].number_format == "0%"


def test_matrix_counts_gaps_by_standard_under_a_colour_scale(workbook):
    ws = workbook["Matrix"]
    standards = ["CHR 2015 reg 7", "CHR 2015 reg 20", "CHR 2015 reg 44"]  # only standards with a failing requirement
    assert [c.value for c in ws[1]] == ["URN", "Setting", "Risk", "Failing", *standards]
    assert _rows(ws, 2) == [  # not met and overdue only: stale, uncorroborated and unevidenced are not failing
        ["SC900001", "Fenwick Lodge", "Red", 3, 1, 1, 1],
        ["SC900002", "Fenwick Cottage", "Amber", 1, 0, 0, 1],
        ["SC900003", "Beacon View School", "Green", 0, 0, 0, 0],
    ]
    ranges = {str(r.sqref): [rule.type for rule in r.rules] for r in ws.conditional_formatting}
    assert ranges == {"E2:G4": ["colorScale"]}


def test_indicators_fill_red_and_amber_levels(workbook):
    ws = workbook["Indicators"]
    rows = _rows(ws, 2)
    assert [(r[0], r[2], r[5], r[7]) for r in rows] == [
        ("SC900001", "ind.restraint-rate", 5.2, "Red"), ("SC900001", "ind.staff-turnover", 0.48, "Red"),
        ("SC900002", "ind.restraint-rate", 2.4, "Amber"), ("SC900002", "ind.staff-turnover", None, None),
        ("SC900003", "ind.restraint-rate", 0.3, None),
    ]
    assert ws["H2"].fill.fgColor.rgb == "00" + report_xlsx.RED_FILL
    assert ws["H4"].fill.fgColor.rgb == "00" + report_xlsx.AMBER_FILL
    assert {r[8] for r in rows} == {"Risk"}  # no assurance (overdue-inspection) indicator in the fixture


def test_recommendations_show_the_lens_with_failing_refs_and_indicators(workbook):
    rows = _rows(workbook["Recommendations"], 2)
    assert rows[1] == ["SC900001", "Fenwick Lodge", "CSPRP 2023 R6",
                       "Joint Ofsted and CQC oversight of dual-registered settings", "Failing", "CHR 2015 reg 20(1)",
                       "HSCA RA 2014 reg 13(4)(b)", "ind.restraint-rate"]
    assert [r[4] for r in rows] == ["Failing", "Failing", "At risk", "Not applicable", "OK", "At risk"]


def test_provider_groups_highlight_the_owner_that_stands_out(workbook):
    ws = workbook["Provider groups"]
    assert _rows(ws, 2) == [
        ["Hollin Care Group Ltd", 2, 1, 1, 0, 2, "Yes", "SC900001, SC900002", "SC900001, SC900002"],
        ["Northfield Education Trust", 1, 0, 0, 1, 0, "No", "SC900003", None],
    ]
    assert ws["A2"].fill.fgColor.rgb == "00" + report_xlsx.RED_FILL
    assert ws["A3"].fill.fill_type is None


def test_evidence_index_gives_each_item_with_its_provenance(workbook):
    rows = _rows(workbook["Evidence"], 2)
    assert rows[2][:2] == ["ev-0004", "SC900001"]
    assert rows[2][5].date().isoformat() == "2025-01-20"
    assert rows[2][6] == "doncaster-2025.xlsx!Evidence!A14"
    assert rows[1][6] == "demo.xml:88"  # the user's own folders are never written


def test_about_lists_each_input_with_its_sha256_and_counts(workbook):
    text = [[v for v in row if v is not None] for row in _rows(workbook["About"])]
    for item in hesley_assessment().inputs:
        name = item.path.rsplit("/", 1)[-1]
        assert [name, item.sha256, item.format, item.rows, item.accepted, item.rejected, item.skipped,
                item.blank, item.unused] in text
    flat = [v for row in text for v in row]
    assert "report-fixture" in flat and "2025-03-31" in flat and "0.1.0" in flat
    assert "Ofsted and CQC data last refreshed on 2025-03-01." in flat
    assert "returns/doncaster-2025.xlsx!Placements!C7: warning RF310: date of birth column ignored" in flat
    assert not any("generated" in str(v).lower() for v in flat)
    assert not any("/home/" in str(v) for v in flat)


def test_about_names_each_sheet_not_read_with_its_rows(tmp_path):
    from tests.report.test_report_json import _with_sheets_not_read

    assessment = _with_sheets_not_read()
    path = write_xlsx(assessment, fixture_graph(), tmp_path / "r.xlsx")
    flat = [v for row in _rows(openpyxl.load_workbook(path)["About"]) for v in row if v is not None]
    name = assessment.inputs[0].path.rsplit("/", 1)[-1]
    assert "Sheets not read (their rows are in no count above)" in flat
    assert f"{name}: sheet 'Children placed' refused (RF404): 2,000,001 row(s) not read (it declares range " \
           "A1:P2000001)" in flat
    assert f"{name}: sheet 'Signals' read to row 6 only (RF402): the rows after it not read, how many unknown" in flat


def test_the_about_sheet_has_no_sheets_not_read_heading_when_every_sheet_was_read(workbook):
    assert "Sheets not read (their rows are in no count above)" not in [
        v for row in _rows(workbook["About"]) for v in row if v is not None]


def test_about_gives_the_rules_in_their_own_words(workbook):
    from regframe.assess.assurance import ASSURANCE_RULE
    from regframe.assess.rating import RATED_GOOD_BUT_RULE, RATING_RULE
    from regframe.assess.status import FLAG_MEANINGS, STATUS_MEANINGS

    flat = [v for row in _rows(workbook["About"]) for v in row if v is not None]
    for rule in [*RATING_RULE.values(), *ASSURANCE_RULE.values(), RATED_GOOD_BUT_RULE, *STATUS_MEANINGS.values(),
                 *FLAG_MEANINGS.values()]:
        assert rule in flat


def test_no_sheet_names_a_users_absolute_path(report):
    with zipfile.ZipFile(report) as archive:
        text = " ".join(archive.read(n).decode() for n in archive.namelist() if n.endswith(".xml"))
    assert "/home/analyst" not in text


def test_the_workbook_has_at_least_two_charts_on_the_charts_sheet(report):
    with zipfile.ZipFile(report) as archive:
        charts = [n for n in archive.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)]
        drawings = [n for n in archive.namelist() if re.fullmatch(r"xl/drawings/drawing\d+\.xml", n)]
    assert len(charts) >= 2
    assert len(drawings) == 1


def test_every_sheet_prints_landscape_fitted_to_the_page_width(workbook):
    for ws in workbook.worksheets:
        assert ws.page_setup.orientation == "landscape", ws.title
        assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage, ws.title


def test_the_same_assessment_gives_the_same_bytes(graph, tmp_path):
    first = write_xlsx(hesley_assessment(), graph, tmp_path / "a.xlsx").read_bytes()
    second = write_xlsx(hesley_assessment(), graph, tmp_path / "b.xlsx").read_bytes()
    assert first == second


# ---------------------------------------------------------------- formulas never


HOSTILE = {
    "name": '=HYPERLINK("http://example.org","click")',
    "owner": "+44 1234 567890",
    "reason": "-5 restraint incidents recorded",
    "note": "@SUM(A1:A9)",
}


def _hostile_assessment():
    assessment = hesley_assessment()
    red = assessment.settings[0]
    finding = attrs.evolve(red.findings[0], reasons=(Reason(Status.NOT_MET, HOSTILE["reason"]),))
    red = attrs.evolve(red, setting=attrs.evolve(red.setting, name=HOSTILE["name"], owner=HOSTILE["owner"]),
                       findings=(finding, *red.findings[1:]))
    return attrs.evolve(assessment, settings=(red, *assessment.settings[1:]), notes=(HOSTILE["note"],))


@pytest.mark.parametrize("write_only", [False, True], ids=["normal", "write-only"])
def test_text_that_looks_like_a_formula_is_stored_as_literal_text(graph, tmp_path, write_only):
    path = write_xlsx(_hostile_assessment(), graph, tmp_path / "hostile.xlsx", write_only=write_only)
    assert not any("<f>" in xml or "<f " in xml for xml in _sheet_xml(path).values())
    book = openpyxl.load_workbook(path)
    header = report_xlsx.SUMMARY_TITLE_ROWS + 1
    cells = [
        book["Summary"].cell(row=header + 1, column=2), book["Summary"].cell(row=header + 1, column=5),
        book["Gaps"]["B2"], book["Gaps"]["L2"], book["Matrix"]["B2"],
    ]
    assert [c.value for c in cells] == [HOSTILE["name"], HOSTILE["owner"], HOSTILE["name"], HOSTILE["reason"],
                                        HOSTILE["name"]]
    assert [c.data_type for c in cells] == ["s"] * 5
    assert all(c.quotePrefix for c in cells)
    about = [c for row in book["About"].iter_rows() for c in row if c.value == HOSTILE["note"]]
    assert len(about) == 1 and about[0].data_type == "s" and about[0].quotePrefix
    readonly = open_workbook(path, data_only=False)
    try:
        assert next(readonly["Gaps"].iter_rows(min_row=2, max_row=2, values_only=True))[1] == HOSTILE["name"]
    finally:
        readonly.close()


# ---------------------------------------------------------------- writing


def test_a_failed_write_leaves_no_file_behind(graph, tmp_path, monkeypatch):
    def broken(self, row_number, values):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(bulk._Renderer, "render", broken)
    with pytest.raises(RuntimeError, match="disk on fire"):
        write_xlsx(hesley_assessment(), graph, tmp_path / "gaps.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_keeps_the_previous_report(graph, tmp_path, monkeypatch):
    target = tmp_path / "gaps.xlsx"
    target.write_bytes(b"previous report")
    monkeypatch.setattr(report_xlsx._Report, "_about", lambda self, ws: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        write_xlsx(hesley_assessment(), graph, target)
    assert [p.name for p in tmp_path.iterdir()] == ["gaps.xlsx"]
    assert target.read_bytes() == b"previous report"


def test_write_only_mode_is_chosen_above_the_threshold_and_says_so(graph, tmp_path, monkeypatch):
    monkeypatch.setattr(report_xlsx, "WRITE_ONLY_THRESHOLD", 6)
    path = write_xlsx(hesley_assessment(), graph, tmp_path / "big.xlsx")
    book = openpyxl.load_workbook(path)
    notes = [c.value for row in book["About"].iter_rows() for c in row if isinstance(c.value, str)]
    assert any(n.startswith("Written in streaming (write-only) mode") for n in notes)
    assert book["Gaps"].tables["Gaps"].ref == "A1:M8"
    assert book["Gaps"].freeze_panes == "C2"
    assert [str(r.sqref) for r in book["Matrix"].conditional_formatting] == ["E2:G4"]


def test_write_only_and_normal_mode_hold_the_same_values(graph, tmp_path):
    normal = openpyxl.load_workbook(write_xlsx(hesley_assessment(), graph, tmp_path / "n.xlsx", write_only=False))
    streamed = openpyxl.load_workbook(write_xlsx(hesley_assessment(), graph, tmp_path / "s.xlsx", write_only=True))
    assert normal.sheetnames == streamed.sheetnames
    for name in normal.sheetnames:
        notes = [v for v in (_rows(streamed[name])) if v and "streaming" in str(v[1])]
        assert [r for r in _rows(normal[name])] == [r for r in _rows(streamed[name]) if r not in notes], name


def test_gaps_past_excels_row_limit_continue_on_a_second_sheet_and_about_says_so(graph, tmp_path, monkeypatch):
    monkeypatch.setattr(report_xlsx, "EXCEL_MAX_ROWS", 6)  # five gap rows a sheet
    book = openpyxl.load_workbook(write_xlsx(hesley_assessment(), graph, tmp_path / "split.xlsx"))
    assert book.sheetnames[2:4] == ["Gaps", "Gaps (2)"]
    assert book["Gaps"].tables["Gaps"].ref == "A1:M6"
    assert book["Gaps (2)"].tables["Gaps_2"].ref == "A1:M3"
    assert [r[2] for r in _rows(book["Gaps (2)"], 2)] == ["chr2015.r7.2.b.iii", "cqc-ra2014.r13.4.b"]
    notes = [c.value for row in book["About"].iter_rows() for c in row if isinstance(c.value, str)]
    assert any("continue on Gaps (2)" in n for n in notes)


# ---------------------------------------------------------------- limits and edges


def test_text_longer_than_an_excel_cell_is_cut_and_says_so(graph, tmp_path):
    assessment = hesley_assessment()
    red = assessment.settings[0]
    finding = attrs.evolve(red.findings[0], reasons=(Reason(Status.NOT_MET, "x" * 40_000),))
    red = attrs.evolve(red, findings=(finding, *red.findings[1:]),
                       reasons=(attrs.evolve(red.reasons[0], text="y" * 40_000),))
    path = write_xlsx(attrs.evolve(assessment, settings=(red, *assessment.settings[1:])), graph, tmp_path / "r.xlsx")
    book = openpyxl.load_workbook(path)
    reasons = book["Gaps"]["L2"].value
    summary = book["Summary"].cell(row=report_xlsx.SUMMARY_TITLE_ROWS + 2, column=23).value
    assert len(reasons) == len(summary) == bulk.MAX_CELL_CHARS
    assert reasons.endswith(bulk.TRUNCATED) and summary.endswith(bulk.TRUNCATED)


def test_an_assessment_with_no_settings_still_gives_a_readable_workbook(graph, tmp_path):
    empty = attrs.evolve(hesley_assessment(), settings=(), groups=(), evidence=())
    path = write_xlsx(empty, graph, tmp_path / "empty.xlsx")
    assert check_workbook(path) == []
    book = openpyxl.load_workbook(path)
    assert book["Gaps"].tables["Gaps"].ref == "A1:M2"
    assert _rows(book["Gaps"], 2) == []


def test_the_benchmark_assessment_has_the_gap_rows_it_was_asked_for(graph):
    from regframe.bench import report as bench

    assessment = bench.assessment(settings=4, gaps=30)
    # a fifth of them have no evidence at all: those are counted on Coverage, not listed on Gaps
    assert report_xlsx._Report(assessment, graph).gap_rows == 4 * (30 - 30 // 5)


def test_a_setting_whose_name_is_not_published_says_so_on_every_sheet_and_stays_blank_in_the_json(graph, tmp_path):
    assessment = hesley_assessment()
    first = assessment.settings[0]
    unnamed = attrs.evolve(first, setting=attrs.evolve(first.setting, name=""))  # as Ofsted's readers give it
    assessment = attrs.evolve(assessment, settings=(unnamed, *assessment.settings[1:]))
    write_xlsx(assessment, graph, tmp_path / "gaps.xlsx")
    book = openpyxl.load_workbook(tmp_path / "gaps.xlsx", read_only=True)
    for sheet, column in [*((s, 1) for s in ("Summary", "Gaps", "Coverage", "Matrix", "Indicators",
                                               "Recommendations")), ("Evidence", 2)]:
        names = {row[column] for row in book[sheet].iter_rows(values_only=True) if row[column - 1] == first.setting.urn}
        assert names == {"name not published"}, sheet
    write_json(assessment, tmp_path / "gaps.json")
    [written] = [s for s in json.loads((tmp_path / "gaps.json").read_text())["settings"]
                 if s["setting"]["urn"] == first.setting.urn]
    assert written["setting"]["name"] == ""  # a machine reads the blank as the record has it
