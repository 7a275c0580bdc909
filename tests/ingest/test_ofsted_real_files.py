"""Every real Ofsted file since 2013-14 read, every row accounted for, counts as an independent reading finds them.

``ofsted_real/expected_counts.json`` was written by ``ofsted_real/count_independently.py``: the
csv module (and python-calamine for the ODS workbook), sharing no code with regframe's reader.
These tests skip where ``../shared/data`` is absent; ``test_ofsted_eras.py`` covers each era on
fixtures of our own.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from collections import Counter

import pytest

from regframe.cli import main
from regframe.evidence.pseudonym import PseudonymKey
from regframe.ingest import IngestContext, detect_format
from regframe.ingest.ofsted_csv import BLANK_ROW, read
from regframe.io.formats import Format
from tests.conftest import SHARED_DATA, TESTS, shared_data

EXPECTED = json.loads((TESTS / "ingest" / "ofsted_real" / "expected_counts.json").read_text(encoding="utf-8"))
KEY = PseudonymKey.from_text("test-key-0123456789")


def _tables() -> list[tuple[str, str | None]]:
    """(file, sheet) for every table the independent count found: each CSV, each ODS sheet with a URN column."""
    tables: list[tuple[str, str | None]] = []
    for name, counts in EXPECTED.items():
        if name.endswith(".ods"):
            tables.extend((name, sheet) for sheet in counts)
        else:
            tables.append((name, None))
    return tables


@functools.cache
def _read(name: str):
    return read(shared_data("ofsted", *name.split("/")), IngestContext(key=KEY))


@pytest.mark.parametrize(("name", "sheet"), _tables(), ids=lambda value: value or "-")
def test_each_real_table_counts_as_the_independent_reading_counts(name, sheet):
    evidence = _read(name)
    path = str(SHARED_DATA.joinpath("ofsted", *name.split("/")))
    [account] = [f for f in evidence.inputs if f.path == (f"{path}#{sheet}" if sheet else path)]
    expected = EXPECTED[name][sheet] if sheet else EXPECTED[name]
    assert account.rows == expected["rows"]
    assert account.skipped_by_reason.get(BLANK_ROW, 0) == expected["blank"]
    assert account.by_provision_type == expected["by_provision_type"]
    assert account.by_status == expected["by_status"]
    assert account.accepted + account.rejected + account.skipped == account.rows
    assert sum(account.skipped_by_reason.values()) == account.skipped


@pytest.mark.parametrize("name", list(EXPECTED), ids=str)
def test_each_real_file_is_recognised_by_content_and_has_no_column_the_table_does_not_know(name):
    path = shared_data("ofsted", *name.split("/"))
    assert detect_format(path) in (Format.OFSTED_CSV, Format.OFSTED_ODS)
    codes = Counter(d.code for d in _read(name).diagnostics)
    # RF353: the workbook's cover and time-series sheets, named; RF407: its web links (below), information only
    assert codes.keys() <= ({"RF353", "RF407"} if name.endswith(".ods") else {"RF353"}), codes


def test_the_2025_workbooks_web_links_are_one_notice_per_sheet_and_its_image_is_inside_it():
    notices = [(d.severity.value, d.location.sheet, d.location.row, d.message)
               for d in _read("history/provider_at_march_2025.ods").diagnostics if d.code == "RF407"]
    assert notices == [
        ("info", "Cover", 15, "part content.xml, sheet 'Cover': 4 link(s) to web addresses (the first: "
                              "'mailto:pressenquiries@ofsted.gov.uk', a hyperlink at row 15); never followed"),
        ("info", "Guidance", 22, "part content.xml, sheet 'Guidance': 4 link(s) to web addresses (the first: "
                                 "'https://www.gov.uk/government/publications/ofsted-standards-for-official-statistics'"
                                 ", a hyperlink at row 22); never followed")]


def test_the_one_real_row_with_a_null_date_is_read_as_undated_not_rejected():
    evidence = _read("joiners_leavers/joiners_leavers_17.csv")
    assert evidence.inputs[0].rejected == 0
    assert evidence.settings["SC441973"].registered_on is None


def test_the_2025_workbook_sheets_are_picked_by_content():
    evidence = _read("history/provider_at_march_2025.ods")
    assert [f.path.split("#")[1] for f in evidence.inputs] == [
        "Provider_level_at_31_Mar_2025", "Provider_level_in_year_2024-25", "Providers+places_at_31_Mar_2025",
        "SA_Premises_at_31_Mar_2025", "Leavers+Joiners_at_31_Mar_2025"]
    [passed_over] = [d for d in evidence.diagnostics if d.code == "RF353"]
    assert passed_over.message == ("Cover, Contents, Guidance, Notes, Meta-data, Providers+places_Time_series, "
                                   "Latest_OE_31_Mar_Time_Series, In_Year_Time_series")


def test_the_workbook_and_its_csv_release_give_the_same_register():
    workbook = _read("history/provider_at_march_2025.ods")
    release = _read("history/provider_at_march_2025.csv")
    sheet = {e for e in workbook.register if e.provenance.sheet == "Provider_level_at_31_Mar_2025"}
    assert {(e.urn, e.as_at, e.registration_status, e.owner) for e in sheet} == {
        (e.urn, e.as_at, e.registration_status, e.owner) for e in release.register}


def test_previous_judgements_of_2024_are_read_as_the_previous_inspection():
    """Each in-scope row with a previous full inspection gives two inspections; ~9,950 cells were dropped before."""
    path = shared_data("ofsted", "history", "provider_at_march_2024.csv")
    rows = list(csv.DictReader(io.StringIO(path.read_bytes().decode("cp1252").split("\n", 3)[3], newline="")))
    in_scope = {"children's home", "secure children's home", "residential special school",
                "residential special school (registered as a children's home)"}
    rows = [row for row in rows if row["Provision type"].strip().lower() in in_scope]
    with_previous = sum(1 for row in rows if row["Previous full inspection event date"].strip())
    evidence = _read("history/provider_at_march_2024.csv")
    assert Counter(Counter(i.provenance.row for i in evidence.inspections).values())[2] == with_previous
    previous = {(row["URN"], row["Previous full inspection event number"]) for row in rows
                if row["Previous full inspection event date"].strip()}
    assert previous <= {i.key for i in evidence.inspections}


def test_evidence_summary_reads_every_file_of_both_history_folders(capsys, monkeypatch):
    monkeypatch.setenv("REGFRAME_PSEUDONYM_KEY", "test-key-0123456789")
    history, in_year = shared_data("ofsted", "history"), shared_data("ofsted", "in_year_history")
    code = main(["evidence", "summary", "--format", "json", str(history), str(in_year)])
    out, err = capsys.readouterr()
    rows = json.loads(out)
    read = {row["name"]: row["count"] for row in rows if row["section"] == "rows read"}
    assert len(read) == 10 + 5 + 9  # 10 CSV files, the workbook's 5 tables, 9 in-year files
    assert "RF301" not in err and "RF304" not in err
    assert code == 0
    inspections = {row["name"]: row["count"] for row in rows if row["section"] == "inspections by kind"}
    assert inspections.keys() == {"full", "interim", "monitoring", "assurance", "emergency"}
