"""SSDA903: residential placements kept, the rest counted; codes of several years; nothing identifying stored."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest

from regframe.core.diagnostics import Severity
from regframe.evidence import Source
from regframe.evidence.pseudonym import PseudonymKey, pseudonymise
from regframe.framework.model import Independence, SettingKind
from regframe.ingest import IngestContext, load_evidence
from regframe.ingest.ssda903 import read_csv, read_xml, table_kind
from regframe.ingest.ssda903_codes import collection_year, lookup
from tests.conftest import SHARED_DATA, TESTS

FIXTURES = TESTS / "fixtures" / "ssda903"
SHARED = SHARED_DATA / "ssda903"
KEY = PseudonymKey.from_text("a test key of sixteen+ characters")
CONTEXT = IngestContext(key=KEY, la_code="926")


def child(raw_id: str) -> str:
    return pseudonymise(KEY, "926", raw_id)


def test_residential_episodes_become_placements_and_the_rest_are_counted_out_of_scope():
    evidence = read_csv(FIXTURES / "episodes.csv", CONTEXT)
    assert sorted((p.placement_type, p.setting) for p in evidence.placements) == [
        ("K2", "SC100001"), ("K2", "SC100002"), ("S1", "123456"), ("Z12", "2345678"),
    ]
    assert evidence.notes == ["episodes.csv: 2 episodes outside regframe's residential scope (H5 1, U4 1)"]
    (record,) = evidence.inputs
    assert (record.accepted, record.rejected, record.skipped) == (5, 3, 3)


def test_placement_types_map_to_setting_kinds():
    evidence = read_csv(FIXTURES / "episodes.csv", CONTEXT)
    assert {urn: s.kind for urn, s in evidence.settings.items()} == {
        "SC100001": SettingKind.CHILDRENS_HOME, "123456": SettingKind.RESIDENTIAL_SPECIAL_SCHOOL,
        "SC100002": SettingKind.CHILDRENS_HOME,
    }
    assert evidence.settings["SC100001"].local_authority == "E08000017"
    assert lookup("PLACE", "K1").setting_kind is SettingKind.SECURE_CHILDRENS_HOME
    assert lookup("PLACE", "R2").setting_kind is SettingKind.CQC_HEALTH_PROVISION


def test_consecutive_episodes_in_one_setting_are_one_placement_from_the_first_start():
    evidence = read_csv(FIXTURES / "episodes.csv", CONTEXT)
    (placement,) = [p for p in evidence.placements if p.child == child("1001")]
    assert (placement.start, placement.end, placement.legal_status, placement.category_of_need,
            placement.provider_type, placement.placing_la, placement.looked_after) == (
        dt.date(2022, 4, 1), None, "C2", "N2", "PR4", "926", True)
    assert placement.provenance.row == 2


def test_pl_distance_in_km_is_kept_as_miles_to_one_decimal_place():
    evidence = read_csv(FIXTURES / "episodes.csv", CONTEXT)
    assert {p.setting: p.distance_miles for p in evidence.placements} == {
        "SC100001": 200.0, "123456": 10.0, "2345678": 5.0, "SC100002": None,
    }


def test_each_bad_record_is_reported_with_its_row_and_column():
    evidence = read_csv(FIXTURES / "episodes.csv", CONTEXT)
    assert [(d.code, d.location.row, d.location.column) for d in evidence.diagnostics] == [
        ("RF433", 7, "PLACE"),  # H5 in 2024-25: replaced by K3
        ("RF434", 9, "URN"),  # K1 with the placeholder URN
        ("RF431", 10, "DECOM"),  # 31/02/2024
        ("RF432", 11, "PLACE"),  # Q9
        ("RF432", 12, "LS"),  # ZZ: value dropped, episode kept
        ("RF435", None, None),  # R2 without a URN, not linked
    ]
    assert all(d.severity is not Severity.ERROR for d in evidence.diagnostics)


def test_codes_are_valid_by_collection_year():
    assert collection_year(dt.date(2025, 3, 31)) == 2024
    assert collection_year(dt.date(2025, 4, 1)) == 2025
    assert (lookup("PLACE", "H5").valid_in(2023), lookup("PLACE", "H5").valid_in(2024)) == (True, False)
    assert (lookup("PLACE", "K3").valid_in(2023), lookup("PLACE", "K3").valid_in(2024)) == (False, True)
    assert (lookup("PLACE", "Z1").valid_in(2024), lookup("PLACE", "Z1").valid_in(2025)) == (True, False)
    assert [lookup("PLACE", z).valid_in(2025) for z in ("Z11", "Z12", "Z13", "Z14")] == [True] * 4


def test_no_date_of_birth_postcode_or_raw_child_id_is_stored():
    evidence = load_evidence([FIXTURES], key=KEY, la_code="926")
    text = repr((evidence.placements, evidence.items, list(evidence.settings.values()), evidence.notes,
                 [str(d) for d in evidence.diagnostics]))
    for secret in ("1001", "1002", "1003", "14/02/2010", "2010-02-14", "AB1 2CD", "YZ9 8XW", "A123456789012"):
        assert secret not in text


def test_reviews_become_iro_review_items_on_the_placement_active_that_day():
    evidence = read_csv(FIXTURES / "reviews.csv", CONTEXT)
    assert [(i.kind, i.child, i.setting, i.observed, i.source, i.independence) for i in evidence.items] == [
        ("ek.iro-review", child("1001"), "SC100001", dt.date(2022, 4, 28), Source.PLACING_LA, Independence.INDEPENDENT),
        ("ek.iro-review", child("1001"), "SC100001", dt.date(2022, 10, 20), Source.PLACING_LA, Independence.INDEPENDENT),
    ]
    assert [(d.code, d.location.row, d.location.column) for d in evidence.diagnostics] == [
        ("RF430", 4, "REVIEW"), ("RF432", 6, "REVIEW_CODE"),
    ]
    assert evidence.notes == ["reviews.csv: 2 reviews or DoL orders dated when the child was not in a residential "
                              "placement regframe covers"]


def test_the_xml_return_reads_like_the_csv_tables():
    evidence = read_xml(FIXTURES / "return.xml", CONTEXT)
    (placement,) = evidence.placements
    assert (placement.child, placement.setting, placement.start, placement.end, placement.placement_type) == (
        child("1001"), "SC100001", dt.date(2022, 4, 1), None, "K2")
    assert [i.observed for i in evidence.items] == [dt.date(2022, 4, 28), dt.date(2022, 10, 20)]
    assert evidence.items[0].provenance.path == "/EXPSSDA903/CHILD[1]/HEADER/AREVIEW[1]/REVIEW"


def test_tables_are_recognised_by_their_columns():
    assert table_kind(["CHILD", "DECOM", "RNE", "PLACE"]) == "episodes"
    assert table_kind(["CHILD", "DOB", "REVIEW", "REVIEW_CODE"]) == "reviews"
    assert table_kind(["CHILD", "SEX", "DOB", "ETHNIC", "UPN"]) == "header"
    assert table_kind(["CHILD", "DOB", "DOLO_START", "DOLO_END"]) == "dolo"
    evidence = read_csv(FIXTURES / "uasc.csv", CONTEXT)
    assert [d.code for d in evidence.diagnostics] == ["RF438"]


def test_without_an_la_code_the_default_is_used_and_said():
    evidence = read_csv(FIXTURES / "episodes.csv", IngestContext(key=KEY))
    assert "RF437" in [d.code for d in evidence.diagnostics]
    assert {p.placing_la for p in evidence.placements} == {"UNKNOWN"}


def test_join_keeps_separate_placements_when_the_setting_changes():
    evidence = read_csv(FIXTURES / "episodes.csv", CONTEXT)
    assert len(evidence.placements) == 4  # 5 in-scope episodes, two of them one placement


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared data not present")
def test_shared_episodes_and_header_counts():
    evidence = load_evidence([SHARED / "episodes.csv", SHARED / "header.csv"], key=KEY, la_code="926")
    assert Counter(p.placement_type for p in evidence.placements) == {
        "K1": 177, "Z1": 167, "S1": 162, "R2": 145, "K2": 135}
    assert len({p.child for p in evidence.placements}) == 694
    assert [(f.accepted, f.rejected, f.skipped) for f in evidence.inputs] == [(921, 0, 4129), (2675, 0, 0)]
    assert [d for d in evidence.diagnostics if d.severity is not Severity.INFO] == []


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared data not present")
def test_shared_reviews_are_attached_to_residential_placements():
    evidence = load_evidence([SHARED / "reviews.csv"], key=KEY, la_code="926")
    assert Counter(i.kind for i in evidence.items) == {"ek.iro-review": 1260}
    assert [(f.accepted, f.rejected, f.skipped) for f in evidence.inputs] == [(1260, 0, 11322)]


@pytest.mark.skipif(not SHARED.is_dir(), reason="shared data not present")
def test_shared_xml_return_counts():
    evidence = load_evidence([SHARED / "fake_903.xml"], key=KEY, la_code="926")
    assert Counter(p.placement_type for p in evidence.placements) == {"S1": 16, "K1": 16, "K2": 12, "Z1": 12, "R2": 8}
    assert len(evidence.items) == 85
    assert evidence.diagnostics == []
