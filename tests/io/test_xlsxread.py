"""The streaming xlsx reader: openpyxl's values, every failure a located diagnostic, limits held while streaming.

Each test writes a small workbook part by part (tests/io/xlsx_build.py), feeds one class of
damage or one limit, and asserts the exact diagnostics and the rows kept.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import openpyxl
import pytest

from regframe.io import xlsxread
from regframe.io.xlsxread import open_book
from regframe.io.xlsxsafe import DEFAULT_LIMITS, Limits, check_workbook
from regframe.io.xlsxsheet import MAX_LISTED_PER_SHEET
from tests.io.xlsx_build import MAIN, STYLES, damage, number, part, rewrite, row, shared, sheet_xml, text, workbook


def read(path: Path, limits: Limits = DEFAULT_LIMITS) -> tuple[dict[str, list[tuple[int, dict[int, object]]]], list[str]]:
    """Every sheet's rows as ``(number, {column: value})`` and every problem as ``location: severity code: message``."""
    problems: list = []
    book = open_book(path, problems, limits)
    sheets: dict[str, list[tuple[int, dict[int, object]]]] = {}
    if book is not None:
        with book:
            for sheet in book.sheets:
                sheets[sheet.title] = [(n, {i: c.value for i, c in cells.items()}) for n, cells in sheet.rows()]
    return sheets, [str(p) for p in problems]


def one_sheet(tmp_path: Path, rows: str, **options) -> Path:
    return workbook(tmp_path / "book.xlsx", {"Data": rows}, **options)


# ---- values as openpyxl reads them


def test_values_are_openpyxl_values(tmp_path):
    path = one_sheet(tmp_path, row(1, number("A1", 7), number("B1", "2.5"), number("C1", "1E3"), number("D1", 45301, 1),
                                   number("E1", 45301, 3), number("F1", "0.25", 2), shared("G1", 1), text("H1", " pad "))
                     + row(2, '<c r="A2" t="b"><v>1</v></c>', '<c r="B2" t="e"><v>#N/A</v></c>',
                           '<c r="C2" t="str"><f>A1&amp;"x"</f><v>7x</v></c>', '<c r="D2"><f>A1*2</f><v>14</v></c>',
                           '<c r="E2" t="d"><v>2024-01-10T00:00:00</v></c>', '<c r="F2" s="1"/>'),
                     strings=["first", "second"])
    sheets, problems = read(path)
    assert problems == []
    assert sheets == {"Data": [
        (1, {0: 7, 1: 2.5, 2: 1000.0, 3: dt.datetime(2024, 1, 10), 4: dt.datetime(2024, 1, 10), 5: 0.25, 6: "second",
             7: " pad "}),
        (2, {0: True, 1: "#N/A", 2: "7x", 3: 14, 4: dt.datetime(2024, 1, 10)}),
    ]}
    expected = openpyxl.load_workbook(path, read_only=True, data_only=True)
    theirs = {(c.row, c.column): (c.value, c.number_format) for r in expected["Data"].iter_rows() for c in r
              if getattr(c, "value", None) is not None}
    expected.close()
    with open_book(path, []) as book:
        ours = {(n, i + 1): (c.value, c.number_format) for n, cells in book.sheets[0].rows() for i, c in cells.items()}
    assert ours == theirs


def test_a_1904_workbook_dates_its_serials_from_1904(tmp_path):
    path = one_sheet(tmp_path, row(1, number("A1", 43839, 1)), date1904=True)
    assert read(path)[0]["Data"] == [(1, {0: dt.datetime(2024, 1, 10)})]


def test_rows_are_numbered_as_in_the_sheet_and_a_gap_costs_nothing(tmp_path):
    path = one_sheet(tmp_path, row(1, number("A1", 1)) + row(None, number("A2", 2)) + row(5, number("A5", 5))
                     + row(1_000_000, number("A1000000", 6)))
    assert read(path) == ({"Data": [(1, {0: 1}), (2, {0: 2}), (5, {0: 5}), (1_000_000, {0: 6})]}, [])


