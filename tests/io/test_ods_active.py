"""ODS links and macros are named as xlsx's are: the same codes, the same rule for a target, with the sheet and row."""

from __future__ import annotations

import pytest

from regframe.io import ods
from regframe.io.linktarget import Target, classify, package
from tests.io.ods_build import cell, read, row, workbook


def link(href: str, text: str = "see") -> str:
    """A text cell whose text is a hyperlink."""
    return (f'<table:table-cell office:value-type="string"><text:p>Go <text:a xlink:type="simple" '
            f'xlink:href="{href}">{text}</text:a> now</text:p></table:table-cell>')


@pytest.mark.parametrize(("target", "kind"), [
    ("https://www.gov.uk/x", Target.WEB), ("HTTP://a", Target.WEB), ("mailto:psi@example.org", Target.WEB),
    ("#Sheet2.A1", Target.INTERNAL), ("", Target.INTERNAL), ("media/image1.jpeg", Target.INTERNAL),
    ("./Object 1", Target.INTERNAL), ("Object%201/", Target.INTERNAL), ("data:image/png;base64,AA", Target.INTERNAL),
    ("../book.ods", Target.FILE), ("book.ods", Target.FILE), ("file:///C:/book.ods", Target.FILE),
    ("C:\\returns\\book.xls", Target.FILE), ("\\\\server\\share\\x.xls", Target.FILE), ("/etc/passwd", Target.FILE),
    ("smb://server/share", Target.FILE), ("vnd.sun.star.script:Standard.Module1.Main?language=Basic&location=document",
                                          Target.SCRIPT), ("javascript:alert(1)", Target.SCRIPT),
])
def test_one_rule_judges_a_links_target(target, kind):
    assert classify(target, package(["content.xml", "media/image1.jpeg", "Object 1/content.xml"])) is kind


def test_without_the_packages_parts_a_relative_path_is_a_file():
    assert classify("media/image1.jpeg") is Target.FILE  # an xlsx relationship marked External


def test_web_links_are_one_notice_per_sheet_with_their_count_first_address_and_row(tmp_path):
    path = workbook(tmp_path / "web.ods", {
        "S": [row("URN", "Site"), row("1", link("https://www.gov.uk/ofsted")), row("2", link("mailto:a@example.org"))],
        "T": [row(link("http://example.org/t", "t"))]})
    sheets, problems = read(path)
    assert sheets == {"S": [(1, ["URN", "Site"]), (2, ["1", "Go see now"]), (3, ["2", "Go see now"])],
                      "T": [(1, ["Go t now"])]}  # the values as before: a link's text is the cell's text
    assert problems == [
        f"{path}!S!row 2: info RF407: part content.xml, sheet 'S': 2 link(s) to web addresses (the first: "
        "'https://www.gov.uk/ofsted', a hyperlink at row 2); never followed",
        f"{path}!T!row 1: info RF407: part content.xml, sheet 'T': 1 link(s) to web addresses (the first: "
        "'http://example.org/t', a hyperlink at row 1); never followed"]


def test_links_to_files_are_a_warning_with_the_sheet_row_first_target_and_count(tmp_path):
    path = workbook(tmp_path / "files.ods", {"S": [
        row("a"), row(link("file:///C:/Users/me/secret.ods")), row(link("..\\other.xls"), link("\\\\srv\\s\\x.xls")),
        row(link("#S.A1"), link("C:\\x.xls"))]})
    sheets, problems = read(path)
    assert [number for number, _ in sheets["S"]] == [1, 2, 3, 4]
    assert problems == [
        f"{path}!S!row 2: warning RF406: part content.xml, sheet 'S': 4 link(s) point outside the workbook to a file "
        "(the first: 'file:///C:/Users/me/secret.ods', a hyperlink at row 2); regframe never opens them, and values "
        "that came through them are read as saved in this file"]


def test_links_inside_the_workbook_say_nothing(tmp_path):
    image = ('<table:shapes><draw:frame draw:name="logo"><draw:image xlink:href="media/logo.png"/></draw:frame>'
             "</table:shapes>")
    path = workbook(tmp_path / "inside.ods", {"S": [image, row(link("#S.A1")), row(link("./media/logo.png"))]},
                    parts={"media/logo.png": b"\x89PNG"})
    assert read(path) == ({"S": [(1, ["Go see now"]), (2, ["Go see now"])]}, [])


