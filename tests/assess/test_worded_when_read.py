"""A setting's reasons are put in words when first read, once, and read the records as they were assessed."""

from __future__ import annotations

import copy
import datetime as dt
import pickle

import attrs
import pytest

import regframe
from regframe.assess import IncrementalAssessment, Reasons, assess
from regframe.assess.facts import FrameworkFacts
from regframe.assess.mapping import EvidenceMapper
from regframe.assess.results import Rating, SettingReason
from regframe.assess.setting import SettingAssessor
from regframe.evidence import EvidenceItem, OfstedGrade, Outcome, OutcomeKind, Setting, Source
from regframe.evidence.pseudonym import PseudonymKey
from regframe.framework.model import Independence, SettingKind
from regframe.samples.demo import AS_AT, DEMO_KEY, EXTRACT_LA, demo_paths

KEY = PseudonymKey.from_text(DEMO_KEY, "demo")
ONE = SettingReason("indicator", Rating.RED, "Restraint rose to 9 a month")
TWO = SettingReason("overdue", Rating.AMBER, "The visits report is 40 days late")


@pytest.fixture(scope="module")
def graph():
    return regframe.build_graph(regframe.load_framework())


def _load(paths):
    return regframe.load_evidence(paths, key=KEY, la_code=EXTRACT_LA)


def _words(assessment):
    return {s.setting.urn: tuple(s.reasons) for s in assessment.settings}


def test_reasons_are_worded_once_on_the_first_read_and_read_as_their_tuple():
    calls = []

    def word():
        calls.append(1)
        return (ONE, TWO)

    reasons = Reasons(word)
    assert not reasons.worded and calls == []
    assert reasons == (ONE, TWO) and (ONE, TWO) == reasons
    assert (len(reasons), reasons[1], reasons[:1], list(reasons), TWO in reasons) == (2, TWO, (ONE,), [ONE, TWO], True)
    assert reasons.worded and calls == [1]  # every read after the first reads the words kept
    assert reasons != (TWO, ONE) and repr(reasons) == f"Reasons([{ONE!r}, {TWO!r}])"
    assert reasons != [ONE, TWO] and hash(reasons) == hash((ONE, TWO))  # as a tuple: not equal to a list


def test_reasons_pickle_and_copy_worded_without_what_they_are_worded_from():
    held = bytearray(1_000_000)  # stands for the framework and the records the words read

    def word():
        return (ONE, TWO) if held else ()

    for copied in (lambda r: pickle.loads(pickle.dumps(r)), copy.copy, copy.deepcopy):
        reasons = Reasons(word)
        again = copied(reasons)
        assert isinstance(again, Reasons) and again.worded and again == (ONE, TWO)
    assert len(pickle.dumps(Reasons(word))) < 2_000  # the words, not what they came from


def test_a_wording_that_fails_is_tried_again_on_the_next_read():
    calls = []

    def word():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("the first time")
        return (ONE,)

    reasons = Reasons(word)
    with pytest.raises(RuntimeError):
        len(reasons)
    assert not reasons.worded and tuple(reasons) == (ONE,) and calls == [1, 1]


def test_the_assessment_rates_without_wording_and_a_report_words_each_setting_once(graph):
    assessment = assess(graph, _load(demo_paths()), AS_AT)
    lazy = [s for s in assessment.settings if isinstance(s.reasons, Reasons)]
    assert lazy and all(s.rating is not Rating.GREEN or s.rated_good_but is not None for s in lazy)
    assert not any(s.reasons.worded for s in lazy)
    assert all(isinstance(s.reasons, tuple) and s.reasons == () for s in assessment.settings if s not in lazy)
    first = _words(assessment)
    assert all(s.reasons.worded for s in lazy) and all(first[s.setting.urn] for s in lazy)
    assert _words(assessment) == first == _words(assess(graph, _load(demo_paths()), AS_AT))


def test_words_read_after_an_la_return_is_added_are_those_of_the_run_before_it(graph):
    paths = demo_paths()
    la_return = [p for p in paths if p.name.startswith("la-return")]
    rest = [p for p in paths if p not in la_return]
    live = IncrementalAssessment(graph, _load(rest), AS_AT)
    earlier = live.assessment  # nothing of it worded yet

    live.extend(_load(la_return))  # extends the index's lists of the settings it is about, in place

    assert _words(earlier) == _words(assess(graph, _load(rest), AS_AT))
    later = _words(live.assessment)
    assert any(later[urn] != words for urn, words in _words(earlier).items())  # the return did change words


def _judged(urn: str, day: int, month: int, grade: OfstedGrade) -> EvidenceItem:
    return EvidenceItem(f"{urn}-{month}", urn, Source.OFSTED, "ek.ofsted-judgement", dt.date(2026, month, day),
                        Independence.REGULATOR, references=("sccif-ch.overall",),
                        outcome=Outcome(OutcomeKind.GRADE, grade=grade))


def test_words_read_later_are_of_the_records_and_counts_the_setting_was_assessed_on(graph):
    """A caller of the setting assessor may go on changing its lists and counts: the words stay the rating's."""
    setting = Setting("SC3", SettingKind.CHILDRENS_HOME, name="SC3", owner="Hollow Homes Ltd", places=4,
                      registration_status="Active")
    concern = EvidenceItem("w1", "SC3", Source.WHISTLEBLOWER, "ek.whistleblowing", dt.date(2026, 10, 12),
                           Independence.INDEPENDENT, references=("Regulation 12",), outcome=Outcome(OutcomeKind.CONCERN),
                           summary="night staff asleep on shift")
    items = [_judged("SC3", 1, 3, OfstedGrade.GOOD), _judged("SC3", 2, 4, OfstedGrade.REQUIRES_IMPROVEMENT), concern]
    counts = {"hollow homes ltd": ("SC1", "SC2")}
    assessor = SettingAssessor(FrameworkFacts(graph, AS_AT), EvidenceMapper(graph))
    assessed = assessor.assess(setting, items, (), (), owner_failing=counts)
    expected = tuple(assessor.assess(setting, list(items), (), (), owner_failing=dict(counts)).reasons)
    assert any("(SC1, SC2)" in reason.text for reason in expected)
    assert any("night staff asleep" in reason.text for reason in expected)

    counts["hollow homes ltd"] = ("SC1", "SC2", "SC4")  # what it might count next
    items.append(attrs.evolve(concern, summary="a corrected record under the same id"))  # read by id, the later

    assert tuple(assessed.reasons) == expected
