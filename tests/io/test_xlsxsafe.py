"""Workbooks are checked before loading: zip bombs and oversized sheets fail fast; macros are never kept."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from regframe.core.diagnostics import InputError
from regframe.io.xlsxsafe import Limits, check_workbook, open_workbook
from tests.conftest import SHARED_DATA

SHARED = SHARED_DATA


def small_workbook(path: Path, rows: int = 3) -> Path:
    workbook = Workbook()
    for row in range(1, rows + 1):
        workbook.active.append([row, f"value {row}"])
    workbook.save(path)
    return path


def add_entry(path: Path, name: str, data: bytes) -> None:
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)


def test_a_generated_zip_bomb_is_refused_from_its_zip_directory(tmp_path):
    bomb = small_workbook(tmp_path / "bomb.xlsx")
    add_entry(bomb, "xl/worksheets/sheet2.xml", b"\0" * (64 * 1024 * 1024))  # 64 MB of zeros, ~64 KB compressed
    started = time.perf_counter()
    problems = check_workbook(bomb)
    assert time.perf_counter() - started < 1.0
    assert [p.code for p in problems] == ["RF401"]
    assert "compressed" in problems[0].message and "xl/worksheets/sheet2.xml" in problems[0].message
    with pytest.raises(InputError) as raised:
        open_workbook(bomb)
    assert [d.code for d in raised.value.diagnostics] == ["RF401"]


def test_total_uncompressed_size_over_the_limit_is_refused(tmp_path):
    path = small_workbook(tmp_path / "big.xlsx")
    problems = check_workbook(path, Limits(max_uncompressed_bytes=1000))
    assert [p.code for p in problems] == ["RF401"]
    assert "inflate" in problems[0].message


def test_a_sheet_declaring_more_rows_than_the_limit_is_refused(tmp_path):
    path = small_workbook(tmp_path / "rows.xlsx", rows=20)
    problems = check_workbook(path, Limits(max_rows=10))
    assert [p.code for p in problems] == ["RF401"]
    assert "declares 20 rows" in problems[0].message


def test_too_many_entries_or_sheets_are_refused(tmp_path):
    path = small_workbook(tmp_path / "entries.xlsx")
    assert "entries" in check_workbook(path, Limits(max_entries=3))[0].message
    assert "sheets" in check_workbook(path, Limits(max_sheets=0))[0].message


def test_a_file_that_is_not_a_zip_or_has_no_workbook_part_is_not_a_workbook(tmp_path):
    text = tmp_path / "return.xlsx"
    text.write_text("CHILD,DECOM\n1,01/01/2024\n")
    assert [p.code for p in check_workbook(text)] == ["RF400"]
    archive = tmp_path / "plain.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        handle.writestr("readme.txt", "hello")
    assert [p.code for p in check_workbook(archive)] == ["RF400"]


def test_a_macro_project_is_never_kept(tmp_path):
    path = small_workbook(tmp_path / "macro.xlsm")
    add_entry(path, "xl/vbaProject.bin", b"Attribute VB_Name = \"Evil\"")
    workbook = open_workbook(path)
    try:
        assert workbook.vba_archive is None
        assert workbook.read_only is True
    finally:
        workbook.close()


def test_an_ordinary_workbook_passes_and_opens_read_only(tmp_path):
    path = small_workbook(tmp_path / "ok.xlsx")
    assert check_workbook(path) == []
    workbook = open_workbook(path)
    try:
        assert [list(r) for r in workbook.active.iter_rows(values_only=True)] == [
            [1, "value 1"], [2, "value 2"], [3, "value 3"]]
    finally:
        workbook.close()


@pytest.mark.skipif(not (SHARED / "xlsx").is_dir(), reason="shared data not present")
@pytest.mark.parametrize("path", sorted((SHARED / "xlsx").glob("*.xlsx")) + [SHARED / "annex_a" / "liia-tools_Annex_A.xlsx"],
                         ids=lambda p: p.name)
def test_real_world_workbooks_pass_the_checks(path):
    assert check_workbook(path) == []
