"""The whole assessment on small hand-built frameworks and evidence: applicability, flags, lens, groups."""

from __future__ import annotations

import datetime as dt

import pytest

from regframe.assess import assess
from regframe.assess.results import Flag, LensState, Rating, Status
from regframe.evidence import (
    EvidenceItem,
    EvidenceSet,
    Metric,
    MetricValue,
    OfstedGrade,
    Outcome,
    OutcomeKind,
    Placement,
    Setting,
    Source,
)
from regframe.framework.graph import build_graph
from regframe.framework.model import (
    Citation,
    Confidence,
    Effective,
    EvidenceKind,
    Framework,
    Independence,
    Instrument,
    Level,
    Link,
    Manifest,
    MappingConfidence,
    Regulator,
    Rel,
    Relationship,
    Requirement,
    RequirementKind,
    SettingKind,
    Threshold,
    Vocabulary,
    statement_fingerprint,
)

AS_AT = dt.date(2026, 10, 31)
CITE = Citation("X", "1", "https://example.org", AS_AT)
CH = (SettingKind.CHILDRENS_HOME, SettingKind.RSS_CHILDRENS_HOME)


def req(rid, regulators, applies=CH, kind=RequirementKind.DUTY, links=(), provision=None, thresholds=(), end=None):
    return Requirement(
        id=rid, ref=rid, kind=kind, title=rid, statement=f"Statement of {rid}.",
        effective=Effective(dt.date(2015, 1, 1), end),
        citation=Citation("X", provision or rid, "https://example.org", AS_AT), confidence=Confidence.CONFIRMED,
        instrument=rid.split(".")[0], regulators=regulators, applies_to=applies,
        links=tuple(Link(rid, rel, target, *rest) for rel, target, *rest in links), thresholds=thresholds,
    )


def framework(*, suspect: bool = False) -> Framework:
    ofsted = (Regulator.OFSTED, Regulator.PROVIDER)
    cqc = (Regulator.CQC, Regulator.PROVIDER)
    statement = "Statement of cqc.r13." if not suspect else "An older wording."
    chr_ = Instrument("chr", "1", "CHR", "CHR", "DfE", Effective(dt.date(2015, 1, 1)), CITE, (
        req("chr.r12", ofsted, links=[(Rel.MAPS_TO, "cqc.r13", Relationship.INTERSECTS_WITH, MappingConfidence.HIGH)]),
        req("chr.r12.a", ofsted, links=[(Rel.PART_OF, "chr.r12"),
                                        (Rel.ASSESSED_UNDER, "cqc.r13", None, None, statement_fingerprint(statement))]),
        req("chr.r7", ofsted, links=[(Rel.EVIDENCED_BY, "ek.advocacy-visit")]),
        req("chr.old", ofsted, end=dt.date(2020, 1, 1)),
    ))
    cqc_ = Instrument("cqc", "1", "CQC", "CQC", "CQC", Effective(dt.date(2015, 1, 1)), CITE, (
        req("cqc.r13", cqc, applies=(SettingKind.CQC_HEALTH_PROVISION, SettingKind.RSS_CHILDRENS_HOME),
            kind=RequirementKind.QUALITY_STATEMENT),
    ))
    panel = Instrument("panel", "1", "Panel", "Panel", "Panel", Effective(dt.date(2023, 1, 1)), CITE, (
        req("panel.r1", (Regulator.GOVERNMENT,), kind=RequirementKind.RECOMMENDATION,
            links=[(Rel.ADDRESSES, "chr.r7"), (Rel.ADDRESSES, "ind.restraint")]),
        req("ind.restraint", (Regulator.HOST_LA,), kind=RequirementKind.INDICATOR, thresholds=(
            Threshold("restraint-rate", __import__("regframe.framework.model").framework.model.Comparison.GE, 1.0, Level.AMBER),
            Threshold("restraint-rate", __import__("regframe.framework.model").framework.model.Comparison.GE, 2.0, Level.RED))),
    ))
    kinds = Vocabulary("ek", "1", "kinds", (
        EvidenceKind("ek.ofsted-judgement", "J", "J", Independence.REGULATOR),
        EvidenceKind("ek.cqc-score", "S", "S", Independence.REGULATOR),
        EvidenceKind("ek.advocacy-visit", "A", "A", Independence.INDEPENDENT),
        EvidenceKind("ek.provider-self-assessment", "P", "P", Independence.PROVIDER),
    ))
    return Framework(Manifest("fw", "1", "fw"), (chr_, cqc_, panel), (), (kinds,))


