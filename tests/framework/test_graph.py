"""Requirement graph queries on the fixture framework (alpha, beta, a crosswalk, two evidence kinds)."""

from __future__ import annotations

import datetime as dt

from regframe.framework.graph import ids
from regframe.framework.model import Regulator, Rel, Relationship, RequirementKind, SettingKind


def test_children_and_ancestors_follow_part_of(fixture_graph):
    assert ids(fixture_graph.children("alpha.r1")) == ["alpha.r1.a"]
    assert ids(fixture_graph.ancestors("alpha.r1.a")) == ["alpha.r1"]
    assert fixture_graph.root("alpha.r1.a").id == "alpha.r1"
    assert ids(fixture_graph.descendants("alpha.r1")) == ["alpha.r1.a"]


def test_what_addresses_a_recommendation(fixture_graph):
    assert ids(fixture_graph.addressed_by("beta.rec1")) == ["alpha.r1.a"]
    assert ids(fixture_graph.recommendations_addressing("alpha.r1.a")) == ["beta.rec1"]


def test_maps_to_is_seen_from_both_ends_with_the_relationship_turned_round(fixture_graph):
    forward = fixture_graph.maps_to("alpha.r1", instrument="beta")
    backward = fixture_graph.maps_to("beta.s1", instrument="alpha")
    assert [(m.requirement.id, m.relationship) for m in forward] == [("beta.s1", Relationship.INTERSECTS_WITH)]
    assert [(m.requirement.id, m.relationship) for m in backward] == [("alpha.r1", Relationship.INTERSECTS_WITH)]
    assert fixture_graph.maps_to("alpha.r1", instrument="alpha") == []


def test_coverage_counts_a_mapped_regulation_and_its_limbs(fixture_graph):
    coverage = fixture_graph.coverage("alpha", by="beta")
    assert coverage.covered == ("alpha.r1", "alpha.r1.a")
    assert coverage.uncovered == ("alpha.i1", "alpha.r2")
    assert coverage.ratio == 0.5


def test_suspect_links_are_those_whose_fingerprint_no_longer_matches(fixture_graph):
    suspect = fixture_graph.suspect_links()
    assert [(link.source, link.target) for link in suspect] == [("alpha.r1", "beta.s1")]


def test_as_at_drops_requirements_not_in_force(fixture_graph):
    assert "beta.s2" in fixture_graph
    assert "beta.s2" not in fixture_graph.as_at(dt.date(2021, 1, 1))
    assert "beta.s2" in fixture_graph.as_at(dt.date(2019, 12, 31))
    assert "beta.rec1" not in fixture_graph.as_at(dt.date(2023, 1, 1))


def test_find_by_ref_ignores_case_and_spaces(fixture_graph):
    assert fixture_graph.find_by_ref("alpha REG 1 (a)").id == "alpha.r1.a"
    assert fixture_graph.find_by_ref("Alpha reg 99") is None


def test_evidence_kinds_are_inherited_from_ancestors(fixture_graph):
    assert [k.id for k in fixture_graph.evidenced_by("alpha.r1.a")] == ["ek.judgement"]
    assert [k.id for k in fixture_graph.evidenced_by("alpha.r1.a", inherit=False)] == []
    assert ids(fixture_graph.requirements_evidenced_by("ek.visit-report")) == ["alpha.r2"]


def test_filters_on_requirements(fixture_graph):
    assert ids(fixture_graph.requirements(regulator=Regulator.CQC)) == ["beta.s1", "beta.s2"]
    assert ids(fixture_graph.requirements(kind=RequirementKind.INDICATOR)) == ["alpha.i1"]
    assert ids(fixture_graph.requirements(setting_kind=SettingKind.RSS_CHILDRENS_HOME)) == [
        "alpha.r1", "alpha.r1.a", "beta.s1"]


def test_links_are_keyed_by_rel(fixture_graph):
    assert [link.rel for link in fixture_graph.links_out("alpha.r1.a")] == [Rel.PART_OF, Rel.ASSESSED_UNDER]
    assert [r.id for r in fixture_graph.assessed_under("alpha.r1.a")] == ["beta.s1"]
