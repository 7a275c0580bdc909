"""Ofsted's official statistics CSVs: provider register, in-year inspections, closed homes, with every published quirk."""

from __future__ import annotations

import datetime as dt
import shutil
from collections import Counter
from pathlib import Path

from regframe.core.diagnostics import Location
from regframe.evidence import OfstedGrade, Outcome, OutcomeKind, Setting, Source
from regframe.evidence.pseudonym import PseudonymKey
from regframe.framework.model import Independence, SettingKind
from regframe.ingest import IngestContext, load_evidence
from regframe.ingest.ofsted_csv import normal_urn, parse_date, read
from regframe.io.formats import detect_encoding
from tests.conftest import TESTS, shared_data

FIXTURES = TESTS / "fixtures" / "evidence"
AT_31_AUG = FIXTURES / "ofsted-at-31-aug.csv"   # UTF-8 with BOM, trailing empty columns
IN_YEAR = FIXTURES / "ofsted-in-year.csv"       # cp1252
CLOSED = FIXTURES / "ofsted-closed.csv"
KEY = PseudonymKey.from_text("test-key-0123456789")


def _read(path: Path):
    return read(path, IngestContext(key=KEY))


def _kinds(evidence) -> dict[str, SettingKind]:
    return {urn: s.kind for urn, s in evidence.settings.items()}


def test_provision_types_map_to_setting_kinds_in_either_case():
    assert _kinds(_read(AT_31_AUG)) == {
        "SC123456": SettingKind.CHILDRENS_HOME,          # "Children's home"
        "1234567": SettingKind.CHILDRENS_HOME,           # "Children's Home", seven-digit URN
        "SC654321": SettingKind.SECURE_CHILDRENS_HOME,
        "SC048552": SettingKind.RSS_CHILDRENS_HOME,      # dual-registered
        "SC046577": SettingKind.RESIDENTIAL_SPECIAL_SCHOOL,  # "Residential Special School"
    }


def test_out_of_scope_provision_is_skipped_not_rejected():
    [input_file] = _read(AT_31_AUG).inputs
    assert (input_file.accepted, input_file.rejected, input_file.skipped) == (5, 2, 1)


def test_a_bom_and_trailing_empty_columns_do_not_disturb_the_header():
    assert AT_31_AUG.read_bytes().startswith(b"\xef\xbb\xbf")
    setting = _read(AT_31_AUG).settings["SC123456"]
    assert setting == Setting(
        urn="SC123456", kind=SettingKind.CHILDRENS_HOME, name="", provision_type="Children's home",
        local_authority="Leeds", region="North West", sector="Private", places=4, owner="Acme Care Ltd",
        registration_status="Active", registered_on=dt.date(2015, 10, 20),
        status_as_at=dt.date(2023, 3, 15),  # no title states the date: the latest date in the file
    )


def test_redacted_names_are_blank_and_real_names_are_kept():
    settings = _read(AT_31_AUG).settings
    assert (settings["SC123456"].name, settings["SC046577"].name) == ("", "Hill School")


def test_a_linked_education_urn_is_kept():
    assert _read(AT_31_AUG).settings["SC048552"].education_urn == "145678"


def test_bad_urns_and_impossible_dates_reject_the_row_with_row_and_column():
    problems = _read(AT_31_AUG).diagnostics
    assert [(d.code, d.location) for d in problems] == [
        ("RF320", Location(file=str(AT_31_AUG), row=8, column="URN")),
        ("RF320", Location(file=str(AT_31_AUG), row=9, column="Registration date")),
    ]


def test_urns_are_sc_and_six_digits_or_seven_digits():
    assert [normal_urn(u) for u in ("SC123456", " sc123456 ", "1234567", "SC12345", "123456", "XX123456")] == [
        "SC123456", "SC123456", "1234567", None, None, None]


def test_dates_are_day_first():
    assert parse_date("04/02/2014") == dt.date(2014, 2, 4)
    assert parse_date("") is None


def test_each_latest_judgement_becomes_an_ofsted_grade_item_citing_the_sccif_judgement():
    items = [i for i in _read(AT_31_AUG).items if i.setting == "SC123456"]
    assert [(i.id, i.references, i.outcome) for i in items] == [
        ("ofsted:SC123456:10200001:overall", ("sccif-ch.overall",), Outcome(OutcomeKind.GRADE, grade=OfstedGrade.GOOD)),
        ("ofsted:SC123456:10200001:protect", ("sccif-ch.protect",),
         Outcome(OutcomeKind.GRADE, grade=OfstedGrade.REQUIRES_IMPROVEMENT)),
        ("ofsted:SC123456:10200001:leaders", ("sccif-ch.leaders",), Outcome(OutcomeKind.GRADE, grade=OfstedGrade.GOOD)),
    ]
    assert {(i.source, i.kind, i.independence, i.observed) for i in items} == {
        (Source.OFSTED, "ek.ofsted-judgement", Independence.REGULATOR, dt.date(2023, 2, 28))}


