"""Exit codes that tell the truth, one table for every verb, and a Python API that fails loudly."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from regframe.cli import build_parser, main
from regframe.core.exitcodes import EXIT_TABLE, ExitCode, epilog, markdown_table
from regframe.evidence.pseudonym import PseudonymKey
from regframe.ingest import InputNotFound, load_evidence
from tests import small_inputs
from tests.conftest import REPO

KEY = PseudonymKey.from_text("exit-code-test-key-01")


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("REGFRAME_PSEUDONYM_KEY", "exit-code-test-key-01")


# ---- one table


def test_the_table_covers_every_exit_code_once():
    assert [code for code, _text in EXIT_TABLE] == list(ExitCode)


def test_help_and_readme_print_the_one_table():
    assert build_parser().epilog == epilog()
    assert markdown_table() in (REPO / "README.md").read_text(encoding="utf-8")


def test_every_verb_that_reads_evidence_says_when_it_exits_1():
    parser = build_parser()
    actions = {a.dest: a for a in parser._subparsers._group_actions}  # noqa: SLF001 - argparse has no public way
    commands = actions["command"].choices
    evidence = commands["evidence"]._subparsers._group_actions[0].choices["summary"]  # noqa: SLF001
    for sub in (commands["report"], evidence):
        assert "rejected" in sub.description and "--strict" in sub.description


# ---- report


def _demo_copy(tmp_path: Path) -> Path:
    from regframe.samples import demo

    folder = tmp_path / "demo"
    folder.mkdir()
    for path in demo.demo_paths():
        shutil.copy(path, folder / path.name)
    return folder


def test_the_readme_report_example_with_a_missing_settings_file_writes_the_report_and_exits_1(tmp_path, capsys):
    folder = _demo_copy(tmp_path)
    out = tmp_path / "gaps.xlsx"
    missing = tmp_path / "Provider_level_at_31_Aug_2023.csv"
    code = main(["report", "--evidence", str(folder), "--la", "901", "--settings", str(missing), "--as-at",
                 "2026-10-31", "-o", str(out), "--json", str(tmp_path / "gaps.json")])
    err = capsys.readouterr().err
    assert code == ExitCode.FINDINGS
    assert f"{missing}: error RF301: Provider_level_at_31_Aug_2023.csv cannot be read: No such file or directory" in err
    summary = openpyxl.load_workbook(out)["Summary"]
    assert summary["A3"].value == ("The input was not clean: 1 error(s) (files that could not be read, records "
                                   "rejected). Ratings may be missing evidence; the errors are listed on About.")


def test_a_clean_report_exits_0_whatever_it_finds_and_fail_on_makes_findings_fail(tmp_path, capsys):
    folder = _demo_copy(tmp_path)
    args = ["report", "--evidence", str(folder), "--la", "901", "--as-at", "2026-10-31", "-o", str(tmp_path / "g.xlsx"),
            "--quiet"]
    assert main(args) == ExitCode.OK  # two settings are red
    assert openpyxl.load_workbook(tmp_path / "g.xlsx")["Summary"]["A3"].value is None
    assert main([*args, "--fail-on", "red"]) == ExitCode.FINDINGS
    assert "2 setting(s) rated red or worse (--fail-on red)" in capsys.readouterr().err
    assert main([*args, "--fail-on", "amber"]) == ExitCode.FINDINGS
    assert "4 setting(s) rated amber or worse (--fail-on amber)" in capsys.readouterr().err


def test_a_report_over_one_green_setting_passes_fail_on(tmp_path):
    register = small_inputs.register(tmp_path / "r.csv", small_inputs.ofsted_row("SC100001", "A Ltd", inspected="10/01/2024"))
    args = ["report", "--settings", str(register), "--as-at", "2024-06-30", "-o", str(tmp_path / "g.xlsx"), "--quiet"]
    assert main([*args, "--fail-on", "red"]) == ExitCode.OK


def test_strict_keeps_its_meaning_for_warnings(tmp_path):
    # a judgement Ofsted never gives is a warning: the setting is kept
    register = small_inputs.register(tmp_path / "r.csv", small_inputs.ofsted_row("SC100001", "A Ltd", grade="Splendid"))
    args = ["report", "--settings", str(register), "--as-at", "2024-06-30", "-o", str(tmp_path / "g.xlsx"), "--quiet"]
    assert main(args) == ExitCode.OK
    assert main([*args, "--strict"]) == ExitCode.FINDINGS


# ---- evidence summary


def test_evidence_summary_on_ssda903_with_rejected_records_exits_1(tmp_path, capsys):
    path = small_inputs.write_csv(tmp_path / "episodes.csv", [
        small_inputs.EPISODE_HEADER,
        ["AB1", "04/09/2023", "S", "C2", "N1", "K2", "PR4", "", "", "", "", "", "SC100001"],
        ["AB2", "31/02/2023", "S", "C2", "N1", "K2", "PR4", "", "", "", "", "", "SC100001"],  # not a date
    ])
    code = main(["evidence", "summary", "--la", "901", str(path)])
    err = capsys.readouterr().err
    assert code == ExitCode.FINDINGS
    assert f"{path}:row 3:DECOM: warning RF431" in err
    assert f"{path}: error RF340: 1 of the 2 record(s) read were rejected" in err


# ---- the LA return's monthly figures


SIGNAL = {"setting_urn": "SC100001", "restraint_incidents": 3, "children_resident": 4, "staff_vacancies": 1,
          "staff_leavers": 0, "agency_share": 5, "lado_referrals": 0, "reg40_notifications": 0, "complaints": 0,
          "reg44_received": "Yes"}


def test_a_text_month_on_setting_signals_is_read_as_that_month(tmp_path):
    rows = [{**SIGNAL, "month": text} for text in ("Jan 2024", "February 2024", "2024-03", "04/2024")]
    evidence = load_evidence([small_inputs.la_return(tmp_path / "r.xlsx", children=[], signals=rows)], key=KEY)
    assert sorted({m.month for m in evidence.metrics}) == [dt.date(2024, m, 1) for m in (1, 2, 3, 4)]
    assert evidence.errors == []


def test_a_row_of_monthly_figures_that_cannot_be_used_is_an_error_and_the_run_exits_1(tmp_path, capsys):
    path = small_inputs.la_return(tmp_path / "r.xlsx", children=[], signals=[
        {**SIGNAL, "month": dt.date(2024, 1, 1)}, {**SIGNAL, "month": "the first month"}])
    evidence = load_evidence([path], key=KEY)
    assert len({m.month for m in evidence.metrics}) == 1
    dropped = [d for d in evidence.diagnostics if d.code == "RF342"]
    assert [(d.is_error, str(d.location), d.message) for d in dropped] == [(
        True, f"{path}!Setting signals!row 5",
        "row 5 dropped: its 9 monthly figure(s) (Restraint incidents, Children resident, Staff vacancies, Staff "
        "leavers, Agency staff share (%), LADO referrals, Reg 40 notifications, Complaints, Reg 44 report received) "
        "are not counted")]
    assert main(["evidence", "summary", str(path)]) == ExitCode.FINDINGS


# ---- the Python API


def test_a_missing_path_raises_file_not_found_carrying_the_diagnostics_and_what_was_read(tmp_path):
    present = small_inputs.register(tmp_path / "r.csv", small_inputs.ofsted_row("SC100001", "A Ltd"))
    with pytest.raises(FileNotFoundError) as raised:
        load_evidence([tmp_path / "evidence.xml", present], key=KEY)
    assert isinstance(raised.value, InputNotFound)
    assert [(d.code, d.location.file) for d in raised.value.diagnostics] == [("RF301", str(tmp_path / "evidence.xml"))]
    assert list(raised.value.evidence.settings) == ["SC100001"]


def test_raise_for_errors_raises_on_rejected_records_and_not_on_clean_input(tmp_path):
    from regframe.evidence.model import EvidenceErrors

    clean = load_evidence([small_inputs.register(tmp_path / "r.csv", small_inputs.ofsted_row("SC100001", "A Ltd"))],
                          key=KEY)
    clean.raise_for_errors()
    bad = load_evidence([small_inputs.register(tmp_path / "bad.csv", small_inputs.ofsted_row("SC1", "A Ltd"))], key=KEY)
    with pytest.raises(EvidenceErrors) as raised:
        bad.raise_for_errors()
    assert [d.code for d in raised.value.diagnostics] == ["RF320"]


def _readme_python() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    return block


def test_the_readme_python_example_runs_on_the_demo_files(tmp_path):
    from regframe.samples import demo

    demo.write_evidence_xml(tmp_path / "evidence.xml")
    demo.write_la_return(tmp_path / "return.xlsx")
    result = subprocess.run([sys.executable, "-c", _readme_python()], cwd=tmp_path, capture_output=True, text=True,
                            env={**os.environ, "REGFRAME_PSEUDONYM_KEY": "exit-code-test-key-01"}, timeout=300)
    assert result.returncode == 0, result.stderr
    summary = openpyxl.load_workbook(tmp_path / "gaps.xlsx")["Summary"]
    assert summary.max_row == 4 + 12  # the title rows and one row per demo setting


def test_the_readme_python_example_in_an_empty_folder_raises_file_not_found(tmp_path):
    result = subprocess.run([sys.executable, "-c", _readme_python()], cwd=tmp_path, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 1
    assert "regframe.ingest.InputNotFound" in result.stderr and "evidence.xml cannot be read" in result.stderr
    assert not (tmp_path / "gaps.xlsx").exists()