def test_a_sheet_linked_from_another_file_is_named_with_the_sheet_and_its_target(tmp_path):
    source = ('<table:table-source table:mode="copy-all" xlink:type="simple" xlink:href="../2024/return.ods" '
              'table:filter-name="calc8" table:table-name="Children"/>')
    path = workbook(tmp_path / "linked.ods", {"Children": [source, row("URN"), row("SC1")]})
    sheets, problems = read(path)
    assert sheets == {"Children": [(1, ["URN"]), (2, ["SC1"])]}
    assert problems == [
        f"{path}!Children: warning RF406: part content.xml, sheet 'Children': 1 link(s) point outside the workbook "
        "to a file (the first: '../2024/return.ods', the sheet's data, linked from it); regframe never opens them, "
        "and values that came through them are read as saved in this file"]


def test_a_range_linked_from_another_file_is_named_at_its_row(tmp_path):
    linked = ('<table:table-cell office:value-type="float" office:value="7"><table:cell-range-source '
              'table:name="A1:B2" xlink:type="simple" xlink:href="file:///srv/book.ods" table:filter-name="calc8" '
              'table:last-column-spanned="2" table:last-row-spanned="2"/></table:table-cell>')
    path = workbook(tmp_path / "range.ods", {"S": [row("a"), row(linked)]})
    sheets, problems = read(path)
    assert sheets == {"S": [(1, ["a"]), (2, ["7"])]}
    assert [p.split(": ", 1)[0] for p in problems] == [f"{path}!S!row 2"]
    assert "1 link(s) point outside the workbook to a file (the first: 'file:///srv/book.ods', a range's data, " \
           "linked from it at row 2)" in problems[0] and "warning RF406" in problems[0]


def test_drawings_and_form_controls_are_judged_by_the_same_rule(tmp_path):
    shapes = ('<table:shapes><draw:frame><draw:image xlink:href="file:///C:/pictures/logo.png"/></draw:frame>'
              '<draw:a xlink:href="https://example.org/shape"><draw:frame/></draw:a></table:shapes>')
    forms = ('<office:forms><form:form form:name="F" xlink:href="http://example.org/submit">'
             '<form:button form:name="B" xlink:href="../folder/open.ods"/></form:form></office:forms>')
    path = workbook(tmp_path / "draw.ods", {"S": [forms, shapes, row("kept")]})
    sheets, problems = read(path)
    assert sheets == {"S": [(1, ["kept"])]}
    assert problems == [
        f"{path}!S: warning RF406: part content.xml, sheet 'S': 2 link(s) point outside the workbook to a file (the "
        "first: '../folder/open.ods', a form:button element); regframe never opens them, and values that came "
        "through them are read as saved in this file",
        f"{path}!S: info RF407: part content.xml, sheet 'S': 2 link(s) to web addresses (the first: "
        "'http://example.org/submit', a form:form element); never followed"]


def test_macros_bound_to_events_and_macro_links_are_rf405_warnings(tmp_path):
    listener = ('<table:table-cell office:value-type="string"><text:p><text:a xlink:href="">click'
                '<office:event-listeners><script:event-listener script:language="ooo:script" '
                'script:event-name="dom:click" xlink:href="vnd.sun.star.script:Standard.Module1.Run?language=Basic'
                '&amp;location=document"/></office:event-listeners></text:a></text:p></table:table-cell>')
    macro_link = link("vnd.sun.star.script:Standard.Module1.Other?language=Basic&amp;location=document")
    path = workbook(tmp_path / "events.ods", {"S": [row("a"), row(listener), row(macro_link)]})
    sheets, problems = read(path)
    assert sheets == {"S": [(1, ["a"]), (2, ["click"]), (3, ["Go see now"])]}
    assert problems == [
        f"{path}!S!row 2: warning RF405: part content.xml, sheet 'S': 2 macro(s) bound to events or links (the "
        "first: 'dom:click' runs 'vnd.sun.star.script:Standard.Module1.Run?language=Basic&location=document' at row "
        "2); they were neither run nor read"]


def test_a_script_in_office_scripts_is_named_and_an_empty_one_is_not(tmp_path):
    script = ('<office:scripts><office:script script:language="ooo:Basic">Sub Main: Shell "calc": End Sub'
              "</office:script></office:scripts>")
    path = workbook(tmp_path / "script.ods", {"S": [row("a")]}, head=script)
    assert read(path) == ({"S": [(1, ["a"])]}, [
        f"{path} at content.xml: warning RF405: part content.xml: 1 macro(s) bound to events or links (the first: a "
        "script in ooo:Basic); they were neither run nor read"])
    empty = workbook(tmp_path / "empty.ods", {"S": [row("a")]}, head="<office:scripts/>")  # every LibreOffice file
    assert read(empty) == ({"S": [(1, ["a"])]}, [])


