"""Catalogue XML ⇄ model: exact round trips, schema problems with lines, bad elements skipped not fatal."""

from __future__ import annotations

import datetime as dt

import pytest

from regframe.framework import catalogue
from regframe.framework.model import Instrument, LinkSet, Manifest, Rel, Relationship, Vocabulary
from regframe.io import xmlsafe
from tests.conftest import FIXTURES

CATALOGUE = FIXTURES / "catalogue"


@pytest.mark.parametrize(
    "name, kind",
    [("alpha.xml", Instrument), ("beta.xml", Instrument), ("crosswalk.xml", LinkSet),
     ("evidence-kinds.xml", Vocabulary), ("framework.xml", Manifest)],
)
def test_load_write_load_gives_an_equal_model(name, kind, tmp_path):
    first, problems = catalogue.read_file(CATALOGUE / name)
    assert problems == [] and isinstance(first, kind)
    written = tmp_path / name
    catalogue.write_file(first, written)
    second, problems = catalogue.read_file(written)
    assert problems == []
    assert second == first


def test_written_instrument_starts_with_a_source_comment():
    document, _ = catalogue.read_file(CATALOGUE / "alpha.xml")
    text = catalogue.to_bytes(document).decode()
    assert text.splitlines()[1] == "<!--"
    assert "Source: https://example.org/alpha" in text and "Last checked: 2026-11-22" in text


def test_requirement_fields_are_typed():
    document, _ = catalogue.read_file(CATALOGUE / "alpha.xml")
    monthly = next(r for r in document.requirements if r.id == "alpha.r2")
    assert monthly.effective.start == dt.date(2015, 4, 1)
    assert monthly.citation.note == "secondary copy"
    assert str(monthly.cadence.steps[0].duration) == "1 month"
    indicator = next(r for r in document.requirements if r.id == "alpha.i1")
    assert [(t.metric, t.comparison.value, t.value, t.level.value) for t in indicator.thresholds] == [
        ("restraint-rate", "gt", 2.0, "amber"), ("restraint-rate", "ge", 4.5, "red")]


def test_linkset_links_keep_relationship_and_note():
    document, _ = catalogue.read_file(CATALOGUE / "crosswalk.xml")
    link = document.links[0]
    assert (link.source, link.rel, link.target, link.relationship) == (
        "alpha.r1", Rel.MAPS_TO, "beta.s1", Relationship.INTERSECTS_WITH)
    assert link.note == "Both protect children from harm."
    assert link.origin.line == 4


SCHEMA_BROKEN = b"""<?xml version="1.0" encoding="UTF-8"?>
<instrument xmlns="urn:x-regframe:catalogue:1" id="gamma" version="1">
  <title>Gamma</title>
  <short-title>G</short-title>
  <publisher>P</publisher>
  <effective from="2015-04-01"/>
  <citation instrument="X" provision="whole" url="https://example.org" last-checked="2026-11-22"/>
  <requirement id="gamma.r1" ref="G 1" kind="wish" confidence="confirmed">
    <title>T</title>
    <statement>S</statement>
    <regulators><regulator>ofsted</regulator></regulators>
    <effective from="2015-04-01"/>
    <citation instrument="X" provision="1" url="https://example.org" last-checked="2026-11-22"/>
  </requirement>
  <requirement id="gamma.r2" ref="G 2" kind="duty" confidence="confirmed">
    <title>T2</title>
    <statement>S2</statement>
    <regulators><regulator>ofsted</regulator></regulators>
    <effective from="2015-04-01"/>
    <citation instrument="X" provision="2" url="https://example.org" last-checked="2026-11-22"/>
  </requirement>
</instrument>
"""


def test_schema_violation_is_reported_with_its_line_and_valid_requirements_are_kept(tmp_path):
    path = tmp_path / "gamma.xml"
    path.write_bytes(SCHEMA_BROKEN)
    document, problems = catalogue.read_file(path)
    schema_problems = [p for p in problems if p.code == "RF104"]
    assert [p.location.line for p in schema_problems] == [8]
    assert "wish" in schema_problems[0].message
    assert [r.id for r in document.requirements] == ["gamma.r2"]
    assert [p.code for p in problems] == ["RF104"]  # the typing failure on the same line is not repeated


def test_a_file_that_is_not_a_catalogue_document_is_named(tmp_path):
    path = tmp_path / "other.xml"
    path.write_bytes(b"<other/>")
    document, problems = catalogue.read_file(path)
    assert document is None and [p.code for p in problems] == [xmlsafe.XML_UNKNOWN_ROOT.id]


def test_a_manifests_citation_routes_survive_load_write_load_in_order(tmp_path):
    first, problems = catalogue.read_file(FIXTURES / "routes" / "framework.xml")
    assert problems == []
    assert [(r.source, r.setting_kind, r.instrument, r.origin.line) for r in first.citation_routes] == [
        ("placing-la", None, "placements", 11), ("host-la", None, "cppcr2010", 12), (None, "childrens-home", "chr2015", 13)]
    written = tmp_path / "framework.xml"
    catalogue.write_file(first, written)
    second, problems = catalogue.read_file(written)
    assert problems == []
    assert second == first


def test_a_manifest_without_routes_is_written_without_the_element():
    document, _ = catalogue.read_file(CATALOGUE / "framework.xml")
    assert document.citation_routes == ()
    assert b"citation-routes" not in catalogue.to_bytes(document)


def test_an_indicator_declares_its_axis_and_risk_is_the_default(tmp_path):
    text = (CATALOGUE / "alpha.xml").read_text().replace('id="alpha.i1"', 'id="alpha.i1" axis="assurance"')
    source = tmp_path / "alpha.xml"
    source.write_text(text)
    document, problems = catalogue.read_file(source)
    assert problems == []
    axes = {r.id: r.axis.value for r in document.requirements if r.id in ("alpha.i1", "alpha.r2")}
    assert axes == {"alpha.i1": "assurance", "alpha.r2": "risk"}
    written = tmp_path / "again.xml"
    catalogue.write_file(document, written)
    assert 'axis="assurance"' in written.read_text() and written.read_text().count("axis=") == 1
    again, _ = catalogue.read_file(written)
    assert again == document


def test_an_unknown_axis_is_a_schema_problem(tmp_path):
    source = tmp_path / "alpha.xml"
    source.write_text((CATALOGUE / "alpha.xml").read_text().replace('id="alpha.i1"', 'id="alpha.i1" axis="harm"'))
    _, problems = catalogue.read_file(source)
    assert problems and "axis" in str(problems[0])
