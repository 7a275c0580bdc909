"""Mapping problems on the command line: ``validate``, ``evidence summary`` and ``report`` print them and --strict
fails on them; ``validate`` finds evidence in folders by content, as ``load_evidence`` does, and prints its notes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from regframe.cli import main
from regframe.core.exitcodes import ExitCode
from tests.conftest import FIXTURES, shared_data

MAPPING_FRAMEWORK = FIXTURES / "mapping" / "framework.xml"
EVIDENCE_HEAD = ('<evidence xmlns="urn:x-regframe:evidence:1" version="1">\n'
                 '<setting urn="SC123456" kind="childrens-home" la="Leeds" places="4"/>\n')
OFSTED_HEADER = ("Web link,URN,Linked Education URN,Provision type,Registration date,Registration status,Name,Address 1,"
                 "Postcode,Ofsted region,Local authority,Sector,Places,Organisation which owns the provider,"
                 "Latest full inspection event type,Latest full inspection date,Latest full inspection event number,"
                 "Overall experiences and progress of children and young people,"
                 "How well children and young people are helped and protected,The effectiveness of leaders and managers")
REG_99 = ("warning RF330: item a-1: 'Regulation 99' resolves to no requirement in instrument chr2015 "
          "(source ofsted, setting kind childrens-home)")


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("REGFRAME_PSEUDONYM_KEY", "test-key-0123456789")


def evidence_citing(tmp_path: Path, refs: str, setting: str = "SC123456") -> Path:
    """An evidence file whose one item, on line 3, cites ``refs``."""
    path = tmp_path / "e.xml"
    path.write_text(EVIDENCE_HEAD + f'<item id="a-1" setting="{setting}" source="ofsted" kind="ek.ofsted-action" '
                    f'observed="2023-06-12" refs="{refs}"/>\n</evidence>\n', encoding="utf-8")
    return path


def ofsted_csv(path: Path, registered: str = "20/10/2015", encoding: str = "utf-8") -> Path:
    """A two-setting Ofsted provider-level CSV; the second setting's registration date is ``registered``."""
    rows = [OFSTED_HEADER,
            "Ofsted Social Care Provider Webpage,SC123456,,Children's home,20/10/2015,Active,Café House,REDACTED,"
            "REDACTED,North West,Leeds,Private,4,Acme Care Ltd,Full inspection,28/02/2023,10200001,Good,Good,Good",
            f"Ofsted Social Care Provider Webpage,SC654321,,Children's home,{registered},Active,REDACTED,REDACTED,"
            "REDACTED,North West,Leeds,Private,3,Acme Care Ltd,,,,,,"]
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode(encoding))
    return path


# ---- validate


def test_validate_prints_an_unknown_reference_with_file_and_line_and_exits_ok_on_warnings_only(tmp_path, capsys):
    path = evidence_citing(tmp_path, "Regulation 99")
    assert main(["validate", str(path)]) == ExitCode.OK
    out, err = capsys.readouterr()
    assert out.splitlines() == [f"{path}:3: {REG_99}"]
    assert err.splitlines() == ["0 error(s), 1 other problem(s)"]


def test_validate_strict_fails_on_an_unknown_reference(tmp_path, capsys):
    assert main(["validate", "--strict", str(evidence_citing(tmp_path, "Regulation 99"))]) == ExitCode.FINDINGS
    assert "RF330" in capsys.readouterr().out


def test_validate_reports_a_citation_remainder_it_does_not_understand(tmp_path, capsys):
    path = evidence_citing(tmp_path, "Regulation 12 or 13")
    main(["validate", "--format", "json", str(path)])
    [problem] = json.loads(capsys.readouterr().out)
    assert (problem["code"], problem["location"]["file"], problem["location"]["line"]) == ("RF333", str(path), 3)


def test_validate_maps_onto_the_framework_given(tmp_path, capsys):
    path = evidence_citing(tmp_path, "Regulation 45")  # in the shipped CHR 2015, not in the fixture's
    assert main(["validate", "--strict", str(path)]) == ExitCode.OK
    assert main(["validate", "--strict", "--framework", str(MAPPING_FRAMEWORK), str(path)]) == ExitCode.FINDINGS
    assert f"{path}:3: warning RF330: item a-1: 'Regulation 45'" in capsys.readouterr().out


