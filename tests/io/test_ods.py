"""The ODS reader: bounded while streaming, every failure of zipfile, zlib or lxml a located diagnostic."""

from __future__ import annotations

import zipfile

import pytest

from regframe.io import ods
from tests.io.ods_build import cell, content, read, row, workbook
from tests.io.xlsx_build import damage


def test_rows_are_read_with_their_numbers(tmp_path):
    path = workbook(tmp_path / "a.ods", {"S": [row("URN", "num:3"), row(repeat=5), row("x", cell("", 2), "y")]})
    assert read(path) == ({"S": [(1, ["URN", "3"]), (2, []), (3, []), (4, []), (5, []), (6, []), (7, ["x", "", "", "y"])]},
                          [])


def test_a_duplicated_attribute_keeps_every_row_before_it_and_names_its_row(tmp_path):
    rows = [row(f"r{n}", "x" * 40) for n in range(1, 3001)] + ['<table:table-row table:a="1" table:a="2"/>']
    path = workbook(tmp_path / "dup.ods", {"S": rows, "T": [row("never")]})
    sheets, problems = read(path)
    assert [n for n, _ in sheets["S"]] == list(range(1, 3001)) and "T" not in sheets
    assert len(problems) == 1 and problems[0].startswith(f"{path}!S!row 3001: error RF350: part content.xml, XML line 1: "
                                                          "the XML is not well-formed (Attribute table:a redefined")
    assert problems[0].endswith("; nothing after it was read")


def test_corrupt_deflate_data_refuses_the_workbook_before_anything_is_read(tmp_path):
    rows = [row(f"value {n * 7919 % 10007}") for n in range(1, 20001)]
    path = damage(workbook(tmp_path / "zlib.ods", {"S": rows}), "content.xml", "deflate")
    sheets, problems = read(path)
    assert sheets == {}
    assert len(problems) == 1 and problems[0].startswith(f"{path}: error RF350: part content.xml is damaged (")
    assert problems[0].endswith("; the workbook was not read")


def test_a_bad_crc_refuses_the_workbook(tmp_path):
    path = damage(workbook(tmp_path / "crc.ods", {"S": [row("MARK"), row("two")]}), "content.xml", "crc")
    assert read(path) == ({}, [f"{path}: error RF350: part content.xml is damaged (BadZipFile: Bad CRC-32 for file "
                               "'content.xml'); the workbook was not read"])


@pytest.mark.parametrize("junk", [b"PK\x03\x04" + b"\x00" * 40, b"PK\x05\x06" + b"\xff" * 18, b"not a zip"])
def test_a_damaged_zip_is_not_an_ods_and_reading_it_is_a_diagnostic(tmp_path, junk):
    path = tmp_path / "junk.ods"
    path.write_bytes(junk)
    assert ods.is_ods(path) is False
    sheets, problems = read(path)
    assert sheets == {} and len(problems) == 1 and problems[0].startswith(f"{path}: error RF350: junk.ods: ")


def test_a_huge_mimetype_entry_is_not_read_whole(tmp_path):
    path = tmp_path / "big.ods"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", ods.ODS_MIMETYPE + b" " * 10_000_000)
    assert ods.is_ods(path) is False


def test_a_repeat_count_that_is_not_a_number_is_taken_as_one(tmp_path):
    path = workbook(tmp_path / "count.ods", {"S": [row("a", repeat="many"), row(cell("b", "-2"))]})
    assert read(path) == ({"S": [(1, ["a"]), (2, ["b"])]}, [
        f"{path}!S!row 1: warning RF356: number-rows-repeated is 'many', which is not a whole number; taken as 1",
        f"{path}!S!row 2: warning RF356: number-columns-repeated is '-2', which is not a whole number; taken as 1"])


