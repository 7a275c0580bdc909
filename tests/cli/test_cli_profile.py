"""`regframe profile URN…` and `regframe report --profiles DIR`: the pages written, counted against the evidence."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import lxml.html
import pytest

from regframe.cli import main
from regframe.core.exitcodes import ExitCode
from regframe.evidence.pseudonym import PseudonymKey
from regframe.framework.model import Source
from regframe.ingest import load_evidence
from regframe.samples.demo import AS_AT, DEMO_KEY, EXTRACT_LA, demo_paths

WILSIC = "SC900001"


@pytest.fixture(autouse=True)
def _no_key_in_environment(monkeypatch):
    monkeypatch.delenv("REGFRAME_PSEUDONYM_KEY", raising=False)


@pytest.fixture(scope="module")
def demo_evidence():
    return load_evidence(demo_paths(), key=PseudonymKey.from_text(DEMO_KEY, "demo"), la_code=EXTRACT_LA)


@pytest.fixture(scope="module")
def wilsic_page(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("profiles")
    assert main(["profile", WILSIC.lower(), "--demo", "-o", str(out), "--quiet"]) == ExitCode.OK
    assert [p.name for p in out.iterdir()] == ["profile-SC900001.html"]
    return out / "profile-SC900001.html"


def _lane(source: Source, kind: str) -> str:
    """The lanes as the brief names them, written out here independently of the code's lane table."""
    if kind == "ek.reg45-report":
        return "reg45"
    return {Source.OFSTED: "ofsted", Source.CQC: "cqc", Source.PLACING_LA: "placing-la", Source.HOST_LA: "placing-la",
            Source.INDEPENDENT_PERSON: "reg44", Source.LADO: "lado", Source.PROVIDER: "provider"}.get(source, "others")


def test_the_wilsic_grange_page_has_one_mark_per_dated_item_of_its_evidence_in_the_window(wilsic_page,
                                                                                          demo_evidence):
    start = dt.date(2024, 11, 1)
    expected = Counter(_lane(i.source, i.kind) for i in demo_evidence.items
                       if i.setting == WILSIC and start <= i.observed <= AS_AT)
    doc = lxml.html.document_fromstring(wilsic_page.read_text(encoding="utf-8"))
    drawn = Counter({g.get("data-lane"): len(g.find_class("mark")) for g in doc.iter("g") if g.get("data-lane")})
    assert +drawn == expected
    assert sum(expected.values()) == 62  # the demo's Wilsic Grange items, all inside the window
    restraint = next(g for g in doc.iter("g") if g.get("data-lane") == "restraint")
    assert [b.findtext("title") for b in restraint.find_class("figure")] == [
        f"{m} 2026: {n}" for m, n in zip(("Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct"), (8, 10, 14, 19, 25, 31, 36), strict=False)]


def test_the_wilsic_grange_page_names_no_child_in_any_form(wilsic_page, demo_evidence):
    html = wilsic_page.read_text(encoding="utf-8")
    pseudonyms = {p.child for p in demo_evidence.placements} | {i.child for i in demo_evidence.items if i.child}
    assert pseudonyms
    for secret in pseudonyms | {f"WG{n:03d}" for n in range(1, 11)} | {"ZZ99"}:
        assert secret not in html, secret


def test_an_unknown_urn_is_a_usage_error_naming_it_and_nothing_is_written(tmp_path, capsys):
    out = tmp_path / "pages"
    code = main(["profile", WILSIC, "XX0000", "--demo", "-o", str(out), "--quiet"])
    assert code == ExitCode.USAGE
    assert "no setting with URN 'XX0000' among the 12 setting(s) in the input" in capsys.readouterr().err
    assert not out.exists()


def test_no_input_at_all_is_a_usage_error(tmp_path, capsys):
    assert main(["profile", WILSIC, "-o", str(tmp_path)]) == ExitCode.USAGE
    assert "give --evidence PATH" in capsys.readouterr().err


def test_a_folder_that_cannot_be_written_exits_4(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way")
    assert main(["profile", WILSIC, "--demo", "-o", str(blocker), "--quiet"]) == ExitCode.OUTPUT
    assert "cannot write a profile" in capsys.readouterr().err


def test_report_profiles_writes_a_page_for_each_red_and_amber_setting_the_same_page_as_profile(tmp_path,
                                                                                               wilsic_page):
    pages = tmp_path / "pages"
    report = tmp_path / "r.json"
    assert main(["report", "--demo", "-o", str(tmp_path / "r.xlsx"), "--json", str(report), "--profiles",
                 str(pages), "--quiet"]) == ExitCode.OK
    flagged = [s["setting"]["urn"] for s in json.loads(report.read_text())["settings"]
               if s["rating"] in ("red", "amber")]
    assert flagged and len(flagged) < 12
    assert sorted(p.name for p in pages.iterdir()) == sorted(f"profile-{urn}.html" for urn in flagged)
    # a result must not depend on how it was asked
    assert (pages / wilsic_page.name).read_bytes() == wilsic_page.read_bytes()


def test_report_exits_4_when_the_profiles_folder_cannot_be_written(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way")
    code = main(["report", "--demo", "-o", str(tmp_path / "r.xlsx"), "--profiles", str(blocker), "--quiet"])
    assert code == ExitCode.OUTPUT
    assert "cannot write the report" in capsys.readouterr().err
    assert blocker.read_text() == "in the way"
