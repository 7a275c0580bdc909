"""Annex A List 8: headers found through an alias table, in-scope placements and their visits kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest

from regframe.evidence.pseudonym import PseudonymKey, pseudonymise
from regframe.framework.model import SettingKind
from regframe.ingest import IngestContext, load_evidence
from regframe.ingest.annex_a import ALIASES, read
from regframe.ingest.cells import header_key
from tests.conftest import SHARED_DATA

SHARED = SHARED_DATA / "annex_a" / "liia-tools_Annex_A.xlsx"
KEY = PseudonymKey.from_text("a test key of sixteen+ characters")
CONTEXT = IngestContext(key=KEY, la_code="926")

HEADERS = ["Child Unique ID", "Gender", "Date of Birth", "DOES THE CHILD HAVE A DISABILITY",
           "Child's  Category of Need", "Child's Legal Status", "Date of latest statutory review",
           "date of last social work visit", "Date of Last IRO Visit / Contact to the Child",
           "Start Date of Most Recent Placement", "Placement Type", "Placement Provider", "Placement postcode",
           "URN of\xa0Placement", "LA of Placement"]


def annex_a(tmp_path: Path, rows: list[list]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.active.title = "List 1"
    sheet = workbook.create_sheet("List 8")
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    path = tmp_path / "annex_a.xlsx"
    workbook.save(path)
    return path


ROWS = [
    [501, "a) Male", dt.date(2010, 1, 1), "a) Yes", "N2 - Child's disability", "V2: Single period of accommodation",
     dt.datetime(2024, 1, 12), dt.datetime(2024, 2, 6), dt.datetime(2024, 1, 12), dt.datetime(2022, 3, 1),
     "c) K2: Children's homes", "e) PR4 - Private provision", "DN1 1AA", "SC045099", "Doncaster"],
    [502, "b) Female", dt.date(2009, 1, 1), "b) No", "N1 - Abuse or Neglect", "C2: FCO", None, "06/02/2024", None,
     dt.datetime(2021, 9, 1), "f) U6: Foster placement - not FFA", "b) PR1 - Own provision", "T28 2WB", None, "Home"],
    [503, "a) Male", dt.date(2011, 1, 1), "a) Yes", "N2", "V2", None, "not known", None, dt.datetime(2023, 1, 9),
     "S1: Residential school", "PR5", None, "1234567", "Kent"],
    [504, "a) Male", dt.date(2011, 1, 1), "a) Yes", "N2", "V2", None, None, None, dt.datetime(2023, 1, 9),
     "K2", "PR4", None, None, "Kent"],
    [505, "a) Male", dt.date(2011, 1, 1), "a) Yes", "N2", "V2", None, None, None, dt.datetime(2023, 1, 9),
     "Q7: made up", "PR4", None, "SC000001", "Kent"],
]


def test_in_scope_children_become_placements_with_codes_from_labelled_values(tmp_path):
    evidence = read(annex_a(tmp_path, ROWS), CONTEXT)
    assert [(p.child, p.setting, p.start, p.placement_type, p.provider_type, p.legal_status, p.category_of_need,
             p.placing_la) for p in evidence.placements] == [
        (pseudonymise(KEY, "926", "501"), "SC045099", dt.date(2022, 3, 1), "K2", "PR4", "V2", "N2", "926"),
        (pseudonymise(KEY, "926", "503"), "1234567", dt.date(2023, 1, 9), "S1", "PR5", "V2", "N2", "926"),
    ]
    assert {urn: (s.kind, s.local_authority) for urn, s in evidence.settings.items()} == {
        "SC045099": (SettingKind.CHILDRENS_HOME, "Doncaster"),
        "1234567": (SettingKind.RESIDENTIAL_SPECIAL_SCHOOL, "Kent"),
    }


def test_visits_and_reviews_become_items_with_their_cells(tmp_path):
    evidence = read(annex_a(tmp_path, ROWS), CONTEXT)
    assert [(i.kind, i.setting, i.observed, i.provenance.cell) for i in evidence.items] == [
        ("ek.statutory-visit", "SC045099", dt.date(2024, 2, 6), "H2"),
        ("ek.iro-review", "SC045099", dt.date(2024, 1, 12), "I2"),
        ("ek.iro-review", "SC045099", dt.date(2024, 1, 12), "G2"),
    ]


def test_bad_rows_and_cells_are_reported_out_of_scope_children_counted(tmp_path):
    path = annex_a(tmp_path, ROWS)
    evidence = read(path, CONTEXT)
    assert [(d.code, str(d.location)) for d in evidence.diagnostics] == [
        ("RF421", f"{path}!List 8!H4"),  # "not known" as a visit date: dropped, row kept
        ("RF422", f"{path}!List 8!N5"),  # K2 without a URN
        ("RF421", f"{path}!List 8!K6"),  # Q7 is no placement type
    ]
    assert evidence.notes == ["annex_a.xlsx: 1 children in care outside regframe's residential scope (U6 1)"]
    assert [(f.accepted, f.rejected, f.skipped) for f in evidence.inputs] == [(2, 2, 1)]


def test_header_variants_are_data_in_the_alias_table():
    for header in HEADERS:
        if header in ("Gender", "Date of Birth", "Placement postcode"):
            continue
        assert any(header_key(header) in {header_key(a) for a in accepted} for accepted in ALIASES.values()), header
    assert "date of birth" not in {a.casefold() for accepted in ALIASES.values() for a in accepted}


def test_no_date_of_birth_postcode_or_raw_id_is_kept(tmp_path):
    evidence = read(annex_a(tmp_path, ROWS), CONTEXT)
    text = repr((evidence.placements, evidence.items, list(evidence.settings.values()), evidence.notes))
    for secret in ("'501'", "2010-01-01", "DN1 1AA", "T28 2WB"):
        assert secret not in text


def test_a_workbook_without_list_8_is_reported(tmp_path):
    path = tmp_path / "lists.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "List 8"
    workbook.active.append(["Something else"])
    workbook.save(path)
    assert [d.code for d in read(path, CONTEXT).diagnostics] == ["RF420"]


@pytest.mark.skipif(not SHARED.is_file(), reason="shared data not present")
def test_shared_annex_a_has_five_children_in_care_none_in_a_residential_setting():
    evidence = load_evidence([SHARED], key=KEY)
    assert evidence.placements == [] and evidence.items == []
    assert evidence.notes[-1] == ("liia-tools_Annex_A.xlsx: 5 children in care outside regframe's residential "
                                  "scope (H5 1, U1 1, U4 1, U6 2)")
    assert [d.code for d in evidence.diagnostics] == []  # no child was pseudonymised, so no LA was needed
    # the other ten lists' 54 rows are counted as unused: 5 + 54 = the 59 rows below the sheets' headers
    assert [(f.format, f.accepted, f.rejected, f.skipped, f.blank, f.unused, f.rows) for f in evidence.inputs] == [
        ("annex-a", 0, 0, 5, 0, 54, 59)]


def test_a_damaged_child_id_cell_skips_its_row_and_the_rest_are_kept(tmp_path):
    import re

    from tests.io.xlsx_build import part, rewrite

    path = annex_a(tmp_path, ROWS)
    xml = part(path, "xl/worksheets/sheet2.xml").decode()
    xml, count = re.subn(r'<c r="A2"[^>]*>.*?</c>', '<c r="A2" t="n"><v>5O1</v></c>', xml, count=1)
    assert count == 1
    path = rewrite(path, tmp_path / "damaged.xlsx", {"xl/worksheets/sheet2.xml": xml})
    evidence = read(path, CONTEXT)
    assert [str(d) for d in evidence.diagnostics][:2] == [
        f"{path}!List 8!A2: warning RF403: cell A2 is a number cell holding '5O1', which is not a number; its value "
        "was not read",
        f"{path}!List 8!A2: warning RF421: the child id cell could not be read; row skipped",
    ]
    assert [p.provenance.cell for p in evidence.placements] == ["A4"]  # 503, as without the damage


def test_a_list_8_sheet_broken_before_any_row_is_in_the_accounting_and_the_other_sheets_still_counted(tmp_path):
    """XML broken before the first row: the sheet is refused, and its row tags are stated as not read."""
    from regframe.evidence import NotRead
    from tests.io.xlsx_build import part, rewrite

    path = tmp_path / "lists.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.title = "List 8"
    workbook.active.append(["Child Unique ID", "Placement Type"])
    workbook.active.append(["c1", "K2: Children's Homes"])
    other = workbook.create_sheet("List 1")
    other.append(["Child Unique ID"])
    other.append(["c2"])
    workbook.save(path)
    xml = part(path, "xl/worksheets/sheet1.xml").decode().replace("<sheetData>", '<sheetData a="1" a="2">', 1)
    path = rewrite(path, tmp_path / "broken.xlsx", {"xl/worksheets/sheet1.xml": xml})
    found = read(path, CONTEXT).inputs[0]
    assert found.not_read == (NotRead("List 8", "RF402", 0, 2, "A1:B2"),)
    assert (found.rows, found.unused, found.accepted) == (1, 1, 0)  # List 1's one row below its header