def test_two_billion_spaces_are_a_count_never_a_string(tmp_path):
    spaced = '<table:table-cell office:value-type="string"><text:p>a<text:s text:c="2000000000"/>b</text:p></table:table-cell>'
    path = workbook(tmp_path / "spaces.ods", {"S": [row(spaced, "next"), row("kept")]})
    assert read(path) == ({"S": [(1, ["", "next"]), (2, ["kept"])]}, [
        f"{path}!S!row 1: error RF351: a cell holds more than 32,767 characters; its value was not read"])


def test_a_row_of_values_repeated_a_million_times_is_read_a_thousand_times(tmp_path):
    path = workbook(tmp_path / "repeat.ods", {"S": [row("same", repeat=1_000_000), row("after")]})
    sheets, problems = read(path)
    assert len(sheets["S"]) == 1001 and sheets["S"][-1] == (1_000_001, ["after"])
    assert problems == [f"{path}!S!row 1001: error RF351: the row is repeated 1,000,000 times; only its first 1,000 "
                        "repeats were read"]


def test_a_row_whose_xml_is_too_large_stops_the_workbook_there(tmp_path):
    flood = "<table:table-row>" + "<table:table-cell/>" * 20_000 + "</table:table-row>"
    path = workbook(tmp_path / "flood.ods", {"S": [row("first"), flood, row("never")]})
    assert read(path, ods.Limits(max_row_bytes=100_000)) == ({"S": [(1, ["first"])]}, [
        f"{path}!S!row 2: error RF351: a row's XML is longer than 100,000 bytes; the rest of the workbook was not read"])


def test_a_row_whose_values_are_too_long_is_not_read(tmp_path):
    path = workbook(tmp_path / "wide.ods", {"S": [row(cell("w" * 1000, 5)), row("ok")]})
    assert read(path, ods.Limits(max_row_chars=4000)) == ({"S": [(1, []), (2, ["ok"])]}, [  # row 1: as if blank
        f"{path}!S!row 1: error RF351: the row's values hold more than 4,000 characters; the row was not read"])


def test_a_doctype_in_content_refuses_the_workbook_and_one_elsewhere_is_named(tmp_path):
    doctype = '<!DOCTYPE x [<!ENTITY a "b">]>'
    hostile = workbook(tmp_path / "hostile.ods", {"S": [row("x")]}, prolog=doctype)
    assert read(hostile) == ({}, [f"{hostile}:1 at content.xml: error RF102: part content.xml: document has a DOCTYPE "
                                  "declaration; regframe never processes DTDs or entities"])
    styles = workbook(tmp_path / "styles.ods", {"S": [row("x")]},
                      parts={"styles.xml": f"<?xml version='1.0'?>{doctype}<office:document-styles/>",
                             "Basic/Standard/Module1.xml": "<script:module/>"})
    assert read(styles) == ({"S": [(1, ["x"])]}, [
        f"{styles}:1 at styles.xml: warning RF102: part styles.xml: document has a DOCTYPE declaration; regframe never "
        "processes DTDs or entities; regframe does not read this part, but whoever opens the file may",
        f"{styles} at Basic/Standard/Module1.xml: warning RF405: part Basic/Standard/Module1.xml holds macros; they were "
        "neither run nor read"])


def test_a_table_inside_a_cell_is_part_of_that_cell(tmp_path):
    nested = ('<table:table-cell office:value-type="string"><text:p>outer</text:p><table:table table:name="inner">'
              + row("inner") + "</table:table></table:table-cell>")
    path = workbook(tmp_path / "nested.ods", {"S": [row(nested), row("second")]})
    assert read(path) == ({"S": [(1, ["outer\ninner"]), (2, ["second"])]}, [])


def test_content_that_is_cut_off_keeps_its_rows(tmp_path):
    text = content({"S": [row("a"), row("b")]})
    path = workbook(tmp_path / "cut.ods", {}, parts={"content.xml": text[:text.index("</table:table>")]})
    sheets, problems = read(path)
    assert sheets == {"S": [(1, ["a"]), (2, ["b"])]}
    assert len(problems) == 1 and problems[0].startswith(f"{path}!S!row 3: error RF350: part content.xml")
