"""CSV outputs never carry a formula: text a spreadsheet would run is written as text, the rule the xlsx writer keeps."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest

from regframe.cli import main
from regframe.cli.common import write_rows
from regframe.io.csvout import formula_safe
from regframe.io.xlsxcells import FORMULA_TRIGGERS
from tests.conftest import FIXTURES


@pytest.mark.parametrize(("text", "written"), [
    ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
    ("+1", "'+1"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"), ("\rx", "'\rx"),
    ("a=b", "a=b"), ("", ""), ("reg 12", "reg 12"),
])
def test_text_that_starts_a_formula_gets_a_quote_and_nothing_else_changes(text, written):
    assert formula_safe(text) == written


def test_the_csv_rule_is_the_xlsx_writers_rule():
    assert [formula_safe(f"{c}x").startswith("'") for c in FORMULA_TRIGGERS] == [True] * len(FORMULA_TRIGGERS)


def test_numbers_stay_numbers_and_json_carries_values_as_they_are():
    rows = [{"name": "=cmd|' /C calc'!A0", "count": -3}, {"name": "@x", "count": 2.5}]
    out = io.StringIO()
    write_rows(rows, ["name", "count"], "csv", out)
    assert list(csv.reader(io.StringIO(out.getvalue()))) == [
        ["name", "count"], ["'=cmd|' /C calc'!A0", "-3"], ["'@x", "2.5"]]
    out = io.StringIO()
    write_rows(rows, ["name", "count"], "json", out)
    assert json.loads(out.getvalue()) == rows


def test_standards_list_csv_writes_a_formula_title_as_text(tmp_path, capsys):
    revision = tmp_path / "formula-title.xml"
    revision.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<revision xmlns="urn:x-regframe:revision:1" id="t" version="1" base="{FIXTURES}/catalogue/framework.xml">\n'
        '  <title>t</title>\n  <rationale>r</rationale>\n  <modify id="alpha.r2"><title>=HYPERLINK("https://example.org","click")</title></modify>\n'
        '</revision>\n', encoding="utf-8")
    assert main(["standards", "list", "--instrument", "alpha", "--framework", str(revision), "--format", "csv"]) == 0
    rows = {row["id"]: row for row in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert rows["alpha.r2"]["title"] == '\'=HYPERLINK("https://example.org","click")'
    assert main(["standards", "list", "--instrument", "alpha", "--framework", str(revision), "--format", "json"]) == 0
    listed = {row["id"]: row for row in json.loads(capsys.readouterr().out)}
    assert listed["alpha.r2"]["title"] == '=HYPERLINK("https://example.org","click")'


def test_evidence_summary_csv_writes_a_file_named_like_a_formula_as_text(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("REGFRAME_PSEUDONYM_KEY", "test-key-0123456789")
    monkeypatch.chdir(tmp_path)
    shutil.copy(FIXTURES / "evidence" / "sample.xml", tmp_path / "=1+1.xml")
    main(["evidence", "summary", "--format", "csv", "=1+1.xml"])
    names = {row["name"] for row in csv.DictReader(io.StringIO(capsys.readouterr().out)) if row["section"] == "rows read"}
    assert names == {"'=1+1.xml"}
