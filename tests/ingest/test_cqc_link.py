"""Linking Ofsted settings and CQC locations: the link file, its validation, and 'CQC record not linked'."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections import Counter
from pathlib import Path

from regframe.assess import assess
from regframe.evidence.pseudonym import PseudonymKey
from regframe.framework import load_framework
from regframe.framework.model import SettingKind
from regframe.ingest import IngestContext, load_evidence
from regframe.ingest.cqc_link import HEADER, read, template_bytes, write_template
from regframe.io.formats import Format, detect
from tests.conftest import REPO, TESTS

CQC = TESTS / "fixtures" / "cqc"
LINKS = CQC / "links.csv"
ONE, LIST, LINES = CQC / "location.json", CQC / "locations.json", CQC / "locations.jsonl"
OFSTED = TESTS / "fixtures" / "evidence" / "ofsted-at-31-aug.csv"
KEY = PseudonymKey.from_text("test-key-0123456789")


def _load(*paths: Path):
    return load_evidence(list(paths), key=KEY)


def _links_file(tmp_path: Path, *rows: str) -> Path:
    path = tmp_path / "links.csv"
    path.write_text("URN,CQC location ID\n" + "".join(row + "\n" for row in rows))
    return path


def test_a_link_file_is_recognised_by_its_header():
    assert detect(LINKS) is Format.CQC_LINK


def test_link_rows_are_checked_for_form_with_row_and_column():
    evidence = read(LINKS, IngestContext(key=KEY))
    assert [(link.urn, link.location_id) for link in evidence.cqc_links] == [
        ("SC123456", "1-900000101"), ("SC048552", "1-900000301"), ("SC654321", "1-999999999"),
        ("SC999999", "1-900000201"), ("SC123456", "1-900000101")]
    assert [(d.code, d.location.row, d.location.column) for d in evidence.diagnostics] == [
        ("RF601", 6, "URN"), ("RF601", 7, "CQC location ID")]
    assert (evidence.inputs[0].accepted, evidence.inputs[0].rejected) == (5, 2)


def test_a_file_too_large_to_be_a_link_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    from regframe.ingest import cqc_link

    monkeypatch.setattr(cqc_link, "MAX_LINK_FILE_BYTES", 100)
    path = _links_file(tmp_path, *(f"SC{n:06d},1-{n:09d}" for n in range(10)))
    evidence = read(path, IngestContext(key=KEY))
    assert ([d.code for d in evidence.diagnostics], evidence.cqc_links) == (["RF600"], [])


def test_a_file_without_the_columns_is_an_error_on_row_1(tmp_path):
    path = tmp_path / "links.csv"
    path.write_text("URN,Location\nSC123456,1-1\n")
    evidence = read(path, IngestContext(key=KEY))
    assert [(d.code, d.location.row) for d in evidence.diagnostics] == [("RF600", 1)]


def test_a_link_moves_the_cqc_evidence_onto_the_ofsted_setting():
    evidence = _load(OFSTED, ONE, LINES, LINKS)
    home = evidence.settings["SC123456"]
    assert (home.kind, home.cqc_location_id, home.dual_registered, home.cqc_record_unlinked) == (
        SettingKind.CHILDRENS_HOME, "1-900000101", True, False)
    assert "1-900000101" not in evidence.settings
    moved = [i for i in evidence.items if i.id.startswith("cqc:1-900000101:")]
    assert len(moved) == 7 and {i.setting for i in moved} == {"SC123456"}


def test_ids_in_a_link_file_are_read_whatever_their_case_and_spacing():
    evidence = _load(OFSTED, LINES, LINKS)  # the file writes ' sc048552 ' and ' 1-900000301 '
    assert evidence.settings["SC048552"].cqc_location_id == "1-900000301"


def test_every_link_row_is_accounted_for_and_each_problem_is_said_with_its_row():
    evidence = _load(OFSTED, ONE, LINES, LINKS)
    assert evidence.link_outcomes == Counter({"applied": 2, "not applied: CQC location unknown": 1,
                                              "not applied: URN unknown": 1, "repeats an earlier link": 1})
    linking = [(d.code, d.location.row) for d in evidence.diagnostics if d.code in ("RF602", "RF603", "RF604")]
    assert linking == [("RF603", 4), ("RF602", 5)]


def test_the_result_does_not_depend_on_the_order_of_the_files():
    forwards, backwards = _load(OFSTED, ONE, LINES, LINKS), _load(LINKS, LINES, ONE, OFSTED)
    assert forwards.settings == backwards.settings
    assert set(forwards.items) == set(backwards.items)
    assert forwards.link_outcomes == backwards.link_outcomes


def test_one_location_linked_to_two_urns_is_an_error_and_neither_link_is_applied(tmp_path):
    links = _links_file(tmp_path, "SC123456,1-900000101", "SC654321,1-900000101")
    evidence = _load(OFSTED, ONE, links)
    conflicts = [d for d in evidence.diagnostics if d.code == "RF604"]
    assert [(d.severity.value, d.message) for d in conflicts] == [
        ("error", "CQC location 1-900000101 is linked to 2 URNs (SC123456, SC654321)")]
    assert evidence.settings["SC123456"].cqc_location_id is None
    assert evidence.settings["1-900000101"].cqc_record_unlinked is True
    assert evidence.link_outcomes == Counter({"not applied: conflicting links": 2})


def test_one_urn_linked_to_two_locations_is_an_error(tmp_path):
    links = _links_file(tmp_path, "SC123456,1-900000101", "SC123456,1-900000301")
    evidence = _load(OFSTED, ONE, LINES, links)
    assert [d.message for d in evidence.diagnostics if d.code == "RF604"] == [
        "URN SC123456 is linked to 2 CQC locations (1-900000101, 1-900000301)"]
    assert {"1-900000101", "1-900000301"} <= set(evidence.settings)


def test_a_link_file_that_contradicts_a_settings_declared_cqc_location_is_a_conflict(tmp_path):
    xml = tmp_path / "evidence.xml"
    xml.write_text('<evidence xmlns="urn:x-regframe:evidence:1" version="1">'
                   '<setting urn="SC111111" kind="childrens-home" cqc-location="1-900000101"/></evidence>')
    links = _links_file(tmp_path, "SC111111,1-900000301")
    evidence = _load(xml, ONE, LINES, links)
    assert [d.code for d in evidence.diagnostics if d.code == "RF604"] == ["RF604"]


def test_a_settings_declared_cqc_location_joins_the_api_record_without_a_link_file(tmp_path):
    xml = tmp_path / "evidence.xml"
    xml.write_text('<evidence xmlns="urn:x-regframe:evidence:1" version="1">'
                   '<setting urn="SC111111" kind="childrens-home" cqc-location="1-900000101"/></evidence>')
    evidence = _load(xml, ONE)
    assert "1-900000101" not in evidence.settings
    assert {i.setting for i in evidence.items} == {"SC111111"}
    assert evidence.link_outcomes == Counter({"applied (cqc-location in evidence XML)": 1})
    assert [d for d in evidence.diagnostics if d.is_error] == []


def test_without_a_link_the_cqc_care_home_is_reported_not_linked_and_the_ofsted_side_is_not_dual():
    evidence = _load(OFSTED, ONE)
    assert evidence.settings["1-900000101"].cqc_record_unlinked is True
    assert evidence.settings["SC123456"].dual_registered is False


def test_an_ofsted_setting_a_link_names_but_no_record_joins_is_marked_not_linked(tmp_path):
    evidence = _load(OFSTED, ONE, LINES, LINKS)
    marked = sorted(urn for urn, s in evidence.settings.items() if s.cqc_record_unlinked)
    assert marked == ["SC654321"]  # its link names 1-999999999, which no file holds


def test_both_urns_of_a_conflict_are_marked_not_linked(tmp_path):
    links = _links_file(tmp_path, "SC123456,1-900000101", "SC654321,1-900000101")
    evidence = _load(OFSTED, ONE, links)
    assert sorted(urn for urn, s in evidence.settings.items() if s.cqc_record_unlinked) == [
        "1-900000101", "SC123456", "SC654321"]


def test_a_declared_cqc_location_missing_from_the_cqc_records_read_is_marked_not_linked(tmp_path):
    xml = tmp_path / "evidence.xml"
    xml.write_text('<evidence xmlns="urn:x-regframe:evidence:1" version="1">'
                   '<setting urn="SC111111" kind="childrens-home" cqc-location="1-555555555"/></evidence>')
    with_cqc, without_cqc = _load(xml, ONE), _load(xml)
    assert with_cqc.settings["SC111111"].cqc_record_unlinked is True
    assert without_cqc.settings["SC111111"].cqc_record_unlinked is False  # no CQC records given: nothing to miss


def test_a_linked_setting_is_assessed_against_both_regulators_requirements():
    framework = load_framework()
    linked = assess(framework, _load(OFSTED, ONE, LINES, LINKS), as_at=dt.date(2026, 1, 1))
    home = next(s for s in linked.settings if s.setting.urn == "SC123456")
    assert home.registrations == (SettingKind.CHILDRENS_HOME, SettingKind.CQC_HEALTH_PROVISION)
    cited = {f.requirement for f in home.findings if f.evidence and any(e.startswith("cqc:") for e in f.evidence)}
    assert {"cqc-saf.safe", "cqc-ra2014.r13"} <= cited


def test_the_template_is_the_header_row_and_reads_back_as_no_links(tmp_path):
    path = write_template(tmp_path / "links.csv")
    assert path.read_bytes() == template_bytes() == b"\xef\xbb\xbf" + ",".join(HEADER).encode() + b"\r\n"
    evidence = read(path, IngestContext(key=KEY))
    assert (evidence.cqc_links, evidence.diagnostics, evidence.inputs[0].accepted) == ([], [], 0)


def test_regframe_template_link_writes_it(tmp_path):
    out = tmp_path / "links.csv"
    done = subprocess.run([sys.executable, "-m", "regframe", "template", "link", "-o", str(out)],
                          capture_output=True, text=True, cwd=REPO)
    assert (done.returncode, out.read_bytes()) == (0, template_bytes())


def test_evidence_summary_shows_cqc_counts_and_exits_1_for_bad_link_rows(tmp_path):
    done = subprocess.run([sys.executable, "-m", "regframe", "evidence", "summary", "--format", "csv",
                           str(OFSTED), str(ONE), str(LINES), str(LINKS)], capture_output=True, text=True, cwd=REPO)
    rows = [line.split(",", 2) for line in done.stdout.splitlines()[1:]]
    cqc = {(section, name): count for section, name, count in rows if section.startswith("cqc")}
    assert done.returncode == 1
    assert cqc == {
        ("cqc ratings by key question", "cqc-saf.caring: good"): "1",
        ("cqc ratings by key question", "cqc-saf.effective: good"): "1",
        ("cqc ratings by key question", "cqc-saf.responsive: outstanding"): "1",
        ("cqc ratings by key question", "cqc-saf.safe: good"): "2",
        ("cqc ratings by key question", "cqc-saf.safe: inadequate"): "1",
        ("cqc ratings by key question", "cqc-saf.well-led: good"): "1",
        ("cqc ratings by key question", "cqc-saf.well-led: requires-improvement"): "1",
        ("cqc links", "applied"): "2",
        ("cqc links", "not applied: CQC location unknown"): "1",
        ("cqc links", "not applied: URN unknown"): "1",
        ("cqc links", "repeats an earlier link"): "1",
        ("cqc links", "settings marked CQC record not linked"): "1",  # SC654321, linked to a location not read
    }


def test_a_cqc_rating_at_a_linked_secure_home_reaches_the_fundamental_standards(tmp_path):
    links = _links_file(tmp_path, "SC654321,1-900000101")  # SC654321 is a secure children's home
    assessment = assess(load_framework(), _load(OFSTED, ONE, links), as_at=dt.date(2026, 1, 1))
    home = next(s for s in assessment.settings if s.setting.urn == "SC654321")
    cited = {f.requirement for f in home.findings if any(e.startswith("cqc:") for e in f.evidence)}
    assert {"cqc-ra2014.r12", "cqc-ra2014.r13"} <= cited