def item(iid, urn, source, refs, outcome, kind="ek.ofsted-judgement", observed=dt.date(2026, 6, 1), child=None):
    independence = {Source.OFSTED: Independence.REGULATOR, Source.CQC: Independence.REGULATOR,
                    Source.PROVIDER: Independence.PROVIDER}.get(source, Independence.INDEPENDENT)
    return EvidenceItem(iid, urn, source, kind, observed, independence, child=child, references=refs, outcome=outcome)


GOOD = Outcome(OutcomeKind.GRADE, grade=OfstedGrade.GOOD)
MET = Outcome(OutcomeKind.MET)
SCORE_2 = Outcome(OutcomeKind.SCORE, score=2)


def evidence(settings, items=(), placements=(), metrics=()):
    result = EvidenceSet()
    for setting in settings:
        result.add_setting(setting)
    for x in items:
        result.add_item(x)
    for p in placements:
        result.add_placement(p)
    for m in metrics:
        result.add_metric(m)
    return result


DUAL = Setting("SC1", SettingKind.RSS_CHILDRENS_HOME, "Dual", cqc_location_id="1-1", owner="Group A")
HOME = Setting("SC2", SettingKind.CHILDRENS_HOME, "Home", owner="Group A")


def finding(assessment, urn, rid):
    setting = next(s for s in assessment.settings if s.setting.urn == urn)
    return next((f for f in setting.findings if f.requirement == rid), None), setting


def test_cqc_requirements_apply_only_to_settings_registered_with_cqc():
    result = assess(framework(), evidence([DUAL, HOME]), AS_AT)
    dual = next(s for s in result.settings if s.setting.urn == "SC1")
    home = next(s for s in result.settings if s.setting.urn == "SC2")
    assert "cqc.r13" in dual.no_evidence
    assert "cqc.r13" not in home.no_evidence and home.counts["not_applicable"] == 2  # cqc.r13 and the withdrawn chr.old


def test_regulators_disagree_across_the_crosswalk():
    items = [item("o1", "SC1", Source.OFSTED, ("chr.r12",), GOOD),
             item("c1", "SC1", Source.CQC, ("cqc.r13",), SCORE_2, kind="ek.cqc-score")]
    found, _ = finding(assess(framework(), evidence([DUAL], items), AS_AT), "SC1", "chr.r12")
    # CQC's score of 2 reaches chr.r12.a (assessed under cqc.r13) and rolls up to chr.r12: the latest word is negative
    assert found.status is Status.NOT_MET
    assert found.flags == (Flag.REGULATORS_DISAGREE,)


def test_single_regulator_when_only_ofsted_has_looked_at_a_jointly_held_requirement():
    items = [item("o1", "SC1", Source.OFSTED, ("chr.r12",), GOOD)]
    result = assess(framework(), evidence([DUAL, HOME], [*items, item("o2", "SC2", Source.OFSTED, ("chr.r12",), GOOD)]), AS_AT)
    dual_finding, _ = finding(result, "SC1", "chr.r12")
    home_finding, _ = finding(result, "SC2", "chr.r12")
    assert dual_finding.flags == (Flag.SINGLE_REGULATOR,)
    assert home_finding.flags == ()  # not registered with CQC: nothing joint to miss


def test_provider_contradicted_and_the_limb_judged_on_its_own():
    items = [item("p1", "SC2", Source.PROVIDER, ("chr.r12",), MET, kind="ek.provider-self-assessment",
                  observed=dt.date(2026, 9, 1)),
             item("o1", "SC2", Source.OFSTED, ("chr.r12",), Outcome(OutcomeKind.GRADE, grade=OfstedGrade.INADEQUATE))]
    result = assess(framework(), evidence([HOME], items), AS_AT)
    whole, setting = finding(result, "SC2", "chr.r12")
    assert whole.status is Status.NOT_MET and whole.flags == (Flag.PROVIDER_CONTRADICTED,)
    limb, _ = finding(result, "SC2", "chr.r12.a")
    assert limb.status is Status.UNCORROBORATED  # the inadequate verdict on the whole does not say which limb failed
    assert setting.rating is Rating.RED and setting.rating_reasons == (
        "Ofsted's latest judgement is inadequate (2026-06-01); it stands until a newer one replaces it",)