def test_residential_special_schools_cite_sccif_rss_and_dual_registered_homes_sccif_ch():
    refs = Counter()
    for item in _read(AT_31_AUG).items:
        refs[(item.setting, item.references[0].split(".")[0])] += 1
    assert refs == Counter({("SC123456", "sccif-ch"): 3, ("SC654321", "sccif-ch"): 3, ("SC048552", "sccif-ch"): 3,
                            ("SC046577", "sccif-rss"): 3})


def test_a_setting_never_inspected_has_no_judgement_items():
    assert [i for i in _read(AT_31_AUG).items if i.setting == "1234567"] == []


def test_the_in_year_file_is_cp1252_detected_from_its_bytes():
    assert detect_encoding(IN_YEAR) == "cp1252"
    assert _read(IN_YEAR).settings["SC223344"].owner == "Caf\u00e9 Homes Ltd"


def test_the_encoding_and_format_come_from_content_not_the_file_name(tmp_path):
    renamed = tmp_path / "inspections.dat"
    shutil.copy(IN_YEAR, renamed)
    evidence = load_evidence([renamed], key=KEY)
    assert evidence.settings["SC223344"].owner == "Caf\u00e9 Homes Ltd"
    assert evidence.diagnostics == []


def test_the_in_year_file_gives_every_inspection_using_its_inspection_date_column():
    items = _read(IN_YEAR).items
    assert [(i.id, i.observed, i.summary) for i in items if i.references == ("sccif-ch.overall",)] == [
        ("ofsted:SC123456:10200001:overall", dt.date(2023, 2, 28), "Full inspection"),
        ("ofsted:SC123456:10200009:overall", dt.date(2023, 6, 5), "Emergency inspection"),  # "SC \u2013 Emergency inspection"
    ]


def test_an_assurance_visit_without_judgements_gives_no_items_but_keeps_the_setting():
    evidence = _read(IN_YEAR)
    assert "SC223344" in evidence.settings
    assert [i for i in evidence.items if i.setting == "SC223344"] == []


def test_closures_apply_to_settings_known_from_other_files_in_either_order():
    for order in ([AT_31_AUG, CLOSED], [CLOSED, AT_31_AUG]):
        evidence = load_evidence(order, key=KEY)
        assert evidence.settings["SC123456"].closed_on == dt.date(2023, 3, 31)
        assert evidence.settings["SC123456"].registration_status == "Resigned"
        assert evidence.settings["SC123456"].kind is SettingKind.CHILDRENS_HOME
        assert [c.urn for c in evidence.unmatched_closures] == ["2000001"]


def test_a_closed_homes_row_with_a_bad_urn_is_rejected():
    evidence = _read(CLOSED)
    assert [(d.code, d.location.row) for d in evidence.diagnostics] == [("RF320", 4)]
    assert (evidence.inputs[0].accepted, evidence.inputs[0].rejected) == (2, 1)


def test_the_real_register_at_31_august_2023_counts():
    evidence = load_evidence([shared_data("ofsted", "Provider_level_at_31_Aug_2023.csv")], key=KEY)
    assert Counter(s.kind for s in evidence.settings.values()) == Counter({
        SettingKind.CHILDRENS_HOME: 2930,
        SettingKind.RESIDENTIAL_SPECIAL_SCHOOL: 110,
        SettingKind.RSS_CHILDRENS_HOME: 56,
        SettingKind.SECURE_CHILDRENS_HOME: 13,
    })
    [input_file] = evidence.inputs
    assert (input_file.accepted, input_file.rejected, input_file.skipped) == (3109, 0, 552)
    assert evidence.diagnostics == []


def test_the_real_in_year_file_reads_without_problems():
    evidence = load_evidence([shared_data("ofsted", "Provider_level_in_year_2022-23.csv")], key=KEY)
    assert evidence.diagnostics == []
    assert evidence.inputs[0].accepted + evidence.inputs[0].skipped == 4338


def test_the_real_register_and_in_year_file_together_count_each_inspection_once():
    """The two files overlap by design: inspections made in the year also appear in the 31 August register."""
    register = shared_data("ofsted", "Provider_level_at_31_Aug_2023.csv")
    in_year = shared_data("ofsted", "Provider_level_in_year_2022-23.csv")
    alone = [load_evidence([path], key=KEY) for path in (register, in_year)]
    together = load_evidence([register, in_year], key=KEY)
    assert [(d.code, d.message.split(" inspection(s)")[0]) for d in together.diagnostics] == [("RF303", "2613")]
    assert len(together.inspections) == sum(len(a.inspections) for a in alone) - 2613
    assert len(together.items) == sum(len(a.items) for a in alone) - 7835  # 2613 inspections' graded judgements
    assert len({item.id for item in together.items}) == len(together.items)
