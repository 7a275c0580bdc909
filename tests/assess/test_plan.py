"""A plan works out once what settings of one kind share, and again when what it knows changes."""

import datetime as dt

import regframe
from regframe.assess.facts import FrameworkFacts
from regframe.assess.mapping import EvidenceMapper
from regframe.assess.plan import KindPlan
from regframe.framework.model import SettingKind

AS_AT = dt.date(2026, 10, 31)


def _plan() -> KindPlan:
    graph = regframe.build_graph(regframe.load_framework())
    return KindPlan(FrameworkFacts(graph, AS_AT), SettingKind.CHILDRENS_HOME, False, EvidenceMapper(graph))


def test_settings_with_items_in_the_same_classes_share_one_shape():
    plan = _plan()
    reg44 = plan.route(((), "ek.reg44-report", "independent-person"))
    present = 1 << reg44.bit
    shape = plan.shape(present)
    assert plan.shape(present) is shape
    assert len(shape.stretches) == len(shape.judged) == len(plan.layout().groups)
    # a group nothing present reaches has no stretches and no evidence to judge; every other group has both
    assert all((stretches is None) == (number is None) for stretches, number in
               zip(shape.stretches, shape.judged, strict=True))
    assert any(number is not None for number in shape.judged)
    # groups seeing the same stretches in the same window share one evidence
    assert len(shape.evidence) == len({(shape.stretches[g], plan.layout().groups[g].window)
                                       for g, number in enumerate(shape.judged) if number is not None})


def test_a_class_met_for_the_first_time_makes_the_shapes_anew():
    plan = _plan()
    reg44 = plan.route(((), "ek.reg44-report", "independent-person"))
    present = 1 << reg44.bit
    before = plan.shape(present)
    plan.route(((), "ek.ofsted-judgement", "ofsted"))  # a new class can split a group
    after = plan.shape(present)
    assert after is not before
    assert len(after.stretches) == len(plan.layout().groups)
