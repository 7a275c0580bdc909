"""Ofsted's layouts of every era since 2013-14, on small fixtures of our own in each era's layout.

One imaginary children's home, SC100001, runs through the fixtures: judged in 2014 with
2013-14's numeric codes, in 2015 as "Adequate", good in 2017 under Acme Care, inadequate in
2019 under Beta Homes, suspended, and requires improvement in 2023 under Gamma Care.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import pytest

from regframe.evidence.model import InspectionKind, Judgement, OfstedGrade, RegistrationEventKind
from regframe.evidence.pseudonym import PseudonymKey
from regframe.ingest import IngestContext, detect_format, load_evidence
from regframe.ingest.ofsted_columns import column_table, layout, squash
from regframe.ingest.ofsted_csv import read, title_date
from regframe.io import ods
from regframe.io.formats import Format
from tests.conftest import TESTS

ERAS = TESTS / "fixtures" / "evidence" / "ofsted-eras"
KEY = PseudonymKey.from_text("test-key-0123456789")
RI = OfstedGrade.REQUIRES_IMPROVEMENT


def _read(name: str):
    return read(ERAS / name, IngestContext(key=KEY))


def _grades(inspection) -> dict[str, OfstedGrade | str | None]:
    return {j.area: j.grade or j.outcome for j in inspection.judgements}


@pytest.mark.parametrize("name", sorted(p.name for p in ERAS.iterdir()))
def test_every_era_fixture_is_recognised_from_its_content_and_every_row_is_accounted_for(name):
    assert detect_format(ERAS / name) is Format.OFSTED_CSV
    [account] = _read(name).inputs
    assert account.accepted + account.rejected + account.skipped == account.rows > 0


def test_2013_14_numeric_codes_are_full_grades_1_to_4_and_interim_outcomes_2_to_5():
    evidence = _read("2014-childrens-homes-numeric.csv")
    by_event = {i.event: i for i in evidence.inspections}
    assert (by_event["290001"].kind, _grades(by_event["290001"])) == (InspectionKind.FULL, {
        "overall": RI, "outcomes": OfstedGrade.GOOD, "care": RI, "protect": OfstedGrade.INADEQUATE, "leaders": RI})
    assert (by_event["290002"].kind, _grades(by_event["290002"])) == (InspectionKind.INTERIM, {"overall": "declined"})
    assert _grades(by_event["290004"]) == {"overall": "not-judged"}
    # a secure home's education judgement is read; code 0 is "not judged" and gives nothing
    assert _grades(by_event["290003"])["education"] is OfstedGrade.GOOD
    assert "education" not in _grades(by_event["290001"])


def test_a_numeric_code_outside_the_scale_is_reported_and_left_out():
    evidence = _read("2014-childrens-homes-numeric.csv")
    [problem] = evidence.diagnostics
    assert (problem.code, problem.location.row, problem.location.column) == ("RF322", 6, "Overall effectiveness")
    assert "overall" not in _grades(next(i for i in evidence.inspections if i.event == "290005"))


def test_the_2013_14_name_of_the_dual_registered_school_is_the_rss_childrens_home_kind():
    evidence = _read("2014-childrens-homes-numeric.csv")
    assert evidence.settings["SC100003"].kind.value == "rss-childrens-home"


def test_adequate_is_the_third_grade_and_an_sc_interim_is_an_interim_inspection():
    evidence = _read("2015-register.csv")
    full, interim = sorted(evidence.inspections, key=lambda i: i.date)
    assert _grades(full)["overall"] is RI and full.judgement("overall") == Judgement("overall", "Adequate", grade=RI)
    assert (interim.kind, _grades(interim)) == (InspectionKind.INTERIM, {"overall": "sustained"})


def test_a_blank_row_and_an_out_of_scope_provider_are_skipped_by_reason():
    [account] = _read("2015-register.csv").inputs
    assert (account.rows, account.accepted, account.rejected, account.skipped_by_reason) == (
        4, 2, 0, {"blank row": 1, "out-of-scope provision type": 1})
    assert account.by_provision_type == {"Children's Home": 2, "Independent Fostering Agency": 1}


def test_a_group_row_above_the_header_and_cp1252_text_are_read():
    evidence = _read("2018-register-group-row.csv")
    assert evidence.settings["SC100006"].owner == "St Mary\u2019s Trust"
    assert evidence.settings["SC100001"].owner == "Acme Care Ltd"
    assert [i.provenance.row for i in evidence.inspections] == [3, 5]  # the file's own lines, header on line 2


def test_sccif_names_of_2019_with_a_secure_homes_education_and_health_judgements():
    evidence = _read("2019-20-in-year.csv")
    secure = next(i for i in evidence.inspections if i.urn == "SC100002")
    assert _grades(secure) == {"overall": OfstedGrade.GOOD, "education": OfstedGrade.OUTSTANDING,
                               "health": RI, "protect": OfstedGrade.GOOD, "leaders": OfstedGrade.GOOD}
    kinds = [i.kind for i in evidence.inspections if i.urn == "SC100001"]
    assert kinds == [InspectionKind.FULL, InspectionKind.MONITORING, InspectionKind.INTERIM]


def test_only_judgements_with_an_sccif_node_become_evidence_items():
    items = [i for i in _read("2019-20-in-year.csv").items if i.setting == "SC100002"]
    assert sorted(i.references[0] for i in items) == ["sccif-ch.leaders", "sccif-ch.overall", "sccif-ch.protect"]


def test_title_rows_a_header_with_leading_line_breaks_and_previous_judgements():
    evidence = _read("2024-register-previous.csv")
    assert {e.urn: (e.as_at, e.as_at_inferred) for e in evidence.register} == {
        "SC100001": (dt.date(2024, 3, 31), False), "SC100002": (dt.date(2024, 3, 31), False)}
    latest, previous = [i for i in evidence.inspections if i.urn == "SC100001"]
    assert (latest.event, latest.date, _grades(latest)["overall"]) == ("10300001", dt.date(2023, 11, 14), RI)
    assert (previous.event, previous.date, _grades(previous)) == ("10090001", dt.date(2019, 6, 12), {
        "overall": OfstedGrade.INADEQUATE, "protect": OfstedGrade.INADEQUATE, "leaders": OfstedGrade.INADEQUATE})
    secure_previous = [i for i in evidence.inspections if i.urn == "SC100002"][1]
    assert _grades(secure_previous)["health"] is RI


def test_registration_status_and_dates_are_kept_on_the_setting():
    setting = _read("2024-register-previous.csv").settings["SC100001"]
    assert (setting.registration_status, setting.registered_on, setting.status_as_at, setting.owner) == (
        "Suspended", dt.date(2015, 10, 20), dt.date(2024, 3, 31), "Gamma Care Ltd")


def test_joiners_and_leavers_are_dated_registration_events_not_a_register():
    evidence = _read("joiners-leavers-2017.csv")
    assert [(r.urn, r.kind, r.on) for r in evidence.registrations] == [
        ("SC100007", RegistrationEventKind.REGISTERED, dt.date(2015, 5, 13)),
        ("SC100007", RegistrationEventKind.RESIGNED, dt.date(2016, 11, 30)),
        ("SC100007", RegistrationEventKind.CLOSED, dt.date(2016, 11, 30)),
    ]
    assert evidence.settings["SC100007"].closed_on == dt.date(2016, 11, 30)
    assert evidence.settings["SC100008"].registered_on is None  # "NULL" is blank, not a bad date


def test_a_leaving_date_takes_its_kind_from_the_status_and_the_status_column_dates_the_file():
    evidence = _read("joiners-leavers-2020.csv")
    assert [(r.urn, r.kind, r.on) for r in evidence.registrations if r.kind is not RegistrationEventKind.REGISTERED] == [
        ("SC100009", RegistrationEventKind.CANCELLED, dt.date(2020, 2, 14))]
    assert {e.urn: (e.registration_status, e.as_at) for e in evidence.register} == {
        "SC100001": ("Suspended", dt.date(2020, 3, 31)), "SC100009": ("Cancelled", dt.date(2020, 3, 31))}


def test_a_bad_urn_in_a_joiners_file_is_rejected_with_its_row_and_column():
    [problem] = _read("joiners-leavers-2017.csv").diagnostics
    assert (problem.code, problem.location.row, problem.location.column) == ("RF320", 5, "URN")


def test_closed_providers_with_database_names_close_settings_and_date_the_event():
    evidence = load_evidence([ERAS / "joiners-leavers-2020.csv", ERAS / "closed-providers.csv"], key=KEY)
    assert evidence.settings["SC100009"].closed_on == dt.date(2020, 2, 14)
    assert [c.urn for c in evidence.unmatched_closures] == ["SC100007"]


def test_title_dates_are_read_in_the_forms_ofsted_writes():
    assert title_date([["Children's social care data in England 2023 - Provider level as at 31 March 2023"]]) == \
        dt.date(2023, 3, 31)
    assert title_date([["Leavers and Joiners at 31 Mar 2022"]]) == dt.date(2022, 3, 31)
    assert title_date([["Provider level in year 2024-25"]]) is None


def test_every_column_of_every_fixture_is_mapped_or_listed_as_ignored():
    for path in sorted(ERAS.iterdir()):
        evidence = _read(path.name)
        assert [d for d in evidence.diagnostics if d.code == "RF352"] == [], path.name


def test_an_unknown_column_is_reported_not_guessed(tmp_path):
    path = tmp_path / "new-year.csv"
    text = (ERAS / "2019-20-in-year.csv").read_text(encoding="utf-8-sig").replace("Health services", "Wellbeing score")
    path.write_text(text, encoding="utf-8")
    problems = [d for d in _read_path(path).diagnostics if d.code == "RF352"]
    assert [(d.location.row, d.message) for d in problems] == [
        (1, "columns not in the providers-2019-20 era of the column table: 'wellbeing score'")]


def _read_path(path: Path):
    return read(path, IngestContext(key=KEY))


def test_the_era_is_chosen_by_the_columns_present_first_match_in_table_order():
    table = column_table()
    header = [squash(h) for h in ("URN", "Registration date", "Date closed", "Leaver status")]
    assert table.era_of(header).id == "joiners-leavers-2018-19"
    assert table.era_of(["urn", "provision type"]) is None
    era = table.era_of(["urn", "close_date"])
    assert layout(era, ["urn", "provider_status", "close_date"], table.ignored).fields == {
        "urn": 0, "registration_status": 1, "left": 2}


# ---- the ODS workbook (2025), built here in the layout Ofsted's has

_NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
       'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
       'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def _cell(value: str) -> str:
    if value.startswith("date:"):
        return f'<table:table-cell office:value-type="date" office:date-value="{value[5:]}"/>'
    if value.startswith("num:"):
        return f'<table:table-cell office:value-type="float" office:value="{value[4:]}"/>'
    if not value:
        return "<table:table-cell/>"
    return f'<table:table-cell office:value-type="string"><text:p>{value}</text:p></table:table-cell>'


def _row(*values: str, repeat: int = 1) -> str:
    extra = f' table:number-rows-repeated="{repeat}"' if repeat > 1 else ""
    return f"<table:table-row{extra}>" + "".join(_cell(v) for v in values) + "</table:table-row>"


def _workbook(path: Path, tables: dict[str, list[str]], prolog: str = "") -> Path:
    body = "".join(f'<table:table table:name="{name}">{"".join(rows)}</table:table>' for name, rows in tables.items())
    content = (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<office:document-content {_NS}><office:body>'
               f"<office:spreadsheet>{body}</office:spreadsheet></office:body></office:document-content>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ods.ODS_MIMETYPE)
        archive.writestr("content.xml", content)
    return path


HEADER_2025 = ("Web link", "URN", "Provision type", "Registration date", "Registration status", "Name", "Places",
               "Organisation which owns the provider", "<text:line-break/>Latest Full inspection event type",
               "Latest full inspection date", "Latest full inspection event number",
               "Overall experiences and progress of children and young people",
               "How well children and young people are helped and protected", "The effectiveness of leaders and managers")


def _ofsted_workbook(path: Path) -> Path:
    return _workbook(path, {
        "Cover": [_row("Cover sheet"), _row("Published on:", "date:2025-07-16")],
        "Provider_level_at_31_Mar_2025": [
            _row("Children's social care data in England 2025 \u2013 Provider level as at 31 March 2025"),
            _row("This worksheet contains one table."), _row(""),
            _row(*HEADER_2025),
            _row("Ofsted Social Care Provider Webpage", "num:1234567", "Children's home", "date:2020-06-25", "Active",
                 "REDACTED", "num:3", "Zone<text:s text:c=\"2\"/>Care Ltd", "Full inspection", "date:2024-11-05",
                 "num:10360658", "Good", "Good", "Requires improvement to be good"),
            _row(),
            _row("Ofsted Social Care Provider Webpage", "num:7654321", "Supported Accommodation", "date:2023-07-25",
                 "Active", "Homes Ltd", "num:7", "Homes Ltd", "", "", "", "", "", ""),
            _row(repeat=1_000_000),  # the trailing empty rows LibreOffice writes
        ],
    })


def test_an_ods_workbooks_provider_sheet_is_found_by_content_and_read_like_the_csv(tmp_path):
    path = _ofsted_workbook(tmp_path / "release.ods")
    assert detect_format(path) is Format.OFSTED_ODS
    evidence = read(path, IngestContext(key=KEY))
    [account] = evidence.inputs
    assert (account.path, account.format, account.rows, account.accepted, account.skipped_by_reason) == (
        f"{path}#Provider_level_at_31_Mar_2025", "ofsted-ods", 3, 1,
        {"blank row": 1, "out-of-scope provision type": 1})
    setting = evidence.settings["1234567"]
    assert (setting.owner, setting.places, setting.registered_on, setting.status_as_at) == (
        "Zone  Care Ltd", 3, dt.date(2020, 6, 25), dt.date(2025, 3, 31))
    [inspection] = evidence.inspections
    assert (inspection.event, inspection.date, _grades(inspection)["leaders"]) == ("10360658", dt.date(2024, 11, 5), RI)
    assert (inspection.provenance.sheet, inspection.provenance.row) == ("Provider_level_at_31_Mar_2025", 5)
    assert [(d.code, d.message) for d in evidence.diagnostics] == [("RF353", "Cover")]


def test_an_ods_row_repeated_a_million_times_with_values_stops_at_the_row_limit(tmp_path):
    path = _workbook(tmp_path / "bomb.ods", {"S": [_row("URN", "Provision type", "Registration status", "Places"),
                                                     _row("SC123456", "Children's home", "Active", "1", repeat=900_000)]})
    problems: list = []
    rows = sum(1 for sheet in ods.sheets(path, problems, ods.Limits(max_rows=1000)) for _ in sheet.rows)
    assert rows == 1000
    assert [(d.code, d.location.sheet, d.location.row) for d in problems] == [("RF351", "S", 1001)]


def test_an_ods_with_a_doctype_is_refused_and_broken_xml_is_reported_with_rows_kept(tmp_path):
    hostile = _workbook(tmp_path / "hostile.ods", {"S": [_row("x")]}, prolog='<!DOCTYPE x [<!ENTITY a "b">]>')
    evidence = read(hostile, IngestContext(key=KEY))
    assert [d.code for d in evidence.diagnostics] == ["RF102", "RF321"]  # DOCTYPE refused; so no table read
    assert [(f.rows, f.accepted) for f in evidence.inputs] == [(0, 0)]
    broken = tmp_path / "broken.ods"
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("mimetype", ods.ODS_MIMETYPE)
        archive.writestr("content.xml", f'<office:document-content {_NS}><office:body><office:spreadsheet>'
                         '<table:table table:name="S"><table:table-row><table:table-cell office:value-type="string">'
                         "<text:p>URN</text:p></table:table-cell></table:table-row><table:table-row>")
    problems: list = []
    rows = [row for sheet in ods.sheets(broken, problems) for row in sheet.rows]
    assert rows == [(1, ["URN"])]
    assert [d.code for d in problems] == ["RF350"]


def test_a_file_that_is_not_a_zip_is_not_an_ods(tmp_path):
    path = tmp_path / "x.ods"
    path.write_bytes(b"not a zip")
    assert ods.is_ods(path) is False


def test_2013_14_other_settings_read_a_residential_special_schools_own_judgement_columns():
    evidence = _read("2013-14-other-settings.csv")
    school = next(i for i in evidence.inspections if i.urn == "SC200001")
    assert _grades(school) == {"overall": OfstedGrade.GOOD, "outcomes": OfstedGrade.OUTSTANDING,
                               "care": OfstedGrade.GOOD, "protect": OfstedGrade.INADEQUATE, "leaders": RI}
    visit = next(i for i in evidence.inspections if i.urn == "SC200003")
    assert (visit.kind, _grades(visit)) == (InspectionKind.MONITORING, {"overall": "standards-not-met"})
    assert evidence.settings["SC200001"].name == "Grange Children\u2019s School"  # cp1252 0x92
    assert evidence.inputs[0].skipped_by_reason == {"out-of-scope provision type": 1}  # the boarding school


def test_registers_without_dates_or_inspections_are_read_and_left_undated():
    sept_2014 = _read("register-sept-2014.csv")
    assert (sept_2014.settings["SC100001"].places, sept_2014.settings["SC100001"].status_as_at) == (4, None)
    assert [e.as_at for e in sept_2014.register] == [None]
    part_two = _read("register-without-inspections-2018.csv")
    assert (part_two.settings["SC100001"].owner, part_two.inspections) == ("Acme Care Ltd", [])


def test_the_2018_19_joiners_file_dates_a_leaving_by_its_status():
    evidence = _read("joiners-leavers-2019.csv")
    assert [(r.kind, r.on) for r in evidence.registrations] == [
        (RegistrationEventKind.REGISTERED, dt.date(2015, 10, 25)), (RegistrationEventKind.RESIGNED, dt.date(2018, 9, 6))]
    assert evidence.settings["SC100010"].status_as_at == dt.date(2019, 3, 31)  # "... at 31 March 2019"


def test_the_column_table_names_only_known_tables_scales_kinds_and_grades():
    from regframe.evidence.model import InspectionKind as Kinds
    from regframe.framework.model import SettingKind as Settings

    table = column_table()
    fields = {"urn", "education_urn", "provision_type", "registration_date", "registration_status", "name",
              "local_authority", "region", "sector", "places", "owner", "registered", "resigned", "closed",
              "cancelled", "left"}
    for era in table.era:
        assert era.table in {"providers", "registration-events", "closures"}, era.id
        assert era.scale in table.scales, era.id
        assert set(era.columns) <= fields, era.id
        assert set(era.inspections) <= {"latest", "previous"}, era.id
        every_alias = [a for aliases in era.columns.values() for a in aliases] + era.recognise
        assert all(alias == squash(alias) for alias in every_alias), era.id  # written squashed, as compared
    assert {Settings(kind) for kind in table.provision_types.values()} <= set(Settings)
    assert {Kinds(kind) for kind in table.event_kinds.values()} <= set(Kinds)
    for scale in table.scales.values():
        assert {OfstedGrade(grade) for grade in scale.grades.values()} <= set(OfstedGrade)
        assert scale.confidence in {"confirmed", "confirmed-from-data", "secondary", "unconfirmed"}
    assert len({era.id for era in table.era}) == len(table.era)


def test_a_provision_type_change_is_dated_between_the_registers(tmp_path):
    from regframe.evidence.history import Change, build_histories

    header = "URN,Provision type,Registration status,Places\n"
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("Provider level as at 31 March 2019\n" + header + "SC300001,Children's home,Active,4\n")
    second.write_text("Provider level as at 31 March 2020\n" + header +
                      "SC300001,Residential special school (registered as a children's home),Active,4\n")
    evidence = load_evidence([second, first], key=KEY)
    history = build_histories(evidence)["SC300001"]
    assert history.changes_of("provision_type") == (Change(
        "provision_type", "Children's home", "Residential special school (registered as a children's home)",
        dt.date(2020, 3, 31), dt.date(2019, 3, 31)),)
    assert evidence.settings["SC300001"].kind.value == "rss-childrens-home"  # the later register's, either order