# ---- damage: each class met while rows stream, reported where it is, the rows before it kept


def test_a_duplicated_attribute_stops_the_sheet_at_its_row_and_keeps_the_rows_before(tmp_path):
    rows = "".join(row(n, number(f"A{n}", n)) for n in (1, 2)) + '<row r="3"><c r="A3" r="A3"><v>3</v></c></row>' \
        + row(4, number("A4", 4))
    sheets, problems = read(one_sheet(tmp_path, rows))
    assert sheets == {"Data": [(1, {0: 1}), (2, {0: 2})]}
    assert problems == [f"{tmp_path / 'book.xlsx'}!Data!row 3: error RF402: part xl/worksheets/sheet1.xml, XML line 2: "
                        "the XML is not well-formed (Attribute r redefined, line 2, column 272); rows from 3 on were "
                        "not read"]


def test_damage_deep_in_a_large_sheet_keeps_every_row_before_it(tmp_path):
    """The events parsed before the damage are kept: no row of the chunk the parser was in is lost."""
    rows = "".join(row(n, number(f"A{n}", n), text(f"B{n}", "x" * 50)) for n in range(1, 5001))
    rows += '<row r="5001"><c r="A5001" t="n" t="n"><v>1</v></c></row>'
    sheets, problems = read(one_sheet(tmp_path, rows))
    assert [n for n, _ in sheets["Data"]] == list(range(1, 5001))
    assert [p.split(": ")[0] for p in problems] == [f"{tmp_path / 'book.xlsx'}!Data!row 5001"]


def test_a_number_cell_that_is_not_a_number_loses_only_its_value(tmp_path):
    path = one_sheet(tmp_path, row(1, number("A1", "5x2"), number("B1", 2)) + row(2, number("A2", 3)))
    assert read(path) == ({"Data": [(1, {0: None, 1: 2}), (2, {0: 3})]}, [
        f"{path}!Data!A1: warning RF403: cell A1 is a number cell holding '5x2', which is not a number; its value "
        "was not read"])
    with open_book(path, []) as book:
        assert [c.damaged for _, cells in book.sheets[0].rows() for c in cells.values()] == [True, False, False]


@pytest.mark.parametrize(("style", "said"), [("x1", "'x1'"), ("99", "'99'"), ("-1", "'-1'")])
def test_a_style_that_is_not_in_the_style_table_reads_the_value_without_a_format(tmp_path, style, said):
    path = one_sheet(tmp_path, row(1, number("A1", 45301, style)))
    assert read(path) == ({"Data": [(1, {0: 45301})]}, [
        f"{path}!Data!A1: warning RF403: cell A1 names style {said}, which the workbook's style table (4 styles) does "
        "not have; its value was read without a number format"])


def test_a_cell_reference_that_is_not_one_loses_that_cell(tmp_path):
    path = one_sheet(tmp_path, row(1, '<c r="-"><v>1</v></c>', number("B1", 2)))
    assert read(path) == ({"Data": [(1, {1: 2})]}, [
        f"{path}!Data!row 1: warning RF403: a cell's reference is '-', which is not a cell reference; its value was "
        "not read"])


@pytest.mark.parametrize("numbered", ["nan", "1.5", "0", "-3", "٣"])
def test_a_row_number_that_is_not_one_loses_that_row_only(tmp_path, numbered):
    path = one_sheet(tmp_path, row(1, number("A1", 1)) + row(numbered, number("A2", 2)) + row(3, number("A3", 3)))
    assert read(path) == ({"Data": [(1, {0: 1}), (3, {0: 3})]}, [
        f"{path}!Data!row 2: warning RF403: a row is numbered {numbered!r}, which is not a row number; that row "
        "(after row 1) was not read"])


def test_rows_and_cells_out_of_order_are_not_read(tmp_path):
    path = one_sheet(tmp_path, row(2, number("B2", 1), number("A2", 2)) + row(1, number("A1", 3)) + row(3, number("A3", 4)))
    assert read(path) == ({"Data": [(2, {1: 1}), (3, {0: 4})]}, [
        f"{path}!Data!A2: warning RF403: cell A2 comes after B2; cells must be in order, so its value was not read",
        f"{path}!Data!row 1: warning RF403: row 1 comes after row 2; rows must be in order, so it was not read"])