def test_a_negative_finding_on_a_limb_makes_the_whole_not_met():
    items = [item("o1", "SC2", Source.OFSTED, ("chr.r12",), GOOD),
             item("l1", "SC2", Source.PLACING_LA, ("chr.r12.a",), Outcome(OutcomeKind.NOT_MET), kind="ek.advocacy-visit",
                  observed=dt.date(2026, 7, 1))]
    result = assess(framework(), evidence([HOME], items), AS_AT)
    assert finding(result, "SC2", "chr.r12.a")[0].status is Status.NOT_MET
    assert finding(result, "SC2", "chr.r12")[0].status is Status.NOT_MET


def test_suspect_mapping_when_evidence_arrives_through_a_link_whose_target_changed():
    items = [item("c1", "SC1", Source.CQC, ("cqc.r13",), Outcome(OutcomeKind.SCORE, score=3), kind="ek.cqc-score")]
    fresh, _ = finding(assess(framework(), evidence([DUAL], items), AS_AT), "SC1", "chr.r12.a")
    stale, _ = finding(assess(framework(suspect=True), evidence([DUAL], items), AS_AT), "SC1", "chr.r12.a")
    assert Flag.SUSPECT_MAPPING not in fresh.flags
    assert Flag.SUSPECT_MAPPING in stale.flags


def restraint(urn, per_child_month):
    months = [dt.date(2026, m, 1) for m in (7, 8, 9)]
    return [m for month in months for m in (MetricValue(urn, month, Metric.RESTRAINT_INCIDENTS, 4 * per_child_month),
                                            MetricValue(urn, month, Metric.CHILDREN_RESIDENT, 4))]


@pytest.mark.parametrize("rate, level", [(0.75, None), (1.0, "amber"), (1.75, "amber"), (2.0, "red")])
def test_indicator_levels_at_the_threshold_boundaries(rate, level):
    result = assess(framework(), evidence([HOME], metrics=restraint("SC2", rate)), AS_AT)
    [indicator] = result.settings[0].indicators
    assert (indicator.value, indicator.level and indicator.level.value) == (rate, level)


def test_recommendation_lens_fails_on_an_unmet_requirement_it_addresses():
    no_advocate = item("a1", "SC2", Source.PLACING_LA, (), Outcome(OutcomeKind.NOT_MET), kind="ek.advocacy-visit",
                       child="C-1")
    result = assess(framework(), evidence([HOME], [no_advocate]), AS_AT)
    [lens] = result.settings[0].lens
    assert (lens.recommendation, lens.state, lens.failing) == ("panel.r1", LensState.FAILING, ("chr.r7",))


def test_recommendation_lens_is_ok_when_what_it_addresses_is_met_and_indicators_are_quiet():
    visit = item("a1", "SC2", Source.ADVOCATE, (), Outcome(OutcomeKind.RECORDED), kind="ek.advocacy-visit", child="C-1")
    result = assess(framework(), evidence([HOME], [visit], metrics=restraint("SC2", 0.25)), AS_AT)
    assert result.settings[0].lens[0].state is LensState.OK


def test_settings_are_sorted_worst_first_and_the_output_is_deterministic():
    items = [item("o1", "SC2", Source.OFSTED, ("chr.r12",), Outcome(OutcomeKind.GRADE, grade=OfstedGrade.INADEQUATE))]
    first = assess(framework(), evidence([DUAL, HOME], items), AS_AT)
    second = assess(framework(), evidence([HOME, DUAL], items), AS_AT)
    assert [s.setting.urn for s in first.settings] == ["SC2", "SC1"]
    assert first == second


def test_a_placement_reported_twice_counts_once():
    placements = [Placement("C-1", "SC2", "901", dt.date(2026, 1, 1), distance_miles=120.0, weeks_per_year=52),
                  Placement("C-1", "SC2", "901", dt.date(2026, 1, 1))]
    result = assess(framework(), evidence([HOME], placements=placements), AS_AT)
    assert result.settings[0].children == 1


def test_the_graph_can_be_passed_instead_of_the_framework():
    graph = build_graph(framework())
    assert assess(graph, evidence([HOME]), AS_AT).framework == "fw"
