"""Counts that add up: per file, accepted + rejected + skipped + blank + unused = rows read; children are distinct."""

from __future__ import annotations

from pathlib import Path

import pytest

from regframe.cli import main
from regframe.evidence.pseudonym import PseudonymKey
from regframe.ingest import load_evidence
from tests import small_inputs
from tests.conftest import SHARED_DATA, TESTS

KEY = PseudonymKey.from_text("counting-test-key-0123")


def _counts(evidence) -> list[tuple]:
    return [(Path(f.path).name, f.rows, f.accepted, f.rejected, f.skipped, f.blank, f.unused) for f in evidence.inputs]


def test_blank_rows_and_unused_tables_are_counted_and_every_row_is_accounted_for(tmp_path):
    episodes = small_inputs.write_csv(tmp_path / "episodes.csv", [
        small_inputs.EPISODE_HEADER,
        ["AB1", "04/09/2023", "S", "C2", "N1", "K2", "PR4", "", "", "", "", "", "SC100001"],
        ["", "", "", "", "", "", "", "", "", "", "", "", ""],
        ["AB2", "04/09/2023", "S", "C2", "N1", "U1", "PR4", "", "", "", "", "", ""],  # foster: out of scope
        ["AB3", "04/09/2023", "S", "C2", "N1", "K2", "PR4", "", "", "", "", "", "XXXXXXX"],  # no URN: rejected
    ])
    uasc = small_inputs.write_csv(tmp_path / "uasc.csv", [["CHILD", "SEX", "DOB", "DUC"], ["AB1", "1", "", "01/01/2030"],
                                                          ["AB2", "1", "", ""]])
    evidence = load_evidence([episodes, uasc], key=KEY, la_code="901")
    assert _counts(evidence) == [("episodes.csv", 4, 1, 1, 1, 1, 0), ("uasc.csv", 2, 0, 0, 0, 0, 2)]
    assert all(f.accounted for f in evidence.inputs)


def test_a_header_table_counts_distinct_children_and_rejects_rows_without_a_child_id(tmp_path):
    header = small_inputs.write_csv(tmp_path / "header.csv", [
        ["CHILD", "SEX", "DOB", "ETHNIC"], ["AB1", "1", "", "WBRI"], ["ab1", "1", "", "WBRI"], ["AB2", "2", "", "WBRI"],
        ["", "1", "", "WBRI"], ["AB2", "2", "", "WBRI"]])
    evidence = load_evidence([header], key=KEY, la_code="901")
    assert evidence.notes == ["header.csv: SSDA903 header of 4 rows, 2 distinct children (no field of it is stored)"]
    assert [(d.code, str(d.location)) for d in evidence.diagnostics] == [
        ("RF430", f"{header}:row 5:CHILD"), ("RF340", str(header))]
    assert _counts(evidence) == [("header.csv", 5, 4, 1, 0, 0, 0)]


def test_annex_a_counts_its_other_lists_as_unused(tmp_path):
    import openpyxl

    path = small_inputs.annex_a(tmp_path / "a.xlsx")
    workbook = openpyxl.load_workbook(path)
    other = workbook.create_sheet("List 1")
    for row in (["Child Unique ID", "Gender"], ["X1", "m"], [None, None], ["X2", "f"]):
        other.append(row)
    workbook["List 8"].append([None] * 5)
    workbook["List 8"].append(["zz9", "U1: Foster", "", None, None])
    workbook.save(path)
    evidence = load_evidence([path], key=KEY, la_code="901")
    # List 8: 3 kept, one blank, one foster child skipped; List 1: 2 rows unused and the blank between them
    assert _counts(evidence) == [("a.xlsx", 8, 3, 0, 1, 2, 2)]


def test_the_report_counts_files_not_the_arguments_naming_them(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("REGFRAME_PSEUDONYM_KEY", "counting-test-key-0123")
    small_inputs.register(tmp_path / "register.csv", small_inputs.ofsted_row("SC100001", "A Ltd"))
    small_inputs.closed_homes(tmp_path / "closed.csv", ("SC999999", "Resigned", "01/01/2020"))
    small_inputs.episodes(tmp_path / "episodes.csv")
    assert main(["report", "--evidence", str(tmp_path), "--la", "901", "--as-at", "2024-06-30",
                 "-o", str(tmp_path.parent / "out.xlsx")]) == 0
    assert "read 3 file(s): " in capsys.readouterr().out


DEMO_FILES = ["evidence.xml", "la-return-901.xlsx", "ssda903-901-episodes.csv", "ssda903-901-header.csv"]


def test_every_demo_and_fixture_file_accounts_for_every_row():
    from regframe.samples import demo

    evidence = load_evidence([*demo.demo_paths(), TESTS / "fixtures" / "ssda903", TESTS / "fixtures" / "evidence"],
                             key=KEY, la_code="901")
    assert [f for f in evidence.inputs if not f.accounted] == []
    assert len(evidence.inputs) >= 10


@pytest.mark.skipif(not SHARED_DATA.is_dir(), reason="shared data not present")
@pytest.mark.parametrize("folder", ["ofsted", "ssda903", "annex_a"])
def test_every_real_file_accounts_for_every_row(folder):
    paths = [p for p in sorted((SHARED_DATA / folder).iterdir()) if p.is_file()]
    evidence = load_evidence(paths, key=KEY, la_code="901")
    assert [(f.path, f.rows) for f in evidence.inputs if not f.accounted] == []
    assert sorted(Path(f.path).name for f in evidence.inputs) == sorted(p.name for p in paths)