def test_an_unexpected_sheet_property_is_no_problem(tmp_path):
    """openpyxl raised TypeError for it; nothing regframe reads depends on sheetPr."""
    path = one_sheet(tmp_path, "", parts={"xl/worksheets/sheet1.xml": sheet_xml(
        row(1, number("A1", 1)), before='<sheetPr foo="1" codeName="x"><outlinePr bar="2"/></sheetPr>')})
    assert read(path) == ({"Data": [(1, {0: 1})]}, [])


@pytest.mark.parametrize(("cell", "said"), [
    ('<c r="A1" t="s"><v>7</v></c>', "refers to shared string '7', which the workbook's table (1 strings) does not have"),
    ('<c r="A1" t="s"><v>x</v></c>', "refers to shared string 'x', which the workbook's table (1 strings) does not have"),
    ('<c r="A1" t="b"><v>yes</v></c>', "is a true/false cell holding 'yes'"),
    ('<c r="A1" t="d"><v>10/01/2024</v></c>', "is a date cell holding '10/01/2024', which is not an ISO 8601 date"),
    ('<c r="A1" t="zz"><v>1</v></c>', "has type 'zz', which is not a cell type"),
    ('<c r="A1"><v>1e999</v></c>', "is a number cell holding '1e999', which no spreadsheet can hold"),
    ('<c r="A1"><v>' + "9" * 5000 + "</v></c>", "is a number cell holding '" + "9" * 40 + "', which is not a number"),
])
def test_a_cell_the_file_describes_wrongly_loses_its_value(tmp_path, cell, said):
    path = one_sheet(tmp_path, row(1, cell, number("B1", 2)), strings=["only"])
    assert read(path) == ({"Data": [(1, {0: None, 1: 2})]}, [
        f"{path}!Data!A1: warning RF403: cell A1 {said}; its value was not read"])


def test_a_400_digit_integer_is_read_as_a_number(tmp_path):
    """The reader gives what the file holds, as openpyxl does; the LA return reader reports it (RF412)."""
    path = one_sheet(tmp_path, row(1, number("A1", "9" * 400)))
    assert read(path) == ({"Data": [(1, {0: int("9" * 400)})]}, [])


def test_a_bad_crc_refuses_the_sheet_before_any_of_it_is_read(tmp_path):
    path = workbook(tmp_path / "crc.xlsx", {"Good": row(1, number("A1", 1)), "Bad": row(1, text("A1", "MARK"))})
    damage(path, "xl/worksheets/sheet2.xml", "crc")
    sheets, problems = read(path)
    assert sheets == {"Good": [(1, {0: 1})], "Bad": []}
    assert problems == [f"{path}!Bad: error RF402: part xl/worksheets/sheet2.xml is damaged (BadZipFile: Bad CRC-32 "
                        "for file 'xl/worksheets/sheet2.xml'); the sheet was not read"]


def test_corrupt_deflate_data_in_a_sheet_refuses_that_sheet(tmp_path):
    rows = "".join(row(n, text(f"A{n}", f"value {n * 7919 % 10007}")) for n in range(1, 400))
    path = workbook(tmp_path / "zlib.xlsx", {"Good": row(1, number("A1", 1)), "Bad": rows})
    damage(path, "xl/worksheets/sheet2.xml", "deflate")
    sheets, problems = read(path)
    assert sheets == {"Good": [(1, {0: 1})], "Bad": []}
    assert len(problems) == 1 and problems[0].startswith(f"{path}!Bad: error RF402: part xl/worksheets/sheet2.xml is "
                                                          "damaged (")
    assert problems[0].endswith("; the sheet was not read")


