"""Revisions: reading, applying each change type, composing, and the shipped revisions."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest

from regframe.framework import FrameworkInvalid, load_framework
from regframe.framework.cadence import Cadence, Duration, Step, StepKind, Unit
from regframe.framework.graph import RequirementGraph
from regframe.framework.model import (
    Comparison,
    Confidence,
    Level,
    Link,
    MappingConfidence,
    Regulator,
    Rel,
    Relationship,
    RequirementKind,
    Threshold,
)
from regframe.revisions.revision import (
    Modify,
    Rename,
    Revision,
    SetThreshold,
    Withdraw,
    apply,
    load_revision_framework,
    read_revision,
    superseded,
    validate_revision_file,
)
from tests.conftest import TESTS

HERE = TESTS
FIXTURES = HERE / "fixtures" / "revisions"
BASE = HERE / "fixtures" / "catalogue" / "framework.xml"
STANDARDS = HERE.parent / "standards"
REVISIONS = STANDARDS / "revisions"


@pytest.fixture(scope="module")
def base():
    return load_framework(BASE)


def index(framework):
    return framework.requirement_index()


def write(tmp_path: Path, body: str, base: str = str(BASE), name: str = "rev.xml") -> Path:
    path = tmp_path / name
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<revision xmlns="urn:x-regframe:revision:1" id="t" version="1" base="{base}">\n'
        "  <title>T</title>\n  <rationale>R</rationale>\n"
        f"{body}\n</revision>\n",
        encoding="utf-8",
    )
    return path


# ---------------------------------------------------------------- reading


def test_read_revision_types_every_change_with_its_line():
    revision, problems = read_revision(FIXTURES / "unknown-id.xml")
    assert problems == []
    assert revision == Revision(
        id="fixture-unknown", version="1", title="Typo", base="../catalogue/framework.xml",
        rationale="The id is misspelt.",
        changes=(Rename("alpha.r1.b", "Alpha reg 1(b)"), Withdraw("alpha.r9", dt.date(2027, 4, 1))),
    )
    assert [c.origin.line for c in revision.changes] == [6, 7]


def test_schema_rejects_a_change_type_it_does_not_know(tmp_path):
    path = write(tmp_path, '  <delete id="alpha.r2"/>')
    _revision, problems = read_revision(path)
    assert [(p.code, p.location.line) for p in problems] == [("RF104", 5)]


def test_a_catalogue_file_is_not_a_revision():
    revision, problems = read_revision(BASE)
    assert revision is None
    assert [p.code for p in problems] == ["RF500"]


def test_added_requirement_is_read_exactly_like_a_catalogue_requirement():
    revision, problems = read_revision(FIXTURES / "add.xml")
    assert problems == []
    added = revision.changes[0]
    assert added.instrument == "alpha"
    assert added.requirement.cadence == Cadence(
        "previous-occurrence", (Step(StepKind.EVERY, Duration(6, Unit.WEEK)),), "ek.visit-report")
    assert added.requirement.links == (Link("alpha.r3", Rel.EVIDENCED_BY, "ek.visit-report"),)
    assert added.requirement.origin.line == 7


# ---------------------------------------------------------------- each change type


def test_add_puts_the_requirement_in_its_instrument_or_a_new_one(base):
    revised, problems = apply(base, read_revision(FIXTURES / "add.xml")[0])
    assert problems == []
    by_instrument = {i.id: [r.id for r in i.requirements] for i in revised.instruments}
    assert by_instrument == {
        "alpha": ["alpha.r1", "alpha.r1.a", "alpha.r2", "alpha.i1", "alpha.r3"],
        "beta": ["beta.s1", "beta.s2", "beta.rec1"],
        "gamma": ["gamma.p1"],
    }
    gamma = revised.instruments[-1]
    assert (gamma.title, gamma.publisher, gamma.effective.start) == (
        "Add advocacy visits", "regframe revision fixture-add", dt.date(2027, 4, 1))
    assert index(revised)["alpha.r3"].instrument == "alpha"


def test_add_of_an_existing_id_is_refused(base, tmp_path):
    path = write(tmp_path, """  <add instrument="beta">
    <requirement xmlns="urn:x-regframe:catalogue:1" id="alpha.r2" ref="Beta std 9" kind="duty" confidence="unconfirmed">
      <title>Clash</title><statement>Clash.</statement>
      <regulators><regulator>cqc</regulator></regulators>
      <effective from="2027-04-01"/>
      <citation instrument="X" provision="std 9" url="https://example.org" last-checked="2026-11-22"/>
    </requirement>
  </add>""")
    revised, problems = apply(base, read_revision(path)[0])
    assert [(p.code, p.location.line, p.message) for p in problems] == [
        ("RF510", 5, "alpha.r2 is already 'Alpha reg 2' in alpha")]
    assert revised.requirement_index() == base.requirement_index()


def test_modify_replaces_only_the_fields_given(base):
    revised, problems = apply(base, read_revision(FIXTURES / "modify.xml")[0])
    assert problems == []
    before, after = index(base)["alpha.r2"], index(revised)["alpha.r2"]
    assert after == attrs.evolve(
        before,
        statement="An independent person visits every two weeks and reports.",
        regulators=(Regulator.OFSTED, Regulator.CQC),
        cadence=Cadence("previous-occurrence", (Step(StepKind.EVERY, Duration(2, Unit.WEEK)),), "ek.visit-report"),
        confidence=Confidence.CONFIRMED,
    )
    assert {k: v for k, v in index(revised).items() if k != "alpha.r2"} == {
        k: v for k, v in index(base).items() if k != "alpha.r2"}


def test_modify_kind_and_thresholds(base):
    change = Modify("alpha.r2", kind=RequirementKind.GUIDANCE, thresholds=())
    revised, problems = apply(base, Revision("t", "1", "T", "x", changes=(change,)))
    assert problems == [] and index(revised)["alpha.r2"].kind is RequirementKind.GUIDANCE


def test_rename_keeps_the_stable_id_and_every_link(base):
    revised, problems = apply(base, read_revision(FIXTURES / "rename.xml")[0])
    assert problems == []
    assert index(revised)["alpha.r1.a"] == attrs.evolve(index(base)["alpha.r1.a"], ref="Alpha reg 1(1)(a)")
    assert revised.links() == base.links()
    assert [r.id for r in RequirementGraph(revised).addressed_by("beta.rec1")] == ["alpha.r1.a"]


def test_withdraw_sets_the_end_and_keeps_the_requirement(base):
    revised, problems = apply(base, read_revision(FIXTURES / "withdraw.xml")[0])
    assert problems == []
    withdrawn = index(revised)["alpha.r1.a"]
    assert withdrawn.effective.end == dt.date(2027, 4, 1)
    assert withdrawn.in_force(dt.date(2027, 3, 31)) and not withdrawn.in_force(dt.date(2027, 4, 1))
    assert len(revised.requirements()) == len(base.requirements())


def test_withdraw_before_the_start_is_refused(base):
    change = Withdraw("alpha.r2", dt.date(2015, 4, 1))
    revised, problems = apply(base, Revision("t", "1", "T", "x", changes=(change,)))
    assert [p.code for p in problems] == ["RF515"]
    assert index(revised)["alpha.r2"] == index(base)["alpha.r2"]


def test_withdraw_of_a_withdrawn_requirement_moves_its_end_with_a_warning(base):
    change = Withdraw("beta.s2", dt.date(2021, 1, 1))
    revised, problems = apply(base, Revision("t", "1", "T", "x", changes=(change,)))
    assert [(p.code, p.message) for p in problems] == [
        ("RF516", "withdraw beta.s2: end moves from 2020-01-01 to 2021-01-01")]
    assert index(revised)["beta.s2"].effective.end == dt.date(2021, 1, 1)


def test_relink_adds_nested_links_and_removes_links_wherever_stored(base):
    revised, problems = apply(base, read_revision(FIXTURES / "relink.xml")[0])
    assert problems == []
    keys = {(link.source, link.rel.value, link.target) for link in revised.links()}
    before = {(link.source, link.rel.value, link.target) for link in base.links()}
    assert keys - before == {("beta.rec1", "addresses", "alpha.r2")}
    assert before - keys == {("alpha.r1.a", "assessed-under", "beta.s1")}
    assert [link.target for link in index(revised)["beta.rec1"].links] == ["alpha.r1.a", "alpha.r2"]


def test_relink_reports_missing_and_duplicate_links(base, tmp_path):
    path = write(tmp_path, """  <relink>
    <unlink source="alpha.r2" rel="requires" target="alpha.r1"/>
    <link source="nobody" rel="requires" target="alpha.r1"/>
    <link source="beta.rec1" rel="addresses" target="alpha.r1.a"/>
  </relink>""")
    _revised, problems = apply(base, read_revision(path)[0])
    assert [(p.code, p.location.line) for p in problems] == [("RF512", 6), ("RF513", 7), ("RF514", 8)]


def test_set_threshold_ends_the_old_threshold_the_day_the_new_one_starts(base):
    revised, problems = apply(base, read_revision(FIXTURES / "set-threshold.xml")[0])
    assert problems == []
    assert index(revised)["alpha.i1"].thresholds == (
        Threshold("restraint-rate", Comparison.GT, 2.0, Level.AMBER),
        Threshold("restraint-rate", Comparison.GE, 4.5, Level.RED, dt.date(2020, 1, 1), dt.date(2027, 4, 1)),
        Threshold("restraint-rate", Comparison.GE, 3.0, Level.RED, dt.date(2027, 4, 1)),
    )


def test_set_threshold_without_a_date_replaces_the_old_one():
    old = (Threshold("m", Comparison.GT, 2, Level.RED, dt.date(2020, 1, 1)), Threshold("m", Comparison.GT, 1, Level.AMBER))
    new = Threshold("m", Comparison.GT, 5, Level.RED)
    assert superseded(old, new) == (old[1], new)


def test_set_threshold_drops_thresholds_starting_on_or_after_the_new_one():
    old = (Threshold("m", Comparison.GT, 2, Level.RED, dt.date(2028, 1, 1)),
           Threshold("m", Comparison.GT, 9, Level.RED, None, dt.date(2019, 1, 1)))
    new = Threshold("m", Comparison.GT, 5, Level.RED, dt.date(2027, 1, 1))
    assert superseded(old, new) == (old[1], new)


def test_set_threshold_on_something_not_an_indicator_is_refused(base):
    change = SetThreshold("alpha.r2", Threshold("m", Comparison.GT, 1, Level.RED))
    _revised, problems = apply(base, Revision("t", "1", "T", "x", changes=(change,)))
    assert [p.code for p in problems] == ["RF517"]


def test_apply_is_pure(base):
    snapshot = attrs.evolve(base)
    apply(base, read_revision(FIXTURES / "modify.xml")[0])
    assert base == snapshot and index(base)["alpha.r2"].cadence.steps[0].duration == Duration(1, Unit.MONTH)


def test_the_revised_framework_is_named_after_the_revision(base):
    revised, _ = apply(base, read_revision(FIXTURES / "rename.xml")[0])
    assert (revised.id, revised.version, revised.manifest.includes) == (
        "fixture-rename", "1", ("../catalogue/framework.xml",))


# ---------------------------------------------------------------- composing


def test_change_to_an_unknown_id_is_reported_with_the_revision_files_line():
    problems = validate_revision_file(FIXTURES / "unknown-id.xml")
    assert [str(p) for p in problems] == [
        f"{FIXTURES / 'unknown-id.xml'}:6: error RF511: rename alpha.r1.b: no requirement has this id",
        f"{FIXTURES / 'unknown-id.xml'}:7: error RF511: withdraw alpha.r9: no requirement has this id",
    ]
    with pytest.raises(FrameworkInvalid):
        load_revision_framework(FIXTURES / "unknown-id.xml")


def test_a_revision_of_a_revision_applies_both_in_order():
    revised = load_revision_framework(FIXTURES / "restate.xml")
    assert revised.id == "fixture-restate"
    assert index(revised)["beta.s1"].statement == "People are protected from abuse and neglect."
    assert ("alpha.r2", Rel.MAPS_TO, "beta.s1") in {(link.source, link.rel, link.target) for link in revised.links()}


def test_a_statement_change_makes_fingerprinted_links_into_it_suspect():
    problems = validate_revision_file(FIXTURES / "restate.xml")
    suspect = [p for p in problems if p.code == "RF206" and p.message.startswith("alpha.r2")]
    assert [p.location.line for p in suspect] == [7]
    assert [link.source for link in RequirementGraph(load_revision_framework(FIXTURES / "restate.xml")).suspect_links()] == [
        "alpha.r1", "alpha.r2"]


def test_links_added_by_a_revision_are_checked_like_catalogue_links(tmp_path):
    path = write(tmp_path, '  <relink><link source="alpha.r2" rel="maps-to" target="beta.s9"/></relink>')
    problems = validate_revision_file(path)
    assert sorted((p.code, p.location.line) for p in problems) == [("RF202", 5)]


def test_base_is_resolved_relative_to_the_revision_file(tmp_path):
    path = write(tmp_path, '  <rename id="alpha.r2" ref="Alpha reg 2A"/>', base="missing/framework.xml")
    problems = validate_revision_file(path)
    assert [(p.code, p.message) for p in problems] == [
        ("RF502", f"missing/framework.xml (looked for {tmp_path / 'missing' / 'framework.xml'})")]


def test_a_base_chain_that_loops_is_reported(tmp_path):
    write(tmp_path, '  <rename id="alpha.r2" ref="A"/>', base="b.xml", name="a.xml")
    write(tmp_path, '  <rename id="alpha.r2" ref="B"/>', base="a.xml", name="b.xml")
    problems = validate_revision_file(tmp_path / "a.xml")
    assert [p.code for p in problems] == ["RF504"]
    assert "RF503" in problems[0].message


def test_a_catalogue_file_that_is_not_a_manifest_is_not_a_base(tmp_path):
    path = write(tmp_path, '  <rename id="alpha.r2" ref="A"/>', base=str(BASE.parent / "alpha.xml"))
    assert [p.code for p in validate_revision_file(path)] == ["RF505"]


def test_problems_the_base_already_has_are_not_repeated():
    assert validate_revision_file(FIXTURES / "rename.xml") == []


def test_every_fixture_revision_except_the_broken_one_loads():
    for path in sorted(FIXTURES.glob("*.xml")):
        if path.name != "unknown-id.xml":
            assert load_revision_framework(path).id.startswith("fixture-"), path


def test_mapping_links_can_be_added_with_relationship_and_confidence(base):
    revised, _ = apply(base, read_revision(FIXTURES / "stamped.xml")[0])
    link = index(revised)["alpha.r2"].links[-1]
    assert (link.relationship, link.confidence, link.fingerprint) == (
        Relationship.INTERSECTS_WITH, MappingConfidence.MEDIUM, "11be4f8329f2")


# ---------------------------------------------------------------- the shipped revisions


def _shipped_framework():
    try:
        return load_framework(STANDARDS / "framework.xml")
    except (FrameworkInvalid, FileNotFoundError) as error:
        pytest.skip(f"the shipped framework does not load yet ({str(error).splitlines()[0]})")


SHIPPED = ["joint-inspection-proposal.xml", "csprp2023-proposals.xml", "withdraw-advocacy.xml"]


@pytest.mark.parametrize("name", SHIPPED)
def test_shipped_revision_validates_against_the_shipped_framework(name):
    _shipped_framework()
    problems = validate_revision_file(REVISIONS / name)
    assert [str(p) for p in problems if p.is_error] == []


def test_proposals_give_every_national_recommendation_force():
    _shipped_framework()
    framework = load_revision_framework(REVISIONS / "csprp2023-proposals.xml")
    graph = RequirementGraph(framework).as_at(dt.date(2027, 4, 1))
    recommendations = [r.id for r in graph.requirements(kind=RequirementKind.RECOMMENDATION)]
    assert {f"csprp2023.r{n}" for n in range(1, 10)} <= set(recommendations)
    assert [r for r in recommendations if not graph.addressed_by(r)] == []


def test_joint_inspection_proposal_gives_r9b_and_r1_force():
    _shipped_framework()
    framework = load_revision_framework(REVISIONS / "joint-inspection-proposal.xml")
    graph = RequirementGraph(framework).as_at(dt.date(2027, 4, 1))
    r9b = {r.id for r in graph.addressed_by("csprp2023.r9.b")}
    joint = [graph.requirement(i) for i in r9b if {Regulator.OFSTED, Regulator.CQC} <= set(graph.requirement(i).regulators)]
    assert joint, r9b
    advocacy = [r for r in graph.addressed_by("csprp2023.r1") if r.cadence and r.cadence.evidence_kind == "ek.advocacy-visit"]
    assert advocacy and all(r.confidence is Confidence.UNCONFIRMED for r in joint + advocacy)
