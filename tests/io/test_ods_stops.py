"""Where the ODS reader stopped short of a sheet's end (damage, a limit) is the sheet's stop, for the row accounting."""

from __future__ import annotations

from regframe.io import ods
from tests.io.ods_build import cell, content, row, workbook


def stops(path, limits=ods.DEFAULT_LIMITS):
    """Each sheet's rows read and its stop, and the problems' codes."""
    problems: list = []
    found = []
    for sheet in ods.sheets(path, problems, limits):
        rows = [number for number, _ in sheet.rows]
        found.append((sheet.name, rows, sheet.stop))
    return found, [p.code for p in problems]


def test_a_sheet_read_to_its_end_has_no_stop(tmp_path):
    path = workbook(tmp_path / "whole.ods", {"S": [row("a"), row("b")], "T": [row("c")]})
    assert stops(path) == ([("S", [1, 2], None), ("T", [1], None)], [])


def test_xml_damaged_part_way_stops_the_sheet_after_the_last_row_read(tmp_path):
    text = content({"S": [row("a"), row("b"), row("c")], "T": [row("never")]})
    broken = text.replace(row("c"), '<table:table-row table:a="1" table:a="2"/>')
    path = workbook(tmp_path / "dup.ods", {}, parts={"content.xml": broken})
    assert stops(path) == ([("S", [1, 2], ods.Stop("RF350", 2))], ["RF350"])


def test_a_sheet_past_the_row_limit_stops_at_the_limit_and_the_next_sheet_is_read(tmp_path):
    path = workbook(tmp_path / "rows.ods", {"S": [row(f"r{n}") for n in range(1, 8)], "T": [row("t")]})
    assert stops(path, ods.Limits(max_rows=5)) == ([("S", [1, 2, 3, 4, 5], ods.Stop("RF351", 5)), ("T", [1], None)],
                                                   ["RF351"])


def test_a_row_past_the_column_limit_stops_its_sheet_before_it(tmp_path):
    path = workbook(tmp_path / "wide.ods", {"S": [row("a"), row("b"), row(cell("x", 40)), row("d")]})
    assert stops(path, ods.Limits(max_columns=30)) == ([("S", [1, 2], ods.Stop("RF351", 2))], ["RF351"])


def test_a_row_whose_xml_is_too_long_stops_its_sheet_and_the_workbook(tmp_path):
    flood = "<table:table-row>" + "<table:table-cell/>" * 20_000 + "</table:table-row>"
    path = workbook(tmp_path / "flood.ods", {"S": [row("first"), flood, row("never")], "T": [row("never")]})
    assert stops(path, ods.Limits(max_row_bytes=100_000)) == ([("S", [1], ods.Stop("RF351", 1))], ["RF351"])


def test_a_repeated_row_cut_to_the_repeat_limit_is_no_stop(tmp_path):
    """The rest of the sheet is read: the repeats not read are said by RF351, the sheet is not cut short."""
    path = workbook(tmp_path / "repeat.ods", {"S": [row("same", repeat=10), row("after")]})
    assert stops(path, ods.Limits(max_row_repeats=3)) == ([("S", [1, 2, 3, 11], None)], ["RF351"])