def test_corrupt_shared_strings_refuse_the_workbook(tmp_path):
    path = one_sheet(tmp_path, row(1, shared("A1", 0)), strings=[f"string {n * 7919 % 10007}" for n in range(400)])
    damage(path, "xl/sharedStrings.xml", "deflate")
    sheets, problems = read(path)
    assert sheets == {}
    assert len(problems) == 1 and problems[0].startswith(f"{path} at xl/sharedStrings.xml: error RF402: part "
                                                          "xl/sharedStrings.xml is damaged (")
    assert problems[0].endswith("; without its shared strings the workbook cannot be read")


def test_damage_in_a_part_nothing_reads_is_a_warning(tmp_path):
    path = one_sheet(tmp_path, row(1, number("A1", 1)),
                     parts={"docProps/app.xml": "<Properties>" + "".join(f"<x>{n * 7919 % 10007}</x>" for n in range(900))
                            + "</Properties>"})
    damage(path, "docProps/app.xml", "deflate")
    sheets, problems = read(path)
    assert sheets == {"Data": [(1, {0: 1})]}
    assert len(problems) == 1 and problems[0].startswith(f"{path} at docProps/app.xml: warning RF402: part "
                                                          "docProps/app.xml is damaged (")
    assert problems[0].endswith("; regframe reads nothing from it, so nothing was lost")


def test_check_workbook_names_every_damaged_part(tmp_path):
    path = workbook(tmp_path / "crc.xlsx", {"Bad": row(1, text("A1", "MARK"))})
    damage(path, "xl/worksheets/sheet1.xml", "crc")
    assert [(p.code, p.location.path) for p in check_workbook(path)] == [("RF402", "xl/worksheets/sheet1.xml")]


# ---- limits, held while streaming


def test_the_parse_holds_the_row_limit_where_the_scan_of_the_bytes_cannot_see_it(tmp_path):
    """A row number written with character references passes the byte scan; the parse stops at that row."""
    path = one_sheet(tmp_path, row(1, number("A1", 1)) + row("&#50;000000000", number("A2", 2)) + row(None, number("A3", 3)))
    assert read(path) == ({"Data": [(1, {0: 1})]}, [
        f"{path}!Data!row 2000000000: error RF404: row 2,000,000,000 is numbered beyond the last row a sheet may have "
        "(1,048,576); it and the rows after it were not read"])


def test_a_row_numbered_two_billion_refuses_the_sheet_at_once(tmp_path):
    path = one_sheet(tmp_path, row(1, number("A1", 1)) + row(2_000_000_000, number("A2000000000", 2)))
    assert read(path) == ({"Data": []}, [
        f"{path}!Data!row 2000000000: error RF404: row 2,000,000,000 is numbered beyond the last row a sheet may have "
        "(1,048,576); the sheet was not read"])


def test_a_gap_to_row_ten_million_refuses_the_sheet(tmp_path):
    path = one_sheet(tmp_path, row(1, number("A1", 1)) + row(10_000_000, number("A10000000", 2)))
    assert read(path)[1] == [f"{path}!Data!row 10000000: error RF404: row 10,000,000 is numbered beyond the last row a "
                             "sheet may have (1,048,576); the sheet was not read"]


def test_more_rows_than_the_limit_refuse_the_sheet_before_any_is_read(tmp_path):
    path = one_sheet(tmp_path, "".join(row(None, number("A1", n)) for n in range(11)))
    assert read(path, Limits(max_rows=10)) == ({"Data": []}, [
        f"{path}!Data: error RF404: the sheet has more than 10 rows, the most a sheet may have; the sheet was not read"])


def test_rows_that_cannot_be_placed_count_towards_the_row_limit(tmp_path):
    """A million rows all numbered 1 must not cost a million diagnostics: they are rows, and over the limit."""
    path = one_sheet(tmp_path, "".join(row(1, number("A1", n)) for n in range(11)))
    assert read(path, Limits(max_rows=10))[1] == [
        f"{path}!Data: error RF404: the sheet has more than 10 rows, the most a sheet may have; the sheet was not read"]


