"""The bundled demo: its files are what its generator writes, and the report says what the README says."""

from __future__ import annotations

import csv
import json

import pytest
from openpyxl import load_workbook

from regframe.cli import main
from regframe.core.exitcodes import ExitCode
from regframe.samples import demo


def test_the_committed_demo_files_are_what_the_generator_writes(tmp_path):
    written = demo.write_all(tmp_path)
    for fresh, shipped in zip(written, demo.demo_paths(), strict=True):
        if fresh.suffix == ".xlsx":
            ours, theirs = load_workbook(fresh), load_workbook(shipped)
            assert ours.sheetnames == theirs.sheetnames
            for name in ours.sheetnames:
                assert [[c.value for c in row] for row in ours[name].iter_rows()] == \
                       [[c.value for c in row] for row in theirs[name].iter_rows()], name
        else:
            assert fresh.read_bytes() == shipped.read_bytes(), fresh.name


def test_the_demo_holds_no_real_looking_personal_data():
    header = list(csv.DictReader(demo.demo_paths()[2].open()))
    assert {row["CHILD"][:2] for row in header} <= {"WG", "FB", "BV", "MB"}  # fictional ids only
    assert all(row["UPN"] == "" for row in header)


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory):
    folder = tmp_path_factory.mktemp("demo")
    xlsx, report = folder / "demo.xlsx", folder / "demo.json"
    code = main(["report", "--demo", "-o", str(xlsx), "--json", str(report), "--quiet"])
    return code, xlsx, json.loads(report.read_text())


def test_make_demo_writes_both_reports(demo_report):
    code, xlsx, data = demo_report
    assert code == ExitCode.OK and xlsx.is_file()
    assert data["as_at"] == "2026-10-31" and len(data["settings"]) == 12


def test_the_hesley_like_school_is_first_and_red_with_the_reasons_a_director_needs(demo_report):
    _, _, data = demo_report
    first = data["settings"][0]
    assert (first["setting"]["urn"], first["setting"]["name"], first["rating"]) == ("SC900001", "Wilsic Grange", "red")
    assert first["rating_reasons"] == ["9 red risk indicators together with 11 requirements not met and 5 overdue",
                                       "requirements not met on the independent word of 2 different sources"]
    # the director's reasons: "rated good, but" first, then advocacy, reg 44, the late LADO referrals and the
    # restraint rise among the five the Summary shows, in plain words with no internal id
    summary = [r["text"] for r in first["reasons"][:5]]
    assert summary[0].startswith("Rated good, but …: Ofsted judged it good on 10 Mar 2026")
    shown = " ".join(summary)
    for words in ("9 of 10 children have had no independent advocate in the last twelve months, red at 50% "
                  "(CHR 2015 reg 7(2)(b)(iii) Advocacy support",
                  "No Regulation 44 independent person's report since 14 Aug 2026", "CHR 2015 reg 44",
                  "2 LADO referrals made late, 7 and 6 days after the allegation",
                  "Restraint rose from 8 incidents a month in Apr 2026 to 31 in Sep 2026"):
        assert words in shown
    assert "ind." not in shown and "chr2015." not in shown and "DEMO-" not in shown
    assert first["rated_good_but"] == {"regulator": "ofsted", "verdict": "good", "judged": "2026-03-10",
                                       "sources": ["placing-la", "whistleblower"], "red_indicators": 9}
    assert first["assurance"] == "medium"
    statuses = {f["requirement"]: f["status"] for f in first["findings"]}
    assert statuses["chr2015.r7.2.b.iii"] == "not_met"  # advocacy, on the placing authorities' word
    assert statuses["chr2015.r44"] == "overdue"  # the monthly independent visits stopped
    assert statuses["cppcr2010.r28"] == "overdue"  # statutory visits slipping
    assert statuses["wt2023.lado.referral"] == "overdue"  # allegations referred late
    flags = {f["requirement"]: f["flags"] for f in first["findings"]}
    assert "provider_contradicted" in flags["chr2015.r7.2.b.iii"]
    assert "single_regulator" in flags["chr2015.r12"]
    lens = {entry["recommendation"]: entry["state"] for entry in first["lens"]}
    assert lens["csprp2023.r1"] == lens["csprp2023.r8"] == "failing"


def test_no_demo_group_stands_out_by_the_provider_group_rule(demo_report):
    """The rule counts settings judged inadequate by Ofsted or suspended; the demo's, like Hesley's, were all
    judged good or requires improvement, so its signals are elsewhere (ratings, indicators, the lens)."""
    _, _, data = demo_report
    assert [g["owner"] for g in data["groups"] if g["stands_out"]] == []
    hollowmere = next(g for g in data["groups"] if g["owner"] == "Hollowmere Care Group Ltd")
    assert hollowmere["settings_with_failings"] == []
    assert "ind.provider-group-inadequate-or-suspended" in hollowmere["basis"]


def test_the_spreadsheet_summary_starts_with_the_red_school(demo_report):
    _, xlsx, _ = demo_report
    summary = load_workbook(xlsx, read_only=True)["Summary"]
    rows = [r for r in summary.iter_rows(values_only=True) if r and r[0] == "SC900001"]
    assert rows and "Red" in [str(v) for v in rows[0]]


def test_no_report_carries_a_raw_child_id(demo_report):
    _, xlsx, data = demo_report
    text = json.dumps(data)
    for raw in ("WG001", "FB001", "BV001", "MB001"):
        assert raw not in text
    book = load_workbook(xlsx, read_only=True)
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            assert not any(isinstance(v, str) and v.startswith(("WG0", "FB0", "BV0", "MB0")) for v in row)


def test_the_demo_is_reproducible_without_a_key_because_its_children_are_fictional(tmp_path, monkeypatch):
    monkeypatch.delenv("REGFRAME_PSEUDONYM_KEY", raising=False)
    for name in ("a", "b"):
        assert main(["report", "--demo", "-o", str(tmp_path / f"{name}.xlsx"), "--json", str(tmp_path / f"{name}.json"),
                     "--quiet"]) == ExitCode.OK
    assert (tmp_path / "a.json").read_bytes() == (tmp_path / "b.json").read_bytes()
    assert (tmp_path / "a.xlsx").read_bytes() == (tmp_path / "b.xlsx").read_bytes()


def test_a_whole_run_leaves_the_evidence_records_as_they_were_read(tmp_path):
    """Evidence records are not frozen (for speed, see docs/software/performance.rst), so this holds
    the library to never changing one: every field, provenance included, is the same after an
    assessment and both reports as it was after loading."""
    import attrs

    from regframe import PseudonymKey, build_graph, load_evidence, load_framework
    from regframe.assess import assess
    from regframe.report.json import write_json
    from regframe.report.xlsx import write_xlsx

    evidence = load_evidence(demo.demo_paths(), key=PseudonymKey.from_text("a-test-key-not-secret"),
                             la_code=demo.EXTRACT_LA)
    before = [attrs.astuple(record) for record in (*evidence.items, *evidence.metrics)]
    graph = build_graph(load_framework())
    assessment = assess(graph, evidence, demo.AS_AT)
    write_xlsx(assessment, graph, tmp_path / "r.xlsx")
    write_json(assessment, tmp_path / "r.json")
    assert len(before) > 300
    assert [attrs.astuple(record) for record in (*evidence.items, *evidence.metrics)] == before