def test_links_in_styles_xml_headers_are_named_with_that_part(tmp_path):
    styles = ('<?xml version="1.0" encoding="UTF-8"?><office:document-styles '
              'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
              'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
              'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:xlink="http://www.w3.org/1999/xlink">'
              '<office:master-styles><style:master-page style:name="Default"><style:header><text:p>'
              '<text:a xlink:href="\\\\fileserver\\returns\\2024.ods">last year</text:a></text:p></style:header>'
              "</style:master-page></office:master-styles></office:document-styles>")
    path = workbook(tmp_path / "styles.ods", {"S": [row("a")]}, parts={"styles.xml": styles})
    assert read(path) == ({"S": [(1, ["a"])]}, [
        f"{path} at styles.xml: warning RF406: part styles.xml: 1 link(s) point outside the workbook to a file (the "
        "first: '\\\\\\\\fileserver\\\\returns\\\\2024.ods', a hyperlink); regframe never opens them, and values "
        "that came through them are read as saved in this file"])


def test_a_damaged_styles_xml_says_its_links_are_not_listed(tmp_path):
    path = workbook(tmp_path / "styles.ods", {"S": [row("a")]},
                    parts={"styles.xml": '<office:document-styles><text:a xlink:href="x"></office:document-styles>'})
    sheets, problems = read(path)
    assert sheets == {"S": [(1, ["a"])]}
    assert len(problems) == 1 and problems[0].startswith(f"{path} at styles.xml: warning RF402: part styles.xml, XML "
                                                         "line 1: the XML is not well-formed (")
    assert problems[0].endswith("; regframe needs nothing in it, but the links it may hold are not listed")


def test_many_links_in_one_row_do_not_escape_the_rows_xml_bound(tmp_path):
    """Link events are not row events: a row of links longer than the bound stops the workbook as any long row."""
    links = "".join(link(f"https://example.org/{n}") for n in range(2000))
    path = workbook(tmp_path / "long.ods", {"S": [row("a"), row(links), row("never")]})
    sheets, problems = read(path, ods.Limits(max_row_bytes=64 * 1024))
    assert sheets == {"S": [(1, ["a"])]}
    assert problems[-1] == (f"{path}!S!row 2: error RF351: a row's XML is longer than 65,536 bytes; the rest of "
                            "the workbook was not read")


def test_a_cell_whose_link_text_is_a_number_keeps_its_value(tmp_path):
    numbered = ('<table:table-cell office:value-type="float" office:value="12"><text:p><text:a '
                'xlink:href="https://example.org">12</text:a></text:p></table:table-cell>')
    path = workbook(tmp_path / "number.ods", {"S": [row(numbered, cell("num:3"))]})
    sheets, problems = read(path)
    assert sheets == {"S": [(1, ["12", "3"])]} and [p.split(": ")[1] for p in problems] == ["info RF407"]


def formula(text: str, value: str = "5") -> str:
    return f'<table:table-cell table:formula="{text}" office:value-type="float" office:value="{value}"/>'


def test_a_formula_that_refers_to_another_file_is_named_once_per_sheet_at_its_cell(tmp_path):
    path = workbook(tmp_path / "formula.ods", {
        "S": [row("a", formula("of:=[.A1]+1", "2")), row(cell(""), formula("of:=$'My sheet'.A1"),
                                                          formula("of:=['file:///C:/b.ods'#$Sheet1.A1]", "7")),
              row(formula("of:=['../c.ods'#$S.B2]"))],
        "T": [row(formula("of:=SUM(['https://example.org/d.ods'#$S.A1:A3])", "9"))]})
    sheets, problems = read(path)
    assert sheets == {"S": [(1, ["a", "2"]), (2, ["", "5", "7"]), (3, ["5"])], "T": [(1, ["9"])]}
    assert problems == [
        f"{path}!S!C2: warning RF406: the formula =['file:///C:/b.ods'#$Sheet1.A1] refers to another workbook; its "
        "value is read as saved in this file (further such formulas on this sheet are not listed)",
        f"{path}!T!A1: warning RF406: the formula =SUM(['https://example.org/d.ods'#$S.A1:A3]) refers to another "
        "workbook; its value is read as saved in this file (further such formulas on this sheet are not listed)"]