def test_cells_beyond_column_xfd_are_not_read(tmp_path):
    path = one_sheet(tmp_path, row(1, number("A1", 1), number("XFD1", 2), number("XFE1", 3)) + row(2, number("A2", 4)))
    assert read(path) == ({"Data": [(1, {0: 1, 16383: 2}), (2, {0: 4})]}, [
        f"{path}!Data!row 1: error RF404: the row has cells beyond column XFD (column 16,384); they were not read"])


def test_a_cell_longer_than_excel_allows_is_not_read(tmp_path):
    path = one_sheet(tmp_path, row(1, text("A1", "x" * 32_768), text("B1", "y" * 32_767)), strings=["z" * 32_768])
    path = rewrite(path, tmp_path / "long.xlsx", {"xl/worksheets/sheet1.xml": sheet_xml(
        row(1, text("A1", "x" * 32_768), text("B1", "y" * 32_767), shared("C1", 0)))})
    sheets, problems = read(path)
    assert sheets == {"Data": [(1, {0: None, 1: "y" * 32_767, 2: None})]}
    assert problems == [f"{path}!Data!{cell}: error RF404: cell {cell} holds more than 32,767 characters (Excel's "
                        "limit); its value was not read" for cell in ("A1", "C1")]


def test_a_row_whose_values_are_too_long_is_not_read(tmp_path):
    path = one_sheet(tmp_path, row(1, *(shared(f"{c}1", 0) for c in "ABCDE")) + row(2, shared("A2", 0)),
                     strings=["w" * 1000])
    assert read(path, Limits(max_row_chars=4000)) == ({"Data": [(2, {0: "w" * 1000})]}, [
        f"{path}!Data!row 1: error RF404: the row's values hold more than 4,000 characters; the row was not read"])


def test_a_row_whose_xml_is_too_large_stops_the_sheet_there(tmp_path):
    """Whatever the row is made of (here a flood of empty elements), it is cut off before it is held."""
    flood = "<x/>" * 100_000
    path = one_sheet(tmp_path, row(1, number("A1", 1)) + f'<row r="2"><c r="A2"><is>{flood}</is></c></row>'
                     + row(3, number("A3", 3)))
    assert read(path, Limits(max_row_bytes=100_000)) == ({"Data": [(1, {0: 1})]}, [
        f"{path}!Data!row 2: error RF404: row 2's XML is longer than 100,000 bytes; the rest of the sheet was not read"])


def test_a_part_over_its_size_limit_is_refused_from_the_zip_directory(tmp_path):
    path = one_sheet(tmp_path, "".join(row(n, number(f"A{n}", n)) for n in range(1, 200)))
    assert read(path, Limits(max_part_bytes=2_000)) == ({}, [
        f"{path}: error RF401: part xl/worksheets/sheet1.xml inflates to {len(part(path, 'xl/worksheets/sheet1.xml')):,} "
        "bytes; the limit for it is 2,000"])


def test_a_shared_strings_table_over_its_limit_refuses_the_workbook(tmp_path):
    path = one_sheet(tmp_path, row(1, shared("A1", 0)), strings=[str(n) for n in range(11)])
    assert read(path, Limits(max_shared_strings=10)) == ({}, [
        f"{path} at xl/sharedStrings.xml: error RF401: part xl/sharedStrings.xml: the shared strings table holds more "
        "than 10 strings or 33,554,432 characters; the workbook was not read"])


def test_a_flood_of_damaged_cells_is_listed_up_to_a_point(tmp_path):
    path = one_sheet(tmp_path, "".join(row(n, number(f"A{n}", "x"), number(f"B{n}", n)) for n in range(1, 301)))
    sheets, problems = read(path)
    assert len(sheets["Data"]) == 300 and all(cells == {0: None, 1: n} for n, cells in sheets["Data"])
    assert len(problems) == MAX_LISTED_PER_SHEET + 1
    assert problems[-1] == (f"{path}!Data!A201: warning RF403: more cells or rows of this sheet cannot be read as the "
                            "file describes them; after 200 such problems they are no longer listed one by one (each "
                            "is still left out, as the problems listed say)")


