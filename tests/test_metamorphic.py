"""A result must not depend on how it was asked: file order, folder or files, one file or two, other settings, reader.

Each test runs the same facts two ways and compares the JSON reports, each setting's JSON Lines findings
included. They are compared in full apart from the list of input files (names and SHA-256 change when a file is split) and, when
a file is split, where each piece of evidence came from (its file and line).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
from pathlib import Path

import pytest

import regframe
from regframe.assess import assess
from regframe.evidence.pseudonym import PseudonymKey
from regframe.ingest import load_evidence
from regframe.report.findings import finding_lines, iter_jsonl
from regframe.report.json import assessment_to_json
from regframe.samples import demo
from tests import small_inputs
from tests.conftest import SHARED_DATA

KEY = PseudonymKey.from_text("metamorphic-test-key-01")


@pytest.fixture(scope="module")
def graph():
    return regframe.build_graph(regframe.load_framework())


def report(graph, paths, as_at=demo.AS_AT, la_code=demo.EXTRACT_LA) -> str:
    """The JSON report with each setting's lines of the JSON Lines report beside it, as ``findings``: so every
    finding is compared, met ones included, not only the failing ones the JSON report lists."""
    assessment = assess(graph, load_evidence(paths, key=KEY, la_code=la_code), as_at)
    document = json.loads(assessment_to_json(assessment))
    by_setting: dict[tuple[str, bool], list[dict]] = {}
    for line in iter_jsonl(finding_lines(assessment)):
        finding = json.loads(line)
        finding.pop("run_id")  # made of the inputs' hashes, as the JSON's (without_inputs)
        by_setting.setdefault((finding["setting"], finding["closed"]), []).append(finding)
    for setting in document["settings"]:
        setting["findings"] = by_setting.get((setting["setting"]["urn"], False), [])
    document["closed_findings"] = [f for (_urn, closed), found in by_setting.items() if closed for f in found]
    return json.dumps(document, sort_keys=True, ensure_ascii=False)


def without_inputs(document: str, provenance: bool = False) -> dict:
    data = json.loads(document)
    data.pop("inputs")
    data.pop("run_id")  # made of the inputs' hashes: other files, another id, by design
    if provenance:  # a split file moves evidence to other files and lines
        for use in data["evidence"]:
            use["provenance"] = ""
        for setting in data["settings"]:
            setting["setting"]["provenance"] = None
    return data


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("demo")
    for path in demo.demo_paths():
        shutil.copy(path, folder / path.name)
    return folder


@pytest.fixture(scope="module")
def demo_report(graph, demo_folder) -> str:
    return report(graph, sorted(demo_folder.iterdir()))


def test_the_order_of_the_files_changes_nothing(graph, demo_folder, demo_report):
    assert report(graph, sorted(demo_folder.iterdir(), reverse=True)) == demo_report


def test_a_folder_instead_of_its_files_changes_nothing(graph, demo_folder, demo_report):
    assert report(graph, [demo_folder]) == demo_report
    assert report(graph, [demo_folder, *demo_folder.iterdir()]) == demo_report  # and a file given twice counts once


def _split_csv(source: Path, first: Path, second: Path) -> None:
    with source.open(newline="", encoding="utf-8") as handle:
        header, *rows = list(csv.reader(handle))
    half = len(rows) // 2
    for path, part in ((first, rows[:half]), (second, rows[half:])):
        small_inputs.write_csv(path, [header, *part])


def test_splitting_a_file_in_two_changes_nothing(graph, demo_folder, demo_report, tmp_path):
    from regframe.ingest.evidence_xml_writer import write_evidence

    split = tmp_path / "split"
    split.mkdir()
    shutil.copy(demo_folder / "la-return-901.xlsx", split)
    _split_csv(demo_folder / "ssda903-901-header.csv", split / "ssda903-901-header-1.csv", split / "ssda903-901-header-2.csv")
    _split_csv(demo_folder / "ssda903-901-episodes.csv", split / "ssda903-901-episodes-1.csv",
               split / "ssda903-901-episodes-2.csv")
    items = demo._items()  # noqa: SLF001 - the demo's own evidence, written as two exports
    write_evidence(split / "evidence-1.xml", demo._settings(), (), items[: len(items) // 2], (), created=demo.AS_AT)  # noqa: SLF001
    write_evidence(split / "evidence-2.xml", (), (), items[len(items) // 2:], (), created=demo.AS_AT)
    whole, halves = without_inputs(demo_report, provenance=True), without_inputs(report(graph, [split]), provenance=True)
    whole["notes"] = halves["notes"] = None  # the header's note is per file: compared below
    assert halves == whole
    halves_read = load_evidence([split], key=KEY, la_code=demo.EXTRACT_LA).inputs
    whole_read = load_evidence([demo_folder], key=KEY, la_code=demo.EXTRACT_LA).inputs
    for part in ("header", "episodes"):
        assert sum(f.accepted for f in halves_read if part in f.path) == sum(
            f.accepted for f in whole_read if part in f.path) > 0


def test_an_unrelated_setting_changes_no_other_settings_row(graph, demo_folder, demo_report, tmp_path):
    register = small_inputs.register(tmp_path / "register.csv", small_inputs.ofsted_row(
        "SC777777", "Unrelated Homes Ltd", inspected="10/09/2026", grade="Inadequate"))
    before = json.loads(demo_report)
    after = json.loads(report(graph, [*demo_folder.iterdir(), register]))
    by_urn = {s["setting"]["urn"]: s for s in after["settings"]}
    assert [by_urn[s["setting"]["urn"]] for s in before["settings"]] == before["settings"]
    assert by_urn["SC777777"]["rating"] == "red"
    assert [g for g in after["groups"] if g["owner"] != "Unrelated Homes Ltd"] == before["groups"]


def test_the_same_children_through_different_readers_give_the_same_statuses(graph, tmp_path):
    """Three children placed in two homes, told by SSDA903, by Annex A and by the LA return."""
    register = small_inputs.register(tmp_path / "register.csv", small_inputs.ofsted_row("SC100001", "A Ltd"),
                                     small_inputs.ofsted_row("SC100002", "B Ltd", event="2"))
    readers = {
        "ssda903": small_inputs.episodes(tmp_path / "episodes.csv"),
        "annex-a": small_inputs.annex_a(tmp_path / "annex-a.xlsx"),
        "la-return": small_inputs.la_return(tmp_path / "return.xlsx"),
    }
    reports = {}
    for name, path in readers.items():
        data = json.loads(report(graph, [register, path], as_at=dt.date(2024, 6, 30), la_code="901"))
        reports[name] = [(s["setting"]["urn"], s["rating"], s["counts"], s["children"],
                          [(f["requirement"], f["status"]) for f in s["findings"]]) for s in data["settings"]]
    assert reports["ssda903"] == reports["annex-a"] == reports["la-return"]
    assert sorted((urn, children) for urn, _r, _c, children, _f in reports["ssda903"]) == [("SC100001", 2), ("SC100002", 1)]


# ---- the real files in ../shared/data


@pytest.mark.skipif(not (SHARED_DATA / "ofsted").is_dir(), reason="shared data not present")
def test_real_ofsted_files_in_any_order_or_as_a_folder_give_the_same_report(graph, tmp_path):
    names = ["Provider_level_at_31_Aug_2023.csv", "Provider_level_in_year_2022-23.csv", "Closed_childrens_homes_31Mar23.csv"]
    folder = tmp_path / "ofsted"
    folder.mkdir()
    for name in names:
        (folder / name).symlink_to(SHARED_DATA / "ofsted" / name)
    as_at = dt.date(2023, 8, 31)
    # the folder is read in its own order; the files given in reverse must give the same bytes
    assert report(graph, [folder], as_at=as_at, la_code=None) == report(
        graph, [folder / name for name in reversed(names)], as_at=as_at, la_code=None)


@pytest.mark.skipif(not (SHARED_DATA / "ssda903").is_dir(), reason="shared data not present")
def test_real_ssda903_episodes_split_in_two_give_the_same_placements(tmp_path):
    source = SHARED_DATA / "ssda903" / "episodes.csv"
    _split_csv(source, tmp_path / "episodes-1.csv", tmp_path / "episodes-2.csv")

    def placements(paths):
        return sorted((p.child, p.setting, p.start, p.end, p.placement_type, p.legal_status)
                      for p in load_evidence(paths, key=KEY, la_code="926").placements)

    assert placements([tmp_path / "episodes-1.csv", tmp_path / "episodes-2.csv"]) == placements([source])
