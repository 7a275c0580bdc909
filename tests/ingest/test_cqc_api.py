"""CQC public API location records: one record, a list or JSON Lines; scope; ratings as evidence; hostile JSON."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from pathlib import Path

import pytest

from regframe.assess.mapping import EvidenceMapper, check_mapping
from regframe.core.diagnostics import Location
from regframe.evidence import OfstedGrade, Source
from regframe.evidence.pseudonym import PseudonymKey
from regframe.framework import load_framework
from regframe.framework.graph import build_graph
from regframe.framework.model import Independence, SettingKind
from regframe.ingest import IngestContext, load_evidence
from regframe.ingest.cqc_api import NOT_FOR_CHILDREN, NOT_RESIDENTIAL, REPEATED, read
from regframe.ingest.cqc_records import CqcLocation, structure_location
from regframe.io import jsonsafe
from regframe.io.formats import Format, detect
from tests.conftest import TESTS, shared_data
from tests.ingest.cqc_adapter import api_records, write_json_lines

FIXTURES = TESTS / "fixtures" / "cqc"
ONE = FIXTURES / "location.json"          # one pretty-printed record: a children's care home
LIST = FIXTURES / "locations.json"        # a list: in scope, out of scope twice, one invalid
LINES = FIXTURES / "locations.jsonl"      # JSON Lines with a broken line, a provider record, a repeat
KEY = PseudonymKey.from_text("test-key-0123456789")


def _read(path: Path):
    return read(path, IngestContext(key=KEY))


def _codes(evidence) -> list[tuple[str, int | None, str | None]]:
    return [(d.code, d.location.line, d.location.path) for d in evidence.diagnostics]


# ---- one record

def test_one_record_is_a_cqc_setting_keyed_by_its_location_id():
    setting = _read(ONE).settings["1-900000101"]
    assert (setting.kind, setting.name, setting.cqc_location_id, setting.places, setting.owner,
            setting.registration_status, setting.registered_on, setting.closed_on, setting.local_authority,
            setting.provision_type) == (
        SettingKind.CQC_HEALTH_PROVISION, "Brackenfold House", "1-900000101", 8, "CQC provider 1-900000100",
        "Registered", dt.date(2014, 6, 2), None, "Fellshire", "Care home service without nursing")


def test_each_key_question_rating_is_an_item_dated_by_its_own_report():
    items = {i.id: (i.observed, i.references, i.outcome.grade) for i in _read(ONE).items}
    assert items == {
        "cqc:1-900000101:report-b:safe": (dt.date(2025, 10, 1), ("cqc-saf.safe",), OfstedGrade.INADEQUATE),
        "cqc:1-900000101:report-a:effective": (dt.date(2023, 3, 15), ("cqc-saf.effective",), OfstedGrade.GOOD),
        "cqc:1-900000101:report-a:caring": (dt.date(2023, 3, 15), ("cqc-saf.caring",), OfstedGrade.GOOD),
        "cqc:1-900000101:report-a:responsive": (dt.date(2023, 3, 15), ("cqc-saf.responsive",), OfstedGrade.OUTSTANDING),
        "cqc:1-900000101:report-b:well-led": (dt.date(2025, 10, 1), ("cqc-saf.well-led",), OfstedGrade.REQUIRES_IMPROVEMENT),
        # historic report-a: Safe and Well-led were rated Good then; its Effective is the current one, counted once
        "cqc:1-900000101:report-a:safe": (dt.date(2023, 3, 15), ("cqc-saf.safe",), OfstedGrade.GOOD),
        "cqc:1-900000101:report-a:well-led": (dt.date(2023, 3, 15), ("cqc-saf.well-led",), OfstedGrade.GOOD),
    }


def test_ratings_are_regulator_evidence_from_cqc_with_the_json_path_as_provenance():
    item = next(i for i in _read(ONE).items if i.id == "cqc:1-900000101:report-b:safe")
    assert (item.source, item.independence, item.kind, item.setting, item.summary, item.provenance) == (
        Source.CQC, Independence.REGULATOR, "ek.cqc-score", "1-900000101", "CQC rating, Safe: Inadequate (report 2025-10-01)",
        Location(file=str(ONE), path="$.currentRatings.overall.keyQuestionRatings[0]"))


def test_a_rating_current_in_one_extract_and_historic_in_a_later_one_is_the_same_item(tmp_path):
    earlier = json.loads(ONE.read_text())
    later = json.loads(ONE.read_text())
    newer_report = {"name": "Safe", "rating": "Good", "reportDate": "2026-02-01", "reportLinkId": "report-d"}
    later["historicRatings"].insert(0, {"reportLinkId": "report-b", "reportDate": "2025-10-01", "overall": {
        "rating": "Requires improvement", "keyQuestionRatings": [{"name": "Safe", "rating": "Inadequate"}]}})
    later["currentRatings"]["overall"]["keyQuestionRatings"][0] = newer_report
    (tmp_path / "a.json").write_text(json.dumps(earlier))
    (tmp_path / "b.json").write_text(json.dumps(later))
    evidence = load_evidence([tmp_path / "a.json", tmp_path / "b.json"], key=KEY)
    assert [d.code for d in evidence.diagnostics] == ["RF303"]  # the later file's copies counted once, no clash
    assert len([i for i in evidence.items if i.id == "cqc:1-900000101:report-b:safe"]) == 1
    assert "cqc:1-900000101:report-d:safe" in {i.id for i in evidence.items}


def test_no_rating_makes_no_item_and_is_counted_in_a_note():
    evidence = _read(ONE)
    assert "cqc:1-900000101:report-c:safe" not in {i.id for i in evidence.items}
    assert evidence.notes == ["location.json: key question entries without a rating, not evidence "
                              "(Inspected but not rated 1)"]


def test_no_person_name_or_postcode_is_kept():
    evidence = _read(ONE)
    text = repr((list(evidence.settings.values()), evidence.items, evidence.notes, evidence.diagnostics))
    for secret in ("Invented", "Manager", "ZZ1 1ZZ"):
        assert secret not in text


def test_a_care_home_serving_children_awaits_its_link_and_a_hospital_does_not():
    assert _read(ONE).settings["1-900000101"].cqc_record_unlinked is True
    assert _read(LIST).settings["1-900000201"].cqc_record_unlinked is False


def test_a_rating_maps_to_its_key_question_and_the_fundamental_standards_assessed_under_it():
    graph = build_graph(load_framework())
    item = next(i for i in _read(ONE).items if i.id == "cqc:1-900000101:report-b:safe")
    targets, problems = EvidenceMapper(graph).targets(item, SettingKind.CQC_HEALTH_PROVISION)
    found = {t.requirement for t in targets}
    assert problems == []
    assert {"cqc-saf.safe", "cqc-ra2014.r12", "cqc-ra2014.r13", "cqc-ra2014.r13.4.b"} <= found
    assert {t.split(".")[0] for t in found} == {"cqc-saf", "cqc-ra2014"}


# ---- a list, and scope

def test_a_list_counts_accepted_rejected_and_out_of_scope_and_every_record_is_counted():
    evidence = _read(LIST)
    (file,) = evidence.inputs
    assert (file.format, file.accepted, file.rejected, file.skipped) == ("cqc-api", 1, 1, 2)
    assert evidence.out_of_scope == Counter({("cqc-api", NOT_FOR_CHILDREN): 1, ("cqc-api", NOT_RESIDENTIAL): 1})
    assert set(evidence.settings) == {"1-900000201"}


def test_a_bad_record_names_each_bad_field_by_its_json_path_and_the_others_are_kept():
    (problem,) = _read(LIST).diagnostics
    assert (problem.code, problem.location) == ("RF371", Location(file=str(LIST), path="$[3].registrationDate"))
    assert "$[3].registrationDate: expected a date written YYYY-MM-DD, found '04/11/2013'" in problem.message
    assert "$[3].numberOfBeds: expected a whole number, found 'many'" in problem.message


def test_a_hospitals_ratings_of_its_services_for_children_are_items_too():
    items = {i.id: (i.references, i.outcome.grade, i.summary, i.provenance.path) for i in _read(LIST).items}
    assert items["cqc:1-900000201:report-h:childrens:safe"] == (
        ("cqc-saf.safe",), OfstedGrade.INADEQUATE, "CQC rating of children's services, Safe: Inadequate (report 2022-11-02)",
        "$[0].currentRatings.serviceRatings[1].keyQuestionRatings[0]")
    assert "cqc:1-900000201:report-h:safe" in items           # the hospital's own rating stays beside it
    assert not any(":surgery" in item for item in items)       # other services are not children's wards


def test_a_deregistered_location_stays_in_scope_with_its_dates():
    setting = _read(LIST).settings["1-900000201"]
    assert (setting.registration_status, setting.closed_on) == ("Deregistered", dt.date(2024, 3, 31))


# ---- JSON Lines

def test_json_lines_lose_only_the_bad_lines_and_say_where():
    evidence = _read(LINES)
    (file,) = evidence.inputs
    assert (file.accepted, file.rejected, file.skipped) == (2, 2, 1)
    assert evidence.out_of_scope == Counter({("cqc-api", REPEATED): 1})
    assert _codes(evidence) == [
        ("RF372", 1, "$.currentRatings.overall.keyQuestionRatings[1].rating"),   # 'Very good'
        ("RF372", 1, "$.currentRatings.overall.keyQuestionRatings[2].name"),     # 'Kindness'
        ("RF370", 2, None),                                                      # not JSON
        ("RF371", 3, "$.organisationType"),                                      # a provider record
        ("RF374", 5, "$"),                                                       # the same location again
        ("RF373", 6, "$.currentRatings.overall.keyQuestionRatings[0]"),          # a rating with no date
    ]
    assert [i.id for i in evidence.items] == ["cqc:1-900000301:report-s:safe"]
    assert evidence.settings["1-900000301"].name == "Heronsgate School"  # the first copy is kept


def test_json_lines_whose_first_line_is_broken_lose_that_line_only(tmp_path):
    path = tmp_path / "lines.jsonl"
    path.write_text('{"locationId": "1-1", "name": "cut short\n' + LINES.read_text().splitlines()[0] + "\n")
    evidence = _read(path)
    assert [(d.code, d.location.line) for d in evidence.diagnostics if d.code in ("RF370", "RF371")] == [("RF370", 1)]
    assert (evidence.inputs[0].accepted, evidence.inputs[0].rejected) == (1, 1)


def test_the_same_records_as_a_list_or_as_json_lines_give_the_same_evidence(tmp_path):
    records = [json.loads(line) for line in LINES.read_text().splitlines() if line.strip() and "Broken" not in line]
    as_list, as_lines = tmp_path / "list.json", tmp_path / "lines.jsonl"
    as_list.write_text(json.dumps(records, indent=2))
    as_lines.write_text("".join(json.dumps(r) + "\n" for r in records))
    first, second = _read(as_list), _read(as_lines)
    assert first.items == second.items and first.settings == second.settings
    assert [(f.accepted, f.rejected, f.skipped) for f in (*first.inputs, *second.inputs)] == [(2, 1, 1)] * 2


def test_a_list_written_on_one_line_is_read_as_a_list(tmp_path):
    compact = tmp_path / "compact.json"
    compact.write_text(json.dumps(json.loads(LIST.read_text())) + "\n")
    evidence = _read(compact)
    assert (evidence.inputs[0].accepted, evidence.inputs[0].rejected, evidence.inputs[0].skipped) == (1, 1, 2)
    assert [(d.code, d.location.line, d.location.path) for d in evidence.diagnostics] == [
        ("RF371", 1, "$[3].registrationDate")]


# ---- detection

def test_cqc_records_are_recognised_by_content_in_every_shape(tmp_path):
    renamed = tmp_path / "export.txt"
    renamed.write_bytes(b"\xef\xbb\xbf\n  " + ONE.read_bytes())
    provider = tmp_path / "provider.json"
    provider.write_text(json.dumps({"providerId": "1-1", "locationIds": ["1-2"]}))
    assert [detect(p) for p in (ONE, LIST, LINES, renamed, provider)] == [
        Format.CQC_API, Format.CQC_API, Format.CQC_API, Format.CQC_API, Format.UNKNOWN]


def test_a_folder_of_cqc_files_loads_each_through_the_cqc_reader():
    evidence = load_evidence([ONE, LIST, LINES], key=KEY)
    assert [(f.format, f.accepted) for f in evidence.inputs] == [("cqc-api", 1), ("cqc-api", 1), ("cqc-api", 2)]
    assert check_mapping(load_framework(), evidence).diagnostics == ()


# ---- hostile JSON: a diagnostic with its place, never an exception

@pytest.mark.parametrize(("content", "expected"), [
    (b"[" * 200_000 + b"]" * 200_000, "nested too deeply"),
    (b'{"locationId": "1-1", "numberOfBeds": 1' + b"0" * 100_000 + b"}", "a number of 100001 digits"),
    (b'{"locationId": "1-1", "numberOfBeds": 1e999}', "too large to hold"),
    (b'{"locationId": "1-1", "numberOfBeds": NaN}', "NaN is not a JSON value"),
    (b'{"locationId": "1-1", "locationId": "1-2"}', "given twice"),
    (b'{"locationId": "1-1", "name": "\xff\xfe"}', "not UTF-8"),
    (b'{"locationId": "1-1"', "not JSON"),
])
def test_hostile_json_is_refused_with_a_reason(tmp_path, content, expected):
    path = tmp_path / "hostile.json"
    path.write_bytes(content)
    evidence = read(path, IngestContext(key=KEY))
    assert [d.code for d in evidence.diagnostics] == ["RF370"]
    assert expected in evidence.diagnostics[0].message
    assert (evidence.items, evidence.settings) == ([], {})


def test_a_document_over_the_size_limit_is_refused_before_it_is_parsed(tmp_path, monkeypatch):
    monkeypatch.setattr(jsonsafe, "MAX_DOCUMENT_BYTES", 1000)
    path = tmp_path / "big.json"
    path.write_text(json.dumps([{"locationId": f"1-{n}", "name": "x" * 50} for n in range(40)], indent=1))
    (problem,) = _read(path).diagnostics
    assert (problem.code, "larger than" in problem.message) == ("RF370", True)


def test_a_line_over_the_size_limit_loses_that_record_only(tmp_path, monkeypatch):
    monkeypatch.setattr(jsonsafe, "MAX_RECORD_BYTES", 500)
    good = json.dumps({"locationId": "1-5", "specialisms": [{"name": "Caring for children"}],
                       "regulatedActivities": [{"name": "Accommodation", "code": "RA2"}]})
    path = tmp_path / "lines.jsonl"
    path.write_text(good + "\n" + json.dumps({"locationId": "1-6", "name": "x" * 2000}) + "\n" + good.replace("1-5", "1-7") + "\n")
    evidence = _read(path)
    assert (_codes(evidence), evidence.inputs[0].accepted, evidence.inputs[0].rejected) == ([("RF370", 2, None)], 2, 1)


IN_SCOPE = {"specialisms": [{"name": "Caring for children"}], "regulatedActivities": [{"name": "Care", "code": "RA2"}]}


@pytest.mark.parametrize(("record", "path"), [
    ({"locationId": {"nested": "object"}}, "$.locationId"),
    ({"locationId": "1-1", "specialisms": "Caring for children"}, "$.specialisms"),
    ({"locationId": "1-1", "numberOfBeds": True}, "$.numberOfBeds"),
    ({"locationId": "1-1", "registrationDate": "20140602"}, "$.registrationDate"),
    ({"locationId": "1-1", "registrationDate": "2014-02-30"}, "$.registrationDate"),
    ({"locationId": "1-1", "name": "\ud800"}, "$.name"),
    ({"locationId": "1-1", "currentRatings": {"overall": {"keyQuestionRatings": [{"rating": "Good"}]}}},
     "$.currentRatings.overall.keyQuestionRatings[0].name"),
    ({"name": "no id"}, "$.locationId"),
    ({"locationId": "   "}, "$.locationId"),
])
def test_a_field_of_the_wrong_type_or_form_rejects_the_record_at_its_path(tmp_path, record, path):
    file = tmp_path / "one.json"
    file.write_text(json.dumps({**IN_SCOPE, **record}))
    evidence = _read(file)
    assert [(d.code, d.location.path) for d in evidence.diagnostics] == [("RF371", path)]
    assert evidence.inputs[0].rejected == 1


def test_out_of_scope_records_are_checked_only_in_the_fields_that_decide_scope(tmp_path):
    file = tmp_path / "two.json"
    file.write_text(json.dumps([{"locationId": "1-1", "numberOfBeds": "many"},                 # adult: not read further
                                {"locationId": "1-2", "specialisms": [{"name": 7}]}]))         # decides scope: checked
    evidence = _read(file)
    assert (evidence.inputs[0].rejected, evidence.inputs[0].skipped) == (1, 1)
    assert [d.location.path for d in evidence.diagnostics] == ["$[1].specialisms[0].name"]


def test_an_empty_file_is_an_error_not_a_crash(tmp_path):
    path = tmp_path / "empty.json"
    path.write_bytes(b"")
    assert [d.code for d in _read(path).diagnostics] == ["RF370"]


# ---- the 901 real API responses (April 2021), flattened to CSV in ../shared/data/cqc/

#: Counted independently of regframe and of the test adapter: csv.DictReader and ast.literal_eval over the
#: two CSV files, tallying currentRatings.overall.keyQuestionRatings (name, rating) for every row.
REAL_CURRENT_RATINGS = {
    "Safe": {"Good": 612, "Requires improvement": 105, "No published rating": 25, "Inadequate": 11,
             "Outstanding": 4, "Inspected but not rated": 1, "No action": 1},
    "Effective": {"Good": 640, "Requires improvement": 68, "No published rating": 27, "Outstanding": 20,
                  "Inadequate": 2, "Insufficient evidence to rate": 1, "No action": 1},
    "Caring": {"Good": 617, "Outstanding": 84, "Requires improvement": 29, "No published rating": 27,
               "Inadequate": 1, "No action": 1},
    "Responsive": {"Good": 594, "Outstanding": 70, "Requires improvement": 63, "No published rating": 26,
                   "Inadequate": 4, "Inspected but not rated": 1, "No action": 1},
    "Well-led": {"Good": 561, "Requires improvement": 101, "No published rating": 25, "Outstanding": 55,
                 "Inadequate": 15, "Inspected but not rated": 1, "No action": 1},
}
#: Counted the same way for the 60 rows whose specialisms include "Caring for children": current and historic
#: key question ratings that are one of the four ratings, once per (report link id, key question).
REAL_IN_SCOPE_RATINGS = {
    "cqc-saf.safe": {"good": 21, "requires-improvement": 12, "inadequate": 1},
    "cqc-saf.effective": {"good": 22, "requires-improvement": 7, "outstanding": 4, "inadequate": 1},
    "cqc-saf.caring": {"good": 23, "outstanding": 9, "requires-improvement": 1},
    "cqc-saf.responsive": {"good": 19, "requires-improvement": 11, "outstanding": 3, "inadequate": 1},
    "cqc-saf.well-led": {"good": 17, "requires-improvement": 10, "outstanding": 6, "inadequate": 1},
}


#: Counted the same way: the key question ratings of the core service "childrens" (services for children and
#: young people) in currentRatings.serviceRatings and historicRatings[].serviceRatings of those 60 rows.
REAL_CHILDRENS_SERVICES = {
    "cqc-saf.safe": {"good": 3, "requires-improvement": 2},
    "cqc-saf.effective": {"good": 4, "requires-improvement": 1},
    "cqc-saf.caring": {"good": 3, "outstanding": 2},
    "cqc-saf.responsive": {"good": 4, "requires-improvement": 1},
    "cqc-saf.well-led": {"good": 4, "inadequate": 1},
}


def _real_files() -> list[Path]:
    return [shared_data("cqc", "PhilPearson83_cqc_care_homes_SW_2021.csv"),
            shared_data("cqc", "PhilPearson83_cqc_hospitals_SW_2021.csv")]


@pytest.fixture(scope="module")
def real_lines(tmp_path_factory) -> Path:
    files = _real_files()
    path = tmp_path_factory.mktemp("cqc") / "locations.jsonl"
    assert write_json_lines(files, path) == 901
    return path


def test_every_one_of_the_901_real_records_structures_as_a_location():
    records = [record for path in _real_files() for record in api_records(path)]
    locations = [structure_location(record) for record in records]
    assert len(locations) == 901 and all(isinstance(location, CqcLocation) for location in locations)


def test_the_real_current_ratings_per_key_question_are_as_counted_independently():
    counts: dict[str, Counter[str]] = {}
    for path in _real_files():
        for record in api_records(path):
            location = structure_location(record)
            overall = location.current_ratings.overall if location.current_ratings else None
            for rating in overall.key_question_ratings if overall else ():
                counts.setdefault(rating.name, Counter())[rating.rating] += 1
    assert {name: dict(found) for name, found in counts.items()} == REAL_CURRENT_RATINGS


def test_the_real_records_give_60_childrens_locations_in_scope_and_841_out(real_lines):
    evidence = load_evidence([real_lines], key=KEY)
    (file,) = evidence.inputs
    assert (file.accepted, file.rejected, file.skipped) == (60, 0, 841)
    assert evidence.out_of_scope == Counter({("cqc-api", NOT_FOR_CHILDREN): 841})
    assert [d for d in evidence.diagnostics if d.is_error] == []
    settings = evidence.settings.values()
    assert Counter(s.registration_status for s in settings) == Counter({"Registered": 34, "Deregistered": 26})
    assert sum(s.cqc_record_unlinked for s in settings) == 11  # the 11 care homes; the 49 hospitals are not
    assert check_mapping(load_framework(), evidence).diagnostics == ()


def test_the_real_in_scope_ratings_per_key_question_are_as_counted_independently(real_lines):
    evidence = load_evidence([real_lines], key=KEY)
    counts: dict[tuple[str, str], Counter[str]] = {}
    for item in evidence.items:
        which = "childrens" if ":childrens:" in item.id else "location"
        counts.setdefault((which, item.references[0]), Counter())[item.outcome.grade.value] += 1
    assert {kq: dict(found) for (which, kq), found in counts.items() if which == "location"} == REAL_IN_SCOPE_RATINGS
    assert {kq: dict(found) for (which, kq), found in counts.items() if which == "childrens"} == REAL_CHILDRENS_SERVICES
    assert len(evidence.items) == 169 + 25


def test_the_real_records_as_two_list_documents_give_the_same_evidence_as_json_lines(real_lines, tmp_path):
    documents = []
    for number, path in enumerate(_real_files()):
        document = tmp_path / f"part{number}.json"
        document.write_text(json.dumps(list(api_records(path))))
        documents.append(document)
    as_lists, as_lines = load_evidence(documents, key=KEY), load_evidence([real_lines], key=KEY)
    assert set(as_lists.items) == set(as_lines.items) and as_lists.settings == as_lines.settings
    assert sum(f.accepted for f in as_lists.inputs) == 60 and sum(f.skipped for f in as_lists.inputs) == 841