def test_a_sheet_read_twice_reports_each_problem_once(tmp_path):
    problems: list = []
    with open_book(one_sheet(tmp_path, row(1, number("A1", "x"))), problems) as book:
        for _ in range(3):
            list(book.sheets[0].rows())
    assert [p.code for p in problems] == ["RF403"]


# ---- active content: refused or named, with its part


def test_a_doctype_in_any_part_refuses_the_workbook_and_names_the_part(tmp_path):
    doctype = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>'
    for name in ("xl/styles.xml", "xl/workbook.xml", "docProps/core.xml", "xl/theme/theme1.xml"):
        path = one_sheet(tmp_path, row(1, number("A1", 1)), parts={name: doctype + "<x/>"})
        assert read(path) == ({}, [f"{path}:1 at {name}: error RF102: part {name}: document has a DOCTYPE declaration; "
                                   "regframe never processes DTDs or entities"])


def test_an_internal_entity_in_sheet_xml_is_never_expanded(tmp_path):
    entity = '<?xml version="1.0"?>\n<!DOCTYPE worksheet [<!ENTITY child "ENTITYTEXT">]>\n'
    path = one_sheet(tmp_path, "", parts={"xl/worksheets/sheet1.xml": entity + sheet_xml(
        row(1, text("A1", "&child;"))).split("\n", 1)[1].replace("&amp;child;", "&child;")})
    sheets, problems = read(path)
    assert sheets == {}
    assert problems == [f"{path}:2 at xl/worksheets/sheet1.xml: error RF102: part xl/worksheets/sheet1.xml: document "
                        "has a DOCTYPE declaration; regframe never processes DTDs or entities"]


def test_macros_external_links_and_hyperlinks_are_named_with_their_parts(tmp_path):
    rels = "http://schemas.openxmlformats.org/package/2006/relationships"
    kind = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    sheet_rels = (f'<Relationships xmlns="{rels}">'
                  f'<Relationship Id="rId1" Type="{kind}/hyperlink" Target="file:///C:/secret.xlsx" TargetMode="External"/>'
                  f'<Relationship Id="rId2" Type="{kind}/hyperlink" Target="https://example.org/a" TargetMode="External"/>'
                  f'<Relationship Id="rId3" Type="{kind}/hyperlink" Target="http://example.org/b" TargetMode="External"/>'
                  "</Relationships>")
    link_rels = (f'<Relationships xmlns="{rels}"><Relationship Id="rId1" Type="{kind}/externalLinkPath" '
                 'Target="file:///\\\\server\\share\\other.xlsx" TargetMode="External"/></Relationships>')
    path = one_sheet(tmp_path, row(1, '<c r="A1"><f>[1]Sheet1!A1*2</f><v>4</v></c>', '<c r="B1"><f>Table1[2020]</f><v>1</v></c>'),
                     parts={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0macro",
                            "xl/externalLinks/externalLink1.xml": f'<externalLink xmlns="{MAIN}"/>',
                            "xl/externalLinks/_rels/externalLink1.xml.rels": link_rels,
                            "xl/worksheets/_rels/sheet1.xml.rels": sheet_rels})
    sheets, problems = read(path)
    assert sheets == {"Data": [(1, {0: 4, 1: 1})]}
    assert problems == [
        f"{path} at xl/externalLinks/externalLink1.xml: warning RF406: part xl/externalLinks/externalLink1.xml links "
        "this workbook to another workbook, 'file:///\\\\\\\\server\\\\share\\\\other.xlsx'; values that came through "
        "it are read as saved in this file",
        f"{path} at xl/vbaProject.bin: warning RF405: part xl/vbaProject.bin is a VBA project (macros); it was neither "
        "run nor read",
        f"{path} at xl/worksheets/_rels/sheet1.xml.rels: warning RF406: part xl/worksheets/_rels/sheet1.xml.rels: 1 "
        "relationship(s) point outside the workbook to a file (the first: 'file:///C:/secret.xlsx'); regframe never "
        "opens them",
        f"{path} at xl/worksheets/_rels/sheet1.xml.rels: info RF407: part xl/worksheets/_rels/sheet1.xml.rels: 2 "
        "link(s) to web addresses (the first: 'https://example.org/a'); never followed",
        f"{path}!Data!A1: warning RF406: the formula =[1]Sheet1!A1*2 refers to another workbook; its value is read as "
        "saved in this file (further such formulas on this sheet are not listed)",
    ]


