"""`regframe validate`, `standards list/show`, `graph export`: output and exit codes."""

from __future__ import annotations

import csv
import io
import json

import networkx as nx
import pytest

from regframe.cli import main
from regframe.core.exitcodes import ExitCode
from tests.conftest import FIXTURES

MANIFEST = str(FIXTURES / "catalogue" / "framework.xml")

HEADER = """<?xml version="1.0" encoding="UTF-8"?>
<instrument xmlns="urn:x-regframe:catalogue:1" id="{iid}" version="1">
  <title>T</title><short-title>T</short-title><publisher>P</publisher>
  <effective from="2015-04-01"/>
  <citation instrument="X" provision="whole" url="https://example.org" last-checked="2026-11-22"/>
"""


def requirement(rid: str, links: str = "", kind: str = "duty") -> str:
    return f"""  <requirement id="{rid}" ref="{rid}" kind="{kind}" confidence="confirmed">
    <title>T</title><statement>S {rid}</statement>
    <regulators><regulator>ofsted</regulator></regulators>
    <effective from="2015-04-01"/>
    <citation instrument="X" provision="{rid}" url="https://example.org" last-checked="2026-11-22"/>
{links}  </requirement>
"""


@pytest.fixture
def five_problems(tmp_path):
    """A catalogue folder with one each of: malformed XML, schema violation, duplicate id, dangling link, cycle."""
    (tmp_path / "a_malformed.xml").write_text(HEADER.format(iid="m") + requirement("m.r1") + "<unclosed>\n</instrument>\n")
    (tmp_path / "b_schema.xml").write_text(HEADER.format(iid="s") + requirement("s.r1", kind="wish") + "</instrument>\n")
    (tmp_path / "c_semantic.xml").write_text(
        HEADER.format(iid="c")
        + requirement("c.r1", '    <link rel="part-of" target="c.r2"/>\n')
        + requirement("c.r2", '    <link rel="part-of" target="c.r1"/>\n')
        + requirement("c.r3", '    <link rel="requires" target="c.missing"/>\n')
        + requirement("c.r3")
        + "</instrument>\n"
    )
    return tmp_path


def test_validate_reports_all_five_problems_with_file_and_line_and_fails(five_problems, capsys):
    assert main(["validate", str(five_problems)]) == ExitCode.FINDINGS
    lines = capsys.readouterr().out.splitlines()
    found = [(line.split(": ")[0].rsplit("/", 1)[-1], line.split(" ")[2].rstrip(":")) for line in lines]
    assert found == [
        ("a_malformed.xml:13", "RF101"),
        ("b_schema.xml:6", "RF104"),
        ("c_semantic.xml:27", "RF201"),
        ("c_semantic.xml:25", "RF202"),
        ("c_semantic.xml:11", "RF203"),
    ]
    assert "'wish' is not an element of the set" in lines[1]
    assert lines[4].endswith("cycle: c.r1 → c.r2 → c.r1")


def test_validate_json_output_is_a_list_of_diagnostics(five_problems, capsys):
    main(["validate", "--format", "json", str(five_problems)])
    data = json.loads(capsys.readouterr().out)
    assert {d["code"] for d in data} >= {"RF101", "RF104", "RF201", "RF202", "RF203"}
    assert all(d["location"]["file"] and d["location"]["line"] for d in data)


def test_validate_clean_catalogue_exits_zero_and_strict_fails_on_warnings(capsys):
    assert main(["validate", str(FIXTURES / "catalogue")]) == ExitCode.OK
    assert main(["validate", "--strict", str(FIXTURES / "catalogue")]) == ExitCode.FINDINGS


def test_standards_list_counts_each_instrument(capsys):
    assert main(["standards", "list", "--framework", MANIFEST, "--format", "csv"]) == ExitCode.OK
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["instrument"], r["requirements"], r["confirmed"], r["unconfirmed"]) for r in rows] == [
        ("alpha", "4", "2", "2"), ("beta", "3", "3", "0")]


def test_standards_list_as_at_counts_only_requirements_in_force(capsys):
    main(["standards", "list", "--framework", MANIFEST, "--format", "json", "--as-at", "2021-01-01"])
    rows = json.loads(capsys.readouterr().out)
    assert [(r["instrument"], r["requirements"]) for r in rows] == [("alpha", 4), ("beta", 1)]


def test_standards_list_says_the_day_in_force_was_judged_on(capsys):
    """The day is --as-at's or today's: the output says which, in a column (CSV, JSON) or under the table."""
    main(["standards", "list", "--framework", MANIFEST, "--format", "json", "--as-at", "2021-01-01"])
    assert {r["in_force_on"] for r in json.loads(capsys.readouterr().out)} == {"2021-01-01"}
    main(["standards", "list", "--framework", MANIFEST, "--instrument", "beta", "--as-at", "2021-01-01"])
    out = capsys.readouterr().out
    assert out.rstrip().endswith("\n1 requirement; in force as at 2021-01-01") and "in_force_on" not in out
    main(["standards", "list", "--framework", MANIFEST, "--as-at", "2021-01-01"])
    assert capsys.readouterr().out.rstrip().endswith("in force as at 2021-01-01")


def test_standards_list_one_instrument(capsys):
    main(["standards", "list", "--framework", MANIFEST, "--instrument", "beta", "--format", "json"])
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == ["beta.s1", "beta.s2", "beta.rec1"]


def test_standards_list_unknown_instrument_is_a_usage_error(capsys):
    assert main(["standards", "list", "--framework", MANIFEST, "--instrument", "nope"]) == ExitCode.USAGE


def test_standards_show_by_reference_lists_links_in_and_out(capsys):
    assert main(["standards", "show", "--framework", MANIFEST, "Alpha reg 1(a)"]) == ExitCode.OK
    out = capsys.readouterr().out
    assert out.startswith("Alpha reg 1(a)  [alpha.r1.a]")
    assert "part-of           alpha.r1  Alpha reg 1: Protection standard" in out
    assert "addresses         beta.rec1  Beta rec 1: Advocacy for all" in out


def test_standards_show_unknown_reference_fails(capsys):
    assert main(["standards", "show", "--framework", MANIFEST, "nothing"]) == ExitCode.FINDINGS


@pytest.mark.parametrize("fmt", ["graphml", "gexf", "json", "dot"])
def test_graph_export_writes_every_node_and_link(fmt, tmp_path, capsys):
    out = tmp_path / f"g.{fmt}"
    assert main(["graph", "export", "--framework", MANIFEST, "--format", fmt, "-o", str(out)]) == ExitCode.OK
    if fmt == "graphml":
        graph = nx.read_graphml(out)
        assert (graph.number_of_nodes(), graph.number_of_edges()) == (9, 6)
        assert graph.nodes["alpha.r1.a"]["label"] == "Alpha reg 1(a)"
    elif fmt == "json":
        data = json.loads(out.read_text())
        assert (len(data["nodes"]), len(data["links"])) == (9, 6)
    elif fmt == "dot":
        text = out.read_text()
        assert text.count(" -> ") == 6 and '"alpha.r1.a" -> "alpha.r1" [label="part-of"];' in text
    else:
        assert nx.read_gexf(out).number_of_nodes() == 9


def test_a_bad_date_is_a_usage_error(capsys):
    assert main(["standards", "list", "--as-at", "someday"]) == ExitCode.USAGE
