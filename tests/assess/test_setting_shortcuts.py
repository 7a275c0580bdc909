"""What the setting assessor works out once and shares gives what working it out each time would give."""

from __future__ import annotations

import datetime as dt

import pytest

from regframe.assess.results import Flag, Status
from regframe.assess.setting import _current_sources, _Flags
from regframe.assess.status import Judgement, flags_from
from regframe.assess.summary import Polarity
from regframe.evidence import EvidenceItem, Outcome, OutcomeKind, Source

AS_AT = dt.date(2026, 10, 31)


def _judgement(latest: dict[Source, Polarity], *, contradicted: bool = False, suspect: bool = False) -> Judgement:
    return Judgement(Status.MET, (), (), contradicted, latest, suspect)


@pytest.mark.parametrize("joint", [False, True])
def test_flags_are_worked_out_once_for_each_combination_of_what_they_read(joint):
    disagree = {Source.OFSTED: Polarity.POSITIVE, Source.CQC: Polarity.NEGATIVE}
    one = {Source.OFSTED: Polarity.POSITIVE}
    judgements = [_judgement(disagree), _judgement(disagree), _judgement(disagree, suspect=True),
                  _judgement(one), _judgement(one, contradicted=True), _judgement(one, contradicted=True, suspect=True)]
    flags = _Flags()
    found = [flags(judgement, joint) for judgement in judgements]
    assert found == [flags_from(j.latest_by_regulator, j, joint) for j in judgements]
    assert found[0] is found[1]  # one combination, one tuple
    assert found[0] == (Flag.REGULATORS_DISAGREE,)
    assert found[5] == ((Flag.PROVIDER_CONTRADICTED,) + ((Flag.SINGLE_REGULATOR,) if joint else ())
                        + (Flag.SUSPECT_MAPPING,))


def test_a_counterpart_that_adds_no_regulator_leaves_the_flags_as_they_are():
    flags = _Flags()
    own = _judgement({Source.OFSTED: Polarity.POSITIVE})
    same = _judgement({Source.OFSTED: Polarity.NEGATIVE})
    cqc = _judgement({Source.CQC: Polarity.NEGATIVE})
    assert flags.with_counterparts(own, True, [same]) is None
    assert flags.with_counterparts(own, True, [same, cqc]) == (Flag.REGULATORS_DISAGREE,)


def test_the_current_sources_of_each_kind_are_read_class_by_class():
    def item(iid: str, source: Source, kind: str, observed: dt.date) -> EvidenceItem:
        return EvidenceItem(iid, "SC1", source, kind, observed, source.default_independence,
                            outcome=Outcome(OutcomeKind.RECORDED))

    items = [item("a", Source.PROVIDER, "ek.restraint", dt.date(2026, 9, 1)),
             item("b", Source.PLACING_LA, "ek.restraint", dt.date(2026, 12, 1)),  # after as_at: not yet known
             item("c", Source.PLACING_LA, "ek.restraint", dt.date(2026, 10, 31)),
             item("d", Source.OFSTED, "ek.visit", dt.date(2027, 1, 1)),
             item("e", Source.CQC, "ek.restraint", dt.date(2026, 11, 2))]
    by_key: dict[tuple[tuple[str, ...], str, str], list[int]] = {}
    for place, one in enumerate(items):
        by_key.setdefault((one.references, one.kind, one.source.value), []).append(place)
    expected = {kind: sorted({i.source.value for i in items if i.kind == kind and i.observed <= AS_AT})
                for kind in {i.kind for i in items}}
    assert _current_sources(items, by_key, AS_AT) == {k: v for k, v in expected.items() if v} == {
        "ek.restraint": ["placing-la", "provider"]}


def test_indicator_results_that_read_the_same_are_one_object_and_no_others(monkeypatch):
    from types import SimpleNamespace

    from regframe.assess import indicators
    from regframe.framework.model import Axis

    figures = iter([(2.5, "b"), (2.5, "b"), (1, "b"), (1.0, "b"), (0.0, "b"), (-0.0, "b"), (0.0, "c"), (None, "b")])
    monkeypatch.setitem(indicators._COMPUTERS, "test-metric", lambda facts: next(figures))
    indicator = SimpleNamespace(id="ind.test", axis=Axis.RISK)
    shared: dict = {}
    found = [indicators.evaluate_scales(indicator, (("test-metric", (), ()),), None, shared)[0] for _ in range(8)]
    assert found[0] is found[1]
    assert len({id(result) for result in found}) == 7  # 1 and 1.0, 0.0 and -0.0, other words: all apart
    assert [repr(r.value) for r in found] == ["2.5", "2.5", "1", "1.0", "0.0", "-0.0", "0.0", "None"]


def test_one_figure_under_two_indicators_with_other_thresholds_is_judged_by_each_ones_own(monkeypatch):
    """The shared results are kept per indicator and metric: the same figure is red under one indicator's
    threshold and nothing under the other's, whichever is met first."""
    from types import SimpleNamespace

    from regframe.assess import indicators
    from regframe.framework.model import Axis, Comparison, Level, Threshold

    monkeypatch.setitem(indicators._COMPUTERS, "test-metric", lambda facts: (3.0, "3 of them"))
    strict = SimpleNamespace(id="ind.strict", axis=Axis.RISK)
    lenient = SimpleNamespace(id="ind.lenient", axis=Axis.RISK)
    red_at_2 = (("test-metric", (Threshold("test-metric", Comparison.GT, 2, Level.RED),), ()),)
    red_at_5 = (("test-metric", (Threshold("test-metric", Comparison.GT, 5, Level.RED),), ()),)
    for order in ((strict, lenient), (lenient, strict)):
        shared: dict = {}
        levels = {indicator.id: indicators.evaluate_scales(indicator, red_at_2 if indicator is strict else red_at_5,
                                                           None, shared)[0].level for indicator in order}
        assert levels == {"ind.strict": Level.RED, "ind.lenient": None}