# ---- recognising workbooks


def test_sheet_names_of_a_damaged_or_hostile_workbook_are_none_and_the_refusal_says_why(tmp_path):
    hostile = one_sheet(tmp_path, row(1, number("A1", 1)),
                        parts={"xl/workbook.xml": '<!DOCTYPE x [<!ENTITY a "b">]><workbook/>'})
    assert xlsxread.sheet_names(hostile) == []
    refusal = xlsxread.refusal(hostile)
    assert refusal is not None and (refusal.code, refusal.location.path) == ("RF102", "xl/workbook.xml")
    names = "".join(f'<sheet name="{"s" * 20}{n}" sheetId="{n}"/>' for n in range(300))
    damaged = rewrite(hostile, tmp_path / "damaged.xlsx", {"xl/workbook.xml": f'<workbook xmlns="{MAIN}"><sheets>{names}'
                                                           "</sheets></workbook>"})
    damage(damaged, "xl/workbook.xml", "deflate")
    assert xlsxread.sheet_names(damaged) == []
    refusal = xlsxread.refusal(damaged)
    assert refusal is not None and (refusal.code, refusal.location.path) == ("RF402", "xl/workbook.xml")
    plain = tmp_path / "plain.zip"
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("notes.txt", "not a workbook")
    assert xlsxread.refusal(plain) is None


def test_styles_with_a_number_format_id_that_is_not_a_number_read_as_general(tmp_path):
    styles = STYLES.replace('<xf numFmtId="14"/>', '<xf numFmtId="x"/>')
    path = one_sheet(tmp_path, row(1, number("A1", 45301, 1)), styles=styles)
    assert read(path) == ({"Data": [(1, {0: 45301})]}, [
        f"{path} at xl/styles.xml: warning RF403: part xl/styles.xml: cell style 1 names number format 'x', which is "
        "not a number; cells in that style are read as General"])


def test_format_detection_of_a_workbook_with_damaged_parts_raises_nothing(tmp_path):
    from regframe.io.formats import Format, detect

    names = "".join(f'<sheet name="Children placed {n}" sheetId="{n}"/>' for n in range(200))
    path = one_sheet(tmp_path, row(1, number("A1", 1)), parts={"xl/workbook.xml": f'<workbook xmlns="{MAIN}"><sheets>'
                                                                                 f"{names}</sheets></workbook>"})
    damage(path, "xl/workbook.xml", "deflate")
    assert detect(path) is Format.UNKNOWN
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(path.read_bytes()[:-30])  # the end of the zip directory gone
    assert detect(cut) is Format.UNKNOWN and check_workbook(cut)[0].code == "RF400"


def _openpyxl_values(path: Path) -> dict[tuple[str, int, int], tuple[object, str]]:
    import warnings

    values = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns, while it reads, about extensions it drops
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        for sheet in book.worksheets:
            if not hasattr(sheet, "iter_rows"):
                continue
            sheet.reset_dimensions()
            for number, cells in enumerate(sheet.iter_rows(), start=1):
                for c in cells:
                    if getattr(c, "value", None) is not None:
                        values[(sheet.title, number, c.column)] = (c.value, c.number_format)
        book.close()
    return values


def _our_values(path: Path) -> dict[tuple[str, int, int], tuple[object, str]]:
    with open_book(path, []) as book:
        return {(sheet.title, number, index + 1): (cell.value, cell.number_format)
                for sheet in book.sheets for number, cells in sheet.rows() for index, cell in cells.items()
                if cell.value is not None}


def _real_workbooks() -> list[Path]:
    from tests.conftest import SHARED_DATA

    found = sorted((SHARED_DATA / "xlsx").glob("*.xlsx")) + sorted((SHARED_DATA / "annex_a").glob("*.xlsx"))
    return sorted(Path(__file__).parents[1].joinpath("fixtures", "returns").glob("*.xlsx")) + found


