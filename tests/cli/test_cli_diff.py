"""``regframe diff``: formats, output files and the exit codes scripts branch on."""

from __future__ import annotations

import json

from openpyxl import load_workbook

from regframe.cli import main
from tests.conftest import TESTS

HERE = TESTS
FIXTURES = HERE / "fixtures" / "revisions"
BASE = HERE / "fixtures" / "catalogue" / "framework.xml"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_text_diff_exits_0_and_prints_the_summary(capsys):
    code, out, _ = run(capsys, "diff", BASE, FIXTURES / "rename.xml")
    assert code == 0
    assert out.splitlines()[0] == "Framework diff: fixture 1 → fixture-rename 1"
    assert "  ~ alpha.r1.a  Alpha reg 1(a) → Alpha reg 1(1)(a)" in out.splitlines()


def test_losing_all_force_exits_0_unless_asked_to_fail(capsys):
    assert run(capsys, "diff", BASE, FIXTURES / "withdraw.xml")[0] == 0
    code, _, err = run(capsys, "diff", BASE, FIXTURES / "withdraw.xml", "--fail-on-uncovered")
    assert code == 1
    assert err == "regframe: recommendations losing all force: Beta rec 1\n"


def test_fail_on_uncovered_passes_when_nothing_loses_force(capsys):
    assert run(capsys, "diff", BASE, FIXTURES / "relink.xml", "--fail-on-uncovered")[0] == 0


def test_json_output_is_byte_identical_on_two_runs(capsys, tmp_path):
    first, second = tmp_path / "a.json", tmp_path / "b.json"
    for path in (first, second):
        assert run(capsys, "diff", BASE, FIXTURES / "modify.xml", "--format", "json", "--as-at", "2026-11-22",
                   "-o", path)[0] == 0
    assert first.read_bytes() == second.read_bytes()
    assert json.loads(first.read_text())["as_at"] == "2026-11-22"


def test_base_may_itself_be_a_revision(capsys):
    code, out, _ = run(capsys, "diff", FIXTURES / "stamped.xml", FIXTURES / "restate.xml", "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert (data["base"]["id"], data["revised"]["id"]) == ("fixture-stamped", "fixture-restate")
    assert [s["source"] for s in data["suspect_links"]] == ["alpha.r1", "alpha.r1.a", "alpha.r2"]


def test_xlsx_needs_an_output_file(capsys):
    code, _, err = run(capsys, "diff", BASE, FIXTURES / "modify.xml", "--format", "xlsx")
    assert code == 2 and "needs -o" in err


def test_xlsx_output_is_written(capsys, tmp_path):
    path = tmp_path / "out" / "diff.xlsx"
    assert run(capsys, "diff", BASE, FIXTURES / "formula.xml", "--format", "xlsx", "-o", path)[0] == 0
    assert load_workbook(path)["Changed"]["F2"].data_type == "s"


def test_a_revision_that_does_not_apply_exits_1_with_its_problems(capsys):
    code, _, err = run(capsys, "diff", BASE, FIXTURES / "unknown-id.xml")
    assert code == 1
    assert "unknown-id.xml:6: error RF511: rename alpha.r1.b: no requirement has this id" in err


def test_a_missing_file_is_a_usage_error(capsys, tmp_path):
    code, _, err = run(capsys, "diff", BASE, tmp_path / "nope.xml")
    assert code == 2 and "no such file" in err
