"""An Ofsted ODS sheet read only up to damage or a limit is an InputFile.not_read entry; the rows before it are kept."""

from __future__ import annotations

from regframe.evidence.model import NotRead
from regframe.evidence.pseudonym import PseudonymKey
from regframe.ingest import IngestContext
from regframe.ingest.ofsted_csv import read
from tests.io.ods_build import cell, content, row, workbook

CONTEXT = IngestContext(key=PseudonymKey.from_text("test-key-0123456789"))
HEADER = ("URN", "Provision type", "Registration date", "Registration status", "Name", "Places",
          "Organisation which owns the provider")
SHEET = "Provider_level_at_31_Mar_2025"


def home(urn: str) -> str:
    date = '<table:table-cell office:value-type="date" office:date-value="2020-06-25"/>'
    return row(cell(f"num:{urn}"), "Children's home", date, "Active", "REDACTED", cell("num:3"), "Homes Ltd")


def test_a_provider_sheet_damaged_part_way_keeps_its_rows_and_names_the_rest_as_not_read(tmp_path):
    text = content({"Cover": [row("Cover sheet")],
                    SHEET: [row(*HEADER), home("1234561"), home("1234562"), home("1234563"), home("1234564")]})
    broken = text.replace(home("1234563"), '<table:table-row table:a="1" table:a="2"/>')
    path = workbook(tmp_path / "release.ods", {}, parts={"content.xml": broken})
    evidence = read(path, CONTEXT)
    [account] = evidence.inputs
    assert (account.path, account.rows, account.accepted) == (f"{path}#{SHEET}", 2, 2)
    assert sorted(evidence.settings) == ["1234561", "1234562"]
    assert account.not_read == (NotRead(SHEET, "RF350", 3, None, None),)
    assert account.not_read[0].describe() == (f"sheet {SHEET!r} read to row 3 only (RF350): the rows after it not "
                                              "read, how many unknown")
    assert [(d.code, d.location.sheet, d.location.row) for d in evidence.diagnostics] == [
        ("RF350", SHEET, 4), ("RF353", None, None)]


def test_a_sheet_read_whole_has_no_not_read_entry(tmp_path):
    path = workbook(tmp_path / "release.ods", {SHEET: [row(*HEADER), home("1234561")]})
    [account] = read(path, CONTEXT).inputs
    assert (account.rows, account.accepted, account.not_read) == (1, 1, ())


def test_damage_before_any_header_is_named_on_the_workbooks_account(tmp_path):
    text = content({SHEET: [row("a title"), row(*HEADER), home("1234561")]})
    broken = text.replace(row(*HEADER), '<table:table-row table:a="1" table:a="2"/>')
    path = workbook(tmp_path / "release.ods", {}, parts={"content.xml": broken})
    [account] = read(path, CONTEXT).inputs
    assert (account.path, account.rows, account.not_read) == (str(path), 0, (NotRead(SHEET, "RF350", 1, None, None),))