@pytest.mark.parametrize("path", _real_workbooks(), ids=lambda p: p.name)
def test_every_value_of_real_workbooks_is_the_value_openpyxl_reads(path):
    """The POI test workbooks (dates in many formats, hidden sheets, merged ranges, data validation), Annex A
    as Excel saved it, and the LA return as openpyxl and LibreOffice write it: every cell, value and format."""
    assert _our_values(path) == _openpyxl_values(path)


def test_a_sheet_kept_outside_the_worksheets_folder_is_checked_all_the_same(tmp_path):
    path = one_sheet(tmp_path, row(1, number("A1", 1)))
    rels = part(path, "xl/_rels/workbook.xml.rels").replace(b"worksheets/sheet1.xml", b"elsewhere/data.xml")
    moved = rewrite(path, tmp_path / "moved.xlsx", {"xl/worksheets/sheet1.xml": b"", "xl/_rels/workbook.xml.rels": rels,
                                                   "xl/elsewhere/data.xml": sheet_xml(row(2_000_000_000, number("A1", 1)))})
    assert read(moved) == ({"Data": []}, [
        f"{moved}!Data!row 2000000000: error RF404: row 2,000,000,000 is numbered beyond the last row a sheet may have "
        "(1,048,576); the sheet was not read"])


# ---- found by fuzzing (issue 19): an element out of place, a sheet that names nothing


@pytest.mark.parametrize("stray", ["<sheetData/>", "<sheetData></sheetData>"])
def test_a_sheetdata_between_rows_is_passed_over_with_a_warning_and_every_row_is_read(tmp_path, stray):
    rows = row(1, number("A1", 1)) + row(2, number("A2", 2)) + stray + row(3, number("A3", 3)) + row(4, number("A4", 4))
    sheets, problems = read(one_sheet(tmp_path, rows))
    assert sheets == {"Data": [(1, {0: 1}), (2, {0: 2}), (3, {0: 3}), (4, {0: 4})]}
    assert problems == [f"{tmp_path / 'book.xlsx'}!Data!row 3: warning RF403: a sheetData element stands inside the "
                        "sheet's data, after row 2; it was passed over and the rows around it were read"]


def test_a_sheetdata_inside_a_row_keeps_that_row_and_the_rows_after_it(tmp_path):
    rows = row(1, number("A1", 1)) + '<row r="2"><sheetData/><c r="A2"><v>2</v></c></row>' + row(3, number("A3", 3))
    sheets, problems = read(one_sheet(tmp_path, rows))
    assert sheets == {"Data": [(1, {0: 1}), (2, {0: 2}), (3, {0: 3})]}
    assert problems == [f"{tmp_path / 'book.xlsx'}!Data!row 2: warning RF403: a sheetData element stands inside the "
                        "sheet's data, in row 2; it was passed over and the rows around it were read"]


def test_an_empty_sheetdata_before_the_sheets_data_does_not_hide_its_rows(tmp_path):
    xml = sheet_xml(row(1, number("A1", 1)) + row(2, number("A2", 2)), before="<sheetData/>")
    sheets, problems = read(one_sheet(tmp_path, xml))
    assert sheets == {"Data": [(1, {0: 1}), (2, {0: 2})]}
    assert problems == []


def test_a_sheet_with_no_name_and_no_part_is_rf402_at_the_workbook_part_by_its_position(tmp_path):
    path = workbook(tmp_path / "book.xlsx", {"Data": row(1, number("A1", 1))})
    listed = part(path, "xl/workbook.xml").replace(b"</sheets>", b'<sheet name="" sheetId="2" r:id="rId9"/></sheets>')
    path = rewrite(path, tmp_path / "nameless.xlsx", {"xl/workbook.xml": listed})
    sheets, problems = read(path)
    assert sheets["Data"] == [(1, {0: 1})]
    assert problems == [f"{path} at xl/workbook.xml: error RF402: sheet 2 (no name) in xl/workbook.xml "
                        "names no part that the file holds; the sheet was not read"]
