"""The crash classes hostile input found, each on the smallest input that showed it, with the exact diagnostic.

Each input is generated here (never a copy of real data): a byte, a character or a value at the
place that broke a reader. Before the fix each raised out of the reader (the command line's exit 3);
now each is a located diagnostic, and the valid record beside it is kept.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from lxml import etree

from regframe.cli import main
from regframe.core.text import natural_key
from regframe.framework.loading import check_framework
from regframe.io import xmlsafe
from regframe.revisions.revision import check_revision
from tests.conftest import FIXTURES
from tests.fuzz.mutate import csv_line
from tests.fuzz.reading import read_files, written
from tests.fuzz.test_ssda903 import EPISODE_HEADER, KEEP
from tests.small_inputs import OFSTED_HEADER, ofsted_row


def _said(evidence, folder: Path) -> list[str]:
    return [str(d).replace(f"{folder}/", "") for d in evidence.diagnostics]


def test_a_nul_in_the_xml_declarations_encoding_name_is_refused_as_uncheckable():
    document = b'<?xml version="1.0" encoding="utf-8\x00"?>\n<EXPSSDA903/>\n'
    assert [str(d) for d in xmlsafe.parse_bytes(document, "r.xml")[1]] == [
        "r.xml:1: error RF108: the XML declaration names encoding 'utf-8\\x00', in which regframe cannot check "
        "the document for a DOCTYPE; save it as UTF-8"]
    with read_files({"return.xml": document}) as (evidence, folder):
        assert _said(evidence, folder) == [
            "return.xml:1: error RF108: the XML declaration names encoding 'utf-8\\x00', in which regframe cannot "
            "check the document for a DOCTYPE; save it as UTF-8"]


def _framework_copy(folder: Path, old: bytes = b"", new: bytes = b"") -> Path:
    for path in (FIXTURES / "catalogue").glob("*.xml"):
        (folder / path.name).write_bytes(path.read_bytes().replace(old, new) if path.name == "framework.xml"
                                         else path.read_bytes())
    return folder / "framework.xml"


def test_a_manifest_include_href_of_300_characters_is_rf212_at_its_line(tmp_path):
    manifest = _framework_copy(tmp_path, b'href="beta.xml"', b'href="' + b"b" * 300 + b'"')
    _framework, problems = check_framework(manifest)
    assert [str(p).replace(f"{tmp_path}/", "") for p in problems if p.code == "RF212"] == [
        "framework.xml:5: error RF212: 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb'… (300 characters) "
        "cannot name a file: File name too long"]


def test_a_revision_base_of_300_characters_is_rf502_at_its_line(tmp_path):
    revision = tmp_path / "modify.xml"
    revision.write_bytes((FIXTURES / "revisions" / "modify.xml").read_bytes().replace(
        b'base="../catalogue/framework.xml"', b'base="' + b"c" * 300 + b'"'))
    _framework, problems = check_revision(revision)
    assert [str(p).replace(f"{tmp_path}/", "") for p in problems] == [
        "modify.xml:3: error RF502: 'cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc'… (300 characters) "
        "cannot name a file: File name too long"]


def test_a_byte_cp1252_does_not_define_in_an_ssda903_csv_is_a_warning_and_the_row_is_kept():
    damaged = list(KEEP)
    damaged[0] = "CHX"
    data = (csv_line(EPISODE_HEADER) + csv_line(KEEP) + csv_line(damaged)).encode("ascii").replace(b"CHX", b"CH\x90")
    with read_files({"episodes.csv": data}) as (evidence, folder):
        assert _said(evidence, folder) == [
            "episodes.csv:row 3: warning RF111: 1 row(s) hold bytes that are not Windows-1252 text, read as U+FFFD "
            "(rows 3); the rows were kept"]
        assert [(f.rows, f.accepted, f.rejected) for f in evidence.inputs] == [(2, 2, 0)]


def test_a_superscript_digit_in_ofsted_places_rejects_that_row_only():
    row = ofsted_row("SC100002", "Other Ltd")
    row[OFSTED_HEADER.index("Places")] = "³"
    data = "".join(csv_line(r) for r in (OFSTED_HEADER, ofsted_row("SC100001", "Keep Ltd"), row)).encode("utf-8")
    with read_files({"providers.csv": data}) as (evidence, folder):
        assert _said(evidence, folder) == [
            "providers.csv:row 3:Places: error RF320: SC100002: places '³' is not a whole number"]
        assert sorted(evidence.settings) == ["SC100001"]


@pytest.mark.parametrize("places", ["١٢", "²", "4.0"])
def test_places_are_ascii_digits_only(places):
    row = ofsted_row("SC100002", "Other Ltd")
    row[OFSTED_HEADER.index("Places")] = places
    with read_files({"providers.csv": "".join(csv_line(r) for r in (OFSTED_HEADER, row)).encode()}) as (evidence, _):
        assert [d.code for d in evidence.diagnostics] == ["RF320"]


def test_a_quote_that_never_closes_ends_an_ofsted_csv_at_its_line_keeping_the_rows_before():
    text = "".join(csv_line(r) for r in (OFSTED_HEADER, ofsted_row("SC100001", "Keep Ltd")))
    text += 'Ofsted Social Care Provider Webpage,SC100002,"' + "x" * 140_000 + "\r\n"
    with read_files({"providers.csv": text.encode("utf-8")}) as (evidence, folder):
        assert _said(evidence, folder) == [
            "providers.csv:row 3: error RF110: a field longer than 131,072 characters, or a record longer than "
            "1,048,576 (a quote that never closes?), starts here; the rows from here on were not read"]
        assert sorted(evidence.settings) == ["SC100001"]


def test_an_ssda903_xml_return_broken_part_way_keeps_the_children_before_the_break():
    children = "".join(
        f"<CHILD><HEADER><CHILDID>{child}</CHILDID></HEADER><EPISODE><DECOM>01/04/2022</DECOM><PL>K2</PL>"
        f"<URN>SC10000{n}</URN></EPISODE></CHILD>\n" for n, child in enumerate(("KEEP1", "KEEP2"), start=1))
    document = f'<?xml version="1.0"?>\n<EXPSSDA903>\n{children}</CHILD>\n</EXPSSDA903>\n'.encode()
    with read_files({"return.xml": document}) as (evidence, folder):
        assert _said(evidence, folder)[0] == (
            "return.xml:5: error RF101: Opening and ending tag mismatch: EXPSSDA903 line 2 and CHILD, line 5, column 9")
        assert sorted(p.setting for p in evidence.placements) == ["SC100001", "SC100002"]


def test_an_element_with_no_qualified_name_ends_an_evidence_file_at_its_line():
    document = (b'<evidence xmlns="urn:x-regframe:evidence:1" version="1">\n'
                b'<setting urn="SC123456" kind="childrens-home"/>\n<:item id="b"/>\n</evidence>\n')
    with read_files({"evidence.xml": document}) as (evidence, folder):
        # the evidence reader parses with expat (xmlsafe.ExpatStream), which words it its own way
        assert _said(evidence, folder) == ["evidence.xml:3: error RF318: not well-formed (invalid token)"]
        assert sorted(evidence.settings) == ["SC123456"]


def test_an_undeclared_prefix_is_a_syntax_error_where_it_stands_after_the_elements_before_it():
    seen: list[str] = []
    with pytest.raises(etree.XMLSyntaxError) as raised, xmlsafe.streaming(io.BytesIO(b"<r>\n<a/>\n<x:a/>\n</r>")) as events:
        seen.extend(element.tag for _event, element in events)
    assert (raised.value.msg, raised.value.lineno, seen) == ("Namespace prefix x on a is not defined", 3, ["a"])


def test_a_number_past_the_digit_limit_in_a_json_list_loses_that_record_only():
    record = json.loads((FIXTURES / "cqc" / "location.json").read_text(encoding="utf-8"))
    second = dict(record, locationId="1-900000102")
    text = json.dumps([record, second])
    at = text.rindex('"numberOfBeds": 8')
    text = text[:at] + '"numberOfBeds": ' + "9" * 31 + text[at + len('"numberOfBeds": 8'):]
    with read_files({"locations.json": text.encode("utf-8")}) as (evidence, folder):
        assert _said(evidence, folder) == [
            "locations.json at $[1]: error RF371: record $[1]: refused: a number of 31 digits (more than 30)"]
        assert sorted(evidence.settings) == ["1-900000101"]
        assert [(f.rows, f.accepted, f.rejected) for f in evidence.inputs] == [(2, 1, 1)]


def test_a_superscript_digit_sorts_as_text():
    assert natural_key("1³") == ((1, ""), (0, 1), (1, "³"))


@pytest.mark.parametrize("argv", [
    ["evidence", "summary", "a" * 300],
    ["validate", "b" * 300],
    ["report", "--evidence", "c" * 300, "-o", "{tmp}/report.xlsx"],
    ["report", "--demo", "--framework", "d" * 300, "-o", "{tmp}/report.xlsx"],
])
def test_a_path_of_300_characters_on_the_command_line_is_an_input_error_not_a_crash(argv, tmp_path, capsys):
    assert main([arg.format(tmp=tmp_path) for arg in argv]) == 1
    assert "internal error" not in capsys.readouterr().err


def test_a_parser_failure_no_reader_expected_is_rf305_for_that_file_and_the_run_goes_on(monkeypatch):
    import zlib

    import regframe.ingest.ofsted_csv as ofsted

    def failing(path, context):
        raise zlib.error("Error -3 while decompressing data: invalid block type")

    files = {"a.csv": "".join(csv_line(r) for r in (OFSTED_HEADER, ofsted_row("SC100001", "Keep Ltd"))).encode(),
             "b.xml": (FIXTURES / "evidence" / "sample.xml").read_bytes()}
    with written(files) as folder:
        monkeypatch.setattr(ofsted, "read", failing)
        from regframe.ingest import load_evidence
        from tests.fuzz.reading import KEY

        evidence = load_evidence([folder], key=KEY)
        assert _said(evidence, folder)[:1] == [
            "a.csv: error RF305: error: Error -3 while decompressing data: invalid block type"]
        assert "1234567" in evidence.settings  # b.xml was read


def test_a_namespace_name_with_a_brace_is_a_syntax_error_even_before_a_fatal_one():
    document = (b'<?xml version="1.0" encoding="UTF-8"?>\n<evidence xmlns="}rn:x-regframe:evidence:1" version="1">'
                b'\x0b<item id="a"/>\n</evidence>\n')
    with read_files({"evidence.xml": document}) as (evidence, folder):
        assert _said(evidence, folder) == ["evidence.xml:2: error RF101: xmlns: '}rn:x-regframe:evidence:1' is not a "
                                           "valid URI"]
    seen: list[str] = []
    with pytest.raises(etree.XMLSyntaxError) as raised, xmlsafe.streaming(io.BytesIO(document)) as events:
        seen.extend(element.tag for _event, element in events)
    assert (raised.value.msg, raised.value.lineno, seen) == ("xmlns: '}rn:x-regframe:evidence:1' is not a valid URI", 2, [])