def test_validate_notes_items_whose_setting_is_not_in_the_input(tmp_path, capsys):
    path = evidence_citing(tmp_path, "Regulation 99", setting="SC999999")
    assert main(["validate", "--strict", str(path)]) == ExitCode.OK
    out, err = capsys.readouterr()
    assert out == ""
    assert ("regframe: note: 1 evidence item(s) name a setting the input does not hold, so their references were "
            "not checked against the framework") in err


def test_validate_prints_the_random_key_note(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("REGFRAME_PSEUDONYM_KEY")
    main(["validate", str(evidence_citing(tmp_path, "Regulation 12"))])
    assert "regframe: note: no pseudonym key was given" in capsys.readouterr().err


def test_validate_gives_an_ofsted_csv_problem_as_file_row_and_column(tmp_path, capsys):
    path = ofsted_csv(tmp_path / "providers.csv", registered="31/02/2016")
    assert main(["validate", str(path)]) == ExitCode.FINDINGS
    assert capsys.readouterr().out.splitlines() == [
        f"{path}:row 3:Registration date: error RF320: SC654321: Registration date '31/02/2016' is not a date (dd/mm/yyyy)",
    ]


def test_validate_finds_evidence_in_a_folder_by_content_not_name(tmp_path, capsys):
    folder = tmp_path / "in"
    folder.mkdir()
    ofsted_csv(folder / "cp.txt", registered="31/02/2016", encoding="cp1252")
    assert main(["validate", str(folder)]) == ExitCode.FINDINGS
    validated = capsys.readouterr().out.splitlines()
    assert main(["evidence", "summary", str(folder)]) == ExitCode.FINDINGS
    summarised = capsys.readouterr().err.splitlines()
    assert validated == summarised == [
        f"{folder / 'cp.txt'}:row 3:Registration date: error RF320: SC654321: Registration date '31/02/2016' "
        "is not a date (dd/mm/yyyy)",
    ]


def test_validate_passes_over_documentation_and_schemas_in_a_folder(tmp_path, capsys):
    (tmp_path / "README.md").write_text("# notes\n", encoding="utf-8")
    (tmp_path / "schema").mkdir()
    (tmp_path / "schema" / "notes.txt").write_text("not evidence\n", encoding="utf-8")
    evidence_citing(tmp_path, "Regulation 12")
    assert main(["validate", "--strict", str(tmp_path)]) == ExitCode.OK
    assert capsys.readouterr().err.splitlines() == ["no problems found"]


def test_validate_accepts_the_real_ofsted_register(capsys):
    path = shared_data("ofsted", "Provider_level_at_31_Aug_2023.csv")
    assert main(["validate", str(path)]) == ExitCode.OK
    assert capsys.readouterr().err.splitlines() == ["no problems found"]


# ---- evidence summary and report


def test_evidence_summary_prints_an_unknown_reference_and_strict_fails_on_it(tmp_path, capsys):
    path = evidence_citing(tmp_path, "Regulation 99")
    assert main(["evidence", "summary", "--format", "json", str(path)]) == ExitCode.OK
    out, err = capsys.readouterr()
    assert err.splitlines() == [f"{path}:3: {REG_99}"]
    assert {row["name"]: row["count"] for row in json.loads(out) if row["section"] == "diagnostics"} == {"warning": 1}
    assert main(["evidence", "summary", "--strict", str(path)]) == ExitCode.FINDINGS


def test_report_prints_an_unknown_reference_even_when_quiet_and_strict_fails_on_it(tmp_path, capsys):
    path = evidence_citing(tmp_path, "Regulation 99")
    argv = ["report", "--evidence", str(path), "--as-at", "2024-01-01", "-o", str(tmp_path / "r.xlsx"), "--quiet"]
    assert main(argv) == ExitCode.OK
    out, err = capsys.readouterr()
    assert (out, err.splitlines()) == ("", [f"{path}:3: {REG_99}"])
    assert main([*argv, "--strict"]) == ExitCode.FINDINGS
